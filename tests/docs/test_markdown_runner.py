"""The Markdown block runner itself: order, one namespace per file, which blocks run, checked
outputs, and failures that name the file and line."""

import textwrap

import pytest
from markdown_blocks import BlockFailure, parse_blocks, run_markdown


def _write(tmp_path, text, name="page.md"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_blocks_run_in_order_in_one_namespace(tmp_path):
    path = _write(tmp_path, """\
        # Title
        ```python
        steps = ["first"]
        ```
        text
        ```pycon
        >>> steps.append("second")
        >>> steps
        ['first', 'second']
        ```
        ```python
        steps.append("third")
        ```
        """)
    assert run_markdown(path)["steps"] == ["first", "second", "third"]


def test_bash_unlabelled_and_other_blocks_are_not_run(tmp_path):
    path = _write(tmp_path, """\
        ```bash
        raise SystemExit(1)
        ```
        ```
        raise SystemExit(1)
        ```
        ```text
        >>> 1 + 1
        3
        ```
        ```python
        ran = True
        ```
        """)
    assert run_markdown(path)["ran"] is True


def test_a_raising_block_names_the_file_and_its_own_line(tmp_path):
    path = _write(tmp_path, """\
        intro

        ```python
        a = 1
        b = undefined_name
        ```
        """)
    with pytest.raises(BlockFailure, match=r"page\.md:4: the python block") as info:
        run_markdown(path)
    assert 'page.md", line 5' in str(info.value)  # the traceback points into the Markdown file
    assert "NameError" in str(info.value)


def test_a_later_block_does_not_run_after_a_failure(tmp_path):
    path = _write(tmp_path, """\
        ```python
        raise ValueError("first")
        ```
        ```python
        raise ValueError("second")
        ```
        """)
    with pytest.raises(BlockFailure, match="first"):
        run_markdown(path)


def test_a_wrong_shown_output_fails_with_its_line(tmp_path):
    path = _write(tmp_path, """\
        ```python
        x = 2
        ```

        ```pycon
        >>> x * 3
        7
        ```
        """)
    with pytest.raises(BlockFailure, match=r"page\.md:6: the pycon block") as info:
        run_markdown(path)
    assert "Expected:\n    7\nGot:\n    6" in str(info.value)


def test_shown_outputs_allow_ellipsis_and_any_whitespace(tmp_path):
    path = _write(tmp_path, """\
        ```pycon
        >>> list(range(30))
        [0, 1, 2, ..., 29]
        >>> print("a  b\\n c")
        a b c
        ```
        """)
    run_markdown(path)


def test_an_exception_in_a_pycon_block_fails_unless_it_is_shown(tmp_path):
    shown = _write(tmp_path, """\
        ```pycon
        >>> int("x")
        Traceback (most recent call last):
        ...
        ValueError: invalid literal for int() with base 10: 'x'
        ```
        """, "shown.md")
    run_markdown(shown)
    unshown = _write(tmp_path, """\
        ```pycon
        >>> int("x")
        ```
        """, "unshown.md")
    with pytest.raises(BlockFailure, match="ValueError"):
        run_markdown(unshown)


def test_fences_indented_in_a_list_item_lose_their_indent(tmp_path):
    path = _write(tmp_path, """\
        * an item:

          ```python
          def f():
              return 41 + 1
          ```
        """)
    assert run_markdown(path)["f"]() == 42


def test_parse_blocks_reports_language_and_first_code_line():
    blocks = parse_blocks("a\n```python\nx = 1\n```\n\n~~~~bash\nls\n~~~~\n")
    assert [(b.language, b.code, b.lineno) for b in blocks] == [
        ("python", "x = 1\n", 3), ("bash", "ls\n", 7)]


def test_classes_defined_in_blocks_work_with_dataclasses_and_pickle(tmp_path):
    path = _write(tmp_path, """\
        ```python
        import dataclasses, pickle

        @dataclasses.dataclass
        class Point:
            x: int

        again = pickle.loads(pickle.dumps(Point(3)))
        ```
        """)
    assert run_markdown(path)["again"].x == 3
