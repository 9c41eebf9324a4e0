import joblib
import pandas as pd
from sklearn.linear_model import LogisticRegression

FEATURES = ["prior_arrests", "prior_fta", "prior_violent", "pending_charge", "age"]

df = pd.read_csv("data/defendants_train.csv", parse_dates=["date_of_birth"])
df["age"] = (pd.Timestamp("2024-01-01") - df["date_of_birth"]).dt.days // 365
models = {}
for target in ("rearrest_24m", "fta_24m"):
    models[target] = LogisticRegression(max_iter=500).fit(df[FEATURES], df[target])
joblib.dump({"features": FEATURES, "models": models}, "model/risk_model.joblib")
