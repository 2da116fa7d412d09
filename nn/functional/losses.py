"""Loss functions.  Each takes ``reduction="mean" | "sum" | "none"``.

Targets never require grad here except where noted; they may be Tensors,
NumPy/CuPy arrays or lists.  Shapes are checked strictly: a prediction of
shape ``(N, 1)`` against a target of shape ``(N,)`` is an error, not a silent
``(N, N)`` broadcast.
"""

from __future__ import annotations

import numpy

import autograd_core as ag
from autograd_core import backend
from autograd_core.ops.softmax import SoftmaxCrossEntropy, class_indices

from ._ops import softplus_unit

__all__ = ["mse_loss", "l1_loss", "huber_loss", "binary_cross_entropy",
           "binary_cross_entropy_with_logits", "cross_entropy", "nll_loss"]

_REDUCTIONS = ("mean", "sum", "none")


def _reduce(loss, reduction, name):
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    if reduction == "none":
        return loss
    raise ValueError(f"{name}: reduction must be one of {_REDUCTIONS}, not {reduction!r}")


def _check_reduction(reduction, name):
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{name}: reduction must be one of {_REDUCTIONS}, not {reduction!r}")


def _as_input(x, name):
    if isinstance(x, ag.Tensor):
        return x
    x = ag.tensor(x)
    if x.dtype.kind != "f":
        raise TypeError(f"{name}: the input must be floating point, not {x.dtype}")
    return x


def _as_target(target, like, name, float_target=True):
    """The target as a Tensor on ``like``'s device; floats cast to ``like``'s dtype."""
    if not isinstance(target, ag.Tensor):
        data = numpy.asarray(target) if not backend.is_array(target) else target
        dtype = like.dtype if (float_target or data.dtype.kind == "f") else None
        target = ag.tensor(data, dtype=dtype, device=like.device)
    elif target.device != like.device:
        raise backend.DeviceError(f"{name}: the input is on {like.device} but the target is on "
                                  f"{target.device}; move them to one device")
    return target


def _same_shape(input, target, name):
    if tuple(input.shape) != tuple(target.shape):
        raise ValueError(f"{name}: input shape {tuple(input.shape)} and target shape "
                         f"{tuple(target.shape)} differ; they must be equal (reshape the target, "
                         "e.g. y.reshape(-1, 1), rather than rely on broadcasting)")


def _prepare(input, target, name):
    input = _as_input(input, name)
    target = _as_target(target, input, name)
    _same_shape(input, target, name)
    return input, target


def mse_loss(input, target, reduction="mean"):
    """Mean squared error ``(input - target)²``.

    Shapes: ``input`` and ``target`` equal, any shape; the result is a scalar, or the
    elementwise loss of that shape with ``reduction="none"``.
    """
    input, target = _prepare(input, target, "mse_loss")
    return _reduce(ag.square(input - target), reduction, "mse_loss")


def l1_loss(input, target, reduction="mean"):
    """Mean absolute error ``|input - target|`` (MAE).  Shapes as :func:`mse_loss`.
    The derivative at ``input == target`` is taken as 0."""
    input, target = _prepare(input, target, "l1_loss")
    return _reduce(ag.abs(input - target), reduction, "l1_loss")


def huber_loss(input, target, delta=1.0, reduction="mean"):
    """Huber loss: ``0.5 d²`` where ``|d| <= delta``, else ``delta (|d| - 0.5 delta)``,
    with ``d = input - target``.  Quadratic near 0, linear (robust to outliers) beyond
    ``delta``; its derivative is continuous.  Shapes as :func:`mse_loss`."""
    if delta <= 0:
        raise ValueError(f"huber_loss: delta must be positive, got {delta}")
    input, target = _prepare(input, target, "huber_loss")
    d = input - target
    a = ag.abs(d)
    loss = ag.where(a <= delta, ag.square(d) * 0.5, (a - 0.5 * delta) * delta)
    return _reduce(loss, reduction, "huber_loss")


def _weighted(loss, weight, name):
    if weight is None:
        return loss
    weight = _as_target(weight, loss, name)
    return loss * weight


def binary_cross_entropy(input, target, weight=None, reduction="mean", eps=None):
    """Binary cross-entropy on probabilities: ``-(y log p + (1 - y) log(1 - p))``.

    ``p`` is clamped to ``[eps, 1 - eps]`` (``eps`` defaults to the dtype's machine
    epsilon), so ``p = 0`` or ``1`` gives a large finite loss rather than ``inf``;
    where the clamp is active the gradient is zero.  Prefer
    :func:`binary_cross_entropy_with_logits` on raw scores: it is exact everywhere.

    Parameters
    ----------
    input : Tensor, any shape, values in [0, 1]
    target : same shape, values in [0, 1]
    weight : broadcastable to the shape, optional
        Per-element rescaling.
    """
    input, target = _prepare(input, target, "binary_cross_entropy")
    _check_reduction(reduction, "binary_cross_entropy")
    data = input.data
    if data.size and bool(((data < 0) | (data > 1) | (data != data)).any()):
        raise ValueError("binary_cross_entropy: the input must be probabilities in [0, 1]; got "
                         f"values in [{float(data.min())}, {float(data.max())}]. Pass raw scores "
                         "to binary_cross_entropy_with_logits instead")
    if eps is None:
        eps = float(numpy.finfo(input.dtype).eps)
    p = ag.clip(input, eps, 1.0 - eps)
    loss = -(target * ag.log(p) + (1.0 - target) * ag.log(1.0 - p))
    return _reduce(_weighted(loss, weight, "binary_cross_entropy"), reduction,
                   "binary_cross_entropy")


def binary_cross_entropy_with_logits(input, target, weight=None, pos_weight=None,
                                     reduction="mean"):
    """Binary cross-entropy on logits ``z``: ``-(y log σ(z) + (1 - y) log(1 - σ(z)))``.

    Computed as ``(1 - y) z + (1 + (pos_weight - 1) y) softplus(-z)`` with a stable
    softplus, so logits of ±1e4 give the exact finite loss and gradient
    ``σ(z) - y`` (for ``pos_weight=None``).

    Parameters
    ----------
    input : Tensor, any shape (logits)
    target : same shape, values in [0, 1] (hard or soft labels)
    weight : broadcastable to the shape, optional
        Per-element rescaling.
    pos_weight : broadcastable to the shape (e.g. ``(C,)``), optional
        Weight of the positive class, to counter class imbalance.
    """
    input, target = _prepare(input, target, "binary_cross_entropy_with_logits")
    _check_reduction(reduction, "binary_cross_entropy_with_logits")
    coefficient = 1.0
    if pos_weight is not None:
        pos_weight = _as_target(pos_weight, input, "binary_cross_entropy_with_logits")
        coefficient = (pos_weight - 1.0) * target + 1.0
    loss = (1.0 - target) * input + softplus_unit(-input) * coefficient
    return _reduce(_weighted(loss, weight, "binary_cross_entropy_with_logits"), reduction,
                   "binary_cross_entropy_with_logits")


def _class_last(x):
    """``(N, C, d1, ...)`` -> ``(N * d1 * ..., C)``; ``(C,)`` -> ``(1, C)``; ``(N, C)`` as is."""
    if x.ndim == 1:
        return x.reshape(1, -1)
    if x.ndim == 2:
        return x
    axes = (0, *range(2, x.ndim), 1)
    return x.transpose(axes).reshape(-1, x.shape[1])


def _check_class_target(target, input, name):
    expected = (tuple(input.shape[:1]) + tuple(input.shape[2:])) if input.ndim >= 2 else ()
    if target.dtype.kind not in "iu":
        raise TypeError(f"{name}: class-index targets must be integers, not {target.dtype}; "
                        "for class probabilities pass a float target shaped like the input")
    if tuple(target.shape) != expected:
        raise ValueError(f"{name}: input of shape {tuple(input.shape)} (classes on axis "
                         f"{1 if input.ndim >= 2 else 0}) needs class-index targets of shape "
                         f"{expected}, got {tuple(target.shape)}")


def nll_loss(input, target, weight=None, ignore_index=-100, reduction="mean",
             label_smoothing=0.0):
    """Negative log-likelihood of class indices, given log-probabilities.

    Parameters
    ----------
    input : Tensor ``(N, C)``, ``(N, C, d1, ...)`` or ``(C,)``
        Log-probabilities (e.g. from ``log_softmax(x, axis=1)``).
    target : int array ``(N,)``, ``(N, d1, ...)`` or ``()``
        Class indices in ``[0, C)``; entries equal to ``ignore_index`` contribute
        nothing (and are not counted by the mean).  Any other index out of range
        raises ``IndexError``.
    weight : ``(C,)``, optional
        Per-class weights; the mean divides by the summed weights of the targets.
    label_smoothing : float in [0, 1]
        Mixes the one-hot target with the uniform distribution.

    Returns
    -------
    Scalar Tensor, or the per-sample losses (target's shape) for ``reduction="none"``.
    """
    name = "nll_loss"
    input = _as_input(input, name)
    _check_reduction(reduction, name)
    if input.ndim == 0:
        raise ValueError(f"{name}: the input needs a class axis, got a 0-d tensor")
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"{name}: label_smoothing must be in [0, 1], got {label_smoothing}")
    target = _as_target(target, input, name, float_target=False)
    _check_class_target(target, input, name)
    n_classes = input.shape[1] if input.ndim >= 2 else input.shape[0]
    xp = input.xp
    t = target.data.reshape(-1).astype("int64", copy=False)
    safe, keep = class_indices(t, n_classes, ignore_index, input.dtype, name)
    if keep is None:
        keep = xp.ones(t.shape, dtype=input.dtype)
    logp = _class_last(input)
    rows = xp.arange(t.shape[0])
    picked = -logp[rows, safe]
    if weight is not None:
        weight = _as_target(weight, input, name)
        if tuple(weight.shape) != (n_classes,):
            raise ValueError(f"{name}: weight must have shape ({n_classes},), got "
                             f"{tuple(weight.shape)}")
        w_target = weight.data[safe] * keep
        smooth_terms = -(logp * weight).sum(axis=1)
    else:
        w_target = keep
        smooth_terms = -logp.sum(axis=1)
    w_target_t = ag.Tensor._new(w_target)
    loss = picked * w_target_t
    if label_smoothing:
        keep_t = ag.Tensor._new(keep)
        loss = loss * (1.0 - label_smoothing) + smooth_terms * keep_t * (
            label_smoothing / n_classes)
    if reduction == "none":
        return loss.reshape(target.shape)
    if reduction == "sum":
        return loss.sum()
    return loss.sum() / ag.Tensor._new(xp.asarray(w_target.sum()))  # on the device: no sync


def cross_entropy(input, target, weight=None, ignore_index=-100, reduction="mean",
                  label_smoothing=0.0):
    """Cross-entropy between logits and class indices or class probabilities.

    Equal to ``nll_loss(log_softmax(input, axis=1), target)`` for integer targets,
    and to ``-sum(p * log_softmax(input, axis=1), axis=1)`` for probability targets.
    Stable for logits of any magnitude (±1e4 included).

    Parameters
    ----------
    input : Tensor ``(N, C)``, ``(N, C, d1, ...)`` or ``(C,)``
        Unnormalised scores (logits); classes on axis 1 (axis 0 for 1-D).
    target : int array ``(N,)`` / ``(N, d1, ...)`` / ``()``, or float array shaped like ``input``
        Class indices in ``[0, C)`` (out-of-range indices raise ``IndexError``), or
        class probabilities (each row summing to 1).
    weight : ``(C,)``, optional
        Per-class weights.
    ignore_index : int
        Class-index targets equal to it contribute nothing (integer targets only).
    reduction : {"mean", "sum", "none"}
        ``"mean"`` divides by the summed target weights (integer targets) or by the
        number of samples (probability targets).
    label_smoothing : float in [0, 1]
        The target becomes ``(1 - s) * target + s / C``.

    Returns
    -------
    Scalar Tensor, or per-sample losses with ``reduction="none"``.
    """
    name = "cross_entropy"
    input = _as_input(input, name)
    _check_reduction(reduction, name)
    if input.ndim == 0:
        raise ValueError(f"{name}: the input needs a class axis, got a 0-d tensor")
    class_axis = 1 if input.ndim >= 2 else 0
    is_float = (target.dtype.kind == "f" if isinstance(target, ag.Tensor) or
                backend.is_array(target) else numpy.asarray(target).dtype.kind == "f")
    if not is_float and input.ndim == 2 and input.size and weight is None \
            and not label_smoothing:
        # the common case, as one fused node (same values and gradients)
        target = _as_target(target, input, name, float_target=False)
        _check_class_target(target, input, name)
        safe, keep = class_indices(target.data, input.shape[1], ignore_index, input.dtype, name)
        return SoftmaxCrossEntropy(safe, keep, reduction)(input)
    logp = ag.log_softmax(input, axis=class_axis)
    if not is_float:
        return nll_loss(logp, target, weight, ignore_index, reduction, label_smoothing)
    target = _as_target(target, input, name)
    if tuple(target.shape) != tuple(input.shape):
        raise ValueError(f"{name}: probability targets must have the input's shape "
                         f"{tuple(input.shape)}, got {tuple(target.shape)} (integer targets "
                         "are class indices)")
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"{name}: label_smoothing must be in [0, 1], got {label_smoothing}")
    n_classes = input.shape[class_axis]
    if label_smoothing:
        target = target * (1.0 - label_smoothing) + label_smoothing / n_classes
    terms = logp * target
    if weight is not None:
        weight = _as_target(weight, input, name)
        if tuple(weight.shape) != (n_classes,):
            raise ValueError(f"{name}: weight must have shape ({n_classes},), got "
                             f"{tuple(weight.shape)}")
        if input.ndim > 2:
            weight = weight.reshape((n_classes,) + (1,) * (input.ndim - 2))
        terms = terms * weight
    loss = -terms.sum(axis=class_axis)
    return _reduce(loss, reduction, name)
