"""The process group of this job: ``init``, who am I, and the collectives on tensors.

Every function initialises on first use, so ``get_rank()`` works without an
explicit ``init()``.  A program started by ``mpiexec``/``srun`` gets an
:class:`~.communicator.MPICommunicator` over ``MPI.COMM_WORLD``; any other
program is a world of one (:class:`~.communicator.SelfCommunicator`) running the
same code.
"""

from __future__ import annotations

import sys

from autograd_core.tensor import Tensor

from .communicator import MPICommunicator, SelfCommunicator, launched_by_mpi

__all__ = ["init", "is_initialized", "get_communicator", "get_rank", "get_world_size",
           "get_local_rank", "barrier", "all_reduce", "broadcast", "broadcast_object",
           "all_gather_object"]

_state = {"comm": None}


def init(comm=None):
    """Join the job's process group (idempotent); return its communicator.

    Parameters
    ----------
    comm : Communicator or mpi4py communicator, optional
        Use this group instead of the default (``MPI.COMM_WORLD`` under an MPI
        launcher, a world of one otherwise).  Only the first call decides.

    Returns
    -------
    Communicator

    Notes
    -----
    With more than one rank, ``init`` installs a ``sys.excepthook`` that prints the
    traceback and then aborts the whole job (``MPI_Abort``): otherwise the other
    ranks would wait forever in their next collective.
    """
    if _state["comm"] is not None:
        return _state["comm"]
    if comm is None:
        if launched_by_mpi():
            try:
                import mpi4py  # noqa: F401, PLC0415
            except ImportError as err:
                raise ImportError(
                    "autograd_core.distributed: this process was started by an MPI launcher "
                    "but mpi4py is not installed; pip install 'autograd-core[mpi]' (mpi4py "
                    "and Open MPI), or run without mpiexec for a world of one"
                ) from err
            comm = MPICommunicator()
        else:
            comm = SelfCommunicator()
    elif not hasattr(comm, "iallreduce"):  # an mpi4py communicator
        comm = MPICommunicator(comm)
    _state["comm"] = comm
    if comm.size > 1:
        _install_excepthook(comm)
    return comm


def is_initialized() -> bool:
    """Whether :func:`init` has run in this process."""
    return _state["comm"] is not None


def get_communicator():
    """The job's communicator (initialising on first use)."""
    return init()


def get_rank() -> int:
    """This process's rank, in ``range(get_world_size())``."""
    return init().rank


def get_world_size() -> int:
    """Number of processes in the job (1 without an MPI launcher)."""
    return init().size


def get_local_rank() -> int:
    """This process's index among the ranks on the same machine (to pick a GPU)."""
    return init().local_rank


def barrier() -> None:
    """Wait until every rank has reached this call."""
    init().barrier()


def all_reduce(x, op="sum"):
    """Reduce ``x`` over all ranks, in place, and return it.

    Parameters
    ----------
    x : Tensor or ndarray (NumPy or CuPy), any shape
        Must be C-contiguous.  A Tensor's data is overwritten (its version is
        bumped, so a graph that saved it refuses to back-propagate).
    op : {"sum", "mean", "max"}
        ``"mean"`` is the sum divided by the world size (floating arrays only).

    Returns
    -------
    x, holding the same values on every rank.
    """
    comm = init()
    if isinstance(x, Tensor):
        comm.allreduce(x.data, op)
        x._bump_version()
        return x
    return comm.allreduce(x, op)


def broadcast(x, root=0):
    """Overwrite ``x`` (Tensor or C-contiguous array, same shape on every rank) with
    ``root``'s values, in place; return it."""
    comm = init()
    if isinstance(x, Tensor):
        comm.bcast(x.data, root)
        x._bump_version()
        return x
    return comm.bcast(x, root)


def broadcast_object(obj, root=0):
    """``root``'s picklable ``obj``, returned on every rank (others pass anything, e.g. None)."""
    return init().bcast_obj(obj, root)


def all_gather_object(obj):
    """A list with every rank's picklable ``obj``, in rank order, on every rank."""
    return init().allgather_obj(obj)


def _install_excepthook(comm):
    previous = sys.excepthook

    def abort_job(kind, value, traceback):
        previous(kind, value, traceback)
        sys.stderr.write(f"autograd_core.distributed: rank {comm.rank} of {comm.size} raised "
                         f"{kind.__name__}; aborting the whole job\n")
        comm.abort(1)

    sys.excepthook = abort_job
