import threading

import pytest

from core.store import Store, open_store


def test_file_store_uses_wal_and_busy_timeout(tmp_path):
    store = open_store(tmp_path / "r.db")
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA busy_timeout").fetchone()[0] == 5000


def test_each_thread_gets_its_own_connection(tmp_path):
    store = open_store(tmp_path / "r.db")
    seen = []
    thread = threading.Thread(target=lambda: seen.append(store.conn))
    thread.start()
    thread.join()
    assert seen[0] is not store.conn


def test_migrations_apply_once_and_in_order(tmp_path):
    store = Store(tmp_path / "r.db")
    order = []
    migrations = [("a", lambda db: order.append("a")), ("b", lambda db: order.append("b"))]
    assert store.migrate(migrations) == ["a", "b"]
    assert store.migrate(migrations) == []
    assert order == ["a", "b"]


def test_a_file_that_is_not_a_database_is_refused_and_left_alone(tmp_path):
    import pytest

    from core.errors import ConfigError

    notes = tmp_path / "notes.txt"
    notes.write_text("x")  # SQLite would take a one-byte file for a new database and overwrite it
    with pytest.raises(ConfigError, match="file is not a database"):
        open_store(notes)
    assert notes.read_text() == "x"


def test_must_exist_refuses_to_create_a_database(tmp_path):
    import pytest

    from core.errors import ConfigError

    with pytest.raises(ConfigError, match="no index at"):
        open_store(tmp_path / "missing.db", must_exist=True)
    assert not (tmp_path / "missing.db").exists()


def _notes(store: Store) -> Store:
    store.conn.execute("CREATE TABLE notes (text TEXT)")
    store.conn.commit()
    return store


def test_execute_autocommit_commits_at_once_and_leaves_no_transaction_open(tmp_path):
    store = _notes(open_store(tmp_path / "r.db"))
    store.execute_autocommit("INSERT INTO notes VALUES (?)", ["first"])
    assert not store.conn.in_transaction  # the write lock is not held after the call
    other = open_store(tmp_path / "r.db")  # another process's view
    seen = []
    thread = threading.Thread(target=lambda: seen.extend(other.conn.execute("SELECT text FROM notes").fetchall()))
    thread.start()
    thread.join()
    assert seen == [("first",)]


def test_execute_autocommit_inside_a_transaction_joins_it_and_leaves_with_conn_atomic(tmp_path):
    store = _notes(open_store(tmp_path / "r.db"))
    with pytest.raises(RuntimeError):
        with store.conn:
            store.conn.execute("INSERT INTO notes VALUES ('a')")
            store.execute_autocommit("INSERT INTO notes VALUES ('b')")
            raise RuntimeError("roll back")
    assert store.conn.execute("SELECT count(*) FROM notes").fetchone() == (0,)
    # Implicit transactions are back after an autocommit statement: a failing block still rolls back.
    store.execute_autocommit("INSERT INTO notes VALUES ('kept')")
    with pytest.raises(RuntimeError):
        with store.conn:
            store.conn.execute("INSERT INTO notes VALUES ('c')")
            raise RuntimeError("roll back")
    assert store.conn.execute("SELECT text FROM notes").fetchall() == [("kept",)]


def test_execute_autocommit_on_postgresql_commits_at_once(pg_store):
    pg_store.execute_autocommit("INSERT INTO replay_guard (signature, expires_at) VALUES (?, ?)", ["v0=x", 1.0])
    replica = pg_store.reopen()
    try:
        assert replica.conn.execute("SELECT signature FROM replay_guard").fetchall() == [("v0=x",)]
    finally:
        replica.close()
