"""This engine beside the libraries a user could pick instead, measured side by side.

Benchmarks (``--bench``, default all):

* ``step``: one SGD training step of the 784-300-100-10 ReLU MLP (float32, mean
  softmax cross-entropy, lr 0.01) at batch 32, 128, 1024 and 4096, against
  hand-written NumPy (in place, every buffer preallocated) and the GEMMs of that
  step alone (the floor: the eight matrix products with ``out=``).
* ``op``: forward + backward per op of the 2,000-op elementwise chain of
  ``op_overhead.py`` on 3-element float64 tensors.
* ``chain``: a 100,000-op chain ``y = y * 1.000001`` built and back-propagated
  (seconds), and the bytes the built graph holds per op.
* ``hvp``: a Hessian-vector product of the mean cross-entropy of a 784-64-10 tanh
  MLP at batch 128 with respect to all its parameters (float32).

Libraries, each only when it is installed (none is a dependency; the ``bench``
extra lists them): ``numpy`` (hand-written), ``gemm`` (the floor), ``engine``
(eager), ``engine_compiled`` (``ag.compile`` on the whole step, when
``hasattr(autograd_core, "compile")``), ``torch`` (eager), ``jax`` (eager) and
``jax_jit`` (``jax.jit`` on the whole step), ``autograd`` (HIPS) and ``mygrad``.
Before any timing, one step (one product, one chain) of every library is checked
against the NumPy reference (``allclose``), so a fast but wrong one cannot pass.

Method: each benchmark and each BLAS thread count (``--threads``, default 1 and 2)
runs in a fresh process (OpenBLAS/OMP/MKL thread variables, XLA's intra-op
threads and ``torch.set_num_threads`` set to it).  Inside it the libraries are
timed in interleaved rounds (``--rounds``); at each switch the script pauses
(spinning BLAS threads go to sleep) and warms up; the clock is the process's CPU
time (``time.process_time``: neighbours on a shared machine do not count, the
BLAS threads of this process do).  Each ratio is taken inside a round and the
median over rounds is printed, with the min-max over rounds.  One JSON line per
benchmark on stdout (with the BLAS libraries and their thread counts from
threadpoolctl when installed, and the load average); a table on stderr.

Usage::

    python bench/peers.py [--bench step op chain hvp] [--batch 32 128 1024 4096]
                          [--threads 1 2] [--rounds 5] [--libs engine torch ...]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import time
import tracemalloc
import types
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from _common import SETTLE_S, SIZES  # noqa: E402

LR = 0.01
BATCHES = (32, 128, 1024, 4096)
LIBS = ("numpy", "gemm", "engine", "engine_compiled", "torch", "jax", "jax_jit", "autograd",
        "mygrad")
BASELINES = {"step": ("numpy", "gemm", "jax_jit", "torch"), "op": ("torch", "numpy"),
             "chain": ("torch",), "hvp": ("jax_jit", "torch")}
GOALS = {  # issue 17, ratios measured in one run
    "step": "engine <= numpy at b32/b128; engine <= 1.10 x gemm at b1024/b4096; "
            "engine < jax_jit at every batch",
    "op": "engine <= 0.5 x torch",
    "chain": "engine <= 1.0 x torch (same process); <= ~400 bytes per op",
    "hvp": "engine <= 1.2 x jax_jit",
}


class Skip(Exception):
    """A library that is not installed or cannot run this benchmark (the reason)."""


def _need(module):
    try:
        return __import__(module)
    except ImportError as err:
        raise Skip(f"{module} not installed") from err


def init_weights(seed=0, sizes=SIZES):
    """Glorot-uniform float32 weights ``[W1, b1, W2, b2, ...]``, textbook layout ``(in, out)``;
    small random biases (so a wrong bias gradient shows)."""
    rng = np.random.default_rng(seed)
    params = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        a = np.sqrt(6.0 / (fan_in + fan_out))
        params.append(rng.uniform(-a, a, (fan_in, fan_out)).astype(np.float32))
        params.append(rng.uniform(-0.1, 0.1, fan_out).astype(np.float32))
    return params


def make_batch(batch, seed=1, features=SIZES[0], classes=SIZES[-1]):
    rng = np.random.default_rng(seed)
    return rng.random((batch, features), dtype=np.float32), rng.integers(0, classes, batch)


# -- the training step, one adapter per library ------------------------------------------
# An adapter: __init__(params, x, y) from NumPy weights; step() runs one SGD step;
# weights() returns the current weights as NumPy arrays in the textbook layout.

class NumpyStep:
    """Hand-written forward, backward and SGD update, in place, every buffer preallocated."""

    def __init__(self, params, x, y):
        self.p = [a.copy() for a in params]
        self.x, self.y = x, y
        n = x.shape[0]
        self.rows = np.arange(n)
        ws = self.p[0::2]
        self.z = [np.empty((n, w.shape[1]), np.float32) for w in ws]
        self.grads = [np.empty_like(a) for a in self.p]
        self.gh = [np.empty((n, w.shape[0]), np.float32) for w in ws[1:]]
        self.mask = [np.empty((n, w.shape[1]), bool) for w in ws[:-1]]
        self.col = np.empty((n, 1), np.float32)

    def step(self):
        ws, bs, z = self.p[0::2], self.p[1::2], self.z
        h = self.x
        for i, (w, b) in enumerate(zip(ws, bs)):
            np.matmul(h, w, out=z[i])
            z[i] += b
            if i < len(ws) - 1:
                np.maximum(z[i], 0, out=z[i])
            h = z[i]
        g = z[-1]  # logits -> softmax -> d loss / d logits, in place
        np.max(g, axis=1, keepdims=True, out=self.col)
        g -= self.col
        np.exp(g, out=g)
        np.sum(g, axis=1, keepdims=True, out=self.col)
        g /= self.col
        loss = -np.log(g[self.rows, self.y]).mean()
        g[self.rows, self.y] -= 1
        g *= 1.0 / g.shape[0]
        for i in range(len(ws) - 1, -1, -1):
            a = z[i - 1] if i else self.x
            np.matmul(a.T, g, out=self.grads[2 * i])
            np.sum(g, axis=0, out=self.grads[2 * i + 1])
            if i:
                gh = self.gh[i - 1]
                np.matmul(g, ws[i].T, out=gh)
                np.greater(z[i - 1], 0, out=self.mask[i - 1])
                gh *= self.mask[i - 1]
                g = gh
        for p, gr in zip(self.p, self.grads):
            gr *= LR
            p -= gr
        return loss

    def weights(self):
        return self.p


class GemmFloor(NumpyStep):
    """Only the eight matrix products of the step (3 forward, 3 weight gradients, 2 input
    gradients), into preallocated buffers: what no library can go below."""

    def step(self):
        ws, z = self.p[0::2], self.z
        h = self.x
        for i, w in enumerate(ws):
            np.matmul(h, w, out=z[i])
            h = z[i]
        g = z[-1]
        for i in range(len(ws) - 1, -1, -1):
            a = z[i - 1] if i else self.x
            np.matmul(a.T, g, out=self.grads[2 * i])
            if i:
                np.matmul(g, ws[i].T, out=self.gh[i - 1])
                g = self.gh[i - 1]

    def weights(self):
        raise Skip("the floor computes no update")


class EngineStep:
    compiled = False

    def __init__(self, params, x, y):
        import autograd_core as ag  # noqa: PLC0415
        from autograd_core import nn, optim  # noqa: PLC0415

        self.model = nn.MLP(SIZES[0], list(SIZES[1:-1]), SIZES[-1], dtype="float32")
        for p, a in zip(self.model.parameters(), params):
            p.data[...] = a
        self.opt = optim.SGD(self.model.parameters(), lr=LR)
        self.x, self.y = ag.tensor(x), ag.tensor(y)
        model, opt, loss_fn = self.model, self.opt, nn.functional.cross_entropy

        def step(x, y):
            loss = loss_fn(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            return loss

        if self.compiled:
            if not hasattr(ag, "compile"):
                raise Skip("autograd_core has no compile (not landed)")
            step = ag.compile(step)
        self._step = step

    def step(self):
        return self._step(self.x, self.y)

    def weights(self):
        return [p.data for p in self.model.parameters()]


class EngineCompiledStep(EngineStep):
    compiled = True


class TorchStep:
    def __init__(self, params, x, y):
        torch = _need("torch")
        self.torch = torch
        layers = []
        for i in range(0, len(params), 2):
            lin = torch.nn.Linear(*params[i].shape)
            with torch.no_grad():
                lin.weight.copy_(torch.from_numpy(params[i].T.copy()))
                lin.bias.copy_(torch.from_numpy(params[i + 1]))
            layers += [lin, torch.nn.ReLU()]
        self.model = torch.nn.Sequential(*layers[:-1])
        self.opt = torch.optim.SGD(self.model.parameters(), lr=LR)
        self.x, self.y = torch.from_numpy(x), torch.from_numpy(y)

    def step(self):
        loss = self.torch.nn.functional.cross_entropy(self.model(self.x), self.y)
        self.opt.zero_grad()
        loss.backward()
        self.opt.step()
        return loss

    def weights(self):
        out = []
        for lin in self.model[0::2]:
            out += [lin.weight.detach().numpy().T, lin.bias.detach().numpy()]
        return out


def _mlp_loss(xp, log_softmax, take):
    def loss(params, x, y):
        h = x
        n_layers = len(params) // 2
        for i in range(n_layers):
            h = h @ params[2 * i] + params[2 * i + 1]
            if i < n_layers - 1:
                h = xp.maximum(h, 0)
        return -take(log_softmax(h), y).mean()
    return loss


class JaxStep:
    jit = False

    def __init__(self, params, x, y):
        _need("jax")
        import jax  # noqa: PLC0415
        import jax.numpy as jnp  # noqa: PLC0415

        self.jax = jax
        loss = _mlp_loss(jnp, lambda h: jax.nn.log_softmax(h, axis=1),
                         lambda lp, y: jnp.take_along_axis(lp, y[:, None], axis=1))

        def step(p, x, y):
            grads = jax.grad(loss)(p, x, y)
            return [a - LR * g for a, g in zip(p, grads)]

        self._step = jax.jit(step, donate_argnums=0) if self.jit else step
        self.p = [jnp.asarray(a) for a in params]
        self.x, self.y = jnp.asarray(x), jnp.asarray(y)

    def step(self):
        self.p = self._step(self.p, self.x, self.y)
        self.jax.block_until_ready(self.p)

    def weights(self):
        return [np.asarray(a) for a in self.p]


class JaxJitStep(JaxStep):
    jit = True


class HipsStep:
    def __init__(self, params, x, y):
        _need("autograd")
        import autograd  # noqa: PLC0415
        import autograd.numpy as anp  # noqa: PLC0415
        from autograd.scipy.special import logsumexp  # noqa: PLC0415

        loss = _mlp_loss(anp, lambda h: h - logsumexp(h, axis=1, keepdims=True),
                         lambda lp, y: lp[np.arange(y.shape[0]), y])
        self._grad = autograd.grad(loss)
        self.p = [a.copy() for a in params]
        self.x, self.y = x, y

    def step(self):
        for p, g in zip(self.p, self._grad(self.p, self.x, self.y)):
            p -= (LR * g).astype(p.dtype, copy=False)

    def weights(self):
        return self.p


class MygradStep:
    def __init__(self, params, x, y):
        mg = _need("mygrad")
        from mygrad.nnet.activations import relu  # noqa: PLC0415
        from mygrad.nnet.losses import softmax_crossentropy  # noqa: PLC0415

        self.mg, self.relu, self.loss = mg, relu, softmax_crossentropy
        self.p = [mg.Tensor(a.copy()) for a in params]
        self.x, self.y = x, y

    def step(self):
        h = self.x
        n_layers = len(self.p) // 2
        for i in range(n_layers):
            h = self.mg.matmul(h, self.p[2 * i]) + self.p[2 * i + 1]
            if i < n_layers - 1:
                h = self.relu(h)
        loss = self.loss(h, self.y)
        loss.backward()
        for p in self.p:
            p.data -= (LR * p.grad).astype(p.dtype, copy=False)

    def weights(self):
        return [p.data for p in self.p]


STEP_ADAPTERS = {"numpy": NumpyStep, "gemm": GemmFloor, "engine": EngineStep,
                 "engine_compiled": EngineCompiledStep, "torch": TorchStep, "jax": JaxStep,
                 "jax_jit": JaxJitStep, "autograd": HipsStep, "mygrad": MygradStep}


def setup_step(libs, batch):
    """Build every adapter, check one step against the NumPy reference, return callables."""
    params = init_weights()
    x, y = make_batch(batch)
    reference = NumpyStep(params, x, y)
    reference.step()
    fns, skipped = {}, {}
    for name in libs:
        try:
            adapter = STEP_ADAPTERS[name](params, x, y)
            if name != "gemm":
                adapter.step()
                for got, want in zip(adapter.weights(), reference.weights()):
                    if not np.allclose(np.asarray(got), want, rtol=1e-4, atol=1e-5):
                        raise Skip("WRONG: its first step does not match the NumPy reference")
            fns[name] = adapter.step
        except Skip as why:
            skipped[name] = str(why)
        except Exception as err:  # noqa: BLE001 - a peer that fails is reported, not fatal
            skipped[name] = f"failed: {type(err).__name__}: {err}"[:300]
    return fns, skipped


# -- per op and the long chain --------------------------------------------------------------

def _namespaces():
    """Per library: (its ``tanh``/``exp``/``sigmoid`` namespace, how to take the gradient of
    ``f(x)`` at a 3-element float64 x)."""
    import op_overhead  # noqa: PLC0415

    out = {}
    import autograd_core as ag  # noqa: PLC0415
    out["engine"] = (ag, lambda: ag.tensor(np.linspace(-1, 1, 3), dtype="float64",
                                           requires_grad=True), "backward")
    if hasattr(ag, "compile"):  # the chain's gradient function, traced once and replayed
        out["engine_compiled"] = (ag, lambda: ag.tensor(np.linspace(-1, 1, 3),
                                                        dtype="float64"),
                                  lambda f: ag.compile(ag.grad(f)))
    try:
        import torch  # noqa: PLC0415
        out["torch"] = (torch, lambda: torch.linspace(-1, 1, 3, dtype=torch.float64,
                                                      requires_grad=True), "backward")
    except ImportError:
        pass
    try:
        import mygrad as mg  # noqa: PLC0415
        from mygrad.nnet.activations import sigmoid  # noqa: PLC0415
        ns = types.SimpleNamespace(tanh=mg.tanh, exp=mg.exp, sigmoid=sigmoid)
        out["mygrad"] = (ns, lambda: mg.Tensor(np.linspace(-1, 1, 3)), "backward")
    except ImportError:
        pass
    try:
        import autograd  # noqa: PLC0415
        import autograd.numpy as anp  # noqa: PLC0415
        from autograd.scipy.special import expit  # noqa: PLC0415
        ns = types.SimpleNamespace(tanh=anp.tanh, exp=anp.exp, sigmoid=expit)
        out["autograd"] = (ns, lambda: np.linspace(-1, 1, 3), autograd.grad)
    except ImportError:
        pass
    try:
        import jax  # noqa: PLC0415
        import jax.numpy as jnp  # noqa: PLC0415
        jax.config.update("jax_enable_x64", True)
        ns = types.SimpleNamespace(tanh=jnp.tanh, exp=jnp.exp, sigmoid=jax.nn.sigmoid)
        out["jax"] = (ns, lambda: jnp.linspace(-1, 1, 3, dtype=jnp.float64), jax.grad)
        out["jax_jit"] = (ns, out["jax"][1], lambda f: jax.jit(jax.grad(f)))
    except ImportError:
        pass
    return out, op_overhead


def setup_op(libs):
    namespaces, op_overhead = _namespaces()
    fns, skipped = {}, {}
    x0 = np.linspace(-1, 1, 3)
    expected = _numpy_chain_grad(op_overhead, x0)
    for name in libs:
        if name == "numpy":
            fns[name] = lambda: _numpy_chain_grad(op_overhead, x0)
            continue
        if name not in namespaces:
            skipped[name] = ("no per-op form (one step of a model)" if name == "gemm"
                             else f"{name} not installed")
            continue
        ns, make_x, how = namespaces[name]
        x = make_x()
        if how == "backward":
            reset = name != "mygrad"  # (MyGrad's backward replaces .grad; it has no setter)

            def run(x=x, ns=ns, reset=reset):
                if reset:
                    x.grad = None
                out = op_overhead.mixed_chain(x, ns)
                out.backward()
                return x.grad
        else:
            grad = how(lambda x, ns=ns: op_overhead.mixed_chain(x, ns))

            def run(x=x, grad=grad):
                g = grad(x)
                getattr(g, "block_until_ready", lambda: None)()
                return g
        g = run()
        g = g.numpy() if hasattr(g, "numpy") and not isinstance(g, np.ndarray) else g
        g = np.asarray(getattr(g, "data", g) if name == "mygrad" else g, dtype=np.float64)
        if not np.allclose(g, expected, rtol=1e-9, atol=1e-12):
            skipped[name] = "WRONG: its gradient does not match NumPy's"
            continue
        fns[name] = run
    return fns, skipped, op_overhead.N_OPS


def _numpy_chain_grad(op_overhead, x0):
    """The chain's gradient written out in NumPy (the no-graph floor), as op_overhead's."""
    saved = []
    y = x0
    for _ in range(op_overhead.N_OPS // 8):
        y = y * 1.0001
        y = y + 0.5
        t = np.tanh(y)
        y = t - 0.1
        e = np.exp(y * 0.01)
        s = 1.0 / (1.0 + np.exp(-e))
        saved.append((t, e, s))
        y = s / 1.5
    g = np.ones_like(y)
    for t, e, s in reversed(saved):
        g = g / 1.5 * (s * (1.0 - s)) * e * 0.01 * (1.0 - t * t) * 1.0001
    return g


def setup_chain(libs, n=100_000):
    namespaces, _ = _namespaces()
    builders = {}
    for name in libs:
        if name not in ("engine", "torch", "mygrad", "autograd"):
            continue
        if name not in namespaces:
            continue
        ns, make_x, how = namespaces[name]

        def build(make_x=make_x):
            x = make_x()
            y = x
            for _ in range(n):
                y = y * 1.000001
            return x, y

        if how == "backward":
            def run(build=build):
                x, y = build()
                y.sum().backward()
                return x.grad
        else:
            def chain(x):
                y = x
                for _ in range(n):
                    y = y * 1.000001
                return y.sum()
            run = (lambda grad=how(chain), make_x=make_x: grad(make_x()))
        builders[name] = (run, build)
    why = {"engine_compiled": "the benchmark is one graph built once per run; a compiled "
                              "function pays off on its replays (see op)"}
    skipped = {name: why.get(name, "jax has no eager tape: jax.grad traces the Python function"
                             if name.startswith("jax") else
                             "not a graph library or not installed")
               for name in libs if name not in builders}
    return builders, skipped


def chain_bytes_per_op(build, n=100_000):
    """Bytes the built graph holds per op: tracemalloc (Python objects and NumPy arrays;
    PyTorch's C++ graph is invisible to it, so its figure is the resident-set growth)."""
    gc.collect()
    tracemalloc.start()
    try:
        base, _ = tracemalloc.get_traced_memory()
        held_graph = build()
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del held_graph
    gc.collect()
    return round((held - base) / n)


def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


# -- Hessian-vector product -----------------------------------------------------------------

HVP_SIZES = (784, 64, 10)


def setup_hvp(libs, batch=128):
    params = init_weights(seed=2, sizes=HVP_SIZES)
    x, y = make_batch(batch, seed=3, features=HVP_SIZES[0], classes=HVP_SIZES[-1])
    rng = np.random.default_rng(4)
    vec = [rng.standard_normal(a.shape).astype(np.float32) for a in params]
    makers = {"engine": _hvp_engine,
              "engine_compiled": lambda *a: _hvp_engine(*a, compiled=True),
              "torch": _hvp_torch, "jax": _hvp_jax,
              "jax_jit": lambda *a: _hvp_jax(*a, jit=True), "autograd": _hvp_hips}
    fns, results, skipped = {}, {}, {}
    for name in libs:
        if name not in makers:
            skipped[name] = {"mygrad": "MyGrad has no second derivatives",
                             "numpy": "no hand-written Hessian",
                             "gemm": "no hand-written Hessian"}.get(
                                 name, "not measured")
            continue
        try:
            fn = makers[name](params, x, y, vec)
            results[name] = np.concatenate([np.asarray(a, np.float64).ravel() for a in fn()])
            fns[name] = fn
        except Skip as why:
            skipped[name] = str(why)
        except Exception as err:  # noqa: BLE001
            skipped[name] = f"failed: {type(err).__name__}: {err}"[:300]
    reference = results.get("torch", results.get("jax_jit"))
    if reference is not None:
        scale = np.abs(reference).max()
        for name, got in results.items():
            if not np.allclose(got, reference, rtol=1e-3, atol=1e-4 * scale):
                skipped[name] = "WRONG: its HVP does not match PyTorch's / JAX's"
                fns.pop(name, None)
    return fns, skipped


def _tanh_mlp_loss(xp, log_softmax, take):
    def loss(w1, b1, w2, b2, x, y):
        h = xp.tanh(x @ w1 + b1)
        return -take(log_softmax(h @ w2 + b2), y).mean()
    return loss


def _hvp_engine(params, x, y, vec, compiled=False):
    import autograd_core as ag  # noqa: PLC0415
    from autograd_core import nn  # noqa: PLC0415

    xt, yt = ag.tensor(x), ag.tensor(y)
    primals = tuple(ag.tensor(a) for a in params)
    tangents = tuple(ag.tensor(v) for v in vec)

    def loss(w1, b1, w2, b2):
        return nn.functional.cross_entropy(ag.linear(ag.tanh(ag.linear(xt, w1, b1)), w2, b2), yt)

    def hvp(p, v):
        return ag.hvp(loss, p, v)

    if compiled:
        if not hasattr(ag, "compile"):
            raise Skip("autograd_core has no compile (not landed)")
        hvp = ag.compile(hvp)
    return lambda: [t.data for t in hvp(primals, tangents)]


def _hvp_torch(params, x, y, vec):
    torch = _need("torch")
    ps = [torch.from_numpy(a.copy()).requires_grad_() for a in params]
    vs = [torch.from_numpy(v) for v in vec]
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)

    def run():
        w1, b1, w2, b2 = ps
        loss = torch.nn.functional.cross_entropy(torch.tanh(xt @ w1 + b1) @ w2 + b2, yt)
        grads = torch.autograd.grad(loss, ps, create_graph=True)
        inner = sum((g * v).sum() for g, v in zip(grads, vs))
        return [h.numpy() for h in torch.autograd.grad(inner, ps)]
    return run


def _hvp_jax(params, x, y, vec, jit=False):
    _need("jax")
    import jax  # noqa: PLC0415
    import jax.numpy as jnp  # noqa: PLC0415

    loss = _tanh_mlp_loss(jnp, lambda h: jax.nn.log_softmax(h, axis=1),
                          lambda lp, y: jnp.take_along_axis(lp, y[:, None], axis=1))
    xj, yj = jnp.asarray(x), jnp.asarray(y)

    def hvp(p, v):  # forward over reverse
        return jax.jvp(lambda *q: jax.grad(loss, argnums=(0, 1, 2, 3))(*q, xj, yj),
                       tuple(p), tuple(v))[1]

    fn = jax.jit(hvp) if jit else hvp
    p = tuple(jnp.asarray(a) for a in params)
    v = tuple(jnp.asarray(a) for a in vec)
    return lambda: jax.block_until_ready(fn(p, v))


def _hvp_hips(params, x, y, vec):
    _need("autograd")
    import autograd  # noqa: PLC0415
    import autograd.numpy as anp  # noqa: PLC0415
    from autograd.scipy.special import logsumexp  # noqa: PLC0415

    loss = _tanh_mlp_loss(anp, lambda h: h - logsumexp(h, axis=1, keepdims=True),
                          lambda lp, y: lp[np.arange(y.shape[0]), y])
    grad = autograd.grad(lambda p: loss(*p, x, y))
    # reverse over reverse (hessian_vector_product takes one array, not a tuple of them)
    hvp = autograd.grad(lambda p: sum(anp.sum(g * v) for g, v in zip(grad(p), vec)))
    p = tuple(a.copy() for a in params)
    return lambda: hvp(p)


# -- timing -------------------------------------------------------------------------------

def _time(fn, calls):
    start = time.process_time()
    for _ in range(calls):
        fn()
    return (time.process_time() - start) / calls


def interleaved(fns, rounds, budget_s):
    """Seconds (process CPU time) per call of each ``fns[name]``, per round, the libraries
    interleaved, with a pause and a warm-up call at each switch."""
    calls = {}
    for name, fn in fns.items():
        time.sleep(SETTLE_S)
        fn()
        once = _time(fn, 1)
        calls[name] = max(2, int(budget_s / max(once, 1e-7)))
    samples = {name: [] for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            time.sleep(SETTLE_S)
            fn()
            samples[name].append(_time(fn, calls[name]))
    return samples


def summarize(samples, baselines, unit_scale, unit):
    """Median per library, and for each baseline the median and min-max over rounds of the
    per-round ratio library / baseline."""
    out = {unit: {k: round(statistics.median(v) * unit_scale, 4) for k, v in samples.items()}}
    for base in baselines:
        if base not in samples:
            continue
        ratios = {k: [a / b for a, b in zip(v, samples[base])] for k, v in samples.items()
                  if k != base}
        out[f"ratio_to_{base}"] = {k: round(statistics.median(r), 3) for k, r in ratios.items()}
        out[f"ratio_to_{base}_range"] = {k: [round(min(r), 3), round(max(r), 3)]
                                         for k, r in ratios.items()}
    return out


def blas_info():
    try:
        from threadpoolctl import threadpool_info  # noqa: PLC0415
    except ImportError:
        return None
    # (OPENBLAS_CORETYPE, when set, pins OpenBLAS's kernels: "architecture" shows which)
    return [{k: i.get(k) for k in ("internal_api", "version", "num_threads", "architecture")}
            for i in threadpool_info()]


def run_child(args):
    """One benchmark in this process, at ``args.threads`` BLAS threads."""
    threads = args.threads[0]
    try:
        import torch  # noqa: PLC0415
        torch.set_num_threads(threads)
    except ImportError:
        pass
    libs = [name for name in args.libs if name in LIBS]
    common = {"bench": args.bench[0], "threads": threads, "clock": "process_time",
              "rounds": args.rounds, "goal": GOALS[args.bench[0]]}
    if args.bench[0] == "step":
        for batch in args.batch:
            fns, skipped = setup_step(libs, batch)
            samples = interleaved(fns, args.rounds, args.budget)
            emit({**common, "batch": batch, **summarize(samples, BASELINES["step"], 1e3, "ms"),
                  "skipped": skipped})
    elif args.bench[0] == "op":
        fns, skipped, n_ops = setup_op(libs)
        samples = interleaved(fns, args.rounds, args.budget)
        emit({**common, "n_ops": n_ops,
              **summarize(samples, BASELINES["op"], 1e6 / n_ops, "us_per_op"),
              "skipped": skipped})
    elif args.bench[0] == "chain":
        builders, skipped = setup_chain(libs)
        samples = {name: [] for name in builders}
        for _ in range(args.rounds):
            for name, (run, _) in builders.items():
                gc.collect()
                time.sleep(SETTLE_S)
                start = time.process_time()
                run()
                samples[name].append(time.process_time() - start)
        bytes_per_op = {}
        for name, (_, build) in builders.items():
            if name == "torch":
                gc.collect()
                before = rss_bytes()
                held = build()
                bytes_per_op["torch (rss)"] = round((rss_bytes() - before) / 100_000)
                del held
            elif name == "engine":  # (the others' Python graphs take minutes under tracemalloc)
                bytes_per_op[name] = chain_bytes_per_op(build)
        emit({**common, "n_ops": 100_000, **summarize(samples, BASELINES["chain"], 1, "s"),
              "bytes_per_op": bytes_per_op, "skipped": skipped,
              "note": "all libraries in one process (PyTorch imported)"})
    elif args.bench[0] == "hvp":
        fns, skipped = setup_hvp(libs)
        samples = interleaved(fns, args.rounds, args.budget)
        emit({**common, "sizes": list(HVP_SIZES), "batch": 128,
              **summarize(samples, BASELINES["hvp"], 1e3, "ms"), "skipped": skipped})


def emit(record):
    record["load_avg_1m"] = round(os.getloadavg()[0], 2)
    record["blas"] = blas_info()
    print(json.dumps(record), flush=True)
    main_unit = next(k for k in ("ms", "us_per_op", "s") if k in record)
    head = f"{record['bench']}" + (f" b{record['batch']}" if "batch" in record else "") + \
        f", {record['threads']} thread(s), load {record['load_avg_1m']}"
    print(head, file=sys.stderr)
    base = next((k for k in record if k.startswith("ratio_to_") and not k.endswith("range")),
                None)
    for name, value in record[main_unit].items():
        ratio = record.get(base, {}).get(name, 1.0 if base and name == base[9:] else "")
        print(f"  {name:16s} {value:10.4f} {main_unit:9s} {ratio}", file=sys.stderr)
    for name, why in record.get("skipped", {}).items():
        print(f"  {name:16s} skipped: {why}", file=sys.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bench", nargs="+", default=["step", "op", "chain", "hvp"],
                        choices=["step", "op", "chain", "hvp"])
    parser.add_argument("--batch", nargs="+", type=int, default=list(BATCHES))
    parser.add_argument("--threads", nargs="+", type=int, default=[1, 2])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--budget", type=float, default=0.15,
                        help="seconds of CPU time per library per round")
    parser.add_argument("--libs", nargs="+", default=list(LIBS), choices=list(LIBS))
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_child(args)
        return
    for threads in args.threads:
        for bench in args.bench:
            env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads),
                       OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads),
                       XLA_FLAGS=(os.environ.get("XLA_FLAGS", "") +
                                  " --xla_cpu_multi_thread_eigen=" +
                                  ("false" if threads == 1 else "true") +
                                  f" intra_op_parallelism_threads={threads}").strip())
            command = [sys.executable, __file__, "--child", "--bench", bench, "--threads",
                       str(threads), "--rounds", str(args.rounds), "--budget",
                       str(args.budget), "--batch", *map(str, args.batch), "--libs", *args.libs]
            subprocess.run(command, env=env, check=True)


if __name__ == "__main__":
    main()
