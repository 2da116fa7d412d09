"""Locating data files on disk and downloading them safely.

A data file is named by its path relative to a *data directory*, following the
layout of the shared data folder: ``mnist/train-images-idx3-ubyte.gz``,
``fashion-mnist/...``, ``california-housing/statlib/cal_housing.data``,
``iris/iris.csv``.  Data directories are searched in this order:

1. the explicit ``data_dir=`` argument;
2. the environment variable ``AUTOGRAD_CORE_DATA``;
3. the per-user cache directory (:func:`cache_dir`);
4. only when ``download=True``: the data set's public mirror.  The file is
   written to ``data_dir`` if one was given, else to the cache directory.

Downloads are atomic: bytes go to a temporary file in the destination folder,
the SHA-256 digest is checked, and only then is the file renamed into place.  The
``.part`` file of a download killed before the rename is removed by the next download
to the same destination.
"""

from __future__ import annotations

import hashlib
import os
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from ._errors import ChecksumError, DataFileNotFoundError, DatasetError

DATA_ENV_VAR = "AUTOGRAD_CORE_DATA"
CACHE_ENV_VAR = "AUTOGRAD_CORE_CACHE"
_CHUNK = 1 << 20


@dataclass(frozen=True)
class RemoteFile:
    """One file of a data set: where it lives locally and how to fetch it.

    Parameters
    ----------
    path : str
        Path relative to a data directory, e.g. ``"mnist/t10k-labels-idx1-ubyte.gz"``.
    sha256 : str
        Expected hex SHA-256 digest of the file as served by the mirror.
    alternatives : tuple of str
        Other relative paths holding the same content in another encoding
        (e.g. the uncompressed IDX file).  Found locally, never downloaded.
    """

    path: str
    sha256: str
    alternatives: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """File name on the mirror (last component of :attr:`path`)."""
        return self.path.rsplit("/", 1)[-1]


def cache_dir() -> Path:
    """Return the per-user cache directory for data files.

    ``$AUTOGRAD_CORE_CACHE`` if set, else ``$XDG_CACHE_HOME/autograd_core``,
    else ``~/.cache/autograd_core``.  The directory is not created.

    Returns
    -------
    pathlib.Path
    """
    override = os.environ.get(CACHE_ENV_VAR)
    if override:
        return Path(override).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "autograd_core"


def search_dirs(data_dir: str | os.PathLike | None = None) -> list[tuple[str, Path]]:
    """Return the data directories to search, in order, each with a label.

    Parameters
    ----------
    data_dir : path-like, optional
        Explicit directory, searched first.

    Returns
    -------
    list of (str, pathlib.Path)
        ``(label, directory)`` pairs; the label says where the directory came
        from (``"data_dir"``, ``"$AUTOGRAD_CORE_DATA"``, ``"cache"``).
    """
    dirs = []
    if data_dir is not None:
        dirs.append(("data_dir", Path(data_dir).expanduser()))
    env = os.environ.get(DATA_ENV_VAR)
    if env:
        dirs.append((f"${DATA_ENV_VAR}", Path(env).expanduser()))
    dirs.append(("cache", cache_dir()))
    return dirs


def locate(candidates, data_dir=None) -> Path | None:
    """Find the first existing file among ``candidates`` in the search directories.

    Directories are tried in :func:`search_dirs` order; within one directory
    the candidates are tried in the order given.

    Parameters
    ----------
    candidates : sequence of str
        Relative paths, most preferred first.
    data_dir : path-like, optional
        Explicit directory searched first.

    Returns
    -------
    pathlib.Path or None
        The file found, or None.
    """
    for _, directory in search_dirs(data_dir):
        for rel in candidates:
            path = directory / rel
            if path.is_file():
                return path
    return None


def looked_in(candidates, data_dir=None) -> str:
    """Describe every path :func:`locate` tried, one per line, for error messages."""
    lines = []
    for label, directory in search_dirs(data_dir):
        for rel in candidates:
            lines.append(f"  - {directory / rel}  ({label})")
    if DATA_ENV_VAR not in os.environ:
        lines.append(f"  (${DATA_ENV_VAR} is not set)")
    return "\n".join(lines)


def sha256_of(path: str | os.PathLike) -> str:
    """Return the hex SHA-256 digest of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def download(url: str, dest: str | os.PathLike, sha256: str) -> Path:
    """Download ``url`` to ``dest`` atomically, verifying its SHA-256 digest.

    The bytes are streamed into a temporary file in ``dest``'s folder; on a
    digest mismatch or any error the temporary file is deleted and nothing is
    left at ``dest``.  Only a verified file is renamed into place
    (``os.replace``).

    Parameters
    ----------
    url : str
        Any URL ``urllib`` can open (``https://``, ``http://``, ``file://``).
    dest : path-like
        Final path of the file.  Parent folders are created.
    sha256 : str
        Expected hex digest.

    Returns
    -------
    pathlib.Path
        ``dest``.

    Raises
    ------
    ChecksumError
        The downloaded bytes have another digest.
    DatasetError
        The URL could not be read.
    """
    from autograd_core._tempfiles import temporary_beside  # noqa: PLC0415 - stdlib only

    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = temporary_beside(dest, ".part")  # also removes a killed download's
    try:
        digest = hashlib.sha256()
        with os.fdopen(fd, "wb") as out:
            try:
                with urllib.request.urlopen(url, timeout=60) as response:
                    for chunk in iter(lambda: response.read(_CHUNK), b""):
                        digest.update(chunk)
                        out.write(chunk)
            except OSError as exc:  # urllib.error.URLError is an OSError
                raise DatasetError(f"could not download {url} to {dest}: {exc}") from exc
        actual = digest.hexdigest()
        if actual != sha256.lower():
            raise ChecksumError(
                f"SHA-256 mismatch for {url} (destination {dest}): expected {sha256}, "
                f"got {actual}. The file was discarded. The mirror may be serving a "
                f"different version; download it by hand and pass data_dir=, or set "
                f"${DATA_ENV_VAR} to a folder holding a verified copy."
            )
        os.replace(tmp_name, dest)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except FileNotFoundError:
            pass
        raise
    return dest


def fetch(remote: RemoteFile, data_dir=None, *, download_missing=False, base_url: str,
          dataset: str) -> Path:
    """Return the local path of ``remote``, downloading it if allowed.

    Parameters
    ----------
    remote : RemoteFile
        The file wanted.
    data_dir : path-like, optional
        Explicit data directory, searched first and used as the download target.
    download_missing : bool
        Download from ``base_url`` when no local copy exists.
    base_url : str
        Mirror folder URL; the file's name is appended.
    dataset : str
        Human-readable data set name for error messages.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    DataFileNotFoundError
        No local copy and ``download_missing`` is False.
    """
    candidates = (remote.path, *remote.alternatives)
    found = locate(candidates, data_dir)
    if found is not None:
        return found
    url = base_url.rstrip("/") + "/" + remote.name
    if not download_missing:
        raise DataFileNotFoundError(
            f"{dataset} file {remote.path!r} not found. Looked in:\n"
            f"{looked_in(candidates, data_dir)}\n"
            f"To fix: set ${DATA_ENV_VAR} to a folder that holds {remote.path}, "
            f"pass data_dir=..., or pass download=True to fetch it from {url}"
        )
    target_root = Path(data_dir).expanduser() if data_dir is not None else cache_dir()
    return download(url, target_root / remote.path, remote.sha256)
