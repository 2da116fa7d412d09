"""nn.save / nn.load beyond module states: optimizer states (nested, with strings and tuples),
nn.load_into, the safetensors format, and PyTorch's state-dict layout."""

import math
import sys

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import nn, optim


def _model():
    ag.manual_seed(0)
    return nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.Tanh(), nn.Dropout(0.2),
                         nn.Linear(8, 3))


def _steps(model, opt, n, seed):
    rng = np.random.default_rng(seed)
    model.train()
    for _ in range(n):
        x = ag.tensor(rng.normal(size=(16, 4)).astype("float32"))
        target = rng.integers(0, 3, size=16)
        opt.zero_grad()
        nn.functional.cross_entropy(model(x), target).backward()
        opt.step()


@pytest.mark.parametrize("make", [
    lambda p: optim.Adam(p, lr=0.01, amsgrad=True),
    lambda p: optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True),
    lambda p: optim.RMSprop(p, lr=0.01, centered=True, momentum=0.5),
])
def test_an_optimizer_state_round_trips_and_resumes_bit_identically(tmp_path, make):
    model = _model()
    opt = make(model.parameters())
    _steps(model, opt, 3, seed=1)
    nn.save(model, tmp_path / "model.npz")
    nn.save(opt.state_dict(), tmp_path / "opt.npz")     # failed before: a string dtype
    nn.save(opt, tmp_path / "opt-direct.npz")             # anything with state_dict()
    ag.manual_seed(5)
    _steps(model, opt, 2, seed=2)                        # the uninterrupted run
    resumed = _model()
    nn.load_into(resumed, tmp_path / "model.npz")
    resumed_opt = make(resumed.parameters())
    resumed_opt.load_state_dict(nn.load(tmp_path / "opt.npz"))
    ag.manual_seed(5)                                    # same dropout masks
    _steps(resumed, resumed_opt, 2, seed=2)
    for (name, a), b in zip(model.state_dict().items(), resumed.state_dict().values()):
        np.testing.assert_array_equal(a.numpy(), b.numpy(), err_msg=name)
    direct = nn.load(tmp_path / "opt-direct.npz")
    assert direct["optimizer"] == type(opt).__name__


def test_a_nested_state_keeps_its_types(tmp_path):
    state = {"name": "Adam", "state": {0: {"step": 3, "avg": np.arange(3.0, dtype="float32")},
                                       7: {}},
             "param_groups": [{"betas": (0.9, 0.999), "lr": 1e-3, "nesterov": False,
                               "maximize": None, "params": [0, 7]}],
             "floats": [math.inf, -math.inf], "scalar": np.float32(2.5),
             "tensor": ag.tensor([[1, 2]], dtype="int64"), 2.5: True}
    nn.save(state, tmp_path / "s.npz")
    loaded = nn.load(tmp_path / "s.npz")
    assert loaded["name"] == "Adam" and set(loaded["state"]) == {0, 7}
    assert loaded["state"][0]["step"] == 3 and type(loaded["state"][0]["step"]) is int
    np.testing.assert_array_equal(loaded["state"][0]["avg"], [0, 1, 2])
    assert loaded["state"][0]["avg"].dtype == np.float32 and loaded["state"][7] == {}
    assert loaded["param_groups"] == [{"betas": (0.9, 0.999), "lr": 1e-3, "nesterov": False,
                                       "maximize": None, "params": [0, 7]}]
    assert loaded["floats"] == [math.inf, -math.inf] and loaded[2.5] is True
    assert loaded["scalar"] == np.float32(2.5) and loaded["scalar"].dtype == np.float32
    assert loaded["tensor"].dtype == np.int64 and loaded["tensor"].tolist() == [[1, 2]]
    with np.load(tmp_path / "s.npz", allow_pickle=False) as raw:  # no pickles inside
        assert len(raw.files) == 5  # 3 arrays, the outline, the format marker


@pytest.mark.parametrize("bad", [{"x": {1, 2}}, {"x": [object()]}, {(1, 2): 3},
                                 {"x": {"y": np.array(["text"])}}])
def test_a_state_it_cannot_store_is_refused_and_nothing_is_written(tmp_path, bad):
    with pytest.raises(TypeError, match="save: "):
        nn.save(bad, tmp_path / "bad.npz")
    assert list(tmp_path.iterdir()) == []


def test_a_corrupt_outline_is_a_model_file_error(tmp_path):
    nn.save({"a": [1, 2]}, tmp_path / "s.npz")
    with np.load(tmp_path / "s.npz") as raw:
        arrays = dict(raw)
    arrays["__autograd_core_outline__"] = np.array('{"nonsense": 1}')
    np.savez(tmp_path / "bad.npz", **arrays)
    with pytest.raises(nn.ModelFileError, match="outline"):
        nn.load(tmp_path / "bad.npz")


def test_load_into_loads_a_model_and_says_what_nn_load_returns(tmp_path):
    model, other = _model(), nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.Tanh(),
                                           nn.Dropout(0.2), nn.Linear(8, 3))
    nn.save(model, tmp_path / "m.npz")
    assert isinstance(nn.load(tmp_path / "m.npz"), dict)   # a state dict, not a model
    result = nn.load_into(other, tmp_path / "m.npz")
    assert result.missing_keys == [] and result.unexpected_keys == []
    for a, b in zip(model.state_dict().values(), other.state_dict().values()):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    with pytest.raises(TypeError, match="nn.load"):
        nn.load_into(tmp_path / "m.npz", model)


def test_load_into_leaves_the_model_unchanged_on_a_mismatch(tmp_path):
    nn.save(nn.Linear(4, 2), tmp_path / "small.npz")
    model = nn.Linear(4, 3)
    before = model.weight.numpy().copy()
    with pytest.raises(nn.StateDictError, match="shape"):
        nn.load_into(model, tmp_path / "small.npz")
    np.testing.assert_array_equal(model.weight.numpy(), before)


def test_load_into_refuses_an_optimizer_file(tmp_path):
    model = nn.Linear(2, 2)
    nn.save(optim.SGD(model.parameters(), lr=0.1), tmp_path / "opt.npz")
    with pytest.raises(nn.ModelFileError, match="optimizer.load_state_dict"):
        nn.load_into(model, tmp_path / "opt.npz")


# -- safetensors --------------------------------------------------------------------------------

def test_safetensors_round_trip_and_the_package_reads_the_file(tmp_path):
    st = pytest.importorskip("safetensors.numpy", reason="the .safetensors format is optional")
    model = _model()
    model(ag.randn(16, 4))                     # running statistics move
    path = tmp_path / "m.safetensors"
    nn.save(model, path)
    raw = st.load_file(str(path))              # the package's own reader is the oracle
    assert set(raw) == set(model.state_dict())
    for name, value in model.state_dict().items():
        np.testing.assert_array_equal(raw[name], value.numpy())
        assert raw[name].dtype == value.dtype
    restored = nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.Tanh(), nn.Dropout(0.2),
                             nn.Linear(8, 3))
    nn.load_into(restored, path)
    model.eval(), restored.eval()
    x = ag.randn(5, 4)
    np.testing.assert_array_equal(model(x).numpy(), restored(x).numpy())


def test_a_safetensors_file_written_elsewhere_loads(tmp_path):
    st = pytest.importorskip("safetensors.numpy", reason="the .safetensors format is optional")
    arrays = {"weight": np.arange(6, dtype="float32").reshape(2, 3),
              "bias": np.zeros(3, "float16")}
    st.save_file(arrays, str(tmp_path / "other.safetensors"), metadata={"format": "pt"})
    loaded = nn.load(tmp_path / "other.safetensors")
    np.testing.assert_array_equal(loaded["weight"].numpy(), arrays["weight"])
    assert loaded["bias"].dtype == np.float16


def test_safetensors_errors(tmp_path):
    pytest.importorskip("safetensors.numpy", reason="the .safetensors format is optional")
    model = nn.Linear(2, 2)
    with pytest.raises(TypeError, match="Save an optimizer's state to a .npz"):
        nn.save(optim.SGD(model.parameters(), lr=0.1), tmp_path / "opt.safetensors")
    assert list(tmp_path.iterdir()) == []
    nn.save(model, tmp_path / "m.safetensors")
    data = (tmp_path / "m.safetensors").read_bytes()
    (tmp_path / "cut.safetensors").write_bytes(data[: len(data) // 2])
    with pytest.raises(nn.ModelFileError, match="safetensors"):
        nn.load(tmp_path / "cut.safetensors")


def test_safetensors_without_the_package_names_the_extra(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "safetensors", None)
    monkeypatch.setitem(sys.modules, "safetensors.numpy", None)
    with pytest.raises(ImportError, match=r"autograd-core\[safetensors\]"):
        nn.save(nn.Linear(2, 2), tmp_path / "m.safetensors")


# -- PyTorch's layout ---------------------------------------------------------------------------

def test_to_torch_state_dict_is_pytorchs_equation():
    model = _model().eval()
    state = nn.to_torch_state_dict(model)
    assert state["0.weight"].shape == (8, 4) and state["4.weight"].shape == (3, 8)
    assert state["1.weight"].shape == (8,)          # BatchNorm's weight is not transposed
    x = np.random.default_rng(0).normal(size=(5, 4)).astype("float32")
    # PyTorch's Linear: y = x @ W.T + b, with W of shape (out, in)
    h = x @ state["0.weight"].T + state["0.bias"]
    h = (h - state["1.running_mean"]) / np.sqrt(state["1.running_var"] + 1e-5)
    h = np.tanh(h * state["1.weight"] + state["1.bias"])
    y = h @ state["4.weight"].T + state["4.bias"]
    np.testing.assert_allclose(model(ag.tensor(x)).numpy(), y, rtol=1e-5, atol=1e-6)


def test_from_torch_state_dict_inverts_it_and_checks_the_layout():
    model = _model()
    other = nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.Tanh(), nn.Dropout(0.2),
                          nn.Linear(8, 3))
    other.load_state_dict(nn.from_torch_state_dict(nn.to_torch_state_dict(model), other))
    for a, b in zip(model.state_dict().values(), other.state_dict().values()):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    with pytest.raises(ValueError, match=r"'0.weight' has shape \(4, 8\)"):
        nn.from_torch_state_dict(model.state_dict(), other)   # already in this layout


def _torch_pair(torch):
    ours = _model().eval()
    theirs = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.BatchNorm1d(8),
                                 torch.nn.Tanh(), torch.nn.Dropout(0.2),
                                 torch.nn.Linear(8, 3)).eval()
    return ours, theirs


def test_pytorch_runs_our_weights_and_we_run_its_weights():
    torch = pytest.importorskip("torch", reason="PyTorch is an optional peer library")
    ours, theirs = _torch_pair(torch)
    ours(ag.randn(16, 4))
    ours.eval()
    theirs.load_state_dict({k: torch.from_numpy(v)
                            for k, v in nn.to_torch_state_dict(ours).items()})
    x = np.random.default_rng(1).normal(size=(6, 4)).astype("float32")
    with torch.no_grad():
        expected = theirs(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(ours(ag.tensor(x)).numpy(), expected, rtol=1e-5, atol=1e-6)
    fresh = _model().eval()
    fresh.load_state_dict(nn.from_torch_state_dict(theirs.state_dict(), fresh))
    np.testing.assert_allclose(fresh(ag.tensor(x)).numpy(), expected, rtol=1e-5, atol=1e-6)


def test_safetensors_files_cross_between_pytorch_and_here(tmp_path):
    torch = pytest.importorskip("torch", reason="PyTorch is an optional peer library")
    st_torch = pytest.importorskip("safetensors.torch", reason="safetensors is optional")
    st_numpy = pytest.importorskip("safetensors.numpy", reason="safetensors is optional")
    ours, theirs = _torch_pair(torch)
    st_torch.save_file(theirs.state_dict(), str(tmp_path / "torch.safetensors"))
    ours.load_state_dict(nn.from_torch_state_dict(nn.load(tmp_path / "torch.safetensors"), ours))
    x = np.random.default_rng(2).normal(size=(6, 4)).astype("float32")
    with torch.no_grad():
        expected = theirs(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(ours(ag.tensor(x)).numpy(), expected, rtol=1e-5, atol=1e-6)
    st_numpy.save_file(nn.to_torch_state_dict(ours), str(tmp_path / "ours.safetensors"))
    again = _torch_pair(torch)[1]
    again.load_state_dict(st_torch.load_file(str(tmp_path / "ours.safetensors")))
    with torch.no_grad():
        np.testing.assert_allclose(again(torch.from_numpy(x)).numpy(), expected, rtol=1e-6)
