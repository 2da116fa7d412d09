"""Adagrad: per-coordinate learning rates from the sum of all past squared gradients."""

from __future__ import annotations


from autograd_core.backend import array_module

from .optimizer import Optimizer, _check_nonnegative, decayed_gradient, keeps_dtype

__all__ = ["Adagrad"]


class Adagrad(Optimizer):
    r"""Adagrad, with PyTorch's update rule for the same arguments.

    Parameters
    ----------
    params : iterable of Tensor or of dict
        Parameters, or parameter groups (see :class:`Optimizer`).
    lr : float
        Learning rate :math:`\gamma` (default 1e-2).
    lr_decay : float
        Learning-rate decay :math:`\eta` (default 0).
    weight_decay : float
        L2 penalty :math:`\lambda` added to the gradient (default 0).
    initial_accumulator_value : float
        Starting value :math:`s_0` of the sum of squared gradients (default 0).
    eps : float
        Term :math:`\epsilon` added to the denominator (default 1e-10).

    Notes
    -----
    For each parameter :math:`\theta` with gradient :math:`g_t` at its step
    :math:`t = 1, 2, ...`::

        γ_t = γ / (1 + (t - 1) η)
        g   = g_t + λ θ                (if λ != 0)
        s   = s + g²
        θ   = θ - γ_t g / (sqrt(s) + ε)

    ``s`` and ``t`` are kept in ``state[p]`` as ``sum`` and ``step``.  The sum
    never decays, so it needs no denormal flushing.
    """

    def __init__(self, params, lr=1e-2, lr_decay=0.0, weight_decay=0.0,
                 initial_accumulator_value=0.0, eps=1e-10, *, skip_nonfinite=False):
        defaults = dict(lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                        initial_accumulator_value=initial_accumulator_value, eps=eps)
        super().__init__(params, defaults, skip_nonfinite=skip_nonfinite)

    def _check_group(self, group):
        super()._check_group(group)
        _check_nonnegative(self, group, "lr_decay")
        _check_nonnegative(self, group, "initial_accumulator_value")

    def _plan(self, group):
        lr = group["lr"]
        lr_decay = group["lr_decay"]
        eps = group["eps"]
        wd = group["weight_decay"]
        state = self.state
        entries = []
        for p in group["params"]:
            if p.grad is None:
                continue
            data = p.data
            st = state.get(p)
            if st is None:
                st = state[p] = {
                    "step": 0,
                    "sum": array_module(data).full_like(data,
                                                        group["initial_accumulator_value"]),
                }
            t = st["step"] = st["step"] + 1
            scratch_ok = keeps_dtype(data, wd)
            p._bump_version()
            entries.append((p, (bool(wd), scratch_ok), (st["sum"], self._scratch(data)),
                            (wd, eps, lr / (1.0 + (t - 1) * lr_decay)), True))
        return entries

    def _apply(self, p, flags, arrays, scalars):
        with_wd, scratch_ok = flags
        s, scratch = arrays
        wd, eps, clr = scalars
        data = p.data
        xp = array_module(data)
        g = p.grad.data
        if with_wd:
            g = decayed_gradient(xp, p, wd)
        tmp = xp.multiply(g, g, out=scratch if scratch_ok else None)
        s += tmp
        xp.sqrt(s, out=tmp)
        tmp += eps
        xp.divide(g, tmp, out=tmp)
        tmp *= clr
        data -= tmp
