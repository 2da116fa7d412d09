"""Géron's Fashion-MNIST classifier: a 784-300-100-10 ReLU MLP, Adam, early stopping.

The experiment is the first Keras model of Géron's *Hands-On Machine Learning*
(ch. 10): Fashion-MNIST's 28x28 grey images of clothes, flattened and min-max
scaled to [0, 1], classified by an MLP with two hidden layers of 300 and 100
ReLU units and 10 softmax outputs, trained with the cross-entropy.  Here it is
trained with Adam (rate 0.001, mini-batches of 32), with the last 10 % of the
training images held out for validation and early stopping on the validation
loss (patience 5, the best epoch's weights restored).  The book reaches about
87-89 % test accuracy.

The scaling is ``datasets.MinMaxScaler`` fitted on the training pixels, one
range for all of them (0-255 maps to 0-1: Géron's ``X / 255.``).  The network
is an ``nn.MLP`` under ``nn.fit`` with ``nn.EarlyStopping``; it outputs
logits, and ``nn.functional.softmax`` turns them into the class probabilities
printed for the first test images (the book's ``model.predict(X_new)``).

Command (full data; about 20 s on a 2-core CPU, early stopping after 10-12 epochs)::

    AUTOGRAD_CORE_DATA=../shared/data python examples/fashion_mnist_mlp.py

``--smoke`` trains two epochs on the MNIST digits shipped with the package
(class names "0"-"9").  Figures: ``fashion_mnist_samples.png`` (training
images with their class names), ``fashion_mnist_predictions.png`` (the first
test images and the model's class probabilities) and
``fashion_mnist_mlp.png`` (learning curves).
"""

from __future__ import annotations


import numpy as np
from _common import (best_epoch, load_full_data, make_parser, plot_history, pyplot, save_figure,
                     start, summary, to_numpy)

from autograd_core import datasets
from autograd_core import nn
from autograd_core import optim

BATCH_SIZE = 32
VALIDATION_SPLIT = 0.1
N_SHOWN = 3  # test images whose probabilities are printed (Géron's X_new = X_test[:3])


def load(args):
    """(train, test) as uint8 images (n, 28, 28) and int labels, and the class names."""
    if args.smoke:
        (X, y), (X_test, y_test) = datasets.load_mnist_small()
        return (X, y), (X_test, y_test), tuple(str(d) for d in range(10))
    (X, y), (X_test, y_test) = load_full_data(datasets.load_fashion_mnist, args,
                                              "The full Fashion-MNIST data")
    return (X, y), (X_test, y_test), datasets.FASHION_MNIST_CLASSES


def plot_samples(images, labels, class_names, out, rows=4, cols=10):
    """The first ``rows * cols`` training images, each titled with its class name."""
    plt = pyplot()
    if plt is None:
        return
    fig, axes = plt.subplots(rows, cols, figsize=(1.3 * cols, 1.5 * rows))
    for ax, image, label in zip(axes.ravel(), images, labels):
        ax.imshow(image, cmap="binary")
        ax.set_title(class_names[label], fontsize=9)
        ax.axis("off")
    fig.suptitle("training images and their classes")
    save_figure(fig, out, "fashion_mnist_samples.png")


def plot_predictions(images, labels, probas, class_names, out):
    """Each image above a bar chart of its class probabilities (true class green, a wrong
    guess red)."""
    plt = pyplot()
    if plt is None:
        return
    n = len(images)
    fig, axes = plt.subplots(2, n, figsize=(3.6 * n, 5.5), gridspec_kw={"height_ratios": [1, 1.1]})
    for i in range(n):
        guess = int(probas[i].argmax())
        axes[0, i].imshow(images[i], cmap="binary")
        axes[0, i].set_title(f"test image {i}: {class_names[labels[i]]}", fontsize=10)
        axes[0, i].axis("off")
        colors = ["tab:green" if k == labels[i] else "tab:red" if k == guess else "tab:gray"
                  for k in range(len(class_names))]
        axes[1, i].barh(np.arange(len(class_names)), probas[i], color=colors)
        axes[1, i].set(yticks=np.arange(len(class_names)), xlim=(0, 1), xlabel="probability",
                       title=f"predicted: {class_names[guess]} ({probas[i, guess]:.2f})")
        axes[1, i].set_yticklabels(class_names, fontsize=8)
        axes[1, i].invert_yaxis()
    save_figure(fig, out, "fashion_mnist_predictions.png")


def main(argv=None):
    """Parse ``argv``, train and test the network, draw the figures; return the test accuracy."""
    parser = make_parser(__doc__, epochs=30, smoke_epochs=2,
                         epochs_help="most training epochs (early stopping may end sooner)")
    parser.add_argument("--lr", type=float, default=1e-3, help="Adam learning rate (0.001)")
    parser.add_argument("--patience", type=int, default=5,
                        help="epochs without a better validation loss before stopping (5)")
    args = parser.parse_args(argv)
    start(args)
    (images, y), (test_images, y_test), class_names = load(args)
    print(f"{'MNIST subset (smoke)' if args.smoke else 'Fashion-MNIST'}: "
          f"{len(images)} training images (the last {int(len(images) * VALIDATION_SPLIT)} "
          f"for validation), {len(test_images)} test images")
    plot_samples(images, y, class_names, args.out)

    # one min-max range for every pixel, fitted on the training images: 0..255 -> 0..1
    flat = lambda imgs: imgs.reshape(-1, 1).astype(np.float32)
    scaler = datasets.MinMaxScaler().fit(flat(images))
    scaled = lambda imgs: scaler.transform(flat(imgs)).reshape(len(imgs), -1)
    X, X_test = scaled(images), scaled(test_images)

    model = nn.MLP(784, [300, 100], 10, activation="relu", device=args.device)
    stopper = nn.EarlyStopping(monitor="val_loss", patience=args.patience,
                               restore_best_weights=True)
    history = nn.fit(model, X, y, loss="cross_entropy",
                     optimizer=optim.Adam(model.parameters(), lr=args.lr), epochs=args.epochs,
                     batch_size=BATCH_SIZE, validation_split=VALIDATION_SPLIT,
                     metrics=["accuracy"], callbacks=[stopper], seed=args.seed, verbose=2)
    best, kept = best_epoch(stopper, history)
    print(f"{kept} (validation loss "
          f"{history['val_loss'][best]:.4f}, accuracy {100 * history['val_accuracy'][best]:.2f}%)")
    test = nn.evaluate(model, X_test, y_test, metrics=["accuracy"])
    print(f"test accuracy {100 * test['accuracy']:.2f}% (test loss {test['loss']:.4f})")

    probas = to_numpy(nn.functional.softmax(nn.predict(model, X_test[:N_SHOWN]), axis=1))
    print(f"class probabilities for the first {N_SHOWN} test images (rounded to 2 decimals):")
    width = max(4, *map(len, class_names))
    print(" " * 6 + " ".join(f"{name:>{width}}" for name in class_names))
    for i, row in enumerate(probas):
        print(f"[{i}]   " + " ".join(f"{p:>{width}.2f}" for p in row)
              + f"   -> {class_names[row.argmax()]} (true: {class_names[y_test[i]]})")
    plot_predictions(test_images[:N_SHOWN], y_test[:N_SHOWN], probas, class_names, args.out)
    plot_history(history, args.out, "fashion_mnist_mlp.png",
                 f"Fashion-MNIST MLP 784-300-100-10, Adam: test accuracy "
                 f"{100 * test['accuracy']:.2f}%")
    summary("fashion_mnist_mlp", test_accuracy=test["accuracy"],
            valid_accuracy=history["val_accuracy"][best], best_epoch=best + 1,
            epochs_run=len(history), predicted=",".join(str(int(k)) for k in probas.argmax(1)),
            true=",".join(str(int(k)) for k in y_test[:N_SHOWN]))
    return test["accuracy"]


if __name__ == "__main__":
    main()
