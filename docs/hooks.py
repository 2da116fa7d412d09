"""MkDocs hooks: the guide pages are README.md's sections, the reference pages come from the code.

Nothing under docs/ is generated on disk: the pages are added to the build in memory.
``README.md`` is split at its ``## `` headings (the text before the first one and
``Quick start`` make the home page), ``examples/README.md`` is the Examples page, and
``docs/api_pages.py`` lists the reference pages.
"""

from __future__ import annotations

import re
import shutil
import sys
import tomllib
from pathlib import Path

from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parents[1]
LAYOUT = ROOT / "build" / "docs-src"  # mkdocs.yml's mkdocstrings `paths`


def copy_installed_layout() -> None:
    """Lay out ``build/docs-src/autograd_core`` as the wheel installs it (a copy).

    ``nn/``, ``optim/`` and ``datasets/`` sit at the top of the repository but are the
    sub-packages ``autograd_core.nn`` ... (``[tool.setuptools.package-dir]`` in
    pyproject.toml); griffe, which mkdocstrings uses, finds modules by their files, and
    the build imports the copy, so the docs show exactly what installs.
    """
    with open(ROOT / "pyproject.toml", "rb") as f:
        package_dir = tomllib.load(f)["tool"]["setuptools"]["package-dir"]
    if LAYOUT.exists():
        shutil.rmtree(LAYOUT)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for dotted, folder in sorted(package_dir.items(), key=lambda item: item[0].count(".")):
        shutil.copytree(ROOT / folder, LAYOUT.joinpath(*dotted.split(".")), ignore=ignore,
                        dirs_exist_ok=True)


copy_installed_layout()
sys.path.insert(0, str(LAYOUT))
sys.path.insert(0, str(ROOT / "docs"))

from api_pages import page_markdown, reference_pages  # noqa: E402


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower().replace("`", "")).strip("-")


def guide_pages(readme: str) -> list[tuple[str, str]]:
    """(file name, Markdown) for each ``## `` section of the README, in order."""
    parts = re.split(r"^(?=## )", readme, flags=re.MULTILINE)
    pages = [("index.md", parts[0] + (parts[1] if len(parts) > 1 else ""))]
    for part in parts[2:]:
        title = part.splitlines()[0][3:].strip()
        body = "# " + part[3:]  # the section's heading becomes the page's title
        pages.append((f"guide/{_slug(title)}.md", body))
    return pages


def on_files(files, config):
    """Add the guide and reference pages to the build."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    readme = readme.replace("](examples/README.md)", "](guide/examples-readme.md)")
    for name, text in guide_pages(readme):
        files.append(File.generated(config, name, content=text))
    examples = (ROOT / "examples" / "README.md").read_text(encoding="utf-8")
    files.append(File.generated(config, "guide/examples-readme.md", content=examples))
    for module, members in reference_pages().items():
        files.append(File.generated(config, f"reference/{module}.md",
                                    content=page_markdown(module, members)))
    return files
