"""Forward mode: ``jvp``, ``linearize``, ``jacfwd``, and ``hvp``.

Built from reverse mode by the double-VJP construction: for ``y = f(x)`` and a
placeholder cotangent ``u``, ``g(u) = J(x)^T u`` is linear in ``u``, so
differentiating ``<g(u), t>`` with respect to ``u`` gives ``J(x) t`` exactly
(to float64 rounding, with no step size).  ``linearize`` keeps that graph, so
each further tangent costs one backward pass and ``f`` is evaluated once.
Every op's backward is itself differentiable, which is what makes this exact
and lets forward mode compose with reverse mode (``jvp`` of ``grad``, ``grad``
of ``jvp``).
"""

from __future__ import annotations

from ..engine import grad_of
from ..tensor import Tensor
from ._common import Prepared, as_tensor_like, detach_tree, tracing, zeros_like
from .pytree import tree_flatten, tree_unflatten

__all__ = ["jvp", "linearize", "jacfwd", "hvp"]


def _primals_tuple(primals, name):
    if not isinstance(primals, (tuple, list)):
        raise TypeError(f"{name}: primals must be a tuple or list of arguments (one per "
                        f"positional argument of f), got {type(primals).__name__}")
    return tuple(primals)


def _tangent_leaves(prepared, tangents, name):
    """The tangents, checked against the primals' structure and shapes, flat as Tensors."""
    tangents = _primals_tuple(tangents, name)
    leaves, treedef = tree_flatten(tangents)
    expected = tree_flatten(prepared.structure(prepared.wrt))[1]
    if treedef != expected:
        raise ValueError(f"{name}: the tangents have structure {treedef}, but the primals "
                         f"have {expected}")
    return [as_tensor_like(t, w, name, f"tangent {i}")
            for i, (t, w) in enumerate(zip(leaves, prepared.wrt))]


class _Linearized:
    """``f`` evaluated once at the primals, with the graph of ``J^T u`` kept for tangents."""

    def __init__(self, f, primals, name):
        self.name = name
        self.prepared = Prepared(primals, tuple(range(len(primals))), name)
        with tracing():
            out = f(*self.prepared.args)
        self.out = out
        self.out_leaves, self.out_def = tree_flatten(out)
        live = [(i, o) for i, o in enumerate(self.out_leaves)
                if isinstance(o, Tensor) and o.requires_grad]
        self.live_index = [i for i, _ in live]
        self.placeholders = [zeros_like(o).requires_grad_(True) for _, o in live]
        self.pullback = []
        if live:
            # J^T u, recorded: differentiating it with respect to u gives J t
            self.pullback = list(grad_of([o for _, o in live], self.prepared.wrt,
                                         grad_outputs=self.placeholders, create_graph=True))

    def tangent_leaves(self, tangents):
        return _tangent_leaves(self.prepared, tangents, self.name)

    def push(self, tangent_leaves):
        """``J t`` for flat tangents, as the output's structure."""
        pairs = [(g, t) for g, t in zip(self.pullback, tangent_leaves) if g.requires_grad]
        outputs = [zeros_like(o) if isinstance(o, Tensor) else zeros_like(Tensor(o))
                   for o in self.out_leaves]
        if pairs:
            create = self.prepared.nested or any(t.requires_grad for _, t in pairs)
            pushed = grad_of([g for g, _ in pairs], self.placeholders,
                             grad_outputs=[t for _, t in pairs], retain_graph=True,
                             create_graph=create)
            for i, p in zip(self.live_index, pushed):
                outputs[i] = p
        return tree_unflatten(self.out_def, outputs)

    def value(self):
        return self.out if self.prepared.nested else detach_tree(self.out)


def jvp(f, primals, tangents):
    """Jacobian-vector product: ``(f(*primals), J(primals) @ tangents)``.

    Parameters
    ----------
    f : callable
        Takes ``len(primals)`` positional arguments (pytrees of arrays/Tensors) and
        returns a pytree of Tensors.
    primals : tuple
        The point, one entry per positional argument of ``f``.
    tangents : tuple
        The direction: same structure and shapes as ``primals``.

    Returns
    -------
    (outputs, tangent_outputs), both with the structure of ``f``'s output.
    """
    lin = _Linearized(f, _primals_tuple(primals, "jvp"), "jvp")
    return lin.value(), lin.push(lin.tangent_leaves(tangents))


def linearize(f, *primals):
    """Return ``(f(*primals), f_jvp)`` where ``f_jvp(*tangents) = J(primals) @ tangents``.

    ``f`` runs once; each ``f_jvp`` call is one backward pass through the kept graph.
    """
    lin = _Linearized(f, primals, "linearize")

    def f_jvp(*tangents):
        return lin.push(lin.tangent_leaves(tangents))

    return lin.value(), f_jvp


def jacfwd(f, argnums=0):
    """Return ``j(*args)``: the Jacobian of ``f``, one forward (JVP) pass per input element.

    Same result and layout as :func:`~autograd_core.functional.jacrev` (block shape
    ``out_leaf.shape + arg_leaf.shape``); best when inputs are few and outputs many.
    """
    from ..ops import reshape, stack  # noqa: PLC0415 - ops import this package's Tensor

    def jacfwd_f(*args, **kwargs):
        probe = Prepared(args, argnums, "jacfwd")  # validates argnums; the leaves to vary
        nums = probe.nums

        def restricted(*chosen):
            full = list(args)
            for i, value in zip(nums, chosen):
                full[i] = value
            return f(*full, **kwargs)

        lin = _Linearized(restricted, [args[i] for i in nums], "jacfwd")
        wrt = lin.prepared.wrt
        out_leaves = [o if isinstance(o, Tensor) else Tensor(o) for o in lin.out_leaves]
        blocks = [[None] * len(wrt) for _ in out_leaves]
        for j, w in enumerate(wrt):
            columns = [[] for _ in out_leaves]
            for k in range(w.size):
                basis = [zeros_like(v) for v in wrt]
                seed = w.xp.zeros(w.size, dtype=w.dtype)
                seed[k] = 1
                basis[j] = Tensor._new(seed.reshape(w.shape))
                for o, col in enumerate(tree_flatten(lin.push(basis))[0]):
                    columns[o].append(col)
            for o, out in enumerate(out_leaves):
                if w.size == 0 or out.size == 0:
                    block = Tensor._new(w.xp.zeros(out.shape + w.shape, dtype=out.dtype))
                else:
                    block = reshape(stack(columns[o], axis=-1), out.shape + w.shape)
                blocks[o][j] = block
        structured = []
        for row in blocks:
            grouped = lin.prepared.structure(row)
            structured.append(grouped[0] if probe.single else grouped)
        return tree_unflatten(lin.out_def, structured)

    jacfwd_f.__name__ = f"jacfwd_{getattr(f, '__name__', 'f')}"
    return jacfwd_f


def hvp(f, primals, tangents):
    """Hessian-vector product of scalar ``f`` at ``primals`` along ``tangents``.

    ``H t`` without forming ``H``: one backward pass that records the gradient,
    then one through ``<grad f, t>`` (reverse over reverse).  With one primal the
    result has its structure; with several, a tuple with one entry per primal
    (the Hessian over all of them).
    """
    from ..ops import sum as total  # noqa: PLC0415

    primals = _primals_tuple(primals, "hvp")
    prepared = Prepared(primals, tuple(range(len(primals))), "hvp")
    with tracing():
        out = f(*prepared.args)
    if not isinstance(out, Tensor) or out.size != 1:
        raise TypeError("hvp: the function must return a one-element Tensor, got "
                        f"{getattr(out, 'shape', type(out).__name__)}")
    t_leaves = _tangent_leaves(prepared, tangents, "hvp")
    wrt = prepared.wrt
    if not out.requires_grad:
        result = [zeros_like(w) for w in wrt]
    else:
        grads = grad_of(out, wrt, create_graph=True)
        terms = [total(g * t) for g, t in zip(grads, t_leaves) if g.requires_grad]
        if not terms:
            result = [zeros_like(w) for w in wrt]
        else:
            inner = terms[0]
            for term in terms[1:]:
                inner = inner + term
            create = prepared.nested or any(t.requires_grad for t in t_leaves)
            result = list(grad_of(inner, wrt, create_graph=create))
    grouped = prepared.structure(result)
    return grouped[0] if len(primals) == 1 else grouped
