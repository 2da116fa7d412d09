"""The API reference's pages, found from the code: every public module, every public name.

``reference_pages()`` imports ``autograd_core`` and its sub-packages (``nn``, ``optim``,
``datasets`` included), walks every public module (no name part starting with ``_``) and
assigns each public object (a module's ``__all__``, or the public functions and classes
it defines) to ONE page: the shallowest module that exports it, e.g. ``ag.tensor`` on the
``autograd_core`` page and ``nn.Linear`` on ``autograd_core.nn``.  A new module shows up
without editing anything.  Used by ``docs/hooks.py`` (the MkDocs build) and by
``tests/docs/test_api_reference.py`` (every public name has a page).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import types

ROOTS = ["autograd_core", "autograd_core.nn", "autograd_core.optim", "autograd_core.datasets"]


def public_modules() -> list[str]:
    """Dotted names of every public module, shallowest first."""
    names = set()
    for root in ROOTS:
        module = importlib.import_module(root)
        names.add(root)
        for info in pkgutil.walk_packages(module.__path__, prefix=root + ".",
                                          onerror=lambda name: None):
            if not any(part.startswith("_") for part in info.name.split(".")):
                names.add(info.name)
    return sorted(names, key=lambda n: (n.count("."), n))


def public_names(module: types.ModuleType) -> list[str]:
    """``__all__``, or else the public functions and classes the module itself defines."""
    if hasattr(module, "__all__"):
        return [n for n in module.__all__ if not isinstance(getattr(module, n, None),
                                                           types.ModuleType)]
    return sorted(n for n, obj in vars(module).items()
                  if not n.startswith("_") and (inspect.isclass(obj) or inspect.isfunction(obj))
                  and getattr(obj, "__module__", None) == module.__name__)


def is_foreign_value(obj) -> bool:
    """A re-exported value of another library's type (``ag.float32`` is NumPy's dtype): not
    a function, class or module of this project, so its own documentation is NumPy's."""
    if inspect.isclass(obj) or inspect.isfunction(obj) or inspect.ismodule(obj):
        return False
    kind = type(obj).__module__.split(".")[0]
    return kind not in ("builtins", "autograd_core", "collections", "typing")


def reference_pages() -> dict[str, list[str]]:
    """{module name: [public names documented on its page]}, each object on one page."""
    placed: dict[int, str] = {}
    pages: dict[str, list[str]] = {}
    for name in public_modules():
        module = importlib.import_module(name)
        members = []
        for attr in public_names(module):
            obj = getattr(module, attr)
            if is_foreign_value(obj):
                continue
            key = id(obj) if (inspect.isclass(obj) or callable(obj)) else id((name, attr))
            if key in placed:
                continue
            placed[key] = f"{name}.{attr}"
            members.append(attr)
        pages[name] = members
    return pages


def page_markdown(module_name: str, members: list[str]) -> str:
    """The Markdown of one reference page (mkdocstrings ``:::`` directives)."""
    lines = [f"# `{module_name}`", "", f"::: {module_name}", "    options:",
             "      members: false", "      show_root_heading: false", ""]
    lines += [f"::: {module_name}.{member}\n" for member in members]
    return "\n".join(lines)
