"""DistributedOptimizer: 4 ranks on uneven shards against one process, and a world of one."""

import pickle
import sys

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import distributed as dist
from autograd_core import nn, optim

from _mpi_launch import WORKERS, mpirun

sys.path.insert(0, str(WORKERS))
import _problem as P  # noqa: E402

RUNS = [(name, dtype) for name in ("sgd", "adam") for dtype in ("float64", "float32")]


@pytest.fixture(scope="module")
def four_ranks(tmp_path_factory):
    out = tmp_path_factory.mktemp("optimizer")
    mpirun(4, "optimizer_steps.py", out, timeout=120)
    return [pickle.loads((out / f"rank{r}.pkl").read_bytes()) for r in range(4)]


def _equal(a, b):
    return all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))


@pytest.mark.parametrize("run", RUNS, ids=["-".join(r) for r in RUNS])
def test_parameters_are_bitwise_identical_on_every_rank(four_ranks, run):
    root = four_ranks[0][run]
    for seen in four_ranks:
        assert _equal(seen[run], root), f"rank {seen['rank']} differs from rank 0"


@pytest.mark.parametrize("run", RUNS, ids=["-".join(r) for r in RUNS])
def test_overlapped_and_non_overlapped_all_reduce_are_bitwise_identical(four_ranks, run):
    for seen in four_ranks:
        assert _equal(seen[run + ("no overlap",)], seen[run])
        assert _equal(seen[run + ("small buckets",)], seen[run])
    assert four_ranks[0]["buckets"] == [4]  # the default cap fuses the whole model


@pytest.mark.parametrize("run", RUNS, ids=["-".join(r) for r in RUNS])
def test_uneven_shards_equal_one_process_on_the_global_batch(four_ranks, run):
    name, dtype = run
    # shards of 26, 26, 25, 25 in batches of 10: global batches of 40, 40 and 22
    assert [s[run + ("sizes",)] for s in four_ranks] == [[10, 10, 6] * 2] * 2 + [[10, 10, 5] * 2] * 2
    expected = P.train_single(name, dtype, steps=6, global_batch=40)
    tolerance = {"float64": dict(rtol=0, atol=1e-12), "float32": dict(rtol=0, atol=1e-6)}[dtype]
    if (name, dtype) == ("adam", "float32"):
        tolerance = dict(rtol=2e-4, atol=0)
    assert not np.allclose(expected[0], P.params(P.model(dtype))[0])  # training moved them
    for got, want in zip(four_ranks[0][run], expected, strict=True):
        np.testing.assert_allclose(got, want, **tolerance)


def test_missing_gradients_count_as_zero(four_ranks):
    for seen in four_ranks:
        a, b, unused = seen["missing"]
        np.testing.assert_array_equal(a, np.full(3, np.mean([1.0, 2.0, 3.0, 4.0])))
        np.testing.assert_array_equal(b, np.full(3, 2.0 / 4))  # only rank 0 had one
        assert unused is None  # no rank had one: the step skips it, as one process would


def test_no_sync_accumulates_like_backward_passes_per_step(four_ranks):
    for seen in four_ranks:
        # w = 1 - 0.5 * mean over ranks of (r + 1) * (1 + 2 w)
        np.testing.assert_array_equal(seen["no_sync"], np.full(4, 1 - 0.5 * 2.5 * 3))
        np.testing.assert_array_equal(seen["passes"], seen["no_sync"])
        assert "more than backward_passes_per_step=2 backward passes" in seen["passes_error"]


def test_debug_mode_raises_on_every_rank_when_buckets_differ(four_ranks):
    for seen in four_ranks:
        assert "AUTOGRAD_CORE_DIST_DEBUG=1" in seen["debug"]
        assert "rank 0 bucket 0 (float64 on cpu, parameter shapes [(3,), (8, 3), (8,), (5, 8)])" \
            in seen["debug"]
        assert "rank 1 bucket 0 (float64 on cpu, parameter shapes [(3,)])" in seen["debug"]


# -- a world of one, in this process -----------------------------------------------------------

def _steps(opt, net, X, y, distributed):
    for start in range(0, len(X), 16):
        opt.zero_grad()
        if distributed:
            opt.set_samples(len(X[start:start + 16]))
        nn.functional.cross_entropy(net(ag.tensor(X[start:start + 16])),
                                    ag.tensor(y[start:start + 16])).backward()
        opt.step()


@pytest.mark.parametrize("average", ["samples", "ranks"])
def test_world_of_one_steps_exactly_like_the_plain_optimizer(average):
    X, y = P.data("float64")
    runs = []
    for distributed in (False, True):
        net = P.model("float64")
        opt = optim.Adam(net.parameters(), lr=0.01)
        if distributed:
            opt = dist.DistributedOptimizer(opt, average=average)
        _steps(opt, net, X, y, distributed and average == "samples")
        runs.append(P.params(net))
    assert _equal(*runs)


def test_still_the_wrapped_class_and_its_state_dict_round_trips():
    X, y = P.data("float64")
    net = P.model("float64")
    plain = optim.SGD(net.parameters(), lr=0.1, momentum=0.9)
    scheduler = optim.lr_scheduler.StepLR(plain, step_size=1, gamma=0.5)
    opt = dist.DistributedOptimizer(plain)
    assert opt is plain and isinstance(opt, optim.SGD) and dist.is_distributed_optimizer(opt)
    assert type(opt).__name__ == "SGD" and repr(opt).startswith("DistributedOptimizer(SGD (")
    _steps(opt, net, X, y, True)
    scheduler.step()
    assert opt.param_groups[0]["lr"] == 0.05
    state = opt.state_dict()
    assert state["optimizer"] == "SGD"
    other = optim.SGD(P.model("float64").parameters(), lr=1.0)
    other.load_state_dict(state)  # into a plain optimizer...
    assert other.param_groups[0]["lr"] == 0.05
    np.testing.assert_array_equal(other.state_dict()["state"][0]["momentum_buffer"],
                                  state["state"][0]["momentum_buffer"])
    again = dist.DistributedOptimizer(optim.SGD(P.model("float64").parameters(), lr=1.0))
    again.load_state_dict(other.state_dict())  # ...and back
    assert again.param_groups[0]["lr"] == 0.05


def test_bad_arguments_and_misuse_are_explained():
    w = ag.tensor(np.ones(2), requires_grad=True)
    with pytest.raises(TypeError, match="expected an optim.Optimizer"):
        dist.DistributedOptimizer([w])
    with pytest.raises(ValueError, match="average must be one of"):
        dist.DistributedOptimizer(optim.SGD([w]), average="mean")
    with pytest.raises(ValueError, match="backward_passes_per_step must be an int >= 1"):
        dist.DistributedOptimizer(optim.SGD([w]), backward_passes_per_step=0)
    with pytest.raises(ValueError, match="bucket_cap_mb must be a number > 0"):
        dist.DistributedOptimizer(optim.SGD([w]), bucket_cap_mb=0)
    opt = dist.DistributedOptimizer(optim.SGD([w]))
    with pytest.raises(ValueError, match="already distributed"):
        dist.DistributedOptimizer(opt)
    with pytest.raises(ValueError, match="set_samples: n must be an int >= 0"):
        opt.set_samples(-1)
    with pytest.raises(RuntimeError, match=r"call optimizer.set_samples\(len\(batch\)\)"):
        (w * 2.0).sum().backward()
    w.grad = None
    with opt.no_sync():
        (w * 2.0).sum().backward()
        with pytest.raises(RuntimeError, match="inside no_sync"):
            opt.step()
    opt.set_samples(3)
    opt.step()  # the no_sync gradient goes with this step
    np.testing.assert_array_equal(w.numpy(), [1 - 2e-3, 1 - 2e-3])


def test_optimizers_over_the_same_parameters_take_turns_with_the_hooks():
    X, y = P.data("float64")
    runs = []
    for turns in (False, True):
        net = P.model("float64")
        old = dist.DistributedOptimizer(optim.SGD(net.parameters(), lr=0.1))
        new = dist.DistributedOptimizer(optim.SGD(net.parameters(), lr=0.1), average="ranks")
        _steps(new, net, X, y, False)  # the old one's hooks would ask for set_samples
        if turns:
            _steps(old, net, X, y, True)  # zero_grad hands the hooks back to the old one
            _steps(new, net, X, y, False)
        runs.append(P.params(net))
    plain = P.model("float64")
    sgd = optim.SGD(plain.parameters(), lr=0.1)
    _steps(sgd, plain, X, y, False)
    assert _equal(runs[0], P.params(plain))
    _steps(sgd, plain, X, y, False)
    _steps(sgd, plain, X, y, False)
    assert _equal(runs[1], P.params(plain))
