import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.tree import DecisionTreeRegressor


class _Boosting(BaseEstimator):
    def __init__(self, n_estimators=100, learning_rate=0.1, max_depth=3):
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.max_depth = max_depth

    def _fit(self, X, y, grad):
        self.init_ = float(np.mean(y))
        pred = np.full(len(y), self.init_)
        self.trees_ = []
        for _ in range(self.n_estimators):
            tree = DecisionTreeRegressor(max_depth=self.max_depth).fit(X, -grad(y, pred))
            pred += self.learning_rate * tree.predict(X)
            self.trees_.append(tree)
        return self

    def _raw(self, X):
        return self.init_ + self.learning_rate * sum(t.predict(X) for t in self.trees_)


class TreeBoostRegressor(_Boosting, RegressorMixin):
    def fit(self, X, y):
        return self._fit(X, y, lambda y, p: p - y)

    def predict(self, X):
        return self._raw(X)


class TreeBoostClassifier(_Boosting, ClassifierMixin):
    def fit(self, X, y):
        self.classes_ = np.unique(y)
        return self._fit(X, (y == self.classes_[1]).astype(float), lambda y, p: 1 / (1 + np.exp(-p)) - y)

    def predict_proba(self, X):
        p = 1 / (1 + np.exp(-self._raw(X)))
        return np.column_stack([1 - p, p])

    def predict(self, X):
        return self.classes_[(self.predict_proba(X)[:, 1] > 0.5).astype(int)]
