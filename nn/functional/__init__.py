"""Stateless functions: activations, dropout and losses (``from autograd_core.nn import functional as F``).

Every module in ``nn`` that computes something has its function here; the
module only stores the hyper-parameters (and, for ``Dropout``, the generator).
"""

from .activations import (elu, gelu, heaviside, leaky_relu, log_softmax, relu, selu, sigmoid,
                          sign, silu, softmax, softplus, step, swish, tanh)
from .dropout import dropout
from .losses import (binary_cross_entropy, binary_cross_entropy_with_logits, cross_entropy,
                     huber_loss, l1_loss, mse_loss, nll_loss)
from .linear import linear

__all__ = [
    "heaviside", "step", "sign", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "selu", "gelu",
    "softplus", "silu", "swish", "softmax", "log_softmax",
    "dropout", "linear",
    "mse_loss", "l1_loss", "huber_loss", "binary_cross_entropy",
    "binary_cross_entropy_with_logits", "cross_entropy", "nll_loss",
]
