"""``fit(distributed=True)`` and ``evaluate(distributed=True)``: one process per rank over MPI.

Start the same script on every rank (``mpiexec -n 4 python -m mpi4py train.py``);
every rank loads the same data and builds the same model.  ``fit`` then

* broadcasts rank 0's parameters, buffers and optimizer state, and rank 0's
  shuffle seed, so every rank starts from the same point;
* wraps the optimizer in :func:`~autograd_core.distributed.DistributedOptimizer`
  (``average="samples"``) and gives each rank its shard of every epoch through
  a :class:`~autograd_core.datasets.DistributedSampler`: every rank runs the same
  number of steps, a rank with a smaller shard a smaller (possibly empty) last
  batch, and each step is the exact mean over the global batch;
* sends the Ctrl-C request and ``model.stop_training`` (set by a batch callback
  such as ``TerminateOnNaN``) along with the gradients, so every rank stops after
  the same batch, without an extra collective;
* adds the epoch's loss and metric sums and counts over the ranks (one
  ``allgather`` per epoch, rank order, so every rank gets the same floats)
  before any callback sees them: ``History``, ``EarlyStopping``,
  ``ReduceLROnPlateau`` and ``LearningRateScheduler`` agree on every rank;
  validation uses :func:`evaluate_distributed`;
* shows progress, and runs ``ModelCheckpoint`` and ``CSVLogger``, on rank 0
  only; ``History.plot`` draws on rank 0 only.

A second Ctrl-C does not stop a rank at once here (that rank would leave the
others waiting in a collective): the job stops at the end of the batch.
"""

from __future__ import annotations

import copy

import numpy

import autograd_core as ag
from autograd_core import backend
from autograd_core.datasets import DataLoader, DistributedSampler
from autograd_core.datasets._random import as_generator

from ..regularization import with_penalty
from .callbacks import CallbackList, CSVLogger, ModelCheckpoint
from .fit import (EVAL_BATCH_SIZE, _checked_data, _end_epoch, _float_targets, _InterruptGuard,
                  _placement, _sum, _warn_nonfinite, get_loss, get_optimizer)
from .history import History
from .metrics import get_metric
from .progress import Progress

__all__ = ["fit_distributed", "evaluate_distributed", "RANK_ZERO_ONLY"]

#: Callback classes that ``fit(distributed=True)`` runs on rank 0 only (they write files).
RANK_ZERO_ONLY = (ModelCheckpoint, CSVLogger)


class _Guard(_InterruptGuard):
    """Ctrl-C only records a request: the ranks agree on when to stop."""

    def _handle(self, signum, frame):
        self.requested = True


def _shuffle_seed(comm, seed):
    """Rank 0's seed for the sampler (an int drawn from ``seed``'s generator, or ``seed``)."""
    if comm.rank == 0:
        if isinstance(seed, (int, numpy.integer)) and not isinstance(seed, bool):
            seed = int(seed)
        else:
            seed = int(as_generator(seed).integers(2 ** 63))
    return comm.bcast_obj(seed if comm.rank == 0 else None, 0)


def _metric_state(metric):
    """A metric's running sums as NumPy arrays (None before its first batch) and its count."""
    if metric._sums is None:
        return None, metric.count
    return [numpy.asarray(backend.to_device(s, "cpu") if backend.is_array(s) else s)
            for s in metric._sums], metric.count


def _combine(comm, loss_sum, seen, metrics, flags=()):
    """Add every rank's loss sum, sample count, metric sums and flags (in rank order).

    Returns ``(mean loss, total samples, OR of each flag)``; the metrics hold the
    totals afterwards, so ``metric.result()`` is the value over every rank's samples.
    """
    local = (float(loss_sum), int(seen), [_metric_state(m) for m in metrics],
             [bool(f) for f in flags])
    everyone = comm.allgather_obj(local)
    total_loss, total_seen = 0.0, 0
    for loss_r, seen_r, _, _ in everyone:
        total_loss += loss_r
        total_seen += seen_r
    for i, m in enumerate(metrics):
        sums, count = None, 0
        for _, _, states, _ in everyone:
            s, c = states[i]
            count += c
            if s is not None:
                sums = list(s) if sums is None else [a + b for a, b in zip(sums, s)]
        m._sums, m.count = sums, count
    ored = [any(f[i] for *_, f in everyone) for i in range(len(flags))]
    return total_loss / max(total_seen, 1), total_seen, ored


def _train_epoch(model, loader, loss_fn, opt, metrics, cbs, progress, guard, where):
    """One pass over this rank's shard; returns the local sums (combined by the caller)."""
    model.train()
    for m in metrics:
        m.reset()
    loss_sum, seen = 0.0, 0
    where["losses"] = batch_losses = []
    for batch, (Xb, yb) in enumerate(loader):
        size = int(Xb.shape[0])
        where["batch"] = batch
        cbs.on_batch_begin(batch, {"batch": batch, "size": size})
        model.zero_grad()
        opt.zero_grad()
        opt.set_samples(size)
        loss = None
        if size:  # an empty last batch only contributes its flags to the all-reduce
            output = model(Xb)
            loss = loss_fn(output, yb)
            loss.backward()
        guard.in_step = True
        opt.step()
        guard.in_step = False
        if loss is not None:
            with ag.no_grad():
                loss_sum = _sum(loss_sum, loss.data, size)
                batch_losses.append(loss.data)
                for m in metrics:
                    m.update(output.data, yb.data)
        seen += size
        progress.batch_end(size, lambda: float(loss_sum) / max(seen, 1))
        cbs.on_batch_end(batch, {"batch": batch, "size": size,
                                 "loss": None if loss is None else loss.detach()})
        interrupt, stop = opt.flags  # OR-reduced with this batch's gradients
        if interrupt:
            raise KeyboardInterrupt
        if stop:
            model.stop_training = True
            break
    return loss_sum, seen


def fit_distributed(model, X, y, *, loss="cross_entropy", optimizer="adam", lr=None, epochs=1,
                    batch_size=32, validation_data=None, validation_split=0.0, metrics=(),
                    callbacks=(), shuffle=True, seed=None, device=None, verbose=1, file=None,
                    stop_on_nonfinite=True, compile=False, threads=None):  # noqa: A002
    """``nn.fit(..., distributed=True)``: data-parallel training, one process per rank.

    Takes :func:`~autograd_core.nn.training.fit.fit`'s arguments (see the module
    docstring for what changes).  ``batch_size`` is per rank: the global batch
    is ``batch_size * world_size``.  ``optimizer`` may already be a
    ``DistributedOptimizer``.  ``seed`` is rank 0's.  ``compile=True`` is not
    supported here yet (it raises); ``threads`` (BLAS threads per rank) needs
    ``ag.threads``.

    Returns
    -------
    History
        The same on every rank; ``history.params`` also holds ``"ranks"``.
    """
    from autograd_core import distributed as dist  # noqa: PLC0415 - nn does not need MPI

    if compile:
        raise NotImplementedError("fit: compile=True is not supported with distributed=True yet "
                                  "(the all-reduce runs in hooks during backward); drop one")
    if threads is not None:
        with ag.threads(threads):
            return fit_distributed(model, X, y, loss=loss, optimizer=optimizer, lr=lr,
                                   epochs=epochs, batch_size=batch_size,
                                   validation_data=validation_data,
                                   validation_split=validation_split, metrics=metrics,
                                   callbacks=callbacks, shuffle=shuffle, seed=seed,
                                   device=device, verbose=verbose, file=file,
                                   stop_on_nonfinite=stop_on_nonfinite)
    comm = dist.init()
    loss_fn, logits = get_loss(loss)
    train_loss_fn = with_penalty(loss_fn, model)
    device, dtype = _placement(model, device)
    dist.broadcast_parameters(model)
    opt = get_optimizer(optimizer, model, lr)
    if not dist.is_distributed_optimizer(opt):
        opt = dist.DistributedOptimizer(opt, average="samples")
    dist.broadcast_optimizer_state(opt)
    epochs, X, y, validation_data = _checked_data(epochs, X, y, dtype, validation_data,
                                                  validation_split)
    sampler = DistributedSampler(X.shape[0], comm.size, comm.rank, shuffle=shuffle,
                                 seed=_shuffle_seed(comm, seed))
    loader = DataLoader(X, y, batch_size=batch_size, device=device, dtype=dtype, sampler=sampler)
    train_metrics = [get_metric(m, logits=logits) for m in metrics]
    val_metrics = [copy.deepcopy(m) for m in train_metrics]
    params = {"epochs": epochs, "batch_size": int(batch_size), "steps": len(loader),
              "samples": loader.n_samples, "verbose": verbose, "ranks": comm.size,
              "metrics": ["loss", *(m.name for m in train_metrics)]}
    history = History(params)
    history.rank = comm.rank
    if comm.rank != 0:
        callbacks = [cb for cb in callbacks if not isinstance(cb, RANK_ZERO_ONLY)]
    cbs = CallbackList(callbacks)
    cbs.set_context(model, opt, params)
    progress = Progress(verbose if comm.rank == 0 else 0, epochs, len(sampler), file)
    was_training = model.training
    model.stop_training = False
    where = {"epoch": 0, "batch": 0}
    with _Guard() as guard:
        opt.flag_source = lambda: (guard.requested, model.stop_training)
        cbs.on_train_begin({})
        try:
            for epoch in range(epochs):
                where["epoch"] = epoch
                sampler.set_epoch(epoch)
                cbs.on_epoch_begin(epoch, {})
                rate = opt.param_groups[0]["lr"]
                progress.epoch_begin(epoch)
                loss_sum, seen = _train_epoch(model, loader, train_loss_fn, opt, train_metrics,
                                              cbs, progress, guard, where)
                mean, _, (interrupt, stop) = _combine(
                    comm, loss_sum, seen, train_metrics, (guard.requested, model.stop_training))
                if interrupt:  # a request that came after this rank's last batch
                    raise KeyboardInterrupt
                model.stop_training = stop
                logs = {"loss": mean, **{m.name: m.result() for m in train_metrics}}
                if validation_data is not None:
                    val = evaluate_distributed(model, *validation_data, loss=loss_fn,
                                               metrics=val_metrics,
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
                          f"{where['batch'] + 1} (on every rank): returning the history of the "
                          f"{len(history)} completed epoch(s)")
        finally:
            progress.close()
            opt.flag_source = None
        cbs.on_train_end({"interrupted": history.interrupted})
    model.train(was_training)
    if history.nonfinite is not None and comm.rank == 0:
        _warn_nonfinite(history, callbacks)
    return history


def evaluate_distributed(model, X, y, *, loss="cross_entropy", metrics=(),
                         batch_size=EVAL_BATCH_SIZE, device=None):
    """``nn.evaluate(..., distributed=True)``: each rank evaluates its shard; exact totals.

    Every rank passes the whole ``(X, y)``; rank ``r`` evaluates the samples
    ``r, r + world_size, ...`` and the sums and counts are added over the ranks,
    so the result, the same on every rank, is the full-set figure of
    :func:`~autograd_core.nn.training.fit.evaluate` (up to float64 rounding).
    """
    from autograd_core import distributed as dist  # noqa: PLC0415

    comm = dist.init()
    loss_fn, logits = (None, False) if loss is None else get_loss(loss)
    device, dtype = _placement(model, device)
    ms = [get_metric(m, logits=logits) for m in metrics]
    for m in ms:
        m.reset()
    n = X.shape[0]
    loader = DataLoader(X, _float_targets(y, dtype), batch_size=batch_size, device=device,
                        dtype=dtype, sampler=DistributedSampler(n, comm.size, comm.rank,
                                                                shuffle=False))
    was_training = model.training
    model.eval()
    loss_sum, seen = 0.0, 0
    try:
        with ag.no_grad():
            for Xb, yb in loader:
                if not Xb.shape[0]:
                    continue
                output = model(Xb)
                if loss_fn is not None:
                    loss_sum = _sum(loss_sum, loss_fn(output, yb).data, Xb.shape[0])
                for m in ms:
                    m.update(output.data, yb.data)
                seen += Xb.shape[0]
    finally:
        model.train(was_training)
    mean, _, _ = _combine(comm, loss_sum, seen, ms)
    results = {} if loss_fn is None else {"loss": mean}
    results.update({m.name: m.result() for m in ms})
    return results
