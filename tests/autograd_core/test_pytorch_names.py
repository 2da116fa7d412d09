"""PyTorch habits (autograd_core/_pytorch_names.py): dim=/keepdim= and the other PyTorch
keyword spellings are accepted where the op then returns what PyTorch's does, refused with
NumPy's name where PyTorch's function returns something else; x.size(), x.dim(),
x.numel(), x.t(), ag.cat, model.cuda()/cpu()."""

import inspect
import pickle

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import _pytorch_names, nn

X = np.random.default_rng(0).uniform(0.5, 1.5, (3, 4))


def _x():
    return ag.tensor(X.copy(), requires_grad=True)


# ops with an axis whose first arguments are not just one tensor
CALLS = {
    "concatenate": lambda op, **kw: op([_x(), _x()], **kw),
    "cat": lambda op, **kw: op([_x(), _x()], **kw),
    "stack": lambda op, **kw: op([_x(), _x()], **kw),
    "split": lambda op, **kw: op(_x(), 2, **kw),
    "array_split": lambda op, **kw: op(_x(), 2, **kw),
    "repeat": lambda op, **kw: op(_x(), 2, **kw),
    "roll": lambda op, **kw: op(_x(), 1, **kw),
    "take": lambda op, **kw: op(_x(), ag.tensor([0, 2]), **kw),
    "take_along_axis": lambda op, **kw: op(_x(), ag.tensor([[0], [1], [2]]), **kw),
    "put_along_axis": lambda op, **kw: op(_x(), ag.tensor([[0], [1], [2]]), 5.0, **kw),
    "scatter_add": lambda op, **kw: op(_x(), ag.tensor([[0], [1], [2]]), 5.0, **kw),
    "expand_dims": lambda op, **kw: op(_x(), **kw),
    "squeeze": lambda op, **kw: op(ag.tensor(X[:, :1]), **kw),
}
AXIS_OPS = sorted(name for name in ag.ops.__all__
                  if "axis" in inspect.signature(getattr(ag, name)).parameters)
KEEPDIMS_OPS = sorted(name for name in ag.ops.__all__
                      if "keepdims" in inspect.signature(getattr(ag, name)).parameters)


def outcome(name, **kwargs):
    """What ``ag.<name>`` returns (as arrays) or raises, called on the test inputs."""
    op = getattr(ag, name)
    call = CALLS.get(name, lambda op, **kw: op(_x(), **kw))
    try:
        result = call(op, **kwargs)
    except Exception as err:  # noqa: BLE001 - compared between the two spellings
        return ("raised", type(err), str(err))
    results = result if isinstance(result, (tuple, list)) else [result]
    return ("returned", [np.asarray(r.numpy()) for r in results])


def assert_same(a, b):
    assert a[0] == b[0], (a, b)
    if a[0] == "raised":
        assert a[1:] == b[1:]
    else:
        assert len(a[1]) == len(b[1])
        for left, right in zip(a[1], b[1]):
            np.testing.assert_array_equal(left, right)


def test_the_rule_covers_the_ops_that_take_an_axis():
    assert {"sum", "mean", "softmax", "concatenate", "max", "var", "argmax"} <= set(AXIS_OPS)
    for name in AXIS_OPS:  # every one of them goes through the rule
        assert getattr(ag, name) is not inspect.unwrap(getattr(ag, name)), name


@pytest.mark.parametrize("name", AXIS_OPS)
def test_dim_means_axis_or_is_refused_naming_axis(name):
    refused = _pytorch_names.REFUSED.get(name, {})
    with_dim = outcome(name, dim=1 if name != "squeeze" else 1)
    if "dim" in refused:
        assert with_dim[:2] == ("raised", TypeError)
        assert with_dim[2].startswith(f"{name}: dim= is not accepted") and "axis=" in with_dim[2]
        assert "NumPy's name" in with_dim[2]
    else:
        assert_same(with_dim, outcome(name, axis=1))


@pytest.mark.parametrize("name", KEEPDIMS_OPS)
def test_keepdim_means_keepdims(name):
    assert_same(outcome(name, axis=1, keepdim=True), outcome(name, axis=1, keepdims=True))


def test_accepted_spellings_agree_with_numpy():
    x = _x()
    np.testing.assert_allclose(x.sum(dim=1, keepdim=True).numpy(), X.sum(axis=1, keepdims=True))
    np.testing.assert_allclose(ag.mean(x, dim=0).numpy(), X.mean(axis=0))
    np.testing.assert_allclose(x.softmax(dim=0).numpy(),
                               np.exp(X) / np.exp(X).sum(axis=0, keepdims=True))
    np.testing.assert_array_equal(x.argmax(dim=1).numpy(), X.argmax(axis=1))
    np.testing.assert_array_equal(x.unsqueeze(dim=0).shape, (1, 3, 4))
    y = ag.tensor(X.reshape(3, 2, 2))
    assert y.flatten(start_dim=1).shape == (3, 4)
    assert y.flatten(start_dim=0, end_dim=1).shape == (6, 2)
    np.testing.assert_array_equal(ag.swapaxes(y, dim0=0, dim1=2).numpy(), X.reshape(3, 2, 2).T)
    np.testing.assert_array_equal(ag.diagonal(y, dim1=1, dim2=2).numpy(),
                                  np.diagonal(X.reshape(3, 2, 2), axis1=1, axis2=2))
    np.testing.assert_array_equal(ag.flip(x, dims=(0,)).numpy(), X[::-1])
    np.testing.assert_array_equal(ag.roll(x, shifts=1, dims=1).numpy(), np.roll(X, 1, axis=1))


def test_pytorch_spellings_keep_gradients():
    x = _x()
    (x.sum(dim=1, keepdim=True) * ag.tensor(np.array([[1.0], [2.0], [3.0]]))).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), np.repeat([[1.0], [2.0], [3.0]], 4, axis=1))


@pytest.mark.parametrize("call, message", [
    (lambda x: x.max(dim=1), "max: dim= is not accepted: PyTorch's max(dim=...) returns "
                             "(values, indices)"),
    (lambda x: x.min(dim=1), "argmin(axis=...)"),
    (lambda x: x.var(dim=0), "ddof=1 for PyTorch's default"),
    (lambda x: x.std(dim=0), "ddof=0"),
    (lambda x: x.var(axis=0, unbiased=True), "use ddof=1"),
    (lambda x: x.std(correction=1), "use ddof="),
    (lambda x: ag.sort(x, dim=0), "argsort(axis=...)"),
    (lambda x: ag.median(x, dim=0), "(values, indices)"),
    (lambda x: x.split(2, dim=0), "PyTorch's split takes the size of each part"),
    (lambda x: x.repeat(2, dim=0), "repeat_interleave"),
    (lambda x: x.norm(p=1), "use ord="),
    (lambda x: x.sum(dim=0, axis=0), "got both dim= (PyTorch's name) and axis="),
])
def test_refusals_name_the_numpy_spelling(call, message):
    with pytest.raises(TypeError) as info:
        call(_x())
    assert message in str(info.value)


def test_ops_without_axis_are_not_wrapped():
    assert ag.add is inspect.unwrap(ag.add) and ag.exp is inspect.unwrap(ag.exp)
    with pytest.raises(TypeError, match="dim"):
        ag.exp(_x(), dim=1)  # Python's own "unexpected keyword argument" error


def test_size_is_numpys_count_and_pytorchs_shape_when_called():
    x = ag.tensor(np.zeros((2, 3, 4)))
    assert x.size == 24 and isinstance(x.size, int) and x.size + 1 == 25
    assert x.size() == (2, 3, 4) and x.size(1) == 3 and x.size(-1) == 4
    with pytest.raises(ag.ShapeError, match="size: dim 3 is out of bounds"):
        x.size(3)
    copied = pickle.loads(pickle.dumps(x.size))
    assert copied == 24 and type(copied) is int
    assert f"{x.size}" == "24" and repr(x.size) == "24"
    assert ag.tensor(5.0).size() == ()
    assert x.dim() == 3 and x.numel() == 24 and type(x.numel()) is int


@pytest.mark.parametrize("shape", [(), (3,), (2, 3), (1, 0)])
def test_t_transposes_up_to_two_dimensions(shape):
    data = np.arange(int(np.prod(shape)), dtype=float).reshape(shape)
    x = ag.tensor(data, requires_grad=True)
    np.testing.assert_array_equal(x.t().numpy(), data.T)
    if data.size:
        (x.t() * ag.tensor(np.arange(data.size, dtype=float).reshape(data.T.shape))).sum() \
            .backward()
        np.testing.assert_array_equal(x.grad.numpy(),
                                      np.arange(data.size, dtype=float).reshape(data.T.shape).T)


def test_t_refuses_three_dimensions_naming_the_alternatives():
    with pytest.raises(ag.ShapeError, match=r"t: expects .* at most 2 .*\(2, 2, 2\).*x\.mT"):
        ag.zeros((2, 2, 2)).t()


def test_cat_is_concatenate():
    a, b = np.ones((2, 3)), np.zeros((2, 1))
    np.testing.assert_array_equal(ag.cat([ag.tensor(a), ag.tensor(b)], dim=1).numpy(),
                                  np.concatenate([a, b], axis=1))
    np.testing.assert_array_equal(ag.cat([ag.tensor(a), ag.tensor(a)]).numpy(),
                                  np.concatenate([a, a]))
    assert "cat" in ag.__all__


def test_module_cpu_and_cuda():
    model = nn.Linear(3, 2)
    params = list(model.parameters())
    assert model.cpu() is model and list(model.parameters()) == params
    assert all(p.device == "cpu" for p in params)
    if ag.cupy_available():
        assert model.cuda() is model and all(p.device == "cuda:0" for p in params)
        model.cpu()
    else:
        with pytest.raises(ag.DeviceError, match="CuPy"):
            model.cuda()
        with pytest.raises(ag.DeviceError, match="CuPy"):
            model.cuda(1)
        assert all(p.device == "cpu" for p in model.parameters())
