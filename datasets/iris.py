"""Fisher's iris data set (150 flowers, 3 species, 4 measurements)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ._bunch import Bunch
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
    with open(path) as f:
        header = f.readline().strip().split(",")
    n_rows, n_features = int(header[0]), int(header[1])
    table = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)
    if table.shape != (n_rows, n_features + 1):
        raise DataFormatError(
            f"{path}: header declares {n_rows} rows x {n_features + 1} columns, "
            f"found shape {table.shape}"
        )
    return table[:, :n_features], table[:, n_features].astype(np.int64)


def _parse_uci_data(path) -> tuple[np.ndarray, np.ndarray]:
    """Parse UCI's ``iris.data``: 4 numbers and a class name per line, no header."""
    uci_names = {f"Iris-{name}": i for i, name in enumerate(TARGET_NAMES)}
    rows, labels = [], []
    with open(path) as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            *values, name = line.strip().split(",")
            if len(values) != 4 or name not in uci_names:
                raise DataFormatError(f"{path}:{lineno}: cannot parse {line.strip()!r}")
            rows.append([float(v) for v in values])
            labels.append(uci_names[name])
    return np.array(rows, dtype=np.float64), np.array(labels, dtype=np.int64)


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
