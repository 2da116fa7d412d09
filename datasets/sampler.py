"""``DistributedSampler``: each rank's share of the sample indices, one epoch at a time."""

from __future__ import annotations

import math

import numpy as np

__all__ = ["DistributedSampler"]


class DistributedSampler:
    """Split ``range(n)`` into disjoint shards, one per rank, reshuffled every epoch.

    Every rank draws the same permutation (from ``seed`` and the epoch) and takes
    every ``num_replicas``-th index starting at its rank, so the shards are
    disjoint and together cover every sample once: with 102 samples on 4 ranks
    the shards hold 26, 26, 25 and 25.  Nothing is repeated to even them out;
    :class:`DataLoader` gives every rank the same number of batches (a rank
    with a smaller shard gets a smaller, possibly empty, last batch), and
    ``DistributedOptimizer(average="samples")`` weights each rank by its batch
    size, so the step is exactly the mean over the global batch.

    Parameters
    ----------
    n : int
        Number of samples in the data set.
    num_replicas : int, optional
        Number of ranks (default: ``autograd_core.distributed.get_world_size()``).
    rank : int, optional
        This rank (default: ``autograd_core.distributed.get_rank()``).
    shuffle : bool
        Draw a new permutation every epoch; otherwise shards of ``range(n)``.
    seed : int
        Must be the same on every rank.
    drop_last : bool
        Drop the last ``n % num_replicas`` samples of the permutation, so that
        every shard has the same size.

    Examples
    --------
    >>> sampler = DistributedSampler(10, num_replicas=3, rank=1, shuffle=False)
    >>> list(sampler)
    [1, 4, 7]
    >>> sampler.shard_sizes
    [4, 3, 3]
    """

    def __init__(self, n, num_replicas=None, rank=None, shuffle=True, seed=0, drop_last=False):
        if num_replicas is None or rank is None:
            from autograd_core import distributed  # noqa: PLC0415 - only when not given

            num_replicas = distributed.get_world_size() if num_replicas is None else num_replicas
            rank = distributed.get_rank() if rank is None else rank
        for name, value, low in (("n", n, 0), ("num_replicas", num_replicas, 1)):
            if not _is_int(value) or value < low:
                raise ValueError(f"DistributedSampler: {name} must be an int >= {low}, "
                                 f"got {value!r}")
        if not _is_int(rank) or not 0 <= rank < num_replicas:
            raise ValueError(f"DistributedSampler: rank must be in range({num_replicas}), "
                             f"got {rank!r}")
        if not _is_int(seed):
            raise ValueError(f"DistributedSampler: seed must be an int (the same on every "
                             f"rank), got {seed!r}")
        self.n, self.num_replicas, self.rank = int(n), int(num_replicas), int(rank)
        self.shuffle, self.seed, self.drop_last = bool(shuffle), int(seed), bool(drop_last)
        self.epoch = 0
        used = self.n - self.n % self.num_replicas if self.drop_last else self.n
        self.shard_sizes = [math.ceil(max(used - r, 0) / self.num_replicas)
                            for r in range(self.num_replicas)]

    def set_epoch(self, epoch: int) -> None:
        """Use the permutation of ``epoch`` (call it at the start of every epoch, on every rank)."""
        self.epoch = int(epoch)

    def indices(self) -> np.ndarray:
        """This rank's sample indices for the current epoch, shape ``(len(self),)``, int64."""
        if self.shuffle:
            order = np.random.default_rng([self.seed, self.epoch]).permutation(self.n)
        else:
            order = np.arange(self.n)
        used = self.n - self.n % self.num_replicas if self.drop_last else self.n
        return order[self.rank:used:self.num_replicas]

    def __iter__(self):
        return iter(self.indices().tolist())

    def __len__(self):
        return self.shard_sizes[self.rank]

    def __repr__(self):
        return (f"DistributedSampler(n={self.n}, num_replicas={self.num_replicas}, "
                f"rank={self.rank}, shuffle={self.shuffle}, seed={self.seed}, "
                f"drop_last={self.drop_last})")


def _is_int(value) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)
