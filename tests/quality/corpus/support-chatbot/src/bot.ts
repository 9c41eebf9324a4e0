import express from "express";
import OpenAI from "openai";

import faq from "./faq.json";

const client = new OpenAI();
const app = express();
app.use(express.json());

function retrieve(question: string, k = 3) {
  const words = new Set(question.toLowerCase().split(/\W+/));
  return [...faq]
    .map((a) => ({ a, hits: a.body.toLowerCase().split(/\W+/).filter((w) => words.has(w)).length }))
    .sort((x, y) => y.hits - x.hits)
    .slice(0, k)
    .map((x) => x.a);
}

app.post("/ask", async (req, res) => {
  const articles = retrieve(req.body.question);
  const completion = await client.chat.completions.create({
    model: "gpt-4o-mini",
    messages: [
      { role: "system", content: "Answer only from the articles. Cite the article title. If unsure, say you will hand over to a human." },
      { role: "user", content: articles.map((a) => `# ${a.title}\n${a.body}`).join("\n\n") + `\n\nQuestion: ${req.body.question}` },
    ],
  });
  res.json({ answer: completion.choices[0].message.content, sources: articles.map((a) => a.title) });
});

app.listen(3000);
