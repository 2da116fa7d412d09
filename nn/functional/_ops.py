"""The few primitives ``nn.functional`` needs that are not compositions of engine ops.

Each is an :class:`autograd_core.Function` whose backward is written with
differentiable ops, so second derivatives work.
"""

from __future__ import annotations

import math

import autograd_core as ag
from autograd_core.backend import array_module

__all__ = ["heaviside", "softplus_unit", "normal_cdf"]

_SQRT_2PI = math.sqrt(2.0 * math.pi)


class Heaviside(ag.Function):
    """``1`` where ``x >= 0`` (or ``x > 0`` / value ``at_zero`` at 0), else ``0``."""

    __slots__ = ("at_zero",)

    def __init__(self, at_zero):
        self.at_zero = at_zero

    def forward(self, x):
        xp = array_module(x)
        return xp.where(x > 0, 1, xp.where(x == 0, self.at_zero, 0)).astype(x.dtype)

    def backward(self, grad, out):
        # zero almost everywhere; the Dirac delta at 0 is not representable
        return (grad * 0.0,)


class Softplus(ag.Function):
    """``log(1 + exp(x))`` computed as ``logaddexp(0, x)``: finite for any ``x``."""

    name = "softplus"
    save_inputs = True

    def forward(self, x):
        return array_module(x).logaddexp(0, x).astype(x.dtype, copy=False)

    def backward(self, grad, out):
        return (grad * ag.sigmoid(self.inputs[0]),)


def _erf(x):
    xp = array_module(x)
    if xp.__name__ == "cupy":
        import cupyx.scipy.special  # noqa: PLC0415 - only with CuPy arrays

        return cupyx.scipy.special.erf(x)
    try:
        from scipy.special import erf  # noqa: PLC0415 - optional, fast path

        return erf(x)
    except ImportError:
        return xp.frompyfunc(math.erf, 1, 1)(x).astype(x.dtype)


class NormalCdf(ag.Function):
    """The standard normal CDF ``Φ(x) = (1 + erf(x / sqrt(2))) / 2``."""

    name = "normal_cdf"
    save_inputs = True

    def forward(self, x):
        return (0.5 * (1.0 + _erf(x * (1.0 / math.sqrt(2.0))))).astype(x.dtype, copy=False)

    def backward(self, grad, out):
        x = self.inputs[0]
        return (grad * (ag.exp(x * x * -0.5) * (1.0 / _SQRT_2PI)),)


def heaviside(x, at_zero=1.0):
    """Heaviside step, see :func:`nn.functional.heaviside`."""
    return Heaviside(at_zero)(x)


def softplus_unit(x):
    """``log(1 + exp(x))`` for any ``x``, with gradient ``sigmoid(x)``."""
    return Softplus()(x)


def normal_cdf(x):
    """``Φ(x)``, the standard normal CDF, with gradient the normal density."""
    return NormalCdf()(x)
