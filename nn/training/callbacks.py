"""Callbacks for :func:`nn.fit`: early stopping, checkpoints, learning-rate schedules, CSV logs.

A callback sees the run through hooks called by ``fit`` in this order::

    on_train_begin(logs)
      on_epoch_begin(epoch, logs)
        on_batch_begin(batch, logs) / on_batch_end(batch, logs)   # each batch
      on_epoch_end(epoch, logs)       # logs: loss, metrics, val_*, lr for the epoch
    on_train_end(logs)                # also after Ctrl-C or early stopping

``fit`` sets ``callback.model``, ``callback.optimizer`` and ``callback.params``
before ``on_train_begin``.  Setting ``self.model.stop_training = True`` ends
training after the current epoch (Keras' convention); set in ``on_batch_end``,
it ends the epoch after that batch.  Batch logs hold
``batch``, ``size`` and ``loss`` as a detached 0-d Tensor: reading it
(``float(logs["loss"])``) waits for the device, so do that sparingly.
"""

from __future__ import annotations

import csv
import math
import os

from ..serialization import save
from ._files import make_parent_dirs

__all__ = ["Callback", "CallbackList", "EarlyStopping", "ModelCheckpoint",
           "LearningRateScheduler", "CSVLogger", "TerminateOnNaN"]


class Callback:
    """Base class: override the hooks you need; each gets a ``logs`` dict.

    Attributes
    ----------
    model : nn.Module
    optimizer : optim.Optimizer
    params : dict
        ``epochs``, ``batch_size``, ``steps``, ``samples``, ``verbose``.
    """

    model = None
    optimizer = None
    params: dict = {}

    def set_context(self, model, optimizer, params) -> None:
        """Called by ``fit`` before training: the model, its optimizer and the run settings."""
        self.model, self.optimizer, self.params = model, optimizer, params

    def on_train_begin(self, logs=None):
        """Before the first epoch."""

    def on_train_end(self, logs=None):
        """After the last epoch, early stopping or an interrupt."""

    def on_epoch_begin(self, epoch, logs=None):
        """Before epoch ``epoch`` (0-based)."""

    def on_epoch_end(self, epoch, logs=None):
        """After epoch ``epoch``, with its training and validation results in ``logs``."""

    def on_batch_begin(self, batch, logs=None):
        """Before batch ``batch`` of the epoch (0-based)."""

    def on_batch_end(self, batch, logs=None):
        """After batch ``batch``'s optimizer step."""


class CallbackList(Callback):
    """Calls each hook on every callback, in order."""

    def __init__(self, callbacks=()):
        self.callbacks = list(callbacks)
        for cb in self.callbacks:
            if not isinstance(cb, Callback):
                raise TypeError(f"fit: callbacks must be nn.Callback instances, got "
                                f"{type(cb).__name__}")

    def set_context(self, model, optimizer, params):
        """Pass the context on to every callback."""
        for cb in self.callbacks:
            cb.set_context(model, optimizer, params)

    def _call(self, hook, *args):
        for cb in self.callbacks:
            getattr(cb, hook)(*args)

    def on_train_begin(self, logs=None):
        """See :class:`Callback`."""
        self._call("on_train_begin", logs)

    def on_train_end(self, logs=None):
        """See :class:`Callback`."""
        self._call("on_train_end", logs)

    def on_epoch_begin(self, epoch, logs=None):
        """See :class:`Callback`."""
        self._call("on_epoch_begin", epoch, logs)

    def on_epoch_end(self, epoch, logs=None):
        """See :class:`Callback`."""
        self._call("on_epoch_end", epoch, logs)

    def on_batch_begin(self, batch, logs=None):
        """See :class:`Callback`."""
        self._call("on_batch_begin", batch, logs)

    def on_batch_end(self, batch, logs=None):
        """See :class:`Callback`."""
        self._call("on_batch_end", batch, logs)


def _resolve_mode(mode, monitor, who):
    if mode not in ("auto", "min", "max"):
        raise ValueError(f"{who}: mode must be 'auto', 'min' or 'max', got {mode!r}")
    if mode != "auto":
        return mode
    base = monitor[4:] if monitor.startswith("val_") else monitor
    return "max" if base in ("accuracy", "acc", "r2") else "min"


def _worst(mode):
    """The starting "best" value: one every real value improves on."""
    return math.inf if mode == "min" else -math.inf


def _improves(mode, value, best, min_delta=0.0):
    """Whether ``value`` beats ``best`` by more than ``min_delta`` in direction ``mode``."""
    if mode == "min":
        return value < best - min_delta
    return value > best + min_delta


def _monitored(logs, monitor, who):
    if monitor not in logs:
        hint = (" (validation keys need validation_data or validation_split in fit)"
                if monitor.startswith("val_") else "")
        raise KeyError(f"{who}: monitor {monitor!r} is not in the epoch logs {sorted(logs)}{hint}")
    return float(logs[monitor])


class EarlyStopping(Callback):
    """Stop training when a monitored value has stopped improving.

    A value improves on the best so far when it is lower by more than
    ``min_delta`` (``mode="min"``) or higher by more than ``min_delta``
    (``"max"``).  After ``patience`` epochs in a row without improvement,
    training stops.

    Parameters
    ----------
    monitor : str
        Log key, default ``"val_loss"``.
    patience : int
        Epochs without improvement tolerated (0: stop at the first).
    min_delta : float
        Smallest change that counts as an improvement (>= 0).
    mode : {"auto", "min", "max"}
        ``"auto"``: ``"max"`` for accuracy and r2, ``"min"`` otherwise.
    restore_best_weights : bool
        Keep a copy (on the model's device) of the weights of the best epoch and
        load it back when training ends: after stopping, after the last epoch,
        or after Ctrl-C.
    baseline : float, optional
        A value to beat; epochs that do not beat it count as bad.

    Attributes
    ----------
    best : float
    best_epoch : int or None
    stopped_epoch : int or None
    wait : int
        Epochs since the last improvement.
    """

    def __init__(self, monitor="val_loss", patience=0, min_delta=0.0, mode="auto",
                 restore_best_weights=False, baseline=None):
        if patience < 0 or min_delta < 0:
            raise ValueError(f"EarlyStopping: patience and min_delta must be >= 0, got "
                             f"{patience}, {min_delta}")
        self.monitor, self.patience, self.min_delta = monitor, int(patience), float(min_delta)
        self.mode = _resolve_mode(mode, monitor, "EarlyStopping")
        self.restore_best_weights, self.baseline = restore_best_weights, baseline
        self.best_weights = None

    def on_train_begin(self, logs=None):
        """Reset the state, so one instance can serve several runs."""
        self.wait, self.stopped_epoch, self.best_epoch, self.best_weights = 0, None, None, None
        self.best = _worst(self.mode) if self.baseline is None else float(self.baseline)

    def on_epoch_end(self, epoch, logs=None):
        """Compare the monitored value with the best; snapshot or count a bad epoch."""
        value = _monitored(logs or {}, self.monitor, "EarlyStopping")
        if _improves(self.mode, value, self.best, self.min_delta):
            self.best, self.best_epoch, self.wait = value, epoch, 0
            if self.restore_best_weights:
                self.best_weights = {k: v.data.copy() for k, v in self.model.state_dict().items()}
            return
        self.wait += 1
        if self.wait >= self.patience:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        """Load the best epoch's weights back (with ``restore_best_weights``)."""
        if self.restore_best_weights and self.best_weights is not None:
            self.model.load_state_dict(self.best_weights)


class ModelCheckpoint(Callback):
    """Save the model with :func:`nn.save` after each epoch (or each better one).

    Parameters
    ----------
    filepath : str or path-like
        Missing parent folders are created.  May hold format fields: ``{epoch}`` (1-based) and any log key, e.g.
        ``"ckpt-{epoch:02d}-{val_loss:.3f}.npz"``.
    monitor : str
        Log key compared with ``save_best_only`` (default ``"val_loss"``).
    save_best_only : bool
        Save only when the monitored value improves on the best so far.
    mode : {"auto", "min", "max"}

    Attributes
    ----------
    saved : list of str
        Paths written, in order.
    best : float
    """

    def __init__(self, filepath, monitor="val_loss", save_best_only=False, mode="auto"):
        self.filepath, self.monitor, self.save_best_only = os.fspath(filepath), monitor, \
            save_best_only
        self.mode = _resolve_mode(mode, monitor, "ModelCheckpoint")
        self.saved: list[str] = []

    def on_train_begin(self, logs=None):
        """Reset the best value."""
        self.best = _worst(self.mode)

    def on_epoch_end(self, epoch, logs=None):
        """Save if due; the file is written atomically by ``nn.save``."""
        logs = logs or {}
        if self.save_best_only:
            value = _monitored(logs, self.monitor, "ModelCheckpoint")
            if not _improves(self.mode, value, self.best):
                return
            self.best = value
        path = self.filepath.format(epoch=epoch + 1, **logs)
        make_parent_dirs(path)
        save(self.model, path)
        self.saved.append(path)


class LearningRateScheduler(Callback):
    """Drive an ``optim.lr_scheduler`` (or a function) from ``fit``, once per epoch.

    Parameters
    ----------
    schedule : optim.lr_scheduler.LRScheduler, ReduceLROnPlateau or callable
        A scheduler is stepped at the end of every epoch (``ReduceLROnPlateau``
        with the monitored value).  A function ``schedule(epoch, lr) -> lr`` is
        called at the start of every epoch and its rate is set on every
        parameter group of the optimizer ``fit`` uses (Keras' convention).
    monitor : str
        Log key passed to ``ReduceLROnPlateau.step`` (default ``"val_loss"``).

    Notes
    -----
    The rate used in each epoch is recorded by ``fit`` as ``history["lr"]``.
    """

    def __init__(self, schedule, monitor="val_loss"):
        if not callable(schedule) and not hasattr(schedule, "step"):
            raise TypeError("LearningRateScheduler: expected an optim scheduler or a function "
                            f"schedule(epoch, lr) -> lr, got {type(schedule).__name__}")
        self.schedule, self.monitor = schedule, monitor

    def _is_scheduler(self):
        return hasattr(self.schedule, "step") and hasattr(self.schedule, "optimizer")

    def on_train_begin(self, logs=None):
        """Check that a scheduler drives the optimizer ``fit`` uses."""
        if self._is_scheduler() and self.schedule.optimizer is not self.optimizer:
            raise ValueError("LearningRateScheduler: the scheduler was built on another "
                             "optimizer than the one fit uses; pass that optimizer to fit")

    def on_epoch_begin(self, epoch, logs=None):
        """For a function schedule: set this epoch's rate."""
        if not self._is_scheduler():
            for group in self.optimizer.param_groups:
                group["lr"] = float(self.schedule(epoch, group["lr"]))

    def on_epoch_end(self, epoch, logs=None):
        """For a scheduler: step it (with the monitored value for ReduceLROnPlateau)."""
        if not self._is_scheduler():
            return
        from autograd_core.optim.lr_scheduler import ReduceLROnPlateau  # noqa: PLC0415 - nn does not need optim

        if isinstance(self.schedule, ReduceLROnPlateau):
            self.schedule.step(_monitored(logs or {}, self.monitor, "LearningRateScheduler"))
        else:
            self.schedule.step()


class CSVLogger(Callback):
    """Write one CSV row per epoch: ``epoch`` then every log key; flushed each epoch.

    Parameters
    ----------
    filename : str or path-like
        Missing parent folders are created.
    separator : str
    append : bool
        Add to an existing file (no second header) instead of replacing it.
    """

    def __init__(self, filename, separator=",", append=False):
        self.filename, self.separator, self.append = os.fspath(filename), separator, append
        self._file = self._writer = self._keys = None

    def on_train_begin(self, logs=None):
        """Open the file."""
        exists = self.append and os.path.exists(self.filename) and os.path.getsize(
            self.filename) > 0
        make_parent_dirs(self.filename)
        self._file = open(self.filename, "a" if self.append else "w", newline="",
                          encoding="utf-8")
        self._writer, self._keys, self._header_done = None, None, exists

    def on_epoch_end(self, epoch, logs=None):
        """Write the epoch's row and flush it to disk."""
        logs = logs or {}
        if self._keys is None:
            self._keys = list(logs)
            self._writer = csv.writer(self._file, delimiter=self.separator)
            if not self._header_done:
                self._writer.writerow(["epoch", *self._keys])
        self._writer.writerow([epoch, *(logs.get(k, "") for k in self._keys)])
        self._file.flush()
        os.fsync(self._file.fileno())

    def on_train_end(self, logs=None):
        """Close the file."""
        if self._file is not None:
            self._file.close()
            self._file = None


class TerminateOnNaN(Callback):
    """Stop training at the first batch whose loss is NaN or infinite (Keras' callback).

    The batch's optimizer step has been applied; the epoch ends there, its
    (partial) logs are recorded and training stops.  Reads each batch's loss,
    which waits for the device once per batch.
    """

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch

    def on_batch_end(self, batch, logs=None):
        """Stop when ``logs["loss"]`` is not finite, with a ``RuntimeWarning``."""
        loss = (logs or {}).get("loss")
        if loss is not None and not math.isfinite(float(loss)):
            import warnings  # noqa: PLC0415

            warnings.warn(f"TerminateOnNaN: batch {batch + 1} of epoch "
                          f"{getattr(self, '_epoch', 0) + 1} gave loss {float(loss)} (counting "
                          "from 1); terminating training", RuntimeWarning, stacklevel=2)
            self.model.stop_training = True
