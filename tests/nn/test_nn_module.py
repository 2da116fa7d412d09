"""Module: registration by attribute assignment, traversal, modes, grads, devices and
state_dict / load_state_dict with its errors."""

import copy

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import nn


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.scale = nn.Parameter(np.ones(3))
        self.inner = nn.Linear(3, 2)
        self.register_buffer("count", ag.tensor(0))
        self.note = "plain attribute"
        self.constant = ag.tensor([1.0, 2.0])  # a plain Tensor is not registered

    def forward(self, x):
        return self.inner(x * self.scale)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.block = Block()
        self.head = nn.Sequential(nn.ReLU(), nn.Linear(2, 1))
        self.drop = nn.Dropout(0.5)

    def forward(self, x):
        return self.head(self.drop(self.block(x)))


def test_parameter_is_a_leaf_tensor_that_requires_grad():
    p = nn.Parameter([1.0, 2.0])
    assert isinstance(p, ag.Tensor) and isinstance(p, nn.Parameter)
    assert p.requires_grad and p.is_leaf and p.dtype == np.float32
    y = p * 2
    assert type(y) is ag.Tensor
    y.sum().backward()
    np.testing.assert_array_equal(p.grad.numpy(), [2, 2])
    assert not nn.Parameter([1.0], requires_grad=False).requires_grad
    assert "Parameter containing" in repr(p)
    with pytest.raises(TypeError, match="only floating-point"):
        nn.Parameter([1, 2])


def test_registration_and_traversal():
    net = Net()
    names = [n for n, _ in net.named_parameters()]
    assert names == ["block.scale", "block.inner.weight", "block.inner.bias", "head.1.weight",
                     "head.1.bias"]
    assert [n for n, _ in net.named_buffers()] == ["block.count"]
    assert [n for n, _ in net.named_modules()] == ["", "block", "block.inner", "head", "head.0",
                                                  "head.1", "drop"]
    assert [type(m).__name__ for m in net.children()] == ["Block", "Sequential", "Dropout"]
    assert len(list(net.modules())) == 7
    assert net.num_parameters() == 3 + 6 + 2 + 2 + 1
    assert net.block.note == "plain attribute"
    assert "constant" not in dict(net.block.named_parameters())
    assert "scale" in dir(net.block)


def test_shared_parameters_appear_once_and_reassignment_replaces():
    shared = nn.Linear(2, 2)
    seq = nn.Sequential(shared, shared)
    assert len(list(seq.parameters())) == 2
    block = Block()
    block.inner = nn.Linear(3, 5)
    assert block.inner.out_features == 5
    block.scale = nn.Parameter(np.zeros(3))
    assert np.all(block.scale.numpy() == 0)
    with pytest.raises(TypeError, match="cannot assign a Tensor to parameter 'scale'"):
        block.scale = ag.tensor([1.0])
    with pytest.raises(TypeError, match="sub-module 'inner'"):
        block.inner = 3
    block.inner = None
    assert [n for n, _ in block.named_parameters()] == ["scale"]
    del block.scale
    assert list(block.parameters()) == []


def test_forgetting_super_init_gives_a_clear_error():
    class Broken(nn.Module):
        def __init__(self):
            self.w = nn.Parameter([1.0])

    with pytest.raises(AttributeError, match=r"call super\(\).__init__\(\) first"):
        Broken()


def test_train_eval_propagate():
    net = Net()
    assert all(m.training for m in net.modules())
    assert net.eval() is net
    assert not any(m.training for m in net.modules())
    net.train()
    assert all(m.training for m in net.modules())


def test_zero_grad_and_requires_grad():
    net = Net()
    net(ag.randn(4, 3)).sum().backward()
    assert all(p.grad is not None for p in net.parameters())
    net.zero_grad(set_to_none=False)
    assert all(np.all(p.grad.numpy() == 0) for p in net.parameters())
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())
    net.requires_grad_(False)
    assert not any(p.requires_grad for p in net.parameters())


def test_to_casts_in_place_and_keeps_parameter_identity():
    net = Net()
    params = list(net.parameters())
    assert net.to(dtype="float64") is net
    assert [id(p) for p in net.parameters()] == [id(p) for p in params]
    assert all(p.dtype == np.float64 for p in params)
    assert net.block.count.dtype == np.int64  # integers are not cast
    assert net.to("cpu") is net


def test_forward_hooks_and_repr():
    net = Net()
    seen = []
    handle = net.block.register_forward_hook(lambda m, i, o: seen.append(o.shape))
    net(ag.randn(4, 3))
    handle.remove()
    net(ag.randn(4, 3))
    assert seen == [(4, 2)]
    text = repr(net)
    assert "(block): Block(" in text and "Linear(in_features=3, out_features=2, bias=True)" in text


def test_state_dict_contents_and_round_trip():
    net, other = Net(), Net()
    state = net.state_dict()
    assert list(state) == ["block.scale", "block.inner.weight", "block.inner.bias",
                           "head.1.weight", "head.1.bias", "block.count"]
    assert all(type(v) is ag.Tensor and not v.requires_grad for v in state.values())
    result = other.load_state_dict(state)
    assert result.missing_keys == [] and result.unexpected_keys == []
    x = ag.randn(5, 3)
    net.eval(), other.eval()
    np.testing.assert_array_equal(net(x).numpy(), other(x).numpy())
    # loaded values are copies, not aliases of the source
    other.block.scale.data[0] = 7.0
    assert net.block.scale.numpy()[0] == 1.0


def test_load_state_dict_accepts_arrays_and_casts_dtype():
    net = nn.Linear(2, 3)
    net.load_state_dict({"weight": np.arange(6.0).reshape(2, 3), "bias": [1, 2, 3]})
    assert net.weight.dtype == np.float32 and net.bias.dtype == np.float32
    np.testing.assert_array_equal(net.bias.numpy(), [1, 2, 3])


def _snapshot(module):
    return {k: v.numpy().copy() for k, v in module.state_dict().items()}


def _assert_unchanged(module, before):
    after = _snapshot(module)
    assert after.keys() == before.keys()
    for k in before:
        np.testing.assert_array_equal(after[k], before[k])


def test_load_state_dict_errors_name_the_keys_and_change_nothing():
    net = Net()
    good = {k: v.numpy().copy() + 1 for k, v in Net().state_dict().items()}
    before = _snapshot(net)

    missing = dict(good)
    del missing["block.inner.bias"]
    with pytest.raises(nn.StateDictError, match="missing keys: block.inner.bias"):
        net.load_state_dict(missing)
    _assert_unchanged(net, before)

    extra = dict(good, **{"head.2.weight": np.zeros(2)})
    with pytest.raises(nn.StateDictError, match="unexpected keys: head.2.weight"):
        net.load_state_dict(extra)
    _assert_unchanged(net, before)

    wrong = dict(good, **{"head.1.weight": np.zeros((1, 2))})
    with pytest.raises(nn.StateDictError,
                       match=r"shape mismatch for 'head.1.weight': the module has \(2, 1\), "
                             r"the state has \(1, 2\)"):
        net.load_state_dict(wrong)
    _assert_unchanged(net, before)

    with pytest.raises(nn.StateDictError, match="not a numeric array"):
        net.load_state_dict(dict(good, **{"block.scale": np.array(["a", "b", "c"])}))
    _assert_unchanged(net, before)

    # strict=False reports but tolerates missing / unexpected keys; shapes are always checked
    result = net.load_state_dict(dict(missing, **{"extra": np.zeros(1)}), strict=False)
    assert result.missing_keys == ["block.inner.bias"] and result.unexpected_keys == ["extra"]
    np.testing.assert_array_equal(net.block.scale.numpy(), good["block.scale"])
    with pytest.raises(nn.StateDictError, match="shape mismatch"):
        net.load_state_dict(wrong, strict=False)


def test_load_state_dict_bumps_versions_so_stale_graphs_fail_loudly():
    lin = nn.Linear(2, 2)
    y = (ag.randn(3, 2, requires_grad=True) @ lin.weight).sum()
    lin.load_state_dict(nn.Linear(2, 2).state_dict())
    with pytest.raises(RuntimeError, match="modified in place"):
        y.backward()


def test_deepcopy_gives_an_independent_module():
    net = Net()
    clone = copy.deepcopy(net)
    clone.block.scale.data[...] = 5
    assert net.block.scale.numpy()[0] == 1
    assert [n for n, _ in clone.named_parameters()] == [n for n, _ in net.named_parameters()]


def test_sequential_and_module_list():
    seq = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2))
    assert len(seq) == 3 and isinstance(seq[0], nn.Linear) and isinstance(seq[-1], nn.Linear)
    sub = seq[1:]
    assert isinstance(sub, nn.Sequential) and len(sub) == 2
    x = ag.randn(5, 3)
    np.testing.assert_allclose(seq(x).numpy(), seq[2](seq[1](seq[0](x))).numpy())
    seq.append(nn.Sigmoid())
    assert [n for n, _ in seq.named_children()] == ["0", "1", "2", "3"]
    with pytest.raises(TypeError, match="not an nn.Module"):
        nn.Sequential(nn.Linear(1, 1), lambda x: x)
    layers = nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 2)])
    assert len(list(layers.parameters())) == 4 and len(layers) == 2
    assert isinstance(nn.Lambda(ag.exp)(x), ag.Tensor)
