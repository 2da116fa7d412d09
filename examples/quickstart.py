"""Quick start: train an MLP on the small MNIST subset shipped with the package.

Runs offline in a few seconds on a laptop CPU::

    python examples/quickstart.py                 # 10 epochs, progress bar, test accuracy
    python examples/quickstart.py --epochs 20 --device cuda --plot curves.png
    python examples/quickstart.py --threads 1     # one BLAS thread (often fastest when busy)

It loads 5,000 training and 1,000 test digits (``datasets.load_mnist_small``),
scales the pixels to [0, 1], trains ``nn.MLP(784, [128], 10)`` with Adam and
cross-entropy under ``nn.fit`` (holding out 10 % for validation, with early
stopping on the validation loss), then prints the accuracy on the test digits.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

try:
    import autograd_core as ag
except ImportError:  # run from a source checkout without `pip install -e .`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import autograd_core as ag
from autograd_core import datasets
from autograd_core import nn


def parse_args(argv=None):
    """The command line (``argv``, default ``sys.argv[1:]``) as an ``argparse.Namespace``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=10, help="training epochs (default 10)")
    parser.add_argument("--batch-size", type=int, default=64, help="mini-batch size (default 64)")
    parser.add_argument("--lr", type=float, default=1e-3, help="Adam learning rate (default 1e-3)")
    parser.add_argument("--seed", type=int, default=0, help="seed for weights and shuffling")
    parser.add_argument("--device", default="cpu", help="cpu, cuda or cuda:N (default cpu)")
    parser.add_argument("--threads", type=int, metavar="N", help="BLAS threads (needs "
                        "threadpoolctl; default NumPy's: one per core)")
    parser.add_argument("--plot", metavar="PATH", help="save the learning curves there "
                        "(needs matplotlib)")
    parser.add_argument("--quiet", action="store_true", help="no progress output")
    return parser.parse_args(argv)


def main(argv=None):
    """Parse ``argv``, train and test the MLP, print the result; return the test accuracy."""
    args = parse_args(argv)
    # one line and exit status 1, not a traceback, as the other examples do
    if args.device != "cpu" and not ag.cupy_available():
        sys.exit(f"--device {args.device}: CuPy with a CUDA device is not available here "
                 "(pip install -e '.[cuda]'), or use --device cpu")
    if args.threads is not None:
        try:
            ag.set_num_threads(args.threads)
        except (ImportError, ValueError) as exc:
            sys.exit(f"--threads {args.threads}: {exc}")
    start = time.perf_counter()
    (X_train, y_train), (X_test, y_test) = datasets.load_mnist_small()
    X_train = X_train.reshape(len(X_train), -1).astype(np.float32) / 255.0
    X_test = X_test.reshape(len(X_test), -1).astype(np.float32) / 255.0

    ag.manual_seed(args.seed)
    model = nn.MLP(784, [128], 10, device=args.device)
    history = nn.fit(model, X_train, y_train, loss="cross_entropy", optimizer="adam", lr=args.lr,
                     epochs=args.epochs, batch_size=args.batch_size, validation_split=0.1,
                     metrics=["accuracy"], seed=args.seed, verbose=0 if args.quiet else 1,
                     callbacks=[nn.EarlyStopping(patience=2, restore_best_weights=True)])
    test = nn.evaluate(model, X_test, y_test, metrics=["accuracy"])
    if args.plot:
        history.plot(args.plot)
    print(f"test accuracy: {test['accuracy']:.3f}  (test loss {test['loss']:.3f}, "
          f"{len(history)} epochs, {time.perf_counter() - start:.1f}s)")
    return test["accuracy"]


if __name__ == "__main__":
    main()
