"""Activation functions and their derivatives, the derivatives taken by autodiff.

The figure is Géron's (*Hands-On Machine Learning*, ch. 10, "Activation
functions and their derivatives"): the Heaviside step, the sigmoid, tanh and
ReLU on the left, their derivatives on the right.  It shows why the step was
replaced for backpropagation: its derivative is zero everywhere (no gradient
flows), while sigmoid and tanh have a non-zero slope everywhere and ReLU a
constant one for positive inputs.

Nothing here differentiates by hand: each curve's derivative is ``x.grad`` after
``f(x).sum().backward()`` (each output depends only on its own input, so the
gradient of the sum is the elementwise derivative).  The script checks them
against the textbook formulas, ``σ' = σ(1 − σ)``, ``tanh' = 1 − tanh²``,
``relu' = [x > 0]``, and prints the largest difference.

Command::

    python examples/activations.py

There is no training: ``--epochs`` and ``--data-dir`` are accepted for a uniform
command line and ignored.  Figure: ``activations.png``.
"""

from __future__ import annotations

import numpy as np
from _common import ag, make_parser, pyplot, save_figure, start, summary, to_numpy

from autograd_core.nn import functional as F

ACTIVATIONS = {
    "heaviside": (F.heaviside, lambda x: np.zeros_like(x)),
    "sigmoid": (F.sigmoid, lambda x: (s := 1 / (1 + np.exp(-x))) * (1 - s)),
    "tanh": (F.tanh, lambda x: 1 - np.tanh(x) ** 2),
    "relu": (F.relu, lambda x: (x > 0).astype(x.dtype)),
}
STYLES = {"heaviside": "r-", "sigmoid": "g--", "tanh": "b-", "relu": "m-."}


def values_and_derivatives(x_np, device):
    """For each activation: f(x) and df/dx from ``backward()``."""
    curves = {}
    for name, (fn, _) in ACTIVATIONS.items():
        x = ag.tensor(x_np, device=device, requires_grad=True)
        y = fn(x)
        y.sum().backward()
        curves[name] = (to_numpy(y), to_numpy(x.grad))
    return curves


def _break_jumps(x, y):
    """Insert a gap at each discontinuity (the step, ReLU's derivative) instead of a
    vertical line."""
    jump = np.flatnonzero(np.abs(np.diff(y)) > 0.5) + 1
    return np.insert(x, jump, np.nan), np.insert(y, jump, np.nan)


def plot(x, curves, out):
    """The activation functions on the left, their autodiff derivatives on the right."""
    plt = pyplot()
    if plt is None:
        return
    fig, (ax_f, ax_d) = plt.subplots(1, 2, figsize=(11, 4))
    for name, (y, dy) in curves.items():
        ax_f.plot(*_break_jumps(x, y), STYLES[name], linewidth=2, label=name)
        ax_d.plot(*_break_jumps(x, dy), STYLES[name], linewidth=2, label=name)
    ax_f.set(title="activation functions", ylim=(-1.2, 1.2), xlabel="$z$")
    ax_d.set(title="derivatives (autodiff)", ylim=(-0.2, 1.2), xlabel="$z$")
    for ax in (ax_f, ax_d):
        ax.axhline(0, color="k", linewidth=0.5)
        ax.axvline(0, color="k", linewidth=0.5)
        ax.grid(True)
        ax.legend(loc="upper left")
    save_figure(fig, out, "activations.png")


def main(argv=None):
    """Parse ``argv``, differentiate and check the four functions; return the largest error."""
    parser = make_parser(__doc__, epochs=0, smoke_epochs=0, epochs_help="ignored (no training)")
    args = parser.parse_args(argv)
    start(args)
    # an even count keeps z = 0 (where the kinks are) off the grid
    x = np.linspace(-5, 5, 200 if args.smoke else 1000, dtype=np.float64)
    curves = values_and_derivatives(x, args.device)
    worst = 0.0
    for name, (_, dy) in curves.items():
        error = float(np.max(np.abs(dy - ACTIVATIONS[name][1](x))))
        worst = max(worst, error)
        print(f"{name:9s} max |autodiff - formula| = {error:.2e}")
    plot(x, curves, args.out)
    summary("activations", max_abs_error=worst, points=len(x))
    return worst


if __name__ == "__main__":
    main()
