import threading

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
