"""Grad mode, anomaly mode and the engine's backward state are per thread (PyTorch semantics).

Each scenario forces the interleaving with events, so a process-wide flag fails it
deterministically instead of by chance.
"""

import sys
import threading

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import nn, optim

TIMEOUT = 30


def run_in_thread(fn):
    """Start ``fn`` in a thread; return (thread, box) where box['error'] holds any exception."""
    box = {}

    def target():
        try:
            box["result"] = fn()
        except BaseException as err:  # noqa: BLE001 - re-raised by join_checked
            box["error"] = err

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread, box


def join_checked(thread, box):
    thread.join(TIMEOUT)
    assert not thread.is_alive(), "thread did not finish"
    if "error" in box:
        raise box["error"]
    return box.get("result")


def test_no_grad_in_one_thread_does_not_stop_recording_in_another():
    inside, done = threading.Event(), threading.Event()

    def hold_no_grad():
        with ag.no_grad():
            inside.set()
            assert done.wait(TIMEOUT)
            return ag.is_grad_enabled()

    thread, box = run_in_thread(hold_no_grad)
    assert inside.wait(TIMEOUT)
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = (x * 3).sum()
    assert ag.is_grad_enabled()
    assert y.requires_grad and y.grad_fn is not None
    done.set()
    assert join_checked(thread, box) is False
    y.backward()
    np.testing.assert_array_equal(x.grad.numpy(), [3.0, 3.0])


def test_overlapping_no_grad_blocks_in_two_threads_leave_recording_on():
    # A enters, B enters, A exits, B exits: with one process-wide flag, B restores the
    # False it saw on entry and recording stays off everywhere
    a_in, b_in, a_out = threading.Event(), threading.Event(), threading.Event()

    def a():
        with ag.no_grad():
            a_in.set()
            assert b_in.wait(TIMEOUT)
        a_out.set()
        return ag.is_grad_enabled()

    def b():
        assert a_in.wait(TIMEOUT)
        with ag.no_grad():
            b_in.set()
            assert a_out.wait(TIMEOUT)
        return ag.is_grad_enabled()

    ta, box_a = run_in_thread(a)
    tb, box_b = run_in_thread(b)
    assert join_checked(ta, box_a) is True
    assert join_checked(tb, box_b) is True
    assert ag.is_grad_enabled()
    x = ag.tensor([1.0], requires_grad=True)
    assert (x * 2).requires_grad


def test_new_thread_starts_with_grad_enabled_and_anomaly_off():
    with ag.no_grad(), ag.detect_anomaly():
        thread, box = run_in_thread(lambda: (ag.is_grad_enabled(), ag.is_anomaly_enabled()))
        assert join_checked(thread, box) == (True, False)
        assert not ag.is_grad_enabled() and ag.is_anomaly_enabled()
    assert ag.is_grad_enabled() and not ag.is_anomaly_enabled()


def test_detect_anomaly_is_per_thread():
    inside, done = threading.Event(), threading.Event()

    def hold():
        with ag.detect_anomaly():
            inside.set()
            assert done.wait(TIMEOUT)

    thread, box = run_in_thread(hold)
    assert inside.wait(TIMEOUT)
    assert not ag.is_anomaly_enabled()
    x = ag.tensor([1.0], requires_grad=True)
    assert (x * 2).grad_fn.trace is None  # no stack recorded outside detect_anomaly
    done.set()
    join_checked(thread, box)


def test_set_grad_enabled_called_as_function_is_per_thread():
    def switch_off():
        ag.set_grad_enabled(False)
        return ag.is_grad_enabled()

    thread, box = run_in_thread(switch_off)
    assert join_checked(thread, box) is False
    assert ag.is_grad_enabled()


def test_backward_in_one_thread_does_not_drop_ops_recorded_in_another():
    in_backward, recorded = threading.Event(), threading.Event()

    def slow_backward():
        x = ag.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2

        def hook(grad):  # runs while the engine has recording switched off for its pass
            in_backward.set()
            assert recorded.wait(TIMEOUT)

        y.register_hook(hook)
        y.sum().backward()
        return x.grad.numpy()

    thread, box = run_in_thread(slow_backward)
    assert in_backward.wait(TIMEOUT)
    try:
        w = ag.tensor([1.0, 2.0], requires_grad=True)
        z = (w * w).sum()
        assert z.requires_grad and z.grad_fn is not None
    finally:
        recorded.set()
    np.testing.assert_array_equal(join_checked(thread, box), [2.0, 2.0])
    z.backward()
    np.testing.assert_array_equal(w.grad.numpy(), [2.0, 4.0])


def test_array_mode_of_a_backward_does_not_leak_into_another_thread():
    # during an unrecorded backward the engine lets ops return raw arrays: another
    # thread's ops must still return Tensors
    in_backward, recorded = threading.Event(), threading.Event()

    def slow_backward():
        x = ag.tensor([1.0], requires_grad=True)
        y = x * 2
        y.register_hook(lambda g: (in_backward.set(), recorded.wait(TIMEOUT)) and None)
        y.sum().backward()

    thread, box = run_in_thread(slow_backward)
    assert in_backward.wait(TIMEOUT)
    try:
        out = ag.exp(np.array([0.0]))
    finally:
        recorded.set()
    join_checked(thread, box)
    assert isinstance(out, ag.Tensor)


def _train_mlp(seed, steps=200, sync=lambda: None):
    gen = ag.Generator(seed)
    model = nn.MLP(3, [8], 1, activation="tanh", generator=gen, dtype="float64")
    opt = optim.Adam(model.parameters(), lr=0.01)
    rng = np.random.default_rng(seed)
    X = ag.tensor(rng.normal(size=(16, 3)), dtype="float64")
    y = ag.tensor(rng.normal(size=(16, 1)), dtype="float64")
    for _ in range(steps):
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(X), y)
        loss.backward()
        opt.step()
        with ag.no_grad():  # evaluation switches recording off, as a user's loop does
            model(X)
            sync()  # both threads inside no_grad at once, every step
    return [p.numpy().copy() for p in model.parameters()]


def test_two_threads_training_two_models_match_the_sequential_runs():
    expected = [_train_mlp(1), _train_mlp(2)]
    barrier = threading.Barrier(2)

    def train(seed):
        return _train_mlp(seed, sync=lambda: barrier.wait(TIMEOUT))

    threads = [run_in_thread(lambda s=s: train(s)) for s in (1, 2)]
    results = [join_checked(t, box) for t, box in threads]
    for got, want in zip(results, expected):
        assert len(got) == len(want)
        for g, w in zip(got, want):
            np.testing.assert_array_equal(g, w)


def test_module_attribute_reads_forward_to_this_threads_state():
    from autograd_core import grad_mode

    with ag.no_grad():
        assert grad_mode.grad_enabled is False
    assert grad_mode.grad_enabled is True
    with pytest.raises(AttributeError):
        grad_mode.no_such_flag  # noqa: B018


# -- version counters under threads ------------------------------------------------------
# CPython switches threads only at a few opcodes; tracing every opcode with a tiny switch
# interval lets a switch fall between the read and the write of an unlocked ``+=``, so a
# counter that is not thread-safe loses counts here reliably instead of once in a while.

def _opcode_tracer(frame, event, arg):
    frame.f_trace_opcodes = True
    return lambda *args: None


def _in_threads(fn, n_threads):
    barrier = threading.Barrier(n_threads)

    def run():
        barrier.wait()
        sys.settrace(_opcode_tracer)
        try:
            fn()
        finally:
            sys.settrace(None)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        started = [run_in_thread(run) for _ in range(n_threads)]
        for thread, box in started:
            join_checked(thread, box)
    finally:
        sys.setswitchinterval(interval)


def test_in_place_writes_from_threads_are_all_counted():
    x = ag.tensor([0.0])
    view = x.detach()  # shares x's version counter
    per_thread, n_threads = 1500, 4

    def write():
        for _ in range(per_thread):
            x.data += 0  # what an optimizer does, then it bumps the version
            x._bump_version()

    _in_threads(write, n_threads)
    assert x._version == view._version == per_thread * n_threads


def test_concurrent_recording_then_an_in_place_write_is_caught_in_every_thread():
    # two threads record an op saving the same fresh tensor; the in-place write after must
    # make both backwards raise (a counter created twice would hide it from one of them)
    w = ag.tensor([2.0], requires_grad=True)
    for _ in range(30):
        x = ag.tensor([3.0])
        outputs = []
        _in_threads(lambda: outputs.append(x * w), 2)
        x += 1.0
        for y in outputs:
            with pytest.raises(RuntimeError, match="modified in place after the forward pass"):
                y.sum().backward()
