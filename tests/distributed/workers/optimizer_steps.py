"""DistributedOptimizer on N ranks; argv: OUT.  Each rank pickles what it saw to OUT/rank<r>.pkl.

Shards come from DistributedSampler(shuffle=False), so the ranks' t-th batches
together are the contiguous global batch t, which the tests' one-process
oracle (``_problem.train_single``) trains on.
"""

import os
import pickle
import sys

import numpy as np

import autograd_core as ag
from autograd_core import distributed as dist
from autograd_core import nn
from autograd_core.datasets import DataLoader, DistributedSampler

import _problem as P

out = sys.argv[1]
comm = dist.init()
rank, size = comm.rank, comm.size
seen = {"rank": rank}
STEPS = 2 * 3  # two epochs of 3 batches on 4 ranks (the last one short)


def train(opt_name, dtype, overlap=True, cap_mb=25, seed=rank):
    X, y = P.data(dtype)
    net = P.model(dtype, seed=100 + seed)  # a different start on every rank...
    dist.broadcast_parameters(net)  # ...until root's is broadcast
    opt = dist.DistributedOptimizer(P.make_optimizer(opt_name, net.parameters()),
                                    overlap=overlap, bucket_cap_mb=cap_mb)
    loader = DataLoader(X, y, batch_size=P.BATCH, sampler=DistributedSampler(len(X), shuffle=False))
    steps, sizes = 0, []
    while steps < STEPS:
        for xb, yb in loader:
            opt.zero_grad()
            opt.set_samples(int(xb.shape[0]))
            nn.functional.cross_entropy(net(xb), yb).backward()
            opt.step()
            steps += 1
            sizes.append(int(xb.shape[0]))
    return P.params(net), sizes, opt


for opt_name in ("sgd", "adam"):
    for dtype in ("float64", "float32"):
        final, sizes, opt = train(opt_name, dtype)
        seen[(opt_name, dtype)] = final
        seen[(opt_name, dtype, "sizes")] = sizes
        # non-overlapped, and with one bucket per parameter (several requests in flight)
        seen[(opt_name, dtype, "no overlap")] = train(opt_name, dtype, overlap=False)[0]
        seen[(opt_name, dtype, "small buckets")] = train(opt_name, dtype, cap_mb=1e-4)[0]
seen["buckets"] = [len(b.params) for b in opt.buckets]

# a missing gradient counts as zero; a parameter no rank has a gradient for stays None
a, b, unused = (ag.tensor(np.zeros(3), requires_grad=True) for _ in range(3))
opt = dist.DistributedOptimizer(ag.optim.SGD([a, b, unused], lr=1.0), average="ranks")
((a * (rank + 1.0)).sum() + ((b * 2.0).sum() if rank == 0 else 0.0)).backward()
opt.synchronize()
seen["missing"] = (a.grad.numpy().copy(), b.grad.numpy().copy(), unused.grad)
opt.step()

# no_sync() + one more pass equals backward_passes_per_step=2; a third pass raises
def accumulate(mode):
    w = ag.tensor(np.ones(4), requires_grad=True)
    passes = 2 if mode == "passes" else 1
    opt = dist.DistributedOptimizer(ag.optim.SGD([w], lr=0.5), average="ranks",
                                    backward_passes_per_step=passes)
    if mode == "no_sync":
        with opt.no_sync():
            (w * (rank + 1.0)).sum().backward()
    else:
        (w * (rank + 1.0)).sum().backward()
    (w * w * (rank + 1.0)).sum().backward()
    error = None
    if mode == "passes":
        try:
            (w * 3.0).sum().backward()
        except RuntimeError as err:
            error = str(err)
        w.grad = None
        # the all-reduce of the first two passes is in flight: step() completes it
    opt.step()
    return w.numpy().copy(), error


seen["no_sync"], _ = accumulate("no_sync")
seen["passes"], seen["passes_error"] = accumulate("passes")

# AUTOGRAD_CORE_DIST_DEBUG=1: ranks with different bucket layouts raise on every rank
os.environ["AUTOGRAD_CORE_DIST_DEBUG"] = "1"
try:
    train("sgd", "float64", cap_mb=25 if rank == 0 else 1e-4)
except RuntimeError as err:
    seen["debug"] = str(err)
del os.environ["AUTOGRAD_CORE_DIST_DEBUG"]
dist.barrier()
with open(f"{out}/rank{rank}.pkl", "wb") as f:
    pickle.dump(seen, f)
