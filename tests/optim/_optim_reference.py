"""Plain-NumPy references for the optim tests: update rules, problems and their gradients.

Each update rule is written straight from PyTorch's documentation of the optimizer,
one parameter at a time, without the in-place tricks of the implementation.  The
problems' gradients are derived by hand, so nothing here uses autograd_core.
"""

import numpy as np

# PyTorch's documented defaults
DEFAULTS = {
    "SGD": dict(lr=1e-3, momentum=0.0, dampening=0.0, nesterov=False, weight_decay=0.0),
    "Adam": dict(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False),
    "AdamW": dict(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False),
    "RMSprop": dict(lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0,
                    centered=False),
    "Adagrad": dict(lr=1e-2, lr_decay=0.0, weight_decay=0.0, initial_accumulator_value=0.0,
                    eps=1e-10),
}


def sgd(theta, g, s, t, lr, momentum, dampening, nesterov, weight_decay):
    if weight_decay:
        g = g + weight_decay * theta
    if momentum:
        s["b"] = g.copy() if t == 1 else momentum * s["b"] + (1 - dampening) * g
        g = g + momentum * s["b"] if nesterov else s["b"]
    return theta - lr * g


def _adam(theta, g, s, t, lr, betas, eps, weight_decay, amsgrad, decoupled):
    b1, b2 = betas
    if weight_decay and decoupled:
        theta = theta * (1 - lr * weight_decay)
    elif weight_decay:
        g = g + weight_decay * theta
    s["m"] = b1 * s.get("m", 0.0) + (1 - b1) * g
    s["v"] = b2 * s.get("v", 0.0) + (1 - b2) * g**2
    m_hat = s["m"] / (1 - b1**t)
    if amsgrad:
        s["v_max"] = np.maximum(s.get("v_max", 0.0), s["v"])
        v_hat = s["v_max"] / (1 - b2**t)
    else:
        v_hat = s["v"] / (1 - b2**t)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps)


def adam(theta, g, s, t, **hp):
    return _adam(theta, g, s, t, decoupled=False, **hp)


def adamw(theta, g, s, t, **hp):
    return _adam(theta, g, s, t, decoupled=True, **hp)


def rmsprop(theta, g, s, t, lr, alpha, eps, weight_decay, momentum, centered):
    if weight_decay:
        g = g + weight_decay * theta
    s["v"] = alpha * s.get("v", 0.0) + (1 - alpha) * g**2
    v_tilde = s["v"]
    if centered:
        s["g_avg"] = alpha * s.get("g_avg", 0.0) + (1 - alpha) * g
        v_tilde = v_tilde - s["g_avg"] ** 2
    if momentum > 0:
        s["b"] = momentum * s.get("b", 0.0) + g / (np.sqrt(v_tilde) + eps)
        return theta - lr * s["b"]
    return theta - lr * g / (np.sqrt(v_tilde) + eps)


def adagrad(theta, g, s, t, lr, lr_decay, weight_decay, initial_accumulator_value, eps):
    lr_t = lr / (1 + (t - 1) * lr_decay)
    if weight_decay:
        g = g + weight_decay * theta
    s["sum"] = s.get("sum", initial_accumulator_value) + g**2
    return theta - lr_t * g / (np.sqrt(s["sum"]) + eps)


RULES = {"SGD": sgd, "Adam": adam, "AdamW": adamw, "RMSprop": rmsprop, "Adagrad": adagrad}


def reference_run(name, hyper, params, grad_fn, steps):
    """Apply ``steps`` updates of optimizer ``name`` to copies of ``params`` (a list)."""
    hp = dict(DEFAULTS[name], **hyper)
    params = [p.copy() for p in params]
    states = [{} for _ in params]
    for t in range(1, steps + 1):
        grads = grad_fn(params)
        params = [RULES[name](p, g, s, t, **hp) for p, g, s in zip(params, grads, states)]
    return params


# -- problems --------------------------------------------------------------------------

def quadratic_problem(seed=0, n=5):
    """``f(x) = x.A x / 2 - b.x`` with A symmetric positive definite; gradient ``A x - b``."""
    rng = np.random.default_rng(seed)
    q = rng.standard_normal((n, n))
    A = q @ q.T / n + np.eye(n)
    b = rng.standard_normal(n)
    x0 = rng.standard_normal(n)
    return A, b, x0


def quadratic_grad(A, b):
    return lambda params: [A @ params[0] - b]


def mlp_problem(seed=0, n=16, d=4, hidden=8, classes=3):
    """Data and initial weights of a one-hidden-layer ReLU classifier."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    y = rng.integers(0, classes, n)
    onehot = np.eye(classes)[y]
    weights = [rng.standard_normal((d, hidden)) * 0.5, rng.standard_normal(hidden) * 0.1,
               rng.standard_normal((hidden, classes)) * 0.5, rng.standard_normal(classes) * 0.1]
    return X, onehot, weights


def mlp_grad(X, onehot):
    """Hand-derived gradient of the mean cross-entropy of ``relu(X W1 + b1) W2 + b2``."""

    def grad(params):
        W1, b1, W2, b2 = params
        z1 = X @ W1 + b1
        h = np.maximum(z1, 0)
        logits = h @ W2 + b2
        e = np.exp(logits - logits.max(axis=1, keepdims=True))
        p = e / e.sum(axis=1, keepdims=True)
        dlogits = (p - onehot) / X.shape[0]
        dh = dlogits @ W2.T
        dz1 = dh * (z1 > 0)
        return [X.T @ dz1, dz1.sum(0), h.T @ dlogits, dlogits.sum(0)]

    return grad
