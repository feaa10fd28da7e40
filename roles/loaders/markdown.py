"""Markdown role documents and career ladders, parsed by markdown-it (see :mod:`roles.loaders.markdown_blocks`).

One file can hold one role (``# Title`` then ``##`` sections) or a ladder of roles. A ``##`` heading
is a role of its own when it carries a level code ("## L3 Engineer"), reads like a job title ("##
Senior Data Engineer"), or has sub-headings that are role aspects ("### Responsibilities") while not
being an aspect itself; with two or more such headings the file is a ladder and each becomes a role
(the ``#`` heading then names the job family); that decision is shared with HTML and Word and lives in
:mod:`roles.loaders.structure`. Loose Markdown works too: a paragraph that is only bold
text (``**Responsibilities**``) acts as a heading, a ``- **Key**: value`` list before the first section
becomes the role's facts, a blockquote there its summary, and ``<details><summary>Examples</summary>``
blocks become an "Examples" sub-section of the section they follow.
"""

from __future__ import annotations

import html
import re

from roles.loaders.base import Loader
from roles.loaders.builder import item_text, norm
from roles.loaders.events import Event
from roles.loaders.html_blocks import node_text, parse_html
from roles.loaders.markdown_blocks import Block, parse_blocks
from roles.loaders.structure import document_from_events, drop_navigation
from roles.model import Item, LoadedDocument

# Markdown is parsed into blocks only (roles.loaders.markdown_blocks): inline markup is reduced to text
# by _inline below, which is several times faster than markdown-it's inline pass and all we need (text,
# bold lead-ins).

# "---" / key: value lines / "---" at the very start: site generators' page metadata, not content.
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_ATX = re.compile(r"^ {0,3}#{1,6}\s", re.MULTILINE)
_BOLD_LEAD = re.compile(r"^\s*(\*\*|__)(.+?)\1(.*)$", re.DOTALL)
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_REF_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_TAG = re.compile(r"</?[A-Za-z][^>]*>|<!--.*?-->", re.DOTALL)
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", re.DOTALL)
_EM = re.compile(r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?!\*)|(?<!\w)_(?=\S)([^_]+?)(?<=\S)_(?!\w)")
_CODE = re.compile(r"`+([^`]+)`+")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>|~])")
_RULE = re.compile(r"^\s*([-*_=])(\s*\1){2,}\s*$")
_SUMMARY = re.compile(r"<summary[^>]*>(.*?)</summary>", re.IGNORECASE | re.DOTALL)
# MDX module lines ("import Callout from …", "export const meta = …") are code, not content.
_MDX_CODE = re.compile(r"^(import|export)\s.*$", re.MULTILINE)
# "**Customer Success Manager" alone on a line with no closing "**", "***Core Competencies": broken bold.
_OPEN_BOLD = re.compile(r"^(\*{2,3})(?!\*)([^*\n]{2,80}?)[ \t]*$", re.MULTILINE)


_MARKUP_CHARS = re.compile(r"[\[<`*_\\&]")
_LISTS = ("bullet_list", "ordered_list")
#: Blocks holding raw inline text (markdown-it's inline tokens); table cells are read by _table.
_TEXT_BLOCKS = ("heading", "paragraph", "tcell")


def _inline(text: str) -> str:
    """Markdown inline markup reduced to plain text."""
    if not _MARKUP_CHARS.search(text):
        return text
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _REF_LINK.sub(r"\1", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _TAG.sub("", text)
    text = _CODE.sub(r"\1", text)
    text = _STRONG.sub(r"\2", text)
    text = _EM.sub(lambda m: m.group(1) or m.group(2), text)
    text = _ESCAPE.sub(r"\1", text)
    return html.unescape(text)


def _lead(raw: str) -> tuple[str, str, bool] | None:
    """(label, rest, colon) for "**Label**: rest", "**Label:** rest" or a bold-only line; else None."""
    match = _BOLD_LEAD.match(raw)
    if not match:
        return None
    lead, rest = match.group(2), match.group(3)
    stripped = rest.strip()
    colon = lead.rstrip().endswith(":") or stripped.startswith(":")
    if colon or not stripped or rest.startswith("\n"):
        return norm(_inline(lead)).rstrip(":").strip(), norm(_inline(stripped.lstrip(":"))), colon
    return None


class MarkdownLoader(Loader):
    """Markdown: single roles, multi-role ladders and loose Markdown with bold headings."""

    format = "markdown"

    def sniff(self, text: str, path: str) -> float:
        """Certain for .md files with headings; likely for text with ATX headings or bold-led lists."""
        start = text[:50000]
        _, head = _front_matter(start)
        headings = sum(1 for _, _ in zip(_ATX.finditer(head), range(2), strict=False))
        score = 0.0
        if headings >= 1 and head.lstrip().startswith("#"):
            score = 0.85
        elif headings >= 2:
            score = 0.8
        elif len(re.findall(r"^\s*[-*]\s+\*\*[^*]+\*\*", head, re.MULTILINE)) >= 2 or \
                len(re.findall(r"^\*\*[^*\n]+\*\*:?\s*$", head, re.MULTILINE)) >= 2 or \
                len(_OPEN_BOLD.findall(head)) >= 2:
            score = 0.7
        if len(head) != len(start) and headings:
            score = max(score, 0.8)  # front matter is how site generators start a Markdown page
        # The ending only breaks ties: a ".md" file made of "1) Heading" lines is still plain text.
        if path.lower().endswith((".md", ".markdown")):
            score = max(score + 0.05, 0.6)
        return score

    def load(self, text: str, path: str) -> LoadedDocument:
        """One role, or one role per role heading (or level-table entry) of a ladder or framework."""
        meta_title, content = _front_matter(text)
        notes: list[str] = []
        events = drop_navigation(_events(parse_blocks(_repair(content, path))), notes)
        return document_from_events(events, meta_title, path, self.format, text, notes)


def _repair(content: str, path: str) -> str:
    """Source-level repairs: MDX import lines out, broken bold lines ("**Title" with no closing) closed."""
    if path.lower().endswith(".mdx"):
        content = _MDX_CODE.sub("", content)
    if "*" in content:
        content = _OPEN_BOLD.sub(lambda m: f"**{m.group(2).strip()}**", content)
    return content


def _front_matter(text: str) -> tuple[str, str]:
    """(title, rest of the text) of a page with Jekyll/Hugo-style YAML front matter; ("", text) without."""
    match = _FRONT_MATTER.match(text)
    if not match or not re.search(r"^[A-Za-z_][\w-]*:", match.group(1), re.MULTILINE):
        return "", text
    title = re.search(r"^title:[ \t]*(.*?)[ \t]*$", match.group(1), re.MULTILINE)
    return (norm(title.group(1).strip("'\"")) if title else ""), text[match.end():]


def _events(blocks: list[Block]) -> list[Event]:
    events: list[Event] = []
    details: Event | None = None
    for node in blocks:
        kind = node.name
        target = details.items if details is not None else None
        if kind == "heading":
            text = norm(_inline(node.text))
            if text:
                events.append(Event("heading", level=node.level, text=text))
        elif kind == "paragraph":
            raw = node.text
            if target is not None:
                target.append(Item(text=norm(_inline(raw))))
            else:
                events.append(_paragraph_event(raw))
        elif kind in ("bullet_list", "ordered_list"):
            items = _list(node)
            if target is not None:
                target.extend(items)
            else:
                events.append(Event("items", items=items))
        elif kind == "blockquote":
            events.append(Event("quote", text=norm(_inline("\n".join(_inline_texts(node, into_lists=True))))))
        elif kind == "table":
            events.append(_table(node))
        elif kind == "html_block":
            details = _html_block(node.text, details, events)
        elif kind == "fence" and node.text.strip():
            events.append(Event("paragraph", text=node.text.strip()))
    if details is not None:
        events.append(details)
    return events


def _paragraph_event(raw: str) -> Event:
    if _RULE.match(raw):
        return Event("paragraph", text="")
    lead = _lead(raw)
    if lead is not None:
        label, rest, colon = lead
        # "**Responsibilities**" alone is a heading; "**Success indicators:**" alone labels what follows.
        if not rest and not colon and len(label.split()) <= 10:
            return Event("bold", text=label)
        return Event("paragraph", text=rest, label=label)
    return Event("paragraph", text=_inline(raw))


def _html_block(content: str, details: Event | None, events: list[Event]) -> Event | None:
    """Track ``<details>`` blocks; other HTML blocks become paragraphs of their visible text."""
    lower = content.lower()
    if "<details" in lower:
        summary = _SUMMARY.search(content)
        heading = norm(_inline(summary.group(1))) if summary else "Details"
        details = Event("attach", text=heading or "Details")
        if "</details>" in lower:
            inner = parse_html(content).body
            if inner is not None:
                details.items.extend(Item(text=norm(node_text(li))) for li in inner.css("li"))
            events.append(details)
            return None
        return details
    if "</details>" in lower and details is not None:
        events.append(details)
        return None
    if lower.lstrip().startswith("<!--"):
        return details
    body = parse_html(content).body
    if body is not None and details is None and "<table" in lower:
        tables = body.css("table")
        for table in tables:
            events.append(_html_table(table))
            table.decompose()
    text = node_text(body) if body is not None else ""
    if text:
        if details is not None:
            details.label = f"{details.label} {text}".strip()
        else:
            events.append(Event("paragraph", text=text))
    return details


def _html_table(table) -> Event:  # noqa: ANN001 - a selectolax node
    """An HTML ``<table>`` inside Markdown, as a table event (a first row of ``<th>`` is the header)."""
    header: list[str] = []
    rows: list[list[str]] = []
    for row in table.css("tr"):
        cells = row.css("th, td")
        values = [norm(node_text(cell)) for cell in cells]
        if not header and not rows and cells and all(cell.tag == "th" for cell in cells):
            header = values
        elif any(values):
            rows.append(values)
    return Event("table", header=header, rows=rows)


def _inline_texts(block: Block, into_lists: bool) -> list[str]:
    """The raw inline text of every heading, paragraph and table cell under ``block``, in document order
    (markdown-it's inline tokens); nested lists are skipped unless ``into_lists``."""
    texts: list[str] = []
    for child in block.children:
        kind = child.name
        if kind in _TEXT_BLOCKS:
            texts.append(child.text)
        elif into_lists or kind not in _LISTS:
            texts.extend(_inline_texts(child, into_lists))
    return texts


def _list(block: Block) -> list[Item]:
    """The items of a list (nested lists become children)."""
    items: list[Item] = []
    for item in block.children:
        children: list[str] = []
        for nested in _nested_lists(item):
            children.extend(item_text(i) for i in _list(nested))
        items.append(_item(_inline_texts(item, into_lists=False), children))
    return items


def _nested_lists(block: Block) -> list[Block]:
    """The lists inside a list item, outermost only, in document order."""
    found: list[Block] = []
    for child in block.children:
        if child.name in _LISTS:
            found.append(child)
        elif child.name not in _TEXT_BLOCKS:
            found.extend(_nested_lists(child))
    return found


def _item(texts: list[str], children: list[str]) -> Item:
    raw = "\n".join(texts)
    lead = _lead(raw)
    if lead is not None:
        label, rest, _ = lead
        return Item(text=rest or label, label=label, children=children)
    return Item(text=norm(_inline(raw)), children=children)


def _table(block: Block) -> Event:
    header: list[str] = []
    rows: list[list[str]] = []
    for part in block.children:  # thead, tbody
        for row in part.children:
            values = [norm(_inline(cell.text)) for cell in row.children]
            if part.name == "thead":
                header = values
            else:
                rows.append(values)
    return Event("table", header=header, rows=rows)
