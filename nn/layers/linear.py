"""``Linear``: the fully connected (dense) layer."""

from __future__ import annotations

import numbers

import autograd_core as ag

from .. import init as nn_init
from ..module import Module
from ..parameter import Parameter
from ..regularization import get_regularizer

__all__ = ["Linear", "Dense"]


class Linear(Module):
    """Fully connected layer ``y = x @ W + b`` (a.k.a. dense).

    The weight uses the textbook layout ``W: (in_features, out_features)``, so the
    equation reads as in the books (PyTorch stores the transpose, ``(out, in)``;
    transpose when importing PyTorch weights).

    Default initialisation: weights Glorot/Xavier-uniform,
    ``U(-a, a)`` with ``a = sqrt(6 / (in + out))`` (Keras's ``Dense`` default, good for
    tanh/sigmoid/linear layers; pass ``init="he_uniform"`` before ReLU), biases zero.
    Random weights break the symmetry between units; all-zero weights would make
    every unit of a layer compute and learn the same thing.

    Parameters
    ----------
    in_features, out_features : int
    bias : bool
        Learn an additive bias ``b: (out_features,)``.
    init : str or callable
        Weight initialiser name (see :func:`nn.init.get_initializer`) or
        ``f(tensor, generator=None)``.
    generator : Generator, int seed or None
        For the initial weights (``None``: the global generator).
    weight_regularizer, bias_regularizer : Regularizer, callable, str or None
        A penalty on the weight / bias, e.g. ``nn.L2(0.01)`` (Keras'
        ``kernel_regularizer=regularizers.l2(0.01)``), ``nn.L1``, ``nn.ElasticNet``;
        :func:`nn.fit` adds it to every training batch's loss (see
        :func:`nn.regularization.penalty`).
    dtype, device : optional

    Shapes
    ------
    input ``(..., in_features)`` -> output ``(..., out_features)``.
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True, *,
                 init="glorot_uniform", generator=None, dtype=None, device=None,
                 weight_regularizer=None, bias_regularizer=None):
        super().__init__()
        for label, value in (("in_features", in_features), ("out_features", out_features)):
            if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value < 0:
                raise ValueError(f"Linear: {label} must be a non-negative int, got {value!r}")
        # NumPy ints (np.arange(1, 100) in a hyperparameter search) become Python ints
        self.in_features, self.out_features = int(in_features), int(out_features)
        self.weight = Parameter(ag.zeros(in_features, out_features, dtype=dtype, device=device))
        nn_init.get_initializer(init)(self.weight, generator=generator)
        self.bias = (Parameter(ag.zeros(out_features, dtype=dtype, device=device))
                     if bias else None)
        self._regularizers = {
            "weight": get_regularizer(weight_regularizer, "Linear: weight_regularizer"),
            "bias": get_regularizer(bias_regularizer, "Linear: bias_regularizer")}

    def forward(self, x):
        params = self._parameters  # (self.weight goes through Module.__getattr__'s slow path)
        weight = params.get("weight")
        if weight is None:
            weight = self.weight
        bias = params.get("bias")
        if not isinstance(x, ag.Tensor):
            x = ag.tensor(x, dtype=weight.dtype, device=weight.device)
        shape = x.data.shape
        if not shape or shape[-1] != self.in_features:
            raise ValueError(
                f"Linear(in_features={self.in_features}, out_features={self.out_features}): "
                f"expected input of shape (..., {self.in_features}), got {tuple(shape)}"
            )
        return ag.linear(x, weight, bias)

    def extra_repr(self):
        regs = "".join(f", {name}_regularizer={reg!r}"
                       for name, reg in self._regularizers.items() if reg is not None)
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}{regs}")


Dense = Linear
