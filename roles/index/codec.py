"""Role <-> JSON, and the compressed form of it in the index's ``roles.data`` column; the counts a role
listing shows.

The JSON mirrors the dataclasses field by field, so ``role_from_json(role_to_json(r)) == r``: what
exports and tests read. The index stores roles *sectioned* (``role_to_blob``): JSON arrays without keys,
in the dataclasses' field order (:data:`PACKED_FIELDS`), where each section's content (text, items, KPI
rows, goals) is a JSON text of its own, zlib-compressed. Reading a role parses the outline (titles,
headings, aspects) and leaves each section's content to be parsed when it is first read
(:class:`~roles.index.stored_section.StoredSection`): an answer reads one or two sections of a role, and
a role is read on nearly every question about a large library. Roles stored before, as packed arrays
(content in line) or as JSON objects, still read (:func:`role_from_blob` tells the three apart). orjson
writes and reads it; what orjson refuses goes through the json module (``tests/roles/index/test_codec.py``).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from typing import Any

import orjson
from isal import isal_zlib

from roles.index.stored_section import StoredSection, content_flags, unpack_content
from roles.model import Goal, Item, Kpi, Role, Section, Source

#: ISA-L level of ``roles.data`` (0-3). ISA-L writes a standard zlib stream 9x faster than zlib's
#: default level 6 (0.08 against 0.69 ms a bench-corpus role, which was 7% of cold indexing) at 25% of the
#: JSON instead of 21%; inflating it costs the same (0.05 ms).
COMPRESSION = 2


def role_to_json(role: Role) -> str:
    """The role as compact JSON text."""
    return json.dumps(role_to_dict(role), ensure_ascii=False, separators=(",", ":"))


#: The fields each packed array holds, in order: the dataclasses' own order, so that the arrays can be
#: passed to them positionally (a sectioned role and section put a format mark first, and a section's
#: content and flags in place of its four content fields). A test holds the model to this table, so a
#: field added to the model fails it until the packing below learns the field (added at the end with a
#: default, older arrays of items, KPIs and goals still read: they simply lack it).
PACKED_FIELDS: dict[type, tuple[str, ...]] = {
    Role: ("title", "source", "aliases", "sections", "origin"),
    Source: ("path", "format", "link"),
    Section: ("aspect", "heading", "text", "items", "kpis", "goals", "subsections"),
    Item: ("text", "label", "fields", "children"),
    Kpi: ("name", "measures", "why", "target", "frequency", "type", "structured"),
    Goal: ("horizon_days", "heading", "items", "success_indicators"),
}


#: The first value of a role stored sectioned; a role packed before starts with its title (a string).
SECTIONED = 3


def role_to_blob(role: Role) -> bytes:
    """The role as stored in ``roles.data``: sectioned JSON arrays (see the module docstring), compressed."""
    source = role.source
    stored = [SECTIONED, role.title, [source.path, source.format, source.link], role.aliases,
              [_outline(s) for s in role.sections], role.origin]
    return isal_zlib.compress(_dumps(stored), COMPRESSION)


def _outline(section: Section) -> list[Any]:
    content = [
        section.text,
        [[i.text, i.label, i.fields, i.children] for i in section.items],
        [[k.name, k.measures, k.why, k.target, k.frequency, k.type, k.structured] for k in section.kpis],
        [[g.horizon_days, g.heading, g.items, g.success_indicators] for g in section.goals],
    ]
    return [section.aspect, section.heading, _dumps(content).decode("utf-8"), content_flags(section),
            [_outline(sub) for sub in section.subsections]]


def _dumps(value: Any) -> bytes:
    try:
        return orjson.dumps(value)
    except orjson.JSONEncodeError:
        # What orjson refuses (a lone surrogate, a key that is not a string, an integer beyond 64 bits)
        # goes the json module's way, which writes it or raises what it raised before.
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def role_from_blob(data: bytes) -> Role:
    """Rebuild the role written by :func:`role_to_blob` (or stored packed or as a JSON object before)."""
    value = _stored_value(data)
    if not isinstance(value, list):
        return role_from_data(value)
    if value[0] == SECTIONED:
        _, title, source, aliases, sections, origin = value
        return Role(title, Source(*source), aliases, [_stored_section(s) for s in sections], origin)
    return _unpack_role(value)


def sections_from_blob(data: bytes, paths: Iterable[tuple[int, ...]]) -> dict[tuple[int, ...], Section | None]:
    """The sections at ``paths`` (see :meth:`Role.section_at`) of the role stored as ``data``, built
    alone: a search answer shows a few rows of a role."""
    value = _stored_value(data)
    if not isinstance(value, list):  # stored as an object before roles were packed
        return role_from_data(value).sections_at(paths)
    sectioned = value[0] == SECTIONED
    top, children = (value[4], 4) if sectioned else (value[3], 6)  # where the sub-sections are
    found: dict[tuple[int, ...], Section | None] = {}
    for path in paths:
        packed, sections = None, top
        for index in path:
            if not 0 <= index < len(sections):
                packed = None
                break
            packed = sections[index]
            sections = packed[children]
        if packed is None:
            found[path] = None
        else:
            found[path] = _stored_section(packed) if sectioned else _unpack_section(packed)
    return found


def _stored_value(data: bytes) -> Any:
    # ISA-L inflates the same zlib stream in a third of zlib's time (0.04 against 0.11 ms a bench role).
    return orjson.loads(isal_zlib.decompress(data))


def _stored_section(outline: list[Any]) -> StoredSection:
    aspect, heading, content, flags, subsections = outline
    return StoredSection(aspect, heading, content, flags, [_stored_section(s) for s in subsections])


# Roles stored packed (before sections were stored apart): the same arrays, each section's content in line.

def _unpack_role(packed: list[Any]) -> Role:
    title, source, aliases, sections, origin = packed
    return Role(title, Source(*source), aliases, [_unpack_section(s) for s in sections], origin)


def _unpack_section(packed: list[Any]) -> Section:
    aspect, heading, *content, subsections = packed
    return Section(aspect, heading, *unpack_content(*content), [_unpack_section(sub) for sub in subsections])


def role_to_dict(role: Role) -> dict[str, Any]:
    """The role as plain data, like ``dataclasses.asdict`` but several times faster (it deep-copies)."""
    return {
        "title": role.title,
        "source": {"path": role.source.path, "format": role.source.format, "link": role.source.link},
        "aliases": list(role.aliases),
        "sections": [_section_dict(s) for s in role.sections],
        "origin": role.origin,
    }


def _section_dict(section: Section) -> dict[str, Any]:
    return {
        "aspect": section.aspect,
        "heading": section.heading,
        "text": section.text,
        "items": [
            {"text": i.text, "label": i.label, "fields": dict(i.fields), "children": list(i.children)}
            for i in section.items
        ],
        "kpis": [
            {"name": k.name, "measures": k.measures, "why": k.why, "target": k.target, "frequency": k.frequency,
             "type": k.type, "structured": k.structured}
            for k in section.kpis
        ],
        "goals": [
            {"horizon_days": g.horizon_days, "heading": g.heading, "items": list(g.items),
             "success_indicators": list(g.success_indicators)}
            for g in section.goals
        ],
        "subsections": [_section_dict(sub) for sub in section.subsections],
    }


def role_from_json(text: str) -> Role:
    """Rebuild the role written by :func:`role_to_json`."""
    return role_from_data(json.loads(text))


def role_from_data(data: dict[str, Any]) -> Role:
    """Rebuild a role from its plain data (:func:`role_to_dict`)."""
    return Role(
        title=data["title"],
        source=Source(**data["source"]),
        aliases=list(data["aliases"]),
        sections=[_section(s) for s in data["sections"]],
        origin=data.get("origin", ""),  # absent from roles stored before it existed
    )


def _section(data: dict[str, Any]) -> Section:
    return Section(
        aspect=data["aspect"],
        heading=data["heading"],
        text=data["text"],
        items=[Item(**item) for item in data["items"]],
        kpis=[Kpi(**kpi) for kpi in data["kpis"]],
        goals=[Goal(**goal) for goal in data["goals"]],
        subsections=[_section(sub) for sub in data["subsections"]],
    )


def aspect_counts(role: Role) -> dict[str, int]:
    """Aspect -> number of entries (items, KPI rows, goal items) in the sections with that aspect.

    Every aspect that has a section appears, with 0 when its sections hold only text.
    """
    counts: Counter[str] = Counter()
    for section in role.walk():
        counts[section.aspect] += (
            len(section.items) + len(section.kpis) + sum(len(goal.items) for goal in section.goals)
        )
    return dict(counts)


def goal_counts(role: Role) -> dict[int, int]:
    """Horizon in days -> number of goal items for that horizon, in horizon order."""
    counts: Counter[int] = Counter()
    for goal in role.goals():
        counts[goal.horizon_days] += len(goal.items)
    return dict(sorted(counts.items()))
