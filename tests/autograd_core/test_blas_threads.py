"""ag.threads / set_num_threads / get_num_threads and nn.fit(threads=): the BLAS pool size
through threadpoolctl, checked against threadpoolctl's own report."""

from __future__ import annotations

import builtins

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import nn

threadpoolctl = pytest.importorskip("threadpoolctl")


def _blas_counts():
    counts = [p["num_threads"] for p in threadpoolctl.threadpool_info() if p["user_api"] == "blas"]
    if not counts:
        pytest.skip("threadpoolctl finds no BLAS library under this NumPy")
    return counts


@pytest.fixture
def two_threads():
    """The BLAS pools at 2 threads during the test (so that setting 1 is a visible change,
    also under OPENBLAS_NUM_THREADS=1), restored after."""
    with threadpoolctl.threadpool_limits(2, user_api="blas"):
        if set(_blas_counts()) != {2}:
            pytest.skip("this BLAS cannot run 2 threads here")
        yield


def test_threads_sets_then_restores_the_blas_pool(two_threads):
    before = _blas_counts()
    with ag.threads(1):
        assert _blas_counts() == [1] * len(before)
        assert ag.get_num_threads() == 1
    assert _blas_counts() == before


def test_threads_none_changes_nothing():
    before = _blas_counts()
    with ag.threads(None):
        assert _blas_counts() == before


def test_set_num_threads_is_process_wide_until_changed(two_threads):
    ag.set_num_threads(1)
    assert _blas_counts() == [1] * len(_blas_counts()) and ag.get_num_threads() == 1
    ag.set_num_threads(2)
    assert ag.get_num_threads() == 2


@pytest.mark.parametrize("bad", [0, -2, 1.5, "2", True])
def test_bad_counts_are_refused_naming_the_call(bad):
    with pytest.raises(ValueError, match=r"threads\(.*positive int"):
        with ag.threads(bad):
            pass
    with pytest.raises(ValueError, match=r"set_num_threads\(.*positive int"):
        ag.set_num_threads(bad)


def test_fit_runs_under_the_requested_count_and_restores_it(two_threads):
    before = _blas_counts()
    seen = []

    class Probe(nn.Callback):
        def on_epoch_begin(self, epoch, logs):
            seen.append(_blas_counts())

    X = np.random.default_rng(0).normal(size=(32, 3))
    y = (X[:, 0] > 0).astype(np.int64)
    nn.fit(nn.MLP(3, [4], 2), X, y, epochs=2, verbose=0, threads=1, callbacks=[Probe()])
    assert seen == [[1] * len(before)] * 2
    assert _blas_counts() == before


def test_without_threadpoolctl_the_error_says_what_to_install(monkeypatch):
    real_import = builtins.__import__

    def no_threadpoolctl(name, *args, **kwargs):
        if name == "threadpoolctl":
            raise ImportError("hidden by the test")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_threadpoolctl)
    with pytest.raises(ImportError, match=r"threads\(2\) needs the threadpoolctl package.*"
                                          r"autograd-core\[threads\]"):
        with ag.threads(2):
            pass
    with ag.threads(None):  # asking for nothing needs nothing
        pass
    X = np.zeros((4, 2))
    with pytest.raises(ImportError, match="threadpoolctl"):
        nn.fit(nn.MLP(2, [2], 2), X, np.zeros(4, np.int64), verbose=0, threads=1)
