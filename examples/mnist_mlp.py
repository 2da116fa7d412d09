"""The Keras MNIST MLP: 784-128-128-10, ReLU, dropout, softmax; SGD, RMSprop or Adam.

The experiment is the classic Keras multilayer perceptron on the MNIST digits
as Gulli and Pal build it up in *Deep Learning with Keras* (ch. 1; also
*Deep Learning with TensorFlow 2 and Keras*): two hidden layers of 128 ReLU
units, each followed by dropout with probability 0.3, and 10 softmax outputs
trained with the cross-entropy, on the pixels divided by 255, in mini-batches
of 128 for 20 epochs, with the last 20 % of the training digits held out for
validation (Keras' ``validation_split=0.2``).  ``--optimizer`` picks the
optimizer at Keras' default settings: SGD at rate 0.01, RMSprop at 0.001
(ρ = 0.9, ε = 1e-7) or Adam at 0.001 (ε = 1e-7).  The book's test accuracies
are 94.25 % with SGD (94.41 % for the network without dropout), 97.84 % with
RMSprop and 97.93 % with Adam.

``--model wide`` trains the network of the Keras repository's own
``mnist_mlp.py`` instead, 784-512-512-10 with dropout 0.2, which gets above
98 % test accuracy in the same 20 epochs with Adam (Keras reports 98.40 % with
RMSprop, trained on all 60,000 digits).

The network is an ``nn.MLP`` (He-uniform weights; Keras' ``Dense`` uses
Glorot-uniform), trained under ``nn.fit``; it outputs logits and the loss is
``cross_entropy`` (log-softmax and negative log-likelihood in one stable op,
Keras' softmax layer plus categorical cross-entropy).

Commands (full data; about 10 s each on a 2-core CPU, ``wide`` about 35 s)::

    AUTOGRAD_CORE_DATA=../shared/data python examples/mnist_mlp.py --optimizer sgd
    AUTOGRAD_CORE_DATA=../shared/data python examples/mnist_mlp.py --optimizer rmsprop
    AUTOGRAD_CORE_DATA=../shared/data python examples/mnist_mlp.py --optimizer adam
    AUTOGRAD_CORE_DATA=../shared/data python examples/mnist_mlp.py --model wide --optimizer adam

``--hidden 256,256``, ``--batch-size``, ``--dropout`` and ``--lr`` change one setting
(``examples/mnist_sweeps.py`` runs the chapter's sweeps over them).

``--smoke`` trains three epochs on the 5,000 digits shipped with the package.
Figure: ``mnist_mlp_<model>_<optimizer>.png`` (loss and accuracy per epoch,
training and validation).
"""

from __future__ import annotations


import numpy as np
from _common import load_full_data, make_parser, plot_history, start, summary

from autograd_core import datasets
from autograd_core import nn
from autograd_core import optim

BATCH_SIZE = 128
VALIDATION_SPLIT = 0.2
# hidden widths and dropout probability of each --model
MODELS = {"base": ([128, 128], 0.3), "wide": ([512, 512], 0.2)}
# Keras' defaults for each optimizer (rate, and the constants that differ from PyTorch's)
OPTIMIZERS = {
    "sgd": lambda params, lr: optim.SGD(params, lr=lr or 0.01),
    "rmsprop": lambda params, lr: optim.RMSprop(params, lr=lr or 1e-3, alpha=0.9, eps=1e-7),
    "adam": lambda params, lr: optim.Adam(params, lr=lr or 1e-3, eps=1e-7),
}


def load(args):
    """(train, test): float32 pixels / 255, flattened to 784; int labels."""
    if args.smoke:
        (X, y), (X_test, y_test) = datasets.load_mnist_small()
    else:
        (X, y), (X_test, y_test) = load_full_data(datasets.load_mnist, args,
                                                  "The full MNIST data")
    flat = lambda images: images.reshape(len(images), -1).astype(np.float32) / 255.0
    return (flat(X), y), (flat(X_test), y_test)


def main(argv=None):
    """Parse ``argv``, train and test the network, draw its curves; return the test accuracy."""
    parser = make_parser(__doc__, epochs=20, smoke_epochs=3)
    parser.add_argument("--optimizer", choices=sorted(OPTIMIZERS), default="adam",
                        help="optimizer, at Keras' default rate (default adam)")
    parser.add_argument("--model", choices=sorted(MODELS), default="base",
                        help="base: 784-128-128-10, dropout 0.3 (the book's); "
                             "wide: 784-512-512-10, dropout 0.2 (Keras' mnist_mlp.py)")
    parser.add_argument("--lr", type=float, default=None,
                        help="learning rate (default Keras': sgd 0.01, rmsprop and adam 0.001)")
    parser.add_argument("--dropout", type=float, default=None,
                        help="dropout probability (default the model's: base 0.3, wide 0.2)")
    parser.add_argument("--hidden", default=None,
                        help="comma-separated hidden widths, e.g. 256,256 (default the "
                             "model's: base 128,128, wide 512,512)")
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE,
                        help=f"mini-batch size (default {BATCH_SIZE}, the book's)")
    args = parser.parse_args(argv)
    start(args)
    (X, y), (X_test, y_test) = load(args)
    hidden, dropout = MODELS[args.model]
    if args.hidden is not None:
        hidden = [int(h) for h in args.hidden.split(",") if h.strip()]
    dropout = dropout if args.dropout is None else args.dropout
    n_valid = int(len(X) * VALIDATION_SPLIT)
    print(f"{'MNIST subset (smoke)' if args.smoke else 'MNIST'}: train {len(X) - n_valid}, "
          f"validation {n_valid}, test {len(X_test)} digits")

    model = nn.MLP(784, hidden, 10, activation="relu", dropout=dropout, device=args.device)
    optimizer = OPTIMIZERS[args.optimizer](model.parameters(), args.lr)
    arch = "-".join(map(str, [784, *hidden, 10]))
    print(f"MLP {arch}, ReLU, dropout {dropout}; {args.optimizer} at lr "
          f"{optimizer.param_groups[0]['lr']}, batch {args.batch_size}, {args.epochs} epochs")
    history = nn.fit(model, X, y, loss="cross_entropy", optimizer=optimizer,
                     epochs=args.epochs, batch_size=args.batch_size,
                     validation_split=VALIDATION_SPLIT,
                     metrics=["accuracy"], seed=args.seed, verbose=2)
    test = nn.evaluate(model, X_test, y_test, metrics=["accuracy"])
    print(f"test accuracy {100 * test['accuracy']:.2f}% (test loss {test['loss']:.4f}); "
          f"last epoch: training {100 * history['accuracy'][-1]:.2f}%, "
          f"validation {100 * history['val_accuracy'][-1]:.2f}%")
    plot_history(history, args.out, f"mnist_mlp_{args.model}_{args.optimizer}.png",
                 f"MNIST MLP {arch}, dropout {dropout}, {args.optimizer}: "
                 f"test accuracy {100 * test['accuracy']:.2f}%")
    summary("mnist_mlp", model=args.model, optimizer=args.optimizer,
            test_accuracy=test["accuracy"], valid_accuracy=history["val_accuracy"][-1],
            train_accuracy=history["accuracy"][-1], test_loss=test["loss"], epochs=args.epochs,
            hidden=",".join(map(str, hidden)) or "none", batch_size=args.batch_size)
    return test["accuracy"]


if __name__ == "__main__":
    main()
