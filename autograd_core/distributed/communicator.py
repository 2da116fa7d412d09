"""Communicators: the handful of collectives data-parallel training needs, over MPI or alone.

ChainerMN's design: one object owns the process group and offers in-place
collectives on contiguous arrays plus pickled-object collectives.  Two
implementations share the interface, so training code never branches on the
world size:

* :class:`MPICommunicator` wraps an ``mpi4py`` communicator (``MPI.COMM_WORLD``).
  NumPy arrays go to MPI through the buffer protocol without copies; CuPy
  arrays are staged through host memory (correct with any MPI build).
* :class:`SelfCommunicator` is a world of one process: every collective is the
  identity.  It is used when the program was not started by an MPI launcher, or
  when ``mpi4py`` is not installed.

Only this module imports ``mpi4py``, and only when a launcher started the job.
"""

from __future__ import annotations

import os
import sys

import numpy

from autograd_core import backend

__all__ = ["Communicator", "MPICommunicator", "SelfCommunicator", "launched_by_mpi",
           "REDUCE_OPS"]

#: reduction names accepted by ``allreduce``
REDUCE_OPS = ("sum", "mean", "max")

# Environment variables that MPI launchers (Open MPI's mpiexec, MPICH/Hydra, Intel MPI,
# Slurm's srun with PMI/PMIx) set in every rank they start.
_LAUNCHER_VARIABLES = ("OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "PMI_RANK",
                       "MPI_LOCALNRANKS")


def launched_by_mpi() -> bool:
    """True when an MPI launcher (``mpiexec``, ``srun``) started this process, or when the
    program already initialised MPI itself (e.g. ``python -m mpi4py``)."""
    mpi = sys.modules.get("mpi4py.MPI")
    if mpi is not None and mpi.Is_initialized():
        return True
    return any(name in os.environ for name in _LAUNCHER_VARIABLES)


class Communicator:
    """Interface of the communicators (see the module docstring).

    Attributes
    ----------
    rank : int
        This process's index in ``range(size)``.
    size : int
        Number of processes.
    local_rank : int
        Index among the processes on this machine (pick a GPU with it).
    """

    rank = 0
    size = 1
    local_rank = 0
    name = "self"

    def allreduce(self, array, op="sum"):
        """Reduce ``array`` (contiguous NumPy/CuPy) over all ranks, in place."""
        raise NotImplementedError

    def iallreduce(self, array):
        """Start summing ``array`` over all ranks in place; returns a request with ``wait()``."""
        raise NotImplementedError

    def bcast(self, array, root=0):
        """Overwrite ``array`` with ``root``'s, in place."""
        raise NotImplementedError

    def bcast_obj(self, obj, root=0):
        """``root``'s picklable ``obj`` on every rank."""
        raise NotImplementedError

    def allgather_obj(self, obj):
        """The list of every rank's ``obj``, in rank order."""
        raise NotImplementedError

    def barrier(self):
        """Return once every rank has called ``barrier``."""
        raise NotImplementedError

    def abort(self, code=1):
        """End every process of the job with exit status ``code``."""
        raise NotImplementedError

    def __repr__(self):
        return f"{type(self).__name__}(rank={self.rank}, size={self.size})"


class _Done:
    """A request that has already completed."""

    def wait(self):
        return None

    def test(self):
        return True


class SelfCommunicator(Communicator):
    """A world of one process: every collective returns its input unchanged."""

    def allreduce(self, array, op="sum"):
        _check_op(op, array)
        _check_array(array)
        return array

    def iallreduce(self, array):
        return _Done()

    def bcast(self, array, root=0):
        _check_root(root, 1)
        _check_array(array)
        return array

    def bcast_obj(self, obj, root=0):
        _check_root(root, 1)
        return obj

    def allgather_obj(self, obj):
        return [obj]

    def barrier(self):
        return None

    def abort(self, code=1):
        sys.stderr.flush()
        os._exit(code)


class _StagedRequest:
    """An ``Iallreduce`` on a host copy of a device array; ``wait`` copies the result back."""

    def __init__(self, request, host, device_array):
        self._request, self._host, self._device_array = request, host, device_array

    def wait(self):
        self._request.Wait()
        if self._device_array is not None:
            self._device_array.set(self._host)
            self._device_array = None

    def test(self):
        return bool(self._request.Test())


class _Request:
    def __init__(self, request):
        self._request = request

    def wait(self):
        self._request.Wait()

    def test(self):
        return bool(self._request.Test())


class MPICommunicator(Communicator):
    """Collectives over an ``mpi4py`` communicator (default ``MPI.COMM_WORLD``)."""

    name = "mpi"

    def __init__(self, comm=None):
        from mpi4py import MPI  # noqa: PLC0415 - only a launched job needs MPI

        self._MPI = MPI
        self.comm = MPI.COMM_WORLD if comm is None else comm
        self.rank = self.comm.Get_rank()
        self.size = self.comm.Get_size()
        node = self.comm.Split_type(MPI.COMM_TYPE_SHARED, key=self.rank)
        self.local_rank = node.Get_rank()
        node.Free()
        self._ops = {"sum": MPI.SUM, "mean": MPI.SUM, "max": MPI.MAX}

    def allreduce(self, array, op="sum"):
        _check_op(op, array)
        host, device_array = _host_view(array)
        self.comm.Allreduce(self._MPI.IN_PLACE, host, op=self._ops[op])
        if op == "mean":
            numpy.divide(host, self.size, out=host)
        if device_array is not None:
            device_array.set(host)
        return array

    def iallreduce(self, array):
        host, device_array = _host_view(array)
        request = self.comm.Iallreduce(self._MPI.IN_PLACE, host, op=self._MPI.SUM)
        if device_array is None:
            return _Request(request)
        return _StagedRequest(request, host, device_array)

    def bcast(self, array, root=0):
        _check_root(root, self.size)
        host, device_array = _host_view(array)
        self.comm.Bcast(host, root=root)
        if device_array is not None:
            device_array.set(host)
        return array

    def bcast_obj(self, obj, root=0):
        _check_root(root, self.size)
        return self.comm.bcast(obj, root=root)

    def allgather_obj(self, obj):
        return self.comm.allgather(obj)

    def barrier(self):
        self.comm.Barrier()

    def abort(self, code=1):
        sys.stdout.flush()
        sys.stderr.flush()
        self.comm.Abort(code)


def _check_array(array):
    if not backend.is_array(array):
        raise TypeError(f"expected a NumPy or CuPy array, got {type(array).__name__}")
    if not array.flags.c_contiguous:
        raise ValueError(f"collectives need a C-contiguous array; this one (shape "
                         f"{array.shape}) is not: pass a copy (numpy.ascontiguousarray)")


def _host_view(array):
    """``(host array MPI can use, device array to copy the result back into or None)``."""
    _check_array(array)
    if backend.device_of(array) == "cpu":
        return array, None
    return numpy.ascontiguousarray(array.get()), array


def _check_op(op, array):
    if op not in REDUCE_OPS:
        raise ValueError(f"all_reduce: op must be one of {list(REDUCE_OPS)}, got {op!r}")
    if op == "mean" and getattr(array, "dtype", None) is not None and array.dtype.kind != "f":
        raise TypeError(f"all_reduce(op='mean') needs a floating array, not {array.dtype} "
                        "(reduce with op='sum' and divide, or cast first)")


def _check_root(root, size):
    if isinstance(root, bool) or not isinstance(root, int) or not 0 <= root < size:
        raise ValueError(f"root must be a rank in range({size}), got {root!r}")
