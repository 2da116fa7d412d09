"""Splitting arrays into random train and test subsets (scikit-learn semantics)."""

from __future__ import annotations

import math

import numpy as np

from ._random import as_generator


def _n_from(size, n_samples, name, round_up):
    if isinstance(size, (float, np.floating)):
        if not 0.0 < size < 1.0:
            raise ValueError(f"train_test_split: {name}={size} must be in (0, 1) as a fraction")
        return math.ceil(size * n_samples) if round_up else math.floor(size * n_samples)
    if isinstance(size, (int, np.integer)) and not isinstance(size, bool):
        if not 0 < size < n_samples:
            raise ValueError(
                f"train_test_split: {name}={size} must be in [1, {n_samples - 1}] "
                f"for {n_samples} samples"
            )
        return int(size)
    raise TypeError(f"train_test_split: {name} must be a float or an int, got {size!r}")


def _split_sizes(n_samples, test_size, train_size):
    if test_size is None and train_size is None:
        test_size = 0.25
    n_test = _n_from(test_size, n_samples, "test_size", True) if test_size is not None else None
    n_train = _n_from(train_size, n_samples, "train_size", False) if train_size is not None else None
    if n_test is None:
        n_test = n_samples - n_train
    if n_train is None:
        n_train = n_samples - n_test
    if n_train + n_test > n_samples:
        raise ValueError(
            f"train_test_split: train ({n_train}) + test ({n_test}) samples exceed the "
            f"{n_samples} samples available; lower test_size or train_size"
        )
    if n_train == 0 or n_test == 0:
        raise ValueError(
            f"train_test_split: with {n_samples} samples, test_size={test_size} and "
            f"train_size={train_size} give {n_train} train and {n_test} test samples; "
            f"both must be at least 1"
        )
    return n_train, n_test


def _allocate(total, targets_from, capacity, rng):
    """Split ``total`` items between classes in proportion to ``targets_from``.

    Largest-remainder rounding, ties broken at random, never exceeding ``capacity``.
    """
    exact = total * targets_from / targets_from.sum()
    counts = np.minimum(np.floor(exact).astype(np.int64), capacity)
    remainder = exact - counts
    order = rng.permutation(len(counts))
    order = order[np.argsort(-remainder[order], kind="stable")]
    need = total - counts.sum()
    for cls in np.concatenate([order, order]):  # second pass only if capacity bit
        if need == 0:
            break
        if counts[cls] < capacity[cls]:
            counts[cls] += 1
            need -= 1
    return counts


def _stratified_indices(y, n_train, n_test, rng):
    classes, y_codes = np.unique(y, return_inverse=True)
    class_counts = np.bincount(y_codes.ravel())
    if class_counts.min() < 2:
        raise ValueError(
            f"train_test_split: the least populated class in stratify "
            f"({classes[class_counts.argmin()]!r}) has only 1 member; every class needs at least 2"
        )
    if n_test < len(classes) or n_train < len(classes):
        raise ValueError(
            f"train_test_split: {n_train} train / {n_test} test samples cannot hold "
            f"all {len(classes)} classes; each split needs at least one sample per class"
        )
    n_test_per = _allocate(n_test, class_counts, class_counts, rng)
    n_train_per = _allocate(n_train, class_counts, class_counts - n_test_per, rng)
    train, test = [], []
    for cls in range(len(classes)):
        members = rng.permutation(np.flatnonzero(y_codes.ravel() == cls))
        test.append(members[: n_test_per[cls]])
        train.append(members[n_test_per[cls]: n_test_per[cls] + n_train_per[cls]])
    return rng.permutation(np.concatenate(train)), rng.permutation(np.concatenate(test))


def _take(array, indices):
    if isinstance(array, (list, tuple)):
        return [array[i] for i in indices]
    return array[indices]


def train_test_split(*arrays, test_size=None, train_size=None, random_state=None,
                     shuffle=True, stratify=None):
    """Split arrays into random train and test subsets, like scikit-learn's.

    Parameters
    ----------
    *arrays : sequence of array_like, each of length n_samples
        Indexed along the first axis; NumPy arrays stay arrays, lists stay lists.
    test_size : float or int, optional
        Fraction in (0, 1) (rounded up) or absolute count of test samples.
        Default: the complement of ``train_size``, or 0.25 if both are None.
    train_size : float or int, optional
        Fraction (rounded down) or count of train samples.  Default: the
        complement of ``test_size``.
    random_state : None, int or numpy.random.Generator
        ``None``: the global generator, which ``autograd_core.manual_seed`` fixes.
    shuffle : bool, default True
        If False, the first ``n_train`` samples are the train set and the next
        ``n_test`` the test set.
    stratify : array_like of shape (n_samples,), optional
        Class labels; each class keeps its proportion in both splits (up to
        rounding).  Requires ``shuffle=True``.

    Returns
    -------
    list
        ``[a_train, a_test, b_train, b_test, ...]``, 2 entries per input array.
    """
    if not arrays:
        raise ValueError("train_test_split: at least one array is required")
    lengths = [len(a) for a in arrays]
    if len(set(lengths)) != 1:
        raise ValueError(f"train_test_split: arrays have different lengths {lengths}")
    n_samples = lengths[0]
    n_train, n_test = _split_sizes(n_samples, test_size, train_size)
    if not shuffle:
        if stratify is not None:
            raise ValueError("train_test_split: stratify requires shuffle=True")
        train, test = np.arange(n_train), np.arange(n_train, n_train + n_test)
    else:
        rng = as_generator(random_state)
        if stratify is not None:
            stratify = np.asarray(stratify)
            if len(stratify) != n_samples:
                raise ValueError(f"train_test_split: stratify has length {len(stratify)}, "
                                 f"arrays have {n_samples}")
            train, test = _stratified_indices(stratify, n_train, n_test, rng)
        else:
            order = rng.permutation(n_samples)
            test, train = order[:n_test], order[n_test: n_test + n_train]
    out = []
    for a in arrays:
        out += [_take(a, train), _take(a, test)]
    return out
