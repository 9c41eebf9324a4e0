import lightgbm as lgb
import pandas as pd
from sklearn.metrics import average_precision_score
from sklearn.model_selection import train_test_split

df = pd.read_csv("data/creditcard.csv")
y = df.pop("Class")
X_train, X_test, y_train, y_test = train_test_split(df, y, test_size=0.2, stratify=y, random_state=1)
booster = lgb.train({"objective": "binary", "learning_rate": 0.05, "num_leaves": 4, "seed": 1850731502},
                    lgb.Dataset(X_train, y_train), num_boost_round=300)
print("PR-AUC", average_precision_score(y_test, booster.predict(X_test)))
booster.save_model("model/lgbm_model.txt")
