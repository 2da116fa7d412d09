"""The examples' ``--download``: files fetched from a mirror (here a loopback HTTP server,
never the internet) into the per-user cache, verified against the SHA-256 pinned in the
package, with nothing left behind when the bytes are wrong or the server fails."""

from __future__ import annotations

import functools
import hashlib
import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from autograd_core.datasets.california_housing import CALIFORNIA_HOUSING_FILE

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT_S = 120
CAL = CALIFORNIA_HOUSING_FILE


@pytest.fixture
def mirror(tmp_path):
    """``(folder, url)``: an HTTP server on 127.0.0.1 serving ``folder`` for the test."""
    folder = tmp_path / "served"
    folder.mkdir()

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    server.timeout = 10
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield folder, f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


@pytest.fixture
def real_california():
    data = os.environ.get("AUTOGRAD_CORE_DATA")
    path = Path(data) / CAL.path if data else None
    if path is None or not path.is_file():
        pytest.skip("needs the real California housing file under $AUTOGRAD_CORE_DATA")
    return path.read_bytes()


def _run(tmp_path, *args):
    env = dict(os.environ, PYTHONPATH=str(ROOT), MPLBACKEND="Agg",
               AUTOGRAD_CORE_CACHE=str(tmp_path / "cache"), OPENBLAS_NUM_THREADS="1")
    env.pop("AUTOGRAD_CORE_DATA", None)
    return subprocess.run(
        [sys.executable, str(ROOT / "examples" / "california_housing.py"), "--epochs", "1",
         "--out", str(tmp_path / "out"), *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=TIMEOUT_S)


def _files(folder: Path):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_download_lands_verified_in_the_cache_and_is_found_there_next_time(
        mirror, real_california, tmp_path):
    folder, url = mirror
    (folder / CAL.name).write_bytes(real_california)
    first = _run(tmp_path, "--download", "--mirror", url)
    assert first.returncode == 0, first.stderr
    assert "SUMMARY california_housing: " in first.stdout
    cached = tmp_path / "cache" / CAL.path
    assert _files(tmp_path / "cache") == [CAL.path]  # no temporary file left beside it
    assert hashlib.sha256(cached.read_bytes()).hexdigest() == CAL.sha256
    (folder / CAL.name).unlink()  # the mirror is gone: the cached copy is used
    second = _run(tmp_path)
    assert second.returncode == 0, second.stderr


def test_xdg_cache_home_is_the_default_cache(mirror, real_california, tmp_path):
    folder, url = mirror
    (folder / CAL.name).write_bytes(real_california)
    env = dict(os.environ, PYTHONPATH=str(ROOT), MPLBACKEND="Agg",
               XDG_CACHE_HOME=str(tmp_path / "xdg"), OPENBLAS_NUM_THREADS="1")
    for name in ("AUTOGRAD_CORE_DATA", "AUTOGRAD_CORE_CACHE"):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "california_housing.py"), "--epochs", "1",
         "--out", str(tmp_path / "out"), "--download", "--mirror", url],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=TIMEOUT_S)
    assert result.returncode == 0, result.stderr
    assert _files(tmp_path / "xdg" / "autograd_core") == [CAL.path]


@pytest.mark.parametrize("served", ["corrupted", "truncated", "absent"])
def test_a_bad_download_is_one_clear_error_and_leaves_no_file(mirror, tmp_path, served):
    folder, url = mirror
    body = b"-122.23,37.88,41,880,129,322,126,8.3252,452600\n" * 50
    if served == "corrupted":
        (folder / CAL.name).write_bytes(body)
    elif served == "truncated":
        (folder / CAL.name).write_bytes(body[:100])
    result = _run(tmp_path, "--download", "--mirror", url)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr and "SUMMARY" not in result.stdout
    assert "could not be downloaded; nothing was kept" in result.stderr
    if served == "absent":
        assert "could not download" in result.stderr and "404" in result.stderr
    else:  # the message names the pinned digest
        assert "SHA-256 mismatch" in result.stderr and CAL.sha256 in result.stderr
    cache = tmp_path / "cache"
    assert not cache.exists() or _files(cache) == []


def test_missing_data_says_how_to_download(tmp_path):
    result = _run(tmp_path)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "--download" in result.stderr and "AUTOGRAD_CORE_DATA" in result.stderr
