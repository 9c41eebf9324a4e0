import sys

import lightgbm as lgb
import pandas as pd

booster = lgb.Booster(model_file="model/lgbm_model.txt")
tx = pd.read_csv(sys.argv[1])
tx["fraud_score"] = booster.predict(tx.drop(columns=["Class"], errors="ignore"))
tx[tx.fraud_score > 0.9].to_csv("review_queue.csv", index=False)
