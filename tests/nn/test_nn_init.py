"""nn.init: distributions and their variances, fans, seeding, in-place semantics."""

import math

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import nn
from autograd_core.nn import init


def _param(*shape, dtype="float64"):
    return nn.Parameter(ag.zeros(*shape, dtype=dtype))


def test_fans_follow_the_in_out_layout():
    assert init.fans((3, 5)) == (3, 5)
    assert init.fans((7,)) == (7, 7)
    assert init.fans((2, 4, 3, 3)) == (18, 36)
    with pytest.raises(ValueError, match="0-d"):
        init.fans(())


VARIANCES = {
    "xavier_uniform_": lambda fi, fo: 2 / (fi + fo),
    "xavier_normal_": lambda fi, fo: 2 / (fi + fo),
    "kaiming_uniform_": lambda fi, fo: 2 / fi,
    "kaiming_normal_": lambda fi, fo: 2 / fi,
    "lecun_uniform_": lambda fi, fo: 1 / fi,
    "lecun_normal_": lambda fi, fo: 1 / fi,
}


@pytest.mark.parametrize("name", sorted(VARIANCES))
def test_variance_of_each_scheme(name):
    w = getattr(init, name)(_param(400, 300), generator=0)
    expected = VARIANCES[name](400, 300)
    assert abs(w.numpy().mean()) < 0.01 * math.sqrt(expected) * 10
    assert abs(w.numpy().var() / expected - 1) < 0.03
    if "uniform" in name:
        assert np.abs(w.numpy()).max() <= math.sqrt(3 * expected) + 1e-12


def test_aliases_gains_and_options():
    assert init.glorot_uniform_ is init.xavier_uniform_ and init.he_normal_ is init.kaiming_normal_
    assert init.calculate_gain("tanh") == pytest.approx(5 / 3)
    assert init.calculate_gain("relu") == pytest.approx(math.sqrt(2))
    assert init.calculate_gain("leaky_relu", 0.2) == pytest.approx(math.sqrt(2 / 1.04))
    with pytest.raises(ValueError, match="unknown nonlinearity"):
        init.calculate_gain("cosine")
    w = init.kaiming_normal_(_param(100, 2000), mode="fan_out", generator=1)
    assert abs(w.numpy().var() / (2 / 2000) - 1) < 0.05
    with pytest.raises(ValueError, match="mode must be"):
        init.kaiming_uniform_(_param(2, 2), mode="fan_avg")
    with pytest.raises(ValueError, match="unknown initialiser"):
        init.get_initializer("glorot_magic")


def test_constant_uniform_normal_and_dtype_is_kept():
    p = _param(50, 40, dtype="float32")
    assert init.zeros_(p) is p and np.all(p.numpy() == 0)
    init.ones_(p)
    assert np.all(p.numpy() == 1)
    init.constant_(p, 0.25)
    assert np.all(p.numpy() == 0.25) and p.dtype == np.float32
    init.uniform_(p, -2, 3, generator=0)
    assert p.numpy().min() >= -2 and p.numpy().max() < 3 and p.dtype == np.float32
    init.normal_(p, 5.0, 0.1, generator=0)
    assert abs(p.numpy().mean() - 5) < 0.01


def test_seeding_is_reproducible_and_global_seed_applies():
    a = init.xavier_uniform_(_param(4, 5), generator=3).numpy()
    b = init.xavier_uniform_(_param(4, 5), generator=ag.Generator(3)).numpy()
    np.testing.assert_array_equal(a, b)
    ag.manual_seed(9)
    c = nn.Linear(4, 5).weight.numpy()
    ag.manual_seed(9)
    np.testing.assert_array_equal(c, nn.Linear(4, 5).weight.numpy())
    assert not np.array_equal(c, nn.Linear(4, 5).weight.numpy())


def test_init_bumps_the_version():
    p = _param(2, 2)
    y = (ag.ones(1, 2, dtype="float64", requires_grad=True) @ p).sum()
    init.normal_(p, generator=0)
    with pytest.raises(RuntimeError, match="modified in place"):
        y.backward()


def test_no_layer_starts_with_all_zero_weights():
    for layer in (nn.Linear(3, 3), *nn.MLP(3, [4, 4], 2)):
        for name, p in layer.named_parameters():
            if name == "weight":
                assert np.any(p.numpy() != 0)
                assert len(np.unique(p.numpy())) == p.size  # symmetry broken


@pytest.mark.parametrize("name, bound, std", [("random_uniform", 0.05, 0.05 / math.sqrt(3)),
                                              ("random_normal", None, 0.05)])
def test_keras_initializer_names_use_keras_default_ranges(name, bound, std):
    layer = nn.Linear(400, 300, init=name, generator=0, dtype="float64")
    w = layer.weight.numpy()
    assert abs(w.mean()) < 0.001
    assert abs(w.std() / std - 1) < 0.02
    if bound is not None:
        assert w.min() >= -bound and w.max() <= bound and w.max() > 0.999 * bound
    assert np.all(layer.bias.numpy() == 0)


def test_keras_zero_initializer_and_case():
    assert np.all(nn.Linear(3, 4, init="zero").weight.numpy() == 0)
    assert init.get_initializer("Random_Uniform") is init.get_initializer("random_uniform")
    with pytest.raises(ValueError, match="random_uniform"):
        init.get_initializer("random_magic")  # the message lists the Keras names too
