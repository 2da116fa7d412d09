"""Fisher's iris data set (150 flowers, 3 species, 4 measurements)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ._bunch import Bunch
from ._csv import parse_finite, read_rows
from ._errors import DataFileNotFoundError, DataFormatError
from ._files import DATA_ENV_VAR, locate, looked_in

FEATURE_NAMES = (
    "sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)",
)
TARGET_NAMES = ("setosa", "versicolor", "virginica")
SHIPPED_DIR = Path(__file__).resolve().parent / "_shipped"
# scikit-learn's corrected copy first; the UCI original as a fallback.
_CANDIDATES = ("iris/iris.csv", "iris/iris.data")


def _parse_sklearn_csv(path) -> tuple[np.ndarray, np.ndarray]:
    """Parse scikit-learn's ``iris.csv``: header ``150,4,setosa,...`` then numeric rows."""
    with open(path, encoding="utf-8") as f:
        header = f.readline().strip().split(",")
    try:
        n_rows, n_features = int(header[0]), int(header[1])
    except (ValueError, IndexError):
        raise DataFormatError(
            f"{path}, line 1: header {','.join(header)!r} does not start with the row and "
            "feature counts (scikit-learn's iris.csv starts '150,4,setosa,...')") from None
    data, target = [], []
    for lineno, fields in read_rows(path, n_features + 1, start=2):
        data.append([parse_finite(path, lineno, j, text)
                     for j, text in enumerate(fields[:n_features], 1)])
        label = parse_finite(path, lineno, n_features + 1, fields[n_features])
        if label not in range(len(TARGET_NAMES)):
            raise DataFormatError(f"{path}, line {lineno}: class {fields[n_features].strip()} "
                                  f"is not one of 0 to {len(TARGET_NAMES) - 1}")
        target.append(int(label))
    if len(data) != n_rows:
        raise DataFormatError(f"{path}: header declares {n_rows} rows, found {len(data)}")
    return (np.array(data, dtype=np.float64).reshape(n_rows, n_features),
            np.array(target, dtype=np.int64))


def _parse_uci_data(path) -> tuple[np.ndarray, np.ndarray]:
    """Parse UCI's ``iris.data``: 4 numbers and a class name per line, no header."""
    uci_names = {f"Iris-{name}": i for i, name in enumerate(TARGET_NAMES)}
    rows, labels = [], []
    for lineno, fields in read_rows(path, len(FEATURE_NAMES) + 1):
        *values, name = fields
        if name.strip() not in uci_names:
            raise DataFormatError(f"{path}, line {lineno}: class {name.strip()!r} is not one "
                                  f"of {', '.join(uci_names)}")
        rows.append([parse_finite(path, lineno, j, v) for j, v in enumerate(values, 1)])
        labels.append(uci_names[name.strip()])
    return (np.array(rows, dtype=np.float64).reshape(len(rows), len(FEATURE_NAMES)),
            np.array(labels, dtype=np.int64))


def load_iris(data_dir=None, *, return_X_y=False):
    """Load Fisher's iris data set.

    Looks for ``iris/iris.csv`` (scikit-learn's copy, with samples 35 and 38
    corrected to Fisher's paper) then ``iris/iris.data`` (UCI original) in
    ``data_dir``, ``$AUTOGRAD_CORE_DATA`` and the user cache; falls back to the
    copy of ``iris.csv`` shipped inside this package, so it always works offline.

    Parameters
    ----------
    data_dir : path-like, optional
        Data directory searched first.
    return_X_y : bool, default False
        Return ``(data, target)`` instead of a :class:`Bunch`.

    Returns
    -------
    Bunch or (data, target)
        ``data`` float64 (150, 4) in cm; ``target`` int64 (150,) with values
        0, 1, 2; ``feature_names`` (4 str); ``target_names`` (3 str);
        ``filename`` (the file read).

    Notes
    -----
    R.A. Fisher (1936), UCI Machine Learning Repository, CC BY 4.0.
    """
    path = locate(_CANDIDATES, data_dir)
    if path is None:
        path = SHIPPED_DIR / "iris.csv"
        if not path.is_file():
            raise DataFileNotFoundError(
                f"iris file not found. Looked in:\n{looked_in(_CANDIDATES, data_dir)}\n"
                f"  - {path}  (shipped copy, missing: reinstall the package or run "
                f"scripts/make_shipped_data.py)\n"
                f"To fix: set ${DATA_ENV_VAR} to a folder holding iris/iris.csv or pass data_dir=..."
            )
    parse = _parse_sklearn_csv if path.suffix == ".csv" else _parse_uci_data
    data, target = parse(path)
    if return_X_y:
        return data, target
    return Bunch(data=data, target=target, feature_names=list(FEATURE_NAMES),
                 target_names=list(TARGET_NAMES), filename=str(path))
