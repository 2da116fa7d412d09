"""Adagrad: per-coordinate learning rates from the sum of all past squared gradients."""

from __future__ import annotations

from autograd_core.backend import array_module

from .optimizer import Optimizer, _check_nonnegative

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

    def _update(self, group):
        lr = group["lr"]
        lr_decay = group["lr_decay"]
        eps = group["eps"]
        wd = group["weight_decay"]
        state = self.state
        for p in group["params"]:
            grad = p.grad
            if grad is None:
                continue
            data = p.data
            xp = array_module(data)
            st = state.get(p)
            if st is None:
                st = state[p] = {
                    "step": 0,
                    "sum": xp.full_like(data, group["initial_accumulator_value"]),
                }
            t = st["step"] = st["step"] + 1
            g = grad.data
            if wd:
                g = xp.multiply(data, wd)
                g += grad.data
            s = st["sum"]
            tmp = xp.multiply(g, g,  # into scratch unless a NumPy-scalar decay promoted g
                              out=self._scratch(data) if g.dtype == data.dtype else None)
            s += tmp
            xp.sqrt(s, out=tmp)
            tmp += eps
            xp.divide(g, tmp, out=tmp)
            tmp *= lr / (1.0 + (t - 1) * lr_decay)
            data -= tmp
            p._bump_version()
