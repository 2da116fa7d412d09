"""Temporary files beside a target, named so that a later write can clean up after a crash.

A file written atomically (a model, a download) first goes to a temporary name in the
target's folder and is renamed into place.  A process killed mid-write (SIGKILL, power
loss) leaves that temporary behind.  Its name says which target it was for and which
process on which host wrote it::

    .<target name>.tmp-<host>.<pid>.<8 random chars><suffix>

so the next write to the same target removes the temporaries of that target whose
writer is a process of this host that no longer runs.  A temporary of a live process
(another save in progress), of another host, of another target, or any name not of
exactly this form is never touched; nor is the target itself.  Where a process cannot
be probed without side effects (Windows), nothing is removed.  Standard library only:
``datasets`` uses it without importing the engine.
"""

from __future__ import annotations

import hashlib
import os
import re
import socket
import tempfile

__all__ = ["temporary_beside", "remove_stale_temporaries"]

_RANDOM = r"[a-z0-9_]{8}"  # tempfile's names: 8 characters from this alphabet


def _host() -> str:
    return re.sub(r"[^A-Za-z0-9.-]", "_", socket.gethostname())[:32] or "host"


def _stem(target_name: str) -> str:
    """The target's name as it appears in its temporaries (hashed when too long for one)."""
    if len(target_name) <= 120:
        return target_name
    return "h" + hashlib.sha256(target_name.encode("utf-8", "surrogateescape")).hexdigest()[:16]


def _prefix(target_name: str) -> str:
    return f".{_stem(target_name)}.tmp-"


def temporary_beside(path, suffix: str = "") -> tuple[int, str]:
    """Remove ``path``'s stale temporaries, then create a new one: ``(fd, name)``.

    Parameters
    ----------
    path : str or PathLike
        The target the temporary will be renamed to.
    suffix : str
        Appended to the temporary's name (``".npz"``, ``".part"``).
    """
    directory, target_name = os.path.split(os.path.abspath(os.fspath(path)))
    remove_stale_temporaries(path, suffix)
    prefix = f"{_prefix(target_name)}{_host()}.{os.getpid()}."
    return tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=directory)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only checks that the process exists
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # exists (another user's) or cannot tell: keep its file
    return True


def remove_stale_temporaries(path, suffix: str = "") -> list[str]:
    """Delete the temporaries of ``path`` left by dead processes of this host; return them.

    Parameters
    ----------
    path : str or PathLike
        The target whose temporaries are looked for (in its folder).
    suffix : str
        The suffix the temporaries were created with.
    """
    if os.name != "posix":
        return []
    directory, target_name = os.path.split(os.path.abspath(os.fspath(path)))
    pattern = re.compile(re.escape(_prefix(target_name)) + r"(?P<host>[A-Za-z0-9._-]+)\."
                         r"(?P<pid>[0-9]+)\." + _RANDOM + re.escape(suffix) + r"\Z")
    host = _host()
    removed: list[str] = []
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return removed
    for entry in entries:
        match = pattern.match(entry.name)
        if match is None or match["host"] != host or entry.name == target_name:
            continue
        if int(match["pid"]) == os.getpid() or _running(int(match["pid"])):
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            os.remove(entry.path)
            removed.append(entry.path)
        except OSError:  # removed by another writer meanwhile, or not ours to remove
            pass
    return removed
