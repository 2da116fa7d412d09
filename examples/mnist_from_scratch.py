"""The classic from-scratch MLP on MNIST, with the engine doing the backpropagation.

The experiment is Raschka's ``NeuralNetMLP`` (*Machine Learning with PyTorch and
Scikit-Learn*, ch. 11; *Python Machine Learning*): a 784-50-10 network with
sigmoid hidden and output units, trained on one-hot targets with the mean
squared error, mini-batches of 100, learning rate 0.1, 50 epochs, on 55,000
training, 5,000 validation and 10,000 test digits with the pixels scaled to
[-1, 1].  The book reaches 94.51 % test accuracy
(94.54 % is the validation accuracy it prints for epoch 49).

The book derives the backward pass by hand (``d_loss__d_a_out = 2 (a_out - y) / n``
and so on through both layers).  Here the forward pass and the loss are written
out just as explicitly, but the gradients come from ``loss.backward()`` and the
update is plain SGD (``optim.SGD``, ``w <- w - lr * grad``).  The loss
differentiated is the squared error summed over the 10 outputs and averaged over
the batch, because that is the function whose gradient the book's hand-derived
``2 (a_out - y) / n`` is; the MSE printed per epoch is the book's (averaged over
all outputs too).  Weights start as in the book, N(0, 0.1²), biases at zero.

Command (full data, under a minute on a 2-core CPU)::

    AUTOGRAD_CORE_DATA=../shared/data python examples/mnist_from_scratch.py

``--smoke`` trains one epoch on the 5,000 digits shipped with the package.
Figure: ``mnist_from_scratch.png`` (loss, and train/validation accuracy per epoch).
"""

from __future__ import annotations

import numpy as np
from _common import ag, load_full_data, make_parser, pyplot, save_figure, start, summary

from autograd_core import datasets
from autograd_core.nn import functional as F
from autograd_core import optim

N_HIDDEN, N_CLASSES = 50, 10


def load(args):
    """(train, valid, test) as float32 pixels in [-1, 1] and int labels."""
    if args.smoke:
        (X, y), (X_test, y_test) = datasets.load_mnist_small()
        n_valid = 500
    else:
        (X, y), (X_test, y_test) = load_full_data(datasets.load_mnist, args,
                                                  "The full MNIST data")
        n_valid = 5000
    scale = lambda images: (images.reshape(len(images), -1).astype(np.float32) / 255.0 - 0.5) * 2
    X, X_test = scale(X), scale(X_test)
    return (X[:-n_valid], y[:-n_valid]), (X[-n_valid:], y[-n_valid:]), (X_test, y_test)


class NeuralNetMLP:
    """784-50-10, sigmoid hidden and output units, as in the book (weights ``(in, out)``)."""

    def __init__(self, n_features, n_hidden, n_classes, seed, device):
        rng = np.random.default_rng(seed)
        normal = lambda *shape: ag.tensor(rng.normal(0.0, 0.1, shape).astype(np.float32),
                                          device=device, requires_grad=True)
        zeros = lambda n: ag.zeros(n, dtype="float32", device=device, requires_grad=True)
        self.weight_h, self.bias_h = normal(n_features, n_hidden), zeros(n_hidden)
        self.weight_out, self.bias_out = normal(n_hidden, n_classes), zeros(n_classes)

    def parameters(self):
        """The weights and biases, for the optimizer."""
        return [self.weight_h, self.bias_h, self.weight_out, self.bias_out]

    def forward(self, x):
        """The sigmoid outputs ``a_out`` (one per class, in (0, 1)) for the inputs ``x``."""
        a_h = F.sigmoid(x @ self.weight_h + self.bias_h)            # hidden layer
        return F.sigmoid(a_h @ self.weight_out + self.bias_out)     # output layer


def evaluate(model, X, y, device, batch_size=1000):
    """The book's ``compute_mse_and_acc``: MSE over all outputs, and accuracy."""
    se, correct = 0.0, 0
    with ag.no_grad():
        for i in range(0, len(X), batch_size):
            xb = ag.tensor(X[i:i + batch_size], device=device)
            onehot = ag.tensor(datasets.one_hot(y[i:i + batch_size], N_CLASSES, dtype=np.float32),
                               device=device)
            probas = model.forward(xb)
            se += float(((probas - onehot) ** 2).sum().item())
            correct += int((probas.argmax(axis=1).numpy() == y[i:i + batch_size]).sum())
    return se / (len(X) * N_CLASSES), correct / len(X)


def train(model, train_set, valid_set, args, lr=0.1, batch_size=100):
    """The book's training loop (shuffled whole mini-batches, SGD); the per-epoch curves."""
    X, y = train_set
    optimizer = optim.SGD(model.parameters(), lr=lr)
    rng = np.random.default_rng(args.seed)
    curves = {"mse": [], "train_acc": [], "valid_acc": []}
    for epoch in range(args.epochs):
        order = rng.permutation(len(X))
        for i in range(0, len(X) - batch_size + 1, batch_size):   # whole batches, as the book
            idx = order[i:i + batch_size]
            xb = ag.tensor(X[idx], device=args.device)
            onehot = ag.tensor(datasets.one_hot(y[idx], N_CLASSES, dtype=np.float32),
                               device=args.device)
            probas = model.forward(xb)
            loss = ((probas - onehot) ** 2).sum(axis=1).mean()
            optimizer.zero_grad()
            loss.backward()          # replaces the book's hand-derived backward pass
            optimizer.step()         # w <- w - lr * dL/dw
        mse, train_acc = evaluate(model, X, y, args.device)
        _, valid_acc = evaluate(model, *valid_set, args.device)
        for key, value in zip(curves, (mse, train_acc, valid_acc)):
            curves[key].append(value)
        print(f"epoch {epoch + 1:03d}/{args.epochs:03d} | train MSE {mse:.4f} | "
              f"train acc {100 * train_acc:.2f}% | valid acc {100 * valid_acc:.2f}%", flush=True)
    return curves


def plot(curves, out):
    """The training MSE, and training and validation accuracy, per epoch."""
    plt = pyplot()
    if plt is None:
        return
    epochs = np.arange(1, len(curves["mse"]) + 1)
    fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(10, 4))
    ax_loss.plot(epochs, curves["mse"])
    ax_loss.set(xlabel="epoch", ylabel="mean squared error", title="training loss")
    ax_acc.plot(epochs, 100 * np.array(curves["train_acc"]), label="training")
    ax_acc.plot(epochs, 100 * np.array(curves["valid_acc"]), label="validation",
                linestyle="--")
    ax_acc.set(xlabel="epoch", ylabel="accuracy (%)", title="accuracy")
    ax_acc.legend(loc="lower right")
    save_figure(fig, out, "mnist_from_scratch.png")


def main(argv=None):
    """Parse ``argv``, train and test the network, draw its curves; return the test accuracy."""
    parser = make_parser(__doc__, epochs=50)
    args = parser.parse_args(argv)
    start(args)
    train_set, valid_set, (X_test, y_test) = load(args)
    print(f"train {len(train_set[0])}, validation {len(valid_set[0])}, test {len(X_test)} digits")
    model = NeuralNetMLP(784, N_HIDDEN, N_CLASSES, args.seed, args.device)
    curves = train(model, train_set, valid_set, args)
    _, test_acc = evaluate(model, X_test, y_test, args.device)
    plot(curves, args.out)
    summary("mnist_from_scratch", test_accuracy=test_acc,
            valid_accuracy=curves["valid_acc"][-1] if curves["valid_acc"] else float("nan"),
            epochs=args.epochs)
    return test_acc


if __name__ == "__main__":
    main()
