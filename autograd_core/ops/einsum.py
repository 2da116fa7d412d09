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

import operator
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
        raise TypeError(f"einsum: the subscripts must be a string ('ij,jk->ik'), got "
                        f"{type(subscripts).__name__}")
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
    broadcasting, any number of operands.  NumPy's interleaved form works too:
    ``einsum(a, [0, 1], b, [1, 2], [0, 2])`` (integer subscripts in ``[0, 52)``,
    ``Ellipsis`` for ``...``, an optional output sublist last).  Every operand gets a
    gradient, and second derivatives work (the backward is another ``einsum``).
    """
    if not isinstance(subscripts, str):
        subscripts, operands = _from_interleaved((subscripts, *operands))
    if not operands:
        raise ShapeError("einsum: needs at least one operand")
    operands = [operand(x) for x in operands]
    terms, output = _explicit(subscripts, [x.shape for x in operands])
    return Einsum(terms, output, optimize)(*operands)


def _from_interleaved(args):
    """``(a, sub_a, b, sub_b, ..., [sub_out])`` -> ``("..,..->..", (a, b, ...))``, with
    NumPy's letters: 0-25 are 'A'-'Z', 26-51 'a'-'z'."""
    if len(args) < 2:
        raise TypeError("einsum: give the subscripts as a string ('ij,jk->ik') or in the "
                        "interleaved form a, sublist_a, b, sublist_b, ...")
    arrays, sublists = list(args[0::2]), list(args[1::2])
    output = _sublist_letters(arrays.pop()) if len(args) % 2 else None
    subscripts = ",".join(_sublist_letters(s) for s in sublists)
    return (subscripts if output is None else f"{subscripts}->{output}"), tuple(arrays)


def _sublist_letters(sublist) -> str:
    letters = []
    try:
        items = list(sublist)
    except TypeError:
        raise TypeError(f"einsum: in the interleaved form a, sublist_a, b, sublist_b, ... "
                        f"each sublist is a list of ints, got {type(sublist).__name__}") from None
    for s in items:
        if s is Ellipsis:
            letters.append("...")
            continue
        try:
            s = operator.index(s)
        except TypeError:
            raise TypeError(f"einsum: subscript {s!r} in {items!r} is not an int or Ellipsis "
                            "(the interleaved form is a, sublist_a, b, sublist_b, ..., with "
                            "an optional output sublist last)") from None
        if not 0 <= s < 52:
            raise ValueError(f"einsum: subscript {s} in {items!r} is outside [0, 52)")
        letters.append(chr(ord("A") + s) if s < 26 else chr(ord("a") + s - 26))
    return "".join(letters)
