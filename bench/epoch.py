"""MNIST-sized epochs (60,000 x 784 float32, batch 128) with SGD and Adam: time and peak memory.

Four configurations, each in a fresh Python process so that its peak resident
memory (``VmHWM`` from ``/proc/self/status``) is its own: this engine with
``optim.SGD`` and ``optim.Adam``, and the same training hand-written in NumPy
(``bench/_common.py``) with SGD and with PyTorch's Adam update, flushing
subnormal running averages every 32 steps as ``optim.Adam`` does; a fifth
configuration, ``numpy-adam-noflush``, shows what happens without the flush.
The engine is fed by ``datasets.DataLoader`` as a user would; the NumPy
reference indexes the same shuffled batches directly.  Every configuration runs ``--epochs``
epochs (default 5) so epoch 1 can be compared with the last: Adam's running
averages must not fill up with denormal numbers and slow down.

Data: synthetic MNIST-shaped float32 in [0, 1) with labels from a fixed random
linear teacher (seeded, generated in each worker), or the real MNIST training
set (scaled to [0, 1]) with ``--mnist`` (looked up through ``$AUTOGRAD_CORE_DATA``).

Prints one JSON line (per configuration: per-epoch seconds, final loss, peak
MiB of the whole process and of the training alone, after loading the data
(``VmHWM`` reset through ``/proc/self/clear_refs``), subnormal entries left in
Adam's state; and the engine/NumPy ratios of the median epoch time, with the
issue's targets) and a table on stderr.

Usage::

    python bench/epoch.py [--epochs 5] [--mnist]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import (NumpyAdam, blas_info, denormal_count, engine_model,  # noqa: E402
                     forward_backward, params_of, peak_rss_mib, reset_peak_rss, sgd_step)

N_SAMPLES, N_FEATURES, N_CLASSES = 60_000, 784, 10
BATCH = 128
LR = {"sgd": 0.05, "adam": 1e-3}
CONFIGS = ("engine-sgd", "numpy-sgd", "engine-adam", "numpy-adam", "numpy-adam-noflush")
TARGET_RATIO = 1.1
TARGET_PEAK_MIB = 260


# -- worker -----------------------------------------------------------------------------

def load_data(mnist: bool):
    """``(X, y)``: float32 ``(60000, 784)`` in [0, 1) and int64 labels."""
    if mnist:
        from autograd_core.datasets import load_mnist  # noqa: PLC0415

        # pixels / 255 as float32, converted while reading: no uint8 copy alongside
        (images, labels), test = load_mnist(dtype=np.float32)
        del test  # only the training set is used
        return images.reshape(images.shape[0], N_FEATURES), labels.astype(np.int64)
    rng = np.random.default_rng(0)
    X = rng.random((N_SAMPLES, N_FEATURES), dtype=np.float32)
    teacher = rng.standard_normal((N_FEATURES, N_CLASSES), dtype=np.float32)
    y = np.empty(N_SAMPLES, dtype=np.int64)
    for start in range(0, N_SAMPLES, 1000):  # in chunks: small temporaries
        chunk = X[start:start + 1000]
        y[start:start + 1000] = ((chunk - 0.5) @ teacher).argmax(axis=1)
    return X, y


def engine_epochs(X, y, optimizer, epochs):
    """Train this engine's MLP for ``epochs`` epochs with ``optimizer`` ("sgd" or "adam");
    ``(seconds per epoch, last batch loss per epoch, subnormals in Adam's state)``."""
    from autograd_core import datasets  # noqa: PLC0415
    from autograd_core import nn  # noqa: PLC0415
    from autograd_core import optim  # noqa: PLC0415

    model = engine_model(seed=0)
    params = list(model.parameters())
    opt = (optim.SGD(params, lr=LR["sgd"]) if optimizer == "sgd"
           else optim.Adam(params, lr=LR["adam"]))
    loader = datasets.DataLoader(X, y, batch_size=BATCH, shuffle=True, seed=1)
    times, losses = [], []
    for _ in range(epochs):
        start = time.perf_counter()
        for xb, yb in loader:
            loss = nn.functional.cross_entropy(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
        times.append(time.perf_counter() - start)
        losses.append(float(loss.item()))
    state = ([st[k] for st in opt.state.values() for k in ("exp_avg", "exp_avg_sq")]
             if optimizer == "adam" else [])
    return times, losses, denormal_count(state)


def numpy_epochs(X, y, optimizer, epochs, initial, flush=True):
    """The same training hand-written in NumPy from the weights ``initial``; returns what
    :func:`engine_epochs` does.  ``flush=False``: Adam never zeroes subnormal averages."""
    params = [p.copy() for p in initial]
    adam = (NumpyAdam(np, params, lr=LR["adam"], flush_every=32 if flush else None)
            if optimizer == "adam" else None)
    rng = np.random.default_rng(1)
    times, losses = [], []
    for _ in range(epochs):
        start = time.perf_counter()
        order = rng.permutation(N_SAMPLES)
        for b in range(0, N_SAMPLES, BATCH):
            index = order[b:b + BATCH]
            xb, yb = X[index], y[index]
            if adam is None:
                loss = sgd_step(np, params, xb, yb, LR["sgd"])
            else:
                loss, grads = forward_backward(np, params, xb, yb)
                adam.step(params, grads)
        times.append(time.perf_counter() - start)
        losses.append(float(loss))
    state = adam.m + adam.v if adam is not None else []
    return times, losses, denormal_count(state)


def worker(config, epochs, mnist):
    """Run one configuration (e.g. "engine-adam") in this process; print its JSON line."""
    library, optimizer, *variant = config.split("-")
    X, y = load_data(mnist)
    load_peak = peak_rss_mib()
    reset = reset_peak_rss()  # from here VmHWM is the training's peak (data included)
    if library == "engine":
        times, losses, denormals = engine_epochs(X, y, optimizer, epochs)
    else:
        initial = params_of(engine_model(seed=0))  # the engine's initial weights
        times, losses, denormals = numpy_epochs(X, y, optimizer, epochs, initial,
                                                flush=variant != ["noflush"])
    print(json.dumps({"config": config, "epoch_s": [round(t, 3) for t in times],
                      "loss": [round(v, 4) for v in losses],
                      "peak_mib": round(max(load_peak, peak_rss_mib()), 1),
                      "load_peak_mib": round(load_peak, 1),
                      "training_peak_mib": round(peak_rss_mib(), 1) if reset else None,
                      "adam_state_subnormals": denormals if optimizer == "adam" else None}))


# -- driver -------------------------------------------------------------------------------

def loader_overhead(mnist):
    """Seconds per epoch of ``datasets.DataLoader`` iteration alone vs. direct indexing."""
    from autograd_core import datasets  # noqa: PLC0415

    X, y = load_data(mnist)
    loader = datasets.DataLoader(X, y, batch_size=BATCH, shuffle=True, seed=1)
    start = time.perf_counter()
    for _ in loader:
        pass
    loader_s = time.perf_counter() - start
    order = np.random.default_rng(1).permutation(N_SAMPLES)
    start = time.perf_counter()
    for b in range(0, N_SAMPLES, BATCH):
        index = order[b:b + BATCH]
        X[index], y[index]
    return loader_s, time.perf_counter() - start


def main():
    """Run each configuration in a worker process; print the JSON line and the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--mnist", action="store_true", help="real MNIST via load_mnist()")
    parser.add_argument("--worker", choices=CONFIGS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.epochs, args.mnist)
        return
    runs = {}
    for config in CONFIGS:
        cmd = [sys.executable, __file__, "--worker", config, "--epochs", str(args.epochs)]
        if args.mnist:
            cmd.append("--mnist")
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode:
            sys.stderr.write(done.stderr)
            raise SystemExit(f"epoch.py: worker {config} failed (exit {done.returncode})")
        runs[config] = json.loads(done.stdout.strip().splitlines()[-1])
    for r in runs.values():
        r["median_epoch_s"] = round(statistics.median(r["epoch_s"]), 3)
        r["last_over_first"] = round(r["epoch_s"][-1] / r["epoch_s"][0], 3)
    ratios = {opt: round(runs[f"engine-{opt}"]["median_epoch_s"]
                         / runs[f"numpy-{opt}"]["median_epoch_s"], 3) for opt in ("sgd", "adam")}
    loader_s, index_s = loader_overhead(args.mnist)
    result = {
        "bench": "epoch",
        "data": "mnist" if args.mnist else "synthetic",
        "samples": N_SAMPLES, "batch": BATCH, "epochs": args.epochs, "dtype": "float32",
        "configs": runs,
        "engine_over_numpy": ratios,
        "target_ratio": TARGET_RATIO,
        "target_peak_mib": TARGET_PEAK_MIB,
        "targets_met": {
            **{f"time_{opt}": ratio <= TARGET_RATIO for opt, ratio in ratios.items()},
            **{f"peak_{c}": runs[c]["peak_mib"] <= TARGET_PEAK_MIB for c in CONFIGS
               if c.startswith("engine")},
        },
        "dataloader_epoch_s": round(loader_s, 3),
        "direct_indexing_epoch_s": round(index_s, 3),
        "blas": blas_info(),
    }
    print(json.dumps(result))
    print(f"{'config':>18} {'epoch 1 s':>9} {'last s':>7} {'median s':>8} {'peak MiB':>8} "
          f"{'train MiB':>9} {'loss':>7} {'subnormals':>10}", file=sys.stderr)
    for config, r in runs.items():
        sub = r["adam_state_subnormals"]
        print(f"{config:>18} {r['epoch_s'][0]:>9.2f} {r['epoch_s'][-1]:>7.2f} "
              f"{r['median_epoch_s']:>8.2f} {r['peak_mib']:>8.1f} "
              f"{r['training_peak_mib'] or float('nan'):>9.1f} {r['loss'][-1]:>7.3f} "
              f"{'-' if sub is None else sub:>10}", file=sys.stderr)
    print(f"engine/numpy (median epoch): sgd {ratios['sgd']}, adam {ratios['adam']} "
          f"(target <= {TARGET_RATIO}); DataLoader {loader_s:.3f} s/epoch vs direct indexing "
          f"{index_s:.3f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
