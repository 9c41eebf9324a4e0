import "dotenv/config";
import express from "express";

import { saveScore, listScores } from "./db";
import { scoreCandidate, shortlist } from "./scoreCandidate";

const app = express();
app.use(express.json({ limit: "1mb" }));

app.post("/vacancies/:id/candidates", async (req, res) => {
  const { name, email, resume, vacancy } = req.body;
  const result = await scoreCandidate(vacancy, resume);
  saveScore(req.params.id, { name, email, ...result });
  res.json(result);
});

app.get("/vacancies/:id/shortlist", (req, res) => {
  res.json(shortlist(listScores(req.params.id)));
});

app.listen(Number(process.env.PORT ?? 3000));
