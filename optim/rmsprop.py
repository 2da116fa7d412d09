"""RMSprop: divide the gradient by a running root-mean-square of recent gradients."""

from __future__ import annotations


from autograd_core.backend import array_module

from .optimizer import (FLUSH_EVERY, Optimizer, _check_nonnegative, decayed_gradient,
                        flush_denormals_, keeps_dtype)

__all__ = ["RMSprop"]


class RMSprop(Optimizer):
    r"""RMSprop, with PyTorch's update rule for the same arguments.

    Parameters
    ----------
    params : iterable of Tensor or of dict
        Parameters, or parameter groups (see :class:`Optimizer`).
    lr : float
        Learning rate :math:`\gamma` (default 1e-2).
    alpha : float
        Smoothing constant :math:`\alpha` of the squared-gradient average, in [0, 1]
        (default 0.99).
    eps : float
        Term :math:`\epsilon` added to the denominator (default 1e-8).
    weight_decay : float
        L2 penalty :math:`\lambda` added to the gradient (default 0).
    momentum : float
        Momentum factor :math:`\mu` (default 0).
    centered : bool
        Subtract the squared running mean of the gradient from the denominator's
        average (an estimate of the variance instead of the second moment).

    Notes
    -----
    For each parameter :math:`\theta` with gradient :math:`g_t`::

        g     = g_t + λ θ                        (if λ != 0)
        v     = α v + (1 - α) g²
        ḡ     = α ḡ + (1 - α) g                  (centered)
        d     = sqrt(max(v - ḡ², 0)) + ε   if centered else   sqrt(v) + ε
        b     = μ b + g / d;   θ = θ - γ b       (if μ > 0)
        θ     = θ - γ g / d                      (if μ = 0)

    ``v``, ``ḡ``, ``b`` start at zero and are kept in ``state[p]`` as
    ``square_avg``, ``grad_avg`` and ``momentum_buffer``, with the step count
    ``step``.  Every ``FLUSH_EVERY`` (32) steps of a parameter, entries of these
    arrays smaller in magnitude than ``finfo(dtype).tiny`` are set to zero, so
    decaying averages never linger as slow denormal numbers (a change below
    ``tiny`` per entry).

    ``v - ḡ²`` is mathematically >= 0 but can round to a tiny negative number when
    the gradient has been constant for many steps; it is clamped at 0 there, where
    PyTorch would produce NaN.  Otherwise the trajectory is PyTorch's.
    """

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0,
                 centered=False, *, skip_nonfinite=False):
        defaults = dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay,
                        momentum=momentum, centered=centered)
        super().__init__(params, defaults, skip_nonfinite=skip_nonfinite)

    def _check_group(self, group):
        super()._check_group(group)
        _check_nonnegative(self, group, "momentum")
        alpha = group["alpha"]
        if not isinstance(alpha, (int, float)) or not 0 <= alpha <= 1:
            raise ValueError(f"RMSprop: invalid alpha {alpha!r}: it must be in [0, 1]")

    def _plan(self, group):
        lr = group["lr"]
        alpha = group["alpha"]
        eps = group["eps"]
        wd = group["weight_decay"]
        mu = group["momentum"]
        centered = group["centered"]
        state = self.state
        entries = []
        for p in group["params"]:
            if p.grad is None:
                continue
            data = p.data
            st = state.get(p)
            if st is None:
                xp = array_module(data)
                st = state[p] = {"step": 0, "square_avg": xp.zeros_like(data)}
                if mu > 0:
                    st["momentum_buffer"] = xp.zeros_like(data)
                if centered:
                    st["grad_avg"] = xp.zeros_like(data)
            t = st["step"] = st["step"] + 1
            scratch_ok = keeps_dtype(data, wd)
            flags = (bool(wd), bool(centered), mu > 0, scratch_ok, t % FLUSH_EVERY == 0)
            arrays = (st["square_avg"], st.get("grad_avg"), st.get("momentum_buffer"),
                      self._scratch(data))
            p._bump_version()
            entries.append((p, flags, arrays, (lr, alpha, 1.0 - alpha, eps, wd, mu),
                            not flags[-1]))
        return entries

    def _apply(self, p, flags, arrays, scalars):
        with_wd, centered, with_mu, scratch_ok, flush = flags
        v, g_avg, buf, scratch = arrays
        lr, alpha, one_minus_alpha, eps, wd, mu = scalars
        data = p.data
        xp = array_module(data)
        g = p.grad.data
        if with_wd:
            g = decayed_gradient(xp, p, wd)
        tmp = xp.multiply(g, g, out=scratch if scratch_ok else None)
        tmp *= one_minus_alpha
        v *= alpha
        v += tmp
        if centered:
            xp.multiply(g, one_minus_alpha, out=tmp)
            g_avg *= alpha
            g_avg += tmp
            xp.multiply(g_avg, g_avg, out=tmp)
            xp.subtract(v, tmp, out=tmp)
            xp.maximum(tmp, 0, out=tmp)  # rounding can make v - ḡ² slightly negative
            xp.sqrt(tmp, out=tmp)
        else:
            xp.sqrt(v, out=tmp)
        tmp += eps
        xp.divide(g, tmp, out=tmp)
        if with_mu:
            buf *= mu
            buf += tmp
            xp.multiply(buf, lr, out=tmp)
        else:
            tmp *= lr
        data -= tmp
        if flush:
            flush_denormals_(xp, v, signed=False)
            if centered:
                flush_denormals_(xp, g_avg)
            if with_mu:
                flush_denormals_(xp, buf)
