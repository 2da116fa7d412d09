"""examples/mnist_data_parallel.py --smoke on 2 ranks prints the single-process test accuracy."""

import re
import subprocess
import sys

from _mpi_launch import ROOT, mpiexec_path, rank_env, require_mpi


def _summary(stdout):
    lines = [line for line in stdout.splitlines() if line.startswith("SUMMARY mnist_data_parallel")]
    assert len(lines) == 1, stdout  # rank 0 only
    return dict(re.findall(r"(\S+)=(\S+)", lines[0].split(": ", 1)[1]))


def test_two_ranks_print_the_single_process_test_accuracy(tmp_path):
    require_mpi()
    args = [str(ROOT / "examples" / "mnist_data_parallel.py"), "--smoke", "--epochs", "1",
            "--dropout", "0", "--out", str(tmp_path)]
    env = rank_env({"MPLBACKEND": "Agg"})
    env.pop("AUTOGRAD_CORE_DATA", None)
    one = subprocess.run([sys.executable, *args], env=env, cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    assert one.returncode == 0, one.stderr
    two = subprocess.run([mpiexec_path(), "--oversubscribe", "-n", "2", sys.executable, "-m",
                          "mpi4py", *args], env=env, cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert two.returncode == 0, two.stderr
    single, parallel = _summary(one.stdout), _summary(two.stdout)
    assert (single["ranks"], parallel["ranks"]) == ("1", "2")
    # the same global batches; float32 sums in another order may flip a digit or two of 1,000
    assert abs(float(single["test_accuracy"]) - float(parallel["test_accuracy"])) <= 0.002
    assert float(parallel["test_accuracy"]) > 0.8
