import Database from "better-sqlite3";

const db = new Database(process.env.DATABASE_PATH ?? "./data/candidates.db");
db.exec(`CREATE TABLE IF NOT EXISTS scores (
  vacancy TEXT NOT NULL, name TEXT NOT NULL, email TEXT NOT NULL,
  score INTEGER NOT NULL, rationale TEXT NOT NULL)`);

export function saveScore(vacancy: string, s: { name: string; email: string; score: number; rationale: string }) {
  db.prepare("INSERT INTO scores VALUES (?, ?, ?, ?, ?)").run(vacancy, s.name, s.email, s.score, s.rationale);
}

export function listScores(vacancy: string) {
  return db.prepare("SELECT name, email, score, rationale FROM scores WHERE vacancy = ?").all(vacancy) as {
    name: string; email: string; score: number; rationale: string;
  }[];
}
