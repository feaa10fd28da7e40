"""Property: after any sequence of edits to a folder, one index run makes the index match the files.

Files are written, rewritten, turned into non-role or broken files, renamed back and deleted at random,
with the real loaders. After every run the listing equals what the loaders make of the folder, role ids
stay with their file and position, an id once given never names another role, and the full-text index
holds exactly the search rows (checked by FTS5's own integrity check and by a MATCH query per file).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import DocumentError
from core.store import open_store
from roles.index.library import RoleIndex
from roles.loaders import load_file

NAMES = ["a.md", "b.txt", "team/c", "team/d.md"]


def _ladder(word: str, levels: int) -> str:
    parts = [f"# Support {word} career ladder\n"]
    for level in ("Apprentice", "Junior", "Senior")[:levels]:
        parts.append(f"## {level}\n\n### Responsibilities\n\n- Answer {word} tickets as {level.lower()}\n")
    return "\n".join(parts)


CONTENTS = {
    "role": lambda word: f"# {word.title()} Analyst\n\n## Responsibilities\n\n- Track {word} daily\n",
    "ladder2": lambda word: _ladder(word, 2),
    "ladder3": lambda word: _ladder(word, 3),
    "readme": lambda word: f"# About this folder\n\nThese files describe the {word} family.\n",
    "broken": lambda word: '{"title": {"rendered": "' + word,
    "binary": lambda word: "\x00\x01\x02" + word,
}

edits = st.lists(
    st.tuples(st.sampled_from(NAMES), st.sampled_from([*CONTENTS, "delete"]),
              st.sampled_from(["zebra", "walrus", "heron"])),
    min_size=1, max_size=4,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(runs=st.lists(edits, min_size=1, max_size=5))
def test_index_matches_the_folder_after_any_edits(runs: list) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        docs = Path(tmp) / "docs"
        docs.mkdir()
        store = open_store(Path(tmp) / "index.db")
        index = RoleIndex(store)
        owner: dict[int, tuple[str, int]] = {}  # role id -> (file, position) it was first given to
        tick = 0
        for run in runs:
            for name, kind, word in run:
                path = docs / name
                if kind == "delete":
                    path.unlink(missing_ok=True)
                    continue
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(CONTENTS[kind](word), encoding="utf-8")
                tick += 1
                os.utime(path, ns=(tick * 10**9, tick * 10**9))  # every write is a visible change
            report = index.index_folder(docs)
            expected = _expected(docs)
            listed = sorted((r.source_path, r.title) for r in index.list_roles())
            assert listed == sorted((path, title) for path, titles in expected.items() for title in titles)
            assert report.roles == len(listed)
            _check_ids(index, owner)
            _check_search(index, store)
        store.close()


def _expected(docs: Path) -> dict[str, list[str]]:
    found = {}
    for path in sorted(p for p in docs.rglob("*") if p.is_file()):
        try:
            found[path.relative_to(docs).as_posix()] = [r.title for r in load_file(path, docs).roles]
        except DocumentError:
            found[path.relative_to(docs).as_posix()] = []
    return found


def _check_ids(index: RoleIndex, owner: dict[int, tuple[str, int]]) -> None:
    for summary in index.list_roles():
        (position,) = index.store.conn.execute("SELECT position FROM roles WHERE id = ?", [summary.id]).fetchone()
        # An id stays with the file and position it was first given to, even across broken versions.
        assert owner.setdefault(summary.id, (summary.source_path, position)) == (summary.source_path, position)


def _check_search(index: RoleIndex, store) -> None:
    conn = store.conn
    conn.execute("INSERT INTO role_fts (role_fts, rank) VALUES ('integrity-check', 1)")
    assert conn.execute("SELECT count(*) FROM role_fts").fetchone()[0] == \
        conn.execute("SELECT count(*) FROM search_rows").fetchone()[0]
    for word in ("zebra", "walrus", "heron"):
        hits = {h.role_id for h in index.search(word, limit=1000)}
        rows = {r[0] for r in conn.execute("SELECT role_id FROM search_rows WHERE body LIKE ? OR title LIKE ?",
                                           [f"%{word}%", f"%{word}%"])}
        assert hits == rows, word
