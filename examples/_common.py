"""What every example script shares: its command line, seeding, figures and summary line.

Every example accepts the same options (``--epochs``, ``--seed``, ``--device``,
``--threads``, ``--out``, ``--data-dir``, ``--download``, ``--smoke``), writes its figures under ``--out``
(default ``runs/``) with matplotlib's Agg backend, and ends with one line::

    SUMMARY <example>: key=value key=value ... time=12.3s

which the smoke tests (``tests/examples``) parse.  matplotlib is optional: without
it an example says so once, skips its figures and still prints its metrics.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

try:
    import autograd_core  # noqa: F401 - installed (pip install -e .)?
except ImportError:  # run from a source checkout without installing it
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np

import autograd_core as ag

__all__ = ["ag", "make_parser", "add_device_options", "check_device_options", "start", "load_full_data", "best_epoch", "pyplot", "save_figure",
           "plot_history", "summary", "to_numpy"]

_START = time.perf_counter()


def make_parser(doc: str, *, epochs: int, smoke_epochs: int = 1, seed: int = 0,
                epochs_help: str = "training epochs",
                smoke_help: str = "a few-second run on small data (for the tests)"):
    """The shared argument parser; the script's docstring is its description.

    ``--epochs`` defaults to ``epochs``, or to ``smoke_epochs`` with ``--smoke``
    (resolved by :func:`start`).
    """
    parser = argparse.ArgumentParser(description=doc,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.set_defaults(default_epochs=(epochs, smoke_epochs))
    parser.add_argument("--epochs", type=int, default=None,
                        help=f"{epochs_help} (default {epochs}; {smoke_epochs} with --smoke)")
    parser.add_argument("--seed", type=int, default=seed, help=f"random seed (default {seed})")
    add_device_options(parser)
    parser.add_argument("--out", type=Path, default=Path("runs"),
                        help="folder for the figures (default runs/)")
    parser.add_argument("--data-dir", default=os.environ.get("AUTOGRAD_CORE_DATA"),
                        help="folder with the full data sets laid out like ../shared/data "
                             "(default $AUTOGRAD_CORE_DATA)")
    parser.add_argument("--download", action="store_true",
                        help="download missing data files (SHA-256 verified) into --data-dir, "
                             "else the per-user cache (~/.cache/autograd_core)")
    parser.add_argument("--mirror", default=None, metavar="URL",
                        help="download from this folder URL instead of the data set's "
                             "public mirror (with --download)")
    parser.add_argument("--smoke", action="store_true", help=smoke_help)
    return parser


def add_device_options(parser):
    """``--device`` and ``--threads`` (shared with ``quickstart.py``)."""
    parser.add_argument("--device", default="cpu",
                        help="cpu, cuda or cuda:N (default cpu; cuda needs CuPy)")
    parser.add_argument("--threads", type=int, default=None, metavar="N",
                        help="BLAS threads (needs threadpoolctl; default: NumPy's, one per "
                             "core; 1 is often fastest on a busy machine)")


def check_device_options(args):
    """Exit with one line when ``--device`` is unusable here or ``--threads`` cannot be set;
    else set the BLAS thread count."""
    if args.device != "cpu" and not ag.cupy_available():
        sys.exit(f"--device {args.device}: CuPy with a CUDA device is not available here "
                 "(pip install -e '.[cuda]'), or use --device cpu")
    if args.threads is not None:
        try:
            ag.set_num_threads(args.threads)
        except (ImportError, ValueError) as exc:
            sys.exit(f"--threads {args.threads}: {exc}")


def start(args):
    """Resolve ``--epochs``, seed from ``--seed``, check ``--device`` and ``--threads``,
    create ``--out``."""
    if args.epochs is None:
        args.epochs = args.default_epochs[1] if args.smoke else args.default_epochs[0]
    ag.manual_seed(args.seed)
    np.random.seed(args.seed)
    check_device_options(args)
    args.out.mkdir(parents=True, exist_ok=True)


def load_full_data(loader, args, what: str):
    """``loader(args.data_dir, download=args.download[, mirror=args.mirror])``, or exit with
    where to get ``what`` when its files are missing or a download failed."""
    from autograd_core import datasets  # noqa: PLC0415 - after the source-checkout path fix above

    options = {"download": args.download}
    if args.mirror:
        options["mirror"] = args.mirror
    try:
        return loader(args.data_dir, **options)
    except datasets.DataFileNotFoundError as exc:
        sys.exit(f"{exc}\n\n{what} is needed: rerun with --download (fetches it, SHA-256 "
                 "verified, into the per-user cache), set AUTOGRAD_CORE_DATA or pass --data-dir "
                 "(a folder laid out like ../shared/data), or run with --smoke.")
    except datasets.DatasetError as exc:  # a failed or mismatching download
        sys.exit(f"{exc}\n\n{what} could not be downloaded; nothing was kept. Set "
                 "AUTOGRAD_CORE_DATA or pass --data-dir (a folder laid out like ../shared/data), "
                 "or run with --smoke.")


def best_epoch(stopper, history):
    """``(index, text)``: the epoch whose weights the model ends with after ``fit`` with
    ``stopper`` (an ``EarlyStopping`` restoring the best weights), and a phrase saying so."""
    found = stopper.best_epoch is not None
    best = stopper.best_epoch if found else len(history) - 1
    stopped = ("" if history.stopped_epoch is None
               else f"early stopping after epoch {history.stopped_epoch + 1}, ")
    kept = "restored" if found else "kept (no epoch improved on the first validation loss)"
    return best, f"{stopped}weights of epoch {best + 1} {kept}"


_PLT = None
_WARNED = False


def pyplot():
    """matplotlib.pyplot on the Agg backend, or None (with one message) without matplotlib."""
    global _PLT, _WARNED
    if _PLT is None:
        try:
            import matplotlib  # noqa: PLC0415 - optional dependency

            matplotlib.use("Agg")
            import matplotlib.pyplot as plt  # noqa: PLC0415
        except ImportError:
            if not _WARNED:
                print("matplotlib is not installed: no figures this time "
                      "(pip install matplotlib, or pip install -e '.[plot]')")
                _WARNED = True
            return None
        _PLT = plt
    return _PLT


def save_figure(fig, out: Path, name: str) -> Path:
    """Save ``fig`` as ``out/name``, close it, print and return the path."""
    path = Path(out) / name
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    pyplot().close(fig)
    print(f"figure: {path}")
    return path


def plot_history(history, out: Path, name: str, title: str | None = None):
    """The learning curves of ``history`` (``History.plot``: one panel per metric, training
    and validation) under ``title``, saved as ``out/name``; nothing without matplotlib or
    without an epoch."""
    if pyplot() is None or not len(history):
        return
    fig = history.plot()
    if title:
        fig.suptitle(title)
    save_figure(fig, out, name)


def to_numpy(x):
    """A NumPy array from a Tensor or a NumPy/CuPy array on any device."""
    if isinstance(x, ag.Tensor):
        return x.numpy()
    if not isinstance(x, np.ndarray) and hasattr(x, "get"):  # a CuPy array
        return x.get()
    return np.asarray(x)


def summary(name: str, **values) -> str:
    """Print (and return) the one summary line, with the wall time since start-up."""
    parts = []
    for key, value in values.items():
        if isinstance(value, float):
            value = f"{value:.4f}" if 1e-3 <= abs(value) < 1e4 or value == 0 else f"{value:.3g}"
        parts.append(f"{key}={value}")
    parts.append(f"time={time.perf_counter() - _START:.1f}s")
    line = f"SUMMARY {name}: " + " ".join(parts)
    print(line, flush=True)
    return line
