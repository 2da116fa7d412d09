"""``BatchNorm1d``: batch normalisation over the batch (and length) axes."""

from __future__ import annotations

import autograd_core as ag

from ..module import Module
from ..parameter import Parameter

__all__ = ["BatchNorm1d"]


class BatchNorm1d(Module):
    """Batch normalisation (Ioffe & Szegedy 2015) of ``(N, C)`` or ``(N, C, L)`` inputs.

    Training mode: normalise each channel with the batch mean and (biased) variance,
    then scale by ``weight`` (γ) and shift by ``bias`` (β); update the running
    statistics ``running = (1 - momentum) * running + momentum * batch`` (the running
    variance uses the unbiased batch variance).  Eval mode: normalise with the
    running statistics, so the output of a sample does not depend on its batch.

    Parameters
    ----------
    num_features : int
        ``C``, the number of channels.
    eps : float
        Added to the variance for stability.
    momentum : float or None
        Weight of the new batch in the running averages; ``None`` uses a cumulative
        average over all batches seen.
    affine : bool
        Learn γ (initialised to 1) and β (initialised to 0).
    track_running_stats : bool
        Keep running statistics (buffers ``running_mean``, ``running_var``,
        ``num_batches_tracked``); without them batch statistics are used in eval too.

    Shapes
    ------
    ``(N, C)`` or ``(N, C, L)``; output shaped like the input.
    """

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float | None = 0.1,
                 affine: bool = True, track_running_stats: bool = True, *, dtype=None,
                 device=None):
        super().__init__()
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        self.weight: Parameter | None
        self.bias: Parameter | None
        if affine:
            self.weight = Parameter(ag.ones(num_features, dtype=dtype, device=device))
            self.bias = Parameter(ag.zeros(num_features, dtype=dtype, device=device))
        else:
            self.weight = self.bias = None
        if track_running_stats:
            self.register_buffer("running_mean", ag.zeros(num_features, dtype=dtype,
                                                          device=device))
            self.register_buffer("running_var", ag.ones(num_features, dtype=dtype,
                                                        device=device))
            self.register_buffer("num_batches_tracked", ag.tensor(0, dtype="int64",
                                                                  device=device))

    def _check(self, x):
        if x.ndim not in (2, 3) or x.shape[1] != self.num_features:
            raise ValueError(
                f"BatchNorm1d({self.num_features}): expected input of shape "
                f"(N, {self.num_features}) or (N, {self.num_features}, L), got {tuple(x.shape)}")

    def forward(self, x):
        if not isinstance(x, ag.Tensor):
            x = ag.tensor(x)
        self._check(x)
        axes = (0,) if x.ndim == 2 else (0, 2)
        shape = (1, self.num_features) + ((1,) if x.ndim == 3 else ())
        use_batch = self.training or not self.track_running_stats
        if use_batch:
            count = x.size // self.num_features
            if self.training and count <= 1:
                raise ValueError(f"BatchNorm1d: training needs more than 1 value per channel, "
                                 f"got input of shape {tuple(x.shape)}; use eval() for single "
                                 "samples")
            mean = x.mean(axis=axes, keepdims=True)
            var = x.var(axis=axes, keepdims=True)
            if self.training and self.track_running_stats:
                self._update_running(mean.data.reshape(-1), var.data.reshape(-1), count)
        else:
            mean = self.running_mean.reshape(shape)
            var = self.running_var.reshape(shape)
        out = (x - mean) / ag.sqrt(var + self.eps)
        if self.affine:
            out = out * self.weight.reshape(shape) + self.bias.reshape(shape)
        return out

    def _update_running(self, mean, var, count):
        self.num_batches_tracked.data[...] += 1
        self.num_batches_tracked._bump_version()
        m = self.momentum
        if m is None:
            m = 1.0 / float(self.num_batches_tracked.data)
        unbiased = var * (count / (count - 1))
        for buffer, batch in ((self.running_mean, mean), (self.running_var, unbiased)):
            buffer.data[...] = (1.0 - m) * buffer.data + m * batch
            buffer._bump_version()

    def extra_repr(self):
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
                f"affine={self.affine}, track_running_stats={self.track_running_stats}")
