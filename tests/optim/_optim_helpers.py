"""Engine-side helpers for the optim tests: the reference problems as autograd_core losses."""

import numpy as np

import autograd_core as ag


def quadratic_loss(A, b, device=None):
    A_t, b_t = ag.tensor(A, device=device), ag.tensor(b, device=device)
    return lambda params: 0.5 * (params[0] @ (A_t @ params[0])) - (b_t * params[0]).sum()


def mlp_loss(X, onehot, device=None):
    X_t, onehot_t = ag.tensor(X, device=device), ag.tensor(onehot, device=device)

    def loss(params):
        W1, b1, W2, b2 = params
        logits = ag.relu(X_t @ W1 + b1) @ W2 + b2
        return -(ag.log_softmax(logits, axis=1) * onehot_t).sum() / X.shape[0]

    return loss


def make_params(arrays, dtype=np.float64, device=None):
    return [ag.tensor(np.array(a, dtype=dtype), requires_grad=True, device=device)
            for a in arrays]


def run(optimizer, params, loss_fn, steps):
    """``steps`` iterations of zero_grad / backward / step."""
    for _ in range(steps):
        optimizer.zero_grad()
        loss_fn(params).backward()
        optimizer.step()
