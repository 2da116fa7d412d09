"""The reverse pass: one walk over the graph in reverse topological order.

The graph's vertices are op nodes (:class:`~autograd_core.function.Function`
instances) and the leaf tensors that require grad.  Each node's ``parents``
holds, per input, the input's node, the input itself when it is a leaf, or
``None`` when no gradient is needed.  Edges point at nodes rather than tensors,
so rebinding a tensor's history (``x[i] = v``) never changes what an earlier op
differentiates through.

The engine does the work common to every op: ordering, summing gradients that
meet at a node, summing broadcast gradients back to each input's shape, casting
them to the input's dtype, hooks, ``retain_grad``, anomaly checks and freeing
the graph.
"""

from __future__ import annotations

import numpy

from . import backend, grad_mode
from .backend import array_module
from .function import ShapeError, _as_array
from .tensor import IN_PLACE_WRITES as writes
from .tensor import POST_ACCUMULATE_GRAD_HOOKS as post_hooks
from .tensor import Tensor

_ndarray = numpy.ndarray

__all__ = ["backward", "grad_of"]


def _consumer_counts(roots):
    """For every node reachable from ``roots``, how many edges in the graph lead into it.

    A node is ready for its backward once that many gradients have arrived
    (Kahn's algorithm), which yields a reverse topological order without recursion.
    """
    counts = dict.fromkeys(roots, 0)
    stack = list(counts)
    while stack:
        node = stack.pop()
        parents = node.parents
        if parents is None:
            raise RuntimeError(
                f"trying to run backward through the graph a second time (through '{node.name}'): "
                "its saved values were freed by the first backward(). Pass retain_graph=True "
                "to the first backward() if you need to go through the graph more than once."
            )
        for parent in parents:
            if parent is None or isinstance(parent, Tensor):
                continue
            count = counts.get(parent)
            if count is None:
                counts[parent] = 1
                stack.append(parent)
            else:
                counts[parent] = count + 1
    return counts


def _root_gradient(root: Tensor, gradient):
    if gradient is None:
        data = root.data
        if data.size == 1:
            return Tensor._new(array_module(data).ones(data.shape, dtype=data.dtype))
        raise RuntimeError(
            f"backward(): the tensor has shape {root.shape}, so its gradient cannot be "
            "implicitly 1; reduce it to a scalar first (e.g. loss.sum() or loss.mean()) "
            "or pass gradient= a tensor of the same shape"
        )
    if not isinstance(gradient, Tensor):
        gradient = Tensor(gradient, dtype=root.dtype, device=root.device)
    if gradient.shape != root.shape:
        raise RuntimeError(
            f"backward(): gradient has shape {gradient.shape} but the tensor has shape "
            f"{root.shape}; they must match"
        )
    if gradient.device != root.device:
        raise RuntimeError(
            f"backward(): gradient is on {gradient.device} but the tensor is on {root.device}"
        )
    if gradient.dtype != root.dtype:
        gradient = gradient.astype(root.dtype)
    # copy so that leaves never alias the caller's array
    return gradient if gradient._rg else Tensor._new(gradient.data.copy())


def _fit_to_input(grad, inp, source, index=0):
    """Sum a broadcast gradient back to ``inp``'s shape and cast it to ``inp``'s dtype.

    ``grad`` is a Tensor, or an array in array mode; only ``inp``'s shape and dtype
    are read (a Tensor or an array).  ``source`` is the node whose backward gave
    ``grad`` for its input ``index``, or a text naming where else it came from (used
    only in the error).
    """
    if grad.shape != inp.shape:
        from .ops.shape import sum_to  # noqa: PLC0415 - ops import the engine's Tensor

        try:
            grad = sum_to(grad, inp.shape)
        except ValueError as err:
            who = source if isinstance(source, str) else f"backward of '{source.name}'"
            raise ShapeError(
                f"{who} returned a gradient of shape {grad.shape} for its input {index} of "
                f"shape {inp.shape}; a gradient must have its input's shape (or a broadcast "
                "of it, which is summed back)"
            ) from err
    if grad.dtype != inp.dtype:
        grad = grad.astype(inp.dtype)
    return grad


def _check_finite(node, index, grad):
    xp = array_module(grad)
    if grad.dtype.kind == "f" and bool(xp.isnan(grad).any()):
        where = "".join(node.trace[-3:]) if node.trace else "  (created outside detect_anomaly)\n"
        raise FloatingPointError(
            f"detect_anomaly: backward of '{node.name}' produced NaN in the gradient of its "
            f"input {index} (shape {grad.shape}). The op was created at:\n{where}"
        )


def _run_hooks(hooks, grad, array_mode):
    """Call tensor hooks with a Tensor; return the (possibly replaced) gradient."""
    wrapped = Tensor._new(grad) if array_mode else grad
    for hook in hooks:
        replaced = hook(wrapped)
        if replaced is not None:
            replaced = replaced if isinstance(replaced, Tensor) else Tensor(replaced)
            if replaced.shape != wrapped.shape or replaced.dtype != wrapped.dtype:
                name = getattr(hook, "__qualname__", repr(hook))
                raise RuntimeError(
                    f"hook {name} returned a gradient of shape {replaced.shape}, dtype "
                    f"{replaced.dtype} for a tensor whose gradient has shape {wrapped.shape}, "
                    f"dtype {wrapped.dtype}; a hook must return None or a gradient of the "
                    "same shape and dtype")
            wrapped = replaced
    return wrapped.data if array_mode else wrapped


def _leaf_edge_counts(counts):
    """For each leaf with a post-accumulate-grad hook, how many graph edges lead into it."""
    pending = {}
    for node in counts:
        for parent in node.parents:
            if isinstance(parent, Tensor) and id(parent) in post_hooks:
                pending[id(parent)] = pending.get(id(parent), 0) + 1
    return pending


def _accumulate_leaf(leaf, grad, array_mode, handed_out, create_graph):
    """Run ``leaf``'s hooks, add ``grad`` into ``leaf.grad``, then its post-accumulate hooks."""
    if backend.tracing is not None:  # ag.compile: this leaf's gradient is part of the step
        backend.tracing.leaf_grad(leaf)
    if leaf._hooks:
        grad = _run_hooks(leaf._hooks, grad, array_mode)
    if array_mode:
        # a gradient array may be shared (add passes its gradient to both inputs,
        # reshape returns a view): give each leaf its own so in-place updates of
        # one .grad never change another
        if id(grad) in handed_out or grad.base is not None:
            grad = grad.copy()
        handed_out.add(id(grad))
        grad = Tensor._new(grad)
    leaf.grad = grad if leaf.grad is None else leaf.grad + grad
    hooks = post_hooks.get(id(leaf))
    if hooks:
        mode = grad_mode.state
        saved = mode.array_mode, mode.grad_enabled
        mode.array_mode, mode.grad_enabled = False, create_graph
        try:
            for hook in list(hooks):
                hook(leaf)
        finally:
            mode.array_mode, mode.grad_enabled = saved


def backward(roots, gradients, retain_graph=False, create_graph=False, inputs=None):
    """Back-propagate from ``roots`` (Tensors) seeded with ``gradients``.

    Without ``inputs``, gradients are accumulated into the ``.grad`` of every leaf
    reached (and of non-leaves that ``retain_grad()``).  With ``inputs`` (a list of
    Tensors), nothing is accumulated: the gradients with respect to ``inputs`` are
    returned instead (``None`` where an input is not reached).

    Unless ``create_graph`` is set, gradients travel as raw arrays ("array mode")
    and are wrapped in Tensors only where the user sees them.
    """
    seeds = []
    for root, gradient in zip(roots, gradients):
        if not root._rg:
            raise RuntimeError(
                f"backward(): the tensor (shape {root.shape}, dtype {root.dtype}) does not require "
                "grad: none of the tensors it was computed from had requires_grad=True, or it was "
                "computed under no_grad(). Create the inputs with requires_grad=True."
            )
        seeds.append((root, _root_gradient(root, gradient)))

    array_mode = not create_graph
    node_grads = {}
    owned = set()  # nodes whose accumulated gradient array nothing else holds (array mode)
    leaf_grads = {}
    leaves = {}
    capture = None
    if inputs is not None:
        capture = {}
        for i, t in enumerate(inputs):
            if not t._rg:
                raise RuntimeError(f"grad(): input {i} (shape {t.shape}) does not require grad")
            capture.setdefault(t.node if t.node is not None else id(t), []).append(i)

    for root, grad in seeds:
        grad = grad.data if array_mode else grad
        table, key = (leaf_grads, id(root)) if root.node is None else (node_grads, root.node)
        if root.node is None:
            leaves[key] = root
        previous = table.get(key)
        table[key] = grad if previous is None else previous + grad

    counts = _consumer_counts([root.node for root, _ in seeds if root.node is not None])
    ready = [node for node, count in counts.items() if count == 0]
    mode = grad_mode.state  # this thread's: a backward never changes another thread's mode
    # leaves with post-accumulate-grad hooks get their .grad as soon as their last edge is done
    pending = _leaf_edge_counts(counts) if post_hooks and capture is None else None
    handed_out = set()

    def leaf_edge_done(leaf):
        key = id(leaf)
        left = pending.get(key)
        if left is not None:
            pending[key] = left - 1
            if left == 1 and key in leaf_grads:
                _accumulate_leaf(leaf, leaf_grads.pop(key), array_mode, handed_out, create_graph)

    anomaly = mode.anomaly_enabled
    captured = [None] * (len(inputs) if inputs is not None else 0)
    saved_modes = mode.array_mode, mode.grad_enabled
    mode.array_mode, mode.grad_enabled = array_mode, create_graph
    try:
        while ready:
            node = ready.pop()
            grad = node_grads.pop(node, None)
            if grad is None:  # no gradient reached this node: only release its parents
                for parent in node.parents:
                    if parent is not None and not isinstance(parent, Tensor):
                        counts[parent] -= 1
                        if counts[parent] == 0:
                            ready.append(parent)
                    elif pending and parent is not None:
                        leaf_edge_done(parent)
                continue
            grad_owned = node in owned
            if grad_owned:
                owned.discard(node)
            if node.pre_hooks:
                grad = _run_hooks(node.pre_hooks, grad, array_mode)
                grad_owned = False  # a hook may have kept it
            if capture is not None:
                for i in capture.get(node, ()):
                    captured[i] = grad
                    grad_owned = False
            elif node.retained is not None:
                grad_owned = False
                owner = node.retained()
                if owner is not None:
                    g = _as_tensor(grad, array_mode)
                    owner.grad = g if owner.grad is None else owner.grad + g
            node.owns_grad = grad_owned
            out = node.out_data
            if out is not None:
                if node.out_version[0]:
                    node.check_versions()
                if not array_mode:
                    out = Tensor._new(out)
                    out.node, out._rg = node, True
            if node.saved_versions is not None and node.saved_writes != writes[0]:
                node.check_versions()
            parents = node.parents
            if array_mode or node.saved_counters is None:  # Function.run_backward, inlined
                input_grads = node.backward(grad, out)
                if input_grads.__class__ is not tuple or len(input_grads) != len(parents):
                    input_grads = node._gradient_tuple(input_grads)
            else:
                input_grads = node.run_backward(grad, out, array_mode)
            inputs_of_node = node.inputs  # arrays: their shapes and dtypes fit the gradients
            # which returned arrays the next op may overwrite: new ones from an op that
            # promises so, or the owned incoming array handed on by a one-input op
            fresh = array_mode and node.fresh_gradients
            handed_on = grad_owned and len(parents) == 1
            for index, parent in enumerate(parents):
                if parent is None:
                    continue
                g = input_grads[index]
                g_owned = False
                if g is not None:
                    if array_mode:
                        if g.__class__ is not _ndarray:
                            g = g.data if isinstance(g, Tensor) else _as_array(g)
                        g_owned = (fresh and g.base is None) or (handed_on and g is grad)
                    elif not isinstance(g, Tensor):
                        g = Tensor._new(_as_array(g))
                    inp = inputs_of_node[index]
                    if g.shape != inp.shape or g.dtype != inp.dtype:
                        g = _fit_to_input(g, inp, node, index)
                        g_owned = False
                    if anomaly:
                        _check_finite(node, index, g.data if isinstance(g, Tensor) else g)
                if isinstance(parent, Tensor):
                    if g is not None:
                        key = id(parent)
                        leaves[key] = parent
                        previous = leaf_grads.get(key)
                        leaf_grads[key] = g if previous is None else _sum(previous, g)
                    if pending:
                        leaf_edge_done(parent)
                    continue
                if g is not None:
                    previous = node_grads.get(parent)
                    if previous is None:
                        node_grads[parent] = g
                        if g_owned:
                            owned.add(parent)
                    else:
                        node_grads[parent] = _sum(previous, g)
                        owned.add(parent)  # the sum is a new array
                remaining = counts[parent] - 1
                counts[parent] = remaining
                if remaining == 0:
                    ready.append(parent)
            if not retain_graph:
                node.parents = None
                node.inputs = node.saved_counters = None
                node.out_data = None
                node.saved_versions = None
                for attribute in node.saved_attributes:
                    setattr(node, attribute, None)

        for key, grad in list(leaf_grads.items()):
            leaf = leaves[key]
            if capture is None:
                _accumulate_leaf(leaf, grad, array_mode, handed_out, create_graph)
                continue
            if leaf._hooks:
                grad = _run_hooks(leaf._hooks, grad, array_mode)
            for i in capture.get(key, ()):
                captured[i] = grad
    finally:
        mode.array_mode, mode.grad_enabled = saved_modes
    if inputs is None:
        return None
    return [None if g is None else _as_tensor(g, array_mode) for g in captured]


def _sum(a, b):
    """``a + b`` for two gradients; keeps 0-d NumPy results arrays (NumPy returns scalars)."""
    total = a + b
    return numpy.asarray(total) if isinstance(total, numpy.generic) else total


def _as_tensor(grad, array_mode):
    return Tensor._new(grad) if array_mode else grad


def grad_of(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False):
    """Gradients of ``outputs`` with respect to ``inputs``, without touching any ``.grad``.

    PyTorch's ``torch.autograd.grad``.  Inputs the outputs do not depend on get a
    zero gradient.

    Parameters
    ----------
    outputs : Tensor or sequence of Tensor
    inputs : Tensor or sequence of Tensor
    grad_outputs : sequence, optional
        Seeds for non-scalar outputs (``None`` entries mean 1 for scalars).
    retain_graph : bool, optional
        Defaults to ``create_graph``.
    create_graph : bool
        Record the gradient computation, for higher derivatives.

    Returns
    -------
    tuple of Tensor, one per input, shaped like that input.
    """
    outputs = [outputs] if isinstance(outputs, Tensor) else list(outputs)
    single = isinstance(inputs, Tensor)
    inputs = [inputs] if single else list(inputs)
    if grad_outputs is None:
        grad_outputs = [None] * len(outputs)
    elif isinstance(grad_outputs, Tensor):
        grad_outputs = [grad_outputs]
    if retain_graph is None:
        retain_graph = create_graph
    grads = backward(outputs, grad_outputs, retain_graph=retain_graph,
                     create_graph=create_graph, inputs=inputs)
    result = []
    for index, (t, g) in enumerate(zip(inputs, grads)):
        if g is None:
            g = Tensor._new(t.xp.zeros(t.shape, dtype=t.dtype))
        elif g.shape != t.shape:  # never by the engine's own rules: an internal error
            g = _fit_to_input(g, t, "grad(): the engine (an internal error, please report it)",
                              index)
        result.append(g)
    return tuple(result)
