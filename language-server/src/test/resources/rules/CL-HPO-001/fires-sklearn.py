# expect: CL-HPO-001 at 20:10
"""Gradient-boosting hyperparameters on the California housing data: a 4 x 4 x 3 x 3 grid, 5-fold CV."""
from sklearn.datasets import fetch_california_housing
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.model_selection import GridSearchCV, KFold

X, y = fetch_california_housing(return_X_y=True)

param_grid = {
    "learning_rate": [0.01, 0.03, 0.1, 0.3],
    "max_leaf_nodes": [15, 31, 63, 127],
    "min_samples_leaf": [10, 20, 50],
    "l2_regularization": [0.0, 0.1, 1.0],
}

model = HistGradientBoostingRegressor(max_iter=500, random_state=0)

# 144 combinations x 5 folds = 720 fits.
cv = KFold(n_splits=5, shuffle=True, random_state=0)
search = GridSearchCV(model, param_grid, cv=cv, scoring="neg_root_mean_squared_error", n_jobs=-1)
search.fit(X, y)
print(search.best_params_, -search.best_score_)
