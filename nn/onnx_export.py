"""``export_onnx``: a model of layers in a chain, written as an ONNX graph.

Each supported layer has one converter (``_CONVERTERS``, keyed by class) that adds its
ONNX nodes and returns the name and shape of its output; ``Sequential`` (and so ``MLP``)
chains them.  The graph is the model in eval mode: ``Dropout`` is the identity and
``BatchNorm1d`` uses its running statistics.  Needs the ``onnx`` package (the ``onnx``
extra); the file is checked with ``onnx.checker`` before it is written, atomically.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy

import autograd_core as ag

from .containers import Sequential
from .functional.activations import SELU_ALPHA, SELU_SCALE
from .layers.activation import (ELU, GELU, SELU, Heaviside, LeakyReLU, LogSoftmax, ReLU, Sigmoid,
                                Sign, SiLU, Softmax, Softplus, Tanh)
from .layers.basic import Flatten, Identity
from .layers.batchnorm import BatchNorm1d
from .layers.dropout import Dropout
from .layers.linear import Linear
from .module import Module
from .serialization import _write_atomically

__all__ = ["export_onnx", "OnnxExportError", "DEFAULT_OPSET"]

DEFAULT_OPSET = 17
_DTYPES = {numpy.dtype("float32"): "FLOAT", numpy.dtype("float64"): "DOUBLE"}


class OnnxExportError(TypeError):
    """The model holds a layer (or a setting) that has no ONNX translation here."""


def _onnx():
    try:
        import onnx  # noqa: PLC0415 - optional dependency
    except ImportError:
        raise ImportError("export_onnx needs the onnx package, which is not installed: "
                          "pip install onnx, or pip install 'autograd-core[onnx]'") from None
    return onnx


class _Graph:
    """The nodes and initializers being built, with fresh names."""

    def __init__(self, onnx, dtype):
        self.onnx, self.dtype = onnx, numpy.dtype(dtype)
        self.nodes: list = []
        self.initializers: list = []
        self._count = 0

    def name(self, hint: str) -> str:
        self._count += 1
        return f"{hint}_{self._count}"

    def const(self, hint: str, value, dtype=None) -> str:
        """An initializer holding ``value`` (in the model's dtype unless ``dtype``)."""
        array = numpy.asarray(value, dtype=self.dtype if dtype is None else dtype)
        name = self.name(hint)
        self.initializers.append(self.onnx.numpy_helper.from_array(array, name))
        return name

    def op(self, op_type: str, inputs, hint: str | None = None, **attributes) -> str:
        """Add one node with one output; return the output's name."""
        out = self.name(hint or op_type.lower())
        self.nodes.append(self.onnx.helper.make_node(op_type, list(inputs), [out], **attributes))
        return out


def onnx_float(g, name: str) -> int:
    """The ONNX element type ``name`` (``"FLOAT"``, ``"DOUBLE"``)."""
    return int(getattr(g.onnx.TensorProto, name))


def _array(tensor) -> numpy.ndarray:
    return tensor.numpy() if isinstance(tensor, ag.Tensor) else numpy.asarray(tensor)


# -- converters: (graph, layer, input name, input shape) -> (output name, output shape) --------


def _linear(g, layer: Linear, x, shape):
    out = g.op("MatMul", [x, g.const("weight", _array(layer.weight))])
    if layer.bias is not None:
        out = g.op("Add", [out, g.const("bias", _array(layer.bias))])
    return out, (*shape[:-1], layer.out_features)


def _elementwise(op_type, **fixed):
    def convert(g, layer, x, shape):
        return g.op(op_type, [x], **fixed), shape
    return convert


def _leaky_relu(g, layer, x, shape):
    if _double(g):  # the alpha attribute is a float32: the slope goes in as a float64 tensor
        positive = g.op("Greater", [x, g.const("zero", 0.0)])
        return g.op("Where", [positive, x, g.op("Mul", [x, g.const("slope",
                                                                layer.negative_slope)])]), shape
    return g.op("LeakyRelu", [x], alpha=float(layer.negative_slope)), shape


# onnxruntime's CPU kernels for Elu, Selu, Softplus and Erf are float32 only, and ONNX
# attributes (alpha, epsilon) are float32: a float64 graph spells Elu, Selu, Softplus and
# LeakyReLU out in operators onnxruntime runs in float64, with float64 constants


def _double(g) -> bool:
    return g.dtype == numpy.float64


def _elu_parts(g, x, alpha):
    """``x`` if ``x > 0`` else ``alpha * (exp(min(x, 0)) - 1)``, from Where/Exp."""
    zero = g.const("zero", 0.0)
    negative = g.op("Sub", [g.op("Exp", [g.op("Min", [x, zero])]), g.const("one", 1.0)])
    return g.op("Where", [g.op("Greater", [x, zero]), x,
                          g.op("Mul", [negative, g.const("alpha", alpha)])])


def _elu(g, layer, x, shape):
    if _double(g):
        return _elu_parts(g, x, layer.alpha), shape
    return g.op("Elu", [x], alpha=float(layer.alpha)), shape


def _selu(g, layer, x, shape):
    if _double(g):
        return g.op("Mul", [_elu_parts(g, x, SELU_ALPHA), g.const("scale", SELU_SCALE)]), shape
    return g.op("Selu", [x], alpha=SELU_ALPHA, gamma=SELU_SCALE), shape


def _softplus_unit(g, x):
    """``log(1 + exp(x))``: ``max(x, 0) + log(1 + exp(-|x|))`` in float64 (no overflow)."""
    if not _double(g):
        return g.op("Softplus", [x])
    tail = g.op("Exp", [g.op("Neg", [g.op("Abs", [x])])])
    return g.op("Add", [g.op("Max", [x, g.const("zero", 0.0)]),
                        g.op("Log", [g.op("Add", [tail, g.const("one", 1.0)])])])


def _gelu(g, layer, x, shape):
    half_x = g.op("Mul", [x, g.const("half", 0.5)])
    if layer.approximate == "tanh":  # 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
        cube = g.op("Mul", [g.op("Mul", [x, x]), x])
        inner = g.op("Add", [x, g.op("Mul", [cube, g.const("c", 0.044715)])])
        inner = g.op("Mul", [inner, g.const("sqrt_2_over_pi", math.sqrt(2.0 / math.pi))])
        curve = g.op("Tanh", [inner])
    elif layer.approximate == "none":  # 0.5 x (1 + erf(x / sqrt 2))
        scaled = g.op("Mul", [x, g.const("inv_sqrt2", 1.0 / math.sqrt(2.0))])
        if _double(g):  # no float64 Erf in onnxruntime: erf in float32 (documented)
            scaled = g.op("Cast", [scaled], to=onnx_float(g, "FLOAT"))
            curve = g.op("Cast", [g.op("Erf", [scaled])], to=onnx_float(g, "DOUBLE"))
        else:
            curve = g.op("Erf", [scaled])
    else:
        raise OnnxExportError(f"GELU(approximate={layer.approximate!r}) has no ONNX form")
    return g.op("Mul", [half_x, g.op("Add", [curve, g.const("one", 1.0)])]), shape


def _softplus(g, layer, x, shape):
    if layer.beta == 1:
        return _softplus_unit(g, x), shape
    scaled = _softplus_unit(g, g.op("Mul", [x, g.const("beta", layer.beta)]))
    return g.op("Mul", [scaled, g.const("inv_beta", 1.0 / layer.beta)]), shape


def _silu(g, layer, x, shape):
    gate = x if layer.beta == 1 else g.op("Mul", [x, g.const("beta", layer.beta)])
    return g.op("Mul", [x, g.op("Sigmoid", [gate])]), shape


def _heaviside(g, layer, x, shape):
    zero, one = g.const("zero", 0.0), g.const("one", 1.0)
    step = g.op("Where", [g.op("Greater", [x, zero]), one, zero])
    return g.op("Where", [g.op("Equal", [x, zero]), g.const("at_zero", layer.at_zero), step]), shape


def _normalised(op_type):
    def convert(g, layer, x, shape):
        return g.op(op_type, [x], axis=int(layer.axis)), shape
    return convert


def _flatten(g, layer, x, shape):
    ndim = len(shape)
    start = layer.start_axis % ndim if -ndim <= layer.start_axis < ndim else None
    end = layer.end_axis % ndim if -ndim <= layer.end_axis < ndim else None
    if start is None or end is None:
        raise OnnxExportError(f"Flatten(start_axis={layer.start_axis}, end_axis="
                              f"{layer.end_axis}) does not fit an input of shape {shape}")
    out_shape = (*shape[:start], math.prod(shape[start:end + 1]), *shape[end + 1:])
    target = list(out_shape)
    target[0] = 0 if start > 0 else -1  # 0 copies the batch size; -1: merged with it
    return g.op("Reshape", [x, g.const("shape", target, "int64")]), out_shape


def _batchnorm(g, layer: BatchNorm1d, x, shape):
    if not layer.track_running_stats:
        raise OnnxExportError("BatchNorm1d(track_running_stats=False) normalises with the "
                              "batch's statistics even in eval mode, which ONNX inference "
                              "does not: export a model with running statistics")
    n = layer.num_features
    scale = _array(layer.weight) if layer.affine else numpy.ones(n)
    bias = _array(layer.bias) if layer.affine else numpy.zeros(n)
    var, eps = _array(layer.running_var), float(layer.eps)
    if _double(g):  # epsilon is a float32 attribute: add it to the variance in float64
        var, eps = var.astype(numpy.float64) + eps, 0.0
    inputs = [x, g.const("scale", scale), g.const("bias", bias),
              g.const("mean", _array(layer.running_mean)), g.const("var", var)]
    return g.op("BatchNormalization", inputs, epsilon=eps), shape


def _identity(g, layer, x, shape):
    return g.op("Identity", [x]), shape


_CONVERTERS = {
    Linear: _linear, ReLU: _elementwise("Relu"), Sigmoid: _elementwise("Sigmoid"),
    Tanh: _elementwise("Tanh"), Sign: _elementwise("Sign"), LeakyReLU: _leaky_relu, ELU: _elu,
    SELU: _selu, GELU: _gelu, Softplus: _softplus, SiLU: _silu, Heaviside: _heaviside,
    Softmax: _normalised("Softmax"), LogSoftmax: _normalised("LogSoftmax"),
    Flatten: _flatten, BatchNorm1d: _batchnorm, Dropout: _identity, Identity: _identity,
}


def _layers(module: Module, where: str):
    """``(path, layer)`` for every layer of the chain, nested ``Sequential`` unrolled."""
    if type(module) in _CONVERTERS:
        yield where, module
    elif isinstance(module, Sequential):
        for name, child in module._modules.items():
            yield from _layers(child, f"{where}.{name}" if where else name)
    else:
        supported = ", ".join(sorted(c.__name__ for c in _CONVERTERS))
        raise OnnxExportError(
            f"export_onnx: cannot export {type(module).__name__} (at "
            f"{where or 'the top'!r}): ONNX export supports Sequential/MLP chains of "
            f"{supported}")


def export_onnx(model: Module, path, example_input, *, opset: int = DEFAULT_OPSET,
                input_name: str = "input", output_name: str = "output",
                dynamic_batch: bool = True) -> Path:
    """Write ``model`` (in eval mode) to ``path`` as an ONNX model; return the path.

    Supported: ``Sequential`` (so ``MLP``) chains, nested or not, of ``Linear``, the
    activations (``ReLU``, ``LeakyReLU``, ``ELU``, ``SELU``, ``GELU``, ``Sigmoid``,
    ``Tanh``, ``Softplus``, ``SiLU``, ``Heaviside``, ``Sign``, ``Softmax``,
    ``LogSoftmax``), ``Dropout`` (the identity), ``BatchNorm1d`` (running statistics),
    ``Flatten`` and ``Identity``; a lone supported layer works too.  Anything else
    raises :class:`OnnxExportError` naming the layer and where it sits.

    Parameters
    ----------
    model : nn.Module
    path : path-like
        Written atomically (a temporary file beside it, then renamed).
    example_input : array_like or Tensor, shape (N, ...)
        Fixes the input's dtype (float32 or float64, as the model's parameters) and
        its shape after the batch axis; the model is run on it once to check that it
        accepts it.
    opset : int
        ONNX operator set version (default 17).
    input_name, output_name : str
        Names of the graph's input and output.
    dynamic_batch : bool
        The batch axis (axis 0) is a named dimension ``"N"`` (any batch size);
        ``False`` fixes it to ``example_input``'s.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    ImportError
        onnx is not installed.
    OnnxExportError
        A layer or setting without an ONNX translation.
    """
    onnx = _onnx()
    layers = list(_layers(model, ""))
    x = example_input if isinstance(example_input, ag.Tensor) else ag.tensor(example_input)
    if x.dtype not in _DTYPES or x.ndim < 1:
        raise OnnxExportError(f"export_onnx: example_input must be a float32 or float64 "
                              f"array of shape (N, ...), got {x.dtype} of shape {x.shape}")
    was_training = model.training
    model.eval()
    try:
        with ag.no_grad():
            expected = model(x)  # fails here, as in use, on an input the model refuses
        graph = _Graph(onnx, x.dtype)
        name, shape = input_name, tuple(int(d) for d in x.shape)
        for where, layer in layers:
            try:
                name, shape = _CONVERTERS[type(layer)](graph, layer, name, shape)
            except OnnxExportError as exc:
                raise OnnxExportError(f"export_onnx: {type(layer).__name__} at {where!r}: "
                                      f"{exc}") from None
    finally:
        model.train(was_training)
    graph.nodes.append(onnx.helper.make_node("Identity", [name], [output_name]))
    elem = getattr(onnx.TensorProto, _DTYPES[x.dtype])
    batch = "N" if dynamic_batch else int(x.shape[0])
    inputs = [onnx.helper.make_tensor_value_info(input_name, elem, [batch, *x.shape[1:]])]
    outputs = [onnx.helper.make_tensor_value_info(output_name, elem,
                                                  [batch, *expected.shape[1:]])]
    proto = onnx.helper.make_model(
        onnx.helper.make_graph(graph.nodes, type(model).__name__, inputs, outputs,
                               graph.initializers),
        opset_imports=[onnx.helper.make_opsetid("", int(opset))],
        producer_name="autograd-core", producer_version=ag.__version__)
    # the oldest IR version that carries this opset, so that older runtimes read the file
    proto.ir_version = onnx.helper.find_min_ir_version_for(list(proto.opset_import))
    onnx.checker.check_model(proto, full_check=True)
    path = Path(os.fspath(path))
    _write_atomically(path, ".onnx", lambda f: f.write(proto.SerializeToString()))
    return path
