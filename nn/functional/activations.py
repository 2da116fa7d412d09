"""Activation functions.  All are elementwise (shape in = shape out) except
``softmax``/``log_softmax``, which normalise along ``axis``.

Every function accepts any float Tensor, stays finite for inputs of ±1e4, and
has a correct derivative (conventions at kinks as in PyTorch: ``relu'(0) = 0``).
"""

from __future__ import annotations

import math

import autograd_core as ag

from ._ops import heaviside as _heaviside
from ._ops import normal_cdf, softplus_unit

__all__ = ["heaviside", "step", "sign", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "selu",
           "gelu", "softplus", "silu", "swish", "softmax", "log_softmax"]

SELU_ALPHA = 1.6732632423543772
SELU_SCALE = 1.0507009873554805


def _tensor(x):
    return x if isinstance(x, ag.Tensor) else ag.tensor(x)


def heaviside(x, at_zero=1.0):
    """Heaviside step ``H(x)``: 1 for ``x > 0``, 0 for ``x < 0``, ``at_zero`` at 0.

    The activation of McCulloch–Pitts neurons and Rosenblatt's threshold logic
    units (TLUs).  ``at_zero=1`` (the default) makes ``H(w·x + b)`` fire when the
    weighted sum reaches the threshold, as in the textbooks.

    Its derivative is zero almost everywhere (and undefined at 0, where it is
    taken as 0): no gradient flows through a step, which is why networks of
    step units cannot be trained by gradient descent and the perceptron rule
    is used instead.

    Parameters
    ----------
    x : Tensor, any shape
    at_zero : float
        The value at exactly ``x == 0``.

    Returns
    -------
    Tensor of the shape and dtype of ``x``, values in {0, 1} (or ``at_zero``).
    """
    return _heaviside(_tensor(x), at_zero)


step = heaviside


def sign(x):
    """Signum: -1 for ``x < 0``, 0 at 0, +1 for ``x > 0`` (the "sign" step of a TLU).

    Its derivative is zero almost everywhere (taken as 0 at 0 too).
    Shape: that of ``x``.
    """
    return ag.sign(_tensor(x))


def sigmoid(x):
    """Logistic ``σ(x) = 1 / (1 + exp(-x))``; ``σ' = σ(1 - σ)``.  Finite for any ``x``."""
    return ag.sigmoid(_tensor(x))


def tanh(x):
    """Hyperbolic tangent; ``tanh' = 1 - tanh²``."""
    return ag.tanh(_tensor(x))


def relu(x):
    """Rectified linear unit ``max(x, 0)``; derivative 1 for ``x > 0``, 0 for ``x <= 0``."""
    return ag.relu(_tensor(x))


def leaky_relu(x, negative_slope=0.01):
    """``x`` for ``x > 0``, ``negative_slope * x`` otherwise (derivative at 0: the slope)."""
    x = _tensor(x)
    return ag.where(x > 0, x, x * negative_slope)


def elu(x, alpha=1.0):
    """Exponential linear unit: ``x`` for ``x > 0``, ``alpha * (exp(x) - 1)`` otherwise.

    The exponential is only evaluated on the non-positive part, so large positive
    inputs neither overflow nor poison the gradient with ``0 * inf``.
    """
    x = _tensor(x)
    positive = x > 0
    negative_part = ag.where(positive, 0.0, x)
    return ag.where(positive, x, ag.expm1(negative_part) * alpha)


def selu(x):
    """Scaled ELU (Klambauer et al. 2017): ``scale * elu(x, alpha)`` with the
    self-normalising constants ``alpha ≈ 1.6733``, ``scale ≈ 1.0507``.
    Pair it with LeCun-normal initialisation."""
    return elu(x, SELU_ALPHA) * SELU_SCALE


def gelu(x, approximate="none"):
    """Gaussian error linear unit ``x * Φ(x)`` (Φ the standard normal CDF).

    ``approximate="tanh"`` uses ``0.5 x (1 + tanh(sqrt(2/π) (x + 0.044715 x³)))``.
    """
    x = _tensor(x)
    if approximate == "none":
        return x * normal_cdf(x)
    if approximate == "tanh":
        inner = (x + x * x * x * 0.044715) * math.sqrt(2.0 / math.pi)
        return x * (ag.tanh(inner) + 1.0) * 0.5
    raise ValueError(f"gelu: approximate must be 'none' or 'tanh', not {approximate!r}")


def softplus(x, beta=1.0):
    """Smooth ReLU ``log(1 + exp(beta x)) / beta``; derivative ``sigmoid(beta x)``.

    Computed as ``logaddexp(0, beta x) / beta``: exact and finite for any input.
    """
    x = _tensor(x)
    if beta == 1:
        return softplus_unit(x)
    return softplus_unit(x * beta) * (1.0 / beta)


def silu(x, beta=1.0):
    """Sigmoid-weighted linear unit / swish: ``x * sigmoid(beta x)``."""
    x = _tensor(x)
    return x * ag.sigmoid(x if beta == 1 else x * beta)


swish = silu


def softmax(x, axis=-1):
    """``exp(x) / sum(exp(x))`` along ``axis`` (shifted by the max: finite for ±1e4).

    Shape: that of ``x``; slices along ``axis`` sum to 1.
    """
    return ag.softmax(_tensor(x), axis)


def log_softmax(x, axis=-1):
    """``x - logsumexp(x, axis)``: log-probabilities, exact even where softmax underflows."""
    return ag.log_softmax(_tensor(x), axis)
