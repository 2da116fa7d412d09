"""Every example script runs end to end in ``--smoke`` mode (small data, few epochs).

Each runs in a subprocess, as a user would run it, from the repository root with
``PYTHONPATH`` set to it; the test checks the exit status, parses the script's
``SUMMARY`` line, and checks the figures exist (when matplotlib is installed;
without it the scripts print their metrics and skip the figures).  The full
runs on the real data, and the figures they reach, are in ``examples/README.md``.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HAVE_MATPLOTLIB = importlib.util.find_spec("matplotlib") is not None
TIMEOUT_S = 120

# script, extra arguments, figures written, checks on the summary values
CASES = [
    ("perceptron_iris", [], ["perceptron_iris.png"],
     {"accuracy": "1.0000", "setosa(2,0.5)": "True", "setosa(3,1)": "False"}),
    ("logic_and_xor", [], ["logic_and_xor.png"],
     {"hand_wired_gates": "True", "perceptron_and": "True", "perceptron_or": "True",
      "perceptron_xor_converged": "False", "mlp_xor_accuracy": "1.0000"}),
    ("activations", [], ["activations.png"], {"max_abs_error": lambda v: float(v) < 1e-12}),
    ("mnist_from_scratch", [], ["mnist_from_scratch.png"], {"epochs": "1"}),
    ("lr_finder", [], ["lr_finder.png", "lr_finder_training.png"], {"epochs": "1"}),
    ("playground", ["--dataset", "spirals"], ["playground_spirals.png"], {"dataset": "spirals"}),
    ("playground", ["--dataset", "moons"], ["playground_moons.png"], {"dataset": "moons"}),
    ("playground", ["--dataset", "circles"], ["playground_circles.png"], {"dataset": "circles"}),
    # three epochs on the 4,000 training digits of the shipped subset
    ("mnist_mlp", ["--optimizer", "sgd"], ["mnist_mlp_base_sgd.png"],
     {"model": "base", "optimizer": "sgd", "epochs": "3",
      "test_accuracy": lambda v: float(v) > 0.4}),
    ("mnist_mlp", ["--optimizer", "adam"], ["mnist_mlp_base_adam.png"],
     {"model": "base", "optimizer": "adam", "test_accuracy": lambda v: float(v) > 0.8}),
    ("mnist_mlp", ["--model", "wide", "--optimizer", "rmsprop"], ["mnist_mlp_wide_rmsprop.png"],
     {"model": "wide", "optimizer": "rmsprop", "test_accuracy": lambda v: float(v) > 0.75}),
    ("mnist_mlp", ["--hidden", "64", "--batch-size", "64", "--dropout", "0.1", "--lr", "0.002"],
     ["mnist_mlp_base_adam.png"],
     {"hidden": "64", "batch_size": "64", "test_accuracy": lambda v: float(v) > 0.8}),
    # a world of one here; tests/distributed runs it on 2 ranks and compares
    ("mnist_data_parallel", ["--epochs", "1"], ["mnist_data_parallel.png"],
     {"ranks": "1", "epochs": "1", "test_accuracy": lambda v: float(v) > 0.7}),
    # one epoch per run on the shipped subset: every summary set-up, and three sweeps
    ("mnist_sweeps", ["--sweep", "summary"], ["mnist_sweeps_summary.png"],
     {"setup": "softmax,hidden,dropout20,dropout,rmsprop,adam", "epochs": "1,1,1,1,1,1",
      "test_accuracy": lambda v: len(v.split(",")) == 6, "blas_threads": lambda v: v != ""}),
    ("mnist_sweeps", ["--sweep", "epochs"], ["mnist_sweeps_epochs.png"],
     {"tested_after": "1,2", "test_accuracy": lambda v: float(v.split(",")[-1]) > 0.7}),
    ("mnist_sweeps", ["--sweep", "hidden"], ["mnist_sweeps_hidden.png"],
     {"hidden": "16,32", "epochs": "1,1"}),
    ("mnist_sweeps", ["--sweep", "l2", "--values", "0,0.001"], ["mnist_sweeps_l2.png"],
     {"l2": "0,0.001", "test_accuracy": lambda v: len(v.split(",")) == 2}),
    ("california_search", [], ["california_search.png"],
     {"candidates": "3", "folds": "2", "n_hidden": lambda v: 0 <= int(v) <= 3,
      "n_neurons": lambda v: 1 <= int(v) <= 99, "lr": lambda v: 3e-4 <= float(v) <= 3e-2}),
    ("fashion_mnist_mlp", [],
     ["fashion_mnist_samples.png", "fashion_mnist_predictions.png", "fashion_mnist_mlp.png"],
     {"test_accuracy": lambda v: float(v) > 0.85, "true": "2,3,1",
      "predicted": lambda v: len(v.split(",")) == 3, "epochs_run": "2"}),
    ("california_housing", [], ["california_housing.png"],
     {"test_r2": lambda v: float(v) > 0.85, "valid_r2": lambda v: float(v) > 0.85,
      "best_epoch": lambda v: 1 <= int(v) <= 20}),
]
NEEDS_FULL_DATA = ["mnist_mlp", "mnist_data_parallel", "fashion_mnist_mlp", "california_housing",
                   "mnist_sweeps", "california_search"]


def run_example(name, args, out_dir, timeout=TIMEOUT_S, pythonpath=(str(ROOT),)):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(pythonpath), MPLBACKEND="Agg")
    env.pop("AUTOGRAD_CORE_DATA", None)  # smoke runs use the data shipped with the package
    return subprocess.run(
        [sys.executable, str(ROOT / "examples" / f"{name}.py"), "--smoke", "--out", str(out_dir),
         *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)


def parse_summary(name, stdout):
    lines = [line for line in stdout.splitlines() if line.startswith(f"SUMMARY {name}: ")]
    assert len(lines) == 1, f"expected one 'SUMMARY {name}:' line in:\n{stdout}"
    assert stdout.rstrip().endswith(lines[0]), "the SUMMARY line must be the last line"
    return dict(re.findall(r"(\S+)=(\S+)", lines[0].split(": ", 1)[1]))


@pytest.mark.parametrize("name, args, figures, expected", CASES,
                         ids=[c[0] + "".join("-" + a for a in c[1][1::2]) for c in CASES])
def test_example_runs(name, args, figures, expected, tmp_path):
    result = run_example(name, args, tmp_path)
    assert result.returncode == 0, (f"examples/{name}.py exited with {result.returncode}\n"
                                    f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}")
    values = parse_summary(name, result.stdout)
    assert "time" in values
    for key, check in expected.items():
        assert key in values, f"no {key}= in the summary {values}"
        ok = check(values[key]) if callable(check) else values[key] == check
        assert ok, f"{name}: {key}={values[key]} (expected {check})"
    if HAVE_MATPLOTLIB:
        for figure in figures:
            path = tmp_path / figure
            assert path.is_file() and path.stat().st_size > 1000, f"no figure {path}"


def test_example_without_matplotlib_still_prints_its_metric(tmp_path):
    blocker = tmp_path / "no_matplotlib" / "matplotlib"
    blocker.mkdir(parents=True)
    (blocker / "__init__.py").write_text("raise ImportError('matplotlib hidden by the test')\n")
    out = tmp_path / "out"
    result = run_example("perceptron_iris", [], out,
                         pythonpath=[str(blocker.parent), str(ROOT)])
    assert result.returncode == 0, result.stderr
    assert "matplotlib is not installed" in result.stdout
    assert parse_summary("perceptron_iris", result.stdout)["accuracy"] == "1.0000"
    assert not list(out.glob("*.png"))


@pytest.mark.parametrize("name", NEEDS_FULL_DATA)
def test_example_without_full_data_says_where_to_put_it(name, tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT), AUTOGRAD_CORE_CACHE=str(tmp_path / "cache"))
    env.pop("AUTOGRAD_CORE_DATA", None)
    result = subprocess.run([sys.executable, str(ROOT / "examples" / f"{name}.py"),
                             "--out", str(tmp_path)],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "AUTOGRAD_CORE_DATA" in result.stderr and "--data-dir" in result.stderr
    assert "Traceback" not in result.stderr
    assert "SUMMARY" not in result.stdout


@pytest.mark.parametrize("name", sorted({c[0] for c in CASES}))
def test_example_help(name):
    result = subprocess.run([sys.executable, str(ROOT / "examples" / f"{name}.py"), "--help"],
                            cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    for option in ("--epochs", "--seed", "--device", "--threads", "--out", "--data-dir",
                   "--download", "--smoke"):
        assert option in result.stdout


def _quickstart(*args, env=None):
    env = dict(os.environ if env is None else env, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, str(ROOT / "examples" / "quickstart.py"), *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=TIMEOUT_S)


@pytest.mark.skipif(importlib.util.find_spec("cupy") is not None, reason="CuPy is installed")
@pytest.mark.parametrize("script", ["quickstart", "mnist_mlp"])
def test_cuda_without_cupy_is_one_line_and_a_failure(script, tmp_path):
    if script == "quickstart":
        result = _quickstart("--device", "cuda", "--epochs", "1")
    else:
        result = run_example(script, ["--device", "cuda"], tmp_path)
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "--device cuda: CuPy with a CUDA device is not available here "
        "(pip install -e '.[cuda]'), or use --device cpu"]
    assert result.stdout == ""


@pytest.mark.skipif(importlib.util.find_spec("threadpoolctl") is None,
                    reason="threadpoolctl is not installed")
def test_threads_option_sets_the_blas_threads(tmp_path):
    result = run_example("perceptron_iris", ["--threads", "1"], tmp_path)
    assert result.returncode == 0, result.stderr
    bad = _quickstart("--threads", "0", "--quiet")
    assert bad.returncode != 0 and "Traceback" not in bad.stderr
    assert bad.stderr.startswith("--threads 0: ") and "positive int" in bad.stderr
    quick = _quickstart("--threads", "1", "--epochs", "1", "--quiet")
    assert quick.returncode == 0 and quick.stdout.startswith("test accuracy: "), quick.stderr
