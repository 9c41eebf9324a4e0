import joblib
import pandas as pd
from optbinning import BinningProcess, Scorecard
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

df = pd.read_csv("data/german_credit.csv")
y = (df.pop("class") == "bad").astype(int)
X_train, X_test, y_train, y_test = train_test_split(df, y, test_size=0.3, stratify=y, random_state=42)

binning = BinningProcess(variable_names=list(df.columns), selection_criteria={"iv": {"min": 0.02}})
scorecard = Scorecard(binning_process=binning, estimator=LogisticRegression(max_iter=1000),
                      scaling_method="pdo_odds", scaling_method_params={"pdo": 20, "odds": 50, "scorecard_points": 600})
scorecard.fit(X_train, y_train)
print(scorecard.table(style="summary"))
joblib.dump(scorecard, "model/scorecard.pkl")
