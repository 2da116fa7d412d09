"""The learning-rate range test (Smith, 2017; popularised by fastai)."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field

from autograd_core import backend
from autograd_core.tensor import Tensor

from .sgd import SGD

__all__ = ["find_lr", "LRFinderResult"]


@dataclass
class LRFinderResult:
    """What :func:`find_lr` recorded.

    Attributes
    ----------
    lrs : list of float
        The learning rate of each iteration run.
    losses : list of float
        The loss at each iteration, smoothed by a bias-corrected exponential moving
        average.
    raw_losses : list of float
        The loss of each batch as computed.
    suggested_lr : float or None
        A tenth of the rate at which the smoothed loss was lowest, i.e. roughly ten
        times below the point where the loss turns up (``None`` if no iteration ran).
    """

    lrs: list = field(default_factory=list)
    losses: list = field(default_factory=list)
    raw_losses: list = field(default_factory=list)
    suggested_lr: float | None = None

    def __getitem__(self, key):
        """Dict-style access: ``result["suggested_lr"]``."""
        if key not in ("lrs", "losses", "raw_losses", "suggested_lr"):
            raise KeyError(key)
        return getattr(self, key)

    def plot(self, path=None, ax=None):
        """Plot the smoothed loss against the rate (log scale), marking the suggestion.

        Needs matplotlib (``pip install matplotlib``, or ``autograd-core[plot]``).

        Parameters
        ----------
        path : str or path-like, optional
            Save the figure there (and close it) instead of leaving it open; missing
            parent folders are created.
        ax : matplotlib Axes, optional
            Draw into these axes.

        Returns
        -------
        matplotlib Axes
        """
        try:
            import matplotlib.pyplot as plt  # noqa: PLC0415 - optional dependency
        except ImportError as exc:
            raise ImportError("LRFinderResult.plot needs matplotlib: pip install matplotlib "
                              "(or autograd-core[plot]); the numbers are in .lrs and "
                              ".losses") from exc
        fig = None
        if ax is None:
            fig, ax = plt.subplots()
        ax.plot(self.lrs, self.losses, label="smoothed loss")
        ax.plot(self.lrs, self.raw_losses, alpha=0.3, label="loss")
        if self.suggested_lr is not None:
            ax.axvline(self.suggested_lr, color="red", linestyle="--",
                       label=f"suggested lr = {self.suggested_lr:.2e}")
        ax.set_xscale("log")
        ax.set_xlabel("learning rate")
        ax.set_ylabel("loss")
        ax.legend()
        if path is not None:
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
            (fig or ax.figure).savefig(path)
            if fig is not None:
                plt.close(fig)
        return ax


def _batches(data, num_iter):
    """Yield ``num_iter`` batches, iterating ``data`` again each time it runs out."""
    produced = 0
    while produced < num_iter:
        empty = True
        for batch in data:
            empty = False
            yield batch
            produced += 1
            if produced == num_iter:
                return
        if empty:
            if produced == 0:
                raise ValueError("find_lr: data yielded no batches")
            return  # a one-shot iterator: stop when it is exhausted


def find_lr(model, loss_fn, data, start_lr=1e-5, end_lr=10.0, num_iter=100, *, forward=None,
            optimizer_factory=None, smoothing=0.98, diverge_threshold=4.0):
    """Run the learning-rate range test and suggest a learning rate.

    Trains for up to ``num_iter`` batches while the learning rate grows
    exponentially from ``start_lr`` to ``end_lr``, recording the loss before each
    update.  The test stops early once the smoothed loss exceeds
    ``diverge_threshold`` times its minimum (or is not finite).  The weights (and
    gradients) the parameters had on entry are restored afterwards, even if an
    error interrupts the run.

    Parameters
    ----------
    model : Module or iterable of Tensor
        An ``nn.Module`` (anything with ``.parameters()`` that is callable on a
        batch's inputs), or the parameters themselves together with ``forward=``.
    loss_fn : callable
        ``loss_fn(output, y)`` returning a scalar tensor.
    data : iterable of (x, y)
        Batches, e.g. a ``DataLoader``; iterated again when shorter than ``num_iter``.
    start_lr, end_lr : float
        The first and (if the test is not stopped early) last rate; ``0 < start_lr <
        end_lr``.
    num_iter : int
        Number of iterations (>= 2): a few hundred in practice.
    forward : callable, optional
        ``forward(x)`` giving the model's output; required when ``model`` is a list
        of parameters, defaults to ``model`` itself otherwise.
    optimizer_factory : callable, optional
        ``optimizer_factory(params, lr)`` returning an :class:`Optimizer`; default
        ``SGD(params, lr=lr)``.  The optimizer lives only inside the test.
    smoothing : float
        Weight of the moving average of the loss, in [0, 1) (default 0.98).
    diverge_threshold : float
        Stop once the smoothed loss exceeds this multiple of its minimum (> 1).

    Returns
    -------
    LRFinderResult
        ``lrs``, ``losses`` (smoothed), ``raw_losses``, ``suggested_lr`` and ``plot()``.

    Examples
    --------
    >>> result = find_lr(model, nn.cross_entropy, loader, num_iter=200)  # doctest: +SKIP
    >>> opt = SGD(model.parameters(), lr=result.suggested_lr)             # doctest: +SKIP
    """
    if not 0 < start_lr < end_lr:
        raise ValueError(f"find_lr: need 0 < start_lr < end_lr, got start_lr={start_lr}, "
                         f"end_lr={end_lr}")
    if not isinstance(num_iter, int) or num_iter < 2:
        raise ValueError(f"find_lr: num_iter must be an integer >= 2, got {num_iter!r}")
    if not 0 <= smoothing < 1:
        raise ValueError(f"find_lr: smoothing must be in [0, 1), got {smoothing}")
    if not diverge_threshold > 1:
        raise ValueError(f"find_lr: diverge_threshold must be > 1, got {diverge_threshold}")
    if callable(getattr(model, "parameters", None)):
        params = list(model.parameters())
        forward = model if forward is None else forward
    else:
        if forward is None:
            raise TypeError("find_lr: model has no .parameters(); pass the parameters and a "
                            "forward=callable, e.g. find_lr([W, b], loss_fn, data, "
                            "forward=lambda x: x @ W + b)")
        params = list(model)
    if not params or not all(isinstance(p, Tensor) for p in params):
        raise TypeError("find_lr: the model must have at least one parameter, all Tensors")
    params = [p for p in params if p.requires_grad]
    if not params:
        raise ValueError("find_lr: no parameter requires grad; nothing to train")

    saved = [(p.data.copy(), p.grad) for p in params]
    optimizer = (optimizer_factory or (lambda ps, lr: SGD(ps, lr=lr)))(params, start_lr)
    growth = (end_lr / start_lr) ** (1.0 / (num_iter - 1))
    result = LRFinderResult()
    average, best = 0.0, math.inf
    try:
        for i, (x, y) in enumerate(_batches(data, num_iter)):
            lr = start_lr * growth ** i
            for group in optimizer.param_groups:
                group["lr"] = lr
            optimizer.zero_grad()
            loss = loss_fn(forward(x), y)
            raw = float(loss.item() if isinstance(loss, Tensor) else loss)
            average = smoothing * average + (1 - smoothing) * raw
            smoothed = average / (1 - smoothing ** (i + 1))
            result.lrs.append(lr)
            result.raw_losses.append(raw)
            result.losses.append(smoothed)
            if not math.isfinite(smoothed) or smoothed > diverge_threshold * best:
                break
            best = min(best, smoothed)
            loss.backward()
            optimizer.step()
    finally:
        for p, (array, grad) in zip(params, saved):
            backend.array_module(p.data).copyto(p.data, array)
            p._bump_version()
            p.grad = grad
    if result.losses:
        finite = [(loss, lr) for loss, lr in zip(result.losses, result.lrs) if math.isfinite(loss)]
        if finite:
            result.suggested_lr = min(finite)[1] / 10
    return result
