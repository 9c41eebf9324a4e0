import numpy as np

from treeboost import TreeBoostRegressor


def test_fits_a_line():
    X = np.arange(20, dtype=float).reshape(-1, 1)
    y = 2 * X.ravel()
    model = TreeBoostRegressor(n_estimators=50, learning_rate=0.5).fit(X, y)
    assert abs(model.predict(X)[10] - 20) < 2
