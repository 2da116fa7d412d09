"""A small regression/classification problem shared by the workers and by the tests' oracles."""

import numpy as np

import autograd_core as ag
from autograd_core import nn, optim

N_SAMPLES = 102  # on 4 ranks: shards of 26, 26, 25, 25
BATCH = 10  # per rank: the global batch is 40 and the last one 22 (6 + 6 + 5 + 5)


def data(dtype, n=N_SAMPLES):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(n, 5)).astype(dtype)
    y = rng.integers(0, 3, size=n)
    return X, y


def model(dtype, seed=100):
    ag.manual_seed(seed)
    return nn.Sequential(nn.Linear(5, 8), nn.Tanh(), nn.Linear(8, 3)).to(dtype=dtype)


def make_optimizer(name, params):
    if name == "sgd":
        return optim.SGD(params, lr=0.1, momentum=0.9)
    return optim.Adam(params, lr=0.01)


def params(net):
    return [p.numpy().copy() for p in net.parameters()]


def train_single(opt_name, dtype, steps, global_batch):
    """One process, contiguous global batches of ``global_batch`` (the oracle)."""
    X, y = data(dtype)
    net = model(dtype)
    opt = make_optimizer(opt_name, net.parameters())
    starts = list(range(0, len(X), global_batch))
    for step in range(steps):
        start = starts[step % len(starts)]
        xb, yb = ag.tensor(X[start:start + global_batch]), ag.tensor(y[start:start + global_batch])
        opt.zero_grad()
        nn.functional.cross_entropy(net(xb), yb).backward()
        opt.step()
    return params(net)
