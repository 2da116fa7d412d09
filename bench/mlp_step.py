"""One training step of a 784-300-100-10 ReLU MLP: this engine vs. hand-written NumPy.

A step is forward, mean softmax cross-entropy, backward and an SGD update, in
float32.  The engine is used as a user would::

    model = nn.MLP(784, [300, 100], 10, dtype="float32")
    opt = optim.SGD(model.parameters(), lr=0.01)
    loss = nn.functional.cross_entropy(model(x), y)
    opt.zero_grad(); loss.backward(); opt.step()

The reference is the same step written by hand in NumPy (``bench/_common.py``)
from the same initial weights and data, and PyTorch (when installed; never a
dependency) with the same weights.  Before timing, one step of each is checked
to give the same updated weights (``allclose``), so a fast but wrong engine
cannot pass.  Libraries are timed in interleaved rounds with a pause and a
warm-up at each switch; the figure is the median over rounds.

Prints one JSON line (per batch size: milliseconds per step and the ratios
engine/numpy and engine/torch, with the issue's targets), and a table on stderr.

Usage::

    python bench/mlp_step.py [--batch 32 128 1024] [--repeat 7] [--device cpu|cuda]

``--device cuda`` runs the engine on CuPy, the hand-written reference on CuPy
and PyTorch on CUDA (default batches 128, 1024 and 4096).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import autograd_core as ag  # noqa: E402
from autograd_core import nn  # noqa: E402
from autograd_core import optim  # noqa: E402
from autograd_core import backend  # noqa: E402

from _common import (blas_info, engine_model, interleaved_medians, params_of,  # noqa: E402
                     sgd_step)

LR = 0.01
TARGETS = {  # engine / reference step time, from issue 7
    "cpu": {32: 1.25, 128: 1.10, 1024: 1.05},  # vs hand-written NumPy
    "cuda": {1024: 1.5, 4096: 1.5},  # vs PyTorch CUDA
}


def make_data(batch, seed):
    """A random float32 batch ``(batch, 784)`` in [0, 1) and class indices 0-9."""
    rng = np.random.default_rng(seed)
    x = rng.random((batch, 784), dtype=np.float32)
    y = rng.integers(0, 10, batch)
    return x, y


class EngineStep:
    """One SGD step of this engine, used as a user would (``nn.MLP``, ``optim.SGD``)."""

    def __init__(self, x, y, device):
        self.model = engine_model(seed=0, device=device)
        self.opt = optim.SGD(self.model.parameters(), lr=LR)
        self.x = ag.tensor(x, device=device)
        self.y = ag.tensor(y, device=device)

    def __call__(self):
        loss = nn.functional.cross_entropy(self.model(self.x), self.y)
        self.opt.zero_grad()
        loss.backward()
        self.opt.step()
        return loss

    def params(self):
        return params_of(self.model)


class NumpyStep:
    """The hand-written step, on NumPy (or CuPy for a GPU device)."""

    def __init__(self, x, y, initial, device):
        self.xp = backend.module_for_device(device)
        self.params = [self.xp.asarray(p).copy() for p in initial]
        self.x, self.y = self.xp.asarray(x), self.xp.asarray(y)

    def __call__(self):
        return sgd_step(self.xp, self.params, self.x, self.y, LR)

    def host_params(self):
        return [p.get() if hasattr(p, "get") else p for p in self.params]


class TorchStep:
    """The same step in PyTorch, from the same initial weights (``W`` transposed into
    ``nn.Linear``'s ``(out, in)`` layout)."""

    def __init__(self, torch, x, y, initial, device):
        self.torch = torch
        layers = []
        for i in range(0, len(initial), 2):
            w, b = initial[i], initial[i + 1]
            lin = torch.nn.Linear(w.shape[0], w.shape[1])
            with torch.no_grad():
                lin.weight.copy_(torch.from_numpy(np.ascontiguousarray(w.T)))
                lin.bias.copy_(torch.from_numpy(b))
            layers += [lin, torch.nn.ReLU()]
        self.model = torch.nn.Sequential(*layers[:-1]).to(device)
        self.opt = torch.optim.SGD(self.model.parameters(), lr=LR)
        self.x = torch.from_numpy(x).to(device)
        self.y = torch.from_numpy(y).to(device)

    def __call__(self):
        loss = self.torch.nn.functional.cross_entropy(self.model(self.x), self.y)
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        self.opt.step()
        return loss

    def params(self):
        out = []
        for p in self.model.parameters():
            a = p.detach().cpu().numpy()
            out.append(a.T.copy() if a.ndim == 2 else a.copy())
        return out


def load_torch(device):
    """PyTorch, or None when it is not installed (or has no CUDA for a GPU ``device``)."""
    try:
        import torch
    except ImportError:
        return None
    if device != "cpu" and not torch.cuda.is_available():
        return None
    return torch


def check_same_step(steps, names, device):
    """One step of each from the same start must give the same weights."""
    for name in names:
        steps[name]()
    ref = steps["numpy"].host_params()
    rtol, atol = (1e-4, 1e-6) if device == "cpu" else (1e-3, 1e-5)
    for name in names:
        if name == "numpy":
            continue
        got = steps[name].params()
        for i, (a, b) in enumerate(zip(got, ref)):
            if not np.allclose(a, b, rtol=rtol, atol=atol):
                raise AssertionError(
                    f"{name}: parameter {i} after one step differs from the hand-written "
                    f"reference by up to {np.max(np.abs(a - b)):.3g}")


def bench_batch(batch, repeat, device, torch):
    """Check one step of each library against the reference, then time them: one result row."""
    x, y = make_data(batch, seed=batch)
    engine = EngineStep(x, y, device)
    initial = engine.params()
    steps = {"engine": engine, "numpy": NumpyStep(x, y, initial, device)}
    if torch is not None:
        steps["torch"] = TorchStep(torch, x, y, initial, "cuda" if device != "cpu" else "cpu")
    check_same_step(steps, list(steps), device)
    medians, samples = interleaved_medians(
        {name: step.__call__ for name, step in steps.items()}, repeat, device=device)
    row = {f"{name}_ms": round(t * 1e3, 4) for name, t in medians.items()}
    row["engine_over_numpy"] = round(medians["engine"] / medians["numpy"], 3)
    row["engine_over_torch"] = (round(medians["engine"] / medians["torch"], 3)
                                if "torch" in medians else None)
    row["numpy_over_torch"] = (round(medians["numpy"] / medians["torch"], 3)
                               if "torch" in medians else None)
    row["spread_engine_ms"] = [round(min(samples["engine"]) * 1e3, 4),
                               round(max(samples["engine"]) * 1e3, 4)]
    return row


def main():
    """Time every ``--batch``; print the JSON line, and the table on stderr."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--batch", type=int, nargs="+", default=None)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--device", default="cpu", help="cpu or cuda[:N]")
    args = parser.parse_args()
    device = backend.parse_device(args.device)
    kind = "cpu" if device == "cpu" else "cuda"
    if kind == "cuda" and not backend.cupy_available():
        raise SystemExit(f"mlp_step.py: --device {args.device} needs CuPy and a CUDA GPU")
    batches = args.batch or ([32, 128, 1024] if kind == "cpu" else [128, 1024, 4096])
    torch = load_torch(device)
    if torch is not None and device != "cpu":
        torch.cuda.set_device(int(device[5:]))
    rows = {}
    for batch in batches:
        rows[batch] = bench_batch(batch, args.repeat, device, torch)
    targets = TARGETS[kind]
    ratio_key = "engine_over_numpy" if kind == "cpu" else "engine_over_torch"
    met = {b: (None if b not in targets or rows[b][ratio_key] is None
               else rows[b][ratio_key] <= targets[b]) for b in batches}
    result = {
        "bench": "mlp_step",
        "device": device,
        "dtype": "float32",
        "sizes": [784, 300, 100, 10],
        "repeat": args.repeat,
        "batches": {str(b): rows[b] for b in batches},
        "targets": {str(b): t for b, t in targets.items()},
        "target_ratio": ratio_key,
        "targets_met": {str(b): m for b, m in met.items()},
        "torch": None if torch is None else torch.__version__,
        "torch_threads": None if torch is None else torch.get_num_threads(),
        "blas": blas_info(),
    }
    print(json.dumps(result))
    head = f"{'batch':>6} {'engine ms':>10} {'numpy ms':>10} {'torch ms':>10} " \
           f"{'eng/np':>7} {'eng/torch':>9} {'target':>7}"
    print(head, file=sys.stderr)
    for b in batches:
        r = rows[b]
        torch_ms = "-" if r.get("torch_ms") is None else f"{r['torch_ms']:.3f}"
        ratio_t = "-" if r["engine_over_torch"] is None else f"{r['engine_over_torch']:.3f}"
        target = targets.get(b)
        print(f"{b:>6} {r['engine_ms']:>10.3f} {r['numpy_ms']:>10.3f} {torch_ms:>10} "
              f"{r['engine_over_numpy']:>7.3f} {ratio_t:>9} "
              f"{'-' if target is None else target:>7}", file=sys.stderr)


if __name__ == "__main__":
    main()
