"""Error paths of the engine raise the error they mean, never one of their own."""

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import engine


@pytest.mark.parametrize("make_input", [
    lambda: ag.tensor([1.0, 2.0], requires_grad=True),  # a leaf: no node to name
    lambda: ag.tensor([1.0, 2.0], requires_grad=True) * 1.0,  # a non-leaf
])
def test_grad_of_with_a_gradient_of_the_wrong_shape_raises_a_shape_error(monkeypatch, make_input):
    # the engine never produces this; if it ever did, the shape fix-up must say so clearly
    x = make_input()
    y = (x * 2.0).sum()
    monkeypatch.setattr(engine, "backward",
                        lambda *args, **kwargs: [ag.tensor(np.ones((3,), dtype=np.float32))])
    with pytest.raises(ag.ShapeError,
                       match=r"grad\(\): .* shape \(3,\) for its input 0 of shape \(2,\)"):
        engine.grad_of(y, x)
