"""Fixtures for the datasets tests.

Real data: ``$AUTOGRAD_CORE_DATA`` if set, else ``../shared/data`` next to the
repository if it exists.  Tests that need a real file skip, naming it, when it
is absent.  Every test runs with ``$AUTOGRAD_CORE_DATA`` unset and the user
cache redirected into ``tmp_path``, so nothing outside the test is read or written.
"""

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _find_real_data():
    env = os.environ.get("AUTOGRAD_CORE_DATA")
    if env:
        return Path(env)
    candidate = REPO.parent / "shared" / "data"
    return candidate if candidate.is_dir() else None


REAL_DATA = _find_real_data()  # read before any test changes the environment


@pytest.fixture(autouse=True)
def isolated_data_env(tmp_path, monkeypatch):
    """No ``$AUTOGRAD_CORE_DATA``; the cache is ``tmp_path/cache``."""
    monkeypatch.delenv("AUTOGRAD_CORE_DATA", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("AUTOGRAD_CORE_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture(scope="session")
def real_data():
    """Return a function ``need(*relpaths) -> data root`` that skips if a file is absent."""

    def need(*relpaths):
        if REAL_DATA is None:
            pytest.skip("real data not found: set AUTOGRAD_CORE_DATA to the shared data folder")
        missing = [p for p in relpaths if not (REAL_DATA / p).is_file()]
        if missing:
            pytest.skip(f"real data file(s) absent under {REAL_DATA}: {', '.join(missing)}")
        return REAL_DATA

    return need
