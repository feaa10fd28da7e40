"""The SQLite index of roles: fill it from a folder of role documents, then list, read and search roles.

Writing: :meth:`RoleIndex.index_folder` walks the folder, skips files whose size and mtime (then content
hash) did not change, re-loads changed ones and drops deleted ones. Documents are written by
``roles.index.write.Writer``, each as one savepoint inside a batched ``BEGIN IMMEDIATE`` transaction, so
with WAL a reader in another thread or process sees a document entirely or not at all. The schema is in
``core.migrations.index``.

Reading: every read is a single SQL statement (one consistent snapshot). ``get_role`` reads the role's
compressed JSON and keeps it in a small LRU cache keyed by (role id, generation); the generation changes with
every content change, so a cached role is never stale.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import orjson

from core.errors import (
    BinaryDocument,
    ConfigError,
    DocumentError,
    IndexNotReady,
    RoleNotFound,
    SearchQueryError,
)
from core.store import Store
from roles.index.codec import role_from_blob, sections_from_blob
from roles.index.report import TEXT_ENDINGS, IndexReport, note_document, overrides_changed, printable
from roles.index.scope import DocsScope, is_not_a_document
from roles.index.terms import STALE_KEY, VOCABULARY_SCAN
from roles.index.write import RebuildingFlag, Writer, file_hash, now, role_key
from roles.model import LoadedDocument, Role, Section

logger = logging.getLogger(__name__)

#: A loader: (file, docs folder, override) -> LoadedDocument, raising DocumentError for bad input. The
#: override is an admin's decision for the file (True: its candidates are roles; False: none is).
Loader = Callable[[Path, Path, "bool | None"], LoadedDocument]

#: bm25 weights of the FTS columns (title, heading, body): a match in a heading says more than one in body.
BM25_WEIGHTS = (2.0, 4.0, 1.0)
#: A 'rebuilding' flag older than this is left over from a crashed run and no longer blocks readers.
REBUILD_STALE_AFTER = timedelta(minutes=15)
#: Roles kept decoded in memory; a miss costs one JSON decode (about a millisecond for a large role).
#: Bounded low: a decoded role is hundreds of objects that every full garbage collection walks.
ROLE_CACHE_SIZE = 128


@dataclass(frozen=True)
class RoleSummary:
    """One line of a role listing (shared through the listing cache: never change its dicts)."""

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


def _default_loader(path: Path, root: Path, override: bool | None = None) -> LoadedDocument:
    from roles.loaders import load_file

    return load_file(path, root, override)


class RoleIndex:
    """The role index in the store's database (schema from ``core.migrations.index``)."""

    def __init__(self, store: Store, loader: Loader | None = None, cache_size: int = ROLE_CACHE_SIZE):
        self.store = store
        self._cache_size = cache_size
        self._loader = loader or _default_loader
        self._lock = threading.Lock()
        self._roles: OrderedDict[tuple[int, int], Role] = OrderedDict()
        self._vocabulary: tuple[int, dict[str, int]] | None = None
        self._summaries: tuple[int, list[RoleSummary]] | None = None

    # ------------------------------------------------------------------ writing

    def index_folder(self, docs_dir: Path, scope: DocsScope | None = None) -> IndexReport:
        """Bring the index in line with the files under ``docs_dir`` (recursively, hidden ones skipped).

        Bad files are recorded with their reason and retried on the next run; they never stop the run.
        Files that are not documents (fonts, images …) are only counted; ``scope`` limits the files read
        and carries an admin's per-file role overrides. Raises ConfigError when ``docs_dir`` is not a folder.
        """
        scope = scope or DocsScope()
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
        # A changed always/never list changes decisions without changing files: then every file is re-read.
        changed_overrides = overrides_changed(conn, scope)
        touched: list[tuple[int, int, int]] = []  # (size, mtime_ns, id) of files unchanged by hash
        seen: set[str] = set()
        flag = RebuildingFlag(conn)
        writer = Writer(conn, cold=not known)
        try:
            for path in self._files(root):
                rel = path.relative_to(root).as_posix()
                if is_not_a_document(rel):
                    report.skipped += 1
                    continue
                if not scope.selects(rel):
                    report.out_of_scope += 1
                    continue
                report.documents_seen += 1
                if not _storable(rel):
                    report.failed += 1
                    report.failures.append((printable(rel), "the file name is not valid UTF-8: rename the file"))
                    continue
                seen.add(rel)
                old = known.get(rel)
                try:
                    stat = path.stat()
                    if old and old.status == "ok" and (old.size, old.mtime_ns) == (stat.st_size, stat.st_mtime_ns) \
                            and not changed_overrides:
                        report.unchanged += 1
                        continue
                    digest = file_hash(path)
                except OSError as exc:
                    # Vanished or unreadable between the walk and now: report it, leave the old rows.
                    report.failed += 1
                    report.failures.append((printable(rel), f"cannot read the file: {exc.strerror or exc}"))
                    continue
                if old and old.status == "ok" and old.hash == digest and not changed_overrides:
                    touched.append((stat.st_size, stat.st_mtime_ns, old.id))
                    report.unchanged += 1
                    continue
                flag.raise_()
                self._index_file(writer, path, root, rel, stat, digest, old, report, scope.override(rel))
            for rel, old in known.items():
                if rel not in seen:
                    flag.raise_()
                    writer.remove(old.id)
                    report.removed += 1
            if touched:
                writer.touch(touched)
            writer.finish()
        except BaseException:
            writer.abort()
            raise
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
        # Symlinked folders are followed (a docs folder assembled from team checkouts), each real folder
        # once: a link back up the tree ("loop -> ..") would otherwise be walked forever.
        visited: set[tuple[int, int]] = set()
        for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
            try:
                info = os.stat(dirpath)
            except OSError:
                dirnames[:] = []
                continue
            if (info.st_dev, info.st_ino) in visited:
                dirnames[:] = []
                continue
            visited.add((info.st_dev, info.st_ino))
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                path = Path(dirpath) / name
                if name.startswith(".") or path in db_files or not path.is_file():
                    continue
                yield path

    def _index_file(
        self, writer: Writer, path: Path, root: Path, rel: str, stat: os.stat_result, digest: str,
        old: _Known | None, report: IndexReport, override: bool | None = None,
    ) -> None:
        try:
            # Loaders that take no override (tests, tools) are called as before when there is none.
            doc = self._loader(path, root) if override is None else self._loader(path, root, override)
        except BinaryDocument:
            # Binary data under a name that is no document format (no ending, or an unknown one) is not a
            # failure to read a document: it is counted with the fonts and images.
            if not path.suffix or path.suffix.lower() not in TEXT_ENDINGS:
                report.documents_seen -= 1
                report.skipped += 1
                if old is not None:
                    writer.remove(old.id)
                return
            reason = "file holds binary data, not text"
        except DocumentError as exc:
            reason = exc.reason.splitlines()[0] if exc.reason else type(exc).__name__
        except Exception as exc:  # a loader bug must not stop the other files from indexing
            logger.exception("loader crashed on %s", rel)
            reason = f"internal error while reading the file ({type(exc).__name__}); see the log"
        else:
            try:
                writer.document(rel, stat, digest, doc)
            except (sqlite3.IntegrityError, sqlite3.InterfaceError, sqlite3.ProgrammingError, TypeError, ValueError) as exc:
                # The savepoint dropped this document's rows; record it and go on with the others.
                logger.exception("could not store %s", rel)
                reason = f"internal error while storing the document ({type(exc).__name__}); see the log"
            else:
                if old is None or old.status == "error":
                    report.added += 1
                else:
                    report.updated += 1
                note_document(report, rel, doc)
                return
        writer.failure(rel, stat, digest, reason, was_ok=old is None or old.status == "ok")
        report.failed += 1
        report.failures.append((printable(rel), printable(reason)))

    def _fill_totals(self, report: IndexReport) -> None:
        conn = self.store.conn
        row = conn.execute(
            """SELECT count(*), coalesce(sum(section_count), 0), coalesce(sum(kpi_count), 0),
                      coalesce(sum(goal_count), 0),
                      (SELECT coalesce(sum(value), 0) FROM roles, json_each(roles.goals)),
                      (SELECT count(*) FROM documents WHERE status = 'ok'),
                      (SELECT count(*) FROM documents WHERE kind = 'role') FROM roles"""
        ).fetchone()
        (report.roles, report.sections, report.kpis, report.goals, report.goal_items, report.pages,
         report.role_pages) = row
        report.borderline = [(printable(path), note) for path, note in conn.execute(
            "SELECT path, note FROM documents WHERE borderline ORDER BY path")]

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
            if started is None or now() - started < REBUILD_STALE_AFTER:
                return False
            logger.warning("ignoring a 'rebuilding' flag set at %s: that index run seems to have died", value)
        return bool(has_roles)

    def list_roles(self) -> list[RoleSummary]:
        """Every role (never non-role documents), by title then source. Cached per generation."""
        generation = self.generation()
        cached = self._summaries
        if cached and cached[0] == generation:
            return list(cached[1])
        rows = self._read(
            """SELECT id, title, aliases, source_path, link, format, aspects, kpi_count, goals FROM roles
               ORDER BY title COLLATE NOCASE, source_path, position"""
        )
        # orjson: at 10,000 roles the 30,000 small JSON values took the json module 90 ms of warm-up.
        summaries = [
            RoleSummary(
                id=r[0], title=r[1], aliases=orjson.loads(r[2]), source_path=r[3], link=r[4], format=r[5],
                aspects=orjson.loads(r[6]), kpi_count=r[7], goals={int(k): v for k, v in orjson.loads(r[8]).items()},
            )
            for r in rows
        ]
        self._summaries = (generation, summaries)
        return list(summaries)

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
        role = role_from_blob(rows[0][0])
        with self._lock:
            self._roles[key] = role
            while len(self._roles) > self._cache_size:
                self._roles.popitem(last=False)
        return role

    def get_sections(self, role_id: int, paths: Iterable[tuple[int, ...]]) -> dict[tuple[int, ...], Section | None]:
        """The sections of a role at ``paths`` (see :meth:`Role.section_at`; None for a path the role
        lacks), from the cached role when there is one, else built alone from the stored role (never
        cached: what a search answer shows of a role seldom comes back). Raises RoleNotFound.

        The sections may be shared with other callers: read them, never change them.
        """
        with self._lock:
            role = self._roles.get((role_id, self.generation()))
        if role is not None:
            return role.sections_at(paths)
        rows = self._read("SELECT data FROM roles WHERE id = ?", [role_id])
        if not rows:
            raise RoleNotFound(f"no role with id {role_id}")
        return sections_from_blob(rows[0][0], paths)

    def search(self, match: str, limit: int = 20, role_ids: Iterable[int] | None = None) -> list[SearchHit]:
        """Rows matching the FTS5 MATCH expression ``match``, best (lowest bm25 rank) first.

        ``role_ids`` limits the hits to those roles (done inside the FTS query, so it is cheap).
        Raises SearchQueryError for a malformed expression.
        """
        expression = match
        if role_ids is not None:
            keys = [role_key(int(i)) for i in role_ids]
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
        # Counted at write time (roles.index.terms): reading role_fts_vocab would scan the whole FTS index.
        # Stale while a cold run has not finished, or after one died: then the FTS index says it, slowly.
        stale = self._read("SELECT 1 FROM meta WHERE key = ?", [STALE_KEY])
        vocabulary = dict(self._read(VOCABULARY_SCAN if stale else "SELECT term, rows FROM terms"))
        self._vocabulary = (generation, vocabulary)
        return vocabulary

    def documents(self) -> list[DocumentRow]:
        """Every indexed file, by path, including failed and non-role ones."""
        rows = self._read("SELECT path, format, title, kind, status, error FROM documents ORDER BY path")
        return [DocumentRow(*r) for r in rows]

    def _read(self, sql: str, params: Iterable = ()) -> list[tuple]:
        try:
            return self.store.conn.execute(sql, list(params)).fetchall()
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):
                raise IndexNotReady("the role index has not been created yet: run `rolebot index` first") from None
            raise


def _storable(text: str) -> bool:
    # os.walk hands undecodable file names back with surrogate escapes, which SQLite cannot store.
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
