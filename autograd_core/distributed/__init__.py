"""Data-parallel training across processes and machines over MPI.

Start one process per rank with an MPI launcher and use the same script as for
one process::

    mpiexec -n 4 python -m mpi4py train.py

>>> from autograd_core import distributed as dist
>>> dist.init()                       # a world of one without mpiexec
SelfCommunicator(rank=0, size=1)
>>> dist.get_rank(), dist.get_world_size()
(0, 1)

The communicator (``dist.get_communicator()``) is the only object that talks to
MPI (``mpi4py``); ``nn``, ``optim`` and the engine never import it.
"""

from .communicator import (REDUCE_OPS, Communicator, MPICommunicator, SelfCommunicator,
                           launched_by_mpi)
from .optimizer import DistributedOptimizer, is_distributed_optimizer
from .parameters import broadcast_optimizer_state, broadcast_parameters
from .world import (all_gather_object, all_reduce, barrier, broadcast, broadcast_object,
                    get_communicator, get_local_rank, get_rank, get_world_size, init,
                    is_initialized)

__all__ = [
    "init", "is_initialized", "get_communicator", "get_rank", "get_world_size",
    "get_local_rank", "barrier", "all_reduce", "broadcast", "broadcast_object",
    "all_gather_object", "broadcast_parameters", "broadcast_optimizer_state",
    "DistributedOptimizer", "is_distributed_optimizer",
    "Communicator", "MPICommunicator", "SelfCommunicator", "launched_by_mpi", "REDUCE_OPS",
]
