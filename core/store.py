"""The one SQLite database file of rolebot: a connection per thread, WAL mode, a busy timeout, migrations.

Bolt and APScheduler run handlers in thread pools and ``sqlite3`` connections must not cross threads,
so every thread gets its own connection, opened lazily and configured the same way.
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from core.errors import ConfigError, StorageError
from core.migrations import Migration, all_migrations

logger = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000
#: The first bytes of every SQLite 3 database file.
SQLITE_HEADER = b"SQLite format 3\x00"

#: Statements that change the database: checked against the file's identity before they run.
_WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER)\b", re.IGNORECASE)
#: SQLite's messages for a database that cannot take a write (its other errors are bugs or contention).
_STORAGE_FAULTS = ("disk is full", "readonly database", "disk I/O error", "unable to open database")
#: What the user reads when a write failed for one of those reasons.
NOT_SAVED = "Could not save: the database is unavailable ({problem}), so nothing was changed. Please tell your admin."


class CheckedConnection(sqlite3.Connection):
    """A connection whose writes fail loudly with :class:`StorageError` when the file cannot hold them.

    SQLite keeps writing to a database file that was deleted or replaced under it (the open descriptor
    still points at the old inode), so every write would "succeed" and be lost; a write statement first
    asks the store whether its file is still the one it opened. Storage faults SQLite does report (a
    full disk, a read-only file) become the same StorageError, with one ERROR log line.
    """

    #: Set by the Store: returns a one-line problem, or None when the file is fine.
    problem: Callable[[], str | None] | None = None

    def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:
        if self.problem is not None and _WRITE.match(sql):
            _raise_if(self.problem())
        try:
            return super().execute(sql, parameters)
        except sqlite3.OperationalError as exc:
            raise _storage_error(exc) from exc

    def executemany(self, sql: str, parameters: Any, /) -> sqlite3.Cursor:
        if self.problem is not None:
            _raise_if(self.problem())
        try:
            return super().executemany(sql, parameters)
        except sqlite3.OperationalError as exc:
            raise _storage_error(exc) from exc

    def commit(self) -> None:
        try:
            super().commit()
        except sqlite3.OperationalError as exc:
            raise _storage_error(exc) from exc

    def __exit__(self, kind: Any, value: Any, traceback: Any) -> Any:
        try:
            return super().__exit__(kind, value, traceback)
        except sqlite3.OperationalError as exc:
            raise _storage_error(exc) from exc


def _raise_if(problem: str | None) -> None:
    if problem:
        logger.error("database write refused: %s", problem)
        raise StorageError(NOT_SAVED.format(problem=problem), problem)


def _storage_error(exc: sqlite3.OperationalError) -> Exception:
    """StorageError for a fault of the storage (logged once here), else the original error."""
    text = str(exc)
    if not any(fault in text for fault in _STORAGE_FAULTS):
        return exc
    logger.error("database write failed: %s", text)
    return StorageError(NOT_SAVED.format(problem=text), text)


class SqliteDialect:
    """SQL fragments that differ between backends (see ``core.store_pg.PostgresDialect``)."""

    name = "sqlite"
    #: Locking clause of a SELECT that picks rows to claim: SQLite serialises writers, nothing to add.
    skip_locked = ""


class Store:
    """Hands out one configured ``sqlite_utils.Database`` per thread for a single database file.

    ``Store(":memory:")`` is an in-memory database for single-threaded unit tests: every thread gets
    the same connection there, so use a file in tests that exercise several threads.
    """

    dialect = SqliteDialect()

    def __init__(self, path: str | Path):
        self.path = str(path)
        self._local = threading.local()
        self._memory = self.path == ":memory:"
        self._shared: sqlite_utils.Database | None = None
        if self._memory:
            self._shared = sqlite_utils.Database(self._connect())
        else:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            # enable_wal must run outside a transaction, once per file: do it on the first connection.
            self.db.enable_wal()
        self._identity = self._file_identity()

    def _file_identity(self) -> tuple[int, int] | None:
        if self._memory:
            return None
        stat = os.stat(self.path)
        return stat.st_dev, stat.st_ino

    def problem(self) -> str | None:
        """Why the database cannot take a write now (deleted, replaced, read-only), or None."""
        if self._memory:
            return None
        try:
            identity = self._file_identity()
        except FileNotFoundError:
            return f"the database file {self.path} was deleted while rolebot was running"
        except OSError as exc:
            return f"the database file {self.path} cannot be read: {exc.strerror or exc}"
        if identity != self._identity:
            return f"the database file {self.path} was replaced while rolebot was running"
        if not os.access(self.path, os.W_OK) or os.statvfs(self.path).f_flag & os.ST_RDONLY:
            return f"the database file {self.path} is read-only"
        return None

    def _connect(self) -> sqlite3.Connection:
        if self._memory:
            conn = sqlite3.connect(":memory:", check_same_thread=False, factory=CheckedConnection)
        else:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, factory=CheckedConnection)
            # Set after the constructor ran: the identity is taken once the first connection made the file.
            conn.problem = self.problem
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = NORMAL")
        return conn

    @property
    def db(self) -> sqlite_utils.Database:
        """This thread's database handle, opened on first use."""
        if self._shared is not None:
            return self._shared
        db = getattr(self._local, "db", None)
        if db is None:
            if getattr(self, "_identity", None) is not None:
                # sqlite3.connect would create an empty file where the deleted one was.
                _raise_if(self.problem())
            db = sqlite_utils.Database(self._connect())
            self._local.db = db
        return db

    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's raw ``sqlite3`` connection."""
        return self.db.conn

    def execute_autocommit(self, sql: str, parameters: Any = ()) -> sqlite3.Cursor:
        """Run one write statement as a transaction of its own, inside one call into SQLite.

        Python's ``sqlite3`` opens a transaction before a write and commits it in a second call, and
        between the two the thread may wait for the GIL (milliseconds, when other threads answer
        questions) while it holds the database's one write lock; every other process's writer then
        sleeps in SQLite's busy handler, in steps of up to 100 ms. Statements on the request path
        (the replay guard, the follow-up memory) go through here instead. Inside a transaction the
        statement simply joins it.
        """
        conn = self.conn
        if conn.in_transaction:
            return conn.execute(sql, parameters)
        implicit = conn.isolation_level
        conn.isolation_level = None  # autocommit: BEGIN, the statement and COMMIT in one step
        try:
            return conn.execute(sql, parameters)
        finally:
            conn.isolation_level = implicit  # back to implicit transactions for ``with conn:``

    def migrate(self, migrations: Iterable[Migration]) -> list[str]:
        """Apply the migrations not applied yet, in order, each in its own transaction.

        Returns the names applied now.
        """
        db = self.db
        db.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
        )
        done = {row[0] for row in db.execute("SELECT name FROM schema_migrations").fetchall()}
        applied = []
        for name, change in migrations:
            if name in done:
                continue
            with db.conn:
                change(db)
                db.execute(
                    "INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)",
                    [name, datetime.now(UTC).isoformat()],
                )
            logger.info("applied migration %s", name)
            applied.append(name)
        return applied

    def reopen(self) -> Store:
        """Another store on the same file (what a second process would open)."""
        return Store(self.path)

    def close(self) -> None:
        """Close this thread's connection (others close when their threads end)."""
        db = getattr(self._local, "db", None)
        if db is not None:
            db.conn.close()
            self._local.db = None


def check_database_file(path: str | Path, must_exist: bool = False) -> None:
    """Refuse a file that is not a SQLite database before SQLite opens it.

    SQLite takes an empty or one-byte file for a new database and writes its schema over it, so a
    mistyped ``--db notes.txt`` would destroy someone's file; and commands that only read (``roles``,
    ``ask``, ``nudges``) must never create an empty database. Raises ConfigError naming the file.
    """
    path = Path(path)
    head = b""
    if path.is_file():
        try:
            with path.open("rb") as file:
                head = file.read(len(SQLITE_HEADER))
        except OSError as exc:
            raise ConfigError(f"cannot use the database {path}: {exc.strerror or exc}") from None
    if head and head != SQLITE_HEADER:
        raise ConfigError(f"cannot use the database {path}: file is not a database")
    if must_exist and not head:
        raise ConfigError(f"no index at {path}: run `rolebot index --docs DIR --db {path}` first")


def open_store(path: str | Path, must_exist: bool = False) -> Store:
    """Open the database at ``path`` (creating it unless ``must_exist``) and bring its schema up to date.

    Raises ConfigError, naming the file, for a file that is not a database or cannot be opened.
    """
    if str(path) != ":memory:":
        check_database_file(path, must_exist)
    try:
        store = Store(path)
        store.migrate(all_migrations())
    except sqlite3.DatabaseError as exc:
        raise ConfigError(f"cannot use the database {path}: {exc}") from None
    return store
