"""Import ``autograd_core.nn``/``.optim``/``.datasets`` from a source checkout.

The repository keeps ``nn/``, ``optim/`` and ``datasets/`` beside ``autograd_core/``;
an installed wheel (or an editable install) puts them under ``autograd_core``.  When
the package is imported straight from a checkout that is not installed, this finder
gives the same names the same files, so ``from autograd_core import nn`` works
either way and the bare top-level names (``nn``, ``datasets``), which belong to other
PyPI projects, are never used.
"""

import importlib.abc
import importlib.util
import sys
from pathlib import Path

SUBPACKAGES = ("nn", "optim", "datasets")


class _SiblingFolderFinder(importlib.abc.MetaPathFinder):
    """Finds ``autograd_core.<name>`` in ``<root>/<name>/`` for the names in ``SUBPACKAGES``."""

    def __init__(self, root: Path):
        self.root = root

    def find_spec(self, fullname, path=None, target=None):
        prefix, _, name = fullname.partition(".")
        if prefix != "autograd_core" or name not in SUBPACKAGES:
            return None  # deeper modules are found through the subpackage's __path__
        init = self.root / name / "__init__.py"
        if not init.is_file():
            return None
        return importlib.util.spec_from_file_location(
            fullname, init, submodule_search_locations=[str(init.parent)])


def install(package_dir: Path) -> None:
    """Add the finder when ``package_dir`` is a checkout's ``autograd_core/`` whose
    subpackages are not already inside it (an installed wheel has them inside)."""
    root = package_dir.parent
    if all((package_dir / name).is_dir() for name in SUBPACKAGES):
        return
    if not (root / "pyproject.toml").is_file():
        return
    if any(isinstance(f, _SiblingFolderFinder) for f in sys.meta_path):
        return
    # first, so that an editable install of another checkout cannot take these names
    sys.meta_path.insert(0, _SiblingFolderFinder(root))
