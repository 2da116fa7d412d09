"""``DistributedOptimizer``: average the gradients over the ranks, then step (Horovod's name).

The wrapped optimizer keeps its class: ``DistributedOptimizer(SGD(...))`` returns the
same object, now an instance of a subclass of ``SGD`` whose ``step`` first
all-reduces the gradients.  Its ``state_dict()`` is an ``SGD`` state dict (it loads
into a plain ``SGD`` and back), ``param_groups`` and ``state`` are the ones
schedulers and checkpoints already use.

How the gradients travel
------------------------
The parameters are split into *buckets*: each holds parameters of one dtype and
device, taken in reverse order (the order backward produces their gradients),
up to ``bucket_cap_mb`` megabytes.  A bucket is one fused buffer::

    [ grad_0.ravel(), grad_1.ravel(), ..., weight, interrupt, stop, present_0, present_1, ... ]

``weight`` is this rank's sample count (``average="samples"``; set with
:meth:`set_samples`) or 1 (``average="ranks"``); each gradient is multiplied by
it before the sum and the reduced buffer is divided by the summed weight, so
ranks with uneven batches give exactly the mean over the global batch.
``present_i`` says whether this rank had a gradient for parameter ``i``: a
missing gradient counts as zero, and a parameter that no rank has a gradient for
stays ``None`` (the optimizer skips it, as in one process).  ``interrupt`` and
``stop`` carry flags (Ctrl-C, ``stop_training``) that ``fit(distributed=True)``
OR-reduces without an extra collective.

Overlap: a post-accumulate-grad hook on every parameter notices when a bucket's
gradients are all final and starts a non-blocking ``Iallreduce`` on it while
backward goes on; ``step`` (or :meth:`synchronize`) waits.  When several
``DistributedOptimizer`` are built over the same parameters (``fit`` builds one
per call), the one most recently built, ``zero_grad``-ed or stepped overlaps;
the others still work, reducing everything in ``step``.  Buckets always start
in index order on every rank (a bucket that fills early waits for the ones
before it), as MPI requires collectives in the same order everywhere.  With
``overlap=False`` the same ``Iallreduce`` calls start in ``step``, so both give
bitwise-identical results.

``AUTOGRAD_CORE_DIST_DEBUG=1`` makes every rank compare the bucket it is about to
reduce (index, dtype, device, parameter shapes) with every other rank's first,
raising on every rank when they differ.
"""

from __future__ import annotations

import contextlib
import os
import time
import weakref
from typing import TYPE_CHECKING

from autograd_core import backend, grad_mode
from autograd_core.tensor import Tensor

from .world import init

__all__ = ["DistributedOptimizer", "is_distributed_optimizer"]

_TRAILER = 3  # weight, interrupt, stop
_AVERAGES = ("samples", "ranks")
_SUBCLASSES: dict = {}
#: id(parameter) -> weakref to the DistributedOptimizer whose hooks overlap its all-reduce:
#: the one most recently built, zero_grad-ed or stepped over it (the others reduce in step)
_OVERLAP_OWNER: dict = {}


def DistributedOptimizer(optimizer, average="samples", backward_passes_per_step=1,  # noqa: N802
                         bucket_cap_mb=25, *, overlap=True, communicator=None):
    """Make ``optimizer`` average its gradients over all ranks before each step (in place).

    Parameters
    ----------
    optimizer : optim.Optimizer
        Built over the same parameters, in the same order, on every rank.
    average : {"samples", "ranks"}
        ``"samples"``: weight each rank by its sample count (call
        ``optimizer.set_samples(len(batch))`` before ``backward``), which gives
        the exact mean over the global batch when shards are uneven;
        ``"ranks"``: the plain mean of the ranks' gradients.
    backward_passes_per_step : int
        Local backward passes accumulated into ``.grad`` before a step; the
        all-reduce starts during the last one.
    bucket_cap_mb : float
        Largest fused buffer, in megabytes (``1e6`` bytes); a larger parameter
        gets a bucket of its own.
    overlap : bool
        Start each bucket's all-reduce during backward (default) or only in ``step``.
    communicator : Communicator, optional
        Default: :func:`autograd_core.distributed.init`'s.

    Returns
    -------
    optim.Optimizer
        ``optimizer`` itself; ``isinstance(result, type(optimizer))`` holds.

    Examples
    --------
    >>> opt = dist.DistributedOptimizer(optim.SGD(model.parameters(), lr=0.1))  # doctest: +SKIP
    >>> opt.zero_grad(); opt.set_samples(len(xb)); loss.backward(); opt.step()  # doctest: +SKIP
    """
    from autograd_core.optim import Optimizer  # noqa: PLC0415 - optim is not needed at import

    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"DistributedOptimizer: expected an optim.Optimizer, got "
                        f"{type(optimizer).__name__}")
    if is_distributed_optimizer(optimizer):
        raise ValueError("DistributedOptimizer: this optimizer is already distributed")
    if average not in _AVERAGES:
        raise ValueError(f"DistributedOptimizer: average must be one of {list(_AVERAGES)}, "
                         f"got {average!r}")
    passes = backward_passes_per_step
    if isinstance(passes, bool) or not isinstance(passes, int) or passes < 1:
        raise ValueError(f"DistributedOptimizer: backward_passes_per_step must be an int >= 1, "
                         f"got {passes!r}")
    if not isinstance(bucket_cap_mb, (int, float)) or not bucket_cap_mb > 0:
        raise ValueError(f"DistributedOptimizer: bucket_cap_mb must be a number > 0, got "
                         f"{bucket_cap_mb!r}")
    cls = type(optimizer)
    if cls not in _SUBCLASSES:
        # same __name__: state_dict() names the wrapped class, so it loads into a plain one
        _SUBCLASSES[cls] = type(cls.__name__, (_Distributed, cls),
                                {"__qualname__": cls.__qualname__, "__module__": cls.__module__,
                                 "__doc__": cls.__doc__})
    optimizer.__class__ = _SUBCLASSES[cls]
    optimizer._dist_setup(communicator or init(), average, passes, bucket_cap_mb, overlap)
    return optimizer


def is_distributed_optimizer(optimizer) -> bool:
    """Whether ``optimizer`` has been wrapped by :func:`DistributedOptimizer`."""
    return isinstance(optimizer, _Distributed)


class _Bucket:
    """Parameters reduced together: one dtype and device, their offsets in the fused buffer."""

    def __init__(self, index, params):
        self.index, self.params = index, params
        self.offsets, offset = [], 0
        for p in params:
            self.offsets.append(offset)
            offset += p.size
        self.numel = offset
        self.dtype, self.device = params[0].dtype, params[0].device
        self.xp = backend.array_module(params[0].data)
        self.reset()

    def reset(self):
        self.fired = [0] * len(self.params)
        self.final = 0  # how many params had their last pass's gradient
        self.flat = self.request = None

    def signature(self):
        return (self.index, str(self.dtype), str(self.device),
                tuple(tuple(p.shape) for p in self.params))


def _buckets(params, cap_bytes):
    """Split ``params`` (reverse order, grouped by dtype/device) into buckets of ``cap_bytes``."""
    closed, open_ = [], {}
    for p in reversed(params):
        key = (str(p.dtype), str(p.device))
        current = open_.setdefault(key, [])
        if current and sum(q.data.nbytes for q in current) + p.data.nbytes > cap_bytes:
            closed.append(current)
            current = open_[key] = []
        current.append(p)
    closed.extend(group for group in open_.values() if group)
    return [_Bucket(i, group) for i, group in enumerate(closed)]


if TYPE_CHECKING:  # the classes this is mixed into: what super() reaches, for type checkers
    from autograd_core.optim import Optimizer as _MixedInto
else:
    _MixedInto = object


class _Distributed(_MixedInto):
    """Mixed into the wrapped optimizer's class by :func:`DistributedOptimizer`."""

    def _dist_setup(self, comm, average, passes, cap_mb, overlap):
        params = [p for group in self.param_groups for p in group["params"] if p._rg]
        self.communicator, self.average = comm, average
        self.backward_passes_per_step, self.overlap = passes, bool(overlap)
        self.bucket_cap_mb = cap_mb
        self.buckets = _buckets(params, cap_mb * 1e6) if params else []
        self.flag_source = None  # () -> (interrupt, stop): fit's flags, sent with the gradients
        self.flags = (False, False)  # the flags OR-reduced over the ranks by the last step
        self.wait_seconds = 0.0  # time spent waiting for all-reduces (a benchmark figure)
        self.debug = os.environ.get("AUTOGRAD_CORE_DIST_DEBUG", "") not in ("", "0")
        self._samples, self._no_sync, self._next, self._synced = None, 0, 0, False
        self._handles = []
        self._claim()
        for bucket in self.buckets:
            for slot, p in enumerate(bucket.params):
                self._handles.append(p.register_post_accumulate_grad_hook(
                    self._hook(bucket, slot)))

    # -- the user's side -------------------------------------------------------------------

    def set_samples(self, n) -> None:
        """Add ``n`` samples to this rank's count for the coming step (``average="samples"``).

        Call it before ``backward`` (the all-reduce may start during backward),
        once per backward pass; 0 for a rank whose batch is empty (it then
        contributes no gradient, only its flags).
        """
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise ValueError(f"set_samples: n must be an int >= 0, got {n!r}")
        self._samples = (self._samples or 0) + n

    @contextlib.contextmanager
    def no_sync(self):
        """Accumulate gradients locally: backward passes inside do not count toward a step.

        The gradients stay in ``.grad`` and are all-reduced with those of the next
        backward outside the context (PyTorch DDP's ``no_sync``).
        """
        self._no_sync += 1
        try:
            yield self
        finally:
            self._no_sync -= 1

    def synchronize(self) -> None:
        """Finish the all-reduce: every ``.grad`` then holds the average over the ranks.

        ``step`` calls it; call it yourself to look at or clip the averaged
        gradients first (``step`` then does not reduce again).
        """
        if self._synced:
            return
        if self._no_sync:
            raise RuntimeError("DistributedOptimizer: step()/synchronize() inside no_sync(); "
                               "leave the context first (its gradients go with the next step)")
        while self._next < len(self.buckets):
            self._start(self.buckets[self._next])
        start = time.perf_counter()
        for bucket in self.buckets:
            bucket.request.wait()
        self.wait_seconds += time.perf_counter() - start
        flags = [False, False]
        for bucket in self.buckets:
            self._unpack(bucket, flags)
        self.flags = tuple(flags)
        self._synced = True

    def step(self, closure=None):
        """All-reduce the gradients (:meth:`synchronize`), then the wrapped optimizer's step."""
        loss = None
        if closure is not None:
            with grad_mode.enable_grad():
                loss = closure()
        self.synchronize()
        super().step()
        for bucket in self.buckets:
            bucket.reset()
        self._samples, self._next, self._synced = None, 0, False
        self._claim()
        return loss

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Clear the gradients (see ``Optimizer.zero_grad``); this optimizer's hooks overlap
        the next backward's all-reduce, should another one be built over the same parameters."""
        super().zero_grad(set_to_none)
        self._claim()

    def remove_hooks(self) -> None:
        """Unregister the post-accumulate-grad hooks (the optimizer then reduces only in step)."""
        for handle in self._handles:
            handle.remove()
        self._handles = []

    def __repr__(self):
        inner = super().__repr__()
        return (f"DistributedOptimizer({inner}, average={self.average!r}, "
                f"backward_passes_per_step={self.backward_passes_per_step}, "
                f"buckets={len(self.buckets)}, ranks={self.communicator.size})")

    # -- the machinery -----------------------------------------------------------------------

    def _claim(self):
        me = weakref.ref(self)
        for bucket in self.buckets:
            for p in bucket.params:
                _OVERLAP_OWNER[id(p)] = me

    def _hook(self, bucket, slot):
        def on_final_grad(param):
            if self._no_sync or not self.overlap:
                return
            owner = _OVERLAP_OWNER.get(id(param))
            if owner is None or owner() is not self:  # another optimizer is in use
                return
            if bucket.request is not None:
                raise RuntimeError(
                    f"DistributedOptimizer: a gradient of parameter {slot} in bucket "
                    f"{bucket.index} (shape {param.shape}) arrived after its all-reduce had "
                    f"started: more than backward_passes_per_step="
                    f"{self.backward_passes_per_step} backward passes before step(); wrap the "
                    "extra ones in no_sync() or raise backward_passes_per_step")
            bucket.fired[slot] += 1
            if bucket.fired[slot] == self.backward_passes_per_step:
                bucket.final += 1
            if bucket.final == len(bucket.params):
                while (self._next < len(self.buckets)
                       and self.buckets[self._next].final == len(self.buckets[self._next].params)):
                    self._start(self.buckets[self._next])
            for earlier in self.buckets[:self._next]:  # let MPI progress the ones in flight
                earlier.request.test()
        return on_final_grad

    def _weight(self):
        if self.average == "ranks":
            return 1
        if self._samples is None:
            raise RuntimeError("DistributedOptimizer(average='samples'): call "
                               "optimizer.set_samples(len(batch)) before backward() in every "
                               "step (or use average='ranks')")
        return self._samples

    def _start(self, bucket):
        """Pack ``bucket``'s gradients and flags and start its non-blocking all-reduce."""
        weight = self._weight()
        xp, n = bucket.xp, bucket.numel
        # zeros_like a parameter: on its device (CuPy allocates on the template's device)
        flat = xp.zeros_like(bucket.params[0].data, shape=(n + _TRAILER + len(bucket.params),))
        for slot, (p, offset) in enumerate(zip(bucket.params, bucket.offsets)):
            if p.grad is not None:
                flat[offset:offset + p.size] = p.grad.data.reshape(-1)
                flat[n + _TRAILER + slot] = 1
        scale = self.average == "samples" and self.communicator.size > 1
        if scale and weight != 1:
            flat[:n] *= weight
        interrupt, stop = self.flag_source() if self.flag_source is not None else (False, False)
        flat[n:n + _TRAILER] = (weight, bool(interrupt), bool(stop))
        if self.debug:
            self._check_same_bucket(bucket)
        bucket.flat = flat
        bucket.request = self.communicator.iallreduce(flat)
        self._next = bucket.index + 1

    def _unpack(self, bucket, flags):
        flat, n = bucket.flat, bucket.numel
        total = float(flat[n])
        flags[0] |= bool(flat[n + 1] > 0)
        flags[1] |= bool(flat[n + 2] > 0)
        present = backend.to_device(flat[n + _TRAILER:], "cpu")
        if self.average == "samples":
            divisor = total if self.communicator.size > 1 else 1.0
        else:
            divisor = float(self.communicator.size)
        grads = flat[:n]
        if divisor not in (0.0, 1.0):
            grads /= divisor
        for slot, (p, offset) in enumerate(zip(bucket.params, bucket.offsets)):
            if present[slot] > 0 and total > 0:
                p.grad = Tensor._new(grads[offset:offset + p.size].reshape(p.shape))
            else:  # no rank had a gradient (or no rank had samples): the step skips it
                p.grad = None

    def _check_same_bucket(self, bucket):
        everyone = self.communicator.allgather_obj(bucket.signature())
        differing = [r for r, s in enumerate(everyone) if s != everyone[0]]
        if differing:
            raise RuntimeError(
                f"DistributedOptimizer (AUTOGRAD_CORE_DIST_DEBUG=1): ranks submit different "
                f"buckets to the same all-reduce: rank 0 {_describe(everyone[0])}, rank "
                f"{differing[0]} {_describe(everyone[differing[0]])} (this is rank "
                f"{self.communicator.rank}); build the same model and optimizer, with the same "
                "bucket_cap_mb, on every rank")


def _describe(signature):
    index, dtype, device, shapes = signature
    return f"bucket {index} ({dtype} on {device}, parameter shapes {list(shapes)})"
