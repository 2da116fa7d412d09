"""``Parameter``: a leaf tensor that a ``Module`` registers as one of its weights."""

from __future__ import annotations

from autograd_core import Tensor

__all__ = ["Parameter"]


class Parameter(Tensor):
    """A tensor that is a learnable weight of a :class:`~nn.Module`.

    Assigning a ``Parameter`` to a module attribute registers it, so it shows up in
    ``parameters()``, ``named_parameters()`` and ``state_dict()``.  It is a leaf
    (it has no history) and requires grad unless created with ``requires_grad=False``
    (a frozen weight).  Operations on it give plain :class:`autograd_core.Tensor`\\ s.

    Parameters
    ----------
    data : array_like or Tensor
        The initial value, any shape; must be floating point to require grad.  A
        Tensor's array is shared, not copied.
    requires_grad : bool
        ``False`` freezes the weight (it still appears in ``state_dict``).
    dtype, device : optional
        As for :func:`autograd_core.tensor`.
    """

    __slots__ = ()

    def __init__(self, data, requires_grad=True, dtype=None, device=None):
        if isinstance(data, Tensor):
            data = data.data
        super().__init__(data, dtype=dtype, device=device)
        self.requires_grad = requires_grad

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()
