"""The FTS index stays compact while documents change (``roles.index.upkeep``): replaced and removed roles
are counted, and once they add up the index is merged into one segment, with search results unchanged."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import roles.index.upkeep as upkeep
import roles.index.write as write
from core.store import Store, open_store
from roles.index.library import RoleIndex
from roles.index.upkeep import REPLACED_KEY, replaced_since_merge, tidy
from tests.roles.index.test_index import JsonLoader, bump_mtime, make_role, write_doc

SEARCHES = ('"owns outcomes"', "dashboard", "stakeholders OR grafana", '{heading body} : ("weekly review")', "kpi*")


def _fts_bytes(store: Store) -> int:
    return store.conn.execute("SELECT sum(length(block)) FROM role_fts_data").fetchone()[0]


def _write_folder(docs: Path, round_: int, count: int = 40) -> list[Path]:
    return [write_doc(docs, f"team{n % 4}/role{n}.json",
                      make_role(f"Role {n} Engineer", marker=f"edit{round_} word{n}", extra_sections=6))
            for n in range(count)]


def _churned(docs: Path, store: Store, rounds: int = 2) -> RoleIndex:
    """An index whose every document was edited ``rounds`` times after the first run."""
    index = RoleIndex(store, loader=JsonLoader())
    paths = _write_folder(docs, 0)
    index.index_folder(docs)
    for round_ in range(1, rounds + 1):
        _write_folder(docs, round_)
        for path in paths:
            bump_mtime(path)
        index.index_folder(docs)
    return index


def _fresh(docs: Path) -> Store:
    """A cold index of ``docs`` with its FTS index in one segment: the smallest it can be, whatever the
    batch boundaries (a batch also ends after BATCH_SECONDS, so a slow machine writes more segments)."""
    store = open_store(":memory:")
    RoleIndex(store, loader=JsonLoader()).index_folder(docs)
    with store.conn as conn:
        conn.execute("INSERT INTO role_fts (role_fts) VALUES ('optimize')")
    return store


def _hits(index: RoleIndex) -> list[list[tuple]]:
    return [[(hit.role_id, hit.rank, hit.text) for hit in index.search(match, limit=50)] for match in SEARCHES]


def test_edits_of_every_document_leave_an_index_as_compact_as_a_fresh_one(tmp_path, store):
    docs = tmp_path / "docs"
    index = _churned(docs, store)
    fresh = _fresh(docs)
    assert _fts_bytes(store) <= 1.1 * _fts_bytes(fresh)
    assert replaced_since_merge(store.conn) == 0
    assert _hits(index) == _hits(RoleIndex(fresh, loader=JsonLoader()))


def test_without_the_merge_the_same_edits_leave_the_index_far_larger(tmp_path, store, monkeypatch):
    # What the test above guards against: the garbage FTS5 keeps after replaced rows.
    monkeypatch.setattr(write, "tidy", lambda conn: False)
    docs = tmp_path / "docs"
    _churned(docs, store)
    assert _fts_bytes(store) > 1.5 * _fts_bytes(_fresh(docs))
    assert replaced_since_merge(store.conn) == 80


def test_search_results_are_the_same_before_and_after_the_merge(tmp_path, store, monkeypatch):
    monkeypatch.setattr(write, "tidy", lambda conn: False)
    index = _churned(tmp_path / "docs", store)
    before = _hits(index)
    assert all(before)
    assert tidy(store.conn)
    assert _hits(index) == before
    assert replaced_since_merge(store.conn) == 0


def test_a_few_replaced_roles_wait_until_they_reach_the_share(tmp_path, store, monkeypatch):
    monkeypatch.setattr(upkeep, "TIDY_SHARE", 0.05)  # 2 of the 40 roles
    docs = tmp_path / "docs"
    index = RoleIndex(store, loader=JsonLoader())
    paths = _write_folder(docs, 0)
    index.index_folder(docs)
    assert replaced_since_merge(store.conn) == 0  # a cold run replaces nothing
    write_doc(docs, "team0/role0.json", make_role("Role 0 Engineer", marker="changed once"))
    bump_mtime(paths[0])
    index.index_folder(docs)
    assert replaced_since_merge(store.conn) == 1
    write_doc(docs, "team1/role1.json", make_role("Role 1 Engineer", marker="changed once"))
    bump_mtime(paths[1])
    index.index_folder(docs)
    assert replaced_since_merge(store.conn) == 0  # the second one reached the share: merged


def test_removed_and_failed_documents_count_once_each(tmp_path, store, monkeypatch):
    monkeypatch.setattr(upkeep, "TIDY_SHARE", 10.0)  # never merge: only the counting is looked at
    docs = tmp_path / "docs"
    loader = JsonLoader()
    index = RoleIndex(store, loader=loader)
    paths = _write_folder(docs, 0, count=6)
    index.index_folder(docs)
    paths[0].unlink()  # removed
    paths[1].write_text("BAD: truncated", encoding="utf-8")  # fails: its role goes
    # Cannot be stored: its savepoint (with the count taken in it) rolls back, then it is recorded as failed.
    write_doc(docs, "team2/role2.json", make_role("Broken"))
    bump_mtime(paths[2])

    def load(path, root):
        doc = JsonLoader.__call__(loader, path, root)
        if doc.title == "Broken":
            doc.roles[0].sections[2].heading = None
        return doc

    index._loader = load
    report = index.index_folder(docs)
    assert (report.removed, report.failed) == (1, 2)
    assert replaced_since_merge(store.conn) == 3  # 4 if the rolled-back savepoint's count had stayed


def test_a_locked_database_stops_the_merge_with_a_warning_and_the_next_run_finishes_it(tmp_path, caplog, monkeypatch):
    monkeypatch.setattr(write, "tidy", lambda conn: False)
    path = tmp_path / "rolebot.db"
    store = open_store(path)
    index = _churned(tmp_path / "docs", store, rounds=1)
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    conn = sqlite3.connect(path, timeout=0.05)
    with caplog.at_level(logging.WARNING, logger="roles.index.upkeep"):
        assert not tidy(conn)
    assert "could not finish merging the search index" in caplog.text
    assert replaced_since_merge(conn) == 40
    blocker.execute("ROLLBACK")
    assert tidy(conn)
    assert replaced_since_merge(conn) == 0
    assert conn.execute("SELECT 1 FROM meta WHERE key = ?", [REPLACED_KEY]).fetchone() is None
    assert all(_hits(index))
    blocker.close()
    conn.close()
