"""Markdown role documents and career ladders, parsed with markdown-it-py.

One file can hold one role (``# Title`` then ``##`` sections) or a ladder of roles. A ``##`` heading
is a role of its own when it carries a level code ("## L3 Engineer"), reads like a job title ("##
Senior Data Engineer"), or has sub-headings that are role aspects ("### Responsibilities") while not
being an aspect itself; with two or more such headings the file is a ladder and each becomes a role
(the ``#`` heading then names the job family). Loose Markdown works too: a paragraph that is only bold
text (``**Responsibilities**``) acts as a heading, a ``- **Key**: value`` list before the first section
becomes the role's facts, a blockquote there its summary, and ``<details><summary>Examples</summary>``
blocks become an "Examples" sub-section of the section they follow.
"""

from __future__ import annotations

import html
import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

from roles.aspects import aspect_for_heading, clean_heading
from roles.loaders.base import Loader
from roles.loaders.builder import SectionBuilder, item_text, norm
from roles.loaders.common import make_role
from roles.loaders.events import Event
from roles.loaders.html_blocks import node_text, parse_html
from roles.loaders.level_tables import LEVEL_WORD, family_person, person_of, table_roles
from roles.loaders.nonrole import ROLE_ASPECTS
from roles.loaders.titles import (
    grade_aliases,
    has_level_code,
    is_job_title,
    level_code_in,
    numbered_level,
    title_from_path,
)
from roles.model import Item, LoadedDocument, Role

# Block rules only: inline markup is reduced to text by _inline below, which is several times faster
# than markdown-it's inline pass and all we need (text, bold lead-ins).
# Indented code and thematic breaks are left out on purpose: scraped role text is often indented, and
# a lone "---" line is harmless as text; each rule left out is one less test on every line.
_MD = MarkdownIt("zero", {"html": True}).enable(
    ["heading", "lheading", "list", "paragraph", "blockquote", "html_block", "table", "fence"]
).disable("inline")

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
# A heading that is only a level ("L3", "Level 2"): the role is that level of the job family.
_BARE_CODE = re.compile(r"(?:L|IC|M|P|E)\d{1,2}|Level\s+\d{1,2}", re.IGNORECASE)
# Headings of site navigation that exports append to every page ("# Other Pages", "## See also").
_NAV_HEADING = re.compile(r"^(other pages|pages|navigation|nav|menu|see also|related( pages| roles)?|links|"
                          r"(table of )?contents|on this page|quick links)$", re.IGNORECASE)
# MDX module lines ("import Callout from …", "export const meta = …") are code, not content.
_MDX_CODE = re.compile(r"^(import|export)\s.*$", re.MULTILINE)
# "**Customer Success Manager" alone on a line with no closing "**", "***Core Competencies": broken bold.
_OPEN_BOLD = re.compile(r"^(\*{2,3})(?!\*)([^*\n]{2,80}?)[ \t]*$", re.MULTILINE)


_MARKUP_CHARS = re.compile(r"[\[<`*_\\&]")


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
        events = _drop_navigation(_events(_MD.parse(_repair(content, path))), notes)
        return document_from_events(events, meta_title, path, self.format, text, notes)


def document_from_events(events: list[Event], meta_title: str, path: str, fmt: str, text: str,
                         notes: list[str]) -> LoadedDocument:
    """One role, or one role per role heading (or level-table entry) of a ladder or framework.

    ``events`` start with the page's ``#`` heading when it has one (else ``meta_title`` names it);
    ``text`` is searched for abbreviations and grades the document defines.
    """
    title_index = next((n for n, e in enumerate(events) if e.kind == "heading" and e.level == 1), None)
    doc_title = events[title_index].text if title_index is not None else meta_title
    levels, events = _level_tables(events, doc_title or title_from_path(path), path, fmt)
    title_index = next((n for n, e in enumerate(events) if e.kind == "heading" and e.level == 1), None)
    body = [e for n, e in enumerate(events) if n != title_index]
    least = 1 if levels else 2
    # Several "#" roles in one file ("# Junior Engineer" … "# Senior Engineer"): the first "#" is a
    # role like the others, not the family title.
    roles, rest = _ladder_roles(events, path, fmt, text, least=least) if _top_headings(events) >= 2 else ([], events)
    if roles:
        doc_title = ""
    else:
        roles, rest = _ladder_roles(body, path, fmt, text, doc_title, least=least)
    remainder: list[Role] = []
    if not roles and not levels:
        roles = [_single_role(doc_title, body, path, fmt, text)]
    elif _has_content(rest):
        # Beside the ladder, the rest of the page (an introduction, or a job family's own sections
        # before "## Levels") is weighed as a candidate of its own: a role, or explained as not one.
        remainder.append(_single_role(doc_title, rest, path, fmt, text))
    title = clean_heading(doc_title) if doc_title else (roles or levels or remainder)[0].title
    return LoadedDocument(path=path, format=fmt, title=title, roles=roles + levels, notes=notes, rejected=remainder)


def _repair(content: str, path: str) -> str:
    """Source-level repairs: MDX import lines out, broken bold lines ("**Title" with no closing) closed."""
    if path.lower().endswith(".mdx"):
        content = _MDX_CODE.sub("", content)
    if "*" in content:
        content = _OPEN_BOLD.sub(lambda m: f"**{m.group(2).strip()}**", content)
    return content


def _drop_navigation(events: list[Event], notes: list[str]) -> list[Event]:
    """Leave out site navigation sections ("# Other Pages" holding only a list of links); note each."""
    kept: list[Event] = []
    skipping = 0
    for event in events:
        if event.kind == "heading":
            if skipping and event.level > skipping:
                continue
            skipping = 0
            if _NAV_HEADING.match(clean_heading(event.text)):
                skipping = event.level
                notes.append(f"left out as site navigation: the '{clean_heading(event.text)}' section")
                continue
        elif skipping:
            if event.kind == "items" and all(len(i.text.split()) <= 8 for i in event.items):
                notes[-1] += ": " + ", ".join(item_text(i) for i in event.items)[:400]
                continue
            skipping = 0  # real content after all: keep it
        kept.append(event)
    return kept


def _level_tables(events: list[Event], family: str, path: str, fmt: str) -> tuple[list[Role], list[Event]]:
    """Roles from level tables (one per level row or column), and the events without those tables."""
    if not any(e.kind == "table" for e in events):
        return [], events
    headed = {level_code_in(e.text) or clean_heading(e.text).upper() for e in events if e.kind == "heading"}
    headed |= {clean_heading(e.text).upper() for e in events if e.kind == "heading"}
    roles: dict[tuple[str, ...], Role] = {}
    kept: list[Event] = []
    shapes: set[tuple[str, ...]] = set()
    heading = ""
    above: list[tuple[int, str]] = []  # the headings over the current point, outermost first
    for event in events:
        found = []
        if event.kind == "heading":
            heading = clean_heading(event.text)
            above = [(level, text) for level, text in above if level < event.level] + [(event.level, heading)]
        elif event.kind == "table":
            person = family_person([text for _, text in above], family)
            # A second table of the same shape further down adds levels, even a single row ("| M5 | … |").
            least = 1 if tuple(event.header) in shapes else 2
            found = table_roles(event.header, event.rows, person, path, fmt, headed, least, heading)
            if found:
                shapes.add(tuple(event.header))
        for role in found:
            # A matrix split over several tables (one per competency group) is one role per level.
            same = roles.setdefault((role.title, *role.aliases), role)
            if same is not role:
                same.sections.extend(role.sections)
        if not found:
            kept.append(event)
    return list(roles.values()), kept


def _has_content(events: list[Event]) -> bool:
    return any(e.kind != "heading" and (e.text or e.items or e.rows) for e in events)


def _front_matter(text: str) -> tuple[str, str]:
    """(title, rest of the text) of a page with Jekyll/Hugo-style YAML front matter; ("", text) without."""
    match = _FRONT_MATTER.match(text)
    if not match or not re.search(r"^[A-Za-z_][\w-]*:", match.group(1), re.MULTILINE):
        return "", text
    title = re.search(r"^title:[ \t]*(.*?)[ \t]*$", match.group(1), re.MULTILINE)
    return (norm(title.group(1).strip("'\"")) if title else ""), text[match.end():]


def _top_headings(events: list[Event]) -> int:
    return sum(1 for e in events if e.kind == "heading" and e.level == 1)


def _single_role(title: str, events: list[Event], path: str, fmt: str, text: str) -> Role:
    levels = [e.level for e in events if e.kind == "heading"]
    top = min(levels) if levels else 2
    builder = SectionBuilder()
    _feed(events, builder, top)
    # "Grade: HEO" in a job description's facts is a name people use for the role.
    role = make_role(title, builder.sections, path, fmt, body=text, extra_aliases=grade_aliases(text))
    role.origin = f"the page's title '{title}'" if title else "the page's first heading or file name"
    return role


def _ladder_roles(events: list[Event], path: str, fmt: str, text: str, family: str = "", depth: int = 0,
                  least: int = 2) -> tuple[list[Role], list[Event]]:
    """Roles of the parallel role headings in ``events``, and the events outside them (introduction,
    family-wide sections), which the caller weighs as one more candidate so that nothing is lost."""
    headings = [(n, e) for n, e in enumerate(events) if e.kind == "heading"]
    if not headings:
        return [], events
    top = min(e.level for _, e in headings)
    tops = [n for n, e in headings if e.level == top]
    spans = [(start, next((m for m in tops if m > start), len(events))) for start in tops]
    role_spans = [(a, b) for a, b in spans if _role_like(events[a], events[a + 1:b])]
    if len(role_spans) < least:
        if role_spans or depth >= 2:
            return [], events
        # "## Levels" holding "### Junior", "### Senior": the ladder is one heading level further down,
        # maybe in several tracks ("## Individual contributors", "## Managers"); once one track is a
        # ladder, a single role heading in another track is a role too.
        found = [_ladder_roles(events[a + 1:b], path, fmt, text, family, depth + 1) for a, b in spans]
        if not any(inner for inner, _ in found):
            return [], events
        found = [(inner, rest) if inner else _ladder_roles(events[a + 1:b], path, fmt, text, family, depth + 1, 1)
                 for (a, b), (inner, rest) in zip(spans, found, strict=True)]
        roles = [role for inner, _ in found for role in inner]
        leftover = events[:spans[0][0]]
        for (a, _b), (_inner, rest) in zip(spans, found, strict=True):
            leftover += [events[a], *rest]
        return roles, leftover
    roles = []
    covered: set[int] = set()
    for start, end in role_spans:
        builder = SectionBuilder()
        _feed(events[start + 1:end], builder, top + 1)
        role = make_role(_level_title(events[start].text, family), builder.sections, path, fmt, body=text)
        role.origin = f"heading '{'#' * events[start].level} {events[start].text}'"
        roles.append(role)
        covered.update(range(start, end))
    return roles, [e for n, e in enumerate(events) if n not in covered]


def _level_title(heading: str, family: str) -> str:
    """"Junior" under "# Support Engineer career ladder" is the role "Junior Support Engineer"; "IC2" under
    "# Engineering levels" is "IC2 Engineer" (the role "Engineer" with the alias "IC2")."""
    name = clean_heading(heading)
    bare_level = LEVEL_WORD.fullmatch(name) or _BARE_CODE.fullmatch(name)
    if bare_level and family:
        return f"{name} {person_of(family)}"
    return heading


def _role_like(heading: Event, content: list[Event]) -> bool:
    """Does this top-level heading name a role of its own (in a ladder) rather than a section?"""
    name = clean_heading(heading.text)
    if has_level_code(name) or _BARE_CODE.fullmatch(name) or is_job_title(name) or numbered_level(name):
        # A job title is a role even when it holds an aspect word ("Product Manager", "Support Manager").
        return True
    if aspect_for_heading(name) != "other":
        return False
    words = name.split()
    if words and LEVEL_WORD.match(words[0]) and len(words) <= 8:
        return True
    sub_aspects = {aspect_for_heading(e.text) for e in content if e.kind == "heading"}
    return len(sub_aspects & ROLE_ASPECTS) >= 2


def _feed(events: list[Event], builder: SectionBuilder, top: int) -> None:
    last_level = top - 1
    started = False
    for event in events:
        if event.kind == "heading":
            level = max(1, event.level - top + 1)
            builder.heading(level, event.text)
            last_level, started = level, True
        elif event.kind == "bold":
            # A bold-only line is a heading one level below the last real one (top level if none).
            builder.heading(last_level + 1 if started and last_level >= 1 else 1, event.text)
        elif event.kind == "quote":
            if not started:
                builder.heading(1, "Summary", aspect="summary")
            builder.paragraph(event.text)
        elif event.kind == "items":
            if not started and event.items and all(item.label for item in event.items):
                builder.heading(1, "Facts", aspect="facts")
            builder.items(event.items)
        elif event.kind == "paragraph":
            builder.paragraph(event.text, label=event.label)
        elif event.kind == "table":
            builder.table(event.header, event.rows)
        elif event.kind == "attach":
            builder.attach(event.text, event.items, event.label)


def _events(tokens: list[Token]) -> list[Event]:
    events: list[Event] = []
    details: Event | None = None
    n = 0
    while n < len(tokens):
        token = tokens[n]
        kind = token.type
        target = details.items if details is not None else None
        if kind == "heading_open":
            text = norm(_inline(tokens[n + 1].content))
            if text:
                events.append(Event("heading", level=int(token.tag[1]), text=text))
            n += 3
            continue
        if kind == "paragraph_open":
            raw = tokens[n + 1].content
            if target is not None:
                target.append(Item(text=norm(_inline(raw))))
            else:
                events.append(_paragraph_event(raw))
            n += 3
            continue
        if kind in ("bullet_list_open", "ordered_list_open"):
            items, n = _list(tokens, n)
            if target is not None:
                target.extend(items)
            else:
                events.append(Event("items", items=items))
            continue
        if kind == "blockquote_open":
            end = _close(tokens, n)
            text = "\n".join(t.content for t in tokens[n:end] if t.type == "inline")
            events.append(Event("quote", text=norm(_inline(text))))
            n = end + 1
            continue
        if kind == "table_open":
            end = _close(tokens, n)
            events.append(_table(tokens[n:end]))
            n = end + 1
            continue
        if kind == "html_block":
            details = _html_block(token.content, details, events)
        elif kind in ("fence", "code_block") and token.content.strip():
            events.append(Event("paragraph", text=token.content.strip()))
        n += 1
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


def _close(tokens: list[Token], start: int) -> int:
    """Index of the token closing the one opened at ``start``."""
    depth = 0
    for n in range(start, len(tokens)):
        depth += tokens[n].nesting
        if depth == 0:
            return n
    return len(tokens) - 1


def _list(tokens: list[Token], start: int) -> tuple[list[Item], int]:
    """The items of the list opened at ``start`` (nested lists become children) and the index after it."""
    end = _close(tokens, start)
    items: list[Item] = []
    n = start + 1
    while n < end:
        if tokens[n].type != "list_item_open":
            n += 1
            continue
        item_end = _close(tokens, n)
        texts: list[str] = []
        children: list[str] = []
        m = n + 1
        while m < item_end:
            token = tokens[m]
            if token.type in ("bullet_list_open", "ordered_list_open"):
                nested, m = _list(tokens, m)
                children.extend(item_text(i) for i in nested)
                continue
            if token.type == "inline":
                texts.append(token.content)
            m += 1
        items.append(_item(texts, children))
        n = item_end + 1
    return items, end + 1


def _item(texts: list[str], children: list[str]) -> Item:
    raw = "\n".join(texts)
    lead = _lead(raw)
    if lead is not None:
        label, rest, _ = lead
        return Item(text=rest or label, label=label, children=children)
    return Item(text=norm(_inline(raw)), children=children)


def _table(tokens: list[Token]) -> Event:
    header: list[str] = []
    rows: list[list[str]] = []
    row: list[str] | None = None
    in_head = False
    for token in tokens:
        if token.type == "thead_open":
            in_head = True
        elif token.type == "thead_close":
            in_head = False
        elif token.type == "tr_open":
            row = []
        elif token.type == "inline" and row is not None:
            row.append(norm(_inline(token.content)))
        elif token.type == "tr_close" and row is not None:
            if in_head:
                header = row
            else:
                rows.append(row)
            row = None
    return Event("table", header=header, rows=rows)
