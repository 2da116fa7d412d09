"""nn.save / nn.load: round trip through a file, the safe format, and clear errors that
leave the model untouched."""

import os
import zipfile

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import nn


def _model():
    return nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Dropout(0.3),
                         nn.Linear(8, 3))


def _snapshot(module):
    return {k: v.numpy().copy() for k, v in module.state_dict().items()}


def test_round_trip_through_a_file_gives_identical_outputs(tmp_path):
    model = _model()
    for _ in range(3):  # move the running statistics away from their initial values
        model(ag.randn(16, 4) * 3 + 1)
    path = tmp_path / "model.npz"
    nn.save(model, path)
    restored = _model()
    restored.load_state_dict(nn.load(path))
    model.eval(), restored.eval()
    x = ag.randn(10, 4)
    np.testing.assert_array_equal(model(x).numpy(), restored(x).numpy())
    for name, value in model.state_dict().items():
        loaded = restored.state_dict()[name]
        assert loaded.dtype == value.dtype and loaded.shape == value.shape
    assert restored[1].num_batches_tracked.item() == 3


def test_save_accepts_a_state_dict_and_keeps_dtypes(tmp_path):
    state = {"a": np.arange(3, dtype=np.int32), "b": ag.tensor(np.ones((2, 2)))}
    nn.save(state, tmp_path / "state")  # no extension is added
    assert os.path.exists(tmp_path / "state")
    loaded = nn.load(tmp_path / "state")
    assert loaded["a"].dtype == np.int32 and loaded["b"].dtype == np.float64


def test_the_file_is_a_plain_npz_without_pickles(tmp_path):
    path = tmp_path / "m.npz"
    nn.save(_model(), path)
    with zipfile.ZipFile(path) as z:
        assert "__autograd_core_format__.npy" in z.namelist()
    with np.load(path, allow_pickle=False) as archive:
        assert all(archive[k].dtype != object for k in archive.files)
    assert [p.name for p in tmp_path.iterdir()] == ["m.npz"]  # no temporary left behind


def test_a_pickle_bomb_is_refused_without_running_code(tmp_path):
    marker = tmp_path / "pwned"
    payload = np.array([_Evil(str(marker))], dtype=object)
    path = tmp_path / "evil.npz"
    np.savez(path, **{"__autograd_core_format__": np.array("autograd_core.nn.state_dict/1"),
                      "weight": payload})
    with pytest.raises(nn.ModelFileError):
        nn.load(path)
    assert not marker.exists()


class _Evil:
    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (open, (self.path, "w"))


@pytest.mark.parametrize("kind", ["text", "npz_without_marker", "npy", "truncated", "empty",
                                  "wrong_version"])
def test_bad_files_raise_clearly_and_leave_the_model_unchanged(tmp_path, kind):
    path = tmp_path / "file.npz"
    if kind == "text":
        path.write_text("not a model at all")
    elif kind == "npz_without_marker":
        np.savez(path, weight=np.zeros((4, 8)))
    elif kind == "npy":
        np.save(path, np.zeros(3))
        path = tmp_path / "file.npz.npy"
    elif kind == "truncated":
        nn.save(_model(), path)
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "wrong_version":
        np.savez(path, __autograd_core_format__=np.array("something-else/9"))
    model = _model()
    before = _snapshot(model)
    with pytest.raises(nn.ModelFileError, match=str(path.name)):
        model.load_state_dict(nn.load(path))
    after = _snapshot(model)
    assert all(np.array_equal(before[k], after[k]) for k in before)


def test_mismatched_shapes_in_a_file_raise_and_change_nothing(tmp_path):
    path = tmp_path / "small.npz"
    nn.save(nn.Sequential(nn.Linear(4, 5)), path)
    model = nn.Sequential(nn.Linear(4, 6))
    before = _snapshot(model)
    with pytest.raises(nn.StateDictError, match=r"shape mismatch for '0.weight'"):
        model.load_state_dict(nn.load(path))
    after = _snapshot(model)
    assert all(np.array_equal(before[k], after[k]) for k in before)


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such file"):
        nn.load(tmp_path / "nope.npz")


def test_save_overwrites_atomically(tmp_path):
    path = tmp_path / "m.npz"
    a, b = nn.Linear(2, 2), nn.Linear(2, 2)
    nn.save(a, path)
    nn.save(b, path)
    np.testing.assert_array_equal(nn.load(path)["weight"].numpy(), b.weight.numpy())
    with pytest.raises(TypeError, match="only numeric arrays"):
        nn.save({"w": np.array(["x"])}, path)
    np.testing.assert_array_equal(nn.load(path)["weight"].numpy(), b.weight.numpy())
