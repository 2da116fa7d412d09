"""``einsum``: Einstein summation over any number of operands, differentiable to any order.

The subscripts are first made explicit (implicit output, ``...`` replaced by letters of
its own), so forward and backward work on one plain form.  The gradient for an operand
is itself an ``einsum`` of the output gradient with the other operands, into that
operand's subscripts; letters summed inside that operand alone come back through a
vector of ones, and repeated letters (diagonals, traces) through identity matrices.
Because the backward is an ``einsum`` of differentiable operands, second derivatives
work the same way.
"""

from __future__ import annotations

import string
from collections import Counter

from ..function import Function, ShapeError
from ._operands import operand, xp_of

__all__ = ["einsum"]

_LETTERS = string.ascii_letters


def _explicit(subscripts, shapes):
    """``(terms, output)``: one letter string per operand and the output's, with ``...``
    and the implicit output resolved as NumPy does."""
    if not isinstance(subscripts, str):
        raise TypeError("einsum: give the subscripts as a string ('ij,jk->ik'); the "
                        "interleaved (operand, sublist) form is not supported")
    spec = subscripts.replace(" ", "")
    inputs, arrow, output = spec.partition("->")
    terms = inputs.split(",")
    if len(terms) != len(shapes):
        raise ShapeError(f"einsum: subscripts {subscripts!r} name {len(terms)} operands, "
                         f"but {len(shapes)} were given")
    for term in [*terms, output]:
        bad = set(term.replace("...", "")) - set(_LETTERS)
        if bad or term.count("...") > 1:
            raise ValueError(f"einsum: invalid subscripts {subscripts!r} (letters a-z, A-Z "
                             "and at most one '...' per operand)")
    free = [c for c in _LETTERS if c not in spec]
    broadcast = 0
    for term, shape in zip(terms, shapes):
        named = len(term.replace("...", ""))
        if ("..." in term and named > len(shape)) or ("..." not in term and named != len(shape)):
            raise ShapeError(f"einsum: operand subscripts {term!r} do not fit an operand of "
                             f"shape {shape} (subscripts {subscripts!r})")
        if "..." in term:
            broadcast = max(broadcast, len(shape) - named)
    ellipsis = "".join(free[:broadcast])
    resolved = []
    for term, shape in zip(terms, shapes):
        if "..." in term:
            n = len(shape) - len(term.replace("...", ""))
            term = term.replace("...", ellipsis[broadcast - n:])
        resolved.append(term)
    if arrow:
        output = output.replace("...", ellipsis)
    else:
        counts = Counter("".join(t.replace("...", "") for t in terms))
        output = ellipsis + "".join(sorted(c for c, k in counts.items() if k == 1))
    return resolved, output


class Einsum(Function):
    __slots__ = ("terms", "output", "optimize")
    save_inputs = True

    def __init__(self, terms, output, optimize):
        self.terms, self.output, self.optimize = terms, output, optimize

    def forward(self, *arrays):
        return xp_of(*arrays).einsum(",".join(self.terms) + "->" + self.output, *arrays,
                                     optimize=self.optimize)

    def backward(self, grad, out):
        return tuple(None if parent is None else self._gradient(i, grad)
                     for i, parent in enumerate(self.parents))

    def _gradient(self, i, grad):
        operands, terms, target = self.inputs, self.terms, self.terms[i]
        sizes = {}
        for term, x in zip(terms, operands):
            for c, n in zip(term, x.shape):  # a letter's size: its size other than 1
                if sizes.get(c, 1) == 1:
                    sizes[c] = n
        unique = "".join(dict.fromkeys(target))
        others = [self.output] + [t for j, t in enumerate(terms) if j != i]
        values = [grad] + [x for j, x in enumerate(operands) if j != i]
        xp = xp_of(grad)
        present = set("".join(others))
        for c in unique:
            if c not in present:  # summed inside operand i only: it broadcasts back
                others.append(c)
                values.append(xp.ones(sizes[c], dtype=grad.dtype))
        g = einsum(",".join(others) + "->" + unique, *values, optimize=self.optimize)
        if len(unique) == len(target):
            return g
        # repeated letters: put g on the diagonal, one identity matrix per repeat
        spare = iter(c for c in _LETTERS if c not in "".join(terms) + self.output)
        full, deltas, delta_terms, seen = [], [], [], set()
        for c in target:
            if c in seen:
                fresh = next(spare)
                full.append(fresh)
                delta_terms.append(c + fresh)
                deltas.append(xp.eye(sizes[c], dtype=grad.dtype))
            else:
                seen.add(c)
                full.append(c)
        return einsum(",".join([unique] + delta_terms) + "->" + "".join(full), g, *deltas)


def einsum(subscripts, *operands, optimize=False):
    """Einstein summation, as ``numpy.einsum(subscripts, *operands, optimize=...)``.

    Explicit (``"ij,jk->ik"``) and implicit (``"ij,jk"``: the letters seen once, sorted)
    output, repeated subscripts for diagonals and traces (``"ii->i"``, ``"ii"``), ``...``
    broadcasting, any number of operands.  Every operand gets a gradient, and second
    derivatives work (the backward is another ``einsum``).
    """
    if not operands:
        raise ShapeError("einsum: needs at least one operand")
    operands = [operand(x) for x in operands]
    terms, output = _explicit(subscripts, [x.shape for x in operands])
    return Einsum(terms, output, optimize)(*operands)
