"""The one SQLite database file of rolebot: a connection per thread, WAL mode, a busy timeout, migrations.

Bolt and APScheduler run handlers in thread pools and ``sqlite3`` connections must not cross threads,
so every thread gets its own connection, opened lazily and configured the same way.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from roles.errors import ConfigError

logger = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000
#: The first bytes of every SQLite 3 database file.
SQLITE_HEADER = b"SQLite format 3\x00"

#: A migration: a unique, ordered name and a function that changes the schema.
Migration = tuple[str, Callable[[sqlite_utils.Database], None]]


class Store:
    """Hands out one configured ``sqlite_utils.Database`` per thread for a single database file.

    ``Store(":memory:")`` is an in-memory database for single-threaded unit tests: every thread gets
    the same connection there, so use a file in tests that exercise several threads.
    """

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

    def _connect(self) -> sqlite3.Connection:
        if self._memory:
            conn = sqlite3.connect(":memory:", check_same_thread=False)
        else:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000)
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
            db = sqlite_utils.Database(self._connect())
            self._local.db = db
        return db

    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's raw ``sqlite3`` connection."""
        return self.db.conn

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

    def close(self) -> None:
        """Close this thread's connection (others close when their threads end)."""
        db = getattr(self._local, "db", None)
        if db is not None:
            db.conn.close()
            self._local.db = None


def all_migrations() -> list[Migration]:
    """Every migration of every package, in the order they must run."""
    from jobs.schema import MIGRATIONS as JOB_MIGRATIONS
    from roles.conversation import MIGRATIONS as CONVERSATION_MIGRATIONS
    from roles.schema import MIGRATIONS as ROLE_MIGRATIONS

    return [*ROLE_MIGRATIONS, *JOB_MIGRATIONS, *CONVERSATION_MIGRATIONS]


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
