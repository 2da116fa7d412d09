"""A small MLP on spirals, moons or circles, in the spirit of the TensorFlow Playground.

The TensorFlow Playground (Smilkov and Carter, playground.tensorflow.org, the
exercise in Géron's ch. 10) trains a tiny network on 2-D toy problems in the
browser and paints the decision regions as it learns.  It shows what hidden
layers buy: circles need a curved boundary (one hidden layer of a few units),
and the two interleaved spirals need a deeper or wider network and more
training before the regions wind around each other.

The script draws a data set (``--dataset spirals|moons|circles``, with noise),
splits it 50/50 into training and test points as the Playground does,
standardises the two inputs (fitted on the training points; on the raw
[-1, 1]-sized inputs the tanh units start nearly linear and the spirals sit on
a loss plateau for hundreds of epochs), trains
an ``nn.MLP`` (tanh hidden units, the Playground's default; ``--hidden`` sets
the widths) with Adam and cross-entropy under ``nn.fit``, and paints the
learned regions under the test points.

Commands::

    python examples/playground.py --dataset spirals
    python examples/playground.py --dataset moons
    python examples/playground.py --dataset circles

Figure: ``playground_<dataset>.png`` (decision regions with the training and
test points, and the loss per epoch).
"""

from __future__ import annotations

import numpy as np
from _common import make_parser, pyplot, save_figure, start, summary, to_numpy

from autograd_core import datasets
from autograd_core import nn

MAKERS = {
    "spirals": lambda n, seed: datasets.make_spirals(n, noise=0.05, turns=1.25,
                                                      random_state=seed),
    "moons": lambda n, seed: datasets.make_moons(n, noise=0.2, random_state=seed),
    "circles": lambda n, seed: datasets.make_circles(n, noise=0.1, factor=0.5,
                                                      random_state=seed),
}
HIDDEN = {"spirals": [16, 16], "moons": [8], "circles": [4]}


def plot(model, scaler, name, train, test, history, out):
    """The learned class-1 probability over the plane under the points, and the loss curves."""
    plt = pyplot()
    if plt is None:
        return
    X = np.vstack([train[0], test[0]])
    lo, hi = X.min(axis=0) - 0.25, X.max(axis=0) + 0.25
    xx, yy = np.meshgrid(np.linspace(lo[0], hi[0], 250), np.linspace(lo[1], hi[1], 250))
    grid = np.column_stack([xx.ravel(), yy.ravel()]).astype(np.float32)
    logits = nn.predict(model, scaler.transform(grid).astype(np.float32))
    probs = to_numpy(nn.functional.softmax(logits, axis=1))
    fig, (ax, ax_loss) = plt.subplots(1, 2, figsize=(11, 4.8),
                                      gridspec_kw={"width_ratios": [1.1, 1]})
    ax.contourf(xx, yy, probs[:, 1].reshape(xx.shape), levels=np.linspace(0, 1, 21),
                cmap="RdBu", alpha=0.75)
    for (X_part, y_part), marker, label in ((train, "o", "train"), (test, "^", "test")):
        ax.scatter(X_part[:, 0], X_part[:, 1], c=y_part, cmap="RdBu", vmin=-0.3, vmax=1.3,
                   marker=marker, s=18, edgecolors="k", linewidths=0.5, label=label)
    ax.set(title=f"{name}: decision regions (MLP 2-{'-'.join(map(str, model_widths(model)))})",
           xlabel="$x_1$", ylabel="$x_2$", aspect="equal")
    ax.legend(loc="lower right")
    epochs = np.arange(1, len(history) + 1)
    ax_loss.plot(epochs, history["loss"], label="training loss")
    ax_loss.plot(epochs, history["val_loss"], label="test loss", linestyle="--")
    ax_loss.set(xlabel="epoch", ylabel="cross-entropy", yscale="log", title="loss")
    ax_loss.legend()
    save_figure(fig, out, f"playground_{name}.png")


def model_widths(model):
    """The output widths of the model's ``Linear`` layers, e.g. ``[16, 16, 2]``."""
    return [m.out_features for m in model.modules() if isinstance(m, nn.Linear)]


def main(argv=None):
    """Parse ``argv``, train on the chosen data set, draw it; return the test accuracy."""
    parser = make_parser(__doc__, epochs=200, smoke_epochs=20)
    parser.add_argument("--dataset", choices=sorted(MAKERS), default="spirals")
    parser.add_argument("--samples", type=int, default=None,
                        help="points, half for training (default 1000; 200 with --smoke)")
    parser.add_argument("--hidden", type=int, nargs="+", default=None,
                        help="hidden widths (default spirals 16 16, moons 8, circles 4)")
    parser.add_argument("--lr", type=float, default=0.01, help="Adam learning rate (0.01)")
    parser.add_argument("--batch-size", type=int, default=10,
                        help="mini-batch size (10, the Playground's default)")
    args = parser.parse_args(argv)
    start(args)
    n = args.samples or (200 if args.smoke else 1000)
    X, y = MAKERS[args.dataset](n, args.seed)
    X = X.astype(np.float32)
    X_train, X_test, y_train, y_test = datasets.train_test_split(
        X, y, test_size=0.5, random_state=args.seed, stratify=y)

    scaler = datasets.StandardScaler().fit(X_train)
    scaled = lambda X: scaler.transform(X).astype(np.float32)

    model = nn.MLP(2, args.hidden or HIDDEN[args.dataset], 2, activation="tanh",
                   device=args.device)
    history = nn.fit(model, scaled(X_train), y_train, loss="cross_entropy", optimizer="adam",
                     lr=args.lr, epochs=args.epochs, batch_size=args.batch_size,
                     validation_data=(scaled(X_test), y_test), metrics=["accuracy"], seed=args.seed,
                     verbose=0)
    train = nn.evaluate(model, scaled(X_train), y_train, metrics=["accuracy"])
    test = nn.evaluate(model, scaled(X_test), y_test, metrics=["accuracy"])
    print(f"{args.dataset}: {len(X_train)} training / {len(X_test)} test points, "
          f"MLP 2-{'-'.join(map(str, model_widths(model)))}, {args.epochs} epochs: "
          f"train accuracy {train['accuracy']:.3f} (loss {train['loss']:.3f}), "
          f"test accuracy {test['accuracy']:.3f} (loss {test['loss']:.3f})")
    plot(model, scaler, args.dataset, (X_train, y_train), (X_test, y_test), history, args.out)
    summary("playground", dataset=args.dataset, train_accuracy=train["accuracy"],
            test_accuracy=test["accuracy"], test_loss=test["loss"], epochs=args.epochs)
    return test["accuracy"]


if __name__ == "__main__":
    main()
