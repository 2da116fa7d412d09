"""DLPack (autograd_core/dlpack.py): Tensor.__dlpack__/__dlpack_device__ and ag.from_dlpack,
zero-copy with NumPy always, with PyTorch, JAX and CuPy when they are installed."""

import numpy as np
import pytest

import autograd_core as ag

DTYPES = ["float16", "float32", "float64", "int32", "int64", "uint8", "bool"]
SHAPES = [(), (0,), (3,), (2, 3), (2, 1, 4)]


def sample(shape, dtype):
    return np.asarray((np.arange(int(np.prod(shape))).reshape(shape) % 3).astype(dtype))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", SHAPES)
def test_numpy_reads_a_tensor_without_copying(shape, dtype):
    t = ag.tensor(sample(shape, dtype))
    array = np.from_dlpack(t)
    assert array.shape == shape and array.dtype == np.dtype(dtype)
    np.testing.assert_array_equal(array, sample(shape, dtype))
    if array.size:
        assert np.shares_memory(array, t.data)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", SHAPES)
def test_from_dlpack_wraps_a_numpy_array_without_copying(shape, dtype):
    array = sample(shape, dtype)
    t = ag.from_dlpack(array)
    assert isinstance(t, ag.Tensor) and t.is_leaf and not t.requires_grad
    assert t.shape == shape and t.dtype == np.dtype(dtype) and t.device == "cpu"
    if array.size:
        assert np.shares_memory(array, t.data)


def test_writes_are_seen_on_both_sides():
    array = np.zeros(3)
    t = ag.from_dlpack(array)
    t += 1.0
    np.testing.assert_array_equal(array, [1.0, 1.0, 1.0])
    back = np.from_dlpack(t)
    back[0] = 5.0
    assert t.numpy()[0] == 5.0


def test_strided_tensors_are_exported_with_their_strides():
    t = ag.tensor(np.arange(12.0).reshape(3, 4))
    for view in (t.T, t[:, ::2], t[1]):
        array = np.from_dlpack(view)
        np.testing.assert_array_equal(array, view.numpy())
        assert np.shares_memory(array, t.data)


def test_from_dlpack_can_make_a_leaf_that_requires_grad():
    w = ag.from_dlpack(np.array([1.0, 2.0]), requires_grad=True)
    (w * w).sum().backward()
    np.testing.assert_array_equal(w.grad.numpy(), [2.0, 4.0])
    with pytest.raises(TypeError, match="floating-point"):
        ag.from_dlpack(np.array([1, 2]), requires_grad=True)


def test_a_tensor_that_requires_grad_is_not_exported():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"__dlpack__: the tensor \(float32\[2\]\) requires "
                                           r"grad; export x\.detach\(\)"):
        np.from_dlpack(w)
    assert np.shares_memory(np.from_dlpack(w.detach()), w.data)


def test_device_of_a_cpu_tensor():
    assert ag.tensor([1.0]).__dlpack_device__() == (1, 0)


def test_from_dlpack_refuses_objects_without_the_protocol():
    with pytest.raises(TypeError, match="from_dlpack: expected an array with __dlpack__.*list"):
        ag.from_dlpack([1.0, 2.0])


def test_from_dlpack_names_an_unsupported_device():
    class OnMetal:
        def __dlpack__(self, **kwargs):
            raise AssertionError("not reached")

        def __dlpack_device__(self):
            return (8, 0)

    with pytest.raises(ag.DeviceError, match=r"OnMetal is in Metal memory \(DLPack device "
                                             r"type 8, id 0\)"):
        ag.from_dlpack(OnMetal())


def test_pytorch_exchange_without_copying():
    torch = pytest.importorskip("torch", reason="PyTorch is an optional peer library")
    t = ag.tensor(np.arange(6.0).reshape(2, 3))
    pt = torch.from_dlpack(t)
    assert pt.data_ptr() == t.data.ctypes.data
    np.testing.assert_array_equal(pt.numpy(), t.numpy())
    back = ag.from_dlpack(torch.arange(4.0))
    assert back.dtype == np.float32 and back.tolist() == [0.0, 1.0, 2.0, 3.0]
    source = torch.ones(3)
    shared = ag.from_dlpack(source)
    shared += 1.0
    assert source.tolist() == [2.0, 2.0, 2.0]


def test_jax_exchange():
    jnp = pytest.importorskip("jax.numpy", reason="JAX is an optional peer library")
    source = jnp.arange(8.0)
    t = ag.from_dlpack(source)  # JAX's CPU buffer, shared (read-only on this side)
    assert t.data.ctypes.data == source.unsafe_buffer_pointer()
    assert t.tolist() == list(range(8))
    with pytest.raises(ValueError, match="read-only"):
        t += 1.0
    x = ag.tensor(np.arange(6.0).reshape(2, 3))
    np.testing.assert_array_equal(np.asarray(jnp.from_dlpack(x)), x.numpy())


@pytest.mark.gpu
def test_cupy_exchange_without_copying():
    if not ag.cupy_available():
        pytest.skip("needs CuPy and a CUDA device")
    import cupy  # noqa: PLC0415 - optional

    source = cupy.arange(6.0).reshape(2, 3)
    t = ag.from_dlpack(source)
    assert t.device == "cuda:0" and t.data.data.ptr == source.data.ptr
    back = cupy.from_dlpack(t)
    assert back.data.ptr == source.data.ptr
    assert t.__dlpack_device__() == (2, 0)
