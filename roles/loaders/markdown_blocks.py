"""Markdown's block structure, parsed by markdown-it.rs (``markdown-it-pyrs``) with the block rules only.

Only blocks are parsed: inline markup is reduced to text by ``roles.loaders.markdown._inline``, so every
heading, paragraph and table cell keeps its raw text (what markdown-it-py calls the inline token's
content). The Rust parser is ten times faster than markdown-it-py, with the same rules and results, but
three things differ, and markdown-it-py's behaviour is kept for each:

- markdown-it-py stops at 20 levels of nesting (``maxNesting``): the content of a deeper block is
  dropped, and a list item that deep also ends its list and everything after it in the enclosing
  blockquote or page (markdown-it-py hands it the rest of the lines). :func:`parse_blocks` prunes the
  Rust tree the same way.
- The Rust parser recurses once per level and overflows the stack (the process dies) near 500,000
  levels. Such a line (thousands of ``>`` or ``-`` markers in a row) is cut after :data:`MAX_MARKERS`
  markers: what follows would be dropped at level 20 anyway.
- Indented code is off (scraped role text is often indented). markdown-it-py then still keeps a few of
  CommonMark's four-column rules (a line indented that far continues a paragraph; it starts no list
  item past a list's indent) and drops the others; markdown-it.rs keeps all of them with indented code
  and none without. Where a text has a line indented four columns, both of its settings parse it: when
  they agree, so does markdown-it-py (each rule gives the same either way), and when they do not, the
  text is parsed by markdown-it-py itself (rare: none of the bench corpus, handbook or shared
  documents). ``tests/roles/test_markdown_blocks.py`` checks on random block structures that the result
  is markdown-it-py's.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from markdown_it_pyrs import MarkdownIt, Node

if TYPE_CHECKING:
    from markdown_it import MarkdownIt as PyMarkdownIt
    from markdown_it.token import Token

# Thematic breaks are left out on purpose: a lone "---" line is harmless as text; each rule left out is
# one less test on every line. Indented code is off (see above): markdown-it.rs only finds it.
_RULES = ["heading", "lheading", "list", "paragraph", "blockquote", "html_block", "table", "fence"]
_MD = MarkdownIt("zero").enable_many(_RULES)
_MD_FOUR_COLUMNS = MarkdownIt("zero").enable_many([*_RULES, "code"])
# The line patterns below start with "\n" (and run on the text after a "\n"), not "^": a pattern that
# starts with a literal is searched for at C speed, five times faster than trying "^" at every character.
_INDENTED = re.compile(r"\n {4}")  # tabs never get here (see _portable)
_QUOTE = re.compile(r"\n[ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)*>")
#: A line that may be a table's delimiter row ("|---|:-:|", "---", "-|").
_DELIMITER_ROW = re.compile(r"\n([ \t]*[|:-][|: \t-]*)(?=\n|\Z)")
_DASHES = re.compile(r":?-+:?")
_BLOCK_START = re.compile(r"\n {0,3}(?:[-*+](?:[ \t\n]|\Z)|\d{1,9}[.)](?:[ \t\n]|\Z)|#{1,6}(?:[ \t\n]|\Z)|```|~~~|<|>)")
#: markdown-it-py's ``maxNesting`` in its "zero" preset, which the loader used before.
MAX_NESTING = 20
#: Container markers ("> ", "- ", "1. ") kept at the start of one line; far beyond MAX_NESTING.
MAX_MARKERS = 1000
_MARKER_RUN = re.compile(rf"\n([ \t]*(?:(?:>|[-*+]|\d{{1,9}}[.)])[ \t]*){{{MAX_MARKERS}}})[^\n]*")
_LISTS = ("bullet_list", "ordered_list")
#: Blocks whose text is one inline token in markdown-it-py.
_TEXT_BLOCKS = ("heading", "lheading", "paragraph")


class Block:
    """One block: ``name`` as markdown-it names it, ``text`` (raw inline text, or the HTML/code of an
    ``html_block``/``fence``), ``level`` (headings) and ``children``."""

    __slots__ = ("children", "level", "name", "text")

    def __init__(self, name: str, text: str = "", level: int = 0, children: list[Block] | None = None):
        self.name = name
        self.text = text
        self.level = level
        self.children = children if children is not None else []


def parse_blocks(text: str) -> list[Block]:
    """The top-level blocks of a Markdown text."""
    lines = "\n" + text  # for the line patterns
    if len(text) > MAX_MARKERS * 2 and _MARKER_RUN.search(lines):  # no line can hold that many otherwise
        lines = _MARKER_RUN.sub(r"\n\1", lines)
        text = lines[1:]
    if not _portable(text, lines):
        return parse_reference(text)
    tree = _MD.tree(text)
    if _INDENTED.search(lines) and _signature(tree) != _signature(_MD_FOUR_COLUMNS.tree(text)):
        return parse_reference(text)
    return _blocks(tree.children, 0, _Ending(text))[0]


def parse_reference(text: str) -> list[Block]:
    """The blocks markdown-it-py makes of ``text`` (the reference that markdown-it.rs's are held to)."""
    return blocks_from_tokens(_reference_parser().parse(text))


@functools.cache
def _reference_parser() -> PyMarkdownIt:
    from markdown_it import MarkdownIt as PyMarkdownIt  # noqa: PLC0415 - imported when a text needs it

    return PyMarkdownIt("zero", {"html": True}).enable(_RULES).disable("inline")


def _portable(text: str, lines: str) -> bool:
    """False where markdown-it.rs (a port of markdown-it 13) may read a text otherwise than markdown-it-py
    (markdown-it 14): blockquotes (which lines continue one lazily), tabs, one-column tables, a line that
    starts a block right under a table. ``lines`` is the text after a line break."""
    if "\t" in text or _QUOTE.search(lines):
        return False
    for match in _DELIMITER_ROW.finditer(lines):
        row = match.group(1)
        if len(_DASHES.findall(row)) == 1:
            previous = lines[lines.rfind("\n", 0, match.start()):match.start()]
            if "|" in row or "|" in previous:
                return False
        # markdown-it 14 ends a table's body at a line that starts a block; markdown-it 13 makes it a row.
        body_end = lines.find("\n\n", match.end(1))
        if _BLOCK_START.search(lines, match.end(1), len(lines) if body_end < 0 else body_end + 1):
            return False
    return True


def _signature(tree: Node) -> list[tuple[str, tuple[int, int] | None]]:
    return [(node.name, node.srcmap) for node in tree.walk()]


def _blocks(nodes: list[Node], level: int, ending: _Ending) -> tuple[list[Block], bool]:
    """Blocks of ``nodes``, whose tokens markdown-it-py makes at nesting ``level``, and whether a list
    item too deep cut off the rest of the enclosing container."""
    blocks: list[Block] = []
    for node in nodes:
        name = node.name
        if name == "text":  # a tight list item's paragraph
            block = Block("paragraph", node.meta["content"])
        elif name in _TEXT_BLOCKS:  # a setext heading is a heading, as in markdown-it-py
            block = Block("paragraph" if name == "paragraph" else "heading", _text(node), node.meta.get("level", 0))
        elif name == "blockquote":
            inner = _blocks(node.children, level + 1, ending)[0] if level + 1 < MAX_NESTING else []
            block = Block(name, children=inner)
        elif name in _LISTS:
            block, cut = _list(node, level, ending)
            blocks.append(block)
            if cut:
                return blocks, True
            continue
        elif name == "table":
            block = Block(name, children=[
                Block(part.name, children=[Block("trow", children=[Block("tcell", _text(cell)) for cell in row.children])
                                           for row in part.children])
                for part in node.children])
        else:  # html_block, fence
            block = Block(name, ending.content(node))
        blocks.append(block)
    return blocks, False


def _list(node: Node, level: int, ending: _Ending) -> tuple[Block, bool]:
    """A list whose items' content is at ``level + 2`` (list, then item)."""
    items: list[Block] = []
    for item in node.children:
        if level + 2 >= MAX_NESTING:
            items.append(Block("list_item"))
            return Block(node.name, children=items), True
        inner, cut = _blocks(item.children, level + 2, ending)
        items.append(Block("list_item", children=inner))
        if cut:
            return Block(node.name, children=items), True
    return Block(node.name, children=items), False


class _Ending:
    """How a text without a final line break ends an HTML block or fence that runs to its end: markdown-it.rs
    adds the line break; markdown-it-py does not, and drops a last line of only spaces."""

    def __init__(self, text: str):
        self._last_line = None if text.endswith("\n") else text[text.rfind("\n") + 1:]
        if self._last_line is not None:  # where the last line starts, in bytes as the source map counts
            self._last_start = len(text.encode("utf-8", "surrogatepass")) - len(self._last_line.encode("utf-8", "surrogatepass"))

    def content(self, node: Node) -> str:
        """The code or HTML of an ``html_block`` or ``fence`` node, as markdown-it-py has it."""
        meta = node.meta
        content = meta.get("content", "")
        if self._last_line is None or node.srcmap[1] < self._last_start or self._closes(meta):
            return content
        content = content.removesuffix("\n")
        if not self._last_line.strip():
            return content.rsplit("\n", 1)[0] + "\n" if "\n" in content else ""
        return content

    def _closes(self, meta: dict) -> bool:
        """True when the last line closes the fence (a fence's content then ends with a line break)."""
        marker = meta.get("marker")
        line = self._last_line.strip()
        return bool(marker) and len(line) >= meta["marker_len"] and line == marker * len(line)


def _text(node: Node) -> str:
    """The raw text of a heading, paragraph or table cell: its one text child, or "" when it is empty."""
    return "".join(child.meta["content"] for child in node.children)


#: markdown-it-py's token names that differ from markdown-it.rs's node names.
_TOKEN_NAMES = {"tr": "trow", "th": "tcell", "td": "tcell"}


def blocks_from_tokens(tokens: list[Token]) -> list[Block]:
    """The same blocks from markdown-it-py's tokens (block rules only, inline tokens unparsed)."""
    root = Block("root")
    open_blocks = [root]
    for token in tokens:
        if token.nesting == 1:
            name = token.type[:-len("_open")]
            block = Block(_TOKEN_NAMES.get(name, name), level=int(token.tag[1]) if name == "heading" else 0)
            open_blocks[-1].children.append(block)
            open_blocks.append(block)
        elif token.nesting == -1:
            open_blocks.pop()
        elif token.type == "inline":
            open_blocks[-1].text = token.content
        else:  # html_block, fence
            open_blocks[-1].children.append(Block(token.type, token.content))
    return root.children
