"""What a cold index cannot go below on this machine: the native code alone, per document of the bench corpus.

Run from the project folder::

    .venv/bin/python -m bench.index_floors [--docs 1000] [--seed 7]

The performance issue asks for 250 documents a second of one core: 4 ms of CPU a document for everything.
This script times, on the same generated files and in the same run as a whole cold index, the parts of
that index which no change to rolebot's Python can make cheaper:

- reading, hashing and decoding each file;
- the parsers alone, as the loaders call them (markdown-it.rs, libyaml's scanner and composer, json and
  lexbor for the blog exports);
- writing the search rows the index holds (one per section text, item, KPI and goal item: what lets an
  answer quote the one item that matched) into a plain table and into an FTS5 table of the same columns
  and tokenizer; beside it, the raw text of each file as one FTS5 row (``bench_index``'s baseline).

What is left of the 4 ms after these floors is the budget for all of the loaders' Python. This is a
script, never a timed test.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

import yaml
from selectolax.lexbor import LexborHTMLParser

from bench.bench_index import _timed_cpu
from bench.bench_index import raw_fts as raw_fts_baseline
from bench.corpus import generate
from core.store import open_store
from roles.index.library import RoleIndex
from roles.index.terms import TOKENIZER
from roles.loaders.markdown_blocks import _MD  # the loader's own parser, so the floor is the loader's

TARGET_DOCS_PER_SECOND = 250
_CHUNK = 6000  # search rows a transaction: about what one batch of 25 documents writes


def _cpu(func: Callable[[], object], repeat: int = 2) -> float:
    """The least CPU seconds of ``repeat`` calls (the first may pay for warming caches)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        func()
        best = min(best, time.process_time() - start)
    return best


def _rendered(data: object) -> Iterator[str]:
    """Every ``rendered`` HTML string of a blog export (a post, or a list of posts)."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "rendered" and isinstance(value, str):
                yield value
            else:
                yield from _rendered(value)
    elif isinstance(data, list):
        for value in data:
            yield from _rendered(value)


def _parse(path: Path, text: str) -> None:
    if path.suffix == ".md":
        _MD.tree(text)
    elif path.suffix in (".yaml", ".yml"):
        yaml.compose(text, Loader=yaml.CSafeLoader)
    else:
        for html in _rendered(json.loads(text)):
            LexborHTMLParser(html)


def _insert(rows: list[tuple], create: str, insert: str) -> None:
    with closing(sqlite3.connect(":memory:")) as conn:
        for statement in create.split(";"):
            conn.execute(statement)
        for start in range(0, len(rows), _CHUNK):
            with conn:
                conn.executemany(insert, rows[start:start + _CHUNK])


#: The search rows as ``search_entries`` holds them, and as ``role_fts`` indexes them. The FTS5 table is
#: contentless: role_fts keeps no copy of the text either (its content is the ``search_rows`` view).
_ENTRIES = (
    """CREATE TABLE e (id INTEGER PRIMARY KEY, role_id INTEGER, kind TEXT, aspect TEXT, section_path TEXT,
                      position INTEGER, heading TEXT, body TEXT);
       CREATE INDEX e_role ON e (role_id)""",
    """INSERT INTO e (role_id, kind, aspect, section_path, position, heading, body)
       VALUES (?, ?, ?, ?, ?, ?, ?)""",
)
_ENTRIES_FTS = (
    f"""CREATE VIRTUAL TABLE f USING fts5 (title, heading, body, role_key, content='',
                                         tokenize='{TOKENIZER}')""",
    "INSERT INTO f (rowid, title, heading, body, role_key) VALUES (?, ?, ?, ?, ?)",
)


def floors(files: list[Path], db: Path) -> list[tuple[str, float, str]]:
    """(step, CPU seconds, note) of each floor over ``files``, whose index is ``db``."""
    raw = {p: p.read_bytes() for p in files}
    texts = {p: b.decode("utf-8") for p, b in raw.items()}
    with closing(sqlite3.connect(db)) as conn:
        entries = conn.execute("""SELECT role_id, kind, aspect, section_path, position, heading, body
                                  FROM search_entries ORDER BY id""").fetchall()
        fts_rows = conn.execute("SELECT id, title, heading, body, role_key FROM search_rows ORDER BY id").fetchall()
    return [
        ("read, hash, decode", _cpu(lambda: [(hashlib.blake2b(b).digest(), b.decode()) for b in raw.values()]),
         ""),
        ("parsers alone", _cpu(lambda: [_parse(p, t) for p, t in texts.items()]),
         "markdown-it.rs, libyaml compose, json + lexbor"),
        ("search rows: plain table", _cpu(lambda: _insert(entries, *_ENTRIES)),
         f"{len(entries) / len(files):.0f} rows a document"),
        ("search rows: FTS5", _cpu(lambda: _insert(fts_rows, *_ENTRIES_FTS)),
         "role_fts's columns and tokenizer, no stored copy"),
    ]


def main(argv: list[str] | None = None) -> int:
    """Print the floors beside the whole cold index of the same files."""
    parser = argparse.ArgumentParser(description="What a cold index cannot go below.")
    parser.add_argument("--docs", type=int, default=1000, help="number of generated documents (default 1000)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    with tempfile.TemporaryDirectory(prefix="rolebot-floors-") as tmp:
        folder = Path(tmp) / "docs"
        generate(folder, args.docs, args.seed)
        store = open_store(Path(tmp) / "index.db")
        _report, _wall, whole = _timed_cpu(RoleIndex(store).index_folder, folder)
        store.close()  # floors() reads the rows through a connection of its own
        files = sorted(p for p in folder.rglob("*") if p.is_file())
        steps = floors(files, Path(tmp) / "index.db")
        _, _wall, raw_fts = _timed_cpu(raw_fts_baseline, files, Path(tmp) / "raw.db")

    budget = 1000 / TARGET_DOCS_PER_SECOND
    floor = sum(seconds for _, seconds, _ in steps)
    rows = [
        *steps,
        ("sum of the floors", floor, f"a ceiling of {args.docs / floor:.0f} docs/s with no Python at all"),
        ("whole cold index (rolebot)", whole,
         f"{args.docs / whole:.0f} docs/s; the floors are {floor / whole:.0%} of it"),
        ("  baseline: raw FTS5, a row a file", raw_fts, "bench_index's baseline, for scale"),
    ]
    print(f"cold index floors, {args.docs} documents (seed {args.seed}), CPU time of one core")
    width = max(len(r[0]) for r in rows)
    for step, seconds, note in rows:
        print(f"{step.ljust(width)}  {seconds:7.3f} s  {seconds / args.docs * 1000:5.2f} ms/doc  {note}".rstrip())
    left, today = budget - floor / args.docs * 1000, (whole - floor) / args.docs * 1000
    print(f"at {TARGET_DOCS_PER_SECOND} docs/s ({budget:.1f} ms a document) {left:.2f} ms a document is left for "
          f"everything else (the loaders' Python, encoding each role and its row), which takes {today:.2f} ms today")
    return 0


if __name__ == "__main__":
    sys.exit(main())
