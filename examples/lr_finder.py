"""The learning-rate range test on Fashion-MNIST: sweep the rate, plot the loss, pick one.

Smith's range test (2017), as Géron runs it on Fashion-MNIST (*Hands-On Machine
Learning*, ch. 10-11) and fastai popularised it: train a fresh network for a few
hundred mini-batches while the learning rate grows exponentially, from far too
small to far too large, and plot the loss against the rate.  The loss first
stays flat, then falls faster and faster, then shoots up once the rate is too
large; a good rate is about ten times below that turning point.
``optim.find_lr`` runs the sweep (weights restored afterwards) and suggests a
tenth of the rate at which the smoothed loss was lowest.

The network is Géron's Fashion-MNIST classifier, a 784-300-100-10 ReLU MLP
trained with plain SGD on mini-batches of 32, pixels scaled to [0, 1].  To show
the suggestion is usable, the script then trains that network with SGD at the
suggested rate for ``--epochs`` epochs (``nn.fit``, 5,000 training images held
out for validation) and reports the test accuracy.

Command (full data)::

    AUTOGRAD_CORE_DATA=../shared/data python examples/lr_finder.py

``--smoke`` sweeps and trains on 1,000 digits of the MNIST subset shipped with
the package instead.  Figures: ``lr_finder.png`` (loss against learning rate,
log scale, with the suggestion) and ``lr_finder_training.png`` (learning curves
at the suggested rate).
"""

from __future__ import annotations

import numpy as np
from _common import load_full_data, make_parser, plot_history, pyplot, save_figure, start, summary

from autograd_core import datasets
from autograd_core import nn
from autograd_core.nn import functional as F
from autograd_core import optim

BATCH_SIZE = 32


def load(args):
    """(train, valid, test): float32 pixels in [0, 1], flattened; int labels."""
    if args.smoke:
        (X, y), (X_test, y_test) = datasets.load_mnist_small()
        X, y, X_test, y_test, n_valid = X[:1000], y[:1000], X_test[:500], y_test[:500], 200
    else:
        (X, y), (X_test, y_test) = load_full_data(datasets.load_fashion_mnist, args,
                                                  "The full Fashion-MNIST data")
        n_valid = 5000
    flat = lambda images: images.reshape(len(images), -1).astype(np.float32) / 255.0
    X, X_test = flat(X), flat(X_test)
    return (X[:-n_valid], y[:-n_valid]), (X[-n_valid:], y[-n_valid:]), (X_test, y_test)


def plot(result, history, out):
    """The sweep (loss against rate, with the suggestion) and the training's learning curves."""
    plt = pyplot()
    if plt is None:
        return
    fig, ax = plt.subplots(figsize=(7, 4.5))
    result.plot(ax=ax)
    turning = result.lrs[int(np.argmin(result.losses))]
    ax.axvline(turning, color="gray", linestyle=":", label=f"lowest loss at {turning:.2e}")
    ax.set_ylim(0, 1.4 * result.losses[0])
    ax.set_title("learning-rate range test (784-300-100-10 MLP, SGD, batch 32)")
    ax.legend()
    save_figure(fig, out, "lr_finder.png")
    plot_history(history, out, "lr_finder_training.png")


def main(argv=None):
    """Parse ``argv``, sweep, train at the suggested rate and test; return the suggested rate."""
    parser = make_parser(__doc__, epochs=10, smoke_epochs=1,
                         epochs_help="epochs of training at the suggested rate afterwards")
    parser.add_argument("--num-iter", type=int, default=None,
                        help="mini-batches in the sweep (default 500; 60 with --smoke)")
    parser.add_argument("--start-lr", type=float, default=1e-5, help="first rate (1e-5)")
    parser.add_argument("--end-lr", type=float, default=10.0, help="last rate (10)")
    args = parser.parse_args(argv)
    start(args)
    num_iter = args.num_iter or (60 if args.smoke else 500)
    (X, y), valid, (X_test, y_test) = load(args)
    print(f"{'MNIST subset (smoke)' if args.smoke else 'Fashion-MNIST'}: train {len(X)}, "
          f"validation {len(valid[0])}, test {len(X_test)}")

    model = nn.MLP(784, [300, 100], 10, activation="relu", device=args.device)
    loader = datasets.DataLoader(X, y, batch_size=BATCH_SIZE, seed=args.seed,
                                 device=args.device)
    result = optim.find_lr(model, F.cross_entropy, loader, start_lr=args.start_lr,
                           end_lr=args.end_lr, num_iter=num_iter)
    turning = result.lrs[int(np.argmin(result.losses))]
    print(f"sweep: {len(result.lrs)} mini-batches, rate {result.lrs[0]:.1e} -> "
          f"{result.lrs[-1]:.2e}; lowest smoothed loss {min(result.losses):.3f} at rate "
          f"{turning:.2e}; suggested rate {result.suggested_lr:.2e}")

    optimizer = optim.SGD(model.parameters(), lr=result.suggested_lr)
    history = nn.fit(model, X, y, optimizer=optimizer, epochs=args.epochs,
                     batch_size=BATCH_SIZE, validation_data=valid, metrics=["accuracy"],
                     seed=args.seed, verbose=2)
    test = nn.evaluate(model, X_test, y_test, metrics=["accuracy"])
    plot(result, history, args.out)
    summary("lr_finder", suggested_lr=result.suggested_lr, lowest_loss_lr=turning,
            test_accuracy=test["accuracy"], epochs=args.epochs)
    return result.suggested_lr


if __name__ == "__main__":
    main()
