"""The SQLite index of roles: fill it from a folder of role documents, then list, read and search roles.

Writing: :meth:`RoleIndex.index_folder` walks the folder, skips files whose size and mtime (then content
hash) did not change, re-loads changed ones and drops deleted ones. Each document is written in one
``BEGIN IMMEDIATE`` transaction, so with WAL a reader in another thread or process sees a document
either entirely or not at all. The schema is in ``roles.schema``.

Reading: every read is a single SQL statement (one consistent snapshot). ``get_role`` reads the role's
JSON copy and keeps it in a small LRU cache keyed by (role id, generation); the generation changes with
every content change, so a cached role is never stale.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from roles.errors import ConfigError, DocumentError, IndexNotReady, RoleNotFound, SearchQueryError
from roles.index_codec import aspect_counts, goal_counts, role_from_json, role_to_json
from roles.model import LoadedDocument, Role, Section
from roles.store import Store

logger = logging.getLogger(__name__)

#: A loader: (file, docs folder) -> LoadedDocument, raising DocumentError for bad input.
Loader = Callable[[Path, Path], LoadedDocument]

#: bm25 weights of the FTS columns (title, heading, body): a match in a heading says more than one in body.
BM25_WEIGHTS = (2.0, 4.0, 1.0)
#: A 'rebuilding' flag older than this is left over from a crashed run and no longer blocks readers.
REBUILD_STALE_AFTER = timedelta(minutes=15)
#: Roles kept decoded in memory; a miss costs one JSON decode (well under a millisecond for most roles).
ROLE_CACHE_SIZE = 512


@dataclass
class IndexReport:
    """What one :meth:`RoleIndex.index_folder` run did, plus totals of the index after it."""

    documents_seen: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    failed: int = 0
    #: Totals in the index after the run (not only what this run touched).
    roles: int = 0
    sections: int = 0
    kpis: int = 0
    goals: int = 0
    goal_items: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict:
        """The report as plain JSON-able data."""
        data = asdict(self)
        data["failures"] = [{"path": path, "reason": reason} for path, reason in self.failures]
        return data


@dataclass(frozen=True)
class RoleSummary:
    """One line of a role listing."""

    id: int
    title: str
    aliases: list[str]
    source_path: str
    link: str | None
    format: str
    #: Aspect -> number of entries (items, KPI rows, goal items) under it.
    aspects: dict[str, int]
    kpi_count: int
    #: Horizon in days -> number of goal items.
    goals: dict[int, int]


@dataclass(frozen=True)
class SearchHit:
    """One matching row of the full-text index.

    ``kind`` is 'role' (title and aliases), 'section' (section text), 'item', 'kpi', 'goal' (a goal item)
    or 'indicator' (a success indicator). ``section_path`` locates the section in the role's tree
    (indices into ``role.sections`` then ``subsections``; empty for 'role'), ``position`` the entry
    within it (index of the item / KPI / goal; -1 for section text).
    """

    role_id: int
    title: str
    aspect: str
    heading: str
    text: str
    kind: str
    rank: float
    section_path: tuple[int, ...] = ()
    position: int = -1


@dataclass(frozen=True)
class DocumentRow:
    """One indexed file."""

    path: str
    format: str
    title: str
    kind: str
    status: str
    error: str | None


@dataclass(frozen=True)
class _Known:
    id: int
    size: int
    mtime_ns: int
    hash: str
    status: str


def _default_loader(path: Path, root: Path) -> LoadedDocument:
    from roles.loaders import load_file

    return load_file(path, root)


def _now() -> datetime:
    return datetime.now(UTC)


class RoleIndex:
    """The role index in the store's database (schema from ``roles.schema``)."""

    def __init__(self, store: Store, loader: Loader | None = None, cache_size: int = ROLE_CACHE_SIZE):
        self.store = store
        self._cache_size = cache_size
        self._loader = loader or _default_loader
        self._lock = threading.Lock()
        self._roles: OrderedDict[tuple[int, int], Role] = OrderedDict()
        self._vocabulary: tuple[int, dict[str, int]] | None = None

    # ------------------------------------------------------------------ writing

    def index_folder(self, docs_dir: Path) -> IndexReport:
        """Bring the index in line with the files under ``docs_dir`` (recursively, hidden ones skipped).

        Bad files are recorded with their reason and retried on the next run; they never stop the run.
        Raises ConfigError when ``docs_dir`` is not a folder.
        """
        root = Path(docs_dir)
        if not root.is_dir():
            raise ConfigError(f"docs folder {root} does not exist or is not a folder")
        root = root.resolve()
        conn = self.store.conn
        known = {
            row[0]: _Known(*row[1:])
            for row in conn.execute("SELECT path, id, size, mtime_ns, hash, status FROM documents")
        }
        report = IndexReport()
        touched: list[tuple[int, int, int]] = []  # (size, mtime_ns, id) of files unchanged by hash
        seen: set[str] = set()
        flag = _RebuildingFlag(conn)
        try:
            for path in self._files(root):
                rel = path.relative_to(root).as_posix()
                if not _storable(rel):
                    report.documents_seen += 1
                    report.failed += 1
                    report.failures.append((ascii(rel)[1:-1], "the file name is not valid UTF-8: rename the file"))
                    continue
                seen.add(rel)
                report.documents_seen += 1
                old = known.get(rel)
                try:
                    stat = path.stat()
                    if old and old.status == "ok" and (old.size, old.mtime_ns) == (stat.st_size, stat.st_mtime_ns):
                        report.unchanged += 1
                        continue
                    digest = _file_hash(path)
                except OSError as exc:
                    # Vanished or unreadable between the walk and now: report it, leave the old rows.
                    report.failed += 1
                    report.failures.append((rel, f"cannot read the file: {exc.strerror or exc}"))
                    continue
                if old and old.status == "ok" and old.hash == digest:
                    touched.append((stat.st_size, stat.st_mtime_ns, old.id))
                    report.unchanged += 1
                    continue
                flag.raise_()
                self._index_file(path, root, rel, stat, digest, old, report)
            gone = [old for rel, old in known.items() if rel not in seen]
            for old in gone:
                flag.raise_()
                self._remove(old)
                report.removed += 1
            if touched:
                with conn:
                    conn.executemany("UPDATE documents SET size = ?, mtime_ns = ? WHERE id = ?", touched)
        finally:
            flag.lower()
        self._fill_totals(report)
        logger.info(
            "indexed %s: %d seen, %d added, %d updated, %d unchanged, %d removed, %d failed",
            root, report.documents_seen, report.added, report.updated, report.unchanged, report.removed,
            report.failed,
        )
        return report

    def _files(self, root: Path) -> Iterator[Path]:
        # The database may live inside the docs folder; never index it (or its WAL files) as a document.
        db_files = set()
        if self.store.path != ":memory:":
            db = Path(self.store.path).resolve()
            db_files = {db, Path(f"{db}-wal"), Path(f"{db}-shm"), Path(f"{db}-journal")}
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                path = Path(dirpath) / name
                if name.startswith(".") or path in db_files or not path.is_file():
                    continue
                yield path

    def _index_file(
        self, path: Path, root: Path, rel: str, stat: os.stat_result, digest: str, old: _Known | None,
        report: IndexReport,
    ) -> None:
        try:
            doc = self._loader(path, root)
        except DocumentError as exc:
            reason = exc.reason.splitlines()[0] if exc.reason else type(exc).__name__
            self._write_failure(rel, stat, digest, reason, old)
            report.failed += 1
            report.failures.append((rel, reason))
            return
        except Exception as exc:  # a loader bug must not stop the other files from indexing
            logger.exception("loader crashed on %s", rel)
            reason = f"internal error while reading the file ({type(exc).__name__}); see the log"
            self._write_failure(rel, stat, digest, reason, old)
            report.failed += 1
            report.failures.append((rel, reason))
            return
        self._write_document(rel, stat, digest, doc)
        if old is None or old.status == "error":
            report.added += 1
        else:
            report.updated += 1

    def _write_document(self, rel: str, stat: os.stat_result, digest: str, doc: LoadedDocument) -> None:
        conn = self.store.conn
        conn.execute("BEGIN IMMEDIATE")
        with conn:
            doc_id = self._upsert_document(
                rel, stat, digest, doc.format, doc.title, doc.link, "role" if doc.roles else "non-role", None
            )
            # Keep role ids stable across edits of a document: reuse them by position.
            old_ids = [r[0] for r in conn.execute("SELECT id FROM roles WHERE document_id = ? ORDER BY position", [doc_id])]
            conn.execute("DELETE FROM roles WHERE document_id = ?", [doc_id])
            for position, role in enumerate(doc.roles):
                role_id = old_ids[position] if position < len(old_ids) else None
                self._insert_role(doc_id, position, role_id, role)
            _bump_generation(conn)

    def _write_failure(self, rel: str, stat: os.stat_result, digest: str, reason: str, old: _Known | None) -> None:
        conn = self.store.conn
        conn.execute("BEGIN IMMEDIATE")
        with conn:
            doc_id = self._upsert_document(rel, stat, digest, "", "", None, "error", reason)
            had_roles = conn.execute("DELETE FROM roles WHERE document_id = ?", [doc_id]).rowcount
            # A file that keeps failing must not invalidate every consumer's cache on each run.
            if had_roles or old is None or old.status == "ok":
                _bump_generation(conn)

    def _upsert_document(
        self, rel: str, stat: os.stat_result, digest: str, fmt: str, title: str, link: str | None, kind: str,
        error: str | None,
    ) -> int:
        row = self.store.conn.execute(
            """INSERT INTO documents (path, size, mtime_ns, hash, format, title, link, kind, status, error, indexed_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (path) DO UPDATE SET size = excluded.size, mtime_ns = excluded.mtime_ns,
                 hash = excluded.hash, format = excluded.format, title = excluded.title, link = excluded.link,
                 kind = excluded.kind, status = excluded.status, error = excluded.error,
                 indexed_at = excluded.indexed_at
               RETURNING id""",
            [
                rel, stat.st_size, stat.st_mtime_ns, digest, fmt, title, link, kind,
                "error" if error else "ok", error, _now().isoformat(),
            ],
        ).fetchone()
        return row[0]

    def _insert_role(self, doc_id: int, position: int, role_id: int | None, role: Role) -> None:
        conn = self.store.conn
        role_id = conn.execute(
            """INSERT INTO roles (id, document_id, position, title, aliases, source_path, link, format, aspects,
                                  kpi_count, goals, data)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""",
            [
                role_id, doc_id, position, role.title, json.dumps(role.aliases, ensure_ascii=False),
                role.source.path, role.source.link, role.source.format,
                json.dumps(aspect_counts(role), ensure_ascii=False), len(role.kpis()),
                json.dumps(goal_counts(role)), role_to_json(role),
            ],
        ).fetchone()[0]
        search_rows: list[tuple] = [
            (role_id, "role", "summary", "", -1, role.title, "", " ".join(role.aliases))
        ]
        for index, section in enumerate(role.sections):
            self._insert_section(role_id, role.title, None, index, (index,), section, search_rows)
        key = _role_key(role_id)
        conn.executemany(
            """INSERT INTO search_rows (role_id, kind, aspect, section_path, position, title, heading, body, role_key)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [(*row, key) for row in search_rows],
        )

    def _insert_section(
        self, role_id: int, title: str, parent_id: int | None, position: int, where: tuple[int, ...],
        section: Section, search_rows: list[tuple],
    ) -> None:
        conn = self.store.conn
        section_id = conn.execute(
            "INSERT INTO sections (role_id, parent_id, position, aspect, heading, text) VALUES (?, ?, ?, ?, ?, ?)",
            [role_id, parent_id, position, section.aspect, section.heading, section.text],
        ).lastrowid
        at = ".".join(map(str, where))

        def row(kind: str, pos: int, body: str, heading: str = section.heading) -> tuple:
            return (role_id, kind, section.aspect, at, pos, title, heading, body)

        if section.text.strip():
            search_rows.append(row("section", -1, section.text))
        conn.executemany(
            "INSERT INTO items (role_id, section_id, position, text, label, fields, children) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (role_id, section_id, i, item.text, item.label,
                 json.dumps(item.fields, ensure_ascii=False) if item.fields else "{}",
                 json.dumps(item.children, ensure_ascii=False) if item.children else "[]")
                for i, item in enumerate(section.items)
            ],
        )
        for i, item in enumerate(section.items):
            body = " ".join(
                part for part in (item.label, item.text, *item.fields.values(), *item.children) if part
            )
            search_rows.append(row("item", i, body))
        conn.executemany(
            """INSERT INTO kpis (role_id, section_id, position, name, measures, why, target, frequency, type, structured)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                (role_id, section_id, i, k.name, k.measures, k.why, k.target, k.frequency, k.type, int(k.structured))
                for i, k in enumerate(section.kpis)
            ],
        )
        for i, k in enumerate(section.kpis):
            search_rows.append(row("kpi", i, " ".join(p for p in (k.name, k.measures, k.why, k.target, k.frequency) if p)))
        for i, goal in enumerate(section.goals):
            goal_id = conn.execute(
                "INSERT INTO goals (role_id, section_id, position, horizon_days, heading) VALUES (?, ?, ?, ?, ?)",
                [role_id, section_id, i, goal.horizon_days, goal.heading],
            ).lastrowid
            entries = [("goal", n, text) for n, text in enumerate(goal.items)]
            entries += [("indicator", n, text) for n, text in enumerate(goal.success_indicators)]
            conn.executemany(
                "INSERT INTO goal_items (role_id, goal_id, kind, position, text) VALUES (?, ?, ?, ?, ?)",
                [(role_id, goal_id, kind, n, text) for kind, n, text in entries],
            )
            search_rows.extend(row(kind, i, text, goal.heading or section.heading) for kind, _n, text in entries)
        for index, sub in enumerate(section.subsections):
            self._insert_section(role_id, title, section_id, index, (*where, index), sub, search_rows)

    def _remove(self, old: _Known) -> None:
        conn = self.store.conn
        conn.execute("BEGIN IMMEDIATE")
        with conn:
            conn.execute("DELETE FROM documents WHERE id = ?", [old.id])
            _bump_generation(conn)

    def _fill_totals(self, report: IndexReport) -> None:
        row = self.store.conn.execute(
            """SELECT (SELECT count(*) FROM roles), (SELECT count(*) FROM sections), (SELECT count(*) FROM kpis),
                      (SELECT count(*) FROM goals), (SELECT count(*) FROM goal_items WHERE kind = 'goal')"""
        ).fetchone()
        report.roles, report.sections, report.kpis, report.goals, report.goal_items = row

    # ------------------------------------------------------------------ reading

    def generation(self) -> int:
        """A number that changes whenever indexed content changes (0 for an empty or missing index)."""
        try:
            row = self.store.conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        except sqlite3.OperationalError:
            return 0
        return int(row[0]) if row else 0

    def is_ready(self) -> bool:
        """True when the schema exists, at least one role is indexed and no index run is writing."""
        try:
            has_roles, flags = self.store.conn.execute(
                "SELECT EXISTS (SELECT 1 FROM roles), json_group_array(value) FROM meta WHERE key GLOB 'rebuilding:*'"
            ).fetchone()
        except sqlite3.OperationalError:
            return False
        for value in json.loads(flags):
            try:
                started = datetime.fromisoformat(value)
            except ValueError:
                started = None
            if started is None or _now() - started < REBUILD_STALE_AFTER:
                return False
            logger.warning("ignoring a 'rebuilding' flag set at %s: that index run seems to have died", value)
        return bool(has_roles)

    def list_roles(self) -> list[RoleSummary]:
        """Every role (never non-role documents), by title then source."""
        rows = self._read(
            """SELECT id, title, aliases, source_path, link, format, aspects, kpi_count, goals FROM roles
               ORDER BY title COLLATE NOCASE, source_path, position"""
        )
        return [
            RoleSummary(
                id=r[0], title=r[1], aliases=json.loads(r[2]), source_path=r[3], link=r[4], format=r[5],
                aspects=json.loads(r[6]), kpi_count=r[7], goals={int(k): v for k, v in json.loads(r[8]).items()},
            )
            for r in rows
        ]

    def get_role(self, role_id: int) -> Role:
        """The full role as loaded. Raises RoleNotFound for an unknown id.

        The returned object is shared with other callers through the cache: read it, never change it.
        """
        generation = self.generation()
        key = (role_id, generation)
        with self._lock:
            role = self._roles.get(key)
            if role is not None:
                self._roles.move_to_end(key)
                return role
        rows = self._read("SELECT data FROM roles WHERE id = ?", [role_id])
        if not rows:
            raise RoleNotFound(f"no role with id {role_id}")
        role = role_from_json(rows[0][0])
        with self._lock:
            self._roles[key] = role
            while len(self._roles) > self._cache_size:
                self._roles.popitem(last=False)
        return role

    def search(self, match: str, limit: int = 20, role_ids: Iterable[int] | None = None) -> list[SearchHit]:
        """Rows matching the FTS5 MATCH expression ``match``, best (lowest bm25 rank) first.

        ``role_ids`` limits the hits to those roles (done inside the FTS query, so it is cheap).
        Raises SearchQueryError for a malformed expression.
        """
        expression = match
        if role_ids is not None:
            keys = [_role_key(int(i)) for i in role_ids]
            if not keys:
                return []
            expression = f"({match}) AND role_key:({' OR '.join(keys)})"
        weights = ", ".join(map(str, (*BM25_WEIGHTS, 0.0)))
        # Rank and cut inside the FTS query first, then fetch only the rows kept.
        sql = f"""SELECT s.role_id, s.title, s.aspect, s.heading, s.body, s.kind, m.rank, s.section_path, s.position
                  FROM (SELECT rowid, bm25(role_fts, {weights}) AS rank FROM role_fts
                        WHERE role_fts MATCH ? ORDER BY rank LIMIT ?) AS m
                  JOIN search_rows s ON s.id = m.rowid
                  ORDER BY m.rank"""
        try:
            rows = self._read(sql, [expression, int(limit)])
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc):
                raise
            # Anything else SQLite rejects here is the MATCH expression (syntax, unknown column, quotes).
            raise SearchQueryError(f"bad search expression {match!r}: {exc}") from None
        return [
            SearchHit(
                role_id=r[0], title=r[1], aspect=r[2], heading=r[3], text=r[4], kind=r[5], rank=r[6],
                section_path=tuple(int(p) for p in r[7].split(".")) if r[7] else (), position=r[8],
            )
            for r in rows
        ]

    def vocabulary(self) -> dict[str, int]:
        """Every indexed (stemmed, lower-case) term -> number of FTS rows containing it."""
        generation = self.generation()
        cached = self._vocabulary
        if cached and cached[0] == generation:
            return cached[1]
        vocabulary = dict(self._read(f"SELECT term, doc FROM role_fts_vocab WHERE term NOT GLOB '{_ROLE_KEY_PREFIX}[0-9]*'"))
        self._vocabulary = (generation, vocabulary)
        return vocabulary

    def documents(self) -> list[DocumentRow]:
        """Every indexed file, by path, including failed and non-role ones."""
        rows = self._read("SELECT path, format, title, kind, status, error FROM documents ORDER BY path")
        return [DocumentRow(*r) for r in rows]

    def get_role_from_tables(self, role_id: int) -> Role:
        """Rebuild a role from the relational tables (slower than :meth:`get_role`; for checks and tools)."""
        from roles.index_tables import role_from_tables

        return role_from_tables(self.store.conn, role_id)

    def _read(self, sql: str, params: Iterable = ()) -> list[tuple]:
        try:
            return self.store.conn.execute(sql, list(params)).fetchall()
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):
                raise IndexNotReady("the role index has not been created yet: run `rolebot index` first") from None
            raise


class _RebuildingFlag:
    """The 'an index run is writing' mark in ``meta``: one row per run, so concurrent runs never clear
    each other's, set only once a run actually changes something (an unchanged re-index never blinks)."""

    def __init__(self, conn: sqlite3.Connection):
        self._conn = conn
        self._key = f"rebuilding:{uuid.uuid4().hex}"
        self._up = False

    def raise_(self) -> None:
        """Set the flag (once)."""
        if not self._up:
            with self._conn:
                self._conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", [self._key, _now().isoformat()])
            self._up = True

    def lower(self) -> None:
        """Clear the flag if this run set it."""
        if self._up:
            with self._conn:
                self._conn.execute("DELETE FROM meta WHERE key = ?", [self._key])
            self._up = False


def _storable(text: str) -> bool:
    # os.walk hands undecodable file names back with surrogate escapes, which SQLite cannot store.
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _file_hash(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "blake2b").hexdigest()[:32]


_ROLE_KEY_PREFIX = "zrole"


def _role_key(role_id: int) -> str:
    """The FTS token that marks every search row of a role (see ``roles.schema``)."""
    return f"{_ROLE_KEY_PREFIX}{role_id}"


def _bump_generation(conn: sqlite3.Connection) -> None:
    conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")
