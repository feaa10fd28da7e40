"""RoleIndex: writing a folder into SQLite, reading roles back, full-text search, concurrency.

The documents here are JSON dumps of ``roles.model`` objects read by a small loader defined below, so that
these tests exercise the index alone; tests/roles/test_index_shared.py runs the real loaders.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine

from core.errors import ConfigError, IndexNotReady, MalformedDocument, RoleNotFound, SearchQueryError
from core.store import Store
from roles.index.codec import role_to_dict, role_to_json
from roles.index.library import RoleIndex
from roles.index.write import RebuildingFlag
from roles.model import Goal, Item, Kpi, LoadedDocument, Role, Section, Source


def make_role(title: str, path: str = "x.json", *, marker: str = "", extra_sections: int = 0) -> Role:
    """A role that uses every part of the model: nested sections, labelled items, table fields, KPIs, goals."""
    return Role(
        title=title,
        source=Source(path=path, format="json-test", link=f"https://example.test/{title.replace(' ', '-')}"),
        aliases=[f"{title[:3].upper()}", "L4"],
        sections=[
            Section(aspect="summary", heading="Role summary", text=f"The {title} owns outcomes. {marker}".strip()),
            Section(
                aspect="responsibilities",
                heading="Core responsibilities",
                text="",
                items=[
                    Item(text="Managing stakeholders across teams", label="Stakeholders"),
                    Item(text="Run the weekly review", children=["agenda", "notes"]),
                ],
                subsections=[
                    Section(
                        aspect="day-to-day",
                        heading="Daily rhythm",
                        items=[Item(text="Check the dashboard", fields={"When": "9:00", "Tool": "Grafana"})],
                    )
                ],
            ),
            Section(
                aspect="kpis",
                heading="KPIs",
                kpis=[
                    Kpi(name="Release résumé quality", measures="defects", why="trust", target="< 2", frequency="Monthly", type="Quality"),
                    Kpi(name="Cycle time median 12 days Weekly", structured=False),
                ],
            ),
            Section(
                aspect="goals",
                heading="30/60/90-day plan",
                goals=[
                    Goal(horizon_days=30, heading="First 30 days", items=["Meet the team", "Learn the codebase"],
                         success_indicators=["Knows every owner"]),
                    Goal(horizon_days=60, heading="60 days", items=["Ship a fix"]),
                    Goal(horizon_days=90, heading="90 days", items=["Lead a project", "Write a roadmap", "Hire"]),
                ],
            ),
            *[Section(aspect="other", heading=f"Extra {n}", text=f"filler {n}") for n in range(extra_sections)],
        ],
    )


def write_doc(folder: Path, rel: str, *roles: Role, title: str = "", text: str = "") -> Path:
    """A test document: the JSON of a LoadedDocument (no roles = a non-role document)."""
    path = folder / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = {"title": title or (roles[0].title if roles else rel), "text": text, "roles": [asdict(r) for r in roles]}
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


class JsonLoader:
    """Reads the files of :func:`write_doc`; 'BAD: reason' files raise MalformedDocument. Counts calls."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.during: list = []  # callbacks run while loading, to observe the index mid-run

    def __call__(self, path: Path, root: Path) -> LoadedDocument:
        from roles.index.codec import role_from_json

        rel = path.relative_to(root).as_posix()
        self.calls.append(rel)
        for callback in self.during:
            callback()
        text = path.read_text(encoding="utf-8")
        if text.startswith("BAD:"):
            raise MalformedDocument(text[4:].strip())
        if text.startswith("CRASH"):
            raise RuntimeError("loader bug")
        data = json.loads(text)
        roles = [role_from_json(json.dumps(r)) for r in data["roles"]]
        for role in roles:
            role.source.path = rel
        return LoadedDocument(path=rel, format="json-test", title=data["title"], roles=roles, text=data["text"])


@pytest.fixture
def loader() -> JsonLoader:
    return JsonLoader()


@pytest.fixture
def index(store: Store, loader: JsonLoader) -> RoleIndex:
    return RoleIndex(store, loader=loader)


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    return folder


def bump_mtime(path: Path) -> None:
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))


# ---------------------------------------------------------------------------- writing


def test_first_run_adds_every_document_and_counts_content(index, docs):
    write_doc(docs, "a.json", make_role("Product Manager"))
    write_doc(docs, "team/b.json", make_role("Data Engineer"))
    report = index.index_folder(docs)
    assert (report.documents_seen, report.added, report.updated, report.unchanged, report.failed) == (2, 2, 0, 0, 0)
    assert report.roles == 2
    assert report.sections == 2 * 5  # four top-level sections plus one sub-section each
    assert report.kpis == 4
    assert report.goals == 6
    assert report.goal_items == 12
    assert sorted(r.source_path for r in index.list_roles()) == ["a.json", "team/b.json"]


def test_unchanged_files_are_skipped_without_loading(index, docs, loader):
    write_doc(docs, "a.json", make_role("Product Manager"))
    index.index_folder(docs)
    generation = index.generation()
    loader.calls.clear()
    report = index.index_folder(docs)
    assert (report.unchanged, report.added, report.updated) == (1, 0, 0)
    assert loader.calls == []
    assert index.generation() == generation


def test_touched_but_identical_file_is_hashed_not_reloaded(index, docs, loader):
    path = write_doc(docs, "a.json", make_role("Product Manager"))
    index.index_folder(docs)
    bump_mtime(path)
    loader.calls.clear()
    assert index.index_folder(docs).unchanged == 1
    assert loader.calls == []
    # The new mtime was recorded, so the next run takes the size+mtime fast path again.
    row = index.store.conn.execute("SELECT mtime_ns FROM documents WHERE path = 'a.json'").fetchone()
    assert row[0] == path.stat().st_mtime_ns


def test_changed_file_is_updated_and_keeps_its_role_id(index, docs):
    path = write_doc(docs, "a.json", make_role("Product Manager"))
    index.index_folder(docs)
    [before] = index.list_roles()
    generation = index.generation()
    write_doc(docs, "a.json", make_role("Product Manager", marker="Now with more scope."))
    bump_mtime(path)
    report = index.index_folder(docs)
    assert (report.updated, report.unchanged) == (1, 0)
    [after] = index.list_roles()
    assert after.id == before.id
    assert index.generation() > generation
    assert index.get_role(after.id).sections[0].text.endswith("Now with more scope.")
    assert [h.role_id for h in index.search("scope")] == [after.id]


def test_deleted_file_is_removed_with_its_roles_and_search_rows(index, docs):
    write_doc(docs, "a.json", make_role("Product Manager"))
    path = write_doc(docs, "b.json", make_role("Data Engineer"))
    index.index_folder(docs)
    path.unlink()
    report = index.index_folder(docs)
    assert report.removed == 1
    assert [r.title for r in index.list_roles()] == ["Product Manager"]
    assert {h.title for h in index.search("stakeholders")} == {"Product Manager"}
    conn = index.store.conn
    for table in ("search_entries", "search_rows"):
        orphans = conn.execute(f"SELECT count(*) FROM {table} WHERE role_id NOT IN (SELECT id FROM roles)").fetchone()[0]
        assert orphans == 0, table
    assert conn.execute("INSERT INTO role_fts (role_fts) VALUES ('integrity-check')").rowcount != 0


def test_failed_file_is_reported_the_rest_indexed_and_it_is_retried(index, docs, loader):
    write_doc(docs, "good.json", make_role("Product Manager"))
    bad = docs / "bad.json"
    bad.write_text("BAD: truncated JSON at line 3\nmore detail", encoding="utf-8")
    report = index.index_folder(docs)
    assert report.failures == [("bad.json", "truncated JSON at line 3")]
    assert (report.added, report.failed, report.roles) == (1, 1, 1)
    [row] = [d for d in index.documents() if d.path == "bad.json"]
    assert (row.status, row.kind, row.error) == ("error", "error", "truncated JSON at line 3")

    loader.calls.clear()
    again = index.index_folder(docs)
    assert loader.calls == ["bad.json"]
    assert (again.failed, again.unchanged) == (1, 1)

    write_doc(docs, "bad.json", make_role("Data Engineer"))
    fixed = index.index_folder(docs)
    assert (fixed.added, fixed.failed, fixed.failures) == (1, 0, [])
    assert sorted(r.title for r in index.list_roles()) == ["Data Engineer", "Product Manager"]


def test_a_file_that_turns_bad_loses_its_old_roles(index, docs):
    path = write_doc(docs, "a.json", make_role("Product Manager"))
    index.index_folder(docs)
    path.write_text("BAD: now empty", encoding="utf-8")
    bump_mtime(path)
    report = index.index_folder(docs)
    assert report.failures == [("a.json", "now empty")]
    assert index.list_roles() == []


def test_a_role_id_is_never_given_to_another_role(index, docs):
    # Slack select options and journeys hold role ids: a deleted role's id must not name a new role.
    write_doc(docs, "a.json", make_role("Product Manager"))
    b = write_doc(docs, "b.json", make_role("Data Engineer"))
    index.index_folder(docs)
    gone = {r.title: r.id for r in index.list_roles()}["Data Engineer"]
    b.unlink()
    index.index_folder(docs)
    write_doc(docs, "c.json", make_role("Designer"))
    index.index_folder(docs)
    assert {r.title: r.id for r in index.list_roles()}["Designer"] != gone
    with pytest.raises(RoleNotFound):
        index.get_role(gone)


def test_a_file_broken_or_not_a_role_for_a_while_gets_its_role_ids_back(index, docs):
    # Chosen behaviour: while a file is broken (or not a role) its roles are not listed, but once it is
    # fixed the same roles come back under the same ids, so links and open forms still point at them.
    path = write_doc(docs, "a.json", make_role("Product Manager"), make_role("Senior Product Manager"))
    write_doc(docs, "b.json", make_role("Data Engineer"))
    index.index_folder(docs)
    before = {r.title: r.id for r in index.list_roles()}
    for interlude in ("BAD: half-saved", json.dumps({"title": "Notes", "text": "not a role", "roles": []})):
        path.write_text(interlude, encoding="utf-8")
        bump_mtime(path)
        index.index_folder(docs)
        assert [r.title for r in index.list_roles()] == ["Data Engineer"]
        write_doc(docs, "a.json", make_role("Product Manager"), make_role("Senior Product Manager"))
        bump_mtime(path)
        index.index_folder(docs)
        assert {r.title: r.id for r in index.list_roles()} == before
    conn = index.store.conn
    assert conn.execute("SELECT count(*) FROM search_rows").fetchone()[0] == \
        conn.execute("SELECT count(*) FROM role_fts").fetchone()[0]
    conn.execute("INSERT INTO role_fts (role_fts, rank) VALUES ('integrity-check', 1)")  # raises if out of sync


def test_stable_role_id_migration_on_an_index_built_before_it(tmp_path):
    from core.migrations.index import MIGRATIONS

    store = Store(tmp_path / "old.db")
    store.migrate(MIGRATIONS[:1])
    with store.conn as conn:
        conn.execute("""INSERT INTO documents (id, path, size, mtime_ns, hash, kind, status, indexed_at)
                        VALUES (1, 'a.md', 1, 1, 'h', 'role', 'ok', 'now')""")
        conn.executemany("INSERT INTO roles (id, document_id, position, title, source_path, format, data) "
                         "VALUES (?, 1, ?, 'R', 'a.md', 'markdown', '{}')", [(7, 1), (3, 0)])
    store.migrate(MIGRATIONS)
    conn = store.conn
    assert conn.execute("SELECT value FROM meta WHERE key = 'last_role_id'").fetchone()[0] == "7"
    assert json.loads(conn.execute("SELECT role_ids FROM documents").fetchone()[0]) == [3, 7]
    store.close()


def test_a_file_deleted_during_the_run_is_removed_and_the_others_indexed(index, docs, loader):
    a = write_doc(docs, "a.json", make_role("Product Manager"))
    b = write_doc(docs, "b.json", make_role("Data Engineer"))
    c = write_doc(docs, "c.json", make_role("Designer"))
    index.index_folder(docs)
    for path, title in ((a, "Product Manager"), (b, "Data Engineer"), (c, "Designer")):
        write_doc(docs, path.name, make_role(title, marker="Edited."))
        bump_mtime(path)
    loader.during.append(lambda: b.unlink(missing_ok=True))  # gone after the folder was listed
    report = index.index_folder(docs)
    assert (report.updated, report.removed, report.failed) == (2, 1, 0)
    assert [r.title for r in index.list_roles()] == ["Designer", "Product Manager"]


def test_a_crashing_loader_is_recorded_not_raised(index, docs):
    write_doc(docs, "good.json", make_role("Product Manager"))
    (docs / "crash.json").write_text("CRASH", encoding="utf-8")
    report = index.index_folder(docs)
    assert [path for path, _ in report.failures] == ["crash.json"]
    assert "internal error" in report.failures[0][1]
    assert report.roles == 1
    assert index.is_ready()


def test_a_document_that_cannot_be_stored_leaves_no_rows_and_the_batch_goes_on(index, docs, loader):
    write_doc(docs, "a.json", make_role("Product Manager"))
    write_doc(docs, "b.json", make_role("Broken"))
    write_doc(docs, "c.json", make_role("Data Engineer"))

    def load(path, root):
        doc = JsonLoader.__call__(loader, path, root)
        if doc.title == "Broken":
            doc.roles[0].sections[2].heading = None  # violates NOT NULL half-way through the role
        return doc

    index._loader = load
    report = index.index_folder(docs)
    assert [path for path, _ in report.failures] == ["b.json"]
    assert "internal error while storing" in report.failures[0][1]
    assert [r.title for r in index.list_roles()] == ["Data Engineer", "Product Manager"]
    conn = index.store.conn
    assert conn.execute("SELECT count(*) FROM search_entries WHERE role_id NOT IN (SELECT id FROM roles)").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM search_rows WHERE title = 'Broken'").fetchone()[0] == 0


def test_an_interrupted_run_leaves_no_flag_and_no_partial_rows_and_the_next_run_finishes(index, docs, loader):
    write_doc(docs, "a.json", make_role("Product Manager"))
    index.index_folder(docs)
    for name in ("b", "c", "d"):
        write_doc(docs, f"{name}.json", make_role(f"Role {name}"))

    def interrupt():
        if len(loader.calls) == 3:
            raise KeyboardInterrupt

    loader.during.append(interrupt)
    with pytest.raises(KeyboardInterrupt):
        index.index_folder(docs)
    assert not index.store.conn.in_transaction
    assert index.is_ready()  # the run's flag is gone
    conn = index.store.conn
    assert conn.execute("SELECT count(*) FROM search_entries WHERE role_id NOT IN (SELECT id FROM roles)").fetchone()[0] == 0
    loader.during.clear()
    report = index.index_folder(docs)
    assert report.roles == 4
    assert not index.store.conn.in_transaction


def test_hidden_files_and_folders_are_skipped_and_subfolders_walked(index, docs, loader):
    write_doc(docs, ".draft.json", make_role("Hidden"))
    write_doc(docs, ".git/x.json", make_role("Hidden too"))
    write_doc(docs, "deep/er/a.json", make_role("Product Manager"))
    index.index_folder(docs)
    assert loader.calls == ["deep/er/a.json"]


def test_symlinked_folders_are_walked_once_and_a_link_loop_ends(index, docs, tmp_path):
    elsewhere = tmp_path / "team-checkout"
    write_doc(elsewhere, "pm.json", make_role("Product Manager"))
    write_doc(docs, "own.json", make_role("Data Engineer"))
    (docs / "team").symlink_to(elsewhere)
    (docs / "sub").mkdir()
    (docs / "sub" / "loop").symlink_to(docs)
    report = index.index_folder(docs)
    assert sorted(d.path for d in index.documents()) == ["own.json", "team/pm.json"]
    assert (report.documents_seen, report.failed) == (2, 0)


def test_database_inside_the_docs_folder_is_not_indexed(docs, loader):
    store = Store(docs / "rolebot.db")
    from core.migrations import all_migrations

    store.migrate(all_migrations())
    write_doc(docs, "a.json", make_role("Product Manager"))
    RoleIndex(store, loader=loader).index_folder(docs)
    assert loader.calls == ["a.json"]


def test_missing_folder_is_a_config_error(index, tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        index.index_folder(tmp_path / "nope")


def test_file_store_runs_in_wal_mode_after_indexing(file_store, docs, loader):
    write_doc(docs, "a.json", make_role("Product Manager"))
    RoleIndex(file_store, loader=loader).index_folder(docs)
    other = sqlite3.connect(file_store.path)
    assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert other.execute("SELECT count(*) FROM roles").fetchone()[0] == 1


# ---------------------------------------------------------------------------- reading


def test_get_role_round_trips_exactly_through_the_compressed_json(index, docs):
    first = make_role("Product Manager", path="a.json")
    second = make_role("Product Manager Two", path="a.json", extra_sections=2)
    write_doc(docs, "a.json", first, second)
    index.index_folder(docs)
    ids = {r.title: r.id for r in index.list_roles()}
    for role in (first, second):
        assert index.get_role(ids[role.title]) == role
    stored = index.store.conn.execute("SELECT data FROM roles WHERE id = ?", [ids[second.title]]).fetchone()[0]
    assert isinstance(stored, bytes) and len(stored) < len(role_to_json(second))


def test_sections_by_path_are_those_of_the_role_whether_it_is_cached_or_not(store, loader, docs):
    role = make_role("Product Manager", path="a.json", extra_sections=2)
    write_doc(docs, "a.json", role)
    RoleIndex(store, loader=loader).index_folder(docs)
    paths = [(1,), (1, 0), (2,), (4,), (9,), (1, 5)]
    expected = {path: role.section_at(path) for path in paths}
    assert expected[(1, 0)].heading == "Daily rhythm" and expected[(9,)] is None
    fresh = RoleIndex(store, loader=loader)
    role_id = fresh.list_roles()[0].id
    assert fresh.get_sections(role_id, paths) == expected  # built alone from the stored role
    assert not fresh._roles  # and not cached
    whole = fresh.get_role(role_id)
    cached = fresh.get_sections(role_id, paths)
    assert cached == expected and cached[(1, 0)] is whole.sections[1].subsections[0]  # from the cached role
    with pytest.raises(RoleNotFound):
        fresh.get_sections(role_id + 1000, paths)


def test_role_json_mirrors_every_field_of_the_model():
    role = make_role("Product Manager", extra_sections=1)
    assert role_to_dict(role) == asdict(role)  # fails when the model gains a field the codec forgets


def test_get_role_is_cached_per_generation(index, docs):
    path = write_doc(docs, "a.json", make_role("Product Manager"))
    index.index_folder(docs)
    [summary] = index.list_roles()
    assert index.list_roles()[0] is summary
    assert index.get_role(summary.id) is index.get_role(summary.id)
    write_doc(docs, "a.json", make_role("Product Manager", marker="Changed."))
    bump_mtime(path)
    index.index_folder(docs)
    assert index.get_role(summary.id).sections[0].text.endswith("Changed.")
    assert index.list_roles()[0] is not summary


def test_unknown_role_id_raises_role_not_found(index, docs):
    write_doc(docs, "a.json", make_role("Product Manager"))
    index.index_folder(docs)
    with pytest.raises(RoleNotFound):
        index.get_role(999)


def test_list_roles_summarises_aspects_kpis_and_goals(index, docs):
    write_doc(docs, "a.json", make_role("Product Manager"))
    index.index_folder(docs)
    [summary] = index.list_roles()
    assert summary.aliases == ["PRO", "L4"]
    assert summary.link == "https://example.test/Product-Manager"
    assert summary.aspects == {"summary": 0, "responsibilities": 2, "day-to-day": 1, "kpis": 2, "goals": 6}
    assert summary.kpi_count == 2
    assert summary.goals == {30: 2, 60: 1, 90: 3}


def test_same_title_in_two_documents_gives_two_roles(index, docs):
    write_doc(docs, "blog/pm.json", make_role("Product Manager"))
    write_doc(docs, "ladder/pm.json", make_role("Product Manager", marker="ladder version"))
    index.index_folder(docs)
    roles = index.list_roles()
    assert [(r.title, r.source_path) for r in roles] == [
        ("Product Manager", "blog/pm.json"),
        ("Product Manager", "ladder/pm.json"),
    ]
    assert index.get_role(roles[1].id).sections[0].text.endswith("ladder version")


def test_multi_role_file_gives_one_role_each_and_non_role_files_are_not_listed(index, docs):
    write_doc(docs, "ladder.json", make_role("Engineer I"), make_role("Engineer II"), make_role("Staff Engineer"))
    write_doc(docs, "LICENSE", title="MIT License", text="Permission is hereby granted")
    write_doc(docs, "README.md", title="Engineering roles", text="This folder introduces the job family")
    report = index.index_folder(docs)
    assert report.roles == 3
    assert [r.title for r in index.list_roles()] == ["Engineer I", "Engineer II", "Staff Engineer"]
    kinds = {d.path: d.kind for d in index.documents()}
    assert kinds == {"LICENSE": "non-role", "README.md": "non-role", "ladder.json": "role"}


def test_is_ready_and_generation_on_an_empty_or_missing_index(index, docs):
    assert not index.is_ready()
    assert index.generation() == 0
    bare = RoleIndex(Store(":memory:"))
    assert not bare.is_ready()
    assert bare.generation() == 0
    with pytest.raises(IndexNotReady):
        bare.list_roles()
    write_doc(docs, "LICENSE", title="MIT License")
    index.index_folder(docs)
    assert not index.is_ready()  # documents but no role
    write_doc(docs, "a.json", make_role("Product Manager"))
    index.index_folder(docs)
    assert index.is_ready()


def test_is_ready_is_false_while_an_index_run_writes(index, docs, loader):
    write_doc(docs, "a.json", make_role("Product Manager"))
    index.index_folder(docs)
    write_doc(docs, "b.json", make_role("Data Engineer"))
    seen = []
    loader.during.append(lambda: seen.append(index.is_ready()))
    index.index_folder(docs)
    assert seen == [False]
    assert index.is_ready()


def test_a_rebuilding_flag_left_by_a_dead_run_expires(index, docs):
    write_doc(docs, "a.json", make_role("Product Manager"))
    index.index_folder(docs)
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False) as clock:
        RebuildingFlag(index.store.conn).raise_()  # what a run killed mid-way leaves behind
        assert not index.is_ready()
        clock.shift(timedelta(minutes=16))
        assert index.is_ready()


def test_concurrent_runs_keep_their_own_rebuilding_flags(index, docs):
    write_doc(docs, "a.json", make_role("Product Manager"))
    index.index_folder(docs)
    first, second = RebuildingFlag(index.store.conn), RebuildingFlag(index.store.conn)
    first.raise_()
    second.raise_()
    first.lower()
    assert not index.is_ready()  # the second run is still writing
    second.lower()
    assert index.is_ready()


def test_a_file_name_that_is_not_utf8_is_reported_and_the_rest_indexed(index, docs):
    write_doc(docs, "a.json", make_role("Product Manager"))
    with open(os.path.join(os.fsencode(docs), b"caf\xe9.json"), "wb") as handle:
        handle.write(b"{}")
    report = index.index_folder(docs)
    assert report.failures == [("caf\\udce9.json", "the file name is not valid UTF-8: rename the file")]
    assert report.roles == 1


def test_failures_name_odd_files_on_one_printable_line(index, docs):
    # A terminal escape or a newline in a file name must not reach the terminal or split the line.
    for name in ("esc\x1b[31mred.json", "new\nline.json", "tab\there.json"):
        (docs / name).write_text("BAD: broken", encoding="utf-8")
    with open(os.path.join(os.fsencode(docs), "Ünï".encode() + b"\xff.json"), "wb") as handle:
        handle.write(b"{}")
    report = index.index_folder(docs)
    assert sorted(path for path, _ in report.failures) == [
        "esc\\x1b[31mred.json", "new\\nline.json", "tab\\there.json", "Ünï\\udcff.json"]


# ---------------------------------------------------------------------------- search


def test_search_uses_porter_stemming_and_ranks_headings_higher(index, docs):
    write_doc(docs, "a.json", make_role("Product Manager"))
    index.index_folder(docs)
    hits = index.search("manage")  # "Managing stakeholders" and the title "Manager" stem to 'manag'
    assert {(h.kind, h.aspect) for h in hits} >= {("item", "responsibilities")}
    item = next(h for h in hits if h.kind == "item")
    assert item.text.startswith("Stakeholders Managing stakeholders")
    assert item.heading == "Core responsibilities"
    assert item.section_path == (1,)
    assert item.position == 0
    assert [h.rank for h in hits] == sorted(h.rank for h in hits)


def test_search_hits_locate_their_model_objects(index, docs):
    write_doc(docs, "a.json", make_role("Product Manager"))
    index.index_folder(docs)
    [hit] = index.search("dashboard")
    assert (hit.kind, hit.aspect, hit.section_path, hit.position) == ("item", "day-to-day", (1, 0), 0)
    role = index.get_role(hit.role_id)
    assert role.sections[1].subsections[0].items[hit.position].text == "Check the dashboard"
    [kpi] = index.search("defects")
    assert (kpi.kind, kpi.aspect) == ("kpi", "kpis")
    [indicator] = index.search("owner")
    assert (indicator.kind, indicator.heading) == ("indicator", "First 30 days")
    [goal] = index.search("roadmap")
    assert (goal.kind, goal.aspect, goal.position) == ("goal", "goals", 2)


def test_search_removes_diacritics_and_filters_by_role(index, docs):
    write_doc(docs, "a.json", make_role("Product Manager"))
    write_doc(docs, "b.json", make_role("Data Engineer"))
    index.index_folder(docs)
    assert {h.title for h in index.search("resume")} == {"Product Manager", "Data Engineer"}
    engineer = next(r.id for r in index.list_roles() if r.title == "Data Engineer")
    assert {h.role_id for h in index.search("resume", role_ids=[engineer])} == {engineer}
    assert index.search("resume", role_ids=[]) == []
    # The caller's OR stays inside the role filter.
    assert {h.role_id for h in index.search("resume OR dashboard", role_ids=[engineer])} == {engineer}
    assert len(index.search("resume", limit=1)) == 1
    assert index.search("title:engineer AND heading:kpis")[0].title == "Data Engineer"


def test_bad_search_expression_is_a_named_error(index, docs):
    write_doc(docs, "a.json", make_role("Product Manager"))
    index.index_folder(docs)
    with pytest.raises(SearchQueryError):
        index.search('"unbalanced')


def test_vocabulary_counts_rows_per_stemmed_term_and_follows_changes(index, docs):
    path = write_doc(docs, "a.json", make_role("Product Manager"))
    index.index_folder(docs)
    vocabulary = index.vocabulary()
    assert vocabulary["dashboard"] == 1
    assert vocabulary["manag"] >= 2
    assert "managing" not in vocabulary
    assert not [term for term in vocabulary if term.startswith("zrole")]  # the role filter's marker tokens
    write_doc(docs, "a.json", make_role("Product Manager", marker="zebra"))
    bump_mtime(path)
    index.index_folder(docs)
    assert index.vocabulary()["zebra"] == 1


def _vocabulary_by_scan(index: RoleIndex) -> dict[str, int]:
    """What the term counts must equal: the FTS index's own statistics, read the slow way."""
    rows = index.store.conn.execute("SELECT term, doc FROM role_fts_vocab WHERE term NOT GLOB 'zrole[0-9]*'")
    return dict(rows.fetchall())


def test_term_counts_kept_at_write_time_equal_the_fts_index_through_every_kind_of_change(index, docs, loader):
    a = write_doc(docs, "a.json", make_role("Product Manager", marker="zebra"), make_role("Data Engineer"))
    b = write_doc(docs, "b.json", make_role("Designer", marker="zebra quagga"))
    c = write_doc(docs, "c.json", make_role("Analyst", marker="okapi"))
    index.index_folder(docs)
    assert index.vocabulary() == _vocabulary_by_scan(index)
    assert index.vocabulary()["zebra"] == 2
    write_doc(docs, "a.json", make_role("Product Manager", marker="gnu"))  # updated: one role fewer
    bump_mtime(a)
    b.write_text("BAD: truncated", encoding="utf-8")  # turns bad: its roles go
    c.unlink()  # removed
    write_doc(docs, "d.json", make_role("Broken", marker="narwhal"))

    def load(path, root):
        doc = JsonLoader.__call__(loader, path, root)
        if doc.title == "Broken":
            doc.roles[0].sections[2].heading = None  # cannot be stored: the savepoint rolls back
        return doc

    index._loader = load
    report = index.index_folder(docs)
    assert (report.updated, report.removed, report.failed) == (1, 1, 2)
    vocabulary = index.vocabulary()
    assert vocabulary == _vocabulary_by_scan(index)
    assert "zebra" not in vocabulary and "okapi" not in vocabulary and "narwhal" not in vocabulary
    assert vocabulary["gnu"] == 1


def test_term_counts_stay_exact_when_a_document_is_rewritten_inside_the_batch_that_added_it(index, docs):
    """A role's rows reach the FTS index and the term counts when the batch is committed; a document
    written twice in one batch must have its first version indexed and removed, not only removed."""
    from roles.index.write import Writer

    stat = write_doc(docs, "a.json", make_role("Designer")).stat()
    writer = Writer(index.store.conn)
    for marker in ("zebra", "quagga"):
        role = make_role("Product Manager", marker=marker)
        writer.document("a.json", stat, marker, LoadedDocument(path="a.json", format="json", title="PM", roles=[role]))
    writer.close()
    vocabulary = index.vocabulary()
    assert vocabulary == _vocabulary_by_scan(index)
    assert vocabulary["quagga"] == 1 and "zebra" not in vocabulary
    assert index.search('"zebra"') == [] and len(index.search('"quagga"')) >= 1
    index.store.conn.execute("INSERT INTO role_fts (role_fts) VALUES ('integrity-check')")


def test_a_cold_index_counts_terms_once_at_the_end(index, docs):
    write_doc(docs, "a.json", make_role("Product Manager", marker="zebra"), make_role("Data Engineer"))
    write_doc(docs, "b.json", make_role("Designer", marker="zebra quagga"))
    index.index_folder(docs)  # an empty index: a cold run
    conn = index.store.conn
    assert dict(conn.execute("SELECT term, rows FROM terms")) == _vocabulary_by_scan(index)
    assert conn.execute("SELECT count(*) FROM meta WHERE key = 'terms_stale'").fetchone()[0] == 0
    assert index.vocabulary()["zebra"] == 2


def test_term_counts_stay_right_for_readers_when_a_cold_run_dies_and_are_rebuilt_by_the_next(index, docs):
    from roles.index.write import Writer

    conn = index.store.conn
    stat = write_doc(docs, "a.json", make_role("Designer")).stat()
    writer = Writer(conn, batch_docs=1, cold=True)  # a batch per document: both are committed
    for name, marker in (("a.json", "zebra"), ("b.json", "quagga")):
        role = make_role("Product Manager", path=name, marker=marker)
        writer.document(name, stat, marker, LoadedDocument(path=name, format="json", title="PM", roles=[role]))
    writer.abort()  # the run dies before finish(): terms were never counted
    assert dict(conn.execute("SELECT term, rows FROM terms")) == {}
    assert index.vocabulary() == _vocabulary_by_scan(index) and index.vocabulary()["quagga"] == 1
    index.index_folder(docs)  # not cold (documents are known), but it rebuilds the stale counts
    assert conn.execute("SELECT count(*) FROM meta WHERE key = 'terms_stale'").fetchone()[0] == 0
    assert dict(conn.execute("SELECT term, rows FROM terms")) == _vocabulary_by_scan(index) == index.vocabulary()
    assert "quagga" not in index.vocabulary()  # b.json is not in the folder: its role went


def test_an_index_built_before_the_one_copy_migrations_is_migrated_and_stays_usable(tmp_path, docs, loader):
    """Migrations 0003-0004 on an index written by the old writer: term counts filled, role JSON
    compressed, relational copies dropped, title and role key served by the view, deletes clean FTS."""
    from core.migrations.index import MIGRATIONS

    store = Store(tmp_path / "old.db")
    store.migrate(MIGRATIONS[:2])
    role = make_role("Product Manager", marker="zebra")
    with store.conn as conn:  # what the old writer stored for one role (two of its search rows)
        conn.execute("""INSERT INTO documents (id, path, size, mtime_ns, hash, kind, status, indexed_at)
                        VALUES (1, 'a.json', 1, 1, 'h', 'role', 'ok', 'now')""")
        conn.execute("""INSERT INTO roles (id, document_id, position, title, source_path, format, goals, kpi_count, data)
                        VALUES (5, 1, 0, 'Product Manager', 'x.json', 'json-test', '{"30": 2}', 2, ?)""",
                     [role_to_json(role)])
        conn.execute("INSERT INTO sections (id, role_id, position, aspect, heading) VALUES (1, 5, 0, 'summary', 'S')")
        conn.execute("INSERT INTO goals (id, role_id, section_id, position, horizon_days, heading) VALUES (1, 5, 1, 0, 30, 'G')")
        conn.executemany(
            """INSERT INTO search_rows (id, role_id, kind, aspect, title, heading, body, role_key)
               VALUES (?, 5, ?, 'summary', 'Product Manager', ?, ?, 'zrole5')""",
            [(1, "role", "", "PRO L4"), (2, "section", "Role summary", "The zebra owns outcomes")],
        )
        conn.execute("""INSERT INTO role_fts (rowid, title, heading, body, role_key)
                        SELECT id, title, heading, body, role_key FROM search_rows""")
    store.migrate(MIGRATIONS)
    index = RoleIndex(store, loader=loader)
    assert index.vocabulary() == _vocabulary_by_scan(index) and index.vocabulary()["zebra"] == 1
    assert index.get_role(5) == role
    report = index.index_folder(docs)  # the file is gone: its role goes
    assert report.removed == 1 and index.list_roles() == []
    assert index.search('"zebra"') == [] and index.vocabulary() == {}
    conn = store.conn
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert not tables & {"sections", "items", "kpis", "goals", "goal_items"}
    conn.execute("INSERT INTO role_fts (role_fts) VALUES ('integrity-check')")
    store.close()


def test_an_index_built_before_the_coded_labels_is_migrated_and_reads_the_same(tmp_path, docs, loader):
    """Migration 0006 on rows written with kinds and aspects in full: the rows store one-character codes,
    the view spells them out, search reads the same, and writing and deleting go on as before."""
    from core.migrations.index import MIGRATIONS

    write_doc(docs, "a.json", make_role("Product Manager", marker="zebra"))
    store = Store(tmp_path / "old.db")
    store.migrate(MIGRATIONS[:5])
    with store.conn as conn:  # what the writer stored before 0006, for one role
        conn.execute("""INSERT INTO documents (id, path, size, mtime_ns, hash, kind, status, indexed_at)
                        VALUES (1, 'a.json', 1, 1, 'h', 'role', 'ok', 'now')""")
        conn.execute("""INSERT INTO roles (id, document_id, position, title, source_path, format, data)
                        VALUES (5, 1, 0, 'Product Manager', 'a.json', 'json-test', x'')""")
        conn.executemany(
            """INSERT INTO search_entries (id, role_id, kind, aspect, heading, body) VALUES (?, 5, ?, ?, ?, ?)""",
            [(1, "role", "summary", "", "PRO L4"), (2, "item", "responsibilities", "Core", "The zebra owns it"),
             (3, "item", "some-later-aspect", "Later", "An aspect the migration does not know")])
        conn.execute("""INSERT INTO role_fts (rowid, title, heading, body, role_key)
                        SELECT id, title, heading, body, role_key FROM search_rows""")
    store.migrate(MIGRATIONS)
    conn = store.conn
    stored = conn.execute("SELECT kind, aspect FROM search_entries ORDER BY id").fetchall()
    assert stored[:2] == [("0", "6"), ("2", "8")] and stored[2] == ("2", "some-later-aspect")
    shown = conn.execute("SELECT kind, aspect, title FROM search_rows ORDER BY id").fetchall()
    assert shown == [("role", "summary", "Product Manager"), ("item", "responsibilities", "Product Manager"),
                     ("item", "some-later-aspect", "Product Manager")]
    [hit] = RoleIndex(store, loader=loader).search('"zebra"')
    assert (hit.role_id, hit.kind, hit.aspect, hit.heading) == (5, "item", "responsibilities", "Core")
    index = RoleIndex(store, loader=loader)
    bump_mtime(docs / "a.json")
    index.index_folder(docs)  # the writer replaces the old rows (the hash differs) with coded ones
    assert {row[0] for row in conn.execute("SELECT aspect FROM search_entries")} <= set("0123456789abcdefghijklmnopqrstuvwxyz")
    hits = index.search('"zebra"')
    assert [(h.kind, h.aspect) for h in hits] == [("section", "summary")]
    conn.execute("INSERT INTO role_fts (role_fts) VALUES ('integrity-check')")
    store.close()


def test_reports_count_sections_and_goals_from_the_role_rows(index, docs):
    write_doc(docs, "a.json", make_role("Product Manager", extra_sections=2))
    report = index.index_folder(docs)
    role = index.get_role(index.list_roles()[0].id)
    assert report.sections == sum(1 for _ in role.walk())
    assert (report.goals, report.goal_items) == (len(role.goals()), sum(len(g.items) for g in role.goals()))
    assert report.kpis == len(role.kpis())


# ---------------------------------------------------------------------------- concurrency


def test_a_reader_thread_never_sees_a_half_written_document(file_store, docs, loader):
    """Each role has 4 + 3 sections; a reader polling during the run must only ever see complete roles."""
    for n in range(60):  # several write batches
        write_doc(docs, f"doc{n:02}.json", make_role(f"Role {n:02}", extra_sections=3))
    index = RoleIndex(file_store, loader=loader)
    done = threading.Event()
    problems: list[str] = []
    checks = [0]

    def read() -> None:
        reader = RoleIndex(file_store)
        conn = file_store.conn  # this thread's own connection
        while not done.is_set():
            rows = conn.execute(
                """SELECT r.id, r.section_count, (SELECT count(*) FROM search_rows s WHERE s.role_id = r.id),
                          (SELECT count(*) FROM role_fts WHERE role_fts MATCH 'role_key:zrole' || r.id)
                   FROM roles r"""
            ).fetchall()
            for role_id, sections, search_rows, fts_rows in rows:
                if sections != 8 or search_rows < 15 or fts_rows != search_rows:
                    problems.append(f"role {role_id}: {sections} sections, {search_rows} rows, {fts_rows} in FTS")
            for summary in reader.list_roles():
                if len(reader.get_role(summary.id).sections) != 7:
                    problems.append(f"role {summary.id}: incomplete JSON")
            checks[0] += 1

    thread = threading.Thread(target=read)
    thread.start()
    try:
        index.index_folder(docs)
    finally:
        done.set()
        thread.join()
    assert problems == []
    assert checks[0] > 0
    assert len(index.list_roles()) == 60


def test_two_index_runs_at_once_on_one_database_end_consistent(file_store, docs, loader):
    # Two `index` commands started together (a cron job and a person): both finish, each document and
    # role is stored once, and the full-text index matches its rows.
    for n in range(60):
        write_doc(docs, f"doc{n:02}.json", make_role(f"Role {n:02}"), *([make_role(f"Lead {n:02}")] if n % 3 else []))
    errors: list[BaseException] = []

    def run() -> None:
        try:
            RoleIndex(file_store, loader=loader).index_folder(docs)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    index = RoleIndex(file_store, loader=loader)
    summaries = index.list_roles()
    assert len(summaries) == 60 + 40 and len({(s.source_path, s.title) for s in summaries}) == 100
    conn = file_store.conn
    assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 60
    conn.execute("INSERT INTO role_fts (role_fts, rank) VALUES ('integrity-check', 1)")
    assert conn.execute("SELECT count(*) FROM meta WHERE key GLOB 'rebuilding:*'").fetchone()[0] == 0
    assert index.index_folder(docs).unchanged == 60
