"""The index's term statistics, kept at write time: ``terms`` maps each stem to the number of search rows
holding it (what ``role_fts_vocab`` says, without scanning the whole FTS index to say it).

Reading ``role_fts_vocab`` walks every segment of the FTS index: 2.2 s at 10,000 roles, paid by every
process that answers questions, again after each index change. Instead the writer counts the terms of
the rows it adds and removes, with the same tokenizer, in two contentless FTS5 tables of the
connection's ``temp`` schema, and folds the counts into ``terms`` when it commits a batch. The temp
tables live in the same transaction as the batch, so a document rolled back to its savepoint takes its
counts with it. The counter tables keep no positions (``detail=none``): only "how many rows hold the
term" is read from them.

A run that starts on an empty index (the first, cold one) does not count as it goes: tokenising every
row a second time costs a tenth of a cold index, and reading ``role_fts_vocab`` once at the end of the
run a fifth of that (:func:`rebuild_terms`). Until then the ``terms_stale`` mark in ``meta`` (written
with the run's first rows) tells readers to scan ``role_fts_vocab`` instead (:data:`VOCABULARY_SCAN`), so
counts are never wrong, also after a run that died half way (the next run rebuilds them).
"""

from __future__ import annotations

import json
import sqlite3

#: Must be the tokenizer of ``role_fts`` (``core.migrations.index``), or the counts would not match.
TOKENIZER = "porter unicode61 remove_diacritics 2"
#: FTS tokens that mark a role's rows (``roles.index.write.role_key``), never words of the text.
ROLE_KEY_GLOB = "zrole[0-9]*"
#: ``meta`` key present while ``terms`` lags behind the FTS index (a cold run has not finished).
STALE_KEY = "terms_stale"
#: The counts read from the FTS index itself (what ``terms`` holds; slow: it walks every segment).
VOCABULARY_SCAN = f"SELECT term, doc FROM role_fts_vocab WHERE term NOT GLOB '{ROLE_KEY_GLOB}'"


def rebuild_terms(conn: sqlite3.Connection) -> None:
    """Recount ``terms`` from the FTS index, in a transaction of its own, when it is marked stale."""
    if not _stale(conn):  # the usual case takes no write lock
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        if _stale(conn):
            conn.execute("DELETE FROM terms")
            conn.execute(f"INSERT INTO terms (term, rows) {VOCABULARY_SCAN}")
            conn.execute("DELETE FROM meta WHERE key = ?", [STALE_KEY])
        conn.commit()
    except BaseException:
        conn.rollback()
        raise


def _stale(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM meta WHERE key = ?", [STALE_KEY]).fetchone() is not None


class StaleTerms:
    """What a cold run uses instead of :class:`TermCounts`: counts nothing, and marks ``terms`` stale
    with the first rows of each batch (so the mark goes with the batch if it is rolled back)."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self._marked = False

    def added(self, role_ids: list[int]) -> None:
        if not self._marked:
            self.conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES (?, '1')", [STALE_KEY])
            self._marked = True

    def removing(self, document_id: int) -> None:
        pass  # nothing is counted

    def flush(self) -> None:
        self._marked = False

    def discard(self) -> None:
        self._marked = False


class TermCounts:
    """Counts the terms of search rows as they are written and removed; :meth:`flush` applies them."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        for table in ("terms_added", "terms_removed"):
            conn.execute(
                f"""CREATE VIRTUAL TABLE IF NOT EXISTS temp.{table} USING fts5 (
                        title, heading, body, content='', detail=none, tokenize='{TOKENIZER}')"""
            )
            conn.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{table}_vocab USING fts5vocab (temp, {table}, 'row')")
        self._pending = False

    def added(self, role_ids: list[int]) -> None:
        """Count the search rows of roles just written."""
        self._copy("terms_added", "role_id IN (SELECT value FROM json_each(?))", json.dumps(role_ids))

    def removing(self, document_id: int) -> None:
        """Count the search rows of a document's roles, before they are deleted."""
        self._copy("terms_removed", "role_id IN (SELECT id FROM roles WHERE document_id = ?)", document_id)

    def flush(self) -> None:
        """Fold the counts into ``terms`` (inside the writer's open transaction) and start again."""
        if not self._pending:
            return
        conn = self.conn
        conn.execute(
            f"""INSERT INTO terms (term, rows) SELECT term, doc FROM temp.terms_added_vocab
                WHERE term NOT GLOB '{ROLE_KEY_GLOB}'
                ON CONFLICT (term) DO UPDATE SET rows = rows + excluded.rows"""
        )
        conn.execute(
            """UPDATE terms SET rows = rows - removed.doc FROM temp.terms_removed_vocab AS removed
               WHERE removed.term = terms.term"""
        )
        conn.execute("DELETE FROM terms WHERE rows <= 0")
        self.discard()

    def discard(self) -> None:
        """Forget the counts not yet flushed (the batch was rolled back)."""
        for table in ("terms_added", "terms_removed"):
            self.conn.execute(f"INSERT INTO temp.{table} ({table}) VALUES ('delete-all')")
        self._pending = False

    def _copy(self, table: str, where: str, value: int | str) -> None:
        self.conn.execute(
            f"INSERT INTO temp.{table} (title, heading, body) SELECT title, heading, body FROM search_rows WHERE {where}",
            [value],
        )
        self._pending = True
