"""What rolebot remembers of a conversation: the role and aspect of the last answer, for follow-ups.

"and the 60 day ones?", "what about kpis" and "compare with pse" continue from the last answer a user
got in the same conversation (a Slack channel or thread, a Teams conversation, the console). It is
kept in the database, not in memory, so that it survives a restart and is shared by every worker
thread or process; it expires after :data:`FOLLOWUP_TTL`.

One table, ``conversation_context`` (created in ``core.migrations.conversation``), keyed by platform-neutral user and conversation ids, written with
a UTC timestamp. The SQL is plain (an upsert and two selects/deletes) so another database backend can
port it as is.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from core.store import Store

logger = logging.getLogger(__name__)

#: How long a last answer can be followed up.
FOLLOWUP_TTL = timedelta(minutes=15)
#: Expired rows are deleted at most this often: recall already ignores them, and a DELETE scanning the
#: table in every answer's transaction cost more than the rest of remembering.
PURGE_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class LastAnswer:
    """The part of the last answer a follow-up can continue from."""

    role_id: int
    role_title: str
    #: The aspect answered (None for an overview).
    aspect: str | None
    #: The question as answered (after any follow-up was read into it), and the page last shown.
    query: str
    page: int = 0


class ConversationMemory:
    """Remembers the last answer per (user, conversation) in the database for :data:`FOLLOWUP_TTL`.

    ``store`` is the state store (SQLite, or PostgreSQL with ``DATABASE_URL``): only its
    ``conn.execute`` and ``execute_autocommit`` are used, so the same SQL runs on both."""

    def __init__(self, store: Store, ttl: timedelta = FOLLOWUP_TTL):
        self.store = store
        self.ttl = ttl
        #: When the next remember also drops the expired rows (a sortable UTC stamp; "" = at once).
        self._next_purge = ""

    def recall(self, user_id: str, conversation_id: str, now: datetime) -> LastAnswer | None:
        """The last answer of this user in this conversation, unless it is older than the TTL."""
        cutoff = _stamp(now - self.ttl)
        row = self.store.conn.execute(
            "SELECT role_id, role_title, aspect, query, page FROM conversation_context "
            "WHERE user_id = ? AND conversation_id = ? AND answered_at >= ?",
            [user_id, conversation_id, cutoff],
        ).fetchone()
        return None if row is None else LastAnswer(*row)

    def remember(self, user_id: str, conversation_id: str, last: LastAnswer, now: datetime) -> None:
        """Store ``last`` as this user's last answer here, and drop every expired one (at most once in
        :data:`PURGE_EVERY`)."""
        stamp = _stamp(now)
        purge = stamp >= self._next_purge
        # Every answer writes here: each statement is a transaction of its own, so the database's write
        # lock is never held while this thread waits for the GIL (see Store.execute_autocommit).
        self.store.execute_autocommit(
            "INSERT INTO conversation_context "
            "(user_id, conversation_id, role_id, role_title, aspect, query, page, answered_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (user_id, conversation_id) DO UPDATE SET role_id = excluded.role_id, "
            "role_title = excluded.role_title, aspect = excluded.aspect, query = excluded.query, "
            "page = excluded.page, answered_at = excluded.answered_at",
            [user_id, conversation_id, last.role_id, last.role_title, last.aspect, last.query, last.page, stamp],
        )
        if purge:
            self.store.execute_autocommit("DELETE FROM conversation_context WHERE answered_at < ?",
                                          [_stamp(now - self.ttl)])
            self._next_purge = _stamp(now + PURGE_EVERY)


def _stamp(moment: datetime) -> str:
    """A UTC timestamp that sorts as text (naive datetimes are taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
