"""Rebuild a role from the index's relational tables (sections, items, kpis, goals, goal_items).

The index serves reads from the JSON copy in ``roles.data``; this is the SQL-side view of the same role,
used to check that both agree and by tools that query the tables directly.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict

from core.errors import RoleNotFound
from roles.model import Goal, Item, Kpi, Role, Section, Source


def role_from_tables(conn: sqlite3.Connection, role_id: int) -> Role:
    """The role with id ``role_id`` as stored in the tables. Raises RoleNotFound for an unknown id."""
    if conn.in_transaction:
        return _read(conn, role_id)
    # Several SELECTs: hold one read transaction so they all see the same snapshot.
    conn.execute("BEGIN")
    try:
        return _read(conn, role_id)
    finally:
        conn.execute("COMMIT")


def _read(conn: sqlite3.Connection, role_id: int) -> Role:
    head = conn.execute(
        "SELECT title, aliases, source_path, format, link FROM roles WHERE id = ?", [role_id]
    ).fetchone()
    if head is None:
        raise RoleNotFound(f"no role with id {role_id}")
    title, aliases, path, fmt, link = head
    sections: dict[int, Section] = {}
    children: defaultdict[int | None, list[int]] = defaultdict(list)
    for sid, parent, aspect, heading, text in conn.execute(
        "SELECT id, parent_id, aspect, heading, text FROM sections WHERE role_id = ? ORDER BY parent_id, position",
        [role_id],
    ):
        sections[sid] = Section(aspect=aspect, heading=heading, text=text)
        children[parent].append(sid)
    for sid, text, label, fields, kids in conn.execute(
        "SELECT section_id, text, label, fields, children FROM items WHERE role_id = ? ORDER BY section_id, position",
        [role_id],
    ):
        sections[sid].items.append(Item(text=text, label=label, fields=json.loads(fields), children=json.loads(kids)))
    for row in conn.execute(
        """SELECT section_id, name, measures, why, target, frequency, type, structured FROM kpis
           WHERE role_id = ? ORDER BY section_id, position""",
        [role_id],
    ):
        sections[row[0]].kpis.append(Kpi(*row[1:7], structured=bool(row[7])))
    goals: dict[int, Goal] = {}
    for gid, sid, days, heading in conn.execute(
        "SELECT id, section_id, horizon_days, heading FROM goals WHERE role_id = ? ORDER BY section_id, position",
        [role_id],
    ):
        goals[gid] = Goal(horizon_days=days, heading=heading)
        sections[sid].goals.append(goals[gid])
    for gid, kind, text in conn.execute(
        "SELECT goal_id, kind, text FROM goal_items WHERE role_id = ? ORDER BY goal_id, kind, position", [role_id]
    ):
        (goals[gid].items if kind == "goal" else goals[gid].success_indicators).append(text)
    for parent, ids in children.items():
        if parent is not None:
            sections[parent].subsections = [sections[i] for i in ids]
    return Role(
        title=title,
        source=Source(path=path, format=fmt, link=link),
        aliases=json.loads(aliases),
        sections=[sections[i] for i in children[None]],
    )
