"""The Keras MNIST MLP of ``mnist_mlp.py``, trained data-parallel over MPI ranks.

Run the same script on every rank with an MPI launcher; each rank loads the
digits, ``nn.fit(..., distributed=True)`` gives it one shard of every epoch
and averages the gradients over the ranks after every batch::

    AUTOGRAD_CORE_DATA=../shared/data OPENBLAS_NUM_THREADS=1 \\
        mpiexec -n 4 python -m mpi4py examples/mnist_data_parallel.py
    AUTOGRAD_CORE_DATA=../shared/data OPENBLAS_NUM_THREADS=1 \\
        python examples/mnist_data_parallel.py          # the single-process run

(as root add ``--allow-run-as-root``; with more ranks than cores
``--oversubscribe``; see the README's "Data-parallel training" section.)

The global batch stays 128 digits: each of ``n`` ranks takes ``128 / n`` of
them (``--batch-size`` is the global size and must divide by ``n``).  Every
rank draws the same permutation of the training digits in every epoch
(``DistributedSampler``), so the ``n`` ranks' batches together are exactly the
batch the single-process run uses, and each step is the mean gradient over
those 128 digits.  Without dropout (``--dropout 0``) the single-process run and
the ``n``-rank run therefore take the same steps up to float32 rounding (the
gradient sums are added in another order): after one epoch on the shipped
subset both print 82.70 %; over 20 epochs on full MNIST the rounding grows into
97.75 % in one process and 97.85 % on 2 ranks.  With dropout each rank draws its
own masks, so the runs also differ by the randomness of the masks.

``--smoke`` trains three epochs on the 5,000 digits shipped with the package.
Only rank 0 prints, plots (``mnist_data_parallel.png``) and writes the summary.
"""

from __future__ import annotations

import sys

from _common import make_parser, plot_history, start, summary

import autograd_core as ag
from autograd_core import distributed as dist
from autograd_core import nn

from mnist_mlp import BATCH_SIZE, MODELS, OPTIMIZERS, VALIDATION_SPLIT, load


def main(argv=None):
    """Parse ``argv``, train data-parallel, test; return the test accuracy (on every rank)."""
    parser = make_parser(__doc__, epochs=20, smoke_epochs=3)
    parser.add_argument("--optimizer", choices=sorted(OPTIMIZERS), default="adam",
                        help="optimizer, at Keras' default rate (default adam)")
    parser.add_argument("--model", choices=sorted(MODELS), default="base",
                        help="base: 784-128-128-10, dropout 0.3; wide: 784-512-512-10, 0.2")
    parser.add_argument("--dropout", type=float, default=None,
                        help="dropout probability (default the model's)")
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE,
                        help=f"global mini-batch size, split over the ranks (default "
                             f"{BATCH_SIZE})")
    args = parser.parse_args(argv)
    start(args)
    comm = dist.init()
    ranks, root = comm.size, comm.rank == 0
    if args.batch_size % ranks:
        sys.exit(f"--batch-size {args.batch_size} does not divide over {ranks} ranks")
    (X, y), (X_test, y_test) = load(args)
    hidden, dropout = MODELS[args.model]
    dropout = dropout if args.dropout is None else args.dropout
    ag.manual_seed(args.seed + comm.rank)  # rank 0's weights are broadcast; masks differ
    model = nn.MLP(784, hidden, 10, activation="relu", dropout=dropout, device=args.device)
    optimizer = OPTIMIZERS[args.optimizer](model.parameters(), None)
    if root:
        print(f"{ranks} rank(s) x {args.batch_size // ranks} digits per batch; MLP "
              f"{'-'.join(map(str, [784, *hidden, 10]))}, dropout {dropout}, {args.optimizer}")
    history = nn.fit(model, X, y, optimizer=optimizer, epochs=args.epochs,
                     batch_size=args.batch_size // ranks, validation_split=VALIDATION_SPLIT,
                     metrics=["accuracy"], seed=args.seed, verbose=2, distributed=True)
    test = nn.evaluate(model, X_test, y_test, metrics=["accuracy"], distributed=True)
    if root:
        print(f"test accuracy {100 * test['accuracy']:.2f}% (test loss {test['loss']:.4f}) "
              f"on {ranks} rank(s)")
        plot_history(history, args.out, "mnist_data_parallel.png",
                     f"MNIST MLP on {ranks} rank(s): test accuracy {100 * test['accuracy']:.2f}%")
        summary("mnist_data_parallel", ranks=ranks, model=args.model, optimizer=args.optimizer,
                dropout=dropout, epochs=args.epochs, test_accuracy=test["accuracy"],
                test_loss=test["loss"], valid_accuracy=history["val_accuracy"][-1])
    return test["accuracy"]


if __name__ == "__main__":
    main()
