"""User-defined derivatives: ``custom_vjp`` (JAX's ``f.defvjp(fwd, bwd)``).

The other route, a :class:`~autograd_core.Function` subclass with ``forward`` on
arrays and ``backward`` on Tensors, is described in ``function.py``; both leave
one graph node named after the user's op, and the engine checks what its
backward returns (one gradient per input, each of the input's shape).
"""

from __future__ import annotations

import functools
import threading

from . import grad_mode
from ._multi_output import MultiOutput, attach_outputs, token_like
from .backend import array_module
from .function import Function
from .functional.pytree import tree_flatten, tree_unflatten
from .tensor import Tensor

__all__ = ["custom_vjp"]


class custom_vjp:
    """Give a function its own reverse-mode derivative.

    ::

        @ag.custom_vjp
        def f(x, y):                 # the primal: any code on Tensors
            return ag.sin(x) * y

        def f_fwd(x, y):             # returns (output, residuals for bwd)
            return f(x, y), (ag.cos(x), ag.sin(x), y)

        def f_bwd(residuals, g):     # one gradient per argument of f (None: zero)
            cos_x, sin_x, y = residuals
            return (cos_x * g * y, sin_x * g)

        f.defvjp(f_fwd, f_bwd)

    ``f`` returns one Tensor, or a pytree of them (a tuple, list, dict...; leaves
    that are not floating Tensors pass through): ``g`` then has the output's
    structure, one cotangent per floating output, zeros (of the output's shape) for
    one that got no gradient, as in JAX, and ``None`` for the other leaves.  Its arguments may be pytrees; ``bwd`` then returns,
    per argument, a pytree of the same structure (or ``None``).  Inside ``fwd``,
    calling ``f`` runs the primal.  ``fwd`` runs with the graph recorded, so
    residuals computed from the inputs keep their dependence on them and ``bwd``
    written with autograd_core ops (or NumPy functions on Tensors) is itself
    differentiable: second derivatives (``gradgradcheck``) work.  ``bwd`` receives
    Tensors.  A ``bwd`` that returns the wrong number of gradients, a wrong
    structure or a wrong shape raises an error naming ``f``.
    """

    def __init__(self, fun):
        functools.update_wrapper(self, fun)
        self.fun = fun
        self.fwd = self.bwd = None
        self._local = threading.local()

    @property
    def name(self) -> str:
        return getattr(self.fun, "__name__", "custom_vjp")

    def defvjp(self, fwd, bwd):
        """Set the forward (``fwd(*args) -> (out, residuals)``) and backward
        (``bwd(residuals, g) -> tuple of gradients``) rules; returns ``self``."""
        self.fwd, self.bwd = fwd, bwd
        return self

    def __call__(self, *args):
        if getattr(self._local, "in_fwd", False):  # fwd calling f: the primal
            return self.fun(*args)
        if self.fwd is None:
            raise TypeError(f"custom_vjp '{self.name}': define its derivative first with "
                            f"{self.name}.defvjp(fwd, bwd)")
        leaves, treedef = tree_flatten(args)
        if not (grad_mode.is_grad_enabled()
                and any(isinstance(x, Tensor) and x.requires_grad for x in leaves)):
            return self.fun(*args)
        self._local.in_fwd = True
        try:
            result = self.fwd(*args)
        finally:
            self._local.in_fwd = False
        if not (isinstance(result, (tuple, list)) and len(result) == 2):
            raise TypeError(f"custom_vjp '{self.name}': fwd must return a pair (output, "
                            f"residuals), got {type(result).__name__}")
        out, residuals = result
        inputs = [x for x in leaves if isinstance(x, Tensor)]
        if isinstance(out, Tensor):
            return _CustomNode(self, args, residuals, out.data)(*inputs)
        out_leaves, out_def = tree_flatten(out)
        if not any(isinstance(y, Tensor) for y in out_leaves):
            raise TypeError(f"custom_vjp '{self.name}': the output must be a Tensor or a "
                            f"pytree of Tensors, got {type(out).__name__} without any")
        # floating outputs get gradients; integer or boolean ones pass through as they are
        slots = [k for k, y in enumerate(out_leaves)
                 if isinstance(y, Tensor) and y.dtype.kind in "fc"]
        if not slots:
            return out
        arrays = [out_leaves[k].data for k in slots]
        node = _CustomNode(self, args, residuals, token_like(arrays[0]),
                           outputs=(out_def, slots, [(a.shape, a.dtype) for a in arrays]))
        results = list(out_leaves)
        for k, y in zip(slots, attach_outputs(node, node(*inputs), arrays)):
            results[k] = y
        return tree_unflatten(out_def, results)


class _CustomNode(MultiOutput, Function):
    """The graph node of one call of a ``custom_vjp`` function (several outputs: on a
    token, ``_multi_output``; ``outputs`` is their structure, slots, shapes and dtypes)."""

    saved_attributes = ("residuals",)

    def __init__(self, owner, args, residuals, out, outputs=None):
        self.owner, self.residuals, self.out = owner, residuals, out
        self.outputs = outputs
        self.name = owner.name
        self.arg_structures = [tree_flatten(a) for a in args]

    def forward(self, *arrays):
        out, self.out = self.out, None
        return out

    def backward(self, grad, out):
        owner = self.owner
        name = owner.name
        g = self._cotangent(grad)
        if g is None:  # no output got a gradient
            return (None,) * len(self.parents)
        result = owner.bwd(self.residuals, g)
        if not isinstance(result, (tuple, list)):
            result = (result,) if len(self.arg_structures) == 1 else result
        if not isinstance(result, (tuple, list)) or len(result) != len(self.arg_structures):
            got = len(result) if isinstance(result, (tuple, list)) else type(result).__name__
            raise TypeError(f"custom_vjp '{name}': bwd returned {got} gradient(s) for "
                            f"{len(self.arg_structures)} argument(s); return a tuple with one "
                            "entry per argument (None for no gradient)")
        grads = []
        for i, ((leaves, treedef), cotangent) in enumerate(zip(self.arg_structures, result)):
            if cotangent is None:
                grads.extend(None for x in leaves if isinstance(x, Tensor))
                continue
            c_leaves, c_def = tree_flatten(cotangent)
            if c_def != treedef:
                raise TypeError(f"custom_vjp '{name}': bwd's gradient for argument {i} has "
                                f"structure {c_def}, but the argument has {treedef}")
            for x, c in zip(leaves, c_leaves):
                if not isinstance(x, Tensor):
                    continue
                if c is not None and tuple(c.shape) != x.shape:
                    raise ValueError(f"custom_vjp '{name}': bwd's gradient for argument {i} "
                                     f"has shape {tuple(c.shape)}, but the argument has shape "
                                     f"{x.shape}")
                grads.append(c)
        return tuple(grads)

    def _cotangent(self, grad):
        """``bwd``'s ``g``: the gradient, or the outputs' pytree of them (zeros where
        none arrived; ``None`` for leaves that are not Tensors)."""
        if self.outputs is None:
            return grad if isinstance(grad, Tensor) else Tensor._new(grad)
        out_def, slots, metas = self.outputs
        posted, arrived = self.take_cotangents(len(slots))
        if not arrived:
            return None
        xp = array_module(grad.data if isinstance(grad, Tensor) else grad)
        leaves = [None] * out_def.num_leaves
        for k, c, (shape, dtype) in zip(slots, posted, metas):
            if c is None:
                c = xp.zeros(shape, dtype=dtype)
            leaves[k] = c if isinstance(c, Tensor) else Tensor._new(c)
        return tree_unflatten(out_def, leaves)
