"""Fixtures for the optim tests: float64 problems with hand-derived reference gradients."""

import pytest

from _optim_helpers import mlp_loss, quadratic_loss
from _optim_reference import mlp_grad, mlp_problem, quadratic_grad, quadratic_problem


@pytest.fixture(params=["quadratic", "mlp"])
def problem(request):
    """``(initial arrays, loss(params) built with autograd_core, reference grad fn)``."""
    if request.param == "quadratic":
        A, b, x0 = quadratic_problem()
        return [x0], quadratic_loss(A, b), quadratic_grad(A, b)
    X, onehot, weights = mlp_problem()
    return weights, mlp_loss(X, onehot), mlp_grad(X, onehot)
