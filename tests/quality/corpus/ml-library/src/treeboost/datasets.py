import os

import numpy as np

HERE = os.path.dirname(__file__)

ADULT_COLUMNS = ["age", "workclass", "fnlwgt", "education", "education-num", "marital-status", "occupation",
                 "relationship", "race", "sex", "capital-gain", "capital-loss", "hours-per-week", "native-country"]


def load_iris():
    data = np.genfromtxt(os.path.join(HERE, "data", "iris.csv"), delimiter=",", skip_header=1, dtype=str)
    return data[:, :4].astype(float), data[:, 4]


def fetch_adult(data_home=None):
    """Download the UCI Adult census benchmark (income above 50K) with its column names."""
    from sklearn.datasets import fetch_openml

    return fetch_openml("adult", version=2, as_frame=True, data_home=data_home)
