"""Helpers shared by the benchmarks: the training-step reference (``mlp_step.py``,
``epoch.py``) and the timing and memory helpers (``op_overhead.py`` uses ``SETTLE_S``).

The hand-written reference: a ReLU MLP trained with softmax cross-entropy, its
backward pass written out by hand, in whatever array module ``xp`` the arrays
belong to (NumPy, or CuPy on a GPU).  It is what a careful user would write
without an autodiff engine, and the floor the engine is measured against.
"""

from __future__ import annotations

import math
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SIZES = (784, 300, 100, 10)  # the 784-300-100-10 ReLU MLP
SETTLE_S = 0.3  # OpenBLAS threads spin after a call: let them sleep before switching library


# -- the reference model ------------------------------------------------------------------

def engine_model(seed=0, dtype="float32", device="cpu"):
    """The engine's ``nn.MLP(784, [300, 100], 10)``: Linear-ReLU-Linear-ReLU-Linear."""
    from autograd_core import nn  # noqa: PLC0415

    return nn.MLP(SIZES[0], list(SIZES[1:-1]), SIZES[-1], generator=seed, dtype=dtype,
                  device=device)


def params_of(model):
    """The model's parameters as host NumPy copies ``[W1, b1, W2, b2, W3, b3]``
    (textbook layout: ``W`` is ``(in, out)``)."""
    return [np.array(p.data.get() if hasattr(p.data, "get") else p.data, copy=True)
            for p in model.parameters()]


def forward_backward(xp, params, x, y):
    """Loss and gradients ``[dW1, db1, ...]`` of the MLP on ``(x, y)``, by hand.

    Mean softmax cross-entropy over the batch; ``y`` holds class indices.  Works
    for any number of layers with ReLU between them.
    """
    n = x.shape[0]
    rows = xp.arange(n)
    weights, biases = params[0::2], params[1::2]
    hidden = [x]
    h = x
    for i, (w, b) in enumerate(zip(weights, biases)):
        z = h @ w
        z += b
        if i < len(weights) - 1:
            xp.maximum(z, 0, out=z)
        hidden.append(z)
        h = z
    logits = hidden.pop()
    shifted = logits - logits.max(axis=1, keepdims=True)
    e = xp.exp(shifted)
    total = e.sum(axis=1, keepdims=True)
    loss = -(shifted[rows, y] - xp.log(total[:, 0])).mean()
    # d loss / d logits = (softmax - onehot) / n
    g = e
    g /= total
    g[rows, y] -= 1
    g *= 1.0 / n
    grads = [None] * len(params)
    for i in range(len(weights) - 1, -1, -1):
        a = hidden[i]
        grads[2 * i] = a.T @ g
        grads[2 * i + 1] = g.sum(axis=0)
        if i:
            g = g @ weights[i].T
            g *= a > 0  # ReLU's derivative (a multiply: masked assignment is 5-20x slower)
    return loss, grads


def sgd_step(xp, params, x, y, lr):
    """One SGD step of the hand-written reference, in place."""
    loss, grads = forward_backward(xp, params, x, y)
    for p, g in zip(params, grads):
        g *= lr
        p -= g
    return loss


class NumpyAdam:
    """PyTorch's Adam update (no weight decay), hand-written with in-place array ops.

    Every ``flush_every`` steps (``None``: never) entries of the running averages
    below the dtype's ``tiny`` are zeroed, as ``optim.Adam`` does: without it,
    averages of gradients that became zero (dead ReLU units) turn subnormal and
    slow every later step down.
    """

    def __init__(self, xp, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, flush_every=32):
        self.xp, self.lr, self.betas, self.eps = xp, lr, betas, eps
        self.flush_every = flush_every
        self.m = [xp.zeros_like(p) for p in params]
        self.v = [xp.zeros_like(p) for p in params]
        self.t = 0

    def step(self, params, grads):
        xp = self.xp
        beta1, beta2 = self.betas
        self.t += 1
        step_size = self.lr / (1.0 - beta1 ** self.t)
        root_correction = math.sqrt(1.0 - beta2 ** self.t)
        for p, g, m, v in zip(params, grads, self.m, self.v):
            m *= beta1
            m += (1.0 - beta1) * g
            v *= beta2
            g *= g
            g *= 1.0 - beta2
            v += g
            denom = xp.sqrt(v)
            denom /= root_correction
            denom += self.eps
            xp.divide(m, denom, out=denom)
            denom *= step_size
            p -= denom
            if self.flush_every and self.t % self.flush_every == 0:
                tiny = xp.finfo(m.dtype).tiny
                m *= xp.abs(m) >= tiny
                v *= v >= tiny


def denormal_count(arrays) -> int:
    """How many entries of ``arrays`` are subnormal (non-zero, below the dtype's tiny)."""
    count = 0
    for a in arrays:
        a = a.get() if hasattr(a, "get") else a
        tiny = np.finfo(a.dtype).tiny
        count += int(np.count_nonzero((a != 0) & (np.abs(a) < tiny)))
    return count


# -- timing ---------------------------------------------------------------------------------

def synchronize(device):
    """Wait for queued GPU work (CuPy through the engine's backend, and PyTorch if loaded)."""
    if device == "cpu":
        return
    from autograd_core import backend  # noqa: PLC0415

    backend.module_for_device(backend.parse_device(device)).cuda.Device().synchronize()
    torch = sys.modules.get("torch")
    if torch is not None and torch.cuda.is_available():
        torch.cuda.synchronize()


def time_per_call(fn, n, device="cpu"):
    """Mean seconds per call of ``fn()`` over ``n`` calls."""
    synchronize(device)
    start = time.perf_counter()
    for _ in range(n):
        fn()
    synchronize(device)
    return (time.perf_counter() - start) / n


def calls_for(fn, budget_s, device="cpu", floor=3):
    """How many calls of ``fn`` fill about ``budget_s`` seconds (after one warm-up call)."""
    fn()
    once = time_per_call(fn, 1, device)
    return max(floor, math.ceil(budget_s / max(once, 1e-6)))


def interleaved_medians(fns, repeat, budget_s=0.2, device="cpu"):
    """Median seconds per call of each ``fns[name]``, measured in interleaved rounds.

    Each round times every function in turn; at each switch it pauses ``SETTLE_S``
    (spinning BLAS threads of the previous library go to sleep) and warms up.
    """
    counts = {}
    for name, fn in fns.items():
        time.sleep(SETTLE_S)
        counts[name] = calls_for(fn, budget_s, device)
    samples = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            time.sleep(SETTLE_S)
            fn()  # warm-up after the switch
            samples[name].append(time_per_call(fn, counts[name], device))
    return {name: statistics.median(s) for name, s in samples.items()}, samples


def peak_rss_mib() -> float | None:
    """This process's peak resident set size (``VmHWM``) in MiB; ``None`` off Linux."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def reset_peak_rss() -> bool:
    """Reset this process's ``VmHWM`` to its current RSS (Linux >= 4.0); True on success."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def blas_info() -> dict:
    """Thread-pool information (threadpoolctl when installed) and OpenBLAS env settings."""
    info = {k: v for k, v in os.environ.items()
            if k.startswith(("OPENBLAS_", "OMP_", "MKL_"))}
    try:
        from threadpoolctl import threadpool_info  # noqa: PLC0415
    except ImportError:
        info["threadpoolctl"] = None
    else:
        info["threadpools"] = [{k: p.get(k) for k in ("internal_api", "num_threads", "version",
                                                      "architecture")}
                               for p in threadpool_info()]
    info["cpus"] = os.cpu_count()
    return info
