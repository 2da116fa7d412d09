"""Gradient checkpointing: keep a segment's inputs, recompute its inside during backward.

``ag.checkpoint`` is this module, callable as its function :func:`checkpoint`:
``ag.checkpoint(fn, *args)`` and ``autograd_core.checkpoint.checkpoint(fn, *args)`` are
the same call, and ``import autograd_core.checkpoint`` gives the module.

``y = checkpoint(fn, *args)`` returns ``fn(*args)`` as one graph node.  The arrays
the segment's own ops would save for backward are freed right after the forward
pass; backward runs ``fn`` again on the saved inputs (with the random state it
saw the first time) and back-propagates through that recomputation.  Peak
memory of a deep network then grows with the segment inputs instead of every
intermediate, for about one extra forward pass.
"""

from __future__ import annotations

from . import grad_mode
from ._callable_module import make_callable
from ._multi_output import MultiOutput, attach_outputs, token_like
from .engine import grad_of
from .function import Function
from .functional.pytree import tree_flatten, tree_unflatten
from .random import default_generator
from .tensor import Tensor

__all__ = ["checkpoint"]


def checkpoint(fn, *args, preserve_rng_state=True):
    """Run ``fn(*args)`` without keeping its intermediate arrays; recompute them in backward.

    Parameters
    ----------
    fn : callable
        A segment of the forward pass returning a Tensor or a pytree (tuple, list,
        dict...) of them; outputs unused downstream cost nothing in backward, and
        leaves that are not Tensors (or do not require grad) are passed through.  It
        may read tensors it closes over that are leaves (an ``nn.Module``'s
        parameters): they get their gradients as usual.  A tensor computed outside
        ``fn`` that requires grad must be passed in ``args`` (an error says so).
    *args : pytrees of Tensors, arrays or numbers
        The segment's inputs; their values are kept for the recomputation, so they
        must not be modified in place before backward (the version check raises).
    preserve_rng_state : bool
        Replay the global generator's state (``ag.manual_seed``) in the recomputation,
        so dropout draws the same mask.

    Returns
    -------
    ``fn(*args)`` (the same structure), whose gradients equal (bit for bit on CPU)
    those without checkpointing.  The exception: an output that the segment also uses
    itself gets the gradients of its uses after the segment summed first, which the
    engine without checkpoint may add in another order (equal to rounding).  A recorded backward (``create_graph=True``) recomputes on the
    inputs' own graph, so second derivatives are exact too; it does not save memory
    then, and walks the graph above the segment once more.
    """
    if not grad_mode.is_grad_enabled():
        return fn(*args)
    leaves, treedef = tree_flatten(args)
    tensor_slots = [i for i, x in enumerate(leaves) if isinstance(x, Tensor)]
    rng_state = default_generator.get_state() if preserve_rng_state else None
    stand_ins = list(leaves)
    for i in tensor_slots:
        stand_ins[i] = _stand_in(leaves[i])
    created = set()
    state = grad_mode.state
    previous_hook = state.record_hook
    state.record_hook = lambda node: created.add(id(node))
    try:
        out = fn(*tree_unflatten(treedef, stand_ins))
    finally:
        state.record_hook = previous_hook
    out_leaves, out_def = tree_flatten(out)
    differentiable = [k for k, y in enumerate(out_leaves)
                      if isinstance(y, Tensor) and y.requires_grad]
    if not differentiable:
        return out
    stand_in_ids = {id(stand_ins[i]): k for k, i in enumerate(tensor_slots)}
    params = _closed_over_leaves([out_leaves[k] for k in differentiable], created,
                                 stand_in_ids, fn)
    inputs = [leaves[i] for i in tensor_slots]
    if isinstance(out, Tensor):
        node = _Checkpoint(fn, treedef, leaves, tensor_slots, len(params), rng_state, out.data)
        return node(*inputs, *params)
    arrays = [out_leaves[k].data for k in differentiable]
    node = _Checkpoint(fn, treedef, leaves, tensor_slots, len(params), rng_state,
                       token_like(arrays[0]), outputs=(out_def, differentiable))
    results = list(out_leaves)
    for k, y in zip(differentiable, attach_outputs(node, node(*inputs, *params), arrays)):
        results[k] = y
    return tree_unflatten(out_def, results)


def _stand_in(x: Tensor) -> Tensor:
    """A leaf with ``x``'s data (and requires_grad): the segment's graph stops at it."""
    t = Tensor._new(x.data)
    t._rg = x._rg
    return t


def _closed_over_leaves(outs, created, stand_in_ids, fn):
    """The leaves requiring grad that the segment's graph reaches besides its inputs."""
    found = {}
    stack = []
    for y in outs:
        if y.node is not None:
            stack.append(y.node)
        elif id(y) not in stand_in_ids:  # fn returned a closed-over leaf itself
            found.setdefault(id(y), y)
    seen = {id(node) for node in stack}
    while stack:
        node = stack.pop()
        for parent in node.parents:
            if parent is None:
                continue
            if isinstance(parent, Tensor):
                if id(parent) not in stand_in_ids:
                    found.setdefault(id(parent), parent)
                continue
            if id(parent) not in created:
                raise ValueError(
                    f"checkpoint: {getattr(fn, '__name__', 'fn')} uses a tensor computed "
                    f"outside it (by '{parent.name}') that requires grad without receiving it "
                    "as an argument; pass it in checkpoint(fn, *args) instead")
            if id(parent) not in seen:
                seen.add(id(parent))
                stack.append(parent)
    return list(found.values())


class _Checkpoint(MultiOutput, Function):
    """One checkpointed segment: its inputs are the segment's tensors, then its parameters.

    One Tensor output is the node's own; a pytree of them (``outputs``: its structure
    and which leaves require grad) hangs on a token (``_multi_output``)."""

    name = "checkpoint"
    save_inputs = True

    def __init__(self, fn, treedef, leaves, tensor_slots, n_params, rng_state, out,
                 outputs=None):
        self.fn, self.treedef, self.rng_state = fn, treedef, rng_state
        self.outputs = outputs
        self.constants = [None if i in set(tensor_slots) else x for i, x in enumerate(leaves)]
        self.tensor_slots = tensor_slots
        self.n_params = n_params
        self.out = out

    def forward(self, *arrays):
        out, self.out = self.out, None  # computed already; the node keeps no reference
        return out

    def backward(self, grad, out):
        recorded = isinstance(grad, Tensor)
        n_inputs = len(self.tensor_slots)
        grads = [None] * (n_inputs + self.n_params)
        if self.outputs is None:
            cotangents, order = [grad], [0]
        else:
            cotangents, order = self.take_cotangents(len(self.outputs[1]))
            if not order:
                return tuple(grads)
        if recorded:  # create_graph: recompute on the graph's own tensors
            inputs = list(self.inputs[:n_inputs])
        else:
            inputs = [_leaf_like(a, p) for a, p in zip(self.inputs[:n_inputs], self.parents)]
        params = [p for p in self.parents[n_inputs:]]
        leaves = list(self.constants)
        for i, x in zip(self.tensor_slots, inputs):
            leaves[i] = x
        result = self._recompute(leaves)
        roots = self._results(result, cotangents)
        wrt = [(k, x) for k, x in enumerate(inputs + params)
               if isinstance(x, Tensor) and x.requires_grad]
        # the engine starts from the last root: reversed, the recomputation meets the
        # outputs in the order the outer pass did, and so sums in the same order
        seeds = [(roots[j], cotangents[j]) for j in reversed(order) if roots[j].requires_grad]
        if wrt and seeds:
            computed = grad_of([r for r, _ in seeds], [x for _, x in wrt],
                               grad_outputs=[c if recorded else Tensor._new(c)
                                             for _, c in seeds],
                               create_graph=recorded)
            for (k, _), g in zip(wrt, computed):
                grads[k] = g if recorded else g.data
        return tuple(grads)

    def _recompute(self, leaves):
        state = grad_mode.state
        saved_array_mode = state.array_mode
        saved_rng = None
        if self.rng_state is not None:
            saved_rng = default_generator.get_state()
            default_generator.set_state(self.rng_state)
        state.array_mode = False
        try:
            with grad_mode.enable_grad():
                return self.fn(*tree_unflatten(self.treedef, leaves))
        finally:
            state.array_mode = saved_array_mode
            if saved_rng is not None:
                default_generator.set_state(saved_rng)

    def _results(self, result, cotangents):
        """The recomputed outputs that the cotangents belong to, checked against the first run."""
        name = getattr(self.fn, "__name__", "fn")
        if self.outputs is None:
            results = [result]
        else:
            out_def, differentiable = self.outputs
            r_leaves, r_def = tree_flatten(result)
            if r_def != out_def:
                raise RuntimeError(f"checkpoint: recomputing {name} gave the structure "
                                   f"{r_def}, the first run {out_def}; the segment must be "
                                   "deterministic in structure")
            results = [r_leaves[k] for k in differentiable]
        for r, c in zip(results, cotangents):
            if c is not None and (not isinstance(r, Tensor) or r.shape != c.shape):
                raise RuntimeError(f"checkpoint: recomputing {name} gave a different result "
                                   "shape; the segment must be deterministic in shape")
        return results


def _leaf_like(array, parent):
    """A fresh leaf on ``array``: requires grad where the input had a graph parent."""
    t = Tensor._new(array)
    t._rg = parent is not None
    return t


make_callable(__name__, checkpoint)
