"""Data sets and data utilities for autograd-core.

Real data (loaded from a data directory, ``$AUTOGRAD_CORE_DATA``, the user
cache or, with ``download=True``, a public mirror): :func:`load_mnist`,
:func:`load_fashion_mnist`, :func:`load_california_housing`, :func:`load_iris`.
Shipped with the package, offline: :func:`load_mnist_small`, :func:`load_iris`.
Synthetic: ``make_xor``, ``make_moons``, ``make_circles``, ``make_spirals``,
``make_blobs``, ``make_regression``.  Utilities: :func:`train_test_split`,
:class:`StandardScaler`, :class:`MinMaxScaler`, :func:`one_hot`,
:class:`DataLoader`, :func:`batches`.
"""

from ._bunch import Bunch
from ._errors import ChecksumError, DataFileNotFoundError, DataFormatError, DatasetError
from ._files import cache_dir, download
from .california_housing import load_california_housing
from .idx import read_idx, read_idx_images, read_idx_labels, write_idx
from .iris import load_iris
from .loader import DataLoader, batches
from .mnist import FASHION_MNIST_CLASSES, load_fashion_mnist, load_mnist, load_mnist_small
from .sampler import DistributedSampler
from .preprocessing import MinMaxScaler, NotFittedError, StandardScaler, one_hot
from .split import train_test_split
from .synthetic import (
    make_blobs,
    make_circles,
    make_moons,
    make_regression,
    make_spirals,
    make_xor,
)

__all__ = [
    "Bunch",
    "ChecksumError",
    "DataFileNotFoundError",
    "DataFormatError",
    "DataLoader",
    "DatasetError",
    "DistributedSampler",
    "FASHION_MNIST_CLASSES",
    "MinMaxScaler",
    "NotFittedError",
    "StandardScaler",
    "batches",
    "cache_dir",
    "download",
    "load_california_housing",
    "load_fashion_mnist",
    "load_iris",
    "load_mnist",
    "load_mnist_small",
    "make_blobs",
    "make_circles",
    "make_moons",
    "make_regression",
    "make_spirals",
    "make_xor",
    "one_hot",
    "read_idx",
    "read_idx_images",
    "read_idx_labels",
    "train_test_split",
    "write_idx",
]
