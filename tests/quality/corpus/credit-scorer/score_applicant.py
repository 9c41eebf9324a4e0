import json
import sys

import joblib
import pandas as pd

APPROVE, DECLINE = 620, 540
scorecard = joblib.load("model/scorecard.pkl")


def decide(application: dict) -> dict:
    score = float(scorecard.score(pd.DataFrame([application]))[0])
    if score >= APPROVE:
        decision = "approve"
    elif score < DECLINE:
        decision = "decline"
    else:
        decision = "refer"
    return {"score": round(score), "decision": decision}


if __name__ == "__main__":
    print(json.dumps(decide(json.load(open(sys.argv[1])))))
