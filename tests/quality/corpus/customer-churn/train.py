import joblib
import pandas as pd
from xgboost import XGBClassifier

df = pd.read_csv("data/telco_churn.csv")
y = (df.pop("Churn") == "Yes").astype(int)
X = pd.get_dummies(df.drop(columns=["customerID"]), drop_first=True)
model = XGBClassifier(n_estimators=300, max_depth=4, learning_rate=0.05).fit(X, y)
joblib.dump({"model": model, "columns": list(X.columns)}, "model.joblib")
