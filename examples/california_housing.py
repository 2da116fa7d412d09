"""Géron's regression MLP on California housing: 8-50-50-50-1, ReLU, Adam, early stopping.

The experiment is the regression MLP of Géron's *Hands-On Machine Learning*
(3rd ed., ch. 10): predict the median house value of a California block group
(in $100,000) from its 8 numeric features (median income, house age, average
rooms, ...; the 20,640 rows of the 1990 census that scikit-learn's
``fetch_california_housing`` gives).  The rows are split as in the book,
``train_test_split(..., random_state=42)`` twice: 11,610 training, 3,870
validation and 5,160 test rows.  The inputs are standardised with
``datasets.StandardScaler`` fitted on the training rows only (the book's
``Normalization`` layer adapted to ``X_train``).  The network has three hidden
layers of 50 ReLU units and one linear output, and is trained on the mean
squared error with Adam (rate 0.001, mini-batches of 32), with early stopping
on the validation loss (patience 10, the best epoch's weights restored).
The book reaches a test RMSE of about 0.53 (and a validation R² of about 0.79).

The network is an ``nn.MLP`` under ``nn.fit`` with ``nn.EarlyStopping`` and
the ``rmse`` and ``r2`` metrics.

Command (full data; about 5 s on a 2-core CPU)::

    AUTOGRAD_CORE_DATA=../shared/data python examples/california_housing.py

``--smoke`` trains on a small synthetic linear problem (``datasets.make_regression``,
800 rows, 8 features, targets scaled to unit variance) instead of the real data.
Figure: ``california_housing.png`` (test predictions against targets, and the
learning curves).
"""

from __future__ import annotations


import numpy as np
from _common import (best_epoch, load_full_data, make_parser, pyplot, save_figure, start,
                     summary, to_numpy)

from autograd_core import datasets
from autograd_core import nn
from autograd_core import optim

BATCH_SIZE = 32
SPLIT_SEED = 42  # Géron's random_state for both splits


def load(args, smoke_rows=800):
    """(X, y) float64: the 20,640 census rows, or with --smoke a synthetic stand-in of
    ``smoke_rows`` rows (8 features, targets scaled to unit variance)."""
    if args.smoke:
        X, y = datasets.make_regression(smoke_rows, 8, n_informative=6, noise=10.0,
                                        random_state=args.seed)
        return X, y / y.std()
    return load_full_data(
        lambda d, **kw: datasets.load_california_housing(d, return_X_y=True, **kw), args,
        "The California housing data")


def load_splits(args, smoke_rows=800):
    """The book's splits of :func:`load`'s rows (``train_test_split(random_state=42)``
    twice): ``(X_train, X_valid, X_test), (y_train, y_valid, y_test)``, the inputs
    standardised on the training rows (float32), the targets as loaded."""
    X, y = load(args, smoke_rows)
    X_train_full, X_test, y_train_full, y_test = datasets.train_test_split(
        X, y, random_state=SPLIT_SEED)
    X_train, X_valid, y_train, y_valid = datasets.train_test_split(
        X_train_full, y_train_full, random_state=SPLIT_SEED)
    scaler = datasets.StandardScaler().fit(X_train)          # training rows only
    scaled = (scaler.transform(a).astype(np.float32) for a in (X_train, X_valid, X_test))
    return tuple(scaled), (y_train, y_valid, y_test)


def plot(y_test, y_pred, history, best, rmse, out, smoke):
    """Test predictions against targets, and the RMSE per epoch with the best epoch marked."""
    plt = pyplot()
    if plt is None:
        return
    from matplotlib.ticker import MaxNLocator  # noqa: PLC0415 - optional dependency

    fig, (ax, ax_loss) = plt.subplots(1, 2, figsize=(11, 4.8))
    ax.scatter(y_test, y_pred, s=4, alpha=0.3)
    lo, hi = min(y_test.min(), y_pred.min()), max(y_test.max(), y_pred.max())
    ax.plot([lo, hi], [lo, hi], color="k", linewidth=1, label="prediction = target")
    unit = "" if smoke else " ($100,000)"
    ax.set(xlabel=f"target{unit}", ylabel=f"prediction{unit}", aspect="equal",
           title=f"test set: RMSE {rmse:.3f}")
    ax.legend(loc="upper left")
    epochs = np.arange(1, len(history) + 1)
    ax_loss.plot(epochs, history["rmse"], label="training")
    ax_loss.plot(epochs, history["val_rmse"], linestyle="--", label="validation")
    ax_loss.axvline(best + 1, color="gray", linestyle=":", label=f"best epoch ({best + 1})")
    ax_loss.set(xlabel="epoch", ylabel="RMSE", title="learning curves", yscale="log")
    ax_loss.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax_loss.legend()
    save_figure(fig, out, "california_housing.png")


def main(argv=None):
    """Parse ``argv``, train and test the network, draw the figure; return the test RMSE."""
    parser = make_parser(__doc__, epochs=100, smoke_epochs=20, seed=42,
                         epochs_help="most training epochs (early stopping may end sooner)")
    parser.add_argument("--lr", type=float, default=1e-3, help="Adam learning rate (0.001)")
    parser.add_argument("--patience", type=int, default=10,
                        help="epochs without a better validation loss before stopping (10)")
    args = parser.parse_args(argv)
    start(args)
    (X_train, X_valid, X_test), (y_train, y_valid, y_test) = load_splits(args)
    print(f"{'synthetic (smoke)' if args.smoke else 'California housing'}: train "
          f"{len(X_train)}, validation {len(X_valid)}, test {len(X_test)} rows, "
          f"{X_train.shape[1]} features")
    column = lambda y: y.astype(np.float32).reshape(-1, 1)    # the model outputs (n, 1)

    model = nn.MLP(X_train.shape[1], [50, 50, 50], 1, activation="relu", device=args.device)
    stopper = nn.EarlyStopping(monitor="val_loss", patience=args.patience,
                               restore_best_weights=True)
    history = nn.fit(model, X_train, column(y_train), loss="mse",
                     optimizer=optim.Adam(model.parameters(), lr=args.lr), epochs=args.epochs,
                     batch_size=BATCH_SIZE, validation_data=(X_valid, column(y_valid)),
                     metrics=["rmse", "r2"], callbacks=[stopper], seed=args.seed, verbose=2)
    best, kept = best_epoch(stopper, history)
    print(f"{kept}: validation RMSE "
          f"{history['val_rmse'][best]:.4f}, R² {history['val_r2'][best]:.4f}")
    test = nn.evaluate(model, X_test, column(y_test), loss="mse", metrics=["rmse", "r2"])
    print(f"test RMSE {test['rmse']:.4f} (MSE {test['loss']:.4f}), R² {test['r2']:.4f}")
    y_pred = to_numpy(nn.predict(model, X_test)).ravel()
    plot(y_test, y_pred, history, best, test["rmse"], args.out, args.smoke)
    summary("california_housing", test_rmse=test["rmse"], test_r2=test["r2"],
            valid_rmse=history["val_rmse"][best], valid_r2=history["val_r2"][best],
            best_epoch=best + 1, epochs_run=len(history))
    return test["rmse"]


if __name__ == "__main__":
    main()
