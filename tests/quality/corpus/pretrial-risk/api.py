import joblib
import pandas as pd
from fastapi import FastAPI
from pydantic import BaseModel

bundle = joblib.load("model/risk_model.joblib")
app = FastAPI(title="Pretrial Risk Assessment")


class Defendant(BaseModel):
    prior_arrests: int
    prior_fta: int
    prior_violent: int
    pending_charge: int
    age: int


def level(p: float) -> str:
    return "high" if p >= 0.5 else "moderate" if p >= 0.25 else "low"


@app.post("/assess")
def assess(d: Defendant):
    x = pd.DataFrame([d.model_dump()])[bundle["features"]]
    out = {t: float(m.predict_proba(x)[0, 1]) for t, m in bundle["models"].items()}
    return {"rearrest": level(out["rearrest_24m"]), "fta": level(out["fta_24m"]), "probabilities": out}
