"""CuPy backend: CPU-vs-GPU parity of every op's forward and gradient (skipped without a GPU)."""

import numpy as np
import pytest
from hypothesis import given, settings
from op_specs import SPEC_IDS, SPECS

import autograd_core as ag

pytestmark = [
    pytest.mark.gpu,
    pytest.mark.skipif(not ag.cupy_available(),
                       reason="CuPy with a CUDA device is not available on this machine"),
]


@pytest.mark.parametrize("spec", SPECS, ids=SPEC_IDS)
@settings(max_examples=10, deadline=None)
@given(data=__import__("hypothesis").strategies.data())
def test_cpu_and_gpu_agree_on_values_and_gradients(spec, data):
    arrays, kwargs = data.draw(spec.inputs)
    results = {}
    for device in ("cpu", "cuda"):
        kw = {k: (ag.tensor(v, device=device).data if isinstance(v, np.ndarray) else v)
              for k, v in kwargs.items()}
        xs = [ag.tensor(a, dtype="float64", device=device, requires_grad=True) for a in arrays]
        out = spec.fn(*xs, **kw)
        out.backward(ag.ones_like(out))
        results[device] = (out.numpy(), [x.grad.numpy() for x in xs], out.device)
    assert results["cuda"][2].startswith("cuda")
    np.testing.assert_allclose(results["cuda"][0], results["cpu"][0], rtol=1e-10, atol=1e-12)
    for g_gpu, g_cpu in zip(results["cuda"][1], results["cpu"][1]):
        np.testing.assert_allclose(g_gpu, g_cpu, rtol=1e-10, atol=1e-12)


def test_mixing_devices_names_both():
    a = ag.tensor([1.0], device="cpu")
    b = ag.tensor([1.0], device="cuda")
    with pytest.raises(ag.DeviceError, match="cpu.*cuda:0|cuda:0.*cpu"):
        a + b


def test_to_moves_data_and_gradients_flow_back():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = x.to("cuda")
    assert y.device == "cuda:0" and y.requires_grad
    (y * y).sum().backward()
    assert x.grad.device == "cpu"
    np.testing.assert_allclose(x.grad.numpy(), [2.0, 4.0])


def test_gradcheck_runs_in_float64_on_gpu():
    x = ag.tensor(np.array([0.3, -0.7]), device="cuda", requires_grad=True)
    assert ag.gradcheck(lambda t: ag.tanh(t) * ag.exp(t), (x,))
