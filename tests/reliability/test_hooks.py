"""Hook results are checked: a wrong shape or dtype names the hook, never lands in .grad."""

import numpy as np
import pytest

import autograd_core as ag


def wrong_shape(grad):
    return ag.tensor(np.ones(5, dtype=np.float32))


def wrong_dtype(grad):
    return np.ones(grad.shape, dtype=np.int64)


@pytest.mark.parametrize("hook, what", [(wrong_shape, r"shape \(5,\)"), (wrong_dtype, "int64")])
def test_leaf_hook_result_is_checked(hook, what):
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    x.register_hook(hook)
    with pytest.raises(RuntimeError, match=f"hook {hook.__name__} returned .*{what}.*shape \\(2,\\)"):
        (x * 2).sum().backward()
    assert x.grad is None


@pytest.mark.parametrize("hook, what", [(wrong_shape, r"shape \(5,\)"), (wrong_dtype, "int64")])
def test_non_leaf_hook_result_is_checked_and_not_called_internal_error(hook, what):
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    y.register_hook(hook)
    with pytest.raises(RuntimeError, match=f"hook {hook.__name__} returned .*{what}") as info:
        (y * 3).sum().backward()
    assert "internal error" not in str(info.value)


def test_a_hook_returning_a_good_replacement_is_used():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    x.register_hook(lambda g: g * 10)
    (x * 2).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [20.0, 20.0])
