"""Weight initialisation, in place: ``nn.init.xavier_uniform_(layer.weight)``.

Every random initialiser takes ``generator``: an
:class:`autograd_core.Generator`, an int seed, or ``None`` for the global
generator (so ``autograd_core.manual_seed(s)`` fixes every initial weight).

Fans follow this project's weight layout ``(fan_in, fan_out, *receptive_field)``
(``Linear.weight`` is ``(in_features, out_features)``, so that ``y = x @ W + b``):
``fan_in = shape[0] * prod(shape[2:])`` and ``fan_out = shape[1] * prod(shape[2:])``;
a 1-D tensor has ``fan_in = fan_out = shape[0]``.

========================  ====================================  ===========================
function                  distribution                          variance
========================  ====================================  ===========================
``xavier_uniform_``       U(-a, a), a = gain·sqrt(6/(in+out))   gain²·2/(fan_in+fan_out)
``xavier_normal_``        N(0, std²)                            gain²·2/(fan_in+fan_out)
``kaiming_uniform_``      U(-a, a), a = gain·sqrt(3/fan)        gain²/fan
``kaiming_normal_``       N(0, std²)                            gain²/fan
``lecun_uniform_``        U(-a, a), a = sqrt(3/fan_in)          1/fan_in
``lecun_normal_``         N(0, std²)                            1/fan_in
========================  ====================================  ===========================

Keras' names ``random_uniform`` (U(-0.05, 0.05)), ``random_normal`` (N(0, 0.05²))
and ``zero`` (Keras 1's spelling of ``zeros``) are accepted by
:func:`get_initializer` (so by ``Linear(..., init=...)``), with Keras' default ranges.

Glorot/Xavier suits tanh, sigmoid and softmax layers; He/Kaiming (gain sqrt(2))
suits ReLU-family layers; LeCun suits SELU.  The aliases ``glorot_*`` and
``he_*`` name the same functions.
"""

from __future__ import annotations

import math

from autograd_core import Tensor
from autograd_core.random import get_generator

__all__ = [
    "calculate_gain", "fans", "zeros_", "ones_", "constant_", "uniform_", "normal_",
    "xavier_uniform_", "xavier_normal_", "glorot_uniform_", "glorot_normal_",
    "kaiming_uniform_", "kaiming_normal_", "he_uniform_", "he_normal_",
    "lecun_uniform_", "lecun_normal_", "get_initializer",
]


def calculate_gain(nonlinearity: str = "linear", param: float | None = None) -> float:
    """The recommended scale of the weights before ``nonlinearity``.

    ``linear``/``sigmoid``/``identity``: 1; ``tanh``: 5/3; ``relu``: sqrt(2);
    ``leaky_relu``: sqrt(2 / (1 + slope²)) with slope ``param`` (default 0.01);
    ``selu``: 3/4 (as PyTorch).
    """
    name = nonlinearity.lower()
    if name in ("linear", "identity", "sigmoid"):
        return 1.0
    if name == "tanh":
        return 5.0 / 3.0
    if name == "relu":
        return math.sqrt(2.0)
    if name == "leaky_relu":
        slope = 0.01 if param is None else float(param)
        return math.sqrt(2.0 / (1.0 + slope**2))
    if name == "selu":
        return 0.75
    raise ValueError(f"calculate_gain: unknown nonlinearity {nonlinearity!r}; use linear, "
                     "sigmoid, tanh, relu, leaky_relu or selu")


def fans(shape) -> tuple[int, int]:
    """``(fan_in, fan_out)`` of a weight of ``shape`` laid out ``(in, out, *receptive)``."""
    shape = tuple(shape)
    if len(shape) == 0:
        raise ValueError("fans: cannot compute fan-in/fan-out of a 0-d tensor")
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive = math.prod(shape[2:])
    return shape[0] * receptive, shape[1] * receptive


def _fill(tensor: Tensor, array) -> Tensor:
    tensor.data[...] = array.astype(tensor.dtype, copy=False)
    tensor._bump_version()
    return tensor


def _rng(tensor, generator):
    return get_generator(generator).module(tensor.device)


def constant_(tensor: Tensor, value: float) -> Tensor:
    """Fill ``tensor`` with ``value`` in place; returns it."""
    tensor.data[...] = value
    tensor._bump_version()
    return tensor


def zeros_(tensor: Tensor) -> Tensor:
    """Fill with 0 (for biases; all-zero weights never break the symmetry between units)."""
    return constant_(tensor, 0)


def ones_(tensor: Tensor) -> Tensor:
    """Fill with 1."""
    return constant_(tensor, 1)


def uniform_(tensor: Tensor, low: float = 0.0, high: float = 1.0, generator=None) -> Tensor:
    """Fill with samples from U(low, high) in place; returns ``tensor``."""
    draw = _rng(tensor, generator).random(tensor.shape)
    return _fill(tensor, low + (high - low) * draw)


def normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0, generator=None) -> Tensor:
    """Fill with samples from N(mean, std²) in place; returns ``tensor``."""
    draw = _rng(tensor, generator).standard_normal(tensor.shape)
    return _fill(tensor, mean + std * draw)


def xavier_uniform_(tensor: Tensor, gain: float = 1.0, generator=None) -> Tensor:
    """Glorot & Bengio (2010): U(-a, a) with ``a = gain * sqrt(6 / (fan_in + fan_out))``."""
    fan_in, fan_out = fans(tensor.shape)
    bound = gain * math.sqrt(6.0 / max(fan_in + fan_out, 1))
    return uniform_(tensor, -bound, bound, generator)


def xavier_normal_(tensor: Tensor, gain: float = 1.0, generator=None) -> Tensor:
    """Glorot & Bengio (2010): N(0, std²) with ``std = gain * sqrt(2 / (fan_in + fan_out))``."""
    fan_in, fan_out = fans(tensor.shape)
    return normal_(tensor, 0.0, gain * math.sqrt(2.0 / max(fan_in + fan_out, 1)), generator)


def _kaiming_std(tensor, a, mode, nonlinearity):
    fan_in, fan_out = fans(tensor.shape)
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"kaiming: mode must be 'fan_in' or 'fan_out', not {mode!r}")
    fan = fan_in if mode == "fan_in" else fan_out
    return calculate_gain(nonlinearity, a) / math.sqrt(max(fan, 1))


def kaiming_uniform_(tensor: Tensor, a: float = 0.0, mode: str = "fan_in",
                     nonlinearity: str = "relu", generator=None) -> Tensor:
    """He et al. (2015): U(-b, b) with ``b = sqrt(3) * gain / sqrt(fan)``.

    ``a`` is the negative slope for ``nonlinearity="leaky_relu"``; ``mode`` picks
    ``fan_in`` (preserves forward variance) or ``fan_out`` (backward variance).
    """
    bound = math.sqrt(3.0) * _kaiming_std(tensor, a, mode, nonlinearity)
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(tensor: Tensor, a: float = 0.0, mode: str = "fan_in",
                    nonlinearity: str = "relu", generator=None) -> Tensor:
    """He et al. (2015): N(0, std²) with ``std = gain / sqrt(fan)``."""
    return normal_(tensor, 0.0, _kaiming_std(tensor, a, mode, nonlinearity), generator)


def lecun_uniform_(tensor: Tensor, generator=None) -> Tensor:
    """LeCun (1998): U(-a, a) with ``a = sqrt(3 / fan_in)`` (variance ``1 / fan_in``)."""
    return kaiming_uniform_(tensor, mode="fan_in", nonlinearity="linear", generator=generator)


def lecun_normal_(tensor: Tensor, generator=None) -> Tensor:
    """LeCun (1998): N(0, 1 / fan_in); the initialisation SELU networks assume."""
    return kaiming_normal_(tensor, mode="fan_in", nonlinearity="linear", generator=generator)


glorot_uniform_ = xavier_uniform_
glorot_normal_ = xavier_normal_
he_uniform_ = kaiming_uniform_
he_normal_ = kaiming_normal_

_BY_NAME = {
    "zeros": zeros_, "ones": ones_,
    "xavier_uniform": xavier_uniform_, "xavier_normal": xavier_normal_,
    "glorot_uniform": xavier_uniform_, "glorot_normal": xavier_normal_,
    "kaiming_uniform": kaiming_uniform_, "kaiming_normal": kaiming_normal_,
    "he_uniform": kaiming_uniform_, "he_normal": kaiming_normal_,
    "lecun_uniform": lecun_uniform_, "lecun_normal": lecun_normal_,
}
# Keras' initializer names with Keras' default ranges (RandomUniform(-0.05, 0.05),
# RandomNormal(0.0, 0.05)); "zero" is Keras 1's spelling.
_KERAS = {
    "random_uniform": lambda tensor, generator=None: uniform_(tensor, -0.05, 0.05, generator),
    "random_normal": lambda tensor, generator=None: normal_(tensor, 0.0, 0.05, generator),
    "zero": lambda tensor, generator=None: zeros_(tensor),
}


def get_initializer(init):
    """An initialiser ``f(tensor, generator=None)`` from a name (``"glorot_uniform"``,
    ``"he_normal"``, ``"lecun_normal"``, ``"zeros"``, Keras' ``"random_uniform"``,
    ``"random_normal"``, ``"zero"`` ...) or a callable (returned as is)."""
    if callable(init):
        return init
    if str(init).lower().rstrip("_") in _KERAS:
        return _KERAS[str(init).lower().rstrip("_")]
    try:
        fn = _BY_NAME[str(init).lower().rstrip("_")]
    except KeyError:
        raise ValueError(f"unknown initialiser {init!r}; use one of "
                         f"{', '.join(sorted([*_BY_NAME, *_KERAS]))} or a callable") from None
    if fn in (zeros_, ones_):
        return lambda tensor, generator=None: fn(tensor)
    return fn
