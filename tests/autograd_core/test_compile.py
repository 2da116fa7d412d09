"""``ag.compile``: a replayed step is bit-identical to the eager step it was traced from.

The oracle is the eager step itself, run on a twin model built from the same seed:
after every step the losses, parameters, BatchNorm statistics, optimizer state and
random stream must be equal bit for bit (``numpy.array_equal``, no tolerance).
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd_core as ag
from autograd_core import nn, optim
from autograd_core.capture import CaptureError, CaptureWarning

OPTIMIZERS = {
    "sgd": lambda ps: optim.SGD(ps, lr=0.05),
    "sgd_momentum": lambda ps: optim.SGD(ps, lr=0.05, momentum=0.9, dampening=0.1),
    "sgd_nesterov_wd": lambda ps: optim.SGD(ps, lr=0.05, momentum=0.8, nesterov=True,
                                            weight_decay=1e-3),
    "adam": lambda ps: optim.Adam(ps, lr=1e-2),
    "adam_amsgrad_wd": lambda ps: optim.Adam(ps, lr=1e-2, amsgrad=True, weight_decay=1e-2),
    "adamw": lambda ps: optim.AdamW(ps, lr=1e-2),
    "rmsprop": lambda ps: optim.RMSprop(ps, lr=1e-3),
    "rmsprop_momentum": lambda ps: optim.RMSprop(ps, lr=1e-3, momentum=0.9, centered=True),
    "adagrad": lambda ps: optim.Adagrad(ps, lr=1e-2, lr_decay=1e-3, weight_decay=1e-4),
}

LOSSES = {  # name -> (output activation, loss(out, y), target kind)
    "cross_entropy": (None, nn.functional.cross_entropy, "classes"),
    "mse": (None, nn.functional.mse_loss, "values"),
    "l1": (None, nn.functional.l1_loss, "values"),
    "huber": (None, nn.functional.huber_loss, "values"),
    "bce": ("sigmoid", nn.functional.binary_cross_entropy, "probabilities"),
    "bce_logits": (None, nn.functional.binary_cross_entropy_with_logits, "probabilities"),
}


def _batches(kind, n_out, n_steps, batch, n_in, dtype, seed):
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n_steps):
        x = ag.tensor(rng.standard_normal((batch, n_in)).astype(dtype))
        if kind == "classes":
            y = ag.tensor(rng.integers(0, n_out, batch))
        elif kind == "values":
            y = ag.tensor(rng.standard_normal((batch, n_out)).astype(dtype))
        else:
            y = ag.tensor(rng.uniform(0, 1, (batch, n_out)).astype(dtype))
        out.append((x, y))
    return out


def _build(spec):
    ag.manual_seed(spec["seed"])
    out_act, _, _ = LOSSES[spec["loss"]]
    layers = []
    sizes = [spec["n_in"], *spec["hidden"]]
    for a, b in zip(sizes[:-1], sizes[1:]):
        layers.append(nn.Linear(a, b, dtype=spec["dtype"]))
        if spec["batchnorm"]:
            layers.append(nn.BatchNorm1d(b, dtype=spec["dtype"]))
        layers.append(nn.get_activation(spec["activation"]))
        if spec["dropout"]:
            layers.append(nn.Dropout(spec["dropout"]))
    layers.append(nn.Linear(sizes[-1], spec["n_out"], dtype=spec["dtype"]))
    if out_act is not None:
        layers.append(nn.Sigmoid())
    model = nn.Sequential(*layers)
    opt = OPTIMIZERS[spec["optimizer"]](model.parameters())
    return model, opt


def _snapshot(model, opt):
    arrays = [p.data.copy() for p in model.parameters()]
    arrays += [b.data.copy() for b in model.buffers()]
    arrays += [None if p.grad is None else p.grad.data.copy() for p in model.parameters()]
    for p in model.parameters():
        for key, value in sorted(opt.state.get(p, {}).items()):
            arrays.append(value.copy() if isinstance(value, np.ndarray) else value)
    arrays.append(ag.random.default_generator.get_state()["state"]["state"])
    return arrays


def _run(spec, compiled, batches):
    model, opt = _build(spec)
    _, loss_fn, _ = LOSSES[spec["loss"]]
    scheduler = optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5) if spec["scheduler"] \
        else None

    def step(x, y):
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss

    fn = ag.compile(step) if compiled else step
    history = []
    for x, y in batches:
        loss = fn(x, y)
        if scheduler is not None:
            scheduler.step()
        history.append((loss.data.copy(), _snapshot(model, opt)))
    return history, fn


def _assert_identical(a, b):
    assert len(a) == len(b)
    for step, ((loss_a, arrays_a), (loss_b, arrays_b)) in enumerate(zip(a, b)):
        assert np.array_equal(loss_a, loss_b), f"loss differs at step {step}"
        assert len(arrays_a) == len(arrays_b)
        for i, (x, y) in enumerate(zip(arrays_a, arrays_b)):
            if isinstance(x, np.ndarray) or isinstance(y, np.ndarray):
                assert isinstance(x, np.ndarray) and isinstance(y, np.ndarray), (step, i)
                assert x.dtype == y.dtype and np.array_equal(x, y, equal_nan=True), (step, i)
            else:
                assert x == y, (step, i)


ACTIVATIONS = ["relu", "tanh", "sigmoid", "leaky_relu", "elu", "gelu"]


@st.composite
def specs(draw):
    return {
        "seed": draw(st.integers(0, 2**16)),
        "n_in": draw(st.integers(1, 9)),
        "hidden": draw(st.lists(st.integers(1, 12), min_size=0, max_size=3)),
        "n_out": draw(st.integers(1, 5)),
        "activation": draw(st.sampled_from(ACTIVATIONS)),
        "loss": draw(st.sampled_from(sorted(LOSSES))),
        "optimizer": draw(st.sampled_from(sorted(OPTIMIZERS))),
        "dropout": draw(st.sampled_from([0.0, 0.0, 0.3])),
        "batchnorm": draw(st.booleans()),
        "scheduler": draw(st.booleans()),
        "dtype": draw(st.sampled_from(["float32", "float64"])),
        "batch": draw(st.integers(2, 9)),
    }


@settings(max_examples=40)
@given(spec=specs())
def test_replay_is_bit_identical_to_eager(spec):
    if spec["batchnorm"] and not spec["hidden"]:
        spec["batchnorm"] = False
    if spec["loss"] == "cross_entropy" and spec["n_out"] < 2:
        spec["n_out"] = 2
    kind = LOSSES[spec["loss"]][2]
    batches = _batches(kind, spec["n_out"], 7, spec["batch"], spec["n_in"], spec["dtype"],
                       spec["seed"])
    # a last, smaller batch: a new key, traced again
    batches += _batches(kind, spec["n_out"], 1, spec["batch"] + 1,
                        spec["n_in"], spec["dtype"], spec["seed"] + 1)
    eager, _ = _run(spec, False, batches)
    replayed, fn = _run(spec, True, batches)
    _assert_identical(eager, replayed)
    info = fn.cache_info()
    # step 1 finds the state, 2 and 3 trace with it and must agree, 4-7 replay; then a new key
    assert info.hits == 4 and info.traces == 4 and info.size == 2, info


def _mlp_step(model, opt, loss_fn=nn.functional.cross_entropy):
    def step(x, y):
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss
    return step


def _data(n=16, d=5, c=3, seed=0):
    rng = np.random.default_rng(seed)
    return (ag.tensor(rng.standard_normal((n, d)).astype("float32")),
            ag.tensor(rng.integers(0, c, n)))


def test_replay_makes_no_tensor_graph_and_uses_out_buffers():
    ag.manual_seed(0)
    model = nn.MLP(5, [8], 3)
    opt = optim.SGD(model.parameters(), lr=0.1)
    fn = ag.compile(_mlp_step(model, opt))
    x, y = _data()
    for _ in range(4):
        loss = fn(x, y)
    assert fn.cache_info().hits == 1
    assert loss.node is None and not loss.requires_grad
    program = fn.program(x, y)
    text = str(program)
    assert "matmul" in text and "zero_grad" in text
    # the update is part of the program: SGD's plan, then its kernels on the parameters
    assert "SGD plan" in text and "end of SGD's update" in text and "SGD.step()" not in text
    update = text[text.index("SGD plan"):]
    assert update.count("subtract(") == len(list(model.parameters()))
    assert program.n_buffers > 0 and "out=b" in program.source
    assert "Tensor" not in program.source  # only _T (Tensor._new) for the handed-out arrays


def test_eval_mode_and_shapes_retrace():
    ag.manual_seed(0)
    model = nn.MLP(5, [8], 3, dropout=0.5)
    fn = ag.compile(lambda x: model(x))
    x, _ = _data()
    with ag.no_grad():
        for _ in range(4):
            fn(x)
        assert fn.cache_info().traces == 3 and fn.cache_info().hits == 1
        model.eval()
        a = fn(x)
        assert fn.cache_info().traces == 4
        np.testing.assert_array_equal(a.numpy(), model(x).numpy())
        fn(x[:4])
        assert fn.cache_info().traces == 5
    fn(x)  # grad mode on: another key
    assert fn.cache_info().traces == 6


def test_cache_is_bounded():
    w = ag.tensor(np.arange(3.0))
    fn = ag.compile(lambda x: x * w, max_cache=2)
    for n in range(1, 6):
        fn(ag.ones((n, 3)))
    assert fn.cache_info().size == 2 and fn.cache_info().max_size == 2


@pytest.mark.parametrize("read", [lambda t: float(t), lambda t: t.item(), lambda t: t.numpy(),
                                  lambda t: t.tolist(), lambda t: int(t.sum())])
def test_host_read_while_tracing_raises(read):
    w = ag.tensor([1.0, 2.0])

    def fn(x):
        y = (x * w).sum()
        read(y)
        return y
    with pytest.raises(CaptureError, match="host"):
        ag.compile(fn)(ag.tensor([1.0, 1.0]))


def test_host_read_with_fallback_runs_eagerly_with_a_warning():
    w = ag.tensor([1.0, 2.0])
    seen = []

    def fn(x):
        y = (x * w).sum()
        seen.append(float(y))
        return y
    compiled = ag.compile(fn, fallback=True)
    with pytest.warns(CaptureWarning, match="runs eagerly"):
        compiled(ag.tensor([1.0, 1.0]))
    for v in (2.0, 3.0):
        assert float(compiled(ag.tensor([v, v]))) == 3 * v
    assert seen == [3.0, 6.0, 9.0] and compiled.cache_info().eager == 2


def test_changed_truth_value_raises_on_replay():
    w = ag.tensor([1.0, -1.0])

    def fn(x):
        y = (x * w).sum()
        return y * 2 if y > 0 else y * 3
    compiled = ag.compile(fn)
    for v in (2.0, 3.0, 4.0):
        assert float(compiled(ag.tensor([v, 0.0]))) == 2 * v
    with pytest.raises(CaptureError, match="another branch"):
        compiled(ag.tensor([-1.0, 0.0]))


def test_invalid_targets_are_still_refused():
    ag.manual_seed(0)
    model = nn.MLP(5, [4], 3)
    opt = optim.SGD(model.parameters(), lr=0.1)
    fn = ag.compile(_mlp_step(model, opt))
    x, y = _data()
    for _ in range(3):
        fn(x, y)
    with pytest.raises(CaptureError):
        fn(x, ag.tensor(np.full(16, 7)))


def test_scheduler_inside_the_step_is_refused():
    ag.manual_seed(0)
    model = nn.MLP(5, [4], 3)
    opt = optim.SGD(model.parameters(), lr=0.1)
    scheduler = optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
    inner = _mlp_step(model, opt)

    def step(x, y):
        loss = inner(x, y)
        scheduler.step()
        return loss
    with pytest.raises(CaptureError, match="scheduler"):
        ag.compile(step)(*_data())


def test_untracked_numpy_route_is_refused():
    w = ag.tensor([1.0, 2.0])

    def fn(x):
        y = x * w
        # numpy.asarray on the data hides it from the tracer: the constant differs per call
        return y + ag.tensor(np.asarray(y.data) * 0 + np.asarray(x.data))
    compiled = ag.compile(fn)
    compiled(ag.tensor([1.0, 1.0]))
    with pytest.raises(CaptureError, match="different program"):
        compiled(ag.tensor([2.0, 3.0]))


def test_gradient_accumulation_without_zero_grad():
    def run(compiled):
        ag.manual_seed(1)
        model = nn.MLP(5, [6], 3)
        opt = optim.SGD(model.parameters(), lr=0.1)

        def step(x, y):
            nn.functional.cross_entropy(model(x), y).backward()
        fn = ag.compile(step) if compiled else step
        x, y = _data()
        out = []
        for i in range(5):
            fn(x, y)
            if i % 2:
                opt.step()
                opt.zero_grad()
            out.append([None if p.grad is None else p.grad.data.copy()
                        for p in model.parameters()] + [p.data.copy() for p in model.parameters()])
        return out
    for a, b in zip(run(False), run(True)):
        for x, y in zip(a, b):
            assert (x is None and y is None) or np.array_equal(x, y)


def test_returned_arrays_are_fresh_each_call():
    w = ag.tensor([1.0, 2.0])
    fn = ag.compile(lambda x: (x * w, {"double": x * 2}))
    outs = [fn(ag.tensor([float(i), 1.0])) for i in range(4)]
    assert [o[0].tolist() for o in outs] == [[0.0, 2.0], [1.0, 2.0], [2.0, 2.0], [3.0, 2.0]]
    assert outs[3][1]["double"].tolist() == [6.0, 2.0]


def test_bare_tensors_updated_by_hand_and_accumulated_gradients():
    def run(compiled):
        rng = np.random.default_rng(0)
        w = ag.tensor(rng.standard_normal((4, 3)), requires_grad=True)
        b = ag.tensor(np.zeros(3), requires_grad=True)
        x = ag.tensor(rng.standard_normal((8, 4)))

        def step(x):
            loss = ((x @ w + b) ** 2).mean()
            loss.backward()  # accumulates into w.grad and b.grad (never zeroed)
            with ag.no_grad():
                w.data -= 0.01 * w.grad.data  # plain NumPy on the arrays: recorded
                b.data -= 0.01 * b.grad.data
            return loss
        fn = ag.compile(step) if compiled else step
        out = [(fn(x).numpy().copy(), w.data.copy(), w.grad.data.copy()) for _ in range(6)]
        return out, fn
    eager, _ = run(False)
    replayed, fn = run(True)
    assert fn.cache_info().hits >= 2, fn.cache_info()
    for a, b in zip(eager, replayed):
        for x, y in zip(a, b):
            assert np.array_equal(x, y)


def test_dropout_with_its_own_generator_draws_afresh():
    def run(compiled):
        ag.manual_seed(0)
        model = nn.Sequential(nn.Linear(4, 6), nn.Dropout(0.5, generator=ag.Generator(7)),
                              nn.Linear(6, 2))
        fn = ag.compile(model) if compiled else model
        x = ag.ones((5, 4))
        with ag.no_grad():
            return [fn(x).numpy().copy() for _ in range(6)]
    eager, replayed = run(False), run(True)
    assert not np.array_equal(eager[4], eager[5])  # new masks each call
    for a, b in zip(eager, replayed):
        assert np.array_equal(a, b)


def test_batchnorm_cumulative_average_is_refused():
    model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4, momentum=None))
    fn = ag.compile(lambda x: model(x))
    with pytest.raises(CaptureError, match="host"):
        fn(ag.ones((5, 3)))


def test_arguments_are_read_at_every_call_whatever_their_class():
    fn = ag.compile(lambda a, b: (a * b).sum())
    values = []
    for i in range(5):
        a = nn.Parameter(ag.tensor([float(i), 1.0])) if i % 2 else ag.tensor([float(i), 1.0])
        values.append(float(fn(a, ag.tensor([2.0, 3.0]))))
    assert values == [3.0, 5.0, 7.0, 9.0, 11.0]


def test_a_failed_trace_leaves_plain_arrays_behind():
    ag.manual_seed(0)
    model = nn.MLP(5, [4], 3)
    opt = optim.SGD(model.parameters(), lr=0.1)
    x, y = _data()

    def step(x, y):
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(x), y)
        loss.backward()
        print(float(loss))
    with pytest.raises(CaptureError):
        ag.compile(step)(x, y)
    for p in model.parameters():
        assert type(p.data) is np.ndarray and type(p.grad.data) is np.ndarray
    opt.step()  # the eager engine carries on


# -- transforms inside a compiled function, and arrays the tracer could lose -------------------

def _tanh_loss(w1, b1, w2, b2, x, y):
    return nn.functional.cross_entropy(ag.linear(ag.tanh(ag.linear(x, w1, b1)), w2, b2), y)


def _hvp_args(seed):
    rng = np.random.default_rng(seed)
    shapes = [(5, 4), (4,), (4, 3), (3,)]
    primals = tuple(ag.tensor(rng.standard_normal(s)) for s in shapes)
    tangents = tuple(ag.tensor(rng.standard_normal(s)) for s in shapes)
    x, y = ag.tensor(rng.standard_normal((6, 5))), ag.tensor(rng.integers(0, 3, 6))
    return primals, tangents, x, y


def test_compiled_grad_follows_new_inputs():
    # ag.grad makes its own leaf from the argument's array (Tensor(x.data)): that array
    # must stay traced, or the replay returns the first trace's gradient for every x
    def f(x):
        return (ag.tanh(x) * x).sum()
    compiled = ag.compile(ag.grad(f))
    rng = np.random.default_rng(0)
    for _ in range(5):
        x = ag.tensor(rng.standard_normal(3))
        assert np.array_equal(compiled(x).data, ag.grad(f)(x).data)
    assert compiled.cache_info().hits >= 2


def test_compiled_hvp_is_bit_identical_and_follows_its_arguments():
    def hvp(primals, tangents, x, y):
        return ag.hvp(lambda *p: _tanh_loss(*p, x, y), primals, tangents)
    compiled = ag.compile(hvp)
    for seed in range(5):
        args = _hvp_args(seed)
        for got, want in zip(compiled(*args), hvp(*args)):
            assert np.array_equal(got.data, want.data)
    assert compiled.cache_info().hits >= 2


def test_tensors_made_inside_the_step_from_traced_arrays_stay_traced():
    fn = ag.compile(lambda x: ag.tensor(x.data, dtype="float32") * 2 + ag.tensor(x.data))
    for i in range(5):
        x = ag.tensor([float(i), 1.0])
        assert fn(x).tolist() == [3.0 * i, 3.0]


def test_a_plain_view_of_a_traced_array_is_refused():
    w = ag.tensor([1.0, 2.0])
    fn = ag.compile(lambda x: x * w + ag.tensor(np.asarray(x.data)) * w)
    with pytest.raises(CaptureError, match="plain ndarray"):
        fn(ag.tensor([1.0, 1.0]))


def test_returning_an_untraced_array_is_refused():
    fn = ag.compile(lambda x: (x * 2, ag.Tensor._new(np.array(x.data))))
    with pytest.raises(CaptureError, match="returns"):
        fn(ag.tensor([1.0, 1.0]))


def test_tensors_closed_over_are_read_at_every_call():
    # a Tensor the step closes over (not an argument, not a module's parameter) is read
    # from the tensor at each replay: rebinding its .data, even to another shape, is seen
    w = ag.tensor([1.0, 2.0])
    fn = ag.compile(lambda x: (x * w, w * 2))
    x = ag.tensor([1.0, 1.0])
    for _ in range(3):
        assert fn(x)[0].tolist() == [1.0, 2.0]
    w.data = np.array([5.0, 6.0])
    assert [t.tolist() for t in fn(x)] == [[5.0, 6.0], [10.0, 12.0]]
    w.data[...] = 7.0
    assert fn(x)[0].tolist() == [7.0, 7.0]
    w.data = np.array([3.0])  # broadcasts: the program traced for shape (2,) must not run
    assert [t.tolist() for t in fn(x)] == [[3.0, 3.0], [6.0]]


def test_a_parameter_rebound_to_another_shape_retraces():
    ag.manual_seed(0)
    model = nn.Linear(3, 2)
    fn = ag.compile(lambda x: model(x))
    x = ag.ones((4, 3))
    for _ in range(3):
        fn(x)
    model.bias.data = np.array([1.0], dtype=model.bias.dtype)  # (it would broadcast)
    with pytest.raises(ValueError, match="bias must have shape"):
        model(x)
    with pytest.raises(ValueError, match="bias must have shape"):  # retraced, not replayed
        fn(x)
    model.bias.data = np.array([1.0, 2.0], dtype=model.bias.dtype)
    assert np.array_equal(fn(x).data, model(x).data)


# -- the optimizer's update inside the program ---------------------------------------------

def _twin_runs(make_opt, n_steps, between=None, seed=3):
    """Eager and compiled runs of one MLP step with ``make_opt``'s optimizer; ``between(opt,
    i)`` runs after step i in both (schedulers, state loads).  Returns both histories."""
    x, y = _data(n=12, seed=seed)
    runs = []
    for compiled in (False, True):
        ag.manual_seed(seed)
        model = nn.MLP(5, [7, 4], 3)
        opt = make_opt(model.parameters())
        fn = _mlp_step(model, opt)
        fn = ag.compile(fn) if compiled else fn
        history = []
        for i in range(n_steps):
            loss = fn(x, y)
            if between is not None:
                between(opt, i)
            history.append((loss.data.copy(), _snapshot(model, opt)))
        runs.append((history, fn))
    _assert_identical(runs[0][0], runs[1][0])
    return runs[1][1]


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_update_reads_each_steps_learning_rate_without_retracing(name):
    schedulers = {}

    def between(opt, i):
        if id(opt) not in schedulers:
            schedulers[id(opt)] = optim.lr_scheduler.ExponentialLR(opt, gamma=0.9)
        schedulers[id(opt)].step()  # a new learning rate at every step
    fn = _twin_runs(OPTIMIZERS[name], 9, between)
    assert fn.cache_info().traces == 3, fn.cache_info()  # find the state, trace, verify


def test_adam_flush_steps_and_loaded_state_replay_bit_identically():
    snapshots = {}

    def between(opt, i):
        if i == 40:
            snapshots[id(opt)] = opt.state_dict()
        if i == 45:  # new state arrays: the replay reads them from the optimizer's plan
            opt.load_state_dict(snapshots[id(opt)])
    fn = _twin_runs(lambda ps: optim.Adam(ps, lr=1e-2, amsgrad=True), 70, between)
    info = fn.cache_info()
    assert info.traces == 3 and info.hits == 67, info  # flush steps 32 and 64 replay too
    assert "Adam plan" in _program_text(fn)


def _program_text(fn):
    return str(next(iter(fn._cache.values()))[0].program)


def test_momentum_buffers_made_again_and_numpy_scalar_hyperparameters():
    def reset_between(opt, i):
        if i == 4:
            for group in opt.param_groups:
                group["momentum"] = 0.5  # a new value of a number the kernels read
            opt.state.clear()  # the next plan makes new buffers: its kernels run eagerly
    fn = _twin_runs(lambda ps: optim.SGD(ps, lr=0.1, momentum=0.9), 9, reset_between)
    assert "SGD plan" in _program_text(fn) and fn.cache_info().traces == 3
    # a NumPy-scalar learning rate promotes the product: the kernels take the other branch
    fn = _twin_runs(lambda ps: optim.SGD(ps, lr=np.float64(0.1)), 6)
    assert "SGD plan" in _program_text(fn)
    fn = _twin_runs(lambda ps: optim.Adam(ps, lr=np.float64(0.01), betas=(np.float32(0.8),
                                                                        0.99)), 6)
    assert "Adam plan" in _program_text(fn)


def test_arithmetic_on_a_step_scalar_in_apply_is_refused():
    class Halving(optim.SGD):
        def _apply(self, p, flags, arrays, scalars):
            lr = scalars[0]
            p.data -= (lr / 2) * p.grad.data  # would bake this step's number into the program
    ag.manual_seed(0)
    model = nn.MLP(5, [4], 3)
    opt = Halving(model.parameters(), lr=0.1)
    fn = ag.compile(_mlp_step(model, opt))
    x, y = _data()
    with pytest.raises(CaptureError, match="step scalar"):
        for _ in range(3):
            fn(x, y)


def test_a_subclass_overriding_update_runs_its_own_step():
    class ClippedSGD(optim.SGD):  # a user's own update on top of a built-in optimizer
        def _update(self, group):
            for p in group["params"]:
                if p.grad is not None:
                    p.data -= group["lr"] * np.clip(p.grad.data, -0.01, 0.01)
                    p._bump_version()
    fn = _twin_runs(lambda ps: ClippedSGD(ps, lr=0.5), 6)
    assert "ClippedSGD.step()" in _program_text(fn)
