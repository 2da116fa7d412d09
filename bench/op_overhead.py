"""Engine overhead per op on tiny tensors, and a 100,000-op chain.

Prints one JSON line.  Figures, all measured in this run:

* ``us_per_op``: forward + backward time per op of a mixed elementwise chain
  (multiply, add, tanh, exp, sigmoid, ...) on 3-element float64 tensors, for
  this engine; ``numpy_floor_us_per_op``: the same array maths in plain NumPy
  with no graph (forward and hand-written backward), the floor any NumPy-based
  engine pays; ``torch_us_per_op``: PyTorch CPU on the same chain, when it is
  installed (never a dependency).
* ``chain_100k_s``: build and back-propagate ``y = y * c + d`` style chain of
  100,000 ops; ``bytes_per_op``: memory the recorded graph holds per op
  (tracemalloc, before backward frees it).

Usage: ``python bench/op_overhead.py [--repeat 7]``
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import autograd_core as ag  # noqa: E402

from _common import SETTLE_S  # noqa: E402

N_OPS = 2000  # ops per timed chain


def mixed_chain(x, lib):
    """The timed chain of ``N_OPS`` elementwise ops on ``x``, summed; ``lib`` is this
    engine (``autograd_core``) or ``torch``, which name these ops alike."""
    y = x
    for _ in range(N_OPS // 8):
        y = y * 1.0001
        y = y + 0.5
        y = lib.tanh(y)
        y = y - 0.1
        y = lib.exp(y * 0.01)
        y = lib.sigmoid(y)
        y = y / 1.5
    return y.sum()


def median_us_per_op(run, repeat, reset=None):
    """Median microseconds per op of ``run()`` (one chain of ``N_OPS`` ops) over ``repeat``
    calls after one warm-up call; ``reset()``, when given, runs after each call, untimed."""
    times = []
    for _ in range(repeat + 1):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
        if reset is not None:
            reset()
    return statistics.median(times[1:]) / N_OPS * 1e6


def time_engine(repeat):
    """Microseconds per op, forward and backward, for this engine."""
    x = ag.tensor(np.linspace(-1, 1, 3), dtype="float64", requires_grad=True)
    return median_us_per_op(lambda: mixed_chain(x, ag).backward(), repeat,
                            reset=lambda: setattr(x, "grad", None))


def time_numpy_floor(repeat):
    """The same maths, forward and backward, in NumPy: no graph, no wrappers."""
    x0 = np.linspace(-1, 1, 3)

    def run():
        saved = []
        y = x0
        for _ in range(N_OPS // 8):
            y = y * 1.0001
            y = y + 0.5
            t = np.tanh(y)
            saved.append(t)
            y = t - 0.1
            e = np.exp(y * 0.01)
            saved.append(e)
            s = np.exp(-np.logaddexp(0, -e))
            saved.append(s)
            y = s / 1.5
        g = np.ones_like(y)
        for t, e, s in zip(saved[0::3][::-1], saved[1::3][::-1], saved[2::3][::-1]):
            g = g / 1.5
            g = g * (s * (1.0 - s))
            g = g * e
            g = g * 0.01
            g = g * (1.0 - t * t)
            g = g * 1.0001
        return g

    return median_us_per_op(run, repeat)


def time_torch(repeat):
    """Microseconds per op for PyTorch CPU (one thread), or None without PyTorch."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    x = torch.linspace(-1, 1, 3, dtype=torch.float64, requires_grad=True)
    time.sleep(SETTLE_S)  # let the other library's threads settle before switching
    mixed_chain(x, torch).backward()
    return median_us_per_op(lambda: mixed_chain(x, torch).backward(), repeat,
                            reset=lambda: setattr(x, "grad", None))


def chain_100k():
    """Seconds to build and back-propagate a 100,000-op chain, and graph bytes per op."""

    def build():
        x = ag.tensor([1.0], dtype="float64", requires_grad=True)
        y = x
        for _ in range(100_000):
            y = y * 1.000001
        return y

    gc.collect()
    start = time.perf_counter()
    y = build()
    built = time.perf_counter()
    y.sum().backward()
    end = time.perf_counter()
    del y
    gc.collect()
    tracemalloc.start()  # a second build, for memory only (tracemalloc slows Python down)
    base, _ = tracemalloc.get_traced_memory()
    y = build()
    held, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "chain_100k_s": round(end - start, 3),
        "chain_100k_build_s": round(built - start, 3),
        "chain_100k_backward_s": round(end - built, 3),
        "bytes_per_op": round((held - base) / 100_000),
    }


def main():
    """Run the three timings and the chain; print the JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    # the chain first: once PyTorch is imported, every full garbage collection during
    # the build also walks PyTorch's own Python objects
    chain = chain_100k()
    engine = time_engine(args.repeat)
    floor = time_numpy_floor(args.repeat)
    torch_us = time_torch(args.repeat)
    result = {
        "bench": "op_overhead",
        "us_per_op": round(engine, 2),
        "numpy_floor_us_per_op": round(floor, 2),
        "torch_us_per_op": None if torch_us is None else round(torch_us, 2),
        "engine_over_torch": None if torch_us is None else round(engine / torch_us, 2),
        "target_us_per_op": 4.5,
        **chain,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
