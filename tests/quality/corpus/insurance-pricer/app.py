import pickle

import pandas as pd
from flask import Flask, render_template, request

app = Flask(__name__)
model = pickle.load(open("model.pkl", "rb"))
LOADING = 1.15


@app.route("/", methods=["GET", "POST"])
def quote():
    premium = None
    if request.method == "POST":
        applicant = pd.DataFrame([{
            "age": int(request.form["age"]), "sex": request.form["sex"], "bmi": float(request.form["bmi"]),
            "children": int(request.form["children"]), "smoker": request.form["smoker"],
            "region": request.form["region"],
        }])
        premium = round(float(model.predict(applicant)[0]) * LOADING, 2)
    return render_template("index.html", premium=premium)
