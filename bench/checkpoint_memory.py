"""Peak memory and time of a 50-layer MLP's forward + backward, with and without checkpointing.

Each layer is ``Linear`` then an activation.  ``autograd_core.checkpoint`` wraps
one layer (``per-layer``) or a run of layers (``every-k``); the reference is the
same network without it.  Printed per activation, all measured in this run:

* ``peak_mib``: tracemalloc's peak of the arrays allocated during forward +
  backward (parameters and input excluded: they exist before), and its ratio to
  the run without checkpointing;
* ``time_ratio``: median wall time of forward + backward (without tracemalloc)
  relative to no checkpointing (the price: about one extra forward pass);
* whether the parameter gradients are bit-identical to the reference.

Usage: ``python bench/checkpoint_memory.py [--layers 50 --width 256 --batch 1024]``
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
from autograd_core import nn  # noqa: E402
from autograd_core.checkpoint import checkpoint  # noqa: E402

from _common import blas_info  # noqa: E402

ACTIVATIONS = {
    "tanh": ag.tanh,  # saves only its output, which the next Linear keeps anyway
    "silu": lambda z: z * ag.sigmoid(z),  # keeps z and sigmoid(z) per layer
}


def forward_backward(layers, activation, x, segment):
    """Loss and parameter gradients; ``segment`` layers per checkpoint (0: none)."""
    for layer in layers:
        layer.weight.grad = layer.bias.grad = None

    def run(h, block):
        for layer in block:
            h = activation(layer(h))
        return h

    h = x
    step = segment or len(layers)
    for start in range(0, len(layers), step):
        block = layers[start:start + step]
        h = checkpoint(run, h, block) if segment else run(h, block)
    loss = (h * h).mean()
    loss.backward()
    return [g for layer in layers for g in (layer.weight.grad, layer.bias.grad)]


def peak_mib(fn):
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 2 ** 20
    finally:
        tracemalloc.stop()


def median_s(fn, repeat):
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--layers", type=int, default=50)
    parser.add_argument("--width", type=int, default=256)
    parser.add_argument("--batch", type=int, default=1024)
    parser.add_argument("--every", type=int, default=5, help="layers per segment for every-k")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    ag.manual_seed(0)
    layers = [nn.Linear(args.width, args.width) for _ in range(args.layers)]
    x = ag.tensor(np.random.default_rng(0).standard_normal((args.batch, args.width),
                                                           dtype=np.float32))
    modes = {"none": 0, "per-layer": 1, f"every-{args.every}": args.every}
    report = {"layers": args.layers, "width": args.width, "batch": args.batch,
              "activation_mib": args.batch * args.width * 4 / 2 ** 20, "blas": blas_info()}
    for name, activation in ACTIVATIONS.items():
        reference = [g.numpy().copy() for g in forward_backward(layers, activation, x, 0)]
        rows = {}
        for mode, segment in modes.items():
            def step(segment=segment):
                return forward_backward(layers, activation, x, segment)

            peak = peak_mib(step)
            seconds = median_s(step, args.repeat)
            identical = all(np.array_equal(g.numpy(), r) for g, r in zip(step(), reference))
            rows[mode] = {"peak_mib": round(peak, 1), "seconds": round(seconds, 4),
                          "bit_identical": identical}
        for mode in modes:
            rows[mode]["peak_ratio"] = round(rows[mode]["peak_mib"] / rows["none"]["peak_mib"], 3)
            rows[mode]["time_ratio"] = round(rows[mode]["seconds"] / rows["none"]["seconds"], 3)
            print(f"{name:5s} {mode:10s} peak {rows[mode]['peak_mib']:7.1f} MiB "
                  f"(x{rows[mode]['peak_ratio']:.2f})  time x{rows[mode]['time_ratio']:.2f}  "
                  f"bit-identical gradients: {rows[mode]['bit_identical']}")
        report[name] = rows
    print(json.dumps(report))


if __name__ == "__main__":
    main()
