"""Rank 1 raises while the others wait in a collective: the whole job must end, non-zero."""

import time

import numpy as np

from autograd_core import distributed as dist

dist.init()
if dist.get_rank() == 1:
    time.sleep(0.2)
    raise RuntimeError("rank 1 fails on purpose")
dist.all_reduce(np.ones(3))  # would wait forever for rank 1
