"""Make every rank start from root's model and optimizer state."""

from __future__ import annotations

from autograd_core import backend
from autograd_core.tensor import Tensor

from .world import init

__all__ = ["broadcast_parameters", "broadcast_optimizer_state"]


def _named_tensors(model):
    """``[(name, Tensor)]`` for a Module (parameters and buffers), a dict, or a sequence."""
    if hasattr(model, "state_dict") and hasattr(model, "parameters"):
        named = list(model.named_parameters()) + list(model.named_buffers())
    elif isinstance(model, dict):
        named = list(model.items())
    else:
        named = [(str(i), t) for i, t in enumerate(model)]
    for name, t in named:
        if not isinstance(t, Tensor):
            raise TypeError(f"broadcast_parameters: '{name}' is a {type(t).__name__}, not a "
                            "Tensor")
    return named


def _agree(comm, what, description):
    """Raise on every rank if the ranks' ``description`` differ (one allgather)."""
    everyone = comm.allgather_obj(description)
    differing = [r for r, d in enumerate(everyone) if d != everyone[0]]
    if differing:
        diff = _first_difference(everyone[0], everyone[differing[0]], differing[0])
        raise ValueError(f"{what}: ranks {differing} differ from rank 0 ({diff}); every rank "
                         f"must build the same model (this is rank {comm.rank})")


def _first_difference(a, b, rank):
    for (name, shape, dtype), (name_b, shape_b, dtype_b) in zip(a, b):
        if (name, shape, dtype) != (name_b, shape_b, dtype_b):
            return (f"rank 0 has '{name}' of shape {shape} {dtype}, rank {rank} has "
                    f"'{name_b}' of shape {shape_b} {dtype_b}")
    return f"rank 0 has {len(a)} tensors, rank {rank} has {len(b)}"


def broadcast_parameters(model, root=0):
    """Copy ``root``'s parameters and buffers into every rank's ``model``, in place.

    Parameters
    ----------
    model : nn.Module, dict of name -> Tensor, or sequence of Tensor
        A Module contributes its parameters and its buffers (e.g. BatchNorm's
        running statistics).
    root : int

    Raises
    ------
    ValueError
        On every rank, before anything is copied, when the ranks' tensors differ in
        names, shapes or dtypes (so a mismatch never hangs the job).
    """
    comm = init()
    named = _named_tensors(model)
    _agree(comm, "broadcast_parameters",
           [(name, tuple(t.shape), str(t.dtype)) for name, t in named])
    if comm.size == 1:
        return
    # one broadcast per (dtype, device) of the tensors packed end to end
    groups = {}
    for _, t in named:
        groups.setdefault((str(t.dtype), t.device), []).append(t)
    for tensors in groups.values():
        xp = backend.array_module(tensors[0].data)
        flat = xp.concatenate([t.data.reshape(-1) for t in tensors])
        comm.bcast(flat, root)
        offset = 0
        for t in tensors:
            t.data[...] = flat[offset:offset + t.size].reshape(t.shape)
            offset += t.size
            t._bump_version()


def broadcast_optimizer_state(optimizer, root=0):
    """Load ``root``'s optimizer state (hyperparameters, moments, step counts) on every rank.

    Use it after ``nn.load`` + ``optimizer.load_state_dict`` on rank 0 to resume a
    job, or after building the optimizer on every rank.

    Raises
    ------
    ValueError
        On every rank when some rank's optimizer cannot take root's state (a
        different optimizer class or model).
    """
    comm = init()
    state = comm.bcast_obj(optimizer.state_dict() if comm.rank == root else None, root)
    error = None
    if comm.rank != root:
        try:
            optimizer.load_state_dict(state)
        except (ValueError, TypeError) as err:
            error = f"{type(err).__name__}: {err}"
    errors = comm.allgather_obj(error)
    failed = [(r, e) for r, e in enumerate(errors) if e is not None]
    if failed:
        rank, message = failed[0]
        raise ValueError(f"broadcast_optimizer_state: rank {rank} could not load rank "
                         f"{root}'s optimizer state ({message})")
