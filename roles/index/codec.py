"""Role <-> JSON, and the compressed form of it in the index's ``roles.data`` column; the counts a role
listing shows.

The JSON mirrors the dataclasses field by field, so ``role_from_json(role_to_json(r)) == r``. In the
index it is zlib-compressed (``role_to_blob``): a role's JSON is mostly prose, which shrinks to a sixth,
and inflating it costs a few percent of decoding it. The index's copy is written and read by orjson,
which writes the dataclasses as they are, byte for byte what ``role_to_json`` writes, nine times faster
(the bench corpus: 0.09 ms a role against 0.82 ms); ``tests/roles/index/test_codec.py`` holds it to that.
"""

from __future__ import annotations

import json
import zlib
from collections import Counter
from typing import Any

import orjson

from roles.model import Goal, Item, Kpi, Role, Section, Source

#: zlib level of ``roles.data``: 6 (the default) is 17% of the JSON at bench-corpus sizes, 1 is 22%.
COMPRESSION = 6


def role_to_json(role: Role) -> str:
    """The role as compact JSON text."""
    return json.dumps(role_to_dict(role), ensure_ascii=False, separators=(",", ":"))


def role_to_blob(role: Role) -> bytes:
    """The role as stored in ``roles.data``: its JSON, zlib-compressed."""
    try:
        data = orjson.dumps(role)
    except orjson.JSONEncodeError:
        # What orjson refuses (a lone surrogate, a key that is not a string) goes the json module's way,
        # which stores it as before or raises what it raised before.
        data = role_to_json(role).encode("utf-8")
    return zlib.compress(data, COMPRESSION)


def role_from_blob(data: bytes) -> Role:
    """Rebuild the role written by :func:`role_to_blob`."""
    return role_from_data(orjson.loads(zlib.decompress(data)))


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
