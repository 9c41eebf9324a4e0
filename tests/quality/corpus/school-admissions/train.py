import pandas as pd
from skl2onnx import to_onnx
from sklearn.linear_model import LinearRegression

df = pd.read_csv("data/Admission_Predict.csv")
df.columns = [c.strip() for c in df.columns]
X = df.drop(columns=["Serial No.", "Chance of Admit"]).astype("float32")
model = LinearRegression().fit(X, df["Chance of Admit"])
open("model/admit_model.onnx", "wb").write(to_onnx(model, X[:1].values).SerializeToString())
