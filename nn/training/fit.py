"""``fit``, ``evaluate`` and ``predict``: train and run a model in mini-batches with one call.

Performance: the loss and the metrics of each batch are added up as arrays
on the batch's device and read once per epoch, so a GPU run never waits for
the device per batch (the progress bar reads the running loss at most every
0.25 s).  Data given as Tensors stays on its device; NumPy data is sent to
the model's device one batch at a time.

Ctrl-C during ``fit`` asks training to stop at the end of the current batch
(the batch's optimizer step is completed, never half applied); a second
Ctrl-C outside the optimizer step stops at once, before the step.  Callbacks'
``on_train_end`` still run (so ``EarlyStopping(restore_best_weights=True)``
loads its best weights back), and ``fit`` returns the history of the
completed epochs with ``history.interrupted = True``.
"""

from __future__ import annotations

import copy
import functools
import math
import signal
import threading
import types
import warnings

import numpy

import autograd_core as ag
from autograd_core.datasets import DataLoader

from .. import functional as F
from ..regularization import with_penalty
from .callbacks import CallbackList
from .history import History
from .metrics import get_metric
from .progress import Progress

__all__ = ["fit", "evaluate", "predict", "get_loss", "get_optimizer"]

_LOSSES = {
    "cross_entropy": F.cross_entropy, "categorical_crossentropy": F.cross_entropy,
    "nll": F.nll_loss, "nll_loss": F.nll_loss,
    "mse": F.mse_loss, "mse_loss": F.mse_loss, "mean_squared_error": F.mse_loss,
    "l1": F.l1_loss, "l1_loss": F.l1_loss, "mean_absolute_error": F.l1_loss,
    "huber": F.huber_loss, "huber_loss": F.huber_loss,
    "bce": F.binary_cross_entropy, "binary_cross_entropy": F.binary_cross_entropy,
    "bce_with_logits": F.binary_cross_entropy_with_logits,
    "binary_cross_entropy_with_logits": F.binary_cross_entropy_with_logits,
}
_LOGIT_LOSSES = {"bce_with_logits", "binary_cross_entropy_with_logits"}
_OPTIMIZERS = ("sgd", "adam", "adamw", "rmsprop", "adagrad")
EVAL_BATCH_SIZE = 256


def get_loss(loss):
    """The loss function for a name or callable, and whether the model outputs logits.

    Parameters
    ----------
    loss : str or callable
        A name from ``nn.functional`` (``"cross_entropy"``, ``"mse"``, ``"l1"``,
        ``"huber"``, ``"bce"``, ``"bce_with_logits"``, ``"nll"``, and their long
        forms), or ``fn(output, target) -> scalar Tensor`` (e.g. an ``nn.MSELoss()``).

    Returns
    -------
    (callable, bool)
        The function, and True for ``bce_with_logits`` (binary accuracy then
        thresholds at 0).
    """
    if isinstance(loss, str):
        key = loss.lower()
        if key not in _LOSSES:
            raise ValueError(f"unknown loss {loss!r}: use one of {sorted(_LOSSES)} or a function "
                             "loss(output, target) -> Tensor")
        return _LOSSES[key], key in _LOGIT_LOSSES
    if callable(loss):
        return loss, False
    raise TypeError(f"loss must be a name or a callable, not {type(loss).__name__}")


def get_optimizer(optimizer, model, lr=None):
    """An ``optim`` optimizer over ``model.parameters()``, from a name or an instance.

    Parameters
    ----------
    optimizer : {"sgd", "adam", "adamw", "rmsprop", "adagrad"} or optim.Optimizer
    model : nn.Module
    lr : float, optional
        Learning rate for a named optimizer (default: the class's default).
        Give an instance its rate when you build it.
    """
    from autograd_core import optim  # noqa: PLC0415 - nn does not import optim at start-up

    if isinstance(optimizer, optim.Optimizer):
        if lr is not None:
            raise ValueError("fit: lr is for a named optimizer; an Optimizer instance already "
                             "has its rate (set it when you build it)")
        return optimizer
    if not isinstance(optimizer, str) or optimizer.lower() not in _OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {list(_OPTIMIZERS)} or an optim.Optimizer, "
                         f"got {optimizer!r}")
    cls = {"sgd": optim.SGD, "adam": optim.Adam, "adamw": optim.AdamW,
           "rmsprop": optim.RMSprop, "adagrad": optim.Adagrad}[optimizer.lower()]
    return cls(model.parameters(), **({} if lr is None else {"lr": lr}))


def _placement(model, device):
    """Move the model to ``device`` (if given); return its device and floating dtype."""
    if device is not None:
        model.to(device)
    for p in model.parameters():
        return p.device, p.dtype
    return ag.backend.parse_device(device), ag.get_default_dtype()


def _float_targets(y, dtype):
    """NumPy floating targets in the model's dtype (class indices keep theirs); no copy when
    they already have it."""
    if y is None or isinstance(y, ag.Tensor):
        return y
    y = numpy.asarray(y)
    return y.astype(dtype, copy=False) if y.dtype.kind == "f" else y


def _split(X, y, fraction):
    """The last ``fraction`` of the samples as validation data (Keras' rule), before shuffling."""
    if not 0.0 <= fraction < 1.0:
        raise ValueError(f"fit: validation_split must be in [0, 1), got {fraction}")
    n = X.shape[0]
    n_val = int(n * fraction)
    if fraction and not 0 < n_val < n:
        raise ValueError(f"fit: validation_split={fraction} of {n} samples leaves no "
                         "training or no validation samples")
    if not n_val:
        return X, y, None
    with ag.no_grad():
        return X[:n - n_val], y[:n - n_val], (X[n - n_val:], y[n - n_val:])


class _InterruptGuard:
    """Turn Ctrl-C into a request to stop at the end of the batch (main thread only)."""

    def __init__(self):
        self.requested = self.in_step = False
        self._previous = None

    def __enter__(self):
        if (threading.current_thread() is threading.main_thread()
                and signal.getsignal(signal.SIGINT) is signal.default_int_handler):
            self._previous = signal.signal(signal.SIGINT, self._handle)
        return self

    def _handle(self, signum, frame):
        if self.requested and not self.in_step:
            raise KeyboardInterrupt
        self.requested = True

    def __exit__(self, *exc):
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)
        return False


def _sum(total, value, n):
    """``total + value * n`` in float64 on ``value``'s device (no device read)."""
    return total + value.astype("float64") * n


def _train_epoch(model, loader, loss_fn, opt, metrics, cbs, progress, guard, where, step=None):
    """One pass over ``loader``: a step per batch; returns the epoch's loss and metrics."""
    model.train()
    for m in metrics:
        m.reset()
    loss_sum, seen = 0.0, 0
    where["losses"] = batch_losses = []  # device arrays, read only if the epoch's loss is not finite
    for batch, (Xb, yb) in enumerate(loader):
        size = Xb.shape[0]
        where["batch"] = batch
        cbs.on_batch_begin(batch, {"batch": batch, "size": size})
        if step is not None:  # compile=True: the same step, replayed by ag.compile
            guard.in_step = True
            output, loss = step(Xb, yb)
            guard.in_step = False
        else:
            output, loss = _forward_backward(model, loss_fn, opt, Xb, yb, guard)
        with ag.no_grad():
            loss_sum = _sum(loss_sum, loss.data, size)
            batch_losses.append(loss.data)
            for m in metrics:
                m.update(output.data, yb.data)
        seen += size
        progress.batch_end(size, lambda: float(loss_sum) / seen)
        cbs.on_batch_end(batch, {"batch": batch, "size": size, "loss": loss.detach()})
        if guard.requested:
            raise KeyboardInterrupt
        if model.stop_training:  # set by a batch callback (e.g. TerminateOnNaN): stop now
            break
    return {"loss": float(loss_sum) / max(seen, 1), **{m.name: m.result() for m in metrics}}


_NO_GUARD = types.SimpleNamespace(in_step=False)  # a compiled step is one uninterrupted call


def _forward_backward(model, loss_fn, opt, Xb, yb, guard):
    """One training step on a batch; returns ``(output, loss)``."""
    output = model(Xb)
    loss = loss_fn(output, yb)
    model.zero_grad()
    opt.zero_grad()
    loss.backward()
    guard.in_step = True
    opt.step()
    guard.in_step = False
    return output, loss


def fit(model, X, y, *, loss="cross_entropy", optimizer="adam", lr=None, epochs=1,
        distributed=False,
        batch_size=32, validation_data=None, validation_split=0.0, metrics=(), callbacks=(),
        shuffle=True, seed=None, device=None, verbose=1, file=None, stop_on_nonfinite=True,
        compile=False, threads=None):  # noqa: A002 - the name users know from Keras' and ag.compile
    """Train ``model`` on ``(X, y)`` in mini-batches; return the per-epoch :class:`History`.

    Parameters
    ----------
    model : nn.Module
    X : array_like or Tensor, shape (n_samples, ...)
        Cast to the model's floating dtype batch by batch.
    y : array_like or Tensor, shape (n_samples, ...)
        Class indices (int) or float targets (NumPy floats are cast to the model's dtype).
    loss : str or callable
        See :func:`get_loss` (default ``"cross_entropy"``).
    optimizer : str or optim.Optimizer
        See :func:`get_optimizer` (default ``"adam"``).
    lr : float, optional
        Learning rate of a named optimizer.
    epochs : int
    distributed : bool
        Data-parallel training, one process per rank under ``mpiexec`` (a world
        of one without it); ``batch_size`` is then per rank.  See
        :mod:`~autograd_core.nn.training.distributed_fit`.
    batch_size : int
    validation_data : (X_val, y_val), optional
    validation_split : float
        Use the last fraction of ``(X, y)`` for validation (taken before shuffling,
        as Keras does); ignored when ``validation_data`` is given.
    metrics : sequence of str, Metric or callable
        ``"accuracy"``, ``"rmse"``, ``"mae"``, ``"r2"`` (see ``nn.training.metrics``).
    callbacks : sequence of Callback
        e.g. ``EarlyStopping``, ``ModelCheckpoint``, ``LearningRateScheduler``, ``CSVLogger``.
    shuffle : bool
        New sample order every epoch.
    seed : int or numpy.random.Generator, optional
        Seeds the shuffling (default: the global generator ``ag.manual_seed`` fixes).
    device : str, optional
        Move the model there (in place) first; batches go to the model's device.
    verbose : {0, 1, 2}
        1: a progress bar per epoch on a terminal (needs tqdm), else one line per
        epoch; 2: one line per epoch; 0: silent.
    file : text stream, optional
        Where progress goes (default ``sys.stderr``).
    stop_on_nonfinite : bool
        Stop after an epoch whose training loss is NaN or infinite, with a
        ``RuntimeWarning`` naming the epoch and the first such batch (default True).
        An ``EarlyStopping(restore_best_weights=True)`` that saved finite weights
        loads them back at the end, and the warning says so.
    compile : bool
        Run each training step through :func:`autograd_core.compile` (traced, then
        replayed; bit-identical to the eager step on CPU).  A step that cannot be
        captured runs eagerly with a ``CaptureWarning`` (``fallback=True``).
    threads : int, optional
        BLAS threads for the run (``ag.threads(threads)``, needs threadpoolctl); the
        previous count is restored afterwards.  Default: leave it as it is.

    Returns
    -------
    History
        ``history.history`` holds ``loss``, each metric, ``val_loss`` and
        ``val_<metric>`` with validation data, and ``lr`` (group 0's rate during
        the epoch), one value per completed epoch.

    Examples
    --------
    >>> history = nn.fit(nn.MLP(784, [128], 10), X, y, epochs=5, validation_split=0.1,
    ...                  metrics=["accuracy"], callbacks=[nn.EarlyStopping(patience=2)])
    """
    if distributed:  # the same loop, per rank: distributed_fit.py
        arguments = {k: v for k, v in locals().items() if k != "distributed"}
        from .distributed_fit import fit_distributed  # noqa: PLC0415 - it imports this module

        return fit_distributed(**arguments)
    with ag.threads(threads):
        return _fit(model, X, y, loss, optimizer, lr, epochs, batch_size, validation_data,
                    validation_split, metrics, callbacks, shuffle, seed, device, verbose, file,
                    stop_on_nonfinite, compile)


def _fit(model, X, y, loss, optimizer, lr, epochs, batch_size, validation_data,
         validation_split, metrics, callbacks, shuffle, seed, device, verbose, file,
         stop_on_nonfinite, compile):  # noqa: A002
    loss_fn, logits = get_loss(loss)
    train_loss_fn = with_penalty(loss_fn, model)  # + the layers' weight_regularizer terms
    device, dtype = _placement(model, device)
    opt = get_optimizer(optimizer, model, lr)
    epochs, X, y, validation_data = _checked_data(epochs, X, y, dtype, validation_data,
                                                  validation_split)
    loader = DataLoader(X, y, batch_size=batch_size, shuffle=shuffle, seed=seed, device=device,
                        dtype=dtype)
    train_metrics = [get_metric(m, logits=logits) for m in metrics]
    val_metrics = [copy.deepcopy(m) for m in train_metrics]
    params = {"epochs": epochs, "batch_size": int(batch_size), "steps": len(loader),
              "samples": loader.n_samples, "verbose": verbose,
              "metrics": ["loss", *(m.name for m in train_metrics)]}
    history = History(params)
    cbs = CallbackList(callbacks)
    cbs.set_context(model, opt, params)
    progress = Progress(verbose, epochs, loader.n_samples, file)
    was_training = model.training
    step = None
    if compile:
        step = ag.compile(functools.partial(_forward_backward, model, train_loss_fn, opt,
                                            guard=_NO_GUARD), fallback=True)
    model.stop_training = False
    where = {"epoch": 0, "batch": 0}
    with _InterruptGuard() as guard:
        cbs.on_train_begin({})
        try:
            for epoch in range(epochs):
                where["epoch"] = epoch
                cbs.on_epoch_begin(epoch, {})
                rate = opt.param_groups[0]["lr"]
                progress.epoch_begin(epoch)
                logs = _train_epoch(model, loader, train_loss_fn, opt, train_metrics, cbs,
                                    progress, guard, where, step)
                if validation_data is not None:
                    val = evaluate(model, *validation_data, loss=loss_fn, metrics=val_metrics,
                                   batch_size=max(batch_size, EVAL_BATCH_SIZE))
                    logs.update({"val_" + k: v for k, v in val.items()})
                logs["lr"] = rate
                if _end_epoch(epoch, logs, model, cbs, progress, history, where,
                              stop_on_nonfinite):
                    break
        except KeyboardInterrupt:
            guard.in_step = False
            history.interrupted = True
            progress.close()
            progress.note(f"interrupted in epoch {where['epoch'] + 1}, batch "
                          f"{where['batch'] + 1}: returning the history of the "
                          f"{len(history)} completed epoch(s)")
        finally:
            progress.close()
        cbs.on_train_end({"interrupted": history.interrupted})
    model.train(was_training)
    if history.nonfinite is not None:
        _warn_nonfinite(history, callbacks)
    return history


def _checked_data(epochs, X, y, dtype, validation_data, validation_split):
    """``fit``'s epoch count checked, targets cast, the validation pair split off or checked."""
    if isinstance(epochs, bool) or int(epochs) != epochs or epochs < 0:
        raise ValueError(f"fit: epochs must be a non-negative int, got {epochs!r}")
    y = _float_targets(y, dtype)
    if validation_data is None:
        X, y, validation_data = _split(X, y, validation_split)
    elif len(validation_data) != 2:
        raise ValueError("fit: validation_data must be a pair (X_val, y_val)")
    else:  # cast once here, not in every epoch's evaluate
        validation_data = (validation_data[0], _float_targets(validation_data[1], dtype))
    return int(epochs), X, y, validation_data


def _end_epoch(epoch, logs, model, cbs, progress, history, where, stop_on_nonfinite):
    """Report a finished epoch (progress, callbacks, history); True when training stops."""
    progress.epoch_end(epoch, logs)
    cbs.on_epoch_end(epoch, logs)
    history.append(epoch, logs)
    if stop_on_nonfinite and not math.isfinite(logs["loss"]):
        history.nonfinite = {"epoch": epoch, "batch": _first_nonfinite(where["losses"])}
        model.stop_training = True
    if model.stop_training:
        history.stopped_epoch = epoch
        return True
    return False


def _first_nonfinite(batch_losses):
    for batch, value in enumerate(batch_losses):
        if not math.isfinite(float(value)):
            return batch
    return len(batch_losses) - 1  # (only the sum overflowed)


def _warn_nonfinite(history, callbacks):
    from .callbacks import EarlyStopping  # noqa: PLC0415

    epoch, batch = history.nonfinite["epoch"], history.nonfinite["batch"]
    restored = [cb for cb in callbacks if isinstance(cb, EarlyStopping)
                and cb.restore_best_weights and cb.best_weights is not None]
    if restored:
        outcome = (f"EarlyStopping restored the weights of epoch {restored[0].best_epoch + 1}, "
                   "its best")
    else:
        outcome = ("the model's weights are probably not finite any more (use "
                   "EarlyStopping(restore_best_weights=True) to get the best finite ones back)")
    warnings.warn(
        f"fit: the training loss became {history['loss'][-1]} in epoch {epoch + 1}, batch "
        f"{batch + 1} (counting from 1), so training stopped after that epoch; {outcome}. "
        "Check the data for NaN/inf, or lower the learning rate; pass stop_on_nonfinite=False "
        "to train on regardless.", RuntimeWarning, stacklevel=3)


def evaluate(model, X, y, *, loss="cross_entropy", metrics=(), batch_size=EVAL_BATCH_SIZE,
             device=None, distributed=False):
    """Loss and metrics of ``model`` on ``(X, y)``, in batches, in eval mode, without a graph.

    Parameters
    ----------
    model : nn.Module
    X, y : array_like or Tensor
    loss : str, callable or None
        As for :func:`fit`; None to compute only the metrics.
    metrics : sequence of str, Metric or callable
    batch_size : int
    device : str, optional
        Move the model there (in place) first.
    distributed : bool
        Every rank evaluates its shard and the sums are added over the ranks: the
        same full-set figures on every rank, in ``1 / world_size`` of the time.

    Returns
    -------
    dict
        ``{"loss": float, "<metric>": float, ...}``: exact sample-weighted means
        over ``X`` (identical to one full-batch pass up to rounding).
    """
    if distributed:
        from .distributed_fit import evaluate_distributed  # noqa: PLC0415

        return evaluate_distributed(model, X, y, loss=loss, metrics=metrics,
                                    batch_size=batch_size, device=device)
    loss_fn, logits = (None, False) if loss is None else get_loss(loss)
    device, dtype = _placement(model, device)
    ms = [get_metric(m, logits=logits) for m in metrics]
    for m in ms:
        m.reset()
    loader = DataLoader(X, _float_targets(y, dtype), batch_size=batch_size, shuffle=False,
                        device=device, dtype=dtype)
    was_training = model.training
    model.eval()
    loss_sum, seen = 0.0, 0
    try:
        with ag.no_grad():
            for Xb, yb in loader:
                output = model(Xb)
                if loss_fn is not None:
                    loss_sum = _sum(loss_sum, loss_fn(output, yb).data, Xb.shape[0])
                for m in ms:
                    m.update(output.data, yb.data)
                seen += Xb.shape[0]
    finally:
        model.train(was_training)
    results = {} if loss_fn is None else {"loss": float(loss_sum) / max(seen, 1)}
    results.update({m.name: m.result() for m in ms})
    return results


def predict(model, X, *, batch_size=EVAL_BATCH_SIZE, device=None):
    """The model's outputs for ``X``, computed in batches, in eval mode, without a graph.

    Parameters
    ----------
    model : nn.Module
    X : array_like or Tensor, shape (n_samples, ...)
    batch_size : int
    device : str, optional
        Move the model there (in place) first.

    Returns
    -------
    Tensor, shape (n_samples, ...)
        On the model's device (``.numpy()`` gives a NumPy array).
    """
    device, dtype = _placement(model, device)
    was_training = model.training
    model.eval()
    try:
        with ag.no_grad():
            outputs = [model(Xb) for Xb in DataLoader(X, batch_size=batch_size, shuffle=False,
                                                      device=device, dtype=dtype)]
    finally:
        model.train(was_training)
    if not outputs:
        raise ValueError("predict: X has no samples")
    return outputs[0] if len(outputs) == 1 else ag.concatenate(outputs, axis=0)
