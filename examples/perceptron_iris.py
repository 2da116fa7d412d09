"""Rosenblatt's perceptron on iris: setosa or not, from petal length and width.

The experiment opens Géron's chapter on artificial neural networks (*Hands-On
Machine Learning*, ch. 10): a single threshold logic unit trained with the
perceptron rule on two features of Fisher's iris data, petal length and petal
width (cm), to tell Iris setosa from the other two species.  The classes are
linearly separable, so by the perceptron convergence theorem the rule stops
after finitely many epochs with every flower classified right; the book's
model then predicts setosa for a flower with petals 2 cm x 0.5 cm and not for
one with 3 cm x 1 cm.  Any line between the two clusters is a solution, and which
one the rule finds depends on the order it visits the flowers (``--seed``; 42,
the book's ``random_state``, by default): (3, 1) lies close to the versicolor
cluster, and with some orders the line passes through or beyond it.

``nn.Perceptron`` runs the rule ``w <- w + lr (y - y_hat) x`` one flower at a
time (it is not gradient based: the step has no useful derivative).

Command (the iris file comes from ``--data-dir``/``$AUTOGRAD_CORE_DATA`` when
present, else from the copy shipped with the package)::

    python examples/perceptron_iris.py

Figure: ``perceptron_iris.png`` (the decision boundary over the flowers, and the
misclassifications per epoch).
"""

from __future__ import annotations

import numpy as np
from _common import make_parser, pyplot, save_figure, start, summary, to_numpy

from autograd_core import datasets
from autograd_core import nn

QUERIES = np.array([[2.0, 0.5], [3.0, 1.0]])


def plot(model, X, y, queries, out):
    """The decision regions and boundary over the flowers and queries, and the errors per
    epoch."""
    plt = pyplot()
    if plt is None:
        return
    fig, (ax, ax_err) = plt.subplots(1, 2, figsize=(11, 4), gridspec_kw={"width_ratios": [2, 1]})
    xx, yy = np.meshgrid(np.linspace(0, 7.5, 300), np.linspace(0, 3, 200))
    regions = to_numpy(model.predict(np.column_stack([xx.ravel(), yy.ravel()]))).reshape(xx.shape)
    ax.contourf(xx, yy, regions, levels=[-0.5, 0.5, 1.5], colors=["#fafab0", "#9898ff"],
                alpha=0.6)
    (w1, w2), b = model.weight.numpy()[:, 0], float(model.bias.numpy()[0])
    line_x = np.array([0.0, 7.5])
    ax.plot(line_x, -(w1 * line_x + b) / w2, "k-", linewidth=2, label="decision boundary")
    ax.plot(X[y == 1, 0], X[y == 1, 1], "bs", label="Iris setosa")
    ax.plot(X[y == 0, 0], X[y == 0, 1], "yo", markeredgecolor="k",
            label="not setosa (versicolor, virginica)")
    for (length, width), is_setosa in zip(queries, to_numpy(model.predict(queries))):
        ax.plot(length, width, "r*", markersize=14)
        ax.annotate(f"({length:g}, {width:g}): {'setosa' if is_setosa else 'not setosa'}",
                    (length, width), textcoords="offset points", xytext=(8, -12), color="r")
    ax.set(xlim=(0, 7.5), ylim=(0, 3), xlabel="petal length (cm)", ylabel="petal width (cm)",
           title="perceptron: Iris setosa or not")
    ax.legend(loc="upper left")
    ax_err.plot(np.arange(1, len(model.errors_) + 1), model.errors_, "o-")
    ax_err.set(xlabel="epoch", ylabel="misclassified flowers", title="perceptron rule")
    ax_err.xaxis.get_major_locator().set_params(integer=True)
    save_figure(fig, out, "perceptron_iris.png")


def main(argv=None):
    """Parse ``argv``, train the perceptron, classify the queries; return the accuracy."""
    parser = make_parser(__doc__, epochs=100, smoke_epochs=100, seed=42,
                         epochs_help="at most this many epochs (it stops at the first "
                                     "epoch without error)")
    args = parser.parse_args(argv)
    start(args)
    iris = datasets.load_iris(args.data_dir)
    X = iris.data[:, 2:4]                       # petal length, petal width
    y = (iris.target == 0).astype(float)        # 1: Iris setosa
    print(f"iris: {len(X)} flowers from {iris.filename}")

    model = nn.Perceptron(2, lr=1.0, max_epochs=args.epochs, generator=args.seed,
                          device=args.device)
    model.fit(X, y)
    accuracy = model.score(X, y)
    setosa_small, setosa_large = (bool(p) for p in to_numpy(model.predict(QUERIES)))
    w, b = model.weight.numpy()[:, 0], float(model.bias.numpy()[0])
    print(f"converged={model.converged_} after {model.n_epochs_} epochs; errors per epoch "
          f"{model.errors_}")
    print(f"weights [{w[0]:.2f}, {w[1]:.2f}], bias {b:.2f}: setosa when "
          f"{w[0]:.2f} * length + {w[1]:.2f} * width + {b:.2f} >= 0")
    for (length, width), z in zip(QUERIES, QUERIES @ w + b):
        print(f"petals {length:g} x {width:g} cm: net input {z:+.2f} -> "
              f"{'setosa' if z >= 0 else 'not setosa'}")
    plot(model, X, y, QUERIES, args.out)
    summary("perceptron_iris", accuracy=accuracy, epochs=model.n_epochs_,
            **{"setosa(2,0.5)": setosa_small, "setosa(3,1)": setosa_large})
    return accuracy


if __name__ == "__main__":
    main()
