"""California housing (StatLib, 1990 US census, 20,640 block groups)."""

from __future__ import annotations

import numpy as np

from ._bunch import Bunch
from ._csv import numeric_table
from ._errors import DataFormatError
from ._files import RemoteFile, fetch

# A byte-exact copy of StatLib's cal_housing.data, pinned to one commit.
CALIFORNIA_HOUSING_MIRROR = (
    "https://raw.githubusercontent.com/we-b/datasets_for_ai/"
    "85985fbd60d1a2d8d098a55acb544cfac7818216/"
)
CALIFORNIA_HOUSING_FILE = RemoteFile(
    "california-housing/statlib/cal_housing.data",
    "a2b44dcc7e1c9091b43c4f458b25cbd1f7e8068d08edd26bc4703108d3fa6214",
)
FEATURE_NAMES = (
    "MedInc", "HouseAge", "AveRooms", "AveBedrms",
    "Population", "AveOccup", "Latitude", "Longitude",
)
N_ROWS = 20640


def california_features(raw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Derive scikit-learn's 8 features and target from StatLib's 9 columns.

    Parameters
    ----------
    raw : ndarray of float64, shape (n, 9)
        Columns longitude, latitude, housingMedianAge, totalRooms,
        totalBedrooms, population, households, medianIncome, medianHouseValue.

    Returns
    -------
    data : ndarray of float64, shape (n, 8)
        MedInc, HouseAge, AveRooms (= rooms / households), AveBedrms
        (= bedrooms / households), Population, AveOccup (= population /
        households), Latitude, Longitude.
    target : ndarray of float64, shape (n,)
        Median house value in units of $100,000.
    """
    (lon, lat, age, rooms, bedrooms, population, households, income, value) = raw.T
    data = np.column_stack([
        income, age, rooms / households, bedrooms / households,
        population, population / households, lat, lon,
    ])
    return data, value / 100_000.0


def load_california_housing(data_dir=None, download=False, *, return_X_y=False,
                            mirror=CALIFORNIA_HOUSING_MIRROR):
    """Load the California housing regression data set.

    Same features, order and derivation as scikit-learn's
    ``fetch_california_housing``, computed from StatLib's ``cal_housing.data``
    (looked for at ``<dir>/california-housing/statlib/cal_housing.data``).

    Parameters
    ----------
    data_dir : path-like, optional
        Data directory searched first (and the download target if given).
    download : bool, default False
        Fetch a missing file from ``mirror``, verified by SHA-256.
    return_X_y : bool, default False
        Return ``(data, target)`` instead of a :class:`Bunch`.
    mirror : str
        Base URL of a folder holding ``cal_housing.data``.

    Returns
    -------
    Bunch or (data, target)
        ``data`` float64 (20640, 8); ``target`` float64 (20640,) in $100,000
        (capped at 5.00001); ``feature_names`` list of 8 str; ``filename``.

    Notes
    -----
    Data by R. Kelley Pace and Ronald Barry (1997), distributed by StatLib.
    """
    path = fetch(CALIFORNIA_HOUSING_FILE, data_dir, download_missing=download,
                 base_url=mirror, dataset="California housing")
    raw = numeric_table(path, 9)
    if raw.shape != (N_ROWS, 9):
        raise DataFormatError(
            f"{path}: expected {N_ROWS} rows x 9 columns, got shape {raw.shape}"
        )
    data, target = california_features(raw)
    if return_X_y:
        return data, target
    return Bunch(data=data, target=target, feature_names=list(FEATURE_NAMES),
                 target_names=["MedHouseVal"], filename=str(path))
