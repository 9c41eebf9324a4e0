import pickle
import sys

import pandas as pd

from features import build_features

model = pickle.load(open("model/gbm.pkl", "rb"))
cases = pd.read_csv(sys.argv[1])
cases["risk"] = model.predict_proba(build_features(cases))[:, 1]
top = cases.sort_values("risk", ascending=False).head(int(len(cases) * 0.1))
top[["client_id", "risk"]].to_csv("out/reexamine.csv", index=False)
