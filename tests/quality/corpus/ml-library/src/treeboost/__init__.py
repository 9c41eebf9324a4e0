from .booster import TreeBoostClassifier, TreeBoostRegressor  # noqa: F401
