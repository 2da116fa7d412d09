"""``Tensor``: an array plus the graph node that produced it.

This module holds the data model only: construction, attributes, device moves,
``backward`` and hooks.  The arithmetic and array methods (``x + y``,
``x.sum()``, ``x[idx]`` ...) are attached from the op modules in
``_methods.py``, so each op is defined in exactly one place.
"""

from __future__ import annotations

import threading
import weakref
from typing import TYPE_CHECKING, Any, Callable

import numpy

from . import backend, dtypes, grad_mode
from ._arguments import tensor_dtype
from ._pytorch_names import Size

__all__ = ["Tensor", "tensor", "as_operand"]

# In-place writes to any tensor so far.  A node saves this count with its inputs'
# versions; while it is unchanged no tensor was written, so backward can skip
# comparing versions input by input.
IN_PLACE_WRITES = [0]
# Guards every change of a version count and the creation of a tensor's counter: an
# unlocked ``+=`` can lose a count between two threads, and a counter created twice leaves
# one thread's saved op watching a counter no write moves (a silent wrong gradient).
_VERSION_LOCK = threading.Lock()

# id(leaf) -> its post-accumulate-grad hooks (dropped when the leaf dies).  Kept beside the
# tensors rather than in a slot so that creating a tensor costs nothing extra; the engine
# looks here only when it is not empty.
POST_ACCUMULATE_GRAD_HOOKS: dict = {}


def version_counter(value: int = 0) -> list:
    """A mutable one-integer cell, ``[count]``, shared by every view of a tensor's data."""
    return [value]


def counter_of(t: "Tensor") -> list:
    """``t``'s version counter, created once even when threads ask for it together."""
    counter = t._vc
    if counter is None:
        with _VERSION_LOCK:
            counter = t._vc
            if counter is None:
                counter = t._vc = version_counter()
    return counter


class Tensor:
    """A NumPy or CuPy array that records the operations applied to it.

    Create one with :func:`autograd_core.tensor`.  Results of operations on
    tensors that require grad remember their op in ``node`` (PyTorch's
    ``grad_fn``); ``backward()`` walks those nodes once in reverse topological
    order and fills ``.grad`` of every leaf that requires grad.

    Attributes
    ----------
    data : ndarray
        The NumPy (CPU) or CuPy (GPU) array.  Reading it is free; writing into it
        in place bypasses autograd's checks.
    grad : Tensor or None
        The accumulated gradient (leaves, and non-leaves after ``retain_grad()``).
    node : Function or None
        The op that produced this tensor; ``None`` for leaves.
    """

    __slots__ = ("data", "grad", "_rg", "node", "_vc", "_hooks", "__weakref__")
    # __array_ufunc__ / __array_function__ (NumPy functions on Tensors) are attached by
    # numpy_dispatch.py, next to the table they read
    __hash__ = object.__hash__

    if TYPE_CHECKING:  # for type checkers: what _methods, inplace, numpy_dispatch attach
        __array_ufunc__: Callable[..., Any]
        __array_function__: Callable[..., Any]
        T: Tensor
        mT: Tensor

        def __add__(self, other: Any) -> Tensor: ...
        def __radd__(self, other: Any) -> Tensor: ...
        def __sub__(self, other: Any) -> Tensor: ...
        def __rsub__(self, other: Any) -> Tensor: ...
        def __mul__(self, other: Any) -> Tensor: ...
        def __rmul__(self, other: Any) -> Tensor: ...
        def __truediv__(self, other: Any) -> Tensor: ...
        def __rtruediv__(self, other: Any) -> Tensor: ...
        def __pow__(self, other: Any) -> Tensor: ...
        def __rpow__(self, other: Any) -> Tensor: ...
        def __matmul__(self, other: Any) -> Tensor: ...
        def __rmatmul__(self, other: Any) -> Tensor: ...
        def __iadd__(self, other: Any) -> Tensor: ...
        def __isub__(self, other: Any) -> Tensor: ...
        def __imul__(self, other: Any) -> Tensor: ...
        def __itruediv__(self, other: Any) -> Tensor: ...
        def __ipow__(self, other: Any) -> Tensor: ...
        def __imatmul__(self, other: Any) -> Tensor: ...
        def __neg__(self) -> Tensor: ...
        def __pos__(self) -> Tensor: ...
        def __abs__(self) -> Tensor: ...
        def __invert__(self) -> Tensor: ...
        def __and__(self, other: Any) -> Tensor: ...
        def __or__(self, other: Any) -> Tensor: ...
        def __lt__(self, other: Any) -> Tensor: ...
        def __le__(self, other: Any) -> Tensor: ...
        def __gt__(self, other: Any) -> Tensor: ...
        def __ge__(self, other: Any) -> Tensor: ...
        def __eq__(self, other: Any) -> Tensor: ...  # type: ignore[override]  # elementwise
        def __ne__(self, other: Any) -> Tensor: ...  # type: ignore[override]
        def __getitem__(self, index: Any) -> Tensor: ...
        def __setitem__(self, index: Any, value: Any) -> None: ...

        def __getattr__(self, name: str) -> Any:
            """The array methods (``sum``, ``reshape``, ``astype`` ...), see ``_methods``."""

    def __init__(self, data, requires_grad=False, dtype=None, device=None):
        if isinstance(data, Tensor):
            data = data.data
        self.data = _to_array(data, dtype, device)
        self.grad = None
        self._rg = False
        self.node = None
        self._vc = None
        self._hooks = None
        if requires_grad:
            self.requires_grad = True

    @classmethod
    def _new(cls, data):
        """Wrap an array without checks or copies (the engine's fast path)."""
        t = object.__new__(Tensor)
        t.data = data
        t.grad = None
        t._rg = False
        t.node = None
        t._vc = None  # version counter: created on first in-place write or when shared
        t._hooks = None
        return t

    # -- attributes ----------------------------------------------------------------

    @property
    def requires_grad(self) -> bool:
        """Whether gradients flow to (and, for a leaf, accumulate in) this tensor."""
        return self._rg

    @requires_grad.setter
    def requires_grad(self, flag: bool):
        flag = bool(flag)
        if self.node is not None and not flag:
            raise RuntimeError(
                f"requires_grad can only be switched off on leaf tensors; this one was produced "
                f"by '{self.node.name}'. Use .detach() to get a tensor without history."
            )
        if flag and not dtypes.is_differentiable_dtype(self.data.dtype):
            raise TypeError(
                f"only floating-point tensors can require gradients, not {self.data.dtype} "
                f"(shape {self.shape}); convert first, e.g. x.astype('float32')"
            )
        self._rg = flag

    def requires_grad_(self, flag: bool = True) -> "Tensor":
        """Set ``requires_grad`` in place and return ``self``."""
        self.requires_grad = flag
        return self

    @property
    def is_leaf(self) -> bool:
        """True for tensors not produced by a recorded op (user-created or detached)."""
        return self.node is None

    @property
    def grad_fn(self):
        """PyTorch's name for ``node``."""
        return self.node

    @property
    def shape(self) -> tuple:
        return self.data.shape

    @property
    def ndim(self) -> int:
        return self.data.ndim

    @property
    def size(self) -> Size:
        """The number of elements (NumPy's ``size``); PyTorch's ``x.size()`` and
        ``x.size(axis)`` (the shape, one length) work too: it is a callable int."""
        return Size(self.data.size, self.data.shape)

    @property
    def dtype(self) -> numpy.dtype:
        return self.data.dtype

    @property
    def device(self) -> str:
        """``"cpu"`` or ``"cuda:N"``."""
        return backend.device_of(self.data)

    @property
    def xp(self):
        """The array module of ``data``: ``numpy`` or ``cupy``."""
        return backend.array_module(self.data)

    # -- conversion ----------------------------------------------------------------

    def numpy(self) -> numpy.ndarray:
        """The data as a NumPy array (copied from the GPU if needed; shares memory on CPU)."""
        data = self.data
        if backend.tracing is not None:  # ag.compile refuses host reads while tracing
            data = backend.tracing.host_read(".numpy()", data, lambda a: a)
        return data if backend.device_of(data) == "cpu" else data.get()

    def item(self):
        """The value of a one-element tensor as a Python number."""
        if self.data.size != 1:
            raise ValueError(
                f"item(): only one-element tensors can be converted to a Python number, "
                f"this one has shape {self.shape}"
            )
        return self.data.item()

    def tolist(self):
        """The data as (nested) Python lists."""
        return self.numpy().tolist()

    def detach(self) -> "Tensor":
        """A new leaf sharing this tensor's data (and version counter), without history."""
        t = Tensor._new(self.data)
        t._vc = counter_of(self)
        return t

    def to(self, device=None, dtype=None) -> "Tensor":
        """Move to ``device`` and/or cast to ``dtype``, keeping ``requires_grad`` and the graph.

        The move is itself differentiable: gradients flow back to the source device.
        """
        result = self
        if dtype is not None and numpy.dtype(dtype) != self.dtype:
            result = result.astype(dtype)
        if device is not None:
            device = backend.parse_device(device)
            if device != result.device:
                from .ops.shape import ToDevice  # noqa: PLC0415 - cyclic at import time

                result = ToDevice(device)(result)
        return result

    def cpu(self) -> "Tensor":
        """``self.to("cpu")``."""
        return self.to("cpu")

    def cuda(self, device: int | None = None) -> "Tensor":
        """``self.to("cuda")`` or ``self.to(f"cuda:{device}")``."""
        return self.to("cuda" if device is None else f"cuda:{device}")

    # -- autograd ------------------------------------------------------------------

    def backward(self, gradient=None, retain_graph=False, create_graph=False):
        """Compute the gradient of this tensor with respect to every leaf that requires grad.

        Parameters
        ----------
        gradient : Tensor or array, optional
            The gradient of the final objective with respect to ``self``, same shape as
            ``self``.  May be omitted for a one-element tensor (it is then 1).
        retain_graph : bool
            Keep the graph's saved arrays so ``backward`` can run through it again.
        create_graph : bool
            Record the backward pass itself, so the gradients have a graph and can be
            differentiated again (Hessian-vector products, gradient penalties).
        """
        from .engine import backward  # noqa: PLC0415 - engine imports Tensor

        backward([self], [gradient], retain_graph=retain_graph, create_graph=create_graph)

    def retain_grad(self) -> None:
        """Keep ``.grad`` on this non-leaf tensor after ``backward`` (leaves always keep it)."""
        if not self._rg:
            raise RuntimeError("retain_grad() on a tensor that does not require grad")
        if self.node is not None:
            self.node.retained = weakref.ref(self)

    @property
    def retains_grad(self) -> bool:
        """True for a non-leaf tensor on which ``retain_grad()`` was called."""
        return self.node is not None and self.node.retained is not None

    def register_hook(self, hook):
        """Call ``hook(grad)`` each time this tensor's gradient is computed.

        The hook may return a new gradient to use in place of ``grad``.  Returns a
        handle whose ``remove()`` unregisters the hook.
        """
        if not self._rg:
            raise RuntimeError("register_hook() on a tensor that does not require grad")
        if self.node is None:
            if self._hooks is None:
                self._hooks = []
            hooks = self._hooks
        else:
            if self.node.pre_hooks is None:
                self.node.pre_hooks = []
            hooks = self.node.pre_hooks
        hooks.append(hook)
        return _HookHandle(hooks, hook)

    def register_post_accumulate_grad_hook(self, hook):
        """Call ``hook(self)`` during ``backward`` once this leaf's ``.grad`` is final.

        PyTorch's hook of the same name: it fires as soon as every gradient that
        reaches this leaf in the current backward has been accumulated into
        ``.grad`` (possibly before the rest of the graph is done), so a
        data-parallel optimizer can start reducing the gradient while backward
        continues.  ``hook`` must return ``None``.  It does not fire for
        ``grad_of``/``ag.grad``, which do not accumulate.  Returns a handle whose
        ``remove()`` unregisters the hook.
        """
        if self.node is not None:
            raise RuntimeError(
                f"register_post_accumulate_grad_hook(): this tensor (shape {self.shape}) was "
                f"produced by '{self.node.name}'; post-accumulate-grad hooks go on leaf tensors "
                "only (use register_hook for non-leaves)"
            )
        if not self._rg:
            raise RuntimeError("register_post_accumulate_grad_hook() on a tensor that does not "
                               "require grad")
        hooks = POST_ACCUMULATE_GRAD_HOOKS.get(id(self))
        if hooks is None:
            hooks = POST_ACCUMULATE_GRAD_HOOKS[id(self)] = []
            weakref.finalize(self, POST_ACCUMULATE_GRAD_HOOKS.pop, id(self), None)
        hooks.append(hook)
        return _HookHandle(hooks, hook)

    # -- in-place writes -----------------------------------------------------------

    @property
    def _version(self) -> int:
        """How many times ``data`` was modified in place (PyTorch's ``_version``)."""
        return 0 if self._vc is None else self._vc[0]

    def _bump_version(self) -> None:
        """Record that ``data`` was modified in place (optimizers call this); thread-safe."""
        with _VERSION_LOCK:
            IN_PLACE_WRITES[0] += 1
            if self._vc is None:
                self._vc = version_counter(1)
            else:
                self._vc[0] += 1

    # ``x[index] = value``, ``x += v`` and the other in-place writes: autograd_core/inplace.py

    # -- Python protocol -----------------------------------------------------------

    def __len__(self):
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self.data.shape[0]

    def __iter__(self):
        if self.data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self.data.shape[0]))

    def __bool__(self):
        if self.data.size != 1:
            raise ValueError(
                f"the truth value of a tensor with {self.data.size} elements is ambiguous; "
                "use .any() or .all()"
            )
        return bool(self.data)

    def __float__(self):
        return float(self.item())

    def __int__(self):
        return int(self.item())

    def __index__(self):
        if self.data.ndim != 0 or self.data.dtype.kind not in "iub":
            raise TypeError("only 0-d integer tensors can be used as an index")
        return int(self.data)

    def __array__(self, dtype=None, copy=None):
        """``np.asarray(t)``: the data, without graph.  A GPU tensor raises, as CuPy does."""
        if backend.device_of(self.data) != "cpu":
            raise TypeError(
                f"implicit conversion of a tensor on {self.device} to a NumPy array is not "
                "allowed (as in CuPy); use .numpy() to copy it to the host explicitly")
        array = self.data if dtype is None else self.data.astype(dtype, copy=False)
        return array.copy() if copy and array is self.data else array

    def __repr__(self):
        xp_data = self.numpy()
        body = numpy.array2string(xp_data, separator=", ", prefix="tensor(", precision=4,
                                  threshold=200, edgeitems=3)
        extras = []
        if self.dtype != dtypes.get_default_dtype() and self.dtype.kind == "f" or (
            self.dtype.kind != "f" and self.dtype not in (dtypes.int64, dtypes.bool_)
        ):
            extras.append(f"dtype={self.dtype}")
        if self.device != "cpu":
            extras.append(f"device='{self.device}'")
        if self.node is not None:
            extras.append(f"grad_fn=<{self.node.name}>")
        elif self._rg:
            extras.append("requires_grad=True")
        return "tensor(" + ", ".join([body] + extras) + ")"


class _HookHandle:
    __slots__ = ("_hooks", "_hook")

    def __init__(self, hooks, hook):
        self._hooks, self._hook = hooks, hook

    def remove(self):
        """Unregister the hook (no error if already removed)."""
        if self._hook in self._hooks:
            self._hooks.remove(self._hook)


def _to_array(data, dtype, device):
    if device is None and backend.is_array(data) and not isinstance(data, numpy.ndarray):
        device = backend.device_of(data)  # a CuPy array stays on its GPU
    device = backend.parse_device(device)
    if dtype is not None:
        dtype = tensor_dtype(dtype, "tensor()")
    elif backend.is_array(data):
        dtype = data.dtype
    elif isinstance(data, (numpy.generic,)):
        dtype = data.dtype
    else:
        inferred = _inferred_dtype(data)  # Python scalars and lists
        if inferred.kind == "f":
            dtype = dtypes.get_default_dtype()
        elif inferred.kind in "iub":
            dtype = inferred if inferred.kind != "i" else dtypes.int64
        else:
            raise TypeError(f"tensor(): cannot make a tensor from a {type(data).__name__} "
                            f"(NumPy makes it dtype {inferred}); give numbers: a scalar, a "
                            "(nested) list of numbers or a numeric array")
    if dtype.kind not in "fiub":
        raise TypeError(f"tensor(): dtype {dtype} is not supported (data: a "
                        f"{type(data).__name__}); tensors hold bool, integer or real floating "
                        "numbers: convert first, e.g. array.astype('float32')")
    try:
        return backend.asarray(data, dtype, device)
    except ValueError as err:
        raise ValueError(f"tensor(): cannot make a {dtype} tensor from this "
                         f"{type(data).__name__} ({err}); a ragged nested sequence (rows "
                         "of different lengths) is not an array") from None


def _inferred_dtype(data):
    try:
        return numpy.asarray(data).dtype
    except ValueError as err:
        raise ValueError(f"tensor(): cannot make a tensor from this {type(data).__name__}: "
                         f"{err} A ragged nested sequence (rows of different lengths) is not "
                         "an array; pad the rows to one length") from None


def tensor(data, requires_grad=False, dtype=None, device=None) -> Tensor:
    """Create a leaf tensor.

    Parameters
    ----------
    data : array_like or Tensor
        NumPy/CuPy arrays keep their dtype; Python floats and lists of floats become
        the default float dtype (float32 unless changed with ``set_default_dtype``);
        Python ints become int64.  Data is copied only when a dtype or device change
        requires it.
    requires_grad : bool
        Record operations on this tensor for ``backward``.  Floating dtypes only.
    dtype : dtype-like, optional
    device : {"cpu", "cuda", "cuda:N"}, optional
        Defaults to the device of a CuPy array, else ``get_default_device()``.

    Examples
    --------
    >>> x = tensor([1.0, 2.0], requires_grad=True)
    >>> (x * x).sum().backward()
    >>> x.grad
    tensor([2., 4.])
    """
    return Tensor(data, requires_grad=requires_grad, dtype=dtype, device=device)


def as_operand(x):
    """Turn a constant met in an op into an operand: a Tensor, or a Python scalar.

    NumPy scalars become Python scalars, so like Python numbers they never
    up-cast a tensor (``x32 * np.sqrt(2)`` stays float32).
    """
    if isinstance(x, numpy.generic):  # before int/float: numpy.float64 subclasses float
        return x.item()
    if isinstance(x, (Tensor, int, float)):
        return x
    if backend.is_array(x):
        return Tensor._new(x)
    if isinstance(x, (list, tuple)):
        return Tensor(x)
    raise TypeError(f"unsupported operand of type {type(x).__name__}; expected a Tensor, "
                    "an array or a Python number")
