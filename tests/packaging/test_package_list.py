"""pyproject.toml lists every package folder of the source, so the wheel ships all of them.

``[tool.setuptools] packages`` is an explicit list (the folders ``nn/``, ``optim/`` and
``datasets/`` install under other names, which automatic discovery cannot express); a new
sub-package left out of it installs as nothing and fails only in an installed copy.
"""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _config():
    with open(ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["tool"]["setuptools"]


def _source_packages(config):
    found = {}
    for dotted, folder in config["package-dir"].items():
        base = ROOT / folder
        for path in [base, *base.rglob("*")]:
            if not path.is_dir() or path.name == "__pycache__":
                continue
            if not any(p.is_file() and p.suffix != ".pyc" for p in path.iterdir()):
                continue
            rel = path.relative_to(base).parts
            if any(part.startswith(".") for part in rel):
                continue
            found[".".join((dotted, *rel))] = path.relative_to(ROOT)
    return found


def test_every_source_folder_is_a_listed_package():
    config = _config()
    listed = set(config["packages"])
    missing = {name: str(folder) for name, folder in _source_packages(config).items()
               if name not in listed}
    assert not missing, ("add these to [tool.setuptools] packages in pyproject.toml, or the "
                         f"wheel leaves them out: {missing}")


def test_every_listed_package_exists():
    config = _config()
    source = _source_packages(config)
    assert sorted(set(config["packages"]) - set(source)) == []
