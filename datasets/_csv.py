"""Strict reading of the small comma-separated data files (iris, California housing).

Every malformed row raises :class:`DataFormatError` naming the file, the line (1-based,
counting every line of the file) and what is wrong: a column count, or the column and
text of a value that is not a finite number.  Blank lines are skipped.
"""

from __future__ import annotations

import math

import numpy as np

from ._errors import DataFormatError

__all__ = ["read_rows", "parse_finite", "numeric_table"]


def read_rows(path, n_columns: int | None = None, *, start: int = 1):
    """Yield ``(line_number, fields)`` for each non-blank line from line ``start`` on.

    With ``n_columns``, a row with another number of fields raises, naming the line.
    """
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if lineno < start or not line.strip():
                continue
            fields = line.rstrip("\r\n").split(",")
            if n_columns is not None and len(fields) != n_columns:
                raise DataFormatError(
                    f"{path}, line {lineno}: {len(fields)} columns, expected {n_columns}: "
                    f"{line.strip()!r}. The file is corrupt or not the expected data set; "
                    "delete it and download it again.")
            yield lineno, fields


def parse_finite(path, lineno: int, column: int, text: str) -> float:
    """``float(text)``, refusing anything that is not a finite number (column is 1-based)."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise DataFormatError(
            f"{path}, line {lineno}: column {column} {text.strip()!r} is not a finite number")
    return value


def numeric_table(path, n_columns: int, *, start: int = 1) -> np.ndarray:
    """Every row from line ``start`` on as finite float64 values, shape ``(rows, n_columns)``.

    NumPy's C parser reads a well-formed file; only when it fails (or finds a value that
    is not finite) is the file scanned line by line to name the first bad row.
    """
    try:
        table = np.loadtxt(path, delimiter=",", dtype=np.float64, ndmin=2, skiprows=start - 1,
                           comments=None)
        if table.shape[1:] == (n_columns,) and np.isfinite(table).all():
            return table
        problem = f"shape {table.shape}, values not all finite"
    except ValueError as err:
        problem = str(err)
    for lineno, fields in read_rows(path, n_columns, start=start):
        for j, text in enumerate(fields, 1):
            parse_finite(path, lineno, j, text)
    raise DataFormatError(f"{path}: not a {n_columns}-column numeric CSV ({problem})")
