"""Eager vs ``ag.compile``: one SGD step of the 784-300-100-10 ReLU MLP, float32.

The step is ``bench/mlp_step.py``'s (forward, mean softmax cross-entropy,
backward, ``optim.SGD``), written once as a function and run two ways: eagerly,
and through ``ag.compile`` (traced twice, then replayed).  The hand-written,
preallocated NumPy step of ``bench/_common.py`` is timed beside them.  Before
timing, ten steps of the compiled step and of the eager step from the same
weights and data must give bit-identical weights (``numpy.array_equal``), so a
fast but wrong replay cannot pass.  The three are timed in interleaved rounds
(pause and warm-up at each switch, wall-clock time); the figure is the median.

Prints one JSON line per batch size (ms per step, compiled/eager and
compiled/numpy ratios, the spread over rounds) and the BLAS settings.

Usage::

    OPENBLAS_NUM_THREADS=1 python bench/compile_step.py [--batch 32 128 1024 4096] [--repeat 7]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import autograd_core as ag  # noqa: E402
from autograd_core import nn, optim  # noqa: E402

from _common import blas_info, engine_model, interleaved_medians, params_of, sgd_step  # noqa: E402

LR = 0.01


def make_step():
    """A fresh model and optimizer (seed 0) and the step function over them."""
    model = engine_model(seed=0, device="cpu")
    opt = optim.SGD(model.parameters(), lr=LR)

    def step(x, y):
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss

    return model, step


def check_identical(x, y, steps=10):
    """``steps`` compiled steps give the eager weights bit for bit (or raise)."""
    eager_model, eager = make_step()
    compiled_model, step = make_step()
    compiled = ag.compile(step)
    for _ in range(steps):
        eager(x, y)
        compiled(x, y)
    for i, (a, b) in enumerate(zip(params_of(eager_model), params_of(compiled_model))):
        if not np.array_equal(a, b):
            raise AssertionError(f"compiled step: parameter {i} differs from the eager step's "
                                 f"after {steps} steps by up to {np.max(np.abs(a - b)):.3g}")
    if compiled.cache_info().hits < steps - 3:  # call 1 finds the state, 2-3 trace
        raise AssertionError(f"compiled step did not replay: {compiled.cache_info()}")


def bench_batch(batch, repeat):
    """Check, then time eager / compiled / NumPy at one batch size: one result row."""
    rng = np.random.default_rng(batch)
    xa = rng.random((batch, 784), dtype=np.float32)
    ya = rng.integers(0, 10, batch)
    x, y = ag.tensor(xa), ag.tensor(ya)
    check_identical(x, y)
    model, eager = make_step()
    _, step = make_step()
    compiled = ag.compile(step)
    params = [p.copy() for p in params_of(model)]
    fns = {"eager": lambda: eager(x, y), "compiled": lambda: compiled(x, y),
           "numpy": lambda: sgd_step(np, params, xa, ya, LR)}
    medians, samples = interleaved_medians(fns, repeat)
    row = {"batch": batch, **{f"{k}_ms": round(v * 1e3, 4) for k, v in medians.items()}}
    row["compiled_over_eager"] = round(medians["compiled"] / medians["eager"], 3)
    row["compiled_over_numpy"] = round(medians["compiled"] / medians["numpy"], 3)
    row["eager_over_numpy"] = round(medians["eager"] / medians["numpy"], 3)
    row["spread_ms"] = {k: [round(min(v) * 1e3, 4), round(max(v) * 1e3, 4)]
                        for k, v in samples.items()}
    row["replay_buffers"] = compiled.program(x, y).n_buffers
    return row


def main():
    """Time every ``--batch``; print one JSON line each, then the BLAS settings."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--batch", type=int, nargs="+", default=[32, 128, 1024, 4096])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    for batch in args.batch:
        print(json.dumps({"bench": "compile_step", **bench_batch(batch, args.repeat)}),
              flush=True)
    print(json.dumps({"blas": blas_info()}))


if __name__ == "__main__":
    main()
