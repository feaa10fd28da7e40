"""Replay guards: each verified signature is accepted once within its window, in memory, in a table the
processes of ``serve --workers`` share, or in the database."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from bot.replay import DatabaseReplayGuard, MemoryReplayGuard, SharedReplayGuard
from core.store import open_store


class Clock:
    def __init__(self, now: float = 1000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_memory_guard_accepts_once_and_forgets_after_expiry():
    clock = Clock()
    guard = MemoryReplayGuard(clock=clock)
    assert guard.first_time("v0=a", expires_at=1300) is True
    assert guard.first_time("v0=a", expires_at=1300) is False
    clock.now = 1301
    assert guard.first_time("v0=b", expires_at=1601) is True
    assert len(guard) == 1  # "v0=a" expired and was dropped


def test_memory_guard_is_bounded(caplog):
    guard = MemoryReplayGuard(size=3, clock=Clock())
    for n in range(5):
        assert guard.first_time(f"v0={n}", expires_at=1300)
    assert len(guard) == 3
    assert "replay guard full" in caplog.text


@pytest.mark.parametrize("make", [MemoryReplayGuard, SharedReplayGuard.create], ids=["memory", "shared"])
def test_one_thread_of_many_wins(make):
    guard = make(clock=Clock())
    results: list[bool] = []
    barrier = threading.Barrier(8)

    def race() -> None:
        barrier.wait()
        results.append(guard.first_time("v0=same", expires_at=1300))

    threads = [threading.Thread(target=race) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if isinstance(guard, SharedReplayGuard):
        guard.close()
    assert sorted(results) == [False] * 7 + [True]


def test_database_guard_is_shared_by_every_store_on_the_database(tmp_path):
    path = tmp_path / "shared.db"
    first, second = DatabaseReplayGuard(open_store(path), clock=Clock()), DatabaseReplayGuard(open_store(path), clock=Clock())
    assert first.first_time("v0=x", expires_at=1300) is True
    assert second.first_time("v0=x", expires_at=1300) is False  # another process saw it first
    assert second.first_time("v0=y", expires_at=1300) is True


def test_database_guard_purges_expired_rows(tmp_path, monkeypatch):
    import bot.replay

    monkeypatch.setattr(bot.replay, "PURGE_EVERY", 2)
    store = open_store(tmp_path / "purge.db")
    clock = Clock()
    guard = DatabaseReplayGuard(store, clock=clock)
    guard.first_time("v0=old", expires_at=1100)
    clock.now = 2000
    guard.first_time("v0=new", expires_at=2300)  # the second acceptance purges
    assert [r[0] for r in store.conn.execute("SELECT signature FROM replay_guard")] == ["v0=new"]


def test_database_guard_on_postgresql_is_shared_by_replicas(pg_store):
    replica = pg_store.reopen()
    try:
        assert DatabaseReplayGuard(pg_store, clock=Clock()).first_time("v0=pg", expires_at=1300) is True
        assert DatabaseReplayGuard(replica, clock=Clock()).first_time("v0=pg", expires_at=1300) is False
    finally:
        replica.close()


def test_postgresql_health_names_an_unreachable_server(pg_store, monkeypatch):
    import core.store_pg

    assert pg_store.problem() is None
    gone = core.store_pg.PostgresStore("postgresql://rolebot@127.0.0.1:1/none")
    monkeypatch.setattr(core.store_pg, "POOL_TIMEOUT", 0.2)
    try:
        assert "PostgreSQL is unreachable" in gone.problem()
    finally:
        gone.close()


class _Small(SharedReplayGuard):
    SLOTS = 8
    PROBES = 4


def test_shared_guard_accepts_once_and_forgets_after_expiry():
    clock = Clock()
    guard = SharedReplayGuard.create(clock=clock)
    try:
        assert guard.first_time("v0=a", expires_at=1300) is True
        assert guard.first_time("v0=a", expires_at=1300) is False
        assert guard.first_time("v0=b", expires_at=1300) is True
        clock.now = 1301
        assert guard.first_time("v0=a", expires_at=1601) is True  # expired: its slot was free again
    finally:
        guard.close()


def test_shared_guard_is_one_table_for_every_process_that_maps_it():
    guard = SharedReplayGuard.create(clock=Clock())
    script = (
        "import sys; from bot.replay import SharedReplayGuard\n"
        "guard = SharedReplayGuard.attach(int(sys.argv[1]), clock=lambda: 1000.0)\n"
        "print(guard.first_time('v0=parent', 1300), guard.first_time('v0=child', 1300))\n"
    )
    try:
        assert guard.first_time("v0=parent", expires_at=1300) is True
        child = subprocess.run([sys.executable, "-c", script, str(guard.fileno())], pass_fds=(guard.fileno(),),
                               capture_output=True, text=True, check=True, cwd=Path(__file__).resolve().parents[2])
        assert child.stdout.split() == ["False", "True"]  # the parent's is a replay there; the child's is new
        assert guard.first_time("v0=child", expires_at=1300) is False  # and the child's is one here
    finally:
        guard.close()


def test_shared_guard_full_forgets_what_expires_first(caplog):
    guard = _Small.create(clock=Clock())
    try:
        signatures = [f"v0={n}" for n in range(40)]
        assert all(guard.first_time(s, expires_at=1300 + n) for n, s in enumerate(signatures))
        # Every one accepted once; a table of 8 cannot hold 40, so the earliest expiring were forgotten.
        assert "replay guard full" in caplog.text
        assert guard.first_time(signatures[-1], expires_at=1339) is False  # the newest is still held
    finally:
        guard.close()
