"""Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay."""

from __future__ import annotations

from autograd_core.backend import array_module

from .optimizer import Optimizer, _check_nonnegative, decayed_gradient

__all__ = ["SGD"]

# Python numbers keep an array's dtype (NumPy 2's weak scalars), so ``x * c`` written into
# a scratch array of x's dtype rounds exactly as the expression does
_WEAK = (float, int)


class SGD(Optimizer):
    r"""Stochastic gradient descent, with PyTorch's update rule for the same arguments.

    Parameters
    ----------
    params : iterable of Tensor or of dict
        Parameters, or parameter groups (see :class:`Optimizer`).
    lr : float
        Learning rate :math:`\gamma` (default 1e-3, as in PyTorch 2).
    momentum : float
        Momentum factor :math:`\mu` (default 0: plain SGD).
    dampening : float
        Dampening :math:`\tau` of the momentum (default 0).
    nesterov : bool
        Use Nesterov momentum (needs ``momentum > 0`` and ``dampening == 0``).
    weight_decay : float
        L2 penalty :math:`\lambda`, added to the gradient (default 0).

    Notes
    -----
    For each parameter :math:`\theta` with gradient :math:`g_t` at step :math:`t`::

        g  = g_t + λ θ                         (if λ != 0)
        b  = g                                 (t = 1)
        b  = μ b + (1 - τ) g                   (t > 1)      } if μ != 0
        g  = g + μ b  if nesterov else  g = b               }
        θ  = θ - γ g

    The momentum buffer ``b`` is the only state (``state[p]["momentum_buffer"]``).
    It decays geometrically once a gradient is zero, but with ``μ <= 0.9`` it
    reaches zero on its own within ~150 steps of entering the denormal range, so
    SGD does not flush denormals (Adam and RMSprop do).

    Examples
    --------
    >>> opt = SGD(model.parameters(), lr=0.1, momentum=0.9)   # doctest: +SKIP
    >>> opt.zero_grad(); loss.backward(); opt.step()           # doctest: +SKIP
    """

    def __init__(self, params, lr=1e-3, momentum=0.0, dampening=0.0, nesterov=False,
                 weight_decay=0.0, *, skip_nonfinite=False):
        defaults = dict(lr=lr, momentum=momentum, dampening=dampening, nesterov=nesterov,
                        weight_decay=weight_decay)
        super().__init__(params, defaults, skip_nonfinite=skip_nonfinite)

    def _check_group(self, group):
        super()._check_group(group)
        _check_nonnegative(self, group, "momentum")
        _check_nonnegative(self, group, "dampening")
        if group["nesterov"] and (group["momentum"] <= 0 or group["dampening"] != 0):
            raise ValueError(f"SGD: nesterov=True needs momentum > 0 and dampening = 0, got "
                             f"momentum={group['momentum']}, dampening={group['dampening']}")

    def _plan(self, group):
        lr, mu = group["lr"], group["momentum"]
        damp = 1.0 - group["dampening"]
        wd = group["weight_decay"]
        branch = (bool(wd), bool(mu), damp == 1.0, damp.__class__ is float,
                  bool(group["nesterov"]), mu.__class__ in _WEAK, lr.__class__ in _WEAK)
        scalars = (lr, mu, damp, wd)
        state = self.state
        entries = []
        for p in group["params"]:
            if p.grad is None:
                continue
            st = state.get(p) if mu else None
            first = bool(mu) and st is None  # the buffer is made from this gradient
            buf = None if st is None else st["momentum_buffer"]
            p._bump_version()
            entries.append((p, branch + (first,), (buf, self._scratch(p.data)), scalars,
                            not first))
        return entries

    def _apply(self, p, flags, arrays, scalars):
        with_wd, with_mu, damp_one, damp_weak, nesterov, mu_weak, lr_weak, first = flags
        buf, scratch = arrays
        lr, mu, damp, wd = scalars
        data = p.data
        xp = array_module(data)
        g = p.grad.data
        owned = False  # True when g is a scratch array this step may overwrite
        if with_wd:
            g = decayed_gradient(xp, p, wd)
            owned = True
        if with_mu:
            if first:
                buf = g if owned else g.copy()
                self.state[p] = {"momentum_buffer": buf}
                owned = False
            else:
                buf *= mu
                if damp_one:
                    buf += g
                elif damp_weak:
                    buf += xp.multiply(g, damp, out=scratch)
                else:  # a NumPy scalar promotes: keep the expression's rounding
                    buf += damp * g
            if nesterov and mu_weak:
                # g + mu * buf, into scratch (the same rounding as the expression)
                tmp = xp.multiply(buf, mu, out=scratch)
                tmp += g
                g = tmp
                owned = True
            elif nesterov:
                g = g + mu * buf
                owned = True
            else:
                g = buf
                owned = False
        if owned:
            g *= lr
            data -= g
        elif lr_weak:  # lr * g into scratch: no temporary per parameter
            data -= xp.multiply(g, lr, out=scratch)
        else:  # a NumPy scalar lr promotes the product: keep that rounding
            data -= lr * g
