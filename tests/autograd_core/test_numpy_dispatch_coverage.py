"""The dispatch table cannot fall behind the ops: every NumPy function with a counterpart
here is a row of ``DISPATCH`` (or refused on purpose, in ``REFUSED``, with a reason).

A counterpart is found by walking both sides: the public names of ``ag.ops`` and
``ag.linalg`` looked up in ``numpy`` and ``numpy.linalg`` (including the array API's
spellings in ``numpy.linalg``: ``matmul``, ``tensordot``, ``cross``, ``diagonal``...),
and every public NumPy callable whose own ``__name__`` is an op's (aliases such as
``np.acos``, ``np.concat``, ``np.pow``), plus the few synonyms listed below.
"""

import textwrap
from pathlib import Path

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import numpy_dispatch
from autograd_core.numpy_dispatch import DATA_ONLY, DISPATCH, REFUSED, UNAVAILABLE

# NumPy names that mean an op under another name (not found by the walk's name rules)
SYNONYMS = {np.around: "round", np.amax: "max", np.amin: "min"}


def _public_callables(namespace):
    for name in dir(namespace):
        if name.startswith("_"):
            continue
        value = getattr(namespace, name)
        if callable(value) and not isinstance(value, type):
            yield name, value


def counterparts():
    """{NumPy callable: 'the autograd_core name it corresponds to'}."""
    ours = {"": [n for n in ag.ops.__all__ if n != "cat"],  # cat: PyTorch's spelling
            "linalg.": list(ag.linalg.__all__)}
    found = {}
    for prefix, names in ours.items():
        for name in names:
            if isinstance(getattr(ag.linalg if prefix else ag.ops, name), type):
                continue  # LinAlgError, the result namedtuples
            for namespace in ((np.linalg,) if prefix else (np, np.linalg)):
                value = getattr(namespace, name, None)
                if callable(value) and not isinstance(value, type):
                    found.setdefault(value, prefix + name)
    op_names = set(ours[""])
    for namespace in (np, np.linalg):
        for name, value in _public_callables(namespace):
            if getattr(value, "__name__", None) in op_names:
                found.setdefault(value, value.__name__)
    found.update(SYNONYMS)
    return found


def undispatched(table, refused=REFUSED):
    return sorted(numpy_dispatch._name(f) for f in counterparts()
                  if f not in table and f not in refused)


def test_every_numpy_function_with_a_counterpart_is_dispatched():
    assert undispatched(DISPATCH) == []


def test_the_walk_finds_the_products_linalg_and_aliases():
    found = counterparts()
    for func in (np.einsum, np.dot, np.inner, np.outer, np.vdot, np.tensordot, np.kron,
                 np.cross, np.matmul, np.linalg.solve, np.linalg.inv, np.linalg.det,
                 np.linalg.slogdet, np.linalg.cholesky, np.linalg.eigh, np.linalg.eigvalsh,
                 np.linalg.svd, np.linalg.qr, np.linalg.pinv, np.linalg.norm,
                 np.linalg.matrix_power, np.linalg.multi_dot, np.linalg.matrix_rank,
                 np.linalg.trace, np.linalg.outer, np.linalg.matmul, np.linalg.diagonal,
                 np.cumsum, np.median, np.sort, np.flip, np.vstack, np.around, np.arccos,
                 np.concatenate, np.put_along_axis):
        assert func in found, func
    # and the walk is as wide as the table: it sees every row
    assert sorted(numpy_dispatch._name(f) for f in DISPATCH if f not in found) == []


def test_a_row_taken_out_of_the_table_is_reported():
    table = dict(DISPATCH)
    del table[np.einsum], table[np.linalg.solve]
    assert undispatched(table) == ["numpy.einsum", "numpy.linalg.solve"]
    assert undispatched(DISPATCH, refused={}) == ["numpy.put_along_axis"]


def test_refused_and_data_only_functions_are_not_rows():
    assert not set(REFUSED) & set(DISPATCH)
    assert not set(DATA_ONLY) & set(DISPATCH)


def test_refused_function_says_what_to_use():
    t = ag.tensor([[1.0, 2.0]], requires_grad=True)
    with pytest.raises(TypeError, match=r"numpy\.put_along_axis .*in place.*ag\.put_along_axis"):
        np.put_along_axis(t, np.zeros((1, 1), dtype=int), 0.0, axis=1)


README = Path(__file__).resolve().parents[2] / "README.md"
MARKER = "<!-- the dispatch table, generated: tests/autograd_core/test_numpy_dispatch_coverage.py -->"


def table_listing(table=DISPATCH, unavailable=UNAVAILABLE):
    """The README's list of what dispatches, generated from the table (with the rows for
    NumPy 2 names the installed NumPy lacks, so the README does not depend on it)."""
    groups = {"ufuncs": [], "functions": [], "numpy.linalg": []}
    for name in [numpy_dispatch._name(f) for f in table] + list(unavailable):
        if name.startswith("numpy.linalg."):
            groups["numpy.linalg"].append(name.removeprefix("numpy.linalg."))
        else:
            short = name.removeprefix("numpy.")
            groups["ufuncs" if isinstance(getattr(np, short, None), np.ufunc)
                   else "functions"].append(short)
    lines = []
    for group, names in groups.items():
        lines += textwrap.wrap(" ".join(sorted(names)), 84, initial_indent=f"{group}: ",
                               subsequent_indent="    ", break_on_hyphens=False)
    return "\n".join(lines)


def _readme_listing():
    text = README.read_text(encoding="utf-8")
    assert MARKER in text, f"README.md lacks the line {MARKER!r} before the dispatch list"
    block = text.split(MARKER, 1)[1].lstrip()
    assert block.startswith("```text\n"), "the dispatch list is a ```text block after the marker"
    return block.removeprefix("```text\n").split("\n```", 1)[0]


def test_readme_lists_exactly_the_dispatch_table():
    want = table_listing()
    assert _readme_listing() == want, f"replace README.md's dispatch list with:\n{want}"


def test_readme_listing_changes_with_the_table():
    table = dict(DISPATCH)
    del table[np.linalg.solve]
    assert "solve" not in table_listing(table) and " solve " in table_listing() + " "
