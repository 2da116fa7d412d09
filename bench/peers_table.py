"""Markdown tables from the JSON lines of several ``bench/peers.py`` runs.

Each run's ratio for a library is the median over its interleaved rounds; this
prints, per benchmark, the median of those ratios over the runs and their
min-max (the spread between runs), so a table shows how far a figure moved on
the machine that measured it.

Usage::

    for i in 1 2 3; do python bench/peers.py --threads 1 --rounds 3 > run$i.jsonl; done
    python bench/peers_table.py run1.jsonl run2.jsonl run3.jsonl
"""

from __future__ import annotations

import json
import statistics
import sys
from collections import defaultdict


def load(paths):
    """``{(bench, batch, threads): [record, ...]}``, one record per run."""
    records = defaultdict(list)
    for path in paths:
        with open(path) as f:
            for line in f:
                line = line.strip()
                if line.startswith("{") and '"bench"' in line:
                    r = json.loads(line)
                    records[(r["bench"], r.get("batch"), r["threads"])].append(r)
    return records


def cell(values, digits=2):
    """``median (min–max)`` of one figure over the runs, or ``—`` when absent."""
    values = [v for v in values if v is not None]
    if not values:
        return "—"
    med = statistics.median(values)
    if len(values) == 1 or max(values) == min(values):
        return f"{med:.{digits}f}"
    return f"{med:.{digits}f} ({min(values):.{digits}f}–{max(values):.{digits}f})"


def ratio(runs, base, lib):
    if lib == base:
        return [1.0 for _ in runs]
    return [r.get(f"ratio_to_{base}", {}).get(lib) for r in runs]


def main(paths):
    records = load(paths)
    libs = ("gemm", "engine", "engine_compiled", "jax_jit", "torch", "mygrad", "autograd", "jax")
    for threads in sorted({k[2] for k in records}):
        steps = sorted(k for k in records if k[0] == "step" and k[2] == threads)
        if steps:
            batches = [k[1] for k in steps]
            n_runs = min(len(records[k]) for k in steps)
            print(f"\nstep ÷ hand-written NumPy, {threads} BLAS thread(s), {n_runs} run(s)\n")
            print("| library | " + " | ".join(f"b{b}" for b in batches) + " |")
            print("|---" * (len(batches) + 1) + "|")
            for lib in libs:
                print(f"| {lib} | " + " | ".join(cell(ratio(records[k], "numpy", lib))
                                                 for k in steps) + " |")
            for lib in ("engine", "engine_compiled"):
                for base in ("gemm", "jax_jit"):
                    print(f"| {lib} ÷ {base} | " + " | ".join(
                        cell(ratio(records[k], base, lib)) for k in steps) + " |")
            print("| NumPy step, ms | " + " | ".join(
                cell([r["ms"].get("numpy") for r in records[k]], 3) for k in steps) + " |")
            print("| load average | " + " | ".join(
                cell([r["load_avg_1m"] for r in records[k]], 1) for k in steps) + " |")
        for bench, base, unit in (("op", "torch", "us_per_op"), ("chain", "torch", "s"),
                                  ("hvp", "jax_jit", "ms")):
            runs = [r for k, v in records.items() if k[0] == bench and k[2] == threads
                    for r in v]
            if not runs:
                continue
            print(f"\n{bench}, {threads} BLAS thread(s), {len(runs)} run(s): {unit}, "
                  f"÷ {base}\n")
            names = list(runs[0][unit])
            for lib in names:
                print(f"| {lib} | {cell([r[unit].get(lib) for r in runs], 4)} | "
                      f"{cell(ratio(runs, base, lib))} |")
            if bench == "chain":
                for lib in runs[0].get("bytes_per_op", {}):
                    print(f"| bytes per op, {lib} | "
                          f"{cell([r['bytes_per_op'].get(lib) for r in runs], 0)} | |")


if __name__ == "__main__":
    main(sys.argv[1:])
