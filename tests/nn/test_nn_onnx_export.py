"""nn.export_onnx: the exported file passes onnx.checker and onnxruntime computes what the
model's own forward pass (in eval mode) computes, on hypothesis-drawn models and inputs."""

from __future__ import annotations

import builtins
import os

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd_core as ag
from autograd_core import nn

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")

# onnxruntime against NumPy's BLAS: sums in another order, erf/tanh/exp from other libraries
TOLERANCE = {np.float32: {"rtol": 1e-5, "atol": 1e-5}, np.float64: {"rtol": 1e-12, "atol": 1e-12}}


def run_onnx(path, x):
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    (name,) = [i.name for i in session.get_inputs()]
    return session.run(None, {name: x})[0]


def reference(model, x):
    was = model.training
    model.eval()
    with ag.no_grad():
        out = model(ag.tensor(x)).numpy()
    model.train(was)
    return out


def check_export(model, x_export, x_run, tmp_path):
    path = nn.export_onnx(model, tmp_path / "model.onnx", x_export)
    onnx.checker.check_model(onnx.load(str(path)), full_check=True)
    got, want = run_onnx(path, x_run), reference(model, x_run)
    assert got.shape == want.shape and got.dtype == want.dtype
    dtype = x_run.dtype.type
    if any(isinstance(m, nn.GELU) and m.approximate == "none" for m in model.modules()):
        dtype = np.float32  # a float64 graph computes erf in float32 (as documented)
    np.testing.assert_allclose(got, want, **TOLERANCE[dtype])
    return path


# smooth activations: a Linear's rounding cannot flip their output (steps are tested alone)
ACTIVATIONS = st.one_of(
    st.sampled_from([nn.ReLU, nn.Sigmoid, nn.Tanh, nn.SELU]).map(lambda cls: cls()),
    st.floats(0.0, 0.5).map(nn.LeakyReLU),
    st.floats(0.1, 2.0).map(nn.ELU),
    st.sampled_from(["none", "tanh"]).map(nn.GELU),
    st.sampled_from([1.0, 0.5, 2.0]).map(nn.Softplus),
    st.sampled_from([1.0, 1.702]).map(nn.SiLU),
)
OUTPUTS = st.sampled_from([None, nn.Softmax, nn.LogSoftmax, nn.Sigmoid])
DTYPES = st.sampled_from([np.float32, np.float64])


def _batchnorm(draw, width, dtype):
    layer = nn.BatchNorm1d(width, eps=draw(st.sampled_from([1e-5, 1e-3])),
                           affine=draw(st.booleans()), dtype=dtype)
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    layer.running_mean.data[...] = rng.normal(size=width)
    layer.running_var.data[...] = rng.uniform(0.2, 3.0, size=width)
    if layer.affine:
        layer.weight.data[...] = rng.normal(size=width)
        layer.bias.data[...] = rng.normal(size=width)
    return layer


@st.composite
def chains(draw):
    """(model, dtype, in_features): Linear / activation / BatchNorm1d / Dropout chains."""
    dtype = draw(DTYPES)
    ag.manual_seed(draw(st.integers(0, 2**16)))
    width = in_features = draw(st.integers(1, 6))
    layers = []
    for out in draw(st.lists(st.integers(1, 8), min_size=1, max_size=4)):
        layers.append(nn.Linear(width, out, bias=draw(st.booleans()), dtype=dtype))
        width = out
        if draw(st.booleans()):
            layers.append(_batchnorm(draw, width, dtype))
        layers.append(draw(ACTIVATIONS))
        if draw(st.booleans()):
            layers.append(nn.Dropout(draw(st.floats(0.0, 0.9))))
    output = draw(OUTPUTS)
    if output is not None:
        layers.append(output())
    return nn.Sequential(*layers), dtype, in_features


@given(chains(), st.integers(1, 5), st.integers(1, 5), st.integers(0, 2**16))
def test_drawn_chains_match_onnxruntime(tmp_path_factory, drawn, n_export, n_run, seed):
    model, dtype, in_features = drawn
    rng = np.random.default_rng(seed)
    x_export = rng.normal(size=(n_export, in_features)).astype(dtype)
    x_run = (rng.normal(size=(n_run, in_features)) * 2).astype(dtype)  # another batch size
    model.train()
    check_export(model, x_export, x_run, tmp_path_factory.mktemp("onnx"))
    assert model.training  # the export put the training mode back


@given(st.integers(1, 5), st.lists(st.integers(1, 6), max_size=3), st.integers(1, 4),
       st.sampled_from(["relu", "tanh", "sigmoid", "elu", "selu", "gelu", "silu", "softplus",
                        "leaky_relu"]),
       st.sampled_from([None, "softmax", "log_softmax", "sigmoid"]), st.sampled_from([0, 0.3]),
       DTYPES, st.integers(0, 2**16))
def test_drawn_mlps_match_onnxruntime(tmp_path_factory, n_in, hidden, n_out, activation,
                                      output, dropout, dtype, seed):
    ag.manual_seed(seed)
    model = nn.MLP(n_in, hidden, n_out, activation=activation, output_activation=output,
                   dropout=dropout, dtype=dtype)
    x = np.random.default_rng(seed).normal(size=(3, n_in)).astype(dtype)
    check_export(model, x, x, tmp_path_factory.mktemp("onnx"))


@pytest.mark.parametrize("shape, start, end", [
    ((2, 3, 4), 1, -1), ((2, 3, 4, 5), 1, -1), ((2, 3, 4, 5), 2, 3), ((2, 3, 4, 5), 1, 2),
    ((2, 3, 4), 0, -1), ((2, 3, 4), 0, 1), ((2, 3), 1, 1)])
def test_flatten_then_linear(tmp_path, shape, start, end):
    ag.manual_seed(0)
    flat = nn.Flatten(start, end)
    x = np.random.default_rng(0).normal(size=shape).astype(np.float32)
    width = reference(flat, x).shape[-1]
    model = nn.Sequential(flat, nn.Linear(width, 3), nn.Tanh())
    other = np.random.default_rng(1).normal(size=(5, *shape[1:])).astype(np.float32)
    check_export(model, x, other if start > 0 else x, tmp_path)


def test_steps_match_exactly_including_at_zero(tmp_path):
    x = np.array([[-2.0, -0.0, 0.0, 1e-30, -1e-30, 3.0]], np.float32)
    for layer in (nn.Heaviside(), nn.Heaviside(at_zero=0.5), nn.Sign()):
        check_export(nn.Sequential(layer), x, x, tmp_path)


def test_softmax_along_another_axis_and_a_lone_layer(tmp_path):
    x = np.random.default_rng(0).normal(size=(2, 4, 3)).astype(np.float32)
    for layer in (nn.Softmax(axis=1), nn.LogSoftmax(axis=-2), nn.Softmax(axis=0)):
        check_export(layer, x, x, tmp_path)
    check_export(nn.Linear(3, 2), x, x, tmp_path)  # (..., in) inputs: MatMul broadcasts


def test_batchnorm_on_n_c_l_inputs(tmp_path):
    layer = nn.BatchNorm1d(3)
    layer.running_mean.data[...] = [0.5, -1.0, 2.0]
    layer.running_var.data[...] = [0.25, 4.0, 1.0]
    x = np.random.default_rng(0).normal(size=(2, 3, 5)).astype(np.float32)
    check_export(nn.Sequential(layer, nn.ReLU()), x, x, tmp_path)


def test_nested_sequentials_are_unrolled(tmp_path):
    ag.manual_seed(0)
    model = nn.Sequential(nn.Sequential(nn.Linear(3, 4), nn.ReLU()),
                          nn.Sequential(nn.Sequential(nn.Linear(4, 2)), nn.Softmax()))
    x = np.random.default_rng(0).normal(size=(4, 3)).astype(np.float32)
    check_export(model, x, x, tmp_path)


def test_fixed_batch_when_asked(tmp_path):
    x = np.ones((2, 3), np.float32)
    path = nn.export_onnx(nn.Linear(3, 1), tmp_path / "m.onnx", x, dynamic_batch=False)
    dims = onnx.load(str(path)).graph.input[0].type.tensor_type.shape.dim
    assert [d.dim_value for d in dims] == [2, 3]
    path = nn.export_onnx(nn.Linear(3, 1), tmp_path / "m.onnx", x, input_name="pixels")
    dims = onnx.load(str(path)).graph.input[0].type.tensor_type.shape.dim
    assert dims[0].dim_param == "N" and onnx.load(str(path)).graph.input[0].name == "pixels"


class Custom(nn.Module):
    def forward(self, x):
        return x * 2


@pytest.mark.parametrize("model, named, where", [
    (nn.Sequential(nn.Linear(2, 2), nn.Lambda(lambda t: t)), "Lambda", "'1'"),
    (nn.Sequential(nn.Sequential(nn.Linear(2, 2), Custom())), "Custom", "'0.1'"),
    (Custom(), "Custom", "'the top'"),
    (nn.Sequential(nn.TLU(2)), "TLU", "'0'"),
])
def test_unsupported_layers_are_named_and_nothing_is_written(tmp_path, model, named, where):
    target = tmp_path / "m.onnx"
    target.write_bytes(b"previous")
    with pytest.raises(nn.OnnxExportError, match=f"cannot export {named} \\(at {where}\\).*"
                                                 "supports Sequential/MLP chains of .*Linear"):
        nn.export_onnx(model, target, np.zeros((1, 2), np.float32))
    assert target.read_bytes() == b"previous" and os.listdir(tmp_path) == ["m.onnx"]


def test_batchnorm_without_running_statistics_is_refused(tmp_path):
    model = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3, track_running_stats=False))
    with pytest.raises(nn.OnnxExportError, match=r"BatchNorm1d at '1'.*track_running_stats"):
        nn.export_onnx(model, tmp_path / "m.onnx", np.zeros((2, 2), np.float32))


def test_example_input_must_be_float(tmp_path):
    with pytest.raises(nn.OnnxExportError, match="float32 or float64.*int64"):
        nn.export_onnx(nn.Linear(2, 1), tmp_path / "m.onnx", np.zeros((1, 2), np.int64))


def test_an_interrupted_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "m.onnx"
    target.write_bytes(b"previous")

    def fail(src, dst):
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        nn.export_onnx(nn.Linear(2, 1), target, np.zeros((1, 2), np.float32))
    assert target.read_bytes() == b"previous" and os.listdir(tmp_path) == ["m.onnx"]


def test_without_onnx_the_error_names_the_extra(monkeypatch, tmp_path):
    real_import = builtins.__import__

    def no_onnx(name, *args, **kwargs):
        if name == "onnx":
            raise ImportError("hidden by the test")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_onnx)
    with pytest.raises(ImportError, match=r"needs the onnx package.*autograd-core\[onnx\]"):
        nn.export_onnx(nn.Linear(2, 1), tmp_path / "m.onnx", np.zeros((1, 2), np.float32))
