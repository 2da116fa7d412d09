"""MNIST and Fashion-MNIST loaders (IDX files)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ._errors import DataFileNotFoundError, DataFormatError
from ._files import RemoteFile, fetch
from .idx import read_idx_images, read_idx_labels

MNIST_MIRROR = "https://ossci-datasets.s3.amazonaws.com/mnist/"
FASHION_MNIST_MIRROR = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"

FASHION_MNIST_CLASSES = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)

_SPLITS = ("train", "t10k")
_KINDS = ("images-idx3-ubyte", "labels-idx1-ubyte")

MNIST_FILES = {
    "train-images-idx3-ubyte.gz": "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
    "train-labels-idx1-ubyte.gz": "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
    "t10k-images-idx3-ubyte.gz": "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
    "t10k-labels-idx1-ubyte.gz": "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
}
FASHION_MNIST_FILES = {
    "train-images-idx3-ubyte.gz": "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
    "train-labels-idx1-ubyte.gz": "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
    "t10k-images-idx3-ubyte.gz": "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
    "t10k-labels-idx1-ubyte.gz": "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
}


def _remote(folder: str, gz_name: str, sha256: str) -> RemoteFile:
    raw = gz_name[: -len(".gz")]
    dotted = raw.replace("-idx", ".idx", 1)  # e.g. train-images.idx3-ubyte
    return RemoteFile(f"{folder}/{gz_name}", sha256, (f"{folder}/{raw}", f"{folder}/{dotted}"))


def _check_contents(dataset, paths, images, labels):
    """Refuse files that parse as IDX but do not hold this data set's 28 x 28 images, 10 classes."""
    if images.shape[1:] != (28, 28):
        raise DataFormatError(
            f"{dataset}: {paths[0]} holds images of shape {images.shape}, not n x 28 x 28; it "
            f"is not a {dataset} file. Delete it and download it again.")
    bad = (labels < 0) | (labels > 9)
    if bad.any():
        raise DataFormatError(
            f"{dataset}: {paths[1]} holds the label {labels[bad][0]} at index "
            f"{int(bad.argmax())}; {dataset} labels are 0 to 9. Delete it and download it again.")


def _load_idx_pair_set(folder, files, dataset, data_dir, download, mirror, dtype=None):
    """Load ``(X_train, y_train), (X_test, y_test)`` from the four IDX files in ``folder``."""
    out = []
    for split in _SPLITS:
        paths = [
            fetch(_remote(folder, f"{split}-{kind}.gz", files[f"{split}-{kind}.gz"]),
                  data_dir, download_missing=download, base_url=mirror, dataset=dataset)
            for kind in _KINDS
        ]
        images, labels = read_idx_images(paths[0], dtype), read_idx_labels(paths[1])
        _check_contents(dataset, paths, images, labels)
        if images.shape[0] != labels.shape[0]:
            raise DataFormatError(
                f"{dataset} {split}: {paths[0]} holds {images.shape[0]} images but "
                f"{paths[1]} holds {labels.shape[0]} labels"
            )
        out.append((images, labels))
    return tuple(out)


def load_mnist(data_dir=None, download=False, *, mirror=MNIST_MIRROR, dtype=None):
    """Load the MNIST handwritten digits (60,000 train + 10,000 test).

    Files are looked for under ``<dir>/mnist/`` (gzipped or not) in ``data_dir``,
    ``$AUTOGRAD_CORE_DATA`` and the user cache, in that order.

    Parameters
    ----------
    data_dir : path-like, optional
        Data directory searched first (and the download target if given).
    download : bool, default False
        Fetch missing files from ``mirror``, verified by SHA-256.
    mirror : str
        Base URL of the folder holding the four ``.gz`` files.
    dtype : float dtype, optional
        Return the pixels as ``pixel / 255`` in this dtype (e.g. ``"float32"``),
        converted while the files are read: the float arrays are the only copy
        in memory (188 MB for the float32 training images, not 188 + 47 MB).

    Returns
    -------
    (X_train, y_train), (X_test, y_test)
        ``X_*`` uint8 of shape (n, 28, 28), values 0-255 (or ``dtype`` in [0, 1]);
        ``y_*`` int64 of shape (n,), values 0-9.  n is 60,000 for train and 10,000
        for test.

    Notes
    -----
    MNIST is by Yann LeCun, Corinna Cortes and Christopher J.C. Burges,
    licensed CC BY-SA 3.0.
    """
    return _load_idx_pair_set("mnist", MNIST_FILES, "MNIST", data_dir, download, mirror, dtype)


def load_fashion_mnist(data_dir=None, download=False, *, mirror=FASHION_MNIST_MIRROR,
                       dtype=None):
    """Load Fashion-MNIST (60,000 train + 10,000 test 28x28 clothing images).

    Files are looked for under ``<dir>/fashion-mnist/``.  Class names are in
    :data:`FASHION_MNIST_CLASSES` (also ``load_fashion_mnist.class_names``).

    Parameters
    ----------
    data_dir : path-like, optional
        Data directory searched first (and the download target if given).
    download : bool, default False
        Fetch missing files from ``mirror``, verified by SHA-256.
    mirror : str
        Base URL of the folder holding the four ``.gz`` files.
    dtype : float dtype, optional
        Return the pixels as ``pixel / 255`` in this dtype, converted while the
        files are read (see :func:`load_mnist`).

    Returns
    -------
    (X_train, y_train), (X_test, y_test)
        ``X_*`` uint8 of shape (n, 28, 28) (or ``dtype`` in [0, 1]); ``y_*`` int64 of
        shape (n,), values 0-9 indexing :data:`FASHION_MNIST_CLASSES`.

    Notes
    -----
    Fashion-MNIST is by Zalando SE (2017), MIT licence.
    """
    return _load_idx_pair_set("fashion-mnist", FASHION_MNIST_FILES, "Fashion-MNIST",
                              data_dir, download, mirror, dtype)


setattr(load_fashion_mnist, "class_names", FASHION_MNIST_CLASSES)  # a function attribute


SHIPPED_MNIST = Path(__file__).resolve().parent / "_shipped" / "mnist_small.npz"


def load_mnist_small():
    """Load the small MNIST subset shipped inside the package (works offline).

    5,000 training and 1,000 test digits, a stratified seeded sample of the
    full MNIST splits made by ``scripts/make_shipped_data.py``; each class
    keeps its MNIST proportion.

    Returns
    -------
    (X_train, y_train), (X_test, y_test)
        ``X_*`` uint8 of shape (n, 28, 28); ``y_*`` int64 of shape (n,).
        n is 5,000 for train and 1,000 for test.

    Notes
    -----
    MNIST is by Yann LeCun, Corinna Cortes and Christopher J.C. Burges,
    licensed CC BY-SA 3.0; this subset is under the same licence.
    """
    if not SHIPPED_MNIST.is_file():
        raise DataFileNotFoundError(
            f"shipped MNIST subset {SHIPPED_MNIST} is missing; reinstall the package or "
            f"regenerate it with scripts/make_shipped_data.py"
        )
    with np.load(SHIPPED_MNIST) as f:
        return ((f["X_train"], f["y_train"].astype(np.int64)),
                (f["X_test"], f["y_test"].astype(np.int64)))
