"""Every python and pycon block of the README files runs, in order, and shows what it prints.

Run one file: ``python -m pytest tests/docs -k README.md`` (or ``-k examples``).
The convention is in ``tests/docs/markdown_blocks.py``; blocks run in a temporary
working directory, so the ``runs/`` folders they write vanish with it.
"""

import sys
from pathlib import Path

import pytest

from markdown_blocks import BlockFailure, run_markdown

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTED = ["README.md", "examples/README.md"]


@pytest.mark.parametrize("name", DOCUMENTED)
def test_markdown_blocks_run(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    failure = None
    try:
        run_markdown(ROOT / name)
    except BlockFailure as exc:
        failure = str(exc)
    finally:
        plt = sys.modules.get("matplotlib.pyplot")
        if plt is not None:
            plt.close("all")
    if failure is not None:
        pytest.fail(failure, pytrace=False)
