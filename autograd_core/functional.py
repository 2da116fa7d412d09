"""Function transformations in the style of JAX and HIPS autograd, on the same engine.

``grad(f)`` returns a function computing the gradient of a scalar function;
the transformations nest (``grad(grad(f))``, ``hessian(f)``) because an
input that already requires grad makes the inner pass record its graph.
"""

from __future__ import annotations

from . import dtypes
from .engine import grad_of
from .tensor import Tensor

__all__ = ["grad", "value_and_grad", "vjp", "jacobian", "hessian"]


def _as_input(arg):
    """A tensor to differentiate with respect to, and whether it is nested in an outer pass."""
    if isinstance(arg, Tensor) and arg.requires_grad:
        return arg, True
    t = Tensor(arg.data if isinstance(arg, Tensor) else arg)
    if not dtypes.is_differentiable_dtype(t.dtype):
        t = t.astype(dtypes.get_default_dtype())
    return t.requires_grad_(True), False


def _prepare(args, argnums):
    single = isinstance(argnums, int)
    argnums = (argnums,) if single else tuple(argnums)
    args = list(args)
    nested = False
    for i in argnums:
        if i >= len(args):
            raise TypeError(f"argnums={i} but the function got only {len(args)} arguments")
        args[i], is_nested = _as_input(args[i])
        nested = nested or is_nested
    return args, argnums, single, nested


def _scalar(out, name):
    if not isinstance(out, Tensor) or out.size != 1:
        shape = out.shape if isinstance(out, Tensor) else type(out).__name__
        raise TypeError(f"{name}: the function must return a one-element Tensor, got {shape}; "
                        "use jacobian() or vjp() for non-scalar outputs")
    return out


def value_and_grad(f, argnums=0):
    """Return ``g(*args) -> (f(*args), gradient)`` for a scalar-valued ``f``.

    The gradient is a Tensor shaped like ``args[argnums]``, or a tuple of them when
    ``argnums`` is a tuple.  Arguments may be arrays, numbers or Tensors.
    """

    def value_and_grad_f(*args, **kwargs):
        args, nums, single, nested = _prepare(args, argnums)
        out = _scalar(f(*args, **kwargs), "grad")
        grads = grad_of(out, [args[i] for i in nums], create_graph=nested)
        value = out if nested else out.detach()
        return value, grads[0] if single else grads

    value_and_grad_f.__name__ = f"value_and_grad_{getattr(f, '__name__', 'f')}"
    return value_and_grad_f


def grad(f, argnums=0):
    """Return the gradient function of a scalar-valued ``f`` (see :func:`value_and_grad`).

    >>> grad(lambda x: (x ** 3).sum())(tensor([2.0]))
    tensor([12.])
    """
    vg = value_and_grad(f, argnums)

    def grad_f(*args, **kwargs):
        return vg(*args, **kwargs)[1]

    grad_f.__name__ = f"grad_{getattr(f, '__name__', 'f')}"
    return grad_f


def vjp(f, *inputs):
    """Vector-Jacobian product: return ``(f(*inputs), vjp_fn)``.

    ``vjp_fn(cotangent)`` returns a tuple with one gradient per input: the
    cotangent (shaped like the output) times the Jacobian of ``f``.  It can be
    called several times.
    """
    args, nums, _, nested = _prepare(inputs, tuple(range(len(inputs))))
    out = f(*args)

    def vjp_fn(cotangent):
        if not isinstance(cotangent, Tensor):
            cotangent = Tensor(cotangent, dtype=out.dtype, device=out.device)
        return grad_of(out, args, grad_outputs=[cotangent], retain_graph=True,
                       create_graph=nested or cotangent.requires_grad)

    return (out if nested else out.detach()), vjp_fn


def jacobian(f, argnums=0):
    """Return ``j(*args)``: the Jacobian of ``f`` at ``args``, shaped ``out.shape + arg.shape``.

    Computed one output element at a time (reverse mode): fine for small outputs.
    """

    def jacobian_f(*args, **kwargs):
        args, nums, single, nested = _prepare(args, argnums)
        out = f(*args, **kwargs)
        wrt = [args[i] for i in nums]
        from .ops import reshape, stack  # noqa: PLC0415 - ops import this package

        rows = []
        xp = out.xp
        flat_size = out.size
        for k in range(flat_size):
            seed = xp.zeros(flat_size, dtype=out.dtype)
            seed[k] = 1
            rows.append(grad_of(out, wrt, grad_outputs=[Tensor._new(seed.reshape(out.shape))],
                                retain_graph=True, create_graph=nested))
        result = []
        for i, t in enumerate(wrt):
            if rows:
                stacked = stack([row[i] for row in rows])
            else:
                stacked = Tensor._new(xp.zeros((0,) + t.shape, dtype=t.dtype))
            result.append(reshape(stacked, out.shape + t.shape))
        return result[0] if single else tuple(result)

    jacobian_f.__name__ = f"jacobian_{getattr(f, '__name__', 'f')}"
    return jacobian_f


def hessian(f, argnums=0):
    """Return ``h(*args)``: the Hessian of scalar ``f``, shaped ``arg.shape + arg.shape``."""
    if not isinstance(argnums, int):
        raise TypeError("hessian: argnums must be a single int")
    return jacobian(grad(f, argnums), argnums)
