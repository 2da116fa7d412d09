"""``solver="lbfgs"``: SciPy's L-BFGS-B on the network's flattened parameters.

As scikit-learn's ``_fit_lbfgs``: one full-batch objective, the parameters packed
weights first then biases (each raveled), ``maxiter=max_iter``, ``maxfun=max_fun``,
``gtol=tol``; SciPy sees the reported loss and the gradient of the objective
(autograd-core computes it), both in float64.  SciPy is optional (``pip install
scipy``), needed only for this solver.
"""

from __future__ import annotations

import warnings

import numpy as np

import autograd_core as ag
from autograd_core import backend

from ._base import ConvergenceWarning, sklearn_compatible

__all__ = ["fit_lbfgs"]


def _flat(tensors) -> np.ndarray:
    return np.concatenate([np.asarray(t.numpy(), dtype=np.float64).ravel() for t in tensors])


def fit_lbfgs(est, X, Y, sw) -> None:
    """Minimise ``est``'s full-batch loss on validated ``X``, encoded ``Y`` ``(n, n_outputs)``
    and sample weights ``sw`` (``(n,)`` or None); sets ``n_iter_``, ``loss_``, ``t_``."""
    try:
        from scipy.optimize import minimize  # noqa: PLC0415 - optional dependency
    except ImportError:
        raise ImportError(f"{type(est).__name__}(solver='lbfgs') needs SciPy (pip install "
                          "scipy, or pip install -e '.[sklearn]'); or use solver='adam' "
                          "or 'sgd'") from None
    params = est._params
    p0 = params[0]
    Xt = ag.tensor(backend.asarray(X, p0.dtype, p0.device))
    Yt = ag.tensor(backend.asarray(Y, p0.dtype, p0.device))
    swt = None if sw is None else ag.tensor(backend.asarray(sw[:, None], p0.dtype, p0.device))
    bounds = np.cumsum([0] + [p.size for p in params])

    def load(x):
        est._set_param_arrays([x[a:b].reshape(p.shape)
                               for p, a, b in zip(params, bounds[:-1], bounds[1:])])

    def loss_and_grad(x):
        load(x)
        for p in params:
            p.grad = None
        objective, reported = est._batch_loss(Xt, Yt, swt)
        objective.backward()
        return reported, _flat([p.grad for p in params])

    result = minimize(loss_and_grad, _flat(params), method="L-BFGS-B", jac=True,
                      options={"maxfun": est.max_fun, "maxiter": est.max_iter,
                               "gtol": est.tol})
    if result.status != 0:
        message = result.message.decode() if isinstance(result.message, bytes) \
            else result.message
        warnings.warn(f"lbfgs failed to converge after {result.nit} iteration(s) "
                      f"(status={result.status}): {message}. Increase the number of "
                      "iterations (max_iter) or the number of loss evaluations (max_fun), "
                      "or scale the data.", sklearn_compatible(ConvergenceWarning),
                      stacklevel=4)
    load(result.x)
    est.n_iter_ = min(int(result.nit), est.max_iter)
    est.loss_ = float(result.fun)
    est.t_ += X.shape[0]
