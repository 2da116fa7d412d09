"""Collectives over 1-3 ranks (mpiexec on loopback) and without mpiexec (a world of one)."""

import pickle

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import distributed as dist
from autograd_core.datasets import DistributedSampler

from _mpi_launch import mpirun


def _results(path, n):
    return [pickle.loads((path / f"rank{r}.pkl").read_bytes()) for r in range(n)]


@pytest.mark.parametrize("n", [2, 3])
def test_collectives_on_every_rank(tmp_path, n):
    mpirun(n, "collectives.py", tmp_path)
    ranks = np.arange(n)
    for r, seen in enumerate(_results(tmp_path, n)):
        assert (seen["rank"], seen["size"], seen["local_rank"]) == (r, n, r)
        assert seen["comm"] == f"MPICommunicator(rank={r}, size={n})"
        np.testing.assert_array_equal(seen["sum"], np.arange(5) * n + ranks.sum())
        np.testing.assert_allclose(seen["mean"], np.arange(5) + ranks.mean(), rtol=1e-15)
        np.testing.assert_array_equal(seen["max"], [3, n - 1])
        np.testing.assert_array_equal(seen["tensor_sum"], np.full((2, 3), (ranks + 1).sum()))
        assert seen["tensor_bumped"]
        np.testing.assert_array_equal(seen["broadcast"], np.full(4, 10.0 * (n - 1)))
        assert seen["broadcast_object"] == {"from": 0}
        assert seen["gathered"] == [("rank", i) for i in range(n)]
        assert "op must be one of" in seen["bad_op"]
        for shards in seen["shards"]:  # disjoint, covering, from one permutation
            assert sorted(i for shard in shards for i in shard) == list(range(23))
        assert seen["shards"][0] != seen["shards"][1]  # set_epoch reshuffles


def test_world_of_one_without_mpiexec():
    comm = dist.init()
    assert isinstance(comm, dist.SelfCommunicator) and dist.is_initialized()
    assert (dist.get_rank(), dist.get_world_size(), dist.get_local_rank()) == (0, 1, 0)
    x = np.array([1.0, 2.0])
    assert dist.all_reduce(x, "mean") is x
    np.testing.assert_array_equal(x, [1.0, 2.0])
    t = ag.tensor([3.0])
    assert dist.all_reduce(t) is t and dist.broadcast(t) is t
    np.testing.assert_array_equal(t.numpy(), [3.0])
    assert dist.broadcast_object({"a": 1}) == {"a": 1}
    assert dist.all_gather_object(7) == [7]
    dist.barrier()
    with pytest.raises(ValueError, match="op must be one of"):
        dist.all_reduce(x, "prod")
    with pytest.raises(TypeError, match="needs a floating array"):
        dist.all_reduce(np.array([1, 2]), "mean")
    with pytest.raises(ValueError, match="C-contiguous"):
        dist.all_reduce(np.ones((3, 2)).T)
    with pytest.raises(ValueError, match="root must be a rank"):
        dist.broadcast(x, root=1)


def test_distributed_sampler_shards_are_disjoint_and_cover_every_sample():
    for n, replicas in [(102, 4), (10, 3), (2, 4), (0, 2)]:
        shards = [DistributedSampler(n, replicas, r, seed=3) for r in range(replicas)]
        indices = [s.indices() for s in shards]
        assert sorted(np.concatenate(indices).tolist()) == list(range(n))
        assert [len(s) for s in shards] == [len(i) for i in indices] == shards[0].shard_sizes
    assert DistributedSampler(102, 4, 0).shard_sizes == [26, 26, 25, 25]
    dropped = [DistributedSampler(102, 4, r, drop_last=True).indices() for r in range(4)]
    assert [len(i) for i in dropped] == [25] * 4
    assert len(set(np.concatenate(dropped).tolist())) == 100


def test_distributed_sampler_order_follows_seed_and_epoch():
    a, b = DistributedSampler(50, 2, 0, seed=1), DistributedSampler(50, 2, 0, seed=1)
    first = a.indices()
    np.testing.assert_array_equal(first, b.indices())
    a.set_epoch(1)
    assert not np.array_equal(first, a.indices())
    b.set_epoch(1)
    np.testing.assert_array_equal(a.indices(), b.indices())
    assert not np.array_equal(first, DistributedSampler(50, 2, 0, seed=2).indices())
    np.testing.assert_array_equal(DistributedSampler(7, 2, 1, shuffle=False).indices(), [1, 3, 5])


def test_distributed_sampler_rejects_bad_arguments():
    with pytest.raises(ValueError, match="rank must be in range"):
        DistributedSampler(10, num_replicas=2, rank=2)
    with pytest.raises(ValueError, match="num_replicas must be"):
        DistributedSampler(10, num_replicas=0, rank=0)
    with pytest.raises(ValueError, match="seed must be an int"):
        DistributedSampler(10, 2, 0, seed=None)


def test_data_loader_with_a_sampler_gives_every_rank_the_same_number_of_batches():
    X = np.arange(26 * 2, dtype=np.float64).reshape(26, 2)
    y = np.arange(26)
    loaders = [ag.datasets.DataLoader(X, y, batch_size=5, sampler=DistributedSampler(26, 4, r))
               for r in range(4)]
    sizes = [[len(yb) for _, yb in loader] for loader in loaders]
    assert [len(loader) for loader in loaders] == [2, 2, 2, 2]
    assert sizes == [[5, 2], [5, 2], [5, 1], [5, 1]]  # shards of 7, 7, 6, 6
    seen = np.concatenate([yb.numpy() for loader in loaders for _, yb in loader])
    assert sorted(seen.tolist()) == list(range(26))
    empty_last = ag.datasets.DataLoader(X[:5], y[:5], batch_size=1,
                                        sampler=DistributedSampler(5, 4, 3))
    assert [len(yb) for _, yb in empty_last] == [1, 0]  # shards of 2, 1, 1, 1
