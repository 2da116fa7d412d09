"""Suite-wide settings: hypothesis profiles and the device the suite runs on.

Profiles (select with ``HYPOTHESIS_PROFILE=name`` or ``--hypothesis-profile=name``):
``dev`` (default, quick), ``ci`` (what .ci/run uses: derandomized, bounded), and
``thorough`` (many more examples, for a deep check before a release).

Device: ``--device cuda`` or ``AUTOGRAD_CORE_TEST_DEVICE=cuda`` makes every test
create its tensors on the GPU by default (needs CuPy and a GPU).
"""

import os

import pytest
from hypothesis import HealthCheck, settings

import autograd_core as ag

settings.register_profile("dev", max_examples=25, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", max_examples=20, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow], print_blob=True)
settings.register_profile("thorough", max_examples=300, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


def pytest_addoption(parser):
    parser.addoption("--device", default=os.environ.get("AUTOGRAD_CORE_TEST_DEVICE", "cpu"),
                     help="default device for tensors created in tests: cpu or cuda")


def pytest_configure(config):
    device = config.getoption("--device")
    if device != "cpu":
        if not ag.cupy_available():
            raise pytest.UsageError(f"--device {device}: CuPy with a CUDA device is not available")
        ag.set_default_device(device)


@pytest.fixture
def device():
    """The device the suite runs on (``cpu`` unless ``--device`` says otherwise)."""
    return ag.get_default_device()


@pytest.fixture(autouse=True)
def _restore_global_state():
    """Keep tests independent of each other's global switches."""
    dtype, device = ag.get_default_dtype(), ag.get_default_device()
    yield
    ag.set_default_dtype(dtype)
    ag.set_default_device(device)
