"""The wheel installs next to the PyPI packages named ``datasets`` (Hugging Face's), ``nn`` and
``optim`` without either side breaking, and uninstalling theirs leaves this project intact.

The bare names are taken on PyPI, so this project installs ``nn``, ``optim`` and ``datasets``
only as ``autograd_core.nn`` / ``.optim`` / ``.datasets``.  The test builds the wheel from a
copy of the source, installs it into a fresh virtual environment together with the three
PyPI packages, imports both sides, uninstalls theirs and checks that this project still
imports, that every file of its install is still there and that its shipped data loads.
It needs PyPI (as CI's own ``pip install`` does) and skips, saying so, when PyPI cannot be
reached.  pip's cache makes a second run quick; each pip command has a time limit.
"""

import os
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ["autograd_core", "nn", "optim", "datasets", "pyproject.toml", "README.md", "LICENSE"]
PIP_TIMEOUT = 600  # seconds per pip command (a cold cache downloads pyarrow and pandas)
THEIRS = ["datasets", "nn", "optim"]

BOTH_SIDES = """
    import importlib.util, os, sys
    site = os.path.dirname(os.path.dirname(importlib.util.find_spec("numpy").origin))

    import datasets as hf                     # Hugging Face's
    assert hasattr(hf, "load_dataset") and hf.__file__.startswith(site), hf.__file__
    import optim as pypi_optim                 # PyPI's optim (an empty playground package)
    assert pypi_optim.__author__ == "Todd Young", pypi_optim.__file__
    spec = importlib.util.find_spec("nn")      # PyPI's nn: a Keras wrapper
    assert spec.origin == os.path.join(site, "nn", "__init__.py"), spec.origin
    try:
        import nn as pypi_nn
    except ModuleNotFoundError as err:         # it needs TensorFlow, which is not installed
        assert err.name == "tensorflow", err

    import autograd_core as ag
    from autograd_core import datasets, nn, optim
    assert nn.__file__ == os.path.join(site, "autograd_core", "nn", "__init__.py"), nn.__file__
    assert sys.modules["datasets"] is hf and sys.modules["optim"] is pypi_optim
    (X, y), _ = datasets.load_mnist_small()
    assert X.shape == (5000, 28, 28)
    model = nn.Linear(784, 10)
    opt = optim.SGD(model.parameters(), lr=0.1)
    loss = nn.functional.cross_entropy(model(ag.tensor(X[:32].reshape(32, -1) / 255.0)), y[:32])
    loss.backward()
    opt.step()
    print("both sides import")
"""

OURS_ONLY = """
    import importlib.metadata, importlib.util, os
    for name in ("datasets", "nn", "optim"):   # theirs are gone; we never had these names
        assert importlib.util.find_spec(name) is None, name
    dist = importlib.metadata.distribution("autograd-core")
    missing = [str(f) for f in dist.files if not os.path.exists(dist.locate_file(f))]
    assert not missing, missing
    from autograd_core import datasets, nn, optim
    (X, y), (X_test, y_test) = datasets.load_mnist_small()
    assert X.shape == (5000, 28, 28) and X_test.shape == (1000, 28, 28)
    assert datasets.load_iris().data.shape == (150, 4)
    print("autograd_core intact:", len(dist.files), "files")
"""


def _run(cmd, cwd, timeout=PIP_TIMEOUT):
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                            check=False, env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1",
                                              "PYTHONPATH": ""})
    assert result.returncode == 0, (f"{' '.join(map(str, cmd))} failed:\n{result.stdout[-3000:]}"
                                    f"\n{result.stderr[-3000:]}")
    return result.stdout


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    """A fresh virtual environment (its python) and a folder to work in."""
    work = tmp_path_factory.mktemp("clash")
    probe = subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
                            "-d", str(work / "probe"), "optim==0.1.0"],
                           capture_output=True, text=True, timeout=120, check=False)
    if probe.returncode != 0:
        pytest.skip(f"PyPI cannot be reached (pip download optim: {probe.stderr.strip()[-300:]})")
    _run([sys.executable, "-m", "venv", str(work / "venv")], work)
    return work, work / "venv" / "bin" / "python"


@pytest.fixture(scope="module")
def wheel(env):
    work, _ = env
    src = work / "src"
    for name in SOURCE:  # a copy, so the build leaves no build/ or egg-info in the checkout
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            src.mkdir(exist_ok=True)
            shutil.copy2(ROOT / name, src / name)
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(work / "dist"),
          str(src)], work)
    (path,) = (work / "dist").glob("autograd_core-*.whl")
    return path


def test_the_wheel_has_no_top_level_nn_optim_or_datasets(wheel):
    with zipfile.ZipFile(wheel) as archive:
        tops = {name.split("/")[0] for name in archive.namelist()}
        top_level = archive.read(next(n for n in archive.namelist()
                                      if n.endswith(".dist-info/top_level.txt"))).decode() \
            if any(n.endswith("top_level.txt") for n in archive.namelist()) else "autograd_core"
        names = archive.namelist()
    assert {t for t in tops if not t.endswith(".dist-info")} == {"autograd_core"}
    assert top_level.split() == ["autograd_core"]
    for package in ("nn", "optim", "datasets"):
        assert f"autograd_core/{package}/__init__.py" in names
    assert any(n.startswith("autograd_core/datasets/_shipped/") and n.endswith(".npz")
               for n in names)
    assert "autograd_core/py.typed" in names


def test_installs_beside_huggingface_datasets_and_pypi_nn_optim_and_survives_their_removal(
        env, wheel):
    work, python = env
    _run([python, "-m", "pip", "install", "--quiet", str(wheel), *THEIRS], work)
    assert "both sides import" in _run([python, "-c", textwrap.dedent(BOTH_SIDES)], work, 300)
    _run([python, "-m", "pip", "uninstall", "--yes", "--quiet", *THEIRS], work)
    assert "autograd_core intact" in _run([python, "-c", textwrap.dedent(OURS_ONLY)], work, 300)
