import pickle

import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split

df = pd.read_csv("data/hr_employee_attrition.csv")
y = (df.pop("Attrition") == "Yes").astype(int)
X = pd.get_dummies(df.drop(columns=["EmployeeNumber"]), drop_first=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, stratify=y, random_state=7)
clf = RandomForestClassifier(n_estimators=400, class_weight="balanced", random_state=7).fit(X_train, y_train)
print("accuracy", clf.score(X_test, y_test))
pickle.dump({"model": clf, "columns": list(X.columns)}, open("model.pkl", "wb"))
