"""broadcast_parameters / broadcast_optimizer_state; argv: OUT MODE (same | mismatch)."""

import pickle
import sys

import numpy as np

import autograd_core as ag
from autograd_core import distributed as dist
from autograd_core import nn, optim

out, mode = sys.argv[1], sys.argv[2]
rank = dist.get_rank()
ag.manual_seed(100 + rank)  # a different initialisation on every rank
hidden = 8 + (rank if mode == "mismatch" else 0)
model = nn.Sequential(nn.Linear(4, hidden), nn.BatchNorm1d(hidden), nn.ReLU(), nn.Linear(hidden, 3))
model(ag.tensor(np.random.default_rng(rank).normal(size=(16, 4))))  # per-rank running stats
seen = {"before": {k: v.numpy().copy() for k, v in model.state_dict().items()}}
try:
    dist.broadcast_parameters(model, root=0)
except ValueError as err:
    seen["error"] = str(err)
else:
    seen["after"] = {k: v.numpy().copy() for k, v in model.state_dict().items()}
    opt = optim.Adam(model.parameters(), lr=0.01 * (rank + 1))
    if rank == 0:  # only root has stepped: its moments and step count must reach the others
        nn.functional.cross_entropy(model(ag.tensor(np.ones((2, 4)))), ag.tensor([0, 2])).backward()
        opt.step()
    dist.broadcast_optimizer_state(opt, root=0)
    sd = opt.state_dict()
    seen["opt"] = {"lr": sd["param_groups"][0]["lr"],
                   "state": {i: {k: np.asarray(v).copy() for k, v in s.items()}
                             for i, s in sd["state"].items()}}
with open(f"{out}/rank{rank}.pkl", "wb") as f:
    pickle.dump(seen, f)
