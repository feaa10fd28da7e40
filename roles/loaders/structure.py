"""Cutting roles out of a document's block events: ladders, level tables, the page's remainder.

The format loaders reduce a document to block events (:mod:`roles.loaders.events`); this module
decides where roles start. A heading is a role of its own when it carries a level code, reads as a job
title (even one holding an aspect word, "Product Manager"), is a bare level ("## Junior", "## IC2"), is
a numbered level ("Picker II") or holds role sub-headings; with two or more such sibling headings the
page is a ladder (one level further down under "## Levels" or in several tracks). Level tables give
roles too (:mod:`roles.loaders.level_tables`). Whatever is left of a ladder page is weighed as a
candidate of its own, so nothing is lost; site navigation sections are left out and noted.
"""

from __future__ import annotations

import re

from roles.aspects import aspect_for_heading, clean_heading
from roles.loaders.builder import SectionBuilder, item_text
from roles.loaders.common import make_role
from roles.loaders.events import Event
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
from roles.model import LoadedDocument, Role

# A heading that is only a level ("L3", "Level 2"): the role is that level of the job family.
_BARE_CODE = re.compile(r"(?:L|IC|M|P|E)\d{1,2}|Level\s+\d{1,2}", re.IGNORECASE)
# "IC1 → IC2", "L3 to L4": a promotion step between two levels, not a role.
_STEP = re.compile(r"^\S+\s*(?:→|->|=>|⇒|to)\s*\S+$", re.IGNORECASE)
# Headings of site navigation that exports append to every page ("# Other Pages", "## See also").
_NAV_HEADING = re.compile(r"^(other pages|pages|navigation|nav|menu|see also|related( pages| roles)?|links|"
                          r"(table of )?contents|on this page|quick links)$", re.IGNORECASE)


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


def drop_navigation(events: list[Event], notes: list[str]) -> list[Event]:
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
    if _STEP.match(name) and level_code_in(name.split()[0]):
        return False
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
