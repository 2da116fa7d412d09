"""``MLP``: a multilayer perceptron builder."""

from __future__ import annotations

import numbers

from ..containers import Sequential
from .activation import ELU, GELU, LeakyReLU, ReLU, SELU, SiLU, get_activation
from .dropout import Dropout
from .linear import Linear

__all__ = ["MLP"]

_RELU_FAMILY = (ReLU, LeakyReLU, ELU, GELU, SiLU)


class MLP(Sequential):
    """A multilayer perceptron: ``Linear -> activation [-> Dropout]`` per hidden layer,
    then ``Linear [-> output_activation]``.

    Weights are initialised He-uniform in front of ReLU-family activations
    (relu, leaky_relu, elu, gelu, silu), LeCun-normal in front of SELU and
    Glorot-uniform otherwise (tanh, sigmoid, and the output layer); biases zero.

    Parameters
    ----------
    in_features : int
    hidden_sizes : sequence of int
        Width of each hidden layer (empty for a single linear layer).
    out_features : int
    activation : str, Module class or None
        Hidden activation (``"relu"``, ``"tanh"``, ``"sigmoid"``, ...).
    output_activation : str, Module class or None
        Applied to the output (``None``: raw scores/logits, what the ``*_with_logits``
        and ``cross_entropy`` losses expect).
    dropout : float
        Dropout probability after each hidden activation (0: no Dropout layers).
    bias : bool
    generator : Generator, int seed or None
        For the initial weights and the dropout masks.
    dtype, device : optional

    Shapes
    ------
    ``(..., in_features)`` -> ``(..., out_features)``.

    Examples
    --------
    >>> MLP(2, [2], 1, activation="tanh", output_activation="sigmoid")   # XOR net
    """

    def __init__(self, in_features: int, hidden_sizes, out_features: int,
                 activation="relu", output_activation=None, dropout: float = 0.0, *,
                 bias: bool = True, generator=None, dtype=None, device=None):
        super().__init__()
        from autograd_core.random import get_generator  # noqa: PLC0415

        gen = None if generator is None else get_generator(generator)
        sizes = [in_features, *hidden_sizes, out_features]
        for what, n in zip(["in_features", *(f"hidden_sizes[{i}]" for i in
                                              range(len(sizes) - 2)), "out_features"], sizes):
            if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
                raise ValueError(f"MLP: {what} must be a positive int, got {n!r} (a layer of "
                                 "width 0 makes the output constant)")
        for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            last = i == len(sizes) - 2
            act = get_activation(output_activation if last else activation)
            self.append(Linear(n_in, n_out, bias, init=_init_for(act), generator=gen,
                               dtype=dtype, device=device))
            if act is not None:
                self.append(act)
            if not last and dropout > 0:
                self.append(Dropout(dropout, generator=gen))


def _init_for(act):
    if isinstance(act, _RELU_FAMILY):
        return "he_uniform"
    if isinstance(act, SELU):
        return "lecun_normal"
    return "glorot_uniform"
