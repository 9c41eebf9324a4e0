import numpy as np
from fastapi import FastAPI

m = np.load("model/als.npz", allow_pickle=True)
app = FastAPI()


@app.get("/users/{user_index}/recommendations")
def recommend(user_index: int, n: int = 10):
    scores = m["item_factors"] @ m["user_factors"][user_index]
    return {"movies": [int(m["items"][i]) for i in np.argsort(-scores)[:n]]}
