"""The API reference (``mkdocs build --strict``) documents every public function and class.

``docs/api_pages.py`` finds the public modules and names from the code; this test builds
the site with warnings as errors and checks, in the site's object inventory, that every one
of those names was rendered.  It needs the ``docs`` extra (in ``dev``).
"""

import subprocess
import sys
import zlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "docs"))

import api_pages  # noqa: E402


def test_every_public_module_has_a_page_and_every_public_name_a_place():
    pages = api_pages.reference_pages()
    assert set(pages) == set(api_pages.public_modules())
    for expected in ("autograd_core", "autograd_core.nn", "autograd_core.optim",
                     "autograd_core.datasets", "autograd_core.nn.functional"):
        assert expected in pages
    placed = {f"{m}.{n}" for m, names in pages.items() for n in names}
    assert {"autograd_core.tensor", "autograd_core.nn.Linear", "autograd_core.nn.load_into",
            "autograd_core.optim.Adam", "autograd_core.datasets.load_mnist_small"} <= placed
    assert "autograd_core.nn.layers.Linear" not in placed  # once, where users meet it


def _inventory(path):
    data = path.read_bytes()
    _, _, body = data.partition(b"zlib.\n")
    return {line.split()[0] for line in zlib.decompress(body).decode().splitlines()}


def test_the_reference_builds_strictly_and_renders_every_public_name(tmp_path):
    pytest.importorskip("mkdocstrings_handlers.python",
                        reason="the docs build needs the docs extra (pip install -e '.[docs]')")
    site = tmp_path / "site"
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
                             "--site-dir", str(site)], cwd=ROOT, capture_output=True, text=True,
                            timeout=300, check=False)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    rendered = _inventory(site / "objects.inv")
    wanted = {f"{m}.{n}" for m, names in api_pages.reference_pages().items() for n in names}
    assert sorted(wanted - rendered) == []
    for page in ("index.html", "guide/tests.html", "guide/examples-readme.html"):
        assert (site / page).is_file(), page
