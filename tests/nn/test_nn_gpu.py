"""Device moves and cross-device loading (skipped without CuPy and a CUDA device)."""

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import nn
from autograd_core.nn import functional as F

pytestmark = [pytest.mark.gpu,
              pytest.mark.skipif(not ag.cupy_available(), reason="needs CuPy and a CUDA GPU")]


def test_module_to_cuda_trains_and_loads_a_cpu_state(tmp_path):
    cpu_model = nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.GELU(), nn.Dropout(0.2),
                              nn.Linear(8, 3))
    path = tmp_path / "m.npz"
    nn.save(cpu_model, path)
    gpu_model = nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.GELU(), nn.Dropout(0.2),
                              nn.Linear(8, 3)).to("cuda")
    assert all(p.device == "cuda:0" for p in gpu_model.parameters())
    assert all(b.device == "cuda:0" for b in gpu_model.buffers())
    gpu_model.load_state_dict(nn.load(path))  # CPU arrays into CUDA parameters
    assert all(p.device == "cuda:0" for p in gpu_model.parameters())
    x = ag.randn(6, 4)
    cpu_model.eval(), gpu_model.eval()
    np.testing.assert_allclose(gpu_model(x.to("cuda")).numpy(), cpu_model(x).numpy(),
                               rtol=1e-5, atol=1e-6)
    gpu_model.train()
    loss = F.cross_entropy(gpu_model(x.to("cuda")), ag.tensor([0, 1, 2, 0, 1, 2], device="cuda"))
    loss.backward()
    assert all(p.grad.device == "cuda:0" for p in gpu_model.parameters())
    nn.save(gpu_model, path)  # and back: CUDA state into a CPU model
    cpu_model.load_state_dict(nn.load(path))
    with pytest.raises(IndexError, match="out of range"):
        F.cross_entropy(gpu_model(x.to("cuda")), ag.tensor([0, 1, 2, 0, 1, 3], device="cuda"))


def test_perceptron_and_init_on_cuda():
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    p = nn.Perceptron(2, generator=0, device="cuda").fit(X, [0, 0, 0, 1])
    assert p.converged_
    w = nn.init.kaiming_normal_(nn.Parameter(ag.zeros(50, 50, device="cuda")), generator=1)
    assert w.device == "cuda:0" and float(w.data.std()) > 0
