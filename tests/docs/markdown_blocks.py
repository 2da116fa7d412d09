"""Run the code blocks of a Markdown file in order, as the README promises they run.

The convention (README.md, examples/README.md and every page listed in
``tests/docs/test_markdown_blocks.py``):

* a ```` ```python ```` block runs as written, after the blocks above it in the same file,
  in one namespace per file (a fresh module);
* a ```` ```pycon ```` block is an interactive session (``>>>`` / ``...`` prompts) run in
  that same namespace and checked like a doctest, with ``ELLIPSIS`` and
  ``NORMALIZE_WHITESPACE``;
* every other block (```` ```bash ````, ```` ``` ```` with no language, ...) is not run;
  outputs written as ``# comments`` inside a python block are not checked.

Line numbers in tracebacks and doctest reports are the Markdown file's own.
"""

from __future__ import annotations

import doctest
import re
import sys
import traceback
import types
from dataclasses import dataclass
from pathlib import Path

RUN_LANGUAGES = ("python", "pycon")
_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`]*)$")
DOCTEST_FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


@dataclass(frozen=True)
class Block:
    """One fenced code block: its language, its text and the file line of its first code line."""

    language: str
    code: str
    lineno: int  # 1-based line number (in the Markdown file) of the first line of ``code``


def parse_blocks(text: str) -> list[Block]:
    """Every fenced code block of a Markdown text, in order (whatever its language).

    An unclosed fence runs to the end of the text, as in CommonMark.
    """
    blocks: list[Block] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        fence, indent = m["fence"], len(m["indent"])
        info = m["info"].strip()
        language = info.split()[0].lower() if info else ""
        start = i + 1
        j = start
        while j < len(lines):
            close = _FENCE.match(lines[j])
            if (close and close["fence"][0] == fence[0] and len(close["fence"]) >= len(fence)
                    and not close["info"].strip()):
                break
            j += 1
        # a fence indented by n spaces strips up to n spaces from its lines (CommonMark)
        body = [line[min(indent, len(line) - len(line.lstrip(" "))):] for line in lines[start:j]]
        blocks.append(Block(language, "\n".join(body) + "\n", start + 1))
        i = j + 1
    return blocks


class BlockFailure(AssertionError):
    """A block of a Markdown file failed; the message names the file, the line and why."""


def run_markdown(path: str | Path, module_name: str = "markdown_blocks_namespace") -> dict:
    """Run the python and pycon blocks of the Markdown file at ``path`` in order.

    Returns the namespace the blocks ran in. Raises ``BlockFailure`` naming the file and
    line of the first block that raised or whose shown output differs.
    """
    path = Path(path).resolve()
    module = types.ModuleType(module_name)
    module.__file__ = str(path)
    namespace = module.__dict__
    saved = sys.modules.get(module_name)
    sys.modules[module_name] = module  # so pickling, dataclasses, typing find the module
    try:
        for block in parse_blocks(path.read_text(encoding="utf-8")):
            if block.language == "python":
                _run_python(block, path, namespace)
            elif block.language == "pycon":
                _run_pycon(block, path, namespace)
    finally:
        if saved is None:
            sys.modules.pop(module_name, None)
        else:
            sys.modules[module_name] = saved
    return namespace


def _run_python(block: Block, path: Path, namespace: dict) -> None:
    # padding with newlines makes the code object's line numbers the Markdown file's
    source = "\n" * (block.lineno - 1) + block.code
    try:
        code = compile(source, str(path), "exec")
        exec(code, namespace)
    except Exception as exc:
        frames = traceback.format_exception(type(exc), exc, exc.__traceback__.tb_next)
        raise BlockFailure(
            f"{path.name}:{block.lineno}: the python block starting here raised "
            f"{type(exc).__name__} (a block runs after the blocks above it, in one namespace "
            f"per file):\n{''.join(frames)}") from None


def _run_pycon(block: Block, path: Path, namespace: dict) -> None:
    test = doctest.DocTestParser().get_doctest(
        block.code, namespace, f"{path.name}:{block.lineno}", str(path), block.lineno - 1)
    test.globs = namespace  # get_doctest copies the globals; share the file's namespace
    report: list[str] = []
    runner = doctest.DocTestRunner(optionflags=DOCTEST_FLAGS)
    result = runner.run(test, out=report.append, clear_globs=False)
    if result.failed:
        raise BlockFailure(
            f"{path.name}:{block.lineno}: the pycon block starting here does not show what "
            f"it prints ({result.failed} of {result.attempted} examples differ):\n"
            + "".join(report))
