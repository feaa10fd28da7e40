"""Fixtures shared by every test package."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core.store import Store, open_store

SHARED_DOCS = Path(__file__).resolve().parents[1].parent / "shared" / "role-docs"


@pytest.fixture(autouse=True)
def _root_logging_restored() -> Iterator[None]:
    """Put the root logger back after each test. Tests that run the CLI in-process (``main([...])``)
    install its stderr handler, which holds that test's captured stderr: once pytest closes it, a log
    line from a later test's background thread printed "--- Logging error ---" tracebacks into CI."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture
def store() -> Store:
    """A migrated in-memory database (single-threaded tests)."""
    return open_store(":memory:")


@pytest.fixture
def file_store(tmp_path: Path) -> Store:
    """A migrated database in a temporary file (tests that use several threads)."""
    return open_store(tmp_path / "rolebot.db")


@pytest.fixture
def shared_docs() -> Path:
    """The real role documents in ../shared/role-docs (skip if the folder is not beside the project)."""
    if not SHARED_DOCS.is_dir():
        pytest.skip("../shared/role-docs is not beside the project")
    return SHARED_DOCS


#: How many tests ran their PostgreSQL variant (printed at the end of the run; .ci/run reads it).
POSTGRES_TESTS_RUN = []


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL server for the session (see tests/postgres.py); skipped where none can run."""
    from tests import postgres

    if os.environ.get(postgres.URL_ENV):
        yield os.environ[postgres.URL_ENV]
        return
    bin_dir = postgres.binaries()
    if bin_dir is None:
        if os.environ.get("ROLEBOT_REQUIRE_POSTGRES"):
            pytest.fail("ROLEBOT_REQUIRE_POSTGRES is set but no PostgreSQL server binaries (initdb) were found")
        pytest.skip("PostgreSQL variant: no server binaries (initdb) on this machine")
    with postgres.private_server(bin_dir) as url:
        yield url


@pytest.fixture(scope="session")
def _pg_session_store(postgres_url: str) -> Iterator[Any]:
    """One migrated schema and pool for the session: a schema and a pool per test cost ~0.1 s each."""
    from core.migrations import state_migrations
    from core.store_pg import PostgresStore
    from tests import postgres

    class SessionStore(PostgresStore):
        def close(self) -> None:
            """Kept open for the next test (tests close their store to mimic a process exit)."""

    schema, options = postgres.schema_options(postgres_url)
    store = SessionStore(postgres_url, options=options, max_size=8)
    store.migrate(state_migrations())
    yield store
    PostgresStore.close(store)
    postgres.drop_schema(postgres_url, schema)


@pytest.fixture
def pg_store(_pg_session_store: Any, request: pytest.FixtureRequest) -> Any:
    """A migrated PostgreSQL state store, emptied for this test."""
    conn = _pg_session_store.conn
    tables = [row[0] for row in conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename != 'schema_migrations'")]
    conn.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
    POSTGRES_TESTS_RUN.append(request.node.nodeid)
    return _pg_session_store


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if POSTGRES_TESTS_RUN:
        terminalreporter.write_line(f"PostgreSQL variant: {len(POSTGRES_TESTS_RUN)} tests ran against a real server")
