"""Files that training writes (CSV logs, checkpoints, learning curves, lr-finder plots) go into
folders that need not exist yet: the parents are created, as ``runs/...`` in the README needs."""

import csv

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import nn, optim


def _data(n=24):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(n, 3)).astype("float32")
    return X, (X @ np.array([[1.0], [-2.0], [0.5]], dtype="float32"))


def test_csv_logger_creates_missing_parent_folders(tmp_path):
    X, y = _data()
    path = tmp_path / "runs" / "deep" / "log.csv"
    nn.fit(nn.Linear(3, 1), X, y, loss="mse", epochs=2, verbose=0, callbacks=[nn.CSVLogger(path)])
    with open(path, newline="") as f:
        assert [row[0] for row in csv.reader(f)] == ["epoch", "0", "1"]


def test_model_checkpoint_creates_missing_parent_folders(tmp_path):
    X, y = _data()
    model = nn.Linear(3, 1)
    checkpoint = nn.ModelCheckpoint(tmp_path / "runs" / "{epoch}" / "m.npz", monitor="loss")
    nn.fit(model, X, y, loss="mse", epochs=2, verbose=0, callbacks=[checkpoint])
    assert checkpoint.saved == [str(tmp_path / "runs" / str(e) / "m.npz") for e in (1, 2)]
    restored = nn.Linear(3, 1)
    restored.load_state_dict(nn.load(checkpoint.saved[-1]))
    np.testing.assert_array_equal(restored.weight.numpy(), model.weight.numpy())


def test_history_plot_creates_missing_parent_folders(tmp_path):
    pytest.importorskip("matplotlib", reason="History.plot draws with matplotlib")
    X, y = _data()
    history = nn.fit(nn.Linear(3, 1), X, y, loss="mse", epochs=2, verbose=0)
    path = tmp_path / "runs" / "plots" / "curves.png"
    history.plot(path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_lr_finder_plot_creates_missing_parent_folders(tmp_path):
    pytest.importorskip("matplotlib", reason="LRFinderResult.plot draws with matplotlib")
    X, y = _data()
    ag.manual_seed(0)
    model = nn.Linear(3, 1)
    batches = [(ag.tensor(X[i:i + 8]), ag.tensor(y[i:i + 8])) for i in range(0, 24, 8)]
    result = optim.find_lr(model, nn.functional.mse_loss, batches, num_iter=6)
    path = tmp_path / "runs" / "lr" / "lr.png"
    result.plot(path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
