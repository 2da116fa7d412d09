"""DataLoader and batches(): batch counts, shuffling, seeding, tensors."""

import numpy as np
import pytest

import autograd_core as ag
from autograd_core.datasets import DataLoader, batches


def ids_seen(loader):
    """The sample ids (y values) of one epoch, in order, and the batch sizes."""
    seen, sizes = [], []
    for Xb, yb in loader:
        np.testing.assert_array_equal(Xb.data[:, 0], yb.data * 10)  # X and y stay paired
        seen += yb.data.tolist()
        sizes.append(Xb.shape[0])
    return seen, sizes


@pytest.fixture
def data():
    y = np.arange(10)
    X = np.stack([y * 10.0, -y], axis=1)
    return X, y


def test_len_and_batch_sizes(data):
    X, y = data
    loader = DataLoader(X, y, batch_size=3, seed=0)
    assert len(loader) == 4
    assert ids_seen(loader)[1] == [3, 3, 3, 1]
    dropping = DataLoader(X, y, batch_size=3, drop_last=True, seed=0)
    assert len(dropping) == 3
    seen, sizes = ids_seen(dropping)
    assert sizes == [3, 3, 3] and len(set(seen)) == 9
    assert len(DataLoader(X, y, batch_size=5, drop_last=True)) == 2
    assert len(DataLoader(X, y, batch_size=32)) == 1


def test_every_sample_once_per_epoch_and_reshuffled(data):
    X, y = data
    loader = DataLoader(X, y, batch_size=4, seed=1)
    epochs = [ids_seen(loader)[0] for _ in range(4)]
    for seen in epochs:
        assert sorted(seen) == list(range(10))
    assert len({tuple(e) for e in epochs}) > 1  # 4 equal permutations of 10: p < 1e-19


def test_seed_reproducible_across_loaders(data):
    X, y = data
    a = DataLoader(X, y, batch_size=4, seed=123)
    b = DataLoader(X, y, batch_size=4, seed=123)
    assert [ids_seen(a)[0] for _ in range(3)] == [ids_seen(b)[0] for _ in range(3)]
    c = DataLoader(X, y, batch_size=4, seed=124)
    assert ids_seen(c)[0] != ids_seen(DataLoader(X, y, batch_size=4, seed=123))[0]


def test_no_shuffle_keeps_order(data):
    X, y = data
    assert ids_seen(DataLoader(X, y, batch_size=4, shuffle=False))[0] == list(range(10))


def test_returns_tensors_with_requested_dtype(data):
    X, y = data
    Xb, yb = next(iter(DataLoader(X, y, batch_size=4, dtype=np.float32, seed=0)))
    assert isinstance(Xb, ag.Tensor) and isinstance(yb, ag.Tensor)
    assert Xb.shape == (4, 2) and yb.shape == (4,)
    assert Xb.data.dtype == np.float32
    assert yb.data.dtype == np.int64  # labels keep their dtype
    assert Xb.device == "cpu"


def test_without_y_yields_tensors_alone(data):
    X, _ = data
    out = list(DataLoader(X, batch_size=6, shuffle=False))
    assert all(isinstance(b, ag.Tensor) for b in out)
    np.testing.assert_array_equal(np.concatenate([b.data for b in out]), X)


def test_tensor_inputs_are_indexed_in_place(data):
    X, y = data
    Xt, yt = ag.tensor(X), ag.tensor(y)
    seen, sizes = ids_seen(DataLoader(Xt, yt, batch_size=4, seed=0))
    assert sorted(seen) == list(range(10)) and sizes == [4, 4, 2]
    Xb, _ = next(iter(DataLoader(Xt, yt, batch_size=4, seed=0)))
    assert Xb.device == Xt.device


def test_batches_function_matches_loader(data):
    X, y = data
    from_function = [b.data.tolist() for _, b in batches(X, y, batch_size=3, seed=5)]
    from_loader = [b.data.tolist() for _, b in DataLoader(X, y, batch_size=3, seed=5)]
    assert from_function == from_loader
    assert len(from_function) == 4
    assert len(list(batches(X, y, 3, drop_last=True, seed=5))) == 3


def test_errors(data):
    X, y = data
    with pytest.raises(ValueError, match=r"X has 10 samples.*y has 9"):
        DataLoader(X, y[:9])
    with pytest.raises(ValueError, match="batch_size"):
        DataLoader(X, y, batch_size=0)


@pytest.mark.gpu
@pytest.mark.skipif(not ag.backend.cupy_available(), reason="needs CuPy and a CUDA device")
def test_gpu_data_stays_on_gpu(data):
    X, y = data
    Xt, yt = ag.tensor(X, device="cuda"), ag.tensor(y, device="cuda")
    seen = []
    for Xb, yb in DataLoader(Xt, yt, batch_size=4, seed=0):
        assert Xb.device == "cuda:0" and yb.device == "cuda:0"
        assert ag.backend.array_module(Xb.data) is not np
        seen += yb.data.get().tolist()
    assert sorted(seen) == list(range(10))
