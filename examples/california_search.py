"""Géron's randomized hyperparameter search for a California-housing MLP, in scikit-learn.

Géron's notes for *Hands-On Machine Learning* (2nd ed., ch. 10) wrap a Keras
model builder in ``KerasRegressor`` and hand it to ``RandomizedSearchCV``:
``build_model(n_hidden, n_neurons, learning_rate)`` stacks ``n_hidden`` ReLU
layers of ``n_neurons`` units and one linear output, trained on the mean squared
error with SGD at ``learning_rate``; the search draws ``n_hidden`` from 0–3,
``n_neurons`` from 1–99 and ``learning_rate`` from ``reciprocal(3e-4, 3e-2)``, ten
candidates, 3-fold cross-validation, each fit for up to 100 epochs with early
stopping (patience 10) on the validation rows.  ``KerasRegressor.score`` is the
negated loss, so the search ranks by negative MSE (``scoring=
"neg_mean_squared_error"`` here).

Here the builder returns an ``nn.MLP`` and ``nn.estimators.NeuralNetRegressor``
plays ``KerasRegressor``: ``module__n_hidden``, ``module__n_neurons`` and
``optimizer__lr`` are the searched parameters, and ``epochs``,
``validation_data`` and ``callbacks`` go through ``fit`` to ``nn.fit``.  The data
are the book's 11,610 / 3,870 / 5,160 split (``random_state=42``), standardised on
the training rows.

Command (full data; a few minutes on a 2-core CPU)::

    AUTOGRAD_CORE_DATA=../shared/data python examples/california_search.py

``--smoke`` searches 3 candidates with 2 folds for a few epochs on a synthetic
regression set.  Figure: ``california_search.png`` (cross-validated MSE of each
candidate against its learning rate, sized by its width).
"""

from __future__ import annotations

import numpy as np
from _common import make_parser, pyplot, save_figure, start, summary
from california_housing import load_splits  # the book's data, splits and scaling

from autograd_core import nn
from autograd_core.nn.estimators import NeuralNetRegressor


def build_model(in_features, out_features, n_hidden=1, n_neurons=30):
    """Géron's ``build_model``: ``n_hidden`` ReLU layers of ``n_neurons``, a linear output."""
    return nn.MLP(in_features, [int(n_neurons)] * int(n_hidden), out_features)


def plot(search, out):
    plt = pyplot()
    if plt is None:
        return
    res = search.cv_results_
    fig, ax = plt.subplots(figsize=(6.5, 4.5))
    mse = -np.asarray(res["mean_test_score"], dtype=float)
    lr = np.asarray(res["param_optimizer__lr"], dtype=float)
    sizes = 10 + 2 * np.asarray(res["param_module__n_neurons"], dtype=float)
    hidden = np.asarray(res["param_module__n_hidden"], dtype=int)
    points = ax.scatter(lr, mse, s=sizes, c=hidden, cmap="viridis", vmin=0, vmax=3)
    fig.colorbar(points, ax=ax, label="n_hidden")
    ax.set(xscale="log", yscale="log", xlabel="learning rate (SGD)",
           ylabel="cross-validated MSE", title="RandomizedSearchCV candidates (size: n_neurons)")
    save_figure(fig, out, "california_search.png")


def main(argv=None):
    """Parse ``argv``, run the search, test the best model; return ``best_params_``."""
    from scipy.stats import reciprocal  # noqa: PLC0415 - scikit-learn needs SciPy anyway
    from sklearn.model_selection import RandomizedSearchCV  # noqa: PLC0415

    parser = make_parser(__doc__, epochs=100, smoke_epochs=3, seed=42,
                         epochs_help="most epochs per fit (early stopping, patience 10)")
    parser.add_argument("--n-iter", type=int, default=None, help="candidates (default 10)")
    parser.add_argument("--cv", type=int, default=None, help="folds (default 3)")
    parser.add_argument("--n-jobs", type=int, default=1, help="parallel fits (default 1)")
    args = parser.parse_args(argv)
    start(args)
    n_iter = args.n_iter or (3 if args.smoke else 10)
    cv = args.cv or (2 if args.smoke else 3)
    (X_train, X_valid, X_test), (y_train, y_valid, y_test) = load_splits(args, smoke_rows=600)
    print(f"{'synthetic (smoke)' if args.smoke else 'California housing'}: train "
          f"{len(X_train)}, validation {len(X_valid)}, test {len(X_test)}; {n_iter} candidates "
          f"x {cv} folds, up to {args.epochs} epochs each")

    reg = NeuralNetRegressor(build_model, optimizer="sgd", batch_size=32,
                             random_state=args.seed, device=args.device)
    distributions = {"module__n_hidden": [0, 1, 2, 3], "module__n_neurons": np.arange(1, 100),
                     "optimizer__lr": reciprocal(3e-4, 3e-2)}
    search = RandomizedSearchCV(reg, distributions, n_iter=n_iter, cv=cv,
                                scoring="neg_mean_squared_error", random_state=args.seed,
                                n_jobs=args.n_jobs, verbose=1)
    search.fit(X_train, y_train, epochs=args.epochs, validation_data=(X_valid, y_valid),
               callbacks=[nn.EarlyStopping(patience=10)])
    res = search.cv_results_
    for rank, i in sorted(zip(res["rank_test_score"], range(len(res["rank_test_score"])))):
        print(f"rank {rank:2d}: n_hidden={res['param_module__n_hidden'][i]} "
              f"n_neurons={res['param_module__n_neurons'][i]:2d} "
              f"lr={res['param_optimizer__lr'][i]:.5f}: CV MSE "
              f"{-res['mean_test_score'][i]:.4f} ± {res['std_test_score'][i]:.4f}")
    best = {k: (float(v) if k == "optimizer__lr" else int(v))
            for k, v in search.best_params_.items()}
    test_mse = float(np.mean((search.best_estimator_.predict(X_test) - y_test) ** 2))
    print(f"best: {best}, CV MSE {-search.best_score_:.4f}; refitted on the training rows: "
          f"test MSE {test_mse:.4f}, RMSE {np.sqrt(test_mse):.4f}")
    plot(search, args.out)
    summary("california_search", n_hidden=best["module__n_hidden"],
            n_neurons=best["module__n_neurons"], lr=best["optimizer__lr"],
            cv_mse=-search.best_score_, test_rmse=float(np.sqrt(test_mse)),
            candidates=n_iter, folds=cv)
    return best


if __name__ == "__main__":
    main()
