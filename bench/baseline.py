"""The baseline the answer engine is measured against: one FTS5 bm25 query plus one rapidfuzz title match.

This is what a minimal ``/role`` bot would do on the same index: take the question's words, rank the
rows that hold all of them with bm25 (20 best; sqlite-utils' ``table.search(q, quote=True)`` builds the
same query), and pick the closest title with rapidfuzz's WRatio over every role's title. It understands nothing (no aspects, typos, abbreviations or thresholds); it only
sets the cost floor that ``bench.bench_ask`` prints the engine's latency beside, in the same run.
"""

from __future__ import annotations

import sqlite3

from rapidfuzz import fuzz, process, utils

from roles.answer.vocabulary import STOPWORDS, tokenize

MAX_WORDS = 10
LIMIT = 20


class Baseline:
    """One bm25 query and one title match per question, on an index's connection."""

    def __init__(self, conn: sqlite3.Connection, titles: list[str]):
        self.conn = conn
        self.titles = titles

    def ask(self, query: str) -> tuple[list[tuple[int, float]], str | None]:
        """The 20 best rows (rowid, rank) holding the question's words, and the closest title."""
        words = [w for w in tokenize(query) if w not in STOPWORDS][:MAX_WORDS]
        rows: list[tuple[int, float]] = []
        if words:
            match = " ".join('"' + w.replace('"', '""') + '"' for w in words)  # every word (FTS5's implicit AND)
            rows = self.conn.execute(
                "SELECT rowid, bm25(role_fts) AS rank FROM role_fts WHERE role_fts MATCH ? ORDER BY rank LIMIT ?",
                [match, LIMIT],
            ).fetchall()
        best = process.extractOne(query, self.titles, scorer=fuzz.WRatio, processor=utils.default_process)
        return rows, best[0] if best else None
