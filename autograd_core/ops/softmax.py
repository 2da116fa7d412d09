"""``softmax`` and ``log_softmax`` along an axis, stable for logits of any magnitude."""

from __future__ import annotations

from .. import backend
from ..axes import normalize_reduction_axes
from ..backend import array_module
from ..function import Function
from ..tensor import Tensor
from .elementwise import exp

__all__ = ["softmax", "log_softmax", "softmax_cross_entropy"]

_REDUCTIONS = ("mean", "sum", "none")


class Softmax(Function):
    __slots__ = ("axis",)
    save_output = True

    def __init__(self, axis):
        self.axis = axis

    def forward(self, x):
        xp = array_module(x)
        shifted = x - x.max(axis=self.axis, keepdims=True) if x.size else x
        e = xp.exp(shifted)
        return e / e.sum(axis=self.axis, keepdims=True)

    def backward(self, grad, out):
        weighted = (grad * out).sum(axis=self.axis, keepdims=True)
        return (out * (grad - weighted),)


class _SavedSoftmax(Softmax):
    """A softmax node whose value is already known (softmax cross-entropy's forward kept
    it): the recorded backward differentiates through it without computing it again."""

    __slots__ = ("value",)

    def __init__(self, axis, value):
        super().__init__(axis)
        self.value = value

    def forward(self, x):
        return self.value


class LogSoftmax(Function):
    __slots__ = ("axis",)
    save_output = True

    def __init__(self, axis):
        self.axis = axis

    def forward(self, x):
        xp = array_module(x)
        shifted = x - x.max(axis=self.axis, keepdims=True) if x.size else x
        return shifted - xp.log(xp.exp(shifted).sum(axis=self.axis, keepdims=True))

    def backward(self, grad, out):
        return (grad - exp(out) * grad.sum(axis=self.axis, keepdims=True),)


def softmax(x, axis=-1):
    """``exp(x) / sum(exp(x), axis)``, shifted by the max so logits of ±1e4 stay finite.

    ``axis``: an int, a tuple of ints (normalise over all of them jointly) or ``None``
    (over every element).

    Shapes: output has the shape of ``x``; each slice along ``axis`` sums to 1.
    """
    return Softmax(normalize_reduction_axes(axis, x.ndim, "softmax"))(x)


def log_softmax(x, axis=-1):
    """``x - logsumexp(x, axis)``: log-probabilities, exact in the tails (no log of 0)."""
    return LogSoftmax(normalize_reduction_axes(axis, x.ndim, "log_softmax"))(x)


class SoftmaxCrossEntropy(Function):
    """Cross-entropy of logits ``(N, C)`` against class indices ``(N,)``, as one node.

    Forward keeps the softmax it computes on the way; the unrecorded backward is
    then ``(softmax - onehot) * g`` on that saved array (no log-softmax node, no
    gather node).  A recorded backward (``create_graph=True``) builds the same
    expression from differentiable ops, the softmax node reusing the saved values,
    so second derivatives are exact.
    """

    __slots__ = ("target", "keep", "count", "reduction", "probs")
    save_inputs = True
    saved_attributes = ("probs",)
    fresh_gradients = True
    name = "softmax_cross_entropy"

    def __init__(self, target, keep, reduction):
        self.target, self.keep, self.reduction = target, keep, reduction

    def forward(self, x):
        xp = array_module(x)
        t, keep = self.target, self.keep
        shifted = x - x.max(axis=1, keepdims=True)
        e = xp.exp(shifted)
        total = e.sum(axis=1, keepdims=True)
        losses = xp.log(total[:, 0])
        losses -= shifted[xp.arange(x.shape[0]), t]
        e /= total
        self.probs = e
        if keep is not None:
            losses *= keep
        if self.reduction == "none":
            return losses
        if self.reduction == "sum":
            return losses.sum()
        self.count = x.shape[0] if keep is None else keep.sum()
        return losses.sum() / self.count

    def _row_scale(self, grad):
        """The gradient's factor per row, ``(N, 1)`` (or a scalar for sum and mean)."""
        if self.reduction == "none":
            scale = grad.reshape(-1, 1)
        elif self.reduction == "sum":
            scale = grad
        else:
            scale = grad / self.count
        if self.keep is not None:
            scale = scale * self.keep.reshape(-1, 1)
        return scale

    def backward(self, grad, out):
        x = self.inputs[0]
        rows = array_module(self.target).arange(self.target.shape[0])
        scale = self._row_scale(grad)
        if not isinstance(grad, Tensor):  # unrecorded: reuse the saved softmax
            g = self.probs * scale
            g[rows, self.target] -= scale.reshape(-1)  # (N, 1) per row, or one scalar
            return (g,)
        onehot = array_module(self.probs).zeros(x.shape, dtype=x.dtype)
        onehot[rows, self.target] = 1
        return ((_SavedSoftmax(1, self.probs)(x) - onehot) * scale,)


def class_indices(t, n_classes: int, ignore_index=None, dtype="float32",
                  name: str = "softmax_cross_entropy"):
    """Check integer class indices and split off the ignored ones.

    Parameters
    ----------
    t : integer array ``(N,)``
        Class indices in ``[0, n_classes)``, or ``ignore_index``.
    n_classes : int
    ignore_index : int, optional
    dtype : the dtype of the returned mask
    name : the op named in the error

    Returns
    -------
    (safe, keep) : ``t`` with ignored entries set to 0, and ``None`` when no entry
        is ignored, else a ``dtype`` array ``(N,)`` of 1 (counted) and 0 (ignored).

    Raises
    ------
    IndexError
        An index outside ``[0, n_classes)`` that is not ``ignore_index`` (never
        NumPy's wrap-around of negative indices).
    """
    if not t.size:
        return t, None
    xp = array_module(t)
    if backend.device_of(t) == "cpu":
        # truth values rather than int(): ag.compile re-checks them on every replay
        lo, hi = t.min(), t.max()
    else:  # one device-to-host copy for both
        lo, hi = (int(v) for v in xp.stack([t.min(), t.max()]).tolist())
    if bool(lo >= 0) and bool(hi < n_classes) and not (
            ignore_index is not None and bool(lo <= ignore_index) and bool(ignore_index <= hi)):
        return t, None  # the common case: two reductions, no mask
    ignored = t == ignore_index if ignore_index is not None else xp.zeros(t.shape, bool)
    bad = ~ignored & ((t < 0) | (t >= n_classes))
    if bool(bad.any()):
        value = int(t[xp.argmax(bad)])
        also = "" if ignore_index is None else f", or ignore_index={ignore_index}"
        raise IndexError(f"{name}: target class {value} is out of range for {n_classes} "
                         f"classes (valid: 0..{n_classes - 1}{also})")
    return xp.where(ignored, 0, t), (~ignored).astype(dtype)


def softmax_cross_entropy(logits, target, reduction="mean", ignore_index=None):
    """Cross-entropy of ``logits`` against class indices: ``logsumexp(z_i) - z_i[t_i]``.

    The fused form of ``-log_softmax(logits, axis=1)[rows, target]`` followed by the
    reduction; stable for logits of any magnitude.

    Parameters
    ----------
    logits : Tensor ``(N, C)``
    target : integer array or Tensor ``(N,)``
        Class indices in ``[0, C)``; entries equal to ``ignore_index`` add nothing to
        the loss and are not counted by the mean.
    reduction : {"mean", "sum", "none"}

    Returns
    -------
    Scalar Tensor, or ``(N,)`` per-row losses for ``reduction="none"``.

    Raises
    ------
    IndexError
        A target outside ``[0, C)`` that is not ``ignore_index``.
    """
    name = "softmax_cross_entropy"
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{name}: reduction must be one of {_REDUCTIONS}, got {reduction!r}")
    t = target.data if isinstance(target, Tensor) else target
    device = logits.device if isinstance(logits, Tensor) else "cpu"
    if backend.is_array(t):
        t = backend.to_device(t, device)  # targets follow the logits
    else:  # a list or a scalar
        t = backend.asarray(t, None, device)
    if t.dtype.kind not in "iu":
        raise TypeError(f"{name}: targets must be integer class indices, not {t.dtype}")
    shape = tuple(getattr(logits, "shape", ()))
    if len(shape) != 2 or t.shape != shape[:1]:
        raise ValueError(f"{name}: needs logits (N, C) and targets (N,), got logits {shape} "
                         f"and targets {t.shape}")
    safe, keep = class_indices(t, shape[1], ignore_index, getattr(logits, "dtype", "float32"),
                               name)
    return SoftmaxCrossEntropy(safe, keep, reduction)(logits)
