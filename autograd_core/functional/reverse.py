"""Reverse mode: ``grad``, ``value_and_grad``, ``vjp``, ``jacrev`` (``jacobian``), ``hessian``.

All are small compositions of one backward pass (:func:`~autograd_core.grad_of`)
over pytrees of arguments.  They nest (``grad(grad(f))``): a transform running
inside another keeps its results' graph so the outer one can differentiate them.
"""

from __future__ import annotations

from ..engine import grad_of
from ..tensor import Tensor
from ._common import Prepared, as_tensor_like, detach_tree, tracing, zeros_like
from .pytree import tree_flatten, tree_unflatten

__all__ = ["grad", "value_and_grad", "vjp", "jacrev", "jacobian", "hessian"]


def _name(f) -> str:
    return getattr(f, "__name__", "f")


def _scalar(out, name):
    if not isinstance(out, Tensor) or out.size != 1:
        shape = out.shape if isinstance(out, Tensor) else type(out).__name__
        raise TypeError(f"{name}: the function must return a one-element Tensor, got {shape}; "
                        "use jacrev(), jacfwd() or vjp() for non-scalar outputs")
    return out


def _split_aux(result, name):
    if not (isinstance(result, (tuple, list)) and len(result) == 2):
        raise TypeError(f"{name}(has_aux=True): the function must return a pair (value, aux), "
                        f"got {type(result).__name__}")
    return result[0], result[1]


def _gradients(outputs, seeds, wrt, create_graph, retain_graph):
    """``grad_of`` that tolerates outputs without graph (their gradient is zero)."""
    live = [(o, s) for o, s in zip(outputs, seeds) if isinstance(o, Tensor) and o.requires_grad]
    if not live:
        return [zeros_like(w) for w in wrt]
    return list(grad_of([o for o, _ in live], wrt, grad_outputs=[s for _, s in live],
                        retain_graph=retain_graph, create_graph=create_graph))


def value_and_grad(f, argnums=0, has_aux=False):
    """Return ``g(*args) -> (f(*args), gradient)`` for a scalar-valued ``f``.

    The gradient has the structure of ``args[argnums]`` (a pytree: nested dicts,
    lists, tuples of arrays or Tensors), or is a tuple of them when ``argnums`` is
    a tuple.  With ``has_aux=True``, ``f`` returns ``(value, aux)`` and the result
    is ``((value, aux), gradient)``; ``aux`` is passed through, not differentiated.
    """
    name = "value_and_grad"

    def value_and_grad_f(*args, **kwargs):
        prepared = Prepared(args, argnums, name)
        with tracing():
            result = f(*prepared.args, **kwargs)
        out, aux = _split_aux(result, name) if has_aux else (result, None)
        out = _scalar(out, "grad")
        nested = prepared.nested
        grads = _gradients([out], [None], prepared.wrt, nested, nested)
        value = out if nested else out.detach()
        gradient = prepared.structure(grads)
        if has_aux:
            return (value, aux if nested else detach_tree(aux)), gradient
        return value, gradient

    value_and_grad_f.__name__ = f"value_and_grad_{_name(f)}"
    return value_and_grad_f


def grad(f, argnums=0, has_aux=False):
    """Return the gradient function of a scalar-valued ``f`` (see :func:`value_and_grad`).

    With ``has_aux=True`` it returns ``(gradient, aux)``.

    >>> grad(lambda x: (x ** 3).sum())(tensor([2.0]))
    tensor([12.])
    """
    vg = value_and_grad(f, argnums, has_aux)

    def grad_f(*args, **kwargs):
        value, gradient = vg(*args, **kwargs)
        return (gradient, value[1]) if has_aux else gradient

    grad_f.__name__ = f"grad_{_name(f)}"
    return grad_f


def vjp(f, *primals, has_aux=False):
    """Vector-Jacobian product: return ``(f(*primals), vjp_fn)`` (``(out, vjp_fn, aux)`` with
    ``has_aux``).

    ``vjp_fn(cotangent)`` takes a cotangent with the output's structure and shapes and
    returns a tuple with one gradient per primal (each with that primal's structure):
    the cotangent times the Jacobian of ``f``.  It can be called several times.
    """
    prepared = Prepared(primals, tuple(range(len(primals))), "vjp")
    with tracing():
        result = f(*prepared.args)
    out, aux = _split_aux(result, "vjp") if has_aux else (result, None)
    out_leaves, out_def = tree_flatten(out)

    def vjp_fn(cotangent):
        cot_leaves, cot_def = tree_flatten(cotangent)
        if cot_def != out_def:
            raise ValueError(f"vjp_fn: the cotangent has structure {cot_def}, but the output "
                             f"has {out_def}")
        seeds = [as_tensor_like(c, o, "vjp_fn", f"cotangent {i}") if isinstance(o, Tensor)
                 else None for i, (o, c) in enumerate(zip(out_leaves, cot_leaves))]
        create = prepared.nested or any(s is not None and s.requires_grad for s in seeds)
        grads = _gradients(out_leaves, seeds, prepared.wrt, create, True)
        return prepared.structure(grads)

    value = out if prepared.nested else detach_tree(out)
    if has_aux:
        return value, vjp_fn, aux if prepared.nested else detach_tree(aux)
    return value, vjp_fn


def jacrev(f, argnums=0):
    """Return ``j(*args)``: the Jacobian of ``f``, one backward pass per output element.

    For an output leaf of shape ``S`` and an argument leaf of shape ``A`` the block
    has shape ``S + A``.  The result has the output's structure with each output
    leaf replaced by the structure of ``args[argnums]`` (a tuple of them when
    ``argnums`` is a tuple), as in JAX.  Best when outputs are few and inputs many.
    """

    def jacrev_f(*args, **kwargs):
        prepared = Prepared(args, argnums, "jacrev")
        with tracing():
            out = f(*prepared.args, **kwargs)
        out_leaves, out_def = tree_flatten(out)
        blocks = [_jacobian_rows(o, prepared) for o in out_leaves]
        return tree_unflatten(out_def, [prepared.structure(b) for b in blocks])

    jacrev_f.__name__ = f"jacrev_{_name(f)}"
    return jacrev_f


jacobian = jacrev


def _jacobian_rows(out, prepared):
    """The blocks ``d out / d w`` for every ``w`` in ``prepared.wrt``, shaped out + w."""
    from ..ops import reshape, stack  # noqa: PLC0415 - ops import this package's Tensor

    if not isinstance(out, Tensor):
        out = Tensor(out)
    wrt, nested = prepared.wrt, prepared.nested
    if out.size == 0 or not out.requires_grad:
        return [Tensor._new(w.xp.zeros(out.shape + w.shape, dtype=w.dtype)) for w in wrt]
    rows = []
    xp = out.xp
    for k in range(out.size):
        seed = xp.zeros(out.size, dtype=out.dtype)
        seed[k] = 1
        rows.append(grad_of(out, wrt, grad_outputs=[Tensor._new(seed.reshape(out.shape))],
                            retain_graph=True, create_graph=nested))
    return [reshape(stack([row[i] for row in rows]), out.shape + w.shape)
            for i, w in enumerate(wrt)]


def hessian(f, argnums=0):
    """Return ``h(*args)``: the Hessian of scalar ``f``, ``jacrev(grad(f))``.

    For an array argument of shape ``A`` it has shape ``A + A``; for a pytree, the
    argument's structure nested in itself (block ``[i][j]`` is ``d2f / dx_i dx_j``).
    """
    h = jacrev(grad(f, argnums), argnums)
    h.__name__ = f"hessian_{_name(f)}"
    return h
