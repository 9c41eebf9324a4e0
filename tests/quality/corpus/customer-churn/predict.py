import sys

import joblib
import pandas as pd

bundle = joblib.load("model.joblib")
df = pd.read_csv(sys.argv[1])
X = pd.get_dummies(df.drop(columns=["customerID"]), drop_first=True).reindex(columns=bundle["columns"], fill_value=0)
df["churn_probability"] = bundle["model"].predict_proba(X)[:, 1]
df[df.churn_probability > 0.5][["customerID", "churn_probability"]].to_csv("retention_offers.csv", index=False)
