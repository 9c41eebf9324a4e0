import numpy as np
import pandas as pd
import scipy.sparse as sp
from implicit.als import AlternatingLeastSquares

ratings = pd.read_csv("data/ratings.csv")
users = ratings.userId.astype("category")
items = ratings.movieId.astype("category")
matrix = sp.csr_matrix((ratings.rating, (users.cat.codes, items.cat.codes)))
model = AlternatingLeastSquares(factors=64, regularization=0.05, iterations=20)
model.fit(matrix)
np.savez("model/als.npz", user_factors=model.user_factors, item_factors=model.item_factors,
         items=items.cat.categories.values)
