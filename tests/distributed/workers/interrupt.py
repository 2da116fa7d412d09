"""SIGINT to ranks at jittered times during fit(distributed=True); argv: OUT.

Round 0-2: every rank signals itself after its own random delay; round 3: only
rank 1 is signalled.  Every rank pickles, per round, the batches it ran and
whether its history says interrupted.
"""

import os
import pickle
import signal
import sys
import threading
import time

import numpy as np

from autograd_core import distributed as dist
from autograd_core import nn

import _problem as P

out = sys.argv[1]
rank = dist.get_rank()
X, y = P.data("float64", n=600)
rounds = []


class Pace(nn.Callback):
    """Counts batches, slows them down, and closes the signal window at train end."""

    def __init__(self):
        self.batches, self.lock, self.active = 0, threading.Lock(), True

    def on_batch_end(self, batch, logs=None):
        self.batches += 1
        time.sleep(0.002)

    def on_train_end(self, logs=None):
        with self.lock:
            self.active = False


for round_ in range(4):
    pace = Pace()
    rng = np.random.default_rng([rank, round_])
    delay = 0.3 + float(rng.uniform(0, 0.4))

    def interrupt(pace=pace):
        with pace.lock:
            if pace.active:
                os.kill(os.getpid(), signal.SIGINT)

    timer = threading.Timer(delay, interrupt) if round_ < 3 or rank == 1 else None
    dist.barrier()
    if timer is not None:
        timer.start()
    history = nn.fit(P.model("float64"), X, y, optimizer="sgd", epochs=100, batch_size=4,
                     verbose=0, callbacks=[pace], distributed=True)
    if timer is not None:
        timer.cancel()
        timer.join()
    rounds.append({"batches": pace.batches, "interrupted": history.interrupted,
                   "epochs": len(history)})
with open(f"{out}/rank{rank}.pkl", "wb") as f:
    pickle.dump(rounds, f)
