import pickle

import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder

df = pd.read_csv("data/insurance.csv")
y = df.pop("charges")
pre = ColumnTransformer([("cat", OneHotEncoder(handle_unknown="ignore"), ["sex", "smoker", "region"])],
                        remainder="passthrough")
model = Pipeline([("pre", pre), ("gbr", GradientBoostingRegressor(n_estimators=300, max_depth=3))])
X_train, X_test, y_train, y_test = train_test_split(df, y, test_size=0.2, random_state=0)
model.fit(X_train, y_train)
print("R2:", model.score(X_test, y_test))
pickle.dump(model, open("model.pkl", "wb"))
