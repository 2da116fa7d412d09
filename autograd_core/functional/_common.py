"""What every transform shares: turning pytree arguments into differentiable leaves,
and knowing whether an outer transform will differentiate the result again."""

from __future__ import annotations

import threading
from contextlib import contextmanager

from .. import dtypes
from ..grad_mode import enable_grad
from ..tensor import Tensor
from .pytree import tree_flatten, tree_unflatten

_state = threading.local()


@contextmanager
def tracing():
    """Run a transformed function: ops record (even under ``no_grad``), and transforms
    called inside know an outer one is active, so they keep their results' graphs."""
    _state.depth = getattr(_state, "depth", 0) + 1
    try:
        with enable_grad():
            yield
    finally:
        _state.depth -= 1


def inside_transform() -> bool:
    """True while an enclosing transform is running its function (on this thread)."""
    return getattr(_state, "depth", 0) > 0


def as_input(leaf, repeated):
    """A tensor to differentiate with respect to, and whether it belongs to an outer graph.

    A Tensor that already requires grad is used as is, so an outer pass sees through;
    one that occurs more than once (``repeated`` holds their ids) gets a node per
    occurrence, since pytree leaves are independent variables.  Anything else becomes
    a fresh float leaf.
    """
    if isinstance(leaf, Tensor) and leaf.requires_grad:
        if id(leaf) in repeated:
            with enable_grad():
                return leaf * 1, True
        return leaf, True
    t = Tensor(leaf.data if isinstance(leaf, Tensor) else leaf)
    if not dtypes.is_differentiable_dtype(t.dtype):
        t = t.astype(dtypes.get_default_dtype())
    return t.requires_grad_(True), False


class Prepared:
    """Arguments with the differentiated ones replaced by leaves that require grad.

    ``wrt``: those leaves, flat; ``treedefs``: the structure of each differentiated
    argument; ``nested``: whether results must keep their graph for an outer pass.
    """

    def __init__(self, args, argnums, name):
        self.single = isinstance(argnums, int)
        nums = (argnums,) if self.single else tuple(argnums)
        args = list(args)
        for i in nums:
            if not isinstance(i, int) or not -len(args) <= i < len(args):
                raise TypeError(f"{name}: argnums={argnums!r} but the function got "
                                f"{len(args)} positional argument(s)")
        self.nums = tuple(i % len(args) for i in nums)
        self.wrt, self.treedefs, self.sizes = [], [], []
        nested = inside_transform()
        flat = [tree_flatten(args[i]) for i in self.nums]
        counts = {}
        for leaves, _ in flat:
            for leaf in leaves:
                if isinstance(leaf, Tensor) and leaf.requires_grad:
                    counts[id(leaf)] = counts.get(id(leaf), 0) + 1
        repeated = {key for key, count in counts.items() if count > 1}
        for i, (leaves, treedef) in zip(self.nums, flat):
            converted = []
            for leaf in leaves:
                t, outer = as_input(leaf, repeated)
                converted.append(t)
                nested = nested or outer
            args[i] = tree_unflatten(treedef, converted)
            self.wrt.extend(converted)
            self.treedefs.append(treedef)
            self.sizes.append(len(converted))
        self.args = args
        self.nested = nested

    def structure(self, flat):
        """Regroup one value per ``wrt`` leaf into the arguments' structures."""
        out, start = [], 0
        for treedef, size in zip(self.treedefs, self.sizes):
            out.append(tree_unflatten(treedef, flat[start:start + size]))
            start += size
        return out[0] if self.single else tuple(out)


def as_tensor_like(value, like: Tensor, name: str, what: str) -> Tensor:
    """``value`` as a Tensor with ``like``'s shape, dtype and device (a seed or tangent)."""
    if not isinstance(value, Tensor):
        value = Tensor(value, dtype=like.dtype, device=like.device)
    if value.shape != like.shape:
        raise ValueError(f"{name}: {what} has shape {value.shape} but must have shape "
                         f"{like.shape}, that of the value it pairs with")
    if value.dtype != like.dtype:
        value = value.astype(like.dtype)
    return value


def detach_tree(tree):
    """``tree`` with every Tensor leaf detached (aux outputs, values of unnested passes)."""
    leaves, treedef = tree_flatten(tree)
    return tree_unflatten(treedef, [x.detach() if isinstance(x, Tensor) else x for x in leaves])


def zeros_like(t: Tensor) -> Tensor:
    return Tensor._new(t.xp.zeros(t.shape, dtype=t.dtype))
