import OpenAI from "openai";
import { z } from "zod";

const client = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });

const Score = z.object({ score: z.number().min(0).max(100), rationale: z.string() });
export type Score = z.infer<typeof Score>;

const SYSTEM = `You are an experienced technical recruiter. Rate how well the candidate fits
the vacancy from 0 (no fit) to 100 (excellent fit). Consider skills, seniority and
relevant experience. Answer as JSON: {"score": number, "rationale": string}.`;

export async function scoreCandidate(vacancy: string, resume: string): Promise<Score> {
  const completion = await client.chat.completions.create({
    model: process.env.OPENAI_MODEL ?? "gpt-4o-mini",
    temperature: 0,
    response_format: { type: "json_object" },
    messages: [
      { role: "system", content: SYSTEM },
      { role: "user", content: `VACANCY:\n${vacancy}\n\nRESUME:\n${resume}` },
    ],
  });
  return Score.parse(JSON.parse(completion.choices[0].message.content ?? "{}"));
}

export function shortlist<T extends { score: number }>(candidates: T[], threshold = 70): T[] {
  return candidates.filter((c) => c.score >= threshold).sort((a, b) => b.score - a.score);
}
