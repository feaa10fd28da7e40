"""HTML to block events, shared by the blog-export JSON loader and the HTML page loader.

Parsing uses selectolax's lexbor backend (fast, forgiving with broken markup). Page furniture that is
never role content (navigation, footers, scripts, forms, comments) is skipped. Headings are levelled
relative to the highest heading present, so a page whose sections are ``<h2>`` and a page whose
sections are ``<h3>`` produce the same tree.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from roles.aspects import aspect_for_heading, is_goal_heading
from roles.loaders.builder import SectionBuilder, item_text, norm, split_inline_bullets
from roles.loaders.events import EventRecorder
from roles.model import Item

_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_SKIP = frozenset({"script", "style", "nav", "footer", "aside", "form", "noscript", "iframe", "svg", "button",
                   "template", "select", "input", "textarea", "head", "link", "meta", "-comment", "img", "video",
                   "audio", "canvas", "object", "embed"})
_LISTS = frozenset({"ul", "ol"})
_INLINE = frozenset({"strong", "b", "em", "i", "a", "span", "code", "small", "sup", "sub", "mark", "u", "abbr",
                     "time", "cite", "q", "s", "-text", "br", "label", "kbd", "var", "data"})
_BOLD = frozenset({"strong", "b"})
_SPACES = re.compile(r"[ \t\u00a0]+")
#: Elements nested deeper than this are read as plain text (lexbor's own text extraction), so that a
#: pathological page cannot exhaust Python's recursion limit.
MAX_DEPTH = 120


def parse_html(html: str) -> LexborHTMLParser:
    """A parsed document (lexbor)."""
    return LexborHTMLParser(html)


def heading_levels(root: LexborNode, skip: LexborNode | None = None) -> int:
    """The level of the highest section heading under ``root`` (2 for a blog post with ``<h2>``)."""
    levels = [_HEADINGS[node.tag] for node in root.css("h1, h2, h3, h4, h5, h6")
              if skip is None or node.mem_id != skip.mem_id]
    return min(levels) if levels else 1


def walk(root: LexborNode, builder: SectionBuilder | EventRecorder, top_level: int,
         skip: LexborNode | None = None) -> None:
    """Feed every block under ``root`` to ``builder``; ``top_level`` heading becomes level 1."""
    _Walker(builder, top_level, skip).container(root)


def node_text(node: LexborNode) -> str:
    """Visible text of a node with ``<br>`` kept as line breaks and white space tidied."""
    parts: list[str] = []
    _collect(node, parts, 0)
    text = _SPACES.sub(" ", "".join(parts))
    if "\n" not in text:
        return text.strip()
    return "\n".join(line.strip() for line in text.split("\n") if line.strip())


def _inline_text(nodes: list[LexborNode]) -> str:
    """The text of a run of sibling nodes, with ``<br>`` as a line break."""
    parts: list[str] = []
    for node in nodes:
        if node.tag == "-text":
            parts.append(node.text(deep=False))
        elif node.tag == "br":
            parts.append("\n")
        else:
            sub: list[str] = []
            _collect(node, sub, 0)
            parts.append("".join(sub))
    return "".join(parts)


def _collect(node: LexborNode, parts: list[str], depth: int) -> None:
    if depth > MAX_DEPTH:
        parts.append(node.text(deep=True, separator=" "))
        return
    for child in node.iter(include_text=True):
        tag = child.tag
        if tag == "-text":
            parts.append(child.text(deep=False).replace("\n", " "))
        elif tag == "br":
            parts.append("\n")
        elif tag in _SKIP:
            continue
        else:
            block = tag not in _INLINE
            if block:
                parts.append("\n")
            _collect(child, parts, depth + 1)
            if block:
                parts.append("\n")


class _Walker:
    def __init__(self, builder: SectionBuilder | EventRecorder, top_level: int, skip: LexborNode | None) -> None:
        self.builder = builder
        self.top_level = top_level
        self.skip_id = skip.mem_id if skip is not None else None
        self.depth = 0
        #: Level of the last real heading; a bold paragraph acting as a heading goes one below it.
        self.last_level = 0

    def container(self, node: LexborNode) -> None:
        """Walk a container's children: blocks one by one, runs of inline content as paragraphs."""
        if self.depth > MAX_DEPTH:
            self.builder.paragraph(node.text(deep=True, separator=" "))
            return
        self.depth += 1
        try:
            self._children(node)
        finally:
            self.depth -= 1

    def _children(self, node: LexborNode) -> None:
        inline: list[LexborNode] = []
        for child in node.iter(include_text=True):
            tag = child.tag
            if tag in _INLINE:
                inline.append(child)
                continue
            self._flush_inline(inline)
            inline = []
            if tag in _SKIP or child.mem_id == self.skip_id:
                continue
            self.block(child)
        self._flush_inline(inline)

    def block(self, node: LexborNode) -> None:
        """Turn one block element into builder events (containers are walked into)."""
        tag = node.tag
        if tag in _HEADINGS:
            text = node_text(node).replace("\n", " ")
            if text:
                self.last_level = max(1, _HEADINGS[tag] - self.top_level + 1)
                self.builder.heading(self.last_level, text)
        elif tag == "p" or tag == "blockquote" and not node.css_first("p, ul, ol"):
            self.paragraph(node)
        elif tag in _LISTS:
            self.builder.items(self.list_items(node))
        elif tag == "table":
            self.table(node)
        elif tag == "details":
            self.details(node)
        elif tag == "dl":
            self.builder.items(self.definition_list(node))
        elif tag in ("pre", "hr"):
            text = node_text(node) if tag == "pre" else ""
            if text:
                self.builder.paragraph(text)
        else:
            self.container(node)

    def _flush_inline(self, nodes: list[LexborNode]) -> None:
        # Bare text between blocks (common in scraped pages: "<div>Some text<br>more</div>").
        text = _inline_text(nodes).strip()
        if text:
            self.builder.paragraph(text)

    def paragraph(self, node: LexborNode) -> None:
        """A ``<p>``, with its bold lead-in as label when it has one."""
        label, rest = _lead_in(node)
        if label and not rest and not node_text(node).rstrip().endswith(":") and _names_section(label):
            # "<p><strong>Responsibilities</strong></p>" (word processors' exports) is a heading.
            self.builder.heading(self.last_level + 1, label)
        elif label:
            self.builder.paragraph(rest, label=label)
        else:
            self.builder.paragraph(node_text(node))

    def list_items(self, node: LexborNode) -> list[Item]:
        """The entries of a ``<ul>``/``<ol>``."""
        if self.depth > MAX_DEPTH:
            return [Item(text=norm(node.text(deep=True, separator=" ")))]
        self.depth += 1
        try:
            return self._entries(node)
        finally:
            self.depth -= 1

    def _entries(self, node: LexborNode) -> list[Item]:
        items = []
        for li in node.iter():
            if li.tag != "li":
                continue
            item = self.list_item(li)
            if item is not None:
                items.append(item)
        return items

    def list_item(self, li: LexborNode) -> Item | None:
        """One ``<li>``: bold lead-in as label, inline dash runs and nested lists as children."""
        nested: list[str] = []
        own = li
        first = _first_element(li)
        # Nested lists are (nearly always) direct children; only then is the costlier search needed.
        if any(child.tag in _LISTS for child in li.iter()):
            for sub in li.css("ul, ol"):
                if _closest_li(sub) == li.mem_id:
                    nested.extend(item_text(item) for item in self.list_items(sub))
            # Work on a copy without the nested lists, so their text is not repeated in the entry.
            own = li.clone()
            for sub in own.css("ul, ol"):
                sub.decompose()
            first = _first_element(own)
        label, rest = ("", "")
        if first is not None:
            label, rest = _lead_in(first if first.tag == "p" else own)
        if not label:
            rest = node_text(own)
        intro, bullets = split_inline_bullets(rest)
        children = bullets + nested
        text = intro or label
        if not text and not children:
            return None
        if not text:
            text, children = children[0], children[1:]
        return Item(text=text, label=label, children=children)

    def table(self, node: LexborNode) -> None:
        """A ``<table>``: header from its first row of ``<th>``, the other rows as cells."""
        rows = [tr for tr in node.css("tr")]
        if not rows:
            return
        header: list[str] = []
        first = rows[0]
        if first.css_first("th") is not None:
            header = [node_text(cell).replace("\n", " ") for cell in first.css("th, td")]
            rows = rows[1:]
        body = [[node_text(cell).replace("\n", " ") for cell in tr.css("td, th")] for tr in rows]
        self.builder.table(header, [row for row in body if any(row)])

    def details(self, node: LexborNode) -> None:
        """A ``<details>`` block: a sub-section named by its ``<summary>``."""
        summary = node.css_first("summary")
        heading = node_text(summary).replace("\n", " ") if summary is not None else "Details"
        items: list[Item] = []
        texts: list[str] = []
        for child in node.iter():
            if child.tag == "summary":
                continue
            if child.tag in _LISTS:
                items.extend(self.list_items(child))
            elif child.tag not in _SKIP:
                text = node_text(child)
                if text:
                    texts.append(text)
        self.builder.attach(heading or "Details", items, " ".join(texts))

    def definition_list(self, node: LexborNode) -> list[Item]:
        """A ``<dl>``: each term labels its definition."""
        items: list[Item] = []
        term = ""
        for child in node.iter():
            if child.tag == "dt":
                term = norm(node_text(child))
            elif child.tag == "dd":
                items.append(Item(text=norm(node_text(child)), label=term))
        return items


def _closest_li(node: LexborNode) -> int | None:
    parent = node.parent
    while parent is not None:
        if parent.tag == "li":
            return parent.mem_id
        parent = parent.parent
    return None


def _first_element(node: LexborNode) -> LexborNode | None:
    for child in node.iter(include_text=True):
        if child.tag == "-text":
            if child.text(deep=False).strip():
                return child
            continue
        return child
    return None


def _names_section(text: str) -> bool:
    """Short bold text that names a role aspect or a plan stage (not an emphasised phrase)."""
    return len(text.split()) <= 8 and (aspect_for_heading(text) != "other" or is_goal_heading(text))


def _lead_in(node: LexborNode) -> tuple[str, str]:
    """("Lead", rest) when a block starts with a bold lead-in that labels the rest, else ("", "")."""
    first = _first_element(node)
    if first is None or first.tag not in _BOLD:
        return "", ""
    label = norm(node_text(first))
    children = list(node.iter(include_text=True))
    after = next(i for i, child in enumerate(children) if child.mem_id == first.mem_id) + 1
    rest = _inline_text(children[after:])
    stripped = rest.lstrip(" \t")
    # A bold phrase is a label when it ends with a colon, is followed by one, stands on its own line,
    # or is the whole entry; "<strong>Own reference architectures</strong> for customers" is a sentence.
    if label.endswith(":") or stripped.startswith((":", "\n", "–")) or not stripped.strip():
        rest = stripped.lstrip(":").strip()
        return label.rstrip(":").strip(), rest
    return "", ""
