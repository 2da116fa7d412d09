"""nn.fit / nn.evaluate with distributed=True on N ranks; argv: OUT.  Pickles OUT/rank<r>.pkl.

* "early": validation, accuracy, EarlyStopping, ModelCheckpoint and CSVLogger;
* "full": 4 epochs without shuffling (the tests' one-process oracle trains on the
  same global batches), saving a checkpoint every epoch on rank 0;
* "resumed": 2 epochs, then a new start from rank 0's epoch-2 checkpoint and saved
  optimizer state (nn.load + broadcast_parameters + broadcast_optimizer_state), 2 more.
"""

import os
import pickle
import sys

import numpy as np

from autograd_core import distributed as dist
from autograd_core import nn, optim

import _problem as P

out = sys.argv[1]
rank = dist.get_rank()
X, y = P.data("float64", n=50)
Xv, yv = P.data("float64", n=73)
Xv, yv = Xv[50:], yv[50:]
seen = {"rank": rank}


def files(kind):
    return os.path.join(out, kind, f"rank{rank}")


model = P.model("float64", seed=100 + rank)
history = nn.fit(model, X, y, optimizer=optim.SGD(model.parameters(), lr=0.5, momentum=0.9),
                 epochs=30, batch_size=4, validation_data=(Xv, yv), metrics=["accuracy"],
                 callbacks=[nn.EarlyStopping(patience=1, min_delta=0.01),
                            nn.ModelCheckpoint(os.path.join(files("early"), "ckpt-{epoch}.npz")),
                            nn.CSVLogger(os.path.join(files("early"), "log.csv"))],
                 verbose=2, distributed=True)
seen["early"] = {"history": history.history, "stopped_epoch": history.stopped_epoch,
                 "params": P.params(model),
                 "val": nn.evaluate(model, Xv, yv, metrics=["accuracy"]),
                 "val_distributed": nn.evaluate(model, Xv, yv, metrics=["accuracy"],
                                                distributed=True),
                 "train": nn.evaluate(model, X, y, metrics=["accuracy"]),
                 "train_distributed": nn.evaluate(model, X, y, metrics=["accuracy"],
                                                  distributed=True)}
# regression metrics (several running sums each) over uneven shards of 23
T = np.random.default_rng(1).normal(size=(len(Xv), 3))
seen["regression"] = [nn.evaluate(model, Xv, T, loss="mse", metrics=["r2", "rmse", "mae"],
                                  distributed=d) for d in (False, True)]


def run(epochs, model, opt, kind):
    return nn.fit(model, X, y, optimizer=opt, epochs=epochs, batch_size=4, shuffle=False,
                  verbose=0, distributed=True,
                  callbacks=[nn.ModelCheckpoint(os.path.join(files(kind), "ckpt-{epoch}.npz"))])


model = P.model("float64", seed=100 + rank)
run(4, model, optim.Adam(model.parameters(), lr=0.01), "full")
seen["full"] = P.params(model)

model = P.model("float64", seed=100 + rank)
opt = optim.Adam(model.parameters(), lr=0.01)
run(2, model, opt, "half")
if rank == 0:
    nn.save(opt, os.path.join(files("half"), "optimizer.npz"))
dist.barrier()
model = P.model("float64", seed=200 + rank)  # a fresh process would start elsewhere
opt = optim.Adam(model.parameters(), lr=0.5)
if rank == 0:
    nn.load_into(model, os.path.join(files("half"), "ckpt-2.npz"))
    opt.load_state_dict(nn.load(os.path.join(files("half"), "optimizer.npz")))
dist.broadcast_parameters(model)
dist.broadcast_optimizer_state(opt)
seen["resumed_lr"] = opt.param_groups[0]["lr"]
run(2, model, opt, "resumed")
seen["resumed"] = P.params(model)
with open(f"{out}/rank{rank}.pkl", "wb") as f:
    pickle.dump(seen, f)
