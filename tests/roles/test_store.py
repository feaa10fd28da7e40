import threading

from roles.store import Store, open_store


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
