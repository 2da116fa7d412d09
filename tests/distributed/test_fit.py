"""fit(distributed=True) / evaluate(distributed=True): 3 ranks, Ctrl-C, and a world of one."""

import os
import pickle
import sys

import numpy as np
import pytest

from autograd_core import nn, optim

from _mpi_launch import WORKERS, mpirun

sys.path.insert(0, str(WORKERS))
import _problem as P  # noqa: E402


def _results(path, n):
    return [pickle.loads((path / f"rank{r}.pkl").read_bytes()) for r in range(n)]


def _equal(a, b):
    return all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))


@pytest.fixture(scope="module")
def three_ranks(tmp_path_factory):
    out = tmp_path_factory.mktemp("fit")
    mpirun(3, "fit_runs.py", out, timeout=120)
    return out, _results(out, 3)


def test_history_is_identical_on_every_rank_and_equals_full_set_evaluate(three_ranks):
    _, results = three_ranks
    root = results[0]["early"]
    assert 2 <= len(root["history"]["loss"]) < 30  # EarlyStopping stopped it...
    for seen in results:
        early = seen["early"]
        assert early["history"] == root["history"]  # ...at the same epoch on every rank
        assert early["stopped_epoch"] == root["stopped_epoch"] == len(root["history"]["loss"]) - 1
        assert _equal(early["params"], root["params"])
        # the last epoch's validation figures are those of the whole validation set
        assert early["history"]["val_loss"][-1] == pytest.approx(early["val"]["loss"], rel=1e-12)
        assert early["history"]["val_accuracy"][-1] == early["val"]["accuracy"]
        for part in ("val", "train"):
            full, split = early[part], early[part + "_distributed"]
            assert split["loss"] == pytest.approx(full["loss"], rel=1e-12)
            assert split["accuracy"] == full["accuracy"]
            assert split == root[part + "_distributed"]


def test_regression_metrics_over_the_ranks_are_the_full_set_values(three_ranks):
    _, results = three_ranks
    for seen in results:
        full, split = seen["regression"]
        assert split.keys() == full.keys() == {"loss", "r2", "rmse", "mae"}
        for key in full:
            assert split[key] == pytest.approx(full[key], rel=1e-12), key
        assert split == results[0]["regression"][1]


def test_files_are_written_by_rank_zero_only(three_ranks):
    out, results = three_ranks
    epochs = len(results[0]["early"]["history"]["loss"])
    assert sorted(os.listdir(out / "early" / "rank0")) == sorted(
        [f"ckpt-{e}.npz" for e in range(1, epochs + 1)] + ["log.csv"])
    assert len((out / "early" / "rank0" / "log.csv").read_text().splitlines()) == epochs + 1
    for kind in ("early", "full", "half", "resumed"):
        assert not (out / kind / "rank1").exists() and not (out / kind / "rank2").exists()


def test_equal_to_one_process_on_the_global_batch(three_ranks):
    _, results = three_ranks
    # 3 ranks x 4 per rank, no shuffling: the global batches are [0, 12), [12, 24), ...
    X, y = P.data("float64", n=50)
    model = P.model("float64")
    nn.fit(model, X, y, optimizer=optim.Adam(model.parameters(), lr=0.01), epochs=4,
           batch_size=12, shuffle=False, verbose=0)
    for seen in results:
        assert _equal(seen["full"], results[0]["full"])
        for got, want in zip(seen["full"], P.params(model), strict=True):
            np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)


def test_resuming_from_a_checkpoint_follows_the_uninterrupted_trajectory(three_ranks):
    _, results = three_ranks
    for seen in results:
        assert seen["resumed_lr"] == 0.01  # rank 0's loaded state reached every rank
        assert _equal(seen["resumed"], results[0]["full"])


def test_sigint_stops_every_rank_after_the_same_batch(tmp_path):
    mpirun(3, "interrupt.py", tmp_path, timeout=120)
    results = _results(tmp_path, 3)
    for round_ in range(4):  # 0-2: every rank at its own time; 3: rank 1 only
        runs = [seen[round_] for seen in results]
        assert all(run["interrupted"] for run in runs), runs
        assert len({run["batches"] for run in runs}) == 1, runs
        assert runs[0]["epochs"] < 100


# -- a world of one, in this process -----------------------------------------------------------

@pytest.mark.parametrize("opt", ["adam", "sgd"])
def test_world_of_one_fit_equals_fit(opt):
    X, y = P.data("float64")
    Xv, yv = P.data("float64", n=130)
    runs = []
    for distributed in (False, True):
        model = P.model("float64")
        history = nn.fit(model, X, y, optimizer=opt, lr=0.05, epochs=3, batch_size=8,
                         shuffle=False, validation_data=(Xv[102:], yv[102:]),
                         metrics=["accuracy"], verbose=0, distributed=distributed)
        runs.append((P.params(model), history.history))
    assert _equal(runs[0][0], runs[1][0])
    assert runs[0][1].keys() == runs[1][1].keys()
    for key in runs[0][1]:
        np.testing.assert_allclose(runs[1][1][key], runs[0][1][key], rtol=1e-13, err_msg=key)
    model = P.model("float64")
    full = nn.evaluate(model, X, y, metrics=["accuracy"])
    assert nn.evaluate(model, X, y, metrics=["accuracy"], distributed=True) == pytest.approx(full)


def test_world_of_one_fit_shuffles_from_the_seed_and_stops_on_request():
    X, y = P.data("float64")
    histories = [nn.fit(P.model("float64"), X, y, epochs=2, seed=3, verbose=0,
                        distributed=True).history for _ in range(2)]
    assert histories[0] == histories[1]

    class Stop(nn.Callback):
        def on_batch_end(self, batch, logs=None):
            if batch == 1:
                self.model.stop_training = True

    history = nn.fit(P.model("float64"), X, y, epochs=5, verbose=0, callbacks=[Stop()],
                     distributed=True)
    assert len(history) == 1 and history.stopped_epoch == 0
