"""Seeded toy data sets for classification and regression.

Every generator takes ``random_state`` (None, int or ``numpy.random.Generator``)
and returns ``X`` float64 and ``y`` (int64 class labels, or float64 targets for
:func:`make_regression`), like scikit-learn's ``make_*`` functions.
"""

from __future__ import annotations

import numpy as np

from ._random import as_generator


def _split_counts(n_samples: int, n_groups: int) -> np.ndarray:
    """Split ``n_samples`` into ``n_groups`` near-equal counts, remainder to the first groups."""
    counts = np.full(n_groups, n_samples // n_groups, dtype=np.int64)
    counts[: n_samples % n_groups] += 1
    return counts


def _check_n_samples(n_samples, name):
    if int(n_samples) != n_samples or n_samples < 1:
        raise ValueError(f"{name}: n_samples must be a positive int, got {n_samples!r}")
    return int(n_samples)


def _finish(X, y, noise, shuffle, rng):
    if noise:
        X = X + rng.normal(scale=noise, size=X.shape)
    if shuffle:
        order = rng.permutation(len(y))
        X, y = X[order], y[order]
    return X.astype(np.float64), y.astype(np.int64)


def make_xor(n_samples=100, *, noise=0.0, random_state=None):
    """Points in the square [-1, 1]^2 labelled by the XOR of their coordinate signs.

    Parameters
    ----------
    n_samples : int, default 100
    noise : float, default 0.0
        Standard deviation of Gaussian noise added to the points after labelling.
    random_state : None, int or numpy.random.Generator

    Returns
    -------
    X : ndarray of float64, shape (n_samples, 2)
        In random order already, so there is no ``shuffle`` argument.
    y : ndarray of int64, shape (n_samples,)
        1 where exactly one coordinate is positive, else 0.
    """
    n_samples = _check_n_samples(n_samples, "make_xor")
    rng = as_generator(random_state)
    X = rng.uniform(-1.0, 1.0, size=(n_samples, 2))
    y = (X[:, 0] > 0) ^ (X[:, 1] > 0)
    return _finish(X, y, noise, False, rng)


def make_moons(n_samples=100, *, noise=None, shuffle=True, random_state=None):
    """Two interleaving half circles.

    Parameters
    ----------
    n_samples : int or (int, int), default 100
        Total points, or points per moon (outer, inner).
    noise : float, optional
        Standard deviation of Gaussian noise added to the points.
    shuffle : bool, default True
    random_state : None, int or numpy.random.Generator

    Returns
    -------
    X : ndarray of float64, shape (n_samples, 2)
    y : ndarray of int64, shape (n_samples,)
        0 for the upper moon (unit half circle), 1 for the lower one
        (shifted by (1, -0.5) and flipped).
    """
    if isinstance(n_samples, (tuple, list)):
        n_out, n_in = (int(n) for n in n_samples)
    else:
        n_samples = _check_n_samples(n_samples, "make_moons")
        n_out = n_samples // 2
        n_in = n_samples - n_out
    rng = as_generator(random_state)
    t_out = np.linspace(0.0, np.pi, n_out)
    t_in = np.linspace(0.0, np.pi, n_in)
    X = np.vstack([
        np.column_stack([np.cos(t_out), np.sin(t_out)]),
        np.column_stack([1.0 - np.cos(t_in), 0.5 - np.sin(t_in)]),
    ])
    y = np.concatenate([np.zeros(n_out), np.ones(n_in)])
    return _finish(X, y, noise, shuffle, rng)


def make_circles(n_samples=100, *, noise=None, factor=0.8, shuffle=True, random_state=None):
    """A large circle containing a smaller one.

    Parameters
    ----------
    n_samples : int or (int, int), default 100
        Total points, or points per circle (outer, inner).
    noise : float, optional
        Standard deviation of Gaussian noise added to the points.
    factor : float, default 0.8
        Radius of the inner circle relative to the outer (unit) one, in [0, 1).
    shuffle : bool, default True
    random_state : None, int or numpy.random.Generator

    Returns
    -------
    X : ndarray of float64, shape (n_samples, 2)
    y : ndarray of int64, shape (n_samples,)
        0 for the outer circle, 1 for the inner one.
    """
    if not 0.0 <= factor < 1.0:
        raise ValueError(f"make_circles: factor must be in [0, 1), got {factor!r}")
    if isinstance(n_samples, (tuple, list)):
        n_out, n_in = (int(n) for n in n_samples)
    else:
        n_samples = _check_n_samples(n_samples, "make_circles")
        n_out = n_samples // 2
        n_in = n_samples - n_out
    rng = as_generator(random_state)
    t_out = np.linspace(0.0, 2.0 * np.pi, n_out, endpoint=False)
    t_in = np.linspace(0.0, 2.0 * np.pi, n_in, endpoint=False)
    X = np.vstack([
        np.column_stack([np.cos(t_out), np.sin(t_out)]),
        factor * np.column_stack([np.cos(t_in), np.sin(t_in)]),
    ])
    y = np.concatenate([np.zeros(n_out), np.ones(n_in)])
    return _finish(X, y, noise, shuffle, rng)


def make_spirals(n_samples=100, *, n_classes=2, noise=0.0, turns=1.0, shuffle=True,
                 random_state=None):
    """Interleaved spiral arms, one per class (the CS231n toy problem).

    Arm ``k`` is ``r * (cos a, sin a)`` with radius ``r`` from 0 to 1 and angle
    ``a = 2*pi*(turns*r + k/n_classes)``.

    Parameters
    ----------
    n_samples : int, default 100
        Total points, split as evenly as possible between the arms.
    n_classes : int, default 2
        Number of arms (and classes).
    noise : float, default 0.0
        Standard deviation of Gaussian noise added to the points.
    turns : float, default 1.0
        Full revolutions each arm makes from the centre to radius 1.
    shuffle : bool, default True
    random_state : None, int or numpy.random.Generator

    Returns
    -------
    X : ndarray of float64, shape (n_samples, 2)
    y : ndarray of int64, shape (n_samples,)
        Arm index in ``0 .. n_classes-1``.
    """
    n_samples = _check_n_samples(n_samples, "make_spirals")
    if int(n_classes) != n_classes or n_classes < 1:
        raise ValueError(f"make_spirals: n_classes must be a positive int, got {n_classes!r}")
    rng = as_generator(random_state)
    parts, labels = [], []
    for k, count in enumerate(_split_counts(n_samples, int(n_classes))):
        r = np.linspace(0.0, 1.0, count)
        angle = 2.0 * np.pi * (turns * r + k / n_classes)
        parts.append(r[:, None] * np.column_stack([np.cos(angle), np.sin(angle)]))
        labels.append(np.full(count, k))
    return _finish(np.vstack(parts), np.concatenate(labels), noise, shuffle, rng)


def make_blobs(n_samples=100, n_features=2, *, centers=None, cluster_std=1.0,
               center_box=(-10.0, 10.0), shuffle=True, random_state=None):
    """Isotropic Gaussian blobs.

    Parameters
    ----------
    n_samples : int or sequence of int, default 100
        Total points split evenly between centres, or points per centre.
    n_features : int, default 2
        Dimension of the points (ignored if ``centers`` is an array).
    centers : int or array_like of shape (n_centers, n_features), optional
        Number of centres drawn uniformly in ``center_box``, or the centres
        themselves.  Default: 3 random centres (or one per entry of a
        sequence ``n_samples``).
    cluster_std : float or sequence of float, default 1.0
        Standard deviation of each blob.
    center_box : (float, float), default (-10, 10)
    shuffle : bool, default True
    random_state : None, int or numpy.random.Generator

    Returns
    -------
    X : ndarray of float64, shape (n_samples, n_features)
    y : ndarray of int64, shape (n_samples,)
        Index of the blob each point came from.
    """
    rng = as_generator(random_state)
    if np.ndim(n_samples) == 0:
        n_samples = _check_n_samples(n_samples, "make_blobs")
        if centers is None:
            centers = 3
        if np.ndim(centers) == 0:
            centers = rng.uniform(*center_box, size=(int(centers), n_features))
        centers = np.asarray(centers, dtype=np.float64)
        counts = _split_counts(n_samples, len(centers))
    else:
        counts = np.asarray(n_samples, dtype=np.int64)
        if centers is None or np.ndim(centers) == 0:
            centers = rng.uniform(*center_box, size=(len(counts), n_features))
        centers = np.asarray(centers, dtype=np.float64)
        if len(centers) != len(counts):
            raise ValueError(
                f"make_blobs: {len(counts)} sample counts but {len(centers)} centers"
            )
    if centers.ndim != 2:
        raise ValueError(f"make_blobs: centers must have shape (n_centers, n_features), "
                         f"got {centers.shape}")
    stds = np.broadcast_to(np.asarray(cluster_std, dtype=np.float64), (len(centers),))
    X = np.vstack([rng.normal(c, s, size=(n, centers.shape[1]))
                   for c, s, n in zip(centers, stds, counts)])
    y = np.repeat(np.arange(len(centers)), counts)
    return _finish(X, y, 0.0, shuffle, rng)


def make_regression(n_samples=100, n_features=100, *, n_informative=10, n_targets=1,
                    bias=0.0, noise=0.0, shuffle=True, coef=False, random_state=None):
    """A random linear regression problem ``y = X @ w + bias + noise``.

    Parameters
    ----------
    n_samples : int, default 100
    n_features : int, default 100
    n_informative : int, default 10
        Number of features with a non-zero weight (uniform in [0, 100)).
    n_targets : int, default 1
        Number of regression targets; ``y`` is 1-D when this is 1.
    bias : float, default 0.0
    noise : float, default 0.0
        Standard deviation of Gaussian noise added to ``y``.
    shuffle : bool, default True
        Shuffle the samples and the order of the features.
    coef : bool, default False
        Also return the true weights.
    random_state : None, int or numpy.random.Generator

    Returns
    -------
    X : ndarray of float64, shape (n_samples, n_features)
        Standard normal inputs.
    y : ndarray of float64, shape (n_samples,) or (n_samples, n_targets)
    w : ndarray of float64, shape (n_features,) or (n_features, n_targets)
        Only if ``coef=True``.  Without noise, ``y == X @ w + bias``.
    """
    n_samples = _check_n_samples(n_samples, "make_regression")
    n_informative = min(int(n_informative), int(n_features))
    rng = as_generator(random_state)
    X = rng.standard_normal((n_samples, n_features))
    w = np.zeros((n_features, n_targets))
    w[:n_informative] = 100.0 * rng.uniform(size=(n_informative, n_targets))
    if shuffle:
        X = X[rng.permutation(n_samples)]
        feature_order = rng.permutation(n_features)
        X, w = X[:, feature_order], w[feature_order]
    y = X @ w + bias
    if noise:
        y = y + rng.normal(scale=noise, size=y.shape)
    if n_targets == 1:
        y, w = y[:, 0], w[:, 0]
    return (X, y, w) if coef else (X, y)
