"""broadcast_parameters, broadcast_optimizer_state, mismatched models, a failing rank."""

import pickle

import numpy as np
import pytest

from _mpi_launch import mpirun


def _results(path, n):
    return [pickle.loads((path / f"rank{r}.pkl").read_bytes()) for r in range(n)]


def test_broadcast_overrides_different_initialisations(tmp_path):
    n = 3
    mpirun(n, "parameters.py", tmp_path, "same")
    results = _results(tmp_path, n)
    root = results[0]["before"]
    assert any(not np.array_equal(root[k], results[1]["before"][k]) for k in root)
    assert "1.running_mean" in root  # buffers travel too
    for seen in results:
        assert seen["after"].keys() == root.keys()
        for k in root:
            np.testing.assert_array_equal(seen["after"][k], root[k], err_msg=k)
        assert seen["opt"]["lr"] == 0.01  # root's hyperparameters
        assert sorted(seen["opt"]["state"]) == sorted(results[0]["opt"]["state"])
        for i, state in results[0]["opt"]["state"].items():
            for k, v in state.items():
                np.testing.assert_array_equal(seen["opt"]["state"][i][k], v)


def test_mismatched_models_raise_on_every_rank(tmp_path):
    n = 2
    mpirun(n, "parameters.py", tmp_path, "mismatch", timeout=60)
    for seen in _results(tmp_path, n):
        assert "broadcast_parameters: ranks [1] differ from rank 0" in seen["error"]
        assert ("rank 0 has '0.weight' of shape (4, 8) float32, rank 1 has '0.weight' of "
                "shape (4, 9) float32") in seen["error"]


@pytest.mark.parametrize("module", [True, False], ids=["python -m mpi4py", "python"])
def test_a_rank_that_raises_ends_the_whole_job(module):
    done, elapsed = mpirun(3, "raise_on_one_rank.py", module=module, check=False, timeout=40)
    assert done.returncode != 0
    assert elapsed < 30
    assert "rank 1 fails on purpose" in done.stderr + done.stdout
