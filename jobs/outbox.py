"""The outbox: every message rolebot will send, as rows of one table (the truth; the scheduler is a clock).

Life of a row: ``pending`` -> (claimed by a poll tick) ``sending`` -> ``sent``, or ``failed`` (gave up),
``skipped`` (stale after downtime, missed while paused, nothing left to remind), ``cancelled`` (journey
cancelled) or ``paused`` (journey paused or blocked; back to ``pending`` on resume).

Exactly-once, and its one gap: :func:`claim_due` moves rows to ``sending`` in one atomic ``UPDATE …
RETURNING`` and stamps them with a random ``claim_token``, so two pollers (or a poller and ``rolebot
nudges run-due``) never take the same row. Right before posting a row the sender calls
:func:`renew_claim`: it succeeds only while the row is still 'sending' under *its* token, and restarts
the lease. A row another process took back after the lease (:func:`recover_stale_claims` clears the
token) is therefore never posted by both. The sender marks each row ``sent`` right after Slack accepts
*that* row, before posting the next one. If the process dies in between -- after Slack accepted the
post, before the database recorded it -- the row stays ``sending``; after the lease
(:data:`DEFAULT_LEASE`) it returns to ``pending`` and is posted again. The same happens to the one post
in flight when a single post outlives the whole lease, and to a post whose connection drops after Slack
accepted it but before its answer arrived (it looks failed and is retried). That window, at most one row
per process at a time, is the only way a message can be sent twice. Everything else is sent at most once and, while Slack is
reachable, at least once.

Public API (all take the :class:`core.store.Store` first and aware UTC datetimes):
``enqueue``, ``get_row``, ``rows_for_journey``, ``claim_due``, ``renew_claim``, ``mark_sent``,
``mark_failed``, ``set_status``, ``hold``, ``release``, ``recover_stale_claims``, ``skip_stale``, ``snooze``;
and the journey-wide moves ``pause_journey``, ``resume_journey``, ``cancel_journey``, ``replan_row`` and
``drop_unsent`` that ``jobs.journeys`` and ``jobs.checkins`` call inside their own transactions. This module
is the only writer of the outbox table.
"""

from __future__ import annotations

import json
import logging
import secrets
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from core import rows
from core.store import Store
from jobs.errors import JourneyNotActive, OutboxRowNotFound, PermissionDenied
from jobs.timeutil import from_iso, local_date, local_instant, next_business_day, parse_hhmm, to_iso, utcnow

logger = logging.getLogger(__name__)

#: A row left in 'sending' longer than this is assumed orphaned by a dead process and retried.
DEFAULT_LEASE = timedelta(minutes=10)
#: After this many failed attempts a row is marked 'failed' for good.
MAX_ATTEMPTS = 5

PENDING, SENDING, SENT, FAILED, SKIPPED, CANCELLED, PAUSED = (
    "pending",
    "sending",
    "sent",
    "failed",
    "skipped",
    "cancelled",
    "paused",
)
#: Kinds sent to the manager whatever state the journey is in (they are about the journey's state).
NOTICE_KINDS = ("digest", "stale_notice", "blocked_notice")


@dataclass
class OutboxRow:
    """One message in the outbox."""

    id: int
    journey_id: int
    kind: str
    period: str
    #: User id (on the journey's platform) the message goes to: their personal chat with rolebot.
    recipient: str
    day: int | None
    due_utc: datetime
    available_utc: datetime
    status: str
    attempts: int = 0
    claimed_at: datetime | None = None
    sent_at: datetime | None = None
    last_error: str | None = None
    #: Where the sent message lives: conversation id and message id (Slack DM channel and ``ts``; Teams
    #: conversation and activity id). Named for Slack, which came first; see core.migrations.jobs.
    slack_channel: str | None = None
    slack_ts: str | None = None
    payload: dict[str, Any] = field(default_factory=dict)
    #: The claim holding a 'sending' row (None otherwise).
    claim_token: str | None = None

    @classmethod
    def from_db(cls, row: sqlite3.Row | dict[str, Any]) -> OutboxRow:
        """Build from a database row (a dict or sqlite3.Row with the outbox columns)."""
        return rows.build(
            cls, dict(row), due_utc=from_iso, available_utc=from_iso, claimed_at=from_iso, sent_at=from_iso,
            payload=lambda text: json.loads(text or "{}"),
        )


def _rows(store: Store, sql: str, params: Any = ()) -> list[OutboxRow]:
    return [OutboxRow.from_db(row) for row in rows.query(store, sql, params)]


def enqueue(
    store: Store,
    journey_id: int,
    kind: str,
    period: str,
    recipient: str,
    due: datetime,
    *,
    day: int | None = None,
    payload: dict[str, Any] | None = None,
    status: str = PENDING,
    now: datetime | None = None,
) -> OutboxRow:
    """Add a message unless ``(journey_id, kind, period)`` exists; return the row either way.

    Call inside the caller's transaction when several writes belong together.
    """
    now = now or utcnow()
    store.conn.execute(
        """INSERT INTO outbox
           (journey_id, kind, period, recipient, day, due_utc, available_utc, status, payload, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (journey_id, kind, period) DO NOTHING""",
        [journey_id, kind, period, recipient, day, to_iso(due), to_iso(due), status,
         json.dumps(payload or {}, ensure_ascii=False), to_iso(now)],
    )
    return _rows(
        store, "SELECT * FROM outbox WHERE journey_id = ? AND kind = ? AND period = ?", [journey_id, kind, period]
    )[0]


def get_row(store: Store, outbox_id: int) -> OutboxRow:
    """The row with this id, or OutboxRowNotFound."""
    found = _rows(store, "SELECT * FROM outbox WHERE id = ?", [outbox_id])
    if not found:
        raise OutboxRowNotFound(f"No onboarding message has id {outbox_id}.")
    return found[0]


def rows_for_journey(store: Store, journey_id: int, statuses: tuple[str, ...] | None = None) -> list[OutboxRow]:
    """The journey's rows by due time, optionally only those with the given statuses."""
    sql = "SELECT * FROM outbox WHERE journey_id = ?"
    params: list[Any] = [journey_id]
    if statuses:
        sql += f" AND status IN ({','.join('?' * len(statuses))})"
        params += list(statuses)
    return _rows(store, sql + " ORDER BY due_utc, id", params)


def claim_due(
    store: Store, now: datetime, limit: int = 100, lease: timedelta | None = None,
    *, claimed_at: datetime | None = None,
) -> list[OutboxRow]:
    """Atomically move up to ``limit`` rows due at ``now`` to 'sending' and return them, oldest first.

    One ``UPDATE … WHERE id IN (SELECT …) RETURNING`` statement: no other connection can claim the same
    rows. The rows share a new ``claim_token``; their lease starts at ``claimed_at`` (default ``now``).
    With ``lease``, orphaned claims older than it are recovered first.
    """
    if lease is not None:
        recover_stale_claims(store, now, lease)
    with store.conn:
        claimed = _rows(
            store,
            """UPDATE outbox SET status = 'sending', claimed_at = :claimed_at, claim_token = :token,
                                 attempts = attempts + 1
               WHERE id IN (
                   SELECT id FROM outbox WHERE status = 'pending' AND available_utc <= :now
                   ORDER BY available_utc, id LIMIT :limit""" + store.dialect.skip_locked + """)
               RETURNING *""",
            {"now": to_iso(now), "claimed_at": to_iso(claimed_at or now), "token": secrets.token_hex(8),
             "limit": limit},
        )
    return sorted(claimed, key=lambda r: (r.due_utc, r.id))


def renew_claim(store: Store, row: OutboxRow, at: datetime) -> bool:
    """Whether ``row`` is still held by the claim that returned it; if so its lease restarts at ``at``.

    Call right before posting: False means the lease ran out and another process took the row back,
    so it must not be posted here.
    """
    with store.conn:
        cursor = store.conn.execute(
            "UPDATE outbox SET claimed_at = ? WHERE id = ? AND status = 'sending' AND claim_token = ?",
            [to_iso(at), row.id, row.claim_token],
        )
    return cursor.rowcount == 1


def mark_sent(store: Store, outbox_id: int, channel: str, ts: str, now: datetime) -> None:
    """Record that Slack accepted the row's message (channel and ts let it be updated in place).

    Also when the lease ran out meanwhile and the row went back to 'pending': it has been posted, so
    recording it keeps another process from posting it again.
    """
    with store.conn:
        store.conn.execute(
            """UPDATE outbox SET status = 'sent', sent_at = ?, slack_channel = ?, slack_ts = ?, last_error = NULL,
                                 claim_token = NULL
               WHERE id = ? AND status IN ('sending', 'pending')""",
            [to_iso(now), channel, ts, outbox_id],
        )


#: Matches a 'sending' row held by claim ``:token`` (any claim when the caller passes no token).
_HELD = "status = 'sending' AND (:token IS NULL OR claim_token = :token)"


def mark_failed(
    store: Store, outbox_id: int, error: str, now: datetime, retry_in: timedelta | None = None,
    *, token: str | None = None,
) -> str:
    """Record a failed attempt. With ``retry_in`` and attempts left, back to 'pending' later; else 'failed'.

    Only while the row is held by the claim ``token`` (if given). Returns the new status.
    """
    row = get_row(store, outbox_id)
    status = PENDING if retry_in is not None and row.attempts < MAX_ATTEMPTS else FAILED
    available = now + retry_in if status == PENDING and retry_in is not None else row.available_utc
    with store.conn:
        store.conn.execute(
            f"""UPDATE outbox SET status = :status, last_error = :error, available_utc = :available,
                                  claim_token = NULL
                WHERE id = :id AND {_HELD}""",
            {"status": status, "error": error[:500], "available": to_iso(available), "id": outbox_id,
             "token": token},
        )
    return status


def set_status(
    store: Store, outbox_id: int, status: str, reason: str | None = None, *, token: str | None = None
) -> None:
    """Move a claimed row to a final or waiting state without sending it (skipped, paused, cancelled).

    Only while the row is held by the claim ``token`` (if given).
    """
    with store.conn:
        store.conn.execute(
            f"""UPDATE outbox SET status = :status, last_error = COALESCE(:reason, last_error), claim_token = NULL
                WHERE id = :id AND {_HELD}""",
            {"status": status, "reason": reason, "id": outbox_id, "token": token},
        )


def hold(store: Store, outbox_id: int, reason: str, *, token: str | None = None) -> str | None:
    """Park a claimed row whose journey is paused or blocked; returns its new status (None: not held).

    'paused' while the journey still is; 'pending' when it was resumed after the caller read it (resume
    moves only the rows already 'paused', so parking this one would strand it). One statement, so the
    journey's state is read at the moment the row is parked.
    """
    with store.conn:
        found = store.conn.execute(
            f"""UPDATE outbox SET last_error = :reason, claim_token = NULL,
                       status = CASE WHEN EXISTS (SELECT 1 FROM journeys j WHERE j.id = outbox.journey_id
                                                  AND j.status IN ('paused', 'blocked'))
                                THEN 'paused' ELSE 'pending' END
                WHERE id = :id AND {_HELD}
                RETURNING status""",
            {"reason": reason, "id": outbox_id, "token": token},
        ).fetchone()
    return found[0] if found else None


def release(store: Store, outbox_ids: list[int], *, token: str | None = None) -> None:
    """Give claimed rows back untouched (the tick stopped before trying them); only those ``token`` holds."""
    if not outbox_ids:
        return
    params: dict[str, Any] = {f"id{n}": outbox_id for n, outbox_id in enumerate(outbox_ids)}
    with store.conn:
        store.conn.execute(
            f"""UPDATE outbox SET status = 'pending', claimed_at = NULL, claim_token = NULL,
                                  attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END
                WHERE {_HELD} AND id IN ({','.join(':' + name for name in params)})""",
            {**params, "token": token},
        )


def recover_stale_claims(store: Store, now: datetime, lease: timedelta = DEFAULT_LEASE) -> int:
    """Return rows stuck in 'sending' for longer than ``lease`` to 'pending'; the number recovered.

    Such a row was claimed by a process that died; see the module docstring for the one-row window in
    which this re-sends a message Slack had already accepted. A row already claimed :data:`MAX_ATTEMPTS`
    times is marked 'failed' instead: a message that keeps stopping its process is not retried forever.
    """
    with store.conn:
        cursor = store.conn.execute(
            """UPDATE outbox SET claim_token = NULL,
                   status = CASE WHEN attempts >= :max THEN 'failed' ELSE 'pending' END,
                   last_error = CASE WHEN attempts >= :max
                                THEN 'given up: ' || attempts || ' claims ended with their process stopped'
                                ELSE last_error END
               WHERE status = 'sending' AND claimed_at < :cutoff""",
            {"max": MAX_ATTEMPTS, "cutoff": to_iso(now - lease)},
        )
    if cursor.rowcount:
        logger.warning("recovered %d outbox row(s) left in 'sending' by a stopped process", cursor.rowcount)
    return cursor.rowcount


def skip_stale(store: Store, now: datetime, max_age: timedelta) -> list[OutboxRow]:
    """Mark pending rows due more than ``max_age`` ago 'skipped' (catch-up after downtime); return them."""
    with store.conn:
        return _rows(
            store,
            """UPDATE outbox SET status = 'skipped', last_error = 'stale: due ' || due_utc
               WHERE status = 'pending' AND available_utc <= :now AND due_utc < :cutoff
               RETURNING *""",
            {"now": to_iso(now), "cutoff": to_iso(now - max_age)},
        )


def snooze(
    store: Store,
    outbox_id: int,
    user_id: str,
    days: int = 1,
    *,
    business_days: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri"),
    now: datetime | None = None,
) -> OutboxRow:
    """Remind the hire again ``days`` later: a new 'reminder' row at the journey's send time, next business day.

    Only the hire may snooze their message. Snoozing the same message twice returns the same new row.
    Raises OutboxRowNotFound, PermissionDenied, JourneyNotActive.
    """
    now = now or utcnow()
    row = get_row(store, outbox_id)
    journey = store.conn.execute(
        "SELECT user_id, tz, send_time, status FROM journeys WHERE id = ?", [row.journey_id]
    ).fetchone()
    if journey is None or journey[0] != user_id:
        raise PermissionDenied("Only the person this reminder is for can snooze it.")
    if journey[3] != "active":
        raise JourneyNotActive(f"This onboarding journey is {journey[3]}, so there is nothing to snooze.")
    tz, send_time = journey[1], journey[2]
    day = next_business_day(local_date(now, tz) + timedelta(days=max(days, 1)), business_days)
    due = local_instant(day, parse_hhmm(send_time), tz)
    with store.conn:
        return enqueue(
            store, row.journey_id, "reminder", f"snooze-{outbox_id}", user_id, due,
            day=row.day, payload={"snoozed_from": outbox_id}, now=now,
        )


# Journey-wide moves. Each runs inside the caller's transaction (the journey's own status change is part
# of it), so they do not open one themselves.

def _hire_rows_clause() -> str:
    return f"kind NOT IN ({','.join(repr(k) for k in NOTICE_KINDS)})"


def pause_journey(store: Store, journey_id: int, recipient: str | None = None) -> None:
    """Park the journey's pending messages to the hire ('paused'); only those to ``recipient`` if given.

    Notices to the manager (:data:`NOTICE_KINDS`) keep going: they are about the journey's state.
    """
    store.conn.execute(
        f"""UPDATE outbox SET status = 'paused' WHERE journey_id = :journey AND status = 'pending'
            AND (:recipient IS NULL OR recipient = :recipient) AND {_hire_rows_clause()}""",
        {"journey": journey_id, "recipient": recipient},
    )


def resume_journey(store: Store, journey_id: int, now: datetime) -> None:
    """Paused messages due before ``now`` are skipped (missed while paused); the rest are pending again."""
    store.conn.execute(
        """UPDATE outbox SET status = 'skipped', last_error = 'missed while paused'
           WHERE journey_id = ? AND status = 'paused' AND due_utc < ?""",
        [journey_id, to_iso(now)],
    )
    store.conn.execute(
        "UPDATE outbox SET status = 'pending', available_utc = due_utc WHERE journey_id = ? AND status = 'paused'",
        [journey_id],
    )


def cancel_journey(store: Store, journey_id: int) -> None:
    """Nothing not yet sent goes out any more."""
    store.conn.execute(
        "UPDATE outbox SET status = 'cancelled' WHERE journey_id = ? AND status IN ('pending', 'paused')",
        [journey_id],
    )


def replan_row(
    store: Store, journey_id: int, kind: str, period: str, due: datetime, day: int | None, status: str,
    reason: str | None,
) -> None:
    """Move one planned message not sent yet to ``due`` with ``status`` (a reschedule).

    Rows skipped as stale stay skipped: their manager was already told they were missed.
    """
    store.conn.execute(
        """UPDATE outbox SET due_utc = ?, available_utc = ?, day = ?, status = ?, last_error = ?
           WHERE journey_id = ? AND kind = ? AND period = ? AND status IN ('pending', 'paused', 'skipped')
           AND NOT (status = 'skipped' AND COALESCE(last_error, '') LIKE 'stale%')""",
        [to_iso(due), to_iso(due), day, status, reason, journey_id, kind, period],
    )


def drop_unsent(store: Store, journey_id: int, kind: str) -> None:
    """Delete the journey's messages of ``kind`` that were not sent (e.g. check-ins before a new cadence)."""
    store.conn.execute(
        "DELETE FROM outbox WHERE journey_id = ? AND kind = ? AND status IN ('pending', 'paused')",
        [journey_id, kind],
    )
