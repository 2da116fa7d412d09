"""In-place writes: ``+= -= *= /= **= @=``, ``x[index] = v`` and ``zero_()`` follow one rule
(autograd_core/inplace.py): refused on a leaf that requires grad while grad mode is on,
written into the data under no_grad (the leaf stays a trainable leaf), recorded on tensors
in a graph, with the version counter guarding values saved for backward."""

import operator
import threading

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import inplace

RNG = np.random.default_rng(0)


def _matmul_in_place(a, b):
    a[...] = a @ b
    return a


def _set_first_two(a, v):
    a[:2] = v
    return a


def _zero(a, _):
    a[...] = 0
    return a


AUGMENTED = ["__iadd__", "__isub__", "__imul__", "__imatmul__", "__itruediv__", "__ifloordiv__",
             "__imod__", "__ipow__", "__ilshift__", "__irshift__", "__iand__", "__ixor__",
             "__ior__"]


# name -> (the in-place write on a Tensor, the same write on a NumPy array, a value, symbol)
SQUARE = RNG.uniform(0.5, 1.5, (3, 3))
WRITES = {
    "+=": (lambda x, v: operator.iadd(x, v), operator.iadd, RNG.uniform(0.5, 1.5, 3)),
    "-=": (lambda x, v: operator.isub(x, v), operator.isub, RNG.uniform(0.5, 1.5, 3)),
    "*=": (lambda x, v: operator.imul(x, v), operator.imul, RNG.uniform(0.5, 1.5, 3)),
    "/=": (lambda x, v: operator.itruediv(x, v), operator.itruediv, RNG.uniform(0.5, 1.5, 3)),
    "**=": (lambda x, v: operator.ipow(x, v), operator.ipow, RNG.uniform(0.5, 1.5, 3)),
    "@=": (lambda x, v: operator.imatmul(x, v), _matmul_in_place, SQUARE),
    "x[index] = v": (lambda x, v: x.__setitem__(slice(0, 2), v),
                     _set_first_two, RNG.uniform(0.5, 1.5, 2)),
    "x.zero_()": (lambda x, v: x.zero_(), _zero, None),
}


def start(name):
    """A float64 starting value the write `name` applies to, and the write's value."""
    value = WRITES[name][2]
    shape = (3, 3) if name == "@=" else (3,)
    return RNG.uniform(0.5, 1.5, shape), value


def as_value(value, requires_grad=False):
    return None if value is None else ag.tensor(value, requires_grad=requires_grad)


def test_every_in_place_method_of_tensor_goes_through_the_rule():
    # every augmented operator and every `*_` method that changes data is in the rule's table
    # (requires_grad_ changes a flag, not the data)
    in_place = {name for name in dir(ag.Tensor)
                if name in AUGMENTED or name == "__setitem__"
                or (name.endswith("_") and not name.startswith("_") and name != "requires_grad_")}
    assert in_place == set(inplace.METHODS)
    for name, fn in inplace.METHODS.items():
        assert getattr(ag.Tensor, name) is fn
    assert len(WRITES) == len(inplace.METHODS)


@pytest.mark.parametrize("name", list(WRITES))
def test_refused_on_a_leaf_that_requires_grad_outside_no_grad(name):
    apply, _, _ = WRITES[name]
    data, value = start(name)
    x = ag.tensor(data.copy(), requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf tensor that requires grad") as info:
        apply(x, as_value(value))
    assert name in str(info.value) and "no_grad" in str(info.value)
    np.testing.assert_array_equal(x.numpy(), data)
    assert x._version == 0


@pytest.mark.parametrize("name", list(WRITES))
def test_under_no_grad_a_leaf_is_written_in_place_and_stays_a_trainable_leaf(name):
    apply, reference, _ = WRITES[name]
    data, value = start(name)
    x = ag.tensor(data.copy(), requires_grad=True)
    array = x.data
    expected = reference(data.copy(), value)
    with ag.no_grad():
        result = apply(x, as_value(value))
    if result is not None:  # augmented operators return the tensor, rebound to the name
        assert result is x
    assert x.data is array
    np.testing.assert_allclose(x.numpy(), expected, rtol=1e-12)
    assert x.is_leaf and x.requires_grad and x._version == 1
    (x * x).sum().backward()  # still trainable: gradient 2x at the new value
    np.testing.assert_allclose(x.grad.numpy(), 2 * expected, rtol=1e-12)


@pytest.mark.parametrize("name", list(WRITES))
def test_a_tensor_outside_any_graph_is_written_in_place(name):
    apply, reference, _ = WRITES[name]
    data, value = start(name)
    x = ag.tensor(data.copy())
    array = x.data
    apply(x, None if value is None else value)  # a plain array as the value
    assert x.data is array
    np.testing.assert_allclose(x.numpy(), reference(data.copy(), value), rtol=1e-12)
    assert x._version == 1 and x.is_leaf and not x.requires_grad


@pytest.mark.parametrize("name", list(WRITES))
def test_recorded_on_a_non_leaf_with_finite_difference_gradients(name):
    apply, reference, _ = WRITES[name]
    data, value = start(name)

    def fn(x, *v):
        y = x * 1.5  # a non-leaf
        before = y.node
        out = apply(y, v[0] if v else None)
        assert out is None or out is y
        assert y.node is not None and y.node is not before
        return y

    inputs = (data,) if value is None else (data, value)
    assert ag.gradcheck(fn, inputs)
    assert ag.gradgradcheck(fn, inputs)
    y = ag.tensor(data, requires_grad=True) * 1.5
    apply(y, as_value(value))
    np.testing.assert_allclose(y.numpy(), reference(data * 1.5, value), rtol=1e-12)


@pytest.mark.parametrize("name", [name for name in WRITES if name != "x.zero_()"])
def test_a_plain_tensor_written_with_a_value_that_requires_grad_joins_the_graph(name):
    apply, reference, _ = WRITES[name]
    data, value = start(name)
    x = ag.tensor(data.copy())
    v = ag.tensor(value, requires_grad=True)
    apply(x, v)
    assert x.requires_grad and not x.is_leaf
    np.testing.assert_allclose(x.numpy(), reference(data.copy(), value), rtol=1e-12)
    x.sum().backward()
    assert v.grad is not None and v.grad.shape == v.shape


@pytest.mark.parametrize("name", list(WRITES))
def test_backward_through_a_value_saved_before_the_write_raises_naming_the_op(name):
    apply, _, _ = WRITES[name]
    data, value = start(name)
    x = ag.tensor(data, requires_grad=True)
    h = x * 2.0
    loss = (h * h).sum()  # multiply saved h
    apply(h, as_value(value))  # recorded: h is a non-leaf
    with pytest.raises(RuntimeError, match="backward of 'multiply'.*modified in place"):
        loss.backward()


@pytest.mark.parametrize("name", list(WRITES))
def test_under_no_grad_a_saved_tensor_written_in_place_is_caught(name):
    apply, _, _ = WRITES[name]
    data, value = start(name)
    x = ag.tensor(data, requires_grad=True)
    loss = (x * x).sum()  # multiply saved x
    with ag.no_grad():
        apply(x, as_value(value))
    with pytest.raises(RuntimeError, match="backward of 'multiply'.*modified in place"):
        loss.backward()


def test_a_saved_output_overwritten_by_a_recorded_write_raises_naming_its_op():
    x = ag.tensor([0.5, 1.0], requires_grad=True)
    y = ag.exp(x)  # exp saves its output
    y += 1.0
    with pytest.raises(RuntimeError, match="backward of 'exp'"):
        y.sum().backward()


def test_an_output_saved_by_the_recorded_write_itself_is_guarded_afterwards():
    x = ag.tensor([0.5, 1.0], dtype="float64", requires_grad=True)
    y = x * 1.0
    y **= 2.0  # the recorded power saved its output: y's new value
    loss = y.sum()
    with ag.no_grad():
        y += 1.0  # overwrites what power saved
    with pytest.raises(RuntimeError, match="modified in place"):
        loss.backward()


def test_the_micrograd_update_idiom_trains_the_same_leaf():
    # with ag.no_grad(): w -= lr * w.grad   (PyTorch and micrograd users write this)
    w = ag.tensor([1.0, -2.0, 3.0], dtype="float64", requires_grad=True)
    same = w
    expected = np.array([1.0, -2.0, 3.0])
    for _ in range(3):
        loss = (w * w).sum()
        loss.backward()
        with ag.no_grad():
            w -= 0.1 * w.grad
        w.grad = None
        expected = expected - 0.1 * 2 * expected
    assert w is same and w.is_leaf and w.requires_grad
    np.testing.assert_allclose(w.numpy(), expected, rtol=1e-12)


def test_in_place_write_keeps_shape_and_dtype():
    x = ag.tensor(np.zeros(3))
    with pytest.raises(ag.ShapeError, match=r"x \+= v.*\(3,\)"):
        x += np.ones((2, 3))
    i = ag.tensor(np.arange(3))
    with pytest.raises(TypeError, match=r"x /= v.*int64"):
        i /= 2
    y = ag.tensor(np.zeros(3), requires_grad=True) * 1.0
    with pytest.raises(ag.ShapeError, match=r"x \+= v: the result has shape \(2, 3\)"):
        y += np.ones((2, 3))
    f32 = ag.tensor(np.zeros(3, dtype="float32"), requires_grad=True) * 1.0
    f32 += ag.tensor(np.ones(3), requires_grad=True)  # float64 value: cast back, same kind
    assert f32.dtype == np.float32
    assert x._version == 0 and i._version == 0


def test_in_place_write_of_a_read_only_array_names_the_op():
    x = ag.broadcast_to(ag.tensor([1.0, 2.0]), (2, 2))  # NumPy returns a read-only view
    with pytest.raises(ValueError, match=r"x \*= v.*read-only"):
        x *= 2.0


def test_in_place_on_a_leaf_follows_the_calling_threads_grad_mode():
    # grad mode is per thread: a no_grad block in one thread must not let another thread
    # modify a leaf that requires grad, and a no_grad thread may update its own leaf
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    entered, done = threading.Event(), threading.Event()
    errors = []

    def worker():
        try:
            with ag.no_grad():
                own = ag.tensor([1.0], requires_grad=True)
                own -= 0.5
                assert own.is_leaf and own.requires_grad
                entered.set()
                done.wait(10)
        except Exception as err:  # noqa: BLE001 - reported in the main thread
            errors.append(err)
            entered.set()

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        assert entered.wait(10)
        with pytest.raises(RuntimeError, match="leaf tensor that requires grad"):
            w += 1.0
    finally:
        done.set()
        thread.join(10)
    assert not errors
