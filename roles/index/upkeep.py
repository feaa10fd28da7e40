"""Keeping the FTS index compact while documents change.

FTS5 never rewrites a segment in place. Replacing or removing a role writes delete markers, and the role's
old entries stay in the older segments until a merge reaches the oldest one, which automerge seldom
does. Measured on the bench corpus (1,000 documents, then every file edited three times, re-indexed after
each round): the FTS data grew from 34 to 94 MB, the database file from 112 to 174 MB, and a phrase
query took 27 ms instead of 3.5 ms. Every question that searches pays for the garbage.

So the writer counts the roles it replaces or removes (:func:`count_replaced`, inside the document's
savepoint), and when they reach :data:`TIDY_SHARE` of the roles indexed, the end of the run merges all
segments into one (:func:`tidy`), which drops the delete markers and what they hide. FTS5's 'merge'
command with a negative page count does that in steps (a step merges across levels, as 'optimize'
would); each step is a transaction of its own, so the outbox, which shares the database, never waits
long for the write lock. Search results are the same before and after: the merge changes how the index
is stored, not what it holds.
"""

from __future__ import annotations

import logging
import sqlite3
import time

logger = logging.getLogger(__name__)

#: Roles replaced or removed since the last merge, as a share of the roles indexed, that start a merge.
TIDY_SHARE = 0.2
#: Pages (4 KB each) one merge step writes: ~0.1 s of work on this machine, then the lock is free again.
MERGE_PAGES = 500
#: ``meta`` key: roles replaced or removed since the FTS index was last merged into one segment.
REPLACED_KEY = "fts_replaced_roles"


def count_replaced(conn: sqlite3.Connection, gone: int) -> None:
    """Count ``gone`` roles about to be deleted (call inside the document's savepoint)."""
    if gone:
        conn.execute(
            """INSERT INTO meta (key, value) VALUES (?, ?)
               ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + excluded.value""",
            [REPLACED_KEY, gone],
        )


def replaced_since_merge(conn: sqlite3.Connection) -> int:
    """Roles replaced or removed since the FTS index was last merged."""
    row = conn.execute("SELECT CAST(value AS INTEGER) FROM meta WHERE key = ?", [REPLACED_KEY]).fetchone()
    return row[0] if row else 0


def tidy(conn: sqlite3.Connection, share: float | None = None) -> bool:
    """Merge the FTS index into one segment if the roles replaced since the last merge are ``share`` (by
    default :data:`TIDY_SHARE`) of the roles indexed or more; True if it did. A step the database refuses
    (locked for longer than the busy timeout) stops the merge with a warning; the count stays, so the next
    run goes on where this one stopped."""
    replaced = replaced_since_merge(conn)
    if not replaced:
        return False
    roles = conn.execute("SELECT count(*) FROM roles").fetchone()[0]
    if replaced < (TIDY_SHARE if share is None else share) * roles:
        return False
    started, steps = time.monotonic(), 0
    try:
        while True:
            conn.execute("BEGIN IMMEDIATE")
            try:
                before = conn.total_changes
                conn.execute("INSERT INTO role_fts (role_fts, rank) VALUES ('merge', ?)", [-MERGE_PAGES])
                done = conn.total_changes - before < 2  # FTS5's sign that nothing was left to merge
                if done:
                    conn.execute("DELETE FROM meta WHERE key = ?", [REPLACED_KEY])
                conn.commit()
            except BaseException:
                conn.rollback()
                raise
            steps += 1
            if done:
                break
    except sqlite3.OperationalError as exc:
        logger.warning("could not finish merging the search index (%s); the next index run goes on with it", exc)
        return False
    logger.info("merged the search index into one segment after %d replaced roles: %d steps, %.1f s",
                replaced, steps, time.monotonic() - started)
    return True
