"""Fixtures for the nn tests."""

import pytest

import autograd_core as ag


@pytest.fixture(autouse=True)
def _fresh_global_seed():
    """Every test starts from the same global generator state."""
    ag.manual_seed(1234)
    yield
