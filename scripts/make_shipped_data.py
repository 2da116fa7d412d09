"""Regenerate ``datasets/_shipped/`` from the full data files.

Usage::

    AUTOGRAD_CORE_DATA=/path/to/data python scripts/make_shipped_data.py

Writes

* ``mnist_small.npz``: a stratified, seeded subset of MNIST, 5,000 digits
  drawn from the 60,000 training images and 1,000 from the 10,000 test images,
  stored as uint8 with ``numpy.savez_compressed`` (keys ``X_train``,
  ``y_train``, ``X_test``, ``y_test``, ``train_index``, ``test_index``; the
  index arrays give each sample's position in the full MNIST file);
* ``iris.csv``: scikit-learn's copy of the iris data, unchanged;
* ``manifest.json``: seed, sizes and the SHA-256 of every source and output.

``datasets/_shipped/README.md`` (licences, attribution) is written by hand.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from autograd_core.datasets._files import locate, sha256_of  # noqa: E402
from autograd_core.datasets.mnist import load_mnist, MNIST_FILES  # noqa: E402
from autograd_core.datasets.split import train_test_split  # noqa: E402

SEED = 20240601
N_TRAIN, N_TEST = 5000, 1000


def stratified_subset(y, size, seed):
    """Indices of a stratified random subset of ``size`` samples, sorted ascending."""
    index = np.arange(len(y))
    chosen, _ = train_test_split(index, train_size=size, stratify=y, random_state=seed)
    return np.sort(chosen)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", default=None,
                        help="folder holding mnist/ and iris/ (default: $AUTOGRAD_CORE_DATA)")
    parser.add_argument("--out", default=str(REPO / "datasets" / "_shipped"))
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    (X_train, y_train), (X_test, y_test) = load_mnist(args.data_dir)
    train_index = stratified_subset(y_train, N_TRAIN, SEED)
    test_index = stratified_subset(y_test, N_TEST, SEED + 1)
    partial = out / ".mnist_small.partial.npz"  # renamed into place once complete
    np.savez_compressed(
        partial,
        X_train=X_train[train_index], y_train=y_train[train_index].astype(np.uint8),
        X_test=X_test[test_index], y_test=y_test[test_index].astype(np.uint8),
        train_index=train_index.astype(np.int32), test_index=test_index.astype(np.int32),
    )
    os.replace(partial, out / "mnist_small.npz")

    iris_src = locate(["iris/iris.csv"], args.data_dir)
    if iris_src is None:
        raise SystemExit("iris/iris.csv not found; set AUTOGRAD_CORE_DATA or pass --data-dir")
    shutil.copyfile(iris_src, out / "iris.csv")

    sources = {name: locate([f"mnist/{name}"], args.data_dir) for name in MNIST_FILES}
    manifest = {
        "generator": "scripts/make_shipped_data.py",
        "seed": SEED,
        "mnist_small": {
            "train": N_TRAIN, "test": N_TEST,
            "train_per_class": np.bincount(y_train[train_index], minlength=10).tolist(),
            "test_per_class": np.bincount(y_test[test_index], minlength=10).tolist(),
        },
        "sources_sha256": {
            **{f"mnist/{n}": sha256_of(p) for n, p in sources.items()},
            "iris/iris.csv": sha256_of(iris_src),
        },
        "outputs_sha256": {"iris.csv": sha256_of(out / "iris.csv")},
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    size = (out / "mnist_small.npz").stat().st_size
    print(f"wrote {out}/mnist_small.npz ({size / 1e6:.2f} MB), iris.csv, manifest.json")


if __name__ == "__main__":
    main()
