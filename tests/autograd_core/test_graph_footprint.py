"""What a recorded op costs in memory and in work for Python's cyclic garbage collector:
deterministic counts (objects, bytes), never timings."""

import gc
import tracemalloc

import numpy as np
import pytest

import autograd_core as ag


def _chain(n, op=lambda y: y * 1.000001):
    x = ag.tensor([1.0], dtype="float64", requires_grad=True)
    y = x
    for _ in range(n):
        y = op(y)
    return x, y


def _tracked_per_op(op, n=1000):
    """gc-tracked objects a chain holds per op (the difference of two lengths cancels the
    constant part)."""
    counts = []
    for length in (n, 2 * n):
        gc.collect()
        before = len(gc.get_objects())
        chain = _chain(length, op)
        gc.collect()  # also untracks the tuples that hold only arrays and numbers
        counts.append(len(gc.get_objects()) - before)
        del chain
    return (counts[1] - counts[0]) / n


def test_a_scalar_product_chain_keeps_two_gc_tracked_objects_per_op():
    # the node and its parents tuple; the operand arrays' tuple is untracked, and y * c
    # keeps no version counter for y (its gradient reads only c)
    assert _tracked_per_op(lambda y: y * 1.000001) <= 2.0


@pytest.mark.parametrize("op, limit", [(lambda y: y * 1.000001, 400), (lambda y: y / 1.000001, 400),
                                       (lambda y: y + 1.0, 400),
                                       # an op that saves its output also keeps a version
                                       # counter for it (a one-item list)
                                       (lambda y: ag.tanh(y), 450)],
                         ids=["mul", "div", "add", "tanh"])
def test_bytes_per_op_of_a_long_chain(op, limit):
    gc.collect()
    tracemalloc.start()
    try:
        base, _ = tracemalloc.get_traced_memory()
        chain = _chain(20_000, op)
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (held - base) / 20_000 <= limit, (held - base) / 20_000
    del chain


def test_an_unread_operand_gets_no_version_counter():
    y = ag.tensor([1.0, 2.0], requires_grad=True) * 1.0
    c = ag.tensor([3.0, 4.0])
    z = y * c  # only y needs a gradient, and it reads c alone
    assert y._vc is None and c._vc is not None
    z.sum().backward()


def test_a_read_operand_is_still_guarded_against_in_place_writes():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    c = ag.tensor([3.0, 4.0])
    z = x * c
    c += 1.0  # the gradient of x reads c
    with pytest.raises(RuntimeError, match="modified in place"):
        z.sum().backward()


def test_a_write_to_an_unread_operand_does_not_change_the_gradient():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    c = ag.tensor([3.0, 4.0])
    h = x * 1.0
    z = h * c
    with ag.no_grad():
        h.data[...] = 100.0  # dz/dh reads c only: h's values are never read
    z.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [3.0, 4.0])


def test_matmul_guards_exactly_what_its_gradients_read():
    a = ag.tensor(np.ones((2, 3)), requires_grad=True)
    b = ag.tensor(np.ones((3, 4)))
    out = a @ b
    assert a._vc is None and b._vc is not None  # d/da = grad @ b.T
    b += 1.0
    with pytest.raises(RuntimeError, match="modified in place"):
        out.sum().backward()


def test_second_derivatives_through_a_product_are_unchanged():
    x = ag.tensor([0.5, -1.5], dtype="float64", requires_grad=True)
    y = ag.tensor([2.0, 3.0], dtype="float64", requires_grad=True)
    (gx,) = ag.grad_of((x * y * x).sum(), [x], create_graph=True)  # 2xy
    (gxy,) = ag.grad_of(gx.sum(), [y])  # 2x
    np.testing.assert_allclose(gxy.numpy(), 2 * x.numpy())
