"""The Markdown block parser (markdown-it.rs) gives exactly the blocks markdown-it-py gives."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.corpus import generate
from roles.loaders import markdown_blocks
from roles.loaders.markdown_blocks import MAX_NESTING, Block, parse_blocks, parse_reference

DATA = Path(__file__).parent / "data"


def _shape(blocks: list[Block]) -> list[tuple]:
    return [(b.name, b.text, b.level, _shape(b.children)) for b in blocks]


def _reference(text: str) -> list[tuple]:
    """What markdown-it-py, the parser the loader was written against, makes of ``text``."""
    return _shape(parse_reference(text))


def _rust_only(text: str) -> list[tuple]:
    """markdown-it.rs's blocks, never parsed by markdown-it-py instead."""
    tree = markdown_blocks._MD.tree(text)
    return _shape(markdown_blocks._blocks(tree.children, 0, markdown_blocks._Ending(text))[0])


EDGE_CASES = [
    "# Title\n\n- **Lead**: text\n  more\n  - nested\n    - deeper\n- second\n\n  loose paragraph\n",
    "Setext\n===\n\nSub\n---\n\n1. one\n2) two\n3. three\n",
    "> quote\n> - item\n>   > inner\n\nafter\n",
    "| a | b | c |\n|---|:-:|--:|\n| 1 |\n| | x | y | z |\n\n|x|\n|-|\n",
    "<details>\n<summary>Examples</summary>\n\n- a\n- b\n\n</details>\n\n<!-- note -->\n<div>x</div>\n",
    "```yaml\ncode: 1\n```\n\n~~~\nunclosed fence\n",
    "- # heading in item\n- | t |\n  |---|\n  | |\n- > quote in item\n-\n- \n",
    "* a\n+ b\n- c\n\n10. ten\n11. eleven\n",
    "#no space\n####### seven\n# Closed #\n#\n",
    "- <div>\n  x\n\n> <details>",
    "é\n\n```\ncode",
]


def test_documents_parse_as_markdown_it_py_does(tmp_path: Path) -> None:
    generate(tmp_path, 9, seed=5)
    paths = sorted(tmp_path.rglob("*.md")) + sorted(DATA.rglob("*.md"))
    assert len(paths) >= 10
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert parse_blocks(text) and _shape(parse_blocks(text)) == _reference(text), path


@pytest.mark.parametrize("depth", [MAX_NESTING - 2, MAX_NESTING, MAX_NESTING + 5])
def test_nesting_is_cut_where_markdown_it_py_cuts_it(depth: int) -> None:
    quotes = "# Deep\n\n" + "> " * depth + "deep text\n\nafter\n"
    lists = "# Deep\n\n" + "".join("  " * i + "- level\n" for i in range(depth)) + "\nafter the list\n"
    inside_quote = "> " + "- " * depth + "x\n> still quoted\n\nafter\n"
    for text in (quotes, lists, inside_quote):
        assert _rust_only(text) == _reference(text)
    if depth > MAX_NESTING:  # the too-deep list item ends the page for markdown-it-py
        assert "after the list" not in str(_reference(lists))


def test_thousands_of_markers_on_one_line_do_not_crash_the_process() -> None:
    # 600,000 nested blockquotes overflow markdown-it.rs's stack; in a thread (as `serve` indexes) too.
    text = "# Deep\n\n" + ">" * 600_000 + "x\nlazy\n\n" + "- " * 300_000 + "y\n\nafter\n"
    result: list = []
    worker = threading.Thread(target=lambda: result.append(_shape(parse_blocks(text))))
    worker.start()
    worker.join()
    assert result == [_reference(text)]


INDENTED = [
    "Para\n    - indented continuation\n  - item after\n\ttabbed\n- a\n\t- tab nested\n",
    "Intro\n\n    - a list\n    # a heading\n\n        indented again\ncontinued lazily\n",
    "| a |\n    |---|\n| b |\n",
    "```\ncode\n    ```\nafter\n",
    "10.   a\n    - b\n",
]


@pytest.mark.parametrize("text", EDGE_CASES + INDENTED)
def test_edge_cases_parse_as_markdown_it_py_does(text: str) -> None:
    assert _shape(parse_blocks(text)) == _reference(text)
    if text in EDGE_CASES:  # read by markdown-it.rs alone, without markdown-it-py's help
        assert _rust_only(text) == _reference(text)


def test_a_paragraph_continued_by_an_indented_list_line_is_one_paragraph() -> None:
    text = "Success indicators: a, b\ntitle: Engineer\n      - horizon_days: 30\n"
    # markdown-it.rs alone (indented code off) would start a list there; markdown-it-py does not.
    assert _rust_only(text) != _reference(text)
    assert _shape(parse_blocks(text)) == [("paragraph", text.strip(), 0, [])]


BLOCK_LINES = ["# H", "## H2", "text", "**bold**", "- item", "  - nested", "    - deep", "1. one", "> q", "> - qi",
               "| a | b |", "|---|---|", "| 1 |", "<details>", "</details>", "<div>", "```", "===", "---", "",
               "   ", "\tt", "    code?", "* star", "+ plus", "2) two", "<!-- c -->", "  text"]


@settings(max_examples=400, deadline=None)
@given(lines=st.lists(st.sampled_from(BLOCK_LINES) | st.text(alphabet=" ->#*|`1.\tx\n", max_size=12), max_size=25))
def test_random_block_structure_parses_as_markdown_it_py_does(lines: list[str]) -> None:
    text = "\n".join(lines)
    assert _shape(parse_blocks(text)) == _reference(text)
