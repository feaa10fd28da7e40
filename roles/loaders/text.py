"""Plain text, typically a role page scraped from the web.

The document is found by its structure, not by the site's ad texts: it starts at the title line before
the numbered section headings ("1) Role Summary", "2) Role Mission" …) and ends where page chrome
begins after the last numbered section: a run of consecutive short lines ("Subscribe",
"Notify of", "0 Comments" … five or more), together with a promotion block right before it (a short heading line and
at most one short sentence). Inside, numbered lines are sections, short unpunctuated lines followed by
content are sub-sections, "•"/"-"/"1." lines are list entries (indented lines below one are its
children), and a block of consecutive lines led by a header line is a table, whose collapsed rows are
split by :mod:`roles.loaders.text_table`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from roles.aspects import aspect_for_heading
from roles.loaders.base import Loader
from roles.loaders.builder import SectionBuilder, kpi_columns, norm, split_label
from roles.loaders.common import make_role
from roles.loaders.text_table import split_header, split_row
from roles.model import Item, Kpi, LoadedDocument

_NUMBERED = re.compile(r"^(\d{1,2})[.)]\s+(\S.*)$")
_NUMBERED_LINE = re.compile(r"^\d{1,2}[.)] [^\n]*", re.MULTILINE)
_BULLET = re.compile(r"^(\s*)(?:[•·▪◦●○■□‣⁃*-]|\d{1,2}[.)])\s+(\S.*)$")
_TERMINAL = (".", ",", ";", ":", "!", "?")
#: Consecutive short lines that mark page chrome (comment widgets, menus); real content separates
#: short lines with blank lines or marks them as list entries.
_CHROME_RUN = 5


@dataclass
class _Block:
    lines: list[str] = field(default_factory=list)


def _words(line: str) -> int:
    return len(line.split())


def _is_numbered_heading(line: str) -> re.Match[str] | None:
    if line[:1].isspace():
        return None
    match = _NUMBERED.match(line)
    if match and _words(match.group(2)) <= 12 and not match.group(2).rstrip().endswith(_TERMINAL):
        return match
    return None


def _heading_like(line: str) -> bool:
    text = line.strip()
    return (bool(text) and _words(text) <= 12 and not text.endswith(_TERMINAL) and not _BULLET.match(line)
            and (text[0].isupper() or text[0].isdigit()))


def _chrome(line: str) -> bool:
    text = line.strip()
    return bool(text) and _words(text) <= 4 and not text.endswith((".", ":", ";")) and not _BULLET.match(line)


class TextLoader(Loader):
    """Plain text: scraped pages, text exports, anything without markup."""

    format = "text"

    def sniff(self, text: str, path: str) -> float:
        """The fallback for any text; confident when numbered section headings are present."""
        numbered = 0
        for match in _NUMBERED_LINE.finditer(text, 0, 200000):
            numbered += bool(_is_numbered_heading(match.group(0)))
            if numbered >= 3:
                return 0.75
        return 0.2

    def load(self, text: str, path: str) -> LoadedDocument:
        """Find the document inside the page, then parse its blocks into one role."""
        lines = text.split("\n")
        start, title = _find_start(lines)
        end = _find_end(lines, start)
        builder = SectionBuilder()
        _parse(lines[start:end], builder)
        body = "\n".join(lines[start:end])
        role = make_role(title, builder.sections, path, self.format, body=body)
        return LoadedDocument(path=path, format=self.format, title=role.title, roles=[role], text="",
                              notes=_chrome_notes(lines, start, end, title))


def _chrome_notes(lines: list[str], start: int, end: int, title: str) -> list[str]:
    """What was left out around the document (site menus above it; comments, promotions below it)."""
    notes = []
    before = " ".join(" ".join(line.split()) for line in lines[:start] if line.strip() and line.strip() != title.strip())
    after = " ".join(" ".join(line.split()) for line in lines[end:] if line.strip())
    if before:
        notes.append(f"left out as page chrome before the document ({len(before.split())} words): {before[:4000]}")
    if after:
        notes.append(f"left out as page chrome after the document: comments, menus, promotions "
                     f"({len(after.split())} words): {after[:4000]}")
    return notes


def _numbered_headings(lines: list[str]) -> list[int]:
    """Line numbers of "N) Heading" lines that follow on from each other (1, 2, 3 …)."""
    found: list[int] = []
    expected = None
    for n, line in enumerate(lines):
        match = _is_numbered_heading(line)
        if not match:
            continue
        number = int(match.group(1))
        if expected is None or number == expected:
            found.append(n)
            expected = number + 1
    return found if len(found) >= 2 else []


def _find_start(lines: list[str]) -> tuple[int, str]:
    """Index of the first line of the document, and its title line (empty when there is none)."""
    numbered = _numbered_headings(lines)
    if numbered:
        first = numbered[0]
        for n in range(first - 1, -1, -1):
            line = lines[n].strip()
            if not line:
                continue
            if _words(line) <= 25 and not line.endswith((".", "!", "?")):
                return n + 1, line
            # An intro paragraph between title and first section: keep looking for the title above it.
            if n < first - 12:
                break
        return first, ""
    for n, line in enumerate(lines):
        if line.strip():
            if _heading_like(line):
                return n + 1, line.strip()
            return n, ""
    return 0, ""


def _find_end(lines: list[str], start: int) -> int:
    """Index after the document's last line: where trailing page chrome starts."""
    numbered = [n for n in _numbered_headings(lines) if n >= start]
    last_section = numbered[-1] if numbered else start
    n = last_section + 1
    while n < len(lines):
        if all(n + k < len(lines) and _chrome(lines[n + k]) for k in range(_CHROME_RUN)):
            return _drop_promotion(lines, last_section, n)
        n += 1
    return len(lines)


def _drop_promotion(lines: list[str], floor: int, end: int) -> int:
    """Move ``end`` back over a promotion block: a short heading line and at most one short sentence."""
    blocks: list[tuple[int, int]] = []
    n = end - 1
    while n > floor and len(blocks) < 3:
        while n > floor and not lines[n].strip():
            n -= 1
        stop = n
        while n > floor and lines[n].strip():
            n -= 1
        if stop > floor:
            blocks.append((n + 1, stop + 1))
    if not blocks:
        return end
    first_start, first_stop = blocks[0]
    first = [line.strip() for line in lines[first_start:first_stop]]
    if len(first) == 1 and _words(first[0]) <= 25 and len(blocks) > 1:
        head_start, head_stop = blocks[1]
        head = [line.strip() for line in lines[head_start:head_stop]]
        if len(head) == 1 and _heading_like(head[0]) and not _is_numbered_heading(lines[head_start]):
            return head_start
    if len(first) == 1 and _heading_like(first[0]) and not _is_numbered_heading(lines[first_start]):
        return first_start
    return end


def _split_blocks(lines: list[str]) -> list[list[str]]:
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if line.strip():
            current.append(line.rstrip())
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _parse(lines: list[str], builder: SectionBuilder) -> None:
    blocks = _split_blocks(lines)
    # Short heading lines are sub-sections under numbered sections, or the sections themselves.
    sub_level = 2 if any(len(b) == 1 and _is_numbered_heading(b[0]) for b in blocks) else 1
    expected = None
    for index, block in enumerate(blocks):
        first = block[0]
        match = _is_numbered_heading(first) if len(block) == 1 else None
        if match and (expected is None or int(match.group(1)) == expected):
            expected = int(match.group(1)) + 1
            builder.heading(1, match.group(2))
            continue
        if len(block) == 1 and _heading_like(first) and index + 1 < len(blocks) and not first[:1].isspace():
            builder.heading(sub_level, first.strip())
            continue
        if sub_level == 1 and len(block) >= 2 and _section_lead(block[0]):
            # Text with no numbered sections: "RESPONSIBILITIES" or "Skills:" right above its content,
            # with no blank line between, is a section (under numbered sections it labels a paragraph).
            builder.heading(sub_level, first.strip().rstrip(":").strip())
            _body(block[1:], builder, lines_are_items=True)
            continue
        _body(block, builder)


def _body(block: list[str], builder: SectionBuilder, lines_are_items: bool = False) -> None:
    """A block of content: a list, a table, lines that are list entries (under a heading), or text."""
    first = block[0]
    if _BULLET.match(first):
        builder.items(_list_items(block))
        return
    cells = _delimited(block)
    if cells:
        builder.table(cells[0], cells[1:])
        return
    if len(block) >= 3 and _table_header(first) and _rows_fit(block):
        _table(block, builder)
        return
    if lines_are_items and len(block) >= 2 and all(_words(line) <= 15 for line in block):
        builder.items(_list_items(["- " + line.strip() for line in block]))
        return
    _paragraph(block, builder)


def _section_lead(line: str) -> bool:
    """A short line naming a role aspect, written as a heading: in capitals, or ending with a colon."""
    text = line.strip()
    if line[:1].isspace() or _BULLET.match(line) or _words(text) > 8:
        return False
    bare = text.rstrip(":").strip()
    if not (text.endswith(":") or (bare.isupper() and _heading_like(line))):
        return False
    return aspect_for_heading(bare) not in ("other", "summary") or bare.isupper()


def _delimited(block: list[str]) -> list[list[str]] | None:
    """Rows of a table whose columns are separated by tabs or pipes, the same number on every line."""
    if len(block) < 2:
        return None
    for separator in ("\t", "|"):
        rows = [[cell.strip() for cell in line.strip().strip("|").split(separator)] for line in block]
        rows = [row for row in rows if not all(set(cell) <= set("-: ") for cell in row)]
        if rows and len(rows[0]) >= 2 and all(len(row) == len(rows[0]) for row in rows):
            return rows
    return None


def _table_header(line: str) -> bool:
    text = line.strip()
    return _words(text) <= 14 and not text.endswith(_TERMINAL) and len(split_header(text)) >= 2 \
        and text[0].isupper()


def _rows_fit(block: list[str]) -> bool:
    """Rows long enough to hold a cell per header column (a heading over short lines is no table)."""
    columns = len(split_header(block[0].strip()))
    rows = block[1:]
    return sum(len(row.split()) for row in rows) >= 2 * columns * len(rows)


def _table(block: list[str], builder: SectionBuilder) -> None:
    header = split_header(block[0].strip())
    fields = kpi_columns(header)
    rows = block[1:]
    if fields is not None:
        kpis = []
        for row in rows:
            result = split_row(row, len(header), fields)
            if result.confident and len(result.cells) == len(header):
                values = {name: cell for name, cell in zip(fields, result.cells, strict=True) if name}
                kpis.append(Kpi(**values))
            else:
                # Never drop a KPI: an unrecoverable row is kept whole as text.
                kpis.append(Kpi(name=norm(row), structured=False))
        builder.kpis(kpis)
        return
    cells = []
    for row in rows:
        result = split_row(row, len(header), None)
        cells.append(result.cells if result.confident else [norm(row)])
    builder.table(header, cells)


def _list_items(block: list[str]) -> list[Item]:
    items: list[Item] = []
    indent = None
    for line in block:
        match = _BULLET.match(line)
        depth = len(line) - len(line.lstrip())
        if match and (indent is None or depth <= indent):
            indent = depth if indent is None else indent
            label, text = split_label(match.group(2).strip())
            if not text and label:
                text = label
            if match.group(2).strip().endswith(":") and not label:
                label = text = match.group(2).strip().rstrip(":")
            items.append(Item(text=norm(text), label=label))
        elif items:
            # Deeper bullets and indented continuation lines ("    Use: …") belong to the entry above.
            child = match.group(2) if match else line
            items[-1].children.append(norm(child))
        else:
            items.append(Item(text=norm(line)))
    return items


def _paragraph(block: list[str], builder: SectionBuilder) -> None:
    first = block[0].strip()
    pairs = [split_label(line.strip()) for line in block]
    if len(block) >= 3 and all(label for label, _ in pairs[1:]):
        # "Key Facts / Location: Berlin / Team: Data": a list of key-value lines under a lead line.
        items = [Item(text=text, label=label) for label, text in pairs[1:]]
        if pairs[0][0]:
            items.insert(0, Item(text=pairs[0][1], label=pairs[0][0]))
        else:
            builder.paragraph("", label=first)
        builder.items(items)
        return
    if first.endswith(":") and _words(first) <= 8 and len(block) > 1:
        builder.paragraph(" ".join(line.strip() for line in block[1:]), label=first.rstrip(":"))
        return
    builder.paragraph("\n".join(line.strip() for line in block))
