"""Mini-batch iteration over arrays, yielding ``autograd_core.Tensor`` batches.

Each epoch draws one permutation of the sample indices and indexes the data
batch by batch, so the whole data set is never copied per epoch.  Data that is
already an ``autograd_core.Tensor`` (possibly on a GPU) is indexed on its own
device, so arrays placed on the GPU once stay there.
"""

from __future__ import annotations

import math

import numpy as np

from ._random import as_generator


def _engine():
    import autograd_core  # noqa: PLC0415 - datasets works without the engine until batches are made

    return autograd_core


class _Source:
    """One array to batch: its backing array, array module and target device/dtype."""

    def __init__(self, value, name, device, dtype, ag):
        if isinstance(value, ag.Tensor):
            self.array = value.data
            self.device = value.device if device is None else device
        else:
            self.array = np.asarray(value)
            self.device = device
        if self.array.ndim == 0:
            raise ValueError(f"DataLoader: {name} must have a sample axis, got a 0-d array")
        self.xp = ag.backend.array_module(self.array)
        self.dtype = dtype
        self.name = name

    def take(self, index, ag):
        return ag.tensor(self.array[index], dtype=self.dtype, device=self.device)


class DataLoader:
    """Iterate over ``(X, y)`` in mini-batches of ``autograd_core.Tensor``.

    Parameters
    ----------
    X : array_like or autograd_core.Tensor, shape (n_samples, ...)
    y : array_like or autograd_core.Tensor, shape (n_samples, ...), optional
    batch_size : int, default 32
    shuffle : bool, default True
        Draw a new permutation at the start of every epoch.
    drop_last : bool, default False
        Skip the final batch if it has fewer than ``batch_size`` samples.
    seed : None, int or numpy.random.Generator
        Seeds the shuffling: two loaders with the same int seed give the same
        sequence of epochs.  ``None``: the global generator, which
        ``autograd_core.manual_seed`` fixes.
    device : {"cpu", "cuda", "cuda:N"}, optional
        Device of the batches.  Default: the Tensor's own device for Tensor
        inputs, the engine's default device for arrays.
    dtype : dtype-like, optional
        dtype of the ``X`` batches (``y`` keeps its dtype, e.g. int64 labels).
    sampler : DistributedSampler or iterable of int, optional
        Which samples to use, in which order (the loader's own ``shuffle`` and
        ``seed`` are then not used).  With a :class:`DistributedSampler` every
        rank gets the same number of batches: ``ceil(max(shard_sizes) /
        batch_size)`` (``floor(min(...) / batch_size)`` with ``drop_last``), so a
        rank with a smaller shard may get a smaller or empty last batch.

    Yields
    ------
    (Xb, yb) : (Tensor of shape (b, ...), Tensor of shape (b, ...))
        Or ``Xb`` alone when ``y`` is None.  ``b`` is ``batch_size`` except
        possibly for the last batch.

    Examples
    --------
    >>> loader = DataLoader(X, y, batch_size=64, seed=0)
    >>> for epoch in range(3):
    ...     for Xb, yb in loader:
    ...         ...
    """

    def __init__(self, X, y=None, batch_size=32, shuffle=True, drop_last=False, seed=None,
                 device=None, dtype=None, sampler=None):
        if isinstance(batch_size, bool) or int(batch_size) != batch_size or batch_size < 1:
            raise ValueError(f"DataLoader: batch_size must be a positive int, got {batch_size!r}")
        self._ag = _engine()
        self._X = _Source(X, "X", device, dtype, self._ag)
        self._y = None if y is None else _Source(y, "y", device, None, self._ag)
        self.n_samples = self._X.array.shape[0]
        if self._y is not None and self._y.array.shape[0] != self.n_samples:
            raise ValueError(
                f"DataLoader: X has {self.n_samples} samples (shape {self._X.array.shape}) "
                f"but y has {self._y.array.shape[0]} (shape {self._y.array.shape})"
            )
        self.batch_size = int(batch_size)
        self.shuffle = shuffle
        self.drop_last = drop_last
        self._rng = as_generator(seed)
        self.sampler = sampler

    def __len__(self):
        """Number of batches per epoch."""
        if self.sampler is not None:
            return self._sampler_batches()
        if self.drop_last:
            return self.n_samples // self.batch_size
        return math.ceil(self.n_samples / self.batch_size)

    def __iter__(self):
        ag = self._ag
        if self.sampler is not None:
            yield from self._iter_sampler()
            return
        order = self._rng.permutation(self.n_samples) if self.shuffle else None
        sources = [s for s in (self._X, self._y) if s is not None]
        # The permutation moves to each array's device once per epoch, not per batch.
        orders = [None if order is None else s.xp.asarray(order) for s in sources]
        for b in range(len(self)):
            start = b * self.batch_size
            stop = min(start + self.batch_size, self.n_samples)
            batch = tuple(
                s.take(slice(start, stop) if o is None else o[start:stop], ag)
                for s, o in zip(sources, orders)
            )
            yield batch if self._y is not None else batch[0]

    def _sampler_batches(self):
        sizes = getattr(self.sampler, "shard_sizes", None) or [len(self.sampler)]
        if self.drop_last:
            return min(sizes) // self.batch_size
        return math.ceil(max(sizes) / self.batch_size)

    def _iter_sampler(self):
        ag = self._ag
        indices = getattr(self.sampler, "indices", None)
        order = indices() if indices is not None else np.fromiter(self.sampler, dtype=np.int64)
        sources = [s for s in (self._X, self._y) if s is not None]
        orders = [s.xp.asarray(order) for s in sources]
        for b in range(len(self)):
            start = b * self.batch_size
            batch = tuple(s.take(o[start:start + self.batch_size], ag)
                          for s, o in zip(sources, orders))
            yield batch if self._y is not None else batch[0]


def batches(X, y=None, batch_size=32, shuffle=True, drop_last=False, seed=None, *,
            device=None, dtype=None):
    """Yield one epoch of mini-batches; see :class:`DataLoader` for the parameters.

    Parameters
    ----------
    X : array_like or autograd_core.Tensor, shape (n_samples, ...)
    y : array_like or autograd_core.Tensor, shape (n_samples, ...), optional
    batch_size, shuffle, drop_last, seed, device, dtype
        As for :class:`DataLoader`.

    Yields
    ------
    (Xb, yb) : (Tensor of shape (b, ...), Tensor of shape (b, ...)), or ``Xb`` if ``y`` is None
    """
    yield from DataLoader(X, y, batch_size=batch_size, shuffle=shuffle, drop_last=drop_last,
                          seed=seed, device=device, dtype=dtype)
