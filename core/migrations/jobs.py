"""Schema migrations of onboarding journeys and the outbox. Append; never edit one that has shipped.

Layout:

- ``journeys``: one row per enrolment (hire, manager, role title copied at enrolment, local start date,
  the hire's IANA time zone and send time, status, check-in cadence and the manager's time zone). At
  most one *live* journey (active, paused or blocked) per hire and role: a partial unique index.
- ``journey_goals``: the role's goals and success indicators copied at enrolment, so a later edit of the
  role document does not rewrite a running plan; ``done_at``/``done_by`` record the hire's ticks.
- ``outbox``: every message rolebot will send, as the truth (the scheduler is only a clock). ``due_utc``
  is the planned instant (UTC ISO 8601), ``available_utc`` the earliest next attempt (pushed on retry),
  ``status`` pending -> sending -> sent (or failed / skipped / cancelled / paused). ``(journey_id, kind,
  period)`` is unique, so re-enrolling, re-importing or re-planning never duplicates a message.
  ``claim_token`` (jobs-0002) names the claim that holds a 'sending' row.
- ``checkin_answers``: a hire's answers to one check-in prompt (keyed by the prompt's outbox id).
- jobs-0003: ``journeys.platform`` ('slack' or 'teams'): where the journey's people are and which sender
  delivers its rows; user ids (``user_id``, ``manager_id``, ``outbox.recipient``) are that platform's.
  ``slack_channel``/``slack_ts`` of the outbox hold the platform's conversation id and message id.
- ``chat_addresses`` (jobs-0003): how to reach a person proactively on a platform that needs more than a
  user id (Teams: the personal conversation id and service URL stored when the bot was installed for
  them or they first wrote to it), with their display name and the IANA zone their client reported.
"""

from __future__ import annotations

import sqlite_utils

_INITIAL = (
    """CREATE TABLE journeys (
        id INTEGER PRIMARY KEY,
        user_id TEXT NOT NULL,
        manager_id TEXT,
        role_id INTEGER,
        role_title TEXT NOT NULL,
        role_key TEXT NOT NULL,
        start_date TEXT NOT NULL,
        tz TEXT NOT NULL,
        send_time TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'active'
            CHECK (status IN ('active', 'paused', 'blocked', 'completed', 'cancelled')),
        blocked_reason TEXT,
        enrolled_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        checkin_spec TEXT,
        manager_tz TEXT
    )""",
    """CREATE UNIQUE INDEX journeys_one_live ON journeys (user_id, role_key)
        WHERE status IN ('active', 'paused', 'blocked')""",
    """CREATE INDEX journeys_manager ON journeys (manager_id)""",
    """CREATE TABLE journey_goals (
        id INTEGER PRIMARY KEY,
        journey_id INTEGER NOT NULL REFERENCES journeys(id) ON DELETE CASCADE,
        horizon_days INTEGER NOT NULL,
        heading TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('goal', 'indicator')),
        position INTEGER NOT NULL,
        text TEXT NOT NULL,
        done_at TEXT,
        done_by TEXT
    )""",
    """CREATE INDEX journey_goals_journey ON journey_goals (journey_id)""",
    """CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        journey_id INTEGER NOT NULL REFERENCES journeys(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        period TEXT NOT NULL,
        recipient TEXT NOT NULL,
        day INTEGER,
        due_utc TEXT NOT NULL,
        available_utc TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending'
            CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'skipped', 'cancelled', 'paused')),
        attempts INTEGER NOT NULL DEFAULT 0,
        claimed_at TEXT,
        sent_at TEXT,
        last_error TEXT,
        slack_channel TEXT,
        slack_ts TEXT,
        payload TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL,
        UNIQUE (journey_id, kind, period)
    )""",
    # The poller's only hot query: pending rows by time. Partial, so sent history does not slow it.
    """CREATE INDEX outbox_pending ON outbox (available_utc) WHERE status = 'pending'""",
    """CREATE INDEX outbox_sending ON outbox (claimed_at) WHERE status = 'sending'""",
    """CREATE INDEX outbox_journey ON outbox (journey_id, status)""",
    """CREATE TABLE checkin_answers (
        outbox_id INTEGER PRIMARY KEY REFERENCES outbox(id) ON DELETE CASCADE,
        journey_id INTEGER NOT NULL REFERENCES journeys(id) ON DELETE CASCADE,
        user_id TEXT NOT NULL,
        answers TEXT NOT NULL,
        answered_at TEXT NOT NULL
    )""",
)


def _initial(db: sqlite_utils.Database) -> None:
    # One statement at a time: executescript() would commit the migration's transaction half-way.
    for statement in _INITIAL:
        db.execute(statement)


def _claim_token(db: sqlite_utils.Database) -> None:
    # Which claim holds a 'sending' row: a tick checks it before each post, so a row another process
    # took back after the lease is never posted by both (see jobs.outbox).
    db.execute("ALTER TABLE outbox ADD COLUMN claim_token TEXT")


_PLATFORMS = (
    "ALTER TABLE journeys ADD COLUMN platform TEXT NOT NULL DEFAULT 'slack'",
    """CREATE TABLE chat_addresses (
        platform TEXT NOT NULL,
        user_id TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        service_url TEXT NOT NULL,
        tenant_id TEXT,
        name TEXT,
        tz TEXT,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (platform, user_id)
    )""",
)


def _platforms(db: sqlite_utils.Database) -> None:
    # Existing journeys are Slack's; the default says so without rewriting their rows.
    for statement in _PLATFORMS:
        db.execute(statement)


MIGRATIONS = [
    ("jobs-0001-initial", _initial),
    ("jobs-0002-claim-token", _claim_token),
    ("jobs-0003-platforms", _platforms),
]
