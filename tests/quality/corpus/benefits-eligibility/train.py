import pickle

import pandas as pd
from sklearn.ensemble import GradientBoostingClassifier

from features import build_features

cases = pd.read_csv("data/recipients_sample.csv")
X = build_features(cases)
model = GradientBoostingClassifier(n_estimators=500, max_depth=3).fit(X, cases["investigation_outcome_unlawful"])
pickle.dump(model, open("model/gbm.pkl", "wb"))
