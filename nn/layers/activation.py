"""Activation layers: thin modules around the functions in ``nn.functional``.

All are elementwise (any shape in, same shape out) except ``Softmax`` and
``LogSoftmax``, which normalise along ``axis``.  See the functions for the
formulas and derivatives.
"""

from __future__ import annotations

from .. import functional as F
from ..module import Module

__all__ = ["Heaviside", "Step", "Sign", "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "ELU", "SELU",
           "GELU", "Softplus", "SiLU", "Swish", "Softmax", "LogSoftmax", "get_activation"]


class Heaviside(Module):
    """Heaviside step ``1 if x >= 0 else 0`` (value ``at_zero`` at 0).  Its derivative is
    zero almost everywhere, so no gradient flows through it: see
    :func:`nn.functional.heaviside`."""

    def __init__(self, at_zero: float = 1.0):
        super().__init__()
        self.at_zero = at_zero

    def forward(self, x):
        return F.heaviside(x, self.at_zero)


Step = Heaviside


class Sign(Module):
    """Signum step (-1, 0, +1); derivative zero almost everywhere."""

    def forward(self, x):
        return F.sign(x)


class Sigmoid(Module):
    """Logistic sigmoid ``1 / (1 + exp(-x))``."""

    def forward(self, x):
        return F.sigmoid(x)


class Tanh(Module):
    """Hyperbolic tangent."""

    def forward(self, x):
        return F.tanh(x)


class ReLU(Module):
    """``max(x, 0)``."""

    def forward(self, x):
        return F.relu(x)


class LeakyReLU(Module):
    """``x`` if ``x > 0`` else ``negative_slope * x``."""

    def __init__(self, negative_slope: float = 0.01):
        super().__init__()
        self.negative_slope = negative_slope

    def forward(self, x):
        return F.leaky_relu(x, self.negative_slope)

    def extra_repr(self):
        return f"negative_slope={self.negative_slope}"


class ELU(Module):
    """``x`` if ``x > 0`` else ``alpha * (exp(x) - 1)``."""

    def __init__(self, alpha: float = 1.0):
        super().__init__()
        self.alpha = alpha

    def forward(self, x):
        return F.elu(x, self.alpha)

    def extra_repr(self):
        return f"alpha={self.alpha}"


class SELU(Module):
    """Self-normalising scaled ELU (use LeCun-normal initialisation with it)."""

    def forward(self, x):
        return F.selu(x)


class GELU(Module):
    """``x * Φ(x)``; ``approximate="tanh"`` for the tanh approximation."""

    def __init__(self, approximate: str = "none"):
        super().__init__()
        self.approximate = approximate

    def forward(self, x):
        return F.gelu(x, self.approximate)


class Softplus(Module):
    """``log(1 + exp(beta x)) / beta``, computed stably."""

    def __init__(self, beta: float = 1.0):
        super().__init__()
        self.beta = beta

    def forward(self, x):
        return F.softplus(x, self.beta)


class SiLU(Module):
    """Swish / SiLU ``x * sigmoid(beta x)``."""

    def __init__(self, beta: float = 1.0):
        super().__init__()
        self.beta = beta

    def forward(self, x):
        return F.silu(x, self.beta)


Swish = SiLU


class Softmax(Module):
    """Softmax along ``axis`` (default the last)."""

    def __init__(self, axis: int = -1):
        super().__init__()
        self.axis = axis

    def forward(self, x):
        return F.softmax(x, self.axis)

    def extra_repr(self):
        return f"axis={self.axis}"


class LogSoftmax(Module):
    """Log-softmax along ``axis`` (default the last)."""

    def __init__(self, axis: int = -1):
        super().__init__()
        self.axis = axis

    def forward(self, x):
        return F.log_softmax(x, self.axis)

    def extra_repr(self):
        return f"axis={self.axis}"


_BY_NAME = {
    "heaviside": Heaviside, "step": Heaviside, "sign": Sign, "sigmoid": Sigmoid,
    "logistic": Sigmoid, "tanh": Tanh, "relu": ReLU, "leaky_relu": LeakyReLU, "elu": ELU,
    "selu": SELU, "gelu": GELU, "softplus": Softplus, "silu": SiLU, "swish": SiLU,
    "softmax": Softmax, "log_softmax": LogSoftmax,
}


def get_activation(activation) -> Module | None:
    """A fresh activation module from a name (``"relu"``, ``"tanh"`` ...), a Module
    class, or a Module instance (returned as is); ``None``/``"linear"`` give ``None``."""
    if activation is None or activation in ("linear", "identity", "none"):
        return None
    if isinstance(activation, Module):
        return activation
    if isinstance(activation, type) and issubclass(activation, Module):
        return activation()
    if isinstance(activation, str) and activation.lower() in _BY_NAME:
        return _BY_NAME[activation.lower()]()
    raise ValueError(f"unknown activation {activation!r}; use one of "
                     f"{', '.join(sorted(_BY_NAME))}, an nn.Module, or None")
