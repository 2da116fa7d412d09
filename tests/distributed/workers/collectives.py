"""Every collective on every rank; each rank pickles what it saw to OUT/rank<r>.pkl."""

import pickle
import sys

import numpy as np

import autograd_core as ag
from autograd_core import distributed as dist
from autograd_core.datasets import DistributedSampler

out = sys.argv[1]
comm = dist.init()
assert dist.init() is comm and dist.is_initialized()
rank, size = dist.get_rank(), dist.get_world_size()
seen = {"rank": rank, "size": size, "local_rank": dist.get_local_rank(), "comm": repr(comm)}

x = np.arange(5, dtype=np.float64) + rank
seen["sum"] = dist.all_reduce(x.copy(), "sum")
seen["mean"] = dist.all_reduce(x.copy(), "mean")
seen["max"] = dist.all_reduce(np.array([3 - rank, rank], dtype=np.int64), "max")
t = ag.tensor(np.full((2, 3), float(rank + 1), dtype=np.float32))
version = t._version
dist.all_reduce(t, "sum")
seen["tensor_sum"], seen["tensor_bumped"] = t.numpy().copy(), t._version > version
b = ag.tensor(np.full(4, 10.0 * rank))
dist.broadcast(b, root=size - 1)
seen["broadcast"] = b.numpy().copy()
seen["broadcast_object"] = dist.broadcast_object({"from": rank} if rank == 0 else None)
seen["gathered"] = dist.all_gather_object(("rank", rank))
try:
    dist.all_reduce(np.ones(2), "min")
except ValueError as err:
    seen["bad_op"] = str(err)
dist.barrier()
# the same seed gives every rank its part of one permutation
sampler = DistributedSampler(23, seed=5)
shards = []
for epoch in range(2):
    sampler.set_epoch(epoch)
    shards.append(dist.all_gather_object(sampler.indices().tolist()))
seen["shards"] = shards
with open(f"{out}/rank{rank}.pkl", "wb") as f:
    pickle.dump(seen, f)
