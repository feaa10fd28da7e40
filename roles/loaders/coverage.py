"""Did every word of a document land somewhere? The check behind ``--explain`` and the coverage test.

A word of the input is *placed* when it is in a role (its title, aliases, headings, text, items, KPIs,
goals), in a candidate that was weighed and explained as not a role, in the document's title, or in a
note saying what was left out as chrome. Markup is not content: tags, link targets, image references,
front-matter keys and table rules are removed before counting, and very short words are ignored.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import yaml

from roles.loaders.builder import kpi_columns
from roles.loaders.html_blocks import parse_html
from roles.model import LoadedDocument, Role

_WORD = re.compile(r"[^\W_]{3,}")
_FRONT = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*\n", re.DOTALL)
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)|<img\b[^>]*>|<picture\b.*?</picture>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_MDX = re.compile(r"^(import|export)\s.*$", re.MULTILINE)
# A table's header row names columns (structure, mapped onto KPI fields or item fields), not content.
_TABLE_HEADER = re.compile(r"^[^\n]*\|[^\n]*\n[ \t]*\|?[ \t]*:?-{3,}[-|: \t]*$", re.MULTILINE)
_TH = re.compile(r"<th\b[^>]*>.*?</th>", re.IGNORECASE | re.DOTALL)
# A line that only labels what follows as a goal's success indicators ("Success indicators (30 days):")
# is structure the builder consumes (the list under it becomes the goal's indicators), like a heading.
_INDICATOR_LABEL = re.compile(r"^[ \t*_]*(?:success (?:indicators?|criteria|measures|signals|metrics)|how (?:we|you)'?ll know)"
                              r"\b[^:\n]{0,40}:[ \t*_]*$", re.IGNORECASE | re.MULTILINE)


@dataclass
class Coverage:
    """Distinct words of the input, and the lines holding words that were placed nowhere."""

    words: int = 0
    placed: int = 0
    unplaced_lines: list[str] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.placed / self.words if self.words else 1.0


def coverage(document: LoadedDocument, source: str) -> Coverage:
    """How much of ``source`` (the text the document was read from) ``document`` accounts for."""
    placed = _placed_words(document)
    report = Coverage()
    seen: set[str] = set()
    for line in _visible_lines(source, document.format):
        missing = False
        for word in _WORD.findall(line.casefold()):
            if word in seen:
                continue
            seen.add(word)
            report.words += 1
            if word in placed:
                report.placed += 1
            else:
                missing = True
        if missing:
            report.unplaced_lines.append(line.strip()[:160])
    return report


def _visible_lines(source: str, fmt: str) -> list[str]:
    if fmt == "blog-json":
        source = "\n".join(_blog_html(source))
        fmt = "html"
    if fmt == "yaml":
        return _yaml_values(source)
    source = _TH.sub(" ", source)
    if fmt in ("html", "docx"):
        body = parse_html(_IMAGE.sub(" ", source)).body
        if body is None:
            return []
        for node in body.css("script, style, noscript, template, svg"):
            node.decompose()  # code, not text
        for row in body.css("table tr:first-child"):
            # A first row naming KPI columns is the table's header (exports often write it with <td>).
            if kpi_columns([" ".join(cell.text().split()) for cell in row.css("td, th")]) is not None:
                row.decompose()
        return body.text(separator="\n").splitlines()
    front = _FRONT.match(source)
    if front:
        title = re.search(r"^title:(.*)$", front.group(1), re.MULTILINE)
        source = (title.group(1) if title else "") + "\n" + source[front.end():]
    source = _INDICATOR_LABEL.sub("", _TABLE_HEADER.sub("", _MDX.sub("", _IMAGE.sub(" ", source))))
    source = _TAG.sub(" ", _LINK_TARGET.sub("]", source))
    return source.splitlines()


def _yaml_values(source: str) -> list[str]:
    """The text values of a rolebot YAML document: its keys and comments are structure, not content."""
    try:
        data = yaml.safe_load(source)
    except yaml.YAMLError:
        return source.splitlines()
    values: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
        elif node is not None:
            values.extend(str(node).splitlines())

    walk(data)
    return values


def _blog_html(source: str) -> list[str]:
    """Title and content HTML of each post of a blog export (its other fields are metadata)."""
    try:
        data = json.loads(source)
    except ValueError:
        return [source]
    posts = data if isinstance(data, list) else [data]
    out = []
    for post in posts:
        if isinstance(post, dict):
            for key in ("title", "content"):
                value = post.get(key)
                value = value.get("rendered", "") if isinstance(value, dict) else value
                out.append(f"<p>{value}</p>" if isinstance(value, str) else "")
    return out


def _placed_words(document: LoadedDocument) -> set[str]:
    parts: list[str] = [document.title, *document.notes]
    for role in document.roles + document.rejected:
        parts.extend(_role_text(role))
    return set(_WORD.findall(" ".join(parts).casefold()))


def _role_text(role: Role) -> list[str]:
    parts = [role.title, *role.aliases]
    for section in role.walk():
        parts += [section.heading, section.text]
        for item in section.items:
            parts += [item.label, item.text, *item.children, *item.fields.keys(), *item.fields.values()]
        for kpi in section.kpis:
            parts += [kpi.name, kpi.measures, kpi.why, kpi.target, kpi.frequency, kpi.type]
        for goal in section.goals:
            parts += [goal.heading, *goal.items, *goal.success_indicators]
            if goal.success_indicators:
                parts.append("success indicators")  # the label the indicators were filed under
    return parts
