"""Several outputs from one graph node (a checkpointed segment, a ``custom_vjp`` op).

The engine's nodes have one output each.  A node with several returns a 0-d *token*
instead, and each real output is a small :class:`_Output` node on that token.  An
output's backward posts its gradient in the owner's mailbox and sends a zero to the
token; since the token's only consumers are those output nodes, the engine runs the
owner's backward after all of them, and the owner finds one cotangent per output in
:meth:`MultiOutput.take_cotangents` (``None`` for an output no gradient reached), and the
order in which the engine reached the outputs.
Unused outputs therefore cost nothing in backward and never contribute zeros.
"""

from __future__ import annotations

from .backend import array_module
from .function import Function
from .tensor import Tensor

__all__ = ["MultiOutput", "attach_outputs"]


class MultiOutput:
    """Mixin for a ``Function`` with several outputs: ``forward`` returns the token."""

    cotangents: list | None = None
    arrivals: list | None = None

    def take_cotangents(self, n: int) -> tuple[list, list]:
        """``(cotangents, arrivals)``: the gradients posted by the ``n`` outputs in this
        backward pass (``None`` for one that got none) and the indices of the outputs in
        the order the engine reached them; the mailbox is empty again afterwards."""
        posted = self.cotangents if self.cotangents is not None else [None] * n
        arrivals = self.arrivals or []
        self.cotangents, self.arrivals = [None] * n, []
        return posted, arrivals


def attach_outputs(owner: MultiOutput, token: Tensor, arrays) -> list[Tensor]:
    """One Tensor per array in ``arrays``, each a graph node on ``owner``'s ``token``."""
    owner.cotangents, owner.arrivals = [None] * len(arrays), []
    return [_Output(owner, i, a)(token) for i, a in enumerate(arrays)]


def token_like(array):
    """The 0-d array a multi-output node returns (``array``'s module and dtype)."""
    return array_module(array).zeros((), dtype=array.dtype)


class _Output(Function):
    """Output ``index`` of a multi-output node: its value, and a mailbox slot in backward."""

    def __init__(self, owner, index, data):
        self.owner, self.index, self.data = owner, index, data
        self.name = getattr(owner, "name", "output")

    def forward(self, token):
        data, self.data = self.data, None  # the Tensor holds it; the node keeps no copy
        return data

    def backward(self, grad, out):
        self.owner.cotangents[self.index] = grad
        self.owner.arrivals.append(self.index)
        token = self.inputs[0]
        token = token.data if isinstance(token, Tensor) else token
        return (array_module(token).zeros((), dtype=token.dtype),)
