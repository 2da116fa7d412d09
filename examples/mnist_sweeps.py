"""Gulli & Pal's Keras chapter 1 experiments on MNIST: the summary table and the sweeps.

*Deep Learning with Keras* (ch. 1) improves a Keras MNIST network step by step
and then varies one setting at a time.  Every run here is the chapter's set-up:
pixels / 255 flattened to 784, softmax cross-entropy, batch 128, the last 20 %
of the training digits held out (Keras' ``validation_split=0.2``), Keras'
optimizer defaults (SGD 0.01; RMSprop 0.001, ρ 0.9, ε 1e-7; Adam 0.001, ε 1e-7)
and Keras' ``Dense`` initialisation (Glorot-uniform weights, zero biases).

``--sweep summary`` trains the set-ups of the chapter's summary table (book test
accuracy in brackets):

* ``softmax``: 784-10, SGD, 200 epochs (92.22 %)
* ``hidden``: 784-128-128-10 ReLU, SGD, 20 epochs (94.41 %)
* ``dropout20``: the same with dropout 0.3, SGD, 20 epochs (94.25 %)
* ``dropout``: the same, SGD, 250 epochs (97.7 %)
* ``rmsprop``: dropout 0.3, RMSprop, 20 epochs (97.84 %)
* ``adam``: dropout 0.3, Adam, 20 epochs (97.93 %)

The sweeps vary one setting of 784-128-128-10 with dropout 0.3 (``--optimizer``,
default adam; ``--epochs`` per run, default 20) and draw the chapter's kind of
figure, accuracy (training, validation, test) against the swept value, with the
time per epoch beside it for ``hidden`` and ``batch``:

* ``epochs``: one run of ``max(values)`` epochs, tested after each listed epoch
* ``dropout``: the dropout probability
* ``lr``: the learning rate
* ``hidden``: the width of both hidden layers
* ``batch``: the batch size
* ``l2``: an ``nn.L2(λ)`` weight regulariser on every layer (Keras'
  ``kernel_regularizer=regularizers.l2(λ)``), added to the loss by ``nn.fit``

``--values 0.1,0.2`` replaces a sweep's values; ``--setups adam,rmsprop`` picks
summary rows; ``--epochs`` overrides every run's epoch count (for the summary too:
the full counts are the book's, 200 and 250 epochs take a while on a CPU).

Commands (full data)::

    AUTOGRAD_CORE_DATA=../shared/data python examples/mnist_sweeps.py --sweep summary
    AUTOGRAD_CORE_DATA=../shared/data python examples/mnist_sweeps.py --sweep hidden

``--smoke`` runs a few short runs on the 5,000 digits shipped with the package.
Figures: ``mnist_sweeps_<sweep>.png``; results also in ``mnist_sweeps_<sweep>.csv``.
The figures are reproducible at the same BLAS thread count (float32 matrix
products round differently with 1 and 2 OpenBLAS threads): the count is printed
and in the CSV and SUMMARY line.
"""

from __future__ import annotations

import csv
import os
import time

import numpy as np
from _common import make_parser, pyplot, save_figure, start, summary
# the chapter's set-up: data, batch size, held-out fraction, Keras' optimizer defaults
from mnist_mlp import BATCH_SIZE, VALIDATION_SPLIT, load
from mnist_mlp import OPTIMIZERS as KERAS_OPTIMIZERS

from autograd_core import nn

# name: (hidden widths, dropout, optimizer, epochs, book test accuracy %)
SETUPS = {
    "softmax": ([], 0.0, "sgd", 200, 92.22),
    "hidden": ([128, 128], 0.0, "sgd", 20, 94.41),
    "dropout20": ([128, 128], 0.3, "sgd", 20, 94.25),
    "dropout": ([128, 128], 0.3, "sgd", 250, 97.7),
    "rmsprop": ([128, 128], 0.3, "rmsprop", 20, 97.84),
    "adam": ([128, 128], 0.3, "adam", 20, 97.93),
}
SWEEPS = {
    "epochs": [10, 20, 50, 100, 150, 200],
    "dropout": [0.0, 0.1, 0.2, 0.3, 0.4, 0.5],
    "lr": [0.1, 0.03, 0.01, 0.003, 0.001, 0.0003],
    "hidden": [32, 64, 128, 256, 512, 1024],
    "batch": [32, 64, 128, 256, 512],
    "l2": [0.0, 1e-5, 1e-4, 1e-3, 1e-2],
}
SMOKE_SWEEPS = {"epochs": [1, 2], "dropout": [0.0, 0.3], "lr": [0.01, 0.001],
                "hidden": [16, 32], "batch": [64, 256], "l2": [0.0, 1e-3]}
LABELS = {"epochs": "epochs", "dropout": "dropout probability", "lr": "learning rate",
          "hidden": "hidden units per layer", "batch": "batch size",
          "l2": "L2 factor λ (every layer)"}


def blas_threads() -> str:
    """The BLAS thread count NumPy uses (threadpoolctl if installed, else the environment)."""
    try:
        from threadpoolctl import threadpool_info  # noqa: PLC0415 - optional

        counts = {p["num_threads"] for p in threadpool_info() if p.get("user_api") == "blas"}
        if counts:
            return ",".join(map(str, sorted(counts)))
    except Exception:  # threadpoolctl missing or failing: fall back on the environment
        pass
    return os.environ.get("OPENBLAS_NUM_THREADS") or os.environ.get("OMP_NUM_THREADS") or "?"


def build(hidden, dropout, l2=0.0, device="cpu"):
    """784-hidden-10 with Keras' Dense initialisation, ReLU, dropout, optional L2 on weights."""
    reg = nn.L2(l2) if l2 else None
    layers, width = [], 784
    for units in hidden:
        layers += [nn.Linear(width, units, init="glorot_uniform", weight_regularizer=reg,
                             device=device), nn.ReLU()]
        if dropout:
            layers.append(nn.Dropout(dropout))
        width = units
    layers.append(nn.Linear(width, 10, init="glorot_uniform", weight_regularizer=reg,
                            device=device))
    return nn.Sequential(*layers)


class _TestAt(nn.Callback):
    """Test accuracy after the listed epochs (1-based), for the epochs sweep's single run."""

    def __init__(self, epochs, X_test, y_test):
        self.at, self.X_test, self.y_test, self.results = set(epochs), X_test, y_test, {}

    def on_epoch_end(self, epoch, logs=None):
        if epoch + 1 in self.at:
            test = nn.evaluate(self.model, self.X_test, self.y_test, metrics=["accuracy"])
            self.results[epoch + 1] = (logs["accuracy"], logs["val_accuracy"],
                                       test["accuracy"])


def run(data, args, *, hidden=(128, 128), dropout=0.3, optimizer=None, lr=None, epochs=None,
        batch_size=BATCH_SIZE, l2=0.0, callbacks=()):
    """Train one network; return (train, validation, test accuracy, seconds per epoch)."""
    (X, y), (X_test, y_test) = data
    model = build(list(hidden), dropout, l2, args.device)
    opt = KERAS_OPTIMIZERS[optimizer or args.optimizer](model.parameters(), lr)
    epochs = args.epochs if epochs is None else epochs
    t0 = time.perf_counter()
    history = nn.fit(model, X, y, loss="cross_entropy", optimizer=opt, epochs=epochs,
                     batch_size=batch_size, validation_split=VALIDATION_SPLIT,
                     metrics=["accuracy"], callbacks=list(callbacks), seed=args.seed,
                     verbose=0)
    per_epoch = (time.perf_counter() - t0) / max(epochs, 1)
    test = nn.evaluate(model, X_test, y_test, metrics=["accuracy"])
    return history["accuracy"][-1], history["val_accuracy"][-1], test["accuracy"], per_epoch


def sweep_summary(data, args):
    rows = []
    names = args.setups.split(",") if args.setups else list(SETUPS)
    for name in names:
        hidden, dropout, opt, epochs, book = SETUPS[name]
        epochs = args.epochs_override or (1 if args.smoke else epochs)
        train, val, test, per_epoch = run(data, args, hidden=hidden, dropout=dropout,
                                          optimizer=opt, epochs=epochs)
        rows.append({"setup": name, "epochs": epochs, "train": train, "validation": val,
                     "test": test, "book_test": book, "s_per_epoch": per_epoch})
        print(f"{name:9s} {epochs:4d} epochs: train {100 * train:.2f}%  validation "
              f"{100 * val:.2f}%  test {100 * test:.2f}%  (book {book}%)  "
              f"{per_epoch:.2f} s/epoch", flush=True)
    return rows


def sweep_values(data, args, sweep, values):
    rows = []
    if sweep == "epochs":
        (X_test, y_test) = data[1]
        probe = _TestAt(values, X_test, y_test)
        *_, per_epoch = run(data, args, epochs=max(values), callbacks=[probe])
        for value in sorted(probe.results):
            train, val, test = probe.results[value]
            rows.append({"epochs": value, "train": train, "validation": val, "test": test,
                         "s_per_epoch": per_epoch})
    else:
        for value in values:
            setting = {"dropout": {"dropout": value}, "lr": {"lr": value},
                       "hidden": {"hidden": (int(value), int(value))},
                       "batch": {"batch_size": int(value)}, "l2": {"l2": value}}[sweep]
            train, val, test, per_epoch = run(data, args, **setting)
            rows.append({sweep: value, "epochs": args.epochs, "train": train,
                         "validation": val, "test": test, "s_per_epoch": per_epoch})
    for row in rows:
        print(f"{sweep}={row[sweep]:<8g} train {100 * row['train']:.2f}%  validation "
              f"{100 * row['validation']:.2f}%  test {100 * row['test']:.2f}%  "
              f"{row['s_per_epoch']:.2f} s/epoch", flush=True)
    return rows


def plot(rows, sweep, args):
    plt = pyplot()
    if plt is None or not rows:
        return
    timed = sweep in ("hidden", "batch")
    fig, axes = plt.subplots(1, 2 if timed else 1, figsize=(10 if timed else 5.5, 4),
                             squeeze=False)
    ax = axes[0, 0]
    x = [row[sweep] for row in rows]
    for key in ("train", "validation", "test"):
        ax.plot(x, [100 * row[key] for row in rows], marker="o", label=key)
    ax.set_xlabel(LABELS[sweep])
    ax.set_ylabel("accuracy (%)")
    if sweep in ("lr", "l2", "hidden", "batch") and min(x) > 0:
        ax.set_xscale("log")
    ax.legend()
    ax.grid(alpha=0.3)
    if timed:
        axes[0, 1].plot(x, [row["s_per_epoch"] for row in rows], marker="o", color="C3")
        axes[0, 1].set_xscale("log")
        axes[0, 1].set_xlabel(LABELS[sweep])
        axes[0, 1].set_ylabel("seconds per epoch (CPU)")
        axes[0, 1].grid(alpha=0.3)
    fig.suptitle(f"MNIST 784-128-128-10, {args.optimizer}: {LABELS[sweep]} "
                 f"({rows[0].get('epochs', args.epochs)} epochs per run)"
                 if sweep != "epochs" else f"MNIST 784-128-128-10, {args.optimizer}, "
                 "dropout 0.3: accuracy against epochs")
    save_figure(fig, args.out, f"mnist_sweeps_{sweep}.png")


def plot_summary(rows, args):
    plt = pyplot()
    if plt is None or not rows:
        return
    fig, ax = plt.subplots(figsize=(7, 4))
    x = np.arange(len(rows))
    ax.bar(x - 0.2, [100 * r["test"] for r in rows], 0.4, label="this project (test)")
    ax.bar(x + 0.2, [r["book_test"] for r in rows], 0.4, label="book (test)")
    ax.set_xticks(x, [f"{r['setup']}\n{r['epochs']} ep." for r in rows])
    ax.set_ylim(85, 100)
    ax.set_ylabel("test accuracy (%)")
    ax.legend()
    fig.suptitle("Gulli & Pal ch. 1 summary set-ups on MNIST")
    save_figure(fig, args.out, "mnist_sweeps_summary.png")


def write_csv(rows, sweep, args, threads):
    path = args.out / f"mnist_sweeps_{sweep}.csv"
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=[*rows[0], "blas_threads"])
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, "blas_threads": threads})
    print(f"results: {path}")


def main(argv=None):
    """Parse ``argv``, run the sweep, draw and write its results; return the rows."""
    parser = make_parser(__doc__, epochs=20, smoke_epochs=1,
                         epochs_help="epochs per run of a sweep (the summary uses the book's "
                                     "counts unless --epochs is given)")
    parser.add_argument("--sweep", choices=["summary", *SWEEPS], default="summary")
    parser.add_argument("--optimizer", choices=sorted(KERAS_OPTIMIZERS), default="adam",
                        help="optimizer of the sweeps, at Keras' defaults (default adam)")
    parser.add_argument("--values", default=None,
                        help="comma-separated values of the sweep (default: the script's list)")
    parser.add_argument("--setups", default=None,
                        help=f"comma-separated summary set-ups (default all: {','.join(SETUPS)})")
    args = parser.parse_args(argv)
    args.epochs_override = args.epochs
    start(args)
    threads = blas_threads()
    data = load(args)
    n_train = len(data[0][0])
    print(f"{'MNIST subset (smoke)' if args.smoke else 'MNIST'}: "
          f"train {n_train - int(n_train * VALIDATION_SPLIT)}, validation "
          f"{int(n_train * VALIDATION_SPLIT)}, test {len(data[1][0])}; BLAS threads {threads}")
    if args.sweep == "summary":
        rows = sweep_summary(data, args)
        plot_summary(rows, args)
        key, shown = "setup", [r["setup"] for r in rows]
    else:
        defaults = SMOKE_SWEEPS if args.smoke else SWEEPS
        values = ([float(v) for v in args.values.split(",")] if args.values
                  else defaults[args.sweep])
        if args.sweep in ("epochs", "hidden", "batch"):
            values = [int(v) for v in values]
        rows = sweep_values(data, args, args.sweep, values)
        plot(rows, args.sweep, args)
        key = "tested_after" if args.sweep == "epochs" else args.sweep
        shown = [f"{r[args.sweep]:g}" for r in rows]
    write_csv(rows, args.sweep, args, threads)
    summary("mnist_sweeps", sweep=args.sweep, **{key: ",".join(map(str, shown))},
            test_accuracy=",".join(f"{r['test']:.4f}" for r in rows),
            epochs=",".join(str(r.get("epochs", args.epochs)) for r in rows),
            blas_threads=threads)
    return rows


if __name__ == "__main__":
    main()
