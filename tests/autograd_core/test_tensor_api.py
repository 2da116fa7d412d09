"""Tensor attributes, construction, dtype rules, conversions and repr."""

import numpy as np
import pytest

import autograd_core as ag


def test_attributes():
    x = ag.tensor([[1.0, 2.0, 3.0]], requires_grad=True)
    assert x.shape == (1, 3) and x.ndim == 2 and x.size == 3
    assert x.dtype == np.float32 and x.device == ag.get_default_device()
    assert x.is_leaf and x.requires_grad and x.grad is None
    assert x.T.shape == (3, 1)
    assert x.sum().item() == pytest.approx(6.0)
    assert x.tolist() == [[1.0, 2.0, 3.0]]


def test_python_floats_and_lists_use_the_default_dtype():
    assert ag.tensor(1.5).dtype == np.float32
    assert ag.tensor([1, 2]).dtype == np.int64
    assert ag.tensor([True]).dtype == np.bool_
    ag.set_default_dtype("float64")
    assert ag.tensor([1.0]).dtype == np.float64
    assert ag.zeros(2).dtype == np.float64


def test_numpy_arrays_keep_their_dtype():
    for dtype in (np.float16, np.float32, np.float64, np.int32):
        assert ag.tensor(np.zeros(2, dtype=dtype)).dtype == dtype


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_python_scalars_never_upcast(dtype):
    x = ag.tensor(np.ones(3, dtype=dtype), requires_grad=True)
    for y in (x * 2.0, 2.0 * x, x + 1, x / 3.0, 1.0 - x, x ** 2.0, 2.0 ** x,
              ag.maximum(x, 0.5), ag.where(x > 0, x, 0.0), x * np.float64(2.0)):
        assert y.dtype == dtype
    (x * 2.5).sum().backward()
    assert x.grad.dtype == dtype


def test_integer_and_bool_tensors_cannot_require_grad():
    with pytest.raises(TypeError, match="only floating-point tensors"):
        ag.tensor([1, 2], requires_grad=True)
    x = ag.tensor([1, 2])
    with pytest.raises(TypeError, match="int64"):
        x.requires_grad = True


def test_requires_grad_cannot_be_switched_off_on_a_non_leaf():
    x = ag.tensor([1.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="detach"):
        (x * 2).requires_grad = False


def test_to_and_cpu_keep_requires_grad():
    x = ag.tensor([1.0, 2.0], requires_grad=True, device="cpu")
    y = x.to("cpu")
    assert y.requires_grad and y.device == "cpu"
    z = x.to(dtype="float64")
    assert z.dtype == np.float64 and z.requires_grad
    z.sum().backward()
    assert x.grad.dtype == np.float32


def test_item_on_non_scalar_is_a_clear_error():
    with pytest.raises(ValueError, match=r"shape \(2,\)"):
        ag.tensor([1.0, 2.0]).item()


def test_repr_is_readable():
    assert repr(ag.tensor([1.0, 2.0])) == "tensor([1., 2.])"
    assert "requires_grad=True" in repr(ag.tensor([1.0], requires_grad=True))
    x = ag.tensor([1.0], requires_grad=True)
    assert "grad_fn=<multiply>" in repr(x * 2)
    assert "dtype=float64" in repr(ag.tensor(np.zeros(1)))


def test_numpy_array_on_the_left_defers_to_tensor():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = np.array([3.0, 4.0], dtype=np.float32) * x
    assert isinstance(y, ag.Tensor) and y.requires_grad


def test_factories():
    assert ag.zeros(2, 3).shape == (2, 3)
    assert ag.ones((4,)).numpy().tolist() == [1.0] * 4
    assert ag.full((2,), 7.0).numpy().tolist() == [7.0, 7.0]
    assert ag.arange(4).dtype == np.int64
    assert ag.eye(3).numpy().trace() == 3
    assert ag.linspace(0, 1, 5).shape == (5,)
    x = ag.randn(3, 4, generator=ag.Generator(0))
    y = ag.randn(3, 4, generator=ag.Generator(0))
    np.testing.assert_array_equal(x.numpy(), y.numpy())
    ag.manual_seed(1)
    a = ag.rand(5)
    ag.manual_seed(1)
    np.testing.assert_array_equal(a.numpy(), ag.rand(5).numpy())


def test_comparisons_return_bool_tensors_without_grad():
    x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    for c in (x < 2, x <= 2, x > 2, x >= 2, x == 2, x != 2):
        assert c.dtype == np.bool_ and not c.requires_grad
    np.testing.assert_array_equal((x > 1.5).numpy(), [False, True, True])


def test_argmax_argmin():
    x = ag.tensor([[1.0, 5.0, 5.0], [7.0, 0.0, 7.0]])
    np.testing.assert_array_equal(ag.argmax(x, axis=1).numpy(), [1, 0])
    np.testing.assert_array_equal(x.argmin(axis=0).numpy(), [0, 1, 0])
    assert ag.argmax(x).dtype == np.int64


def test_ties_in_max_share_the_gradient_equally():
    x = ag.tensor([1.0, 3.0, 3.0], requires_grad=True)
    x.max().backward()
    np.testing.assert_allclose(x.grad.numpy(), [0.0, 0.5, 0.5])
    y = ag.tensor([0.0, 1.0, -1.0], requires_grad=True)
    ag.relu(y).sum().backward()
    np.testing.assert_allclose(y.grad.numpy(), [0.0, 1.0, 0.0])  # relu'(0) = 0


def test_repeated_integer_indices_accumulate():
    x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    x[np.array([0, 0, 2, 0])].sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [3.0, 0.0, 1.0])


def test_softmax_and_log_softmax_are_stable_for_huge_logits():
    logits = ag.tensor([[1e4, -1e4, 0.0]], dtype="float64", requires_grad=True)
    p = ag.softmax(logits)
    lp = ag.log_softmax(logits)
    assert np.all(np.isfinite(p.numpy())) and np.all(np.isfinite(lp.numpy()))
    np.testing.assert_allclose(p.numpy(), [[1.0, 0.0, 0.0]])
    np.testing.assert_allclose(lp.numpy(), [[0.0, -2e4, -1e4]])
    (lp[0, 0] + lp[0, 2]).backward()
    assert np.all(np.isfinite(logits.grad.numpy()))
    assert np.isfinite(ag.logsumexp(logits).item())


def test_to_dot_describes_the_graph():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = ag.tanh(x @ ag.tensor([[1.0], [2.0]])).sum()
    dot = ag.to_dot(y)
    assert dot.startswith("digraph") and dot.rstrip().endswith("}")
    for op in ("matmul", "tanh", "sum"):
        assert f'label="{op}"' in dot
    assert "[2] float32" in dot


def test_split_stack_and_friends_round_trip():
    x = ag.tensor(np.arange(12.0).reshape(3, 4), requires_grad=True)
    parts = ag.split(x, 2, axis=1)
    assert [p.shape for p in parts] == [(3, 2), (3, 2)]
    back = ag.concatenate(parts, axis=1)
    np.testing.assert_array_equal(back.numpy(), x.numpy())
    assert ag.stack([x, x], axis=0).shape == (2, 3, 4)
