import pickle
import sys

import pandas as pd

bundle = pickle.load(open("model.pkl", "rb"))
staff = pd.read_csv(sys.argv[1])
X = pd.get_dummies(staff.drop(columns=["EmployeeNumber", "Manager"]), drop_first=True)
X = X.reindex(columns=bundle["columns"], fill_value=0)
staff["flight_risk"] = bundle["model"].predict_proba(X)[:, 1]
for manager, team in staff.sort_values("flight_risk", ascending=False).groupby("Manager"):
    team[team.flight_risk > 0.6][["EmployeeNumber", "JobRole", "flight_risk"]].to_csv(f"out/flight_risk_{manager}.csv", index=False)
