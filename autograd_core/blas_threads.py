"""The BLAS thread count: how many threads NumPy's matrix products use.

NumPy's BLAS (OpenBLAS, MKL, ...) starts one thread per core by default.  On a busy
or shared machine that is often much slower than one thread (measured: the quick
start 10-40x slower on a loaded 2-core machine), and with one MPI rank per core each
rank should use one thread.  These functions set the count through ``threadpoolctl``
(the ``threads`` extra: ``pip install 'autograd-core[threads]'``), the library
scikit-learn uses for the same job; it reaches every BLAS and OpenMP pool loaded in
the process, so environment variables (``OPENBLAS_NUM_THREADS=1``) read before NumPy
starts are not needed.

Results can differ in the last bits between thread counts (a product's partial sums
are added in another order), so a figure is reproducible bit for bit only at the
same BLAS thread count.

>>> import autograd_core as ag
>>> with ag.threads(1):
...     ag.get_num_threads()
1
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

__all__ = ["threads", "set_num_threads", "get_num_threads"]

_INSTALL = "pip install threadpoolctl, or pip install 'autograd-core[threads]'"


def _threadpoolctl(what: str):
    try:
        import threadpoolctl  # noqa: PLC0415 - optional dependency
    except ImportError:
        raise ImportError(f"{what} needs the threadpoolctl package, which is not "
                          f"installed: {_INSTALL}") from None
    return threadpoolctl


def _check(what: str, n) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"{what}: the thread count must be a positive int (or None to "
                         f"leave it unchanged), got {n!r}")
    return int(n)


@contextlib.contextmanager
def threads(n: int | None) -> Iterator[None]:
    """Use ``n`` BLAS threads inside the ``with`` block, then restore the previous count.

    Parameters
    ----------
    n : int or None
        Positive thread count; ``None`` changes nothing (and needs no threadpoolctl).

    Raises
    ------
    ValueError
        ``n`` is not a positive int or None.
    ImportError
        ``n`` is given and threadpoolctl is not installed.
    """
    if n is None:
        yield
        return
    n = _check(f"threads({n!r})", n)
    threadpoolctl = _threadpoolctl(f"threads({n})")
    with threadpoolctl.threadpool_limits(limits=n, user_api="blas"):
        yield


def set_num_threads(n: int) -> None:
    """Use ``n`` BLAS threads from now on, for the whole process (PyTorch's name).

    Parameters
    ----------
    n : int
        Positive thread count.
    """
    n = _check(f"set_num_threads({n!r})", n)
    _threadpoolctl(f"set_num_threads({n})").threadpool_limits(limits=n, user_api="blas")


def get_num_threads() -> int | None:
    """The BLAS thread count now (the largest over the BLAS libraries loaded), or None
    when threadpoolctl finds no BLAS library."""
    threadpoolctl = _threadpoolctl("get_num_threads()")
    counts = [pool["num_threads"] for pool in threadpoolctl.threadpool_info()
              if pool.get("user_api") == "blas"]
    return max(counts) if counts else None
