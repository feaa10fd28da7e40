"""Writing documents into the role index (schema in ``core.migrations.index``); used by ``roles.index.library.RoleIndex``.

Documents are written in batches: one ``BEGIN IMMEDIATE`` transaction holds up to :data:`BATCH_DOCS`
documents (or :data:`BATCH_SECONDS` of work), and each document inside it is a savepoint. A reader
therefore sees a document entirely or not at all, a crash loses at most the open batch (never half a
document), and the FTS index gets one segment per batch instead of one per document, which is most of
the cost of indexing. For that, a role's rows go into the FTS index (and the term counts) when the batch
commits, outside every savepoint (FTS5 writes out its pending terms at each savepoint), or just before
the role's rows are deleted again within the batch; a role rolled back to its savepoint has no rows left
by then, so it adds nothing.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import time
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from roles.index.codec import aspect_counts, goal_counts, role_to_blob
from roles.index.terms import StaleTerms, TermCounts, rebuild_terms
from roles.index.upkeep import count_replaced, tidy
from roles.model import LoadedDocument, Role, Section

logger = logging.getLogger(__name__)

BATCH_DOCS = 25
#: A batch also ends after this long, so other writers (the outbox) never wait long for the lock.
BATCH_SECONDS = 0.25
ROLE_KEY_PREFIX = "zrole"


def now() -> datetime:
    """The current UTC time."""
    return datetime.now(UTC)


def role_key(role_id: int) -> str:
    """The FTS token that marks every search row of a role (see ``core.migrations.index``)."""
    return f"{ROLE_KEY_PREFIX}{role_id}"


def file_hash(path: Path) -> str:
    """Content hash of a file (BLAKE2b, 128 bits, hex)."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "blake2b").hexdigest()[:32]


class RebuildingFlag:
    """The 'an index run is writing' mark in ``meta``: one row per run, so concurrent runs never clear
    each other's, set only once a run actually changes something (an unchanged re-index never blinks)."""

    def __init__(self, conn: sqlite3.Connection):
        self._conn = conn
        self._key = f"rebuilding:{uuid.uuid4().hex}"
        self._up = False

    def raise_(self) -> None:
        """Set the flag (once), committed at once so that readers see it."""
        if not self._up:
            with self._conn:
                self._conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", [self._key, now().isoformat()])
            self._up = True

    def lower(self) -> None:
        """Clear the flag if this run set it."""
        if self._up:
            with self._conn:
                self._conn.execute("DELETE FROM meta WHERE key = ?", [self._key])
            self._up = False


class Writer:
    """Writes documents, failures and removals in batched transactions. Call :meth:`finish` at the end.

    ``cold``: the index is empty, so term counts are taken from the FTS index once, by :meth:`finish`
    (``roles.index.terms``), instead of batch by batch.
    """

    def __init__(self, conn: sqlite3.Connection, batch_docs: int = BATCH_DOCS, batch_seconds: float = BATCH_SECONDS,
                 cold: bool = False):
        self.conn = conn
        self._batch_docs = batch_docs
        self._batch_seconds = batch_seconds
        self._count = 0
        self._started = 0.0
        self._terms = StaleTerms(conn) if cold else TermCounts(conn)
        self._unindexed: set[int] = set()  # roles of the open batch not yet in role_fts (see _index_roles)
        # The one-character codes stored for kinds and aspects (migration roles-0006); the search_rows
        # view spells them out. A name without a code is stored as itself.
        self._codes: dict[str, str] = dict(conn.execute("SELECT name, code FROM search_labels").fetchall())

    # -------------------------------------------------------------- public

    def document(self, rel: str, stat: os.stat_result, digest: str, doc: LoadedDocument) -> None:
        """Store a loaded document, replacing what the index held for that path."""
        with self._savepoint():
            kind = "role" if doc.roles else "non-role"
            doc_id = self._upsert(rel, stat, digest, doc.format, doc.title, doc.link, kind, None)
            # Keep role ids stable across edits of a document: reuse them by position, also after the
            # file was broken or not a role for a while (documents.role_ids remembers them).
            old_ids = json.loads(self.conn.execute("SELECT role_ids FROM documents WHERE id = ?", [doc_id]).fetchone()[0])
            self._removing(doc_id)
            self.conn.execute("DELETE FROM roles WHERE document_id = ?", [doc_id])
            ids = [self._insert_role(doc_id, position,
                                     old_ids[position] if position < len(old_ids) else stable_role_id(rel, position), role)
                   for position, role in enumerate(doc.roles)]
            if ids:
                self.conn.execute("UPDATE documents SET role_ids = ? WHERE id = ?", [json.dumps(ids), doc_id])
            self.conn.execute(
                "UPDATE documents SET note = ?, borderline = ?, chrome = ? WHERE id = ?",
                [doc.decision, int(any(v.borderline for v in doc.verdicts)), len(doc.notes), doc_id])
            _bump_generation(self.conn)

    def failure(self, rel: str, stat: os.stat_result, digest: str, reason: str, was_ok: bool) -> None:
        """Record that a file could not be loaded; its old roles, if any, go."""
        with self._savepoint():
            doc_id = self._upsert(rel, stat, digest, "", "", None, "error", reason)
            self._removing(doc_id)
            had_roles = self.conn.execute("DELETE FROM roles WHERE document_id = ?", [doc_id]).rowcount
            # A file that keeps failing must not invalidate every consumer's cache on each run.
            if had_roles or was_ok:
                _bump_generation(self.conn)

    def remove(self, doc_id: int) -> None:
        """Delete a document and everything indexed from it (foreign keys cascade, a trigger cleans FTS)."""
        with self._savepoint():
            self._removing(doc_id)
            self.conn.execute("DELETE FROM documents WHERE id = ?", [doc_id])
            _bump_generation(self.conn)

    def touch(self, rows: Iterable[tuple[int, int, int]]) -> None:
        """Record new (size, mtime_ns) of documents whose content hash did not change."""
        with self._savepoint():
            self.conn.executemany("UPDATE documents SET size = ?, mtime_ns = ? WHERE id = ?", list(rows))

    def close(self) -> None:
        """Commit the open batch (every document in it is complete)."""
        if self.conn.in_transaction:
            self._index_roles(self._unindexed)
            self._terms.flush()
            self.conn.commit()
        self._count = 0

    def finish(self) -> None:
        """Commit the open batch, then recount terms if they are stale (this run is cold, or one died),
        and merge the FTS index if enough roles were replaced since it was last merged (``upkeep``)."""
        self.close()
        rebuild_terms(self.conn)
        tidy(self.conn)

    def abort(self) -> None:
        """Roll back the open batch (used when the run dies on a database error)."""
        if self.conn.in_transaction:
            self.conn.rollback()
        self._unindexed.clear()
        self._terms.discard()
        self._count = 0

    # -------------------------------------------------------------- batching

    def _savepoint(self) -> _Savepoint:
        if not self.conn.in_transaction:
            self.conn.execute("BEGIN IMMEDIATE")
            self._started = time.monotonic()
            self._count = 0
        return _Savepoint(self)

    def _done_one(self) -> None:
        self._count += 1
        if self._count >= self._batch_docs or time.monotonic() - self._started >= self._batch_seconds:
            self.close()

    # -------------------------------------------------------------- rows

    def _upsert(
        self, rel: str, stat: os.stat_result, digest: str, fmt: str, title: str, link: str | None, kind: str,
        error: str | None,
    ) -> int:
        row = self.conn.execute(
            """INSERT INTO documents (path, size, mtime_ns, hash, format, title, link, kind, status, error, indexed_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (path) DO UPDATE SET size = excluded.size, mtime_ns = excluded.mtime_ns,
                 hash = excluded.hash, format = excluded.format, title = excluded.title, link = excluded.link,
                 kind = excluded.kind, status = excluded.status, error = excluded.error,
                 indexed_at = excluded.indexed_at
               RETURNING id""",
            [
                rel, stat.st_size, stat.st_mtime_ns, digest, fmt, title, link, kind,
                "error" if error else "ok", error, now().isoformat(),
            ],
        ).fetchone()
        return row[0]

    def _insert_role(self, doc_id: int, position: int, role_id: int | None, role: Role) -> int:
        if role_id is None:
            role_id = _new_role_id(self.conn)
        self.conn.execute(
            """INSERT INTO roles (id, document_id, position, title, aliases, source_path, link, format, aspects,
                                  kpi_count, goals, section_count, goal_count, data)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                role_id, doc_id, position, role.title, json.dumps(role.aliases, ensure_ascii=False),
                role.source.path, role.source.link, role.source.format,
                json.dumps(aspect_counts(role), ensure_ascii=False), len(role.kpis()),
                json.dumps(goal_counts(role)), sum(1 for _ in role.walk()), len(role.goals()), role_to_blob(role),
            ],
        )
        # (kind, aspect, section path, position, heading, body); the role title row's body is its aliases.
        rows: list[tuple] = [("role", "summary", "", -1, "", " ".join(role.aliases))]
        for index, section in enumerate(role.sections):
            _search_rows(section, (index,), rows)
        codes = self._codes
        self.conn.executemany(
            """INSERT INTO search_entries (role_id, kind, aspect, section_path, position, heading, body)
               VALUES (?, ?, ?, ?, ?, ?, ?)""",
            [(role_id, codes.get(kind, kind), codes.get(aspect, aspect), *rest) for kind, aspect, *rest in rows],
        )
        self._unindexed.add(role_id)
        return role_id

    def _removing(self, doc_id: int) -> None:
        """Before a document's roles are deleted: index those the batch added, then count what goes."""
        ids = {row[0] for row in self.conn.execute("SELECT id FROM roles WHERE document_id = ?", [doc_id])}
        if self._unindexed:
            # The delete trigger takes the rows out of role_fts, so they must be in it.
            self._index_roles(self._unindexed & ids)
        self._terms.removing(doc_id)
        count_replaced(self.conn, len(ids))

    def _index_roles(self, role_ids: set[int]) -> None:
        """Add the search rows of these roles to role_fts and the term counts, in one statement each."""
        if not role_ids:
            return
        ids = sorted(role_ids)
        self.conn.execute(
            """INSERT INTO role_fts (rowid, title, heading, body, role_key)
               SELECT id, title, heading, body, role_key FROM search_rows
               WHERE role_id IN (SELECT value FROM json_each(?))""",
            [json.dumps(ids)],
        )
        self._terms.added(ids)
        self._unindexed.difference_update(ids)


def _search_rows(section: Section, where: tuple[int, ...], rows: list[tuple]) -> None:
    """Append the search rows of a section and its sub-sections: its text, items, KPIs and goal items."""
    at = ".".join(map(str, where))

    def row(kind: str, pos: int, body: str, heading: str = section.heading) -> tuple:
        return (kind, section.aspect, at, pos, heading, body)

    if section.text.strip():
        rows.append(row("section", -1, section.text))
    for i, item in enumerate(section.items):
        rows.append(row("item", i, " ".join(part for part in (item.label, item.text, *item.fields.values(), *item.children) if part)))
    for i, k in enumerate(section.kpis):
        rows.append(row("kpi", i, " ".join(p for p in (k.name, k.measures, k.why, k.target, k.frequency) if p)))
    for i, goal in enumerate(section.goals):
        entries = [("goal", text) for text in goal.items] + [("indicator", text) for text in goal.success_indicators]
        rows.extend(row(kind, i, text, goal.heading or section.heading) for kind, text in entries)
    for index, sub in enumerate(section.subsections):
        _search_rows(sub, (*where, index), rows)


class _Savepoint:
    """One document inside the open batch: all of its rows, or (on any error) none of them."""

    def __init__(self, writer: Writer):
        self._writer = writer

    def __enter__(self) -> None:
        self._writer.conn.execute("SAVEPOINT document")

    def __exit__(self, exc_type, exc, tb) -> bool:
        conn = self._writer.conn
        if exc_type is not None:
            try:
                conn.execute("ROLLBACK TO document")
                conn.execute("RELEASE document")
            except sqlite3.Error:
                logger.warning("could not roll back to the document savepoint (SQLite already rolled back)")
            return False
        conn.execute("RELEASE document")
        self._writer._done_one()
        return False


def stable_role_id(rel: str, position: int) -> int:
    """The id of the ``position``-th role of the document at ``rel`` (its path in the docs folder).

    Derived, not counted: every replica's index (each process keeps its own) and every rebuild from the
    same documents give a role the same id, so a button or journey made by one replica works on another.
    53 bits keeps it exact wherever a JSON number or a double carries it.
    """
    digest = hashlib.blake2b(f"{rel}\0{position}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 11 or 1


def _new_role_id(conn: sqlite3.Connection) -> int:
    """An id no role has ever had (the highest given out, or in the table, plus one)."""
    return conn.execute(
        """UPDATE meta SET value = max(CAST(value AS INTEGER), (SELECT coalesce(max(id), 0) FROM roles)) + 1
           WHERE key = 'last_role_id' RETURNING CAST(value AS INTEGER)"""
    ).fetchone()[0]


def _bump_generation(conn: sqlite3.Connection) -> None:
    conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")
