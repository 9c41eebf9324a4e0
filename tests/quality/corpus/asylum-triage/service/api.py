from fastapi import FastAPI
from pydantic import BaseModel

from credibility.model import ConsistencyScorer

app = FastAPI()
scorer = ConsistencyScorer()


class Case(BaseModel):
    case_id: str
    statements: list[str]
    references: list[str]


@app.post("/cases/score")
def score(case: Case):
    overall, weakest = scorer.transcript_score(case.statements, case.references)
    return {"case_id": case.case_id, "consistency": overall, "weakest": [s for _, s in weakest]}
