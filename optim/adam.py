"""Adam and AdamW: adaptive moment estimation, with L2 or decoupled weight decay."""

from __future__ import annotations

import math

from autograd_core.backend import array_module

from .optimizer import (FLUSH_EVERY, Optimizer, _check_unit_interval, decayed_gradient,
                        flush_denormals_)

__all__ = ["Adam", "AdamW"]


class Adam(Optimizer):
    r"""Adam, with PyTorch's update rule for the same arguments (including ``amsgrad``).

    Parameters
    ----------
    params : iterable of Tensor or of dict
        Parameters, or parameter groups (see :class:`Optimizer`).
    lr : float
        Learning rate :math:`\gamma` (default 1e-3).
    betas : (float, float)
        Decay rates :math:`(\beta_1, \beta_2)` of the first and second moment
        estimates, each in [0, 1) (default (0.9, 0.999)).
    eps : float
        Term :math:`\epsilon` added to the denominator (default 1e-8).
    weight_decay : float
        L2 penalty :math:`\lambda` added to the gradient (default 0).
    amsgrad : bool
        Divide by the running maximum of the second moment (AMSGrad).

    Notes
    -----
    For each parameter :math:`\theta` with gradient :math:`g_t` at its step
    :math:`t = 1, 2, ...`::

        g     = g_t + λ θ                       (if λ != 0)
        m     = β1 m + (1 - β1) g
        v     = β2 v + (1 - β2) g²
        v_max = max(v_max, v)                   (amsgrad; then v_max replaces v below)
        θ     = θ - γ / (1 - β1^t) · m / (sqrt(v) / sqrt(1 - β2^t) + ε)

    ``m``, ``v``, ``v_max`` start at zero; they and the step count ``t`` are kept in
    ``state[p]`` as ``exp_avg``, ``exp_avg_sq``, ``max_exp_avg_sq`` and ``step``.
    As in PyTorch's implementation, AMSGrad takes the maximum of the uncorrected
    ``v`` and bias-corrects the maximum.

    Every ``FLUSH_EVERY`` (32) steps of a parameter, entries of ``m``, ``v`` and
    ``v_max`` smaller in magnitude than ``finfo(dtype).tiny`` are set to zero, so a
    parameter whose gradient stays zero does not leave denormal numbers in the
    running averages (they slow CPUs down many times).  The change is below
    ``tiny`` per entry.
    """

    _decoupled = False

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0,
                 amsgrad=False, *, skip_nonfinite=False):
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                        amsgrad=amsgrad)
        super().__init__(params, defaults, skip_nonfinite=skip_nonfinite)

    def _check_group(self, group):
        super()._check_group(group)
        betas = group["betas"]
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise ValueError(f"{type(self).__name__}: betas must be a pair (beta1, beta2), "
                             f"got {betas!r}")
        group["betas"] = tuple(betas)
        _check_unit_interval(self, group, "betas[0]", betas[0])
        _check_unit_interval(self, group, "betas[1]", betas[1])

    def _plan(self, group):
        lr = group["lr"]
        beta1, beta2 = group["betas"]
        one_minus_beta1, one_minus_beta2 = 1.0 - beta1, 1.0 - beta2
        eps = group["eps"]
        wd = group["weight_decay"]
        amsgrad = group["amsgrad"]
        # (a NumPy-scalar beta promotes the product: a new array, not the scratch one)
        branch = (bool(wd), self._decoupled, bool(amsgrad), one_minus_beta1.__class__ is float)
        state = self.state
        entries = []
        for p in group["params"]:
            if p.grad is None:
                continue
            data = p.data
            st = state.get(p)
            if st is None:
                xp = array_module(data)
                st = state[p] = {"step": 0, "exp_avg": xp.zeros_like(data),
                                 "exp_avg_sq": xp.zeros_like(data)}
                if amsgrad:
                    st["max_exp_avg_sq"] = xp.zeros_like(data)
            t = st["step"] = st["step"] + 1
            flush = t % FLUSH_EVERY == 0
            scalars = (wd, 1.0 - lr * wd, one_minus_beta1, beta1, one_minus_beta2, beta2, eps,
                       math.sqrt(1.0 - beta2 ** t), lr / (1.0 - beta1 ** t))
            arrays = (st["exp_avg"], st["exp_avg_sq"], st.get("max_exp_avg_sq"),
                      self._scratch(data))
            p._bump_version()
            entries.append((p, branch + (flush,), arrays, scalars, not flush))
        return entries

    def _apply(self, p, flags, arrays, scalars):
        with_wd, decoupled, amsgrad, scratch_ok, flush = flags
        m, v, v_max, scratch = arrays
        wd, decay, one_minus_beta1, beta1, one_minus_beta2, beta2, eps, root, step = scalars
        data = p.data
        xp = array_module(data)
        g = p.grad.data
        if with_wd:
            if decoupled:
                data *= decay
            else:
                g = decayed_gradient(xp, p, wd)
        tmp = xp.multiply(g, one_minus_beta1, out=scratch if scratch_ok else None)
        m *= beta1
        m += tmp
        xp.multiply(g, g, out=tmp)
        tmp *= one_minus_beta2
        v *= beta2
        v += tmp
        if amsgrad:
            xp.maximum(v_max, v, out=v_max)
            xp.sqrt(v_max, out=tmp)
        else:
            xp.sqrt(v, out=tmp)
        tmp /= root
        tmp += eps
        xp.divide(m, tmp, out=tmp)
        tmp *= step
        data -= tmp
        if flush:
            flush_denormals_(xp, m)
            flush_denormals_(xp, v, signed=False)
            if amsgrad:
                flush_denormals_(xp, v_max, signed=False)


class AdamW(Adam):
    r"""Adam with decoupled weight decay (Loshchilov & Hutter), as PyTorch's ``AdamW``.

    Parameters
    ----------
    params : iterable of Tensor or of dict
        Parameters, or parameter groups (see :class:`Optimizer`).
    lr : float
        Learning rate :math:`\gamma` (default 1e-3).
    betas : (float, float)
        :math:`(\beta_1, \beta_2)`, each in [0, 1) (default (0.9, 0.999)).
    eps : float
        :math:`\epsilon` (default 1e-8).
    weight_decay : float
        Decoupled decay :math:`\lambda` (default 1e-2).
    amsgrad : bool
        Use the running maximum of the second moment.

    Notes
    -----
    The parameter is shrunk before, and apart from, the Adam step; the gradient
    itself is not changed::

        θ     = θ (1 - γ λ)
        m     = β1 m + (1 - β1) g_t
        v     = β2 v + (1 - β2) g_t²
        v_max = max(v_max, v)                   (amsgrad; then v_max replaces v below)
        θ     = θ - γ / (1 - β1^t) · m / (sqrt(v) / sqrt(1 - β2^t) + ε)

    State, and the flushing of denormals every 32 steps, are as in :class:`Adam`.
    """

    _decoupled = True

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2,
                 amsgrad=False, *, skip_nonfinite=False):
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                         amsgrad=amsgrad, skip_nonfinite=skip_nonfinite)
