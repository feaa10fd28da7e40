"""Manager check-ins: a cadence per journey, a prompt to the hire, answers, and one digest to the manager.

Public API:

- :func:`~jobs.cadence.parse_cadence` ('weekly thu 10:00', 'biweekly friday 9am', 'every 2 weeks on mon
  at 14:30', 'off') -> :class:`~jobs.cadence.Cadence` or None; InvalidCadence with an example otherwise.
- :func:`set_cadence` (manager or admin): stores the spec and the manager's zone on the journey and puts
  every occurrence up to the journey's last milestone into the outbox as ``checkin`` rows (to the hire).
- :func:`questions` (from ``settings.onboarding.checkin_questions``).
- :func:`record_answers` (the hire only, once per prompt) -> the ``digest`` outbox row for the manager.
- :func:`answers_for` -> the recorded answers of one prompt.
- cadences and their occurrences live in :mod:`jobs.cadence` (``parse_cadence``, ``replan``, …),
  which :func:`jobs.journeys.reschedule` uses to move check-ins with a journey.

Why expand every occurrence up front rather than re-schedule one after each send: the outbox stays the
single truth (pause, resume, reschedule and cancel treat check-ins like every other row), a failed or
skipped send cannot break a chain, and the number of rows is small (13 for weekly over 90 days). A check-in
time is wall time in the *manager's* zone and uses the same per-date DST rule as every other message.
A check-in's ``checkin_id`` is the id of its prompt's outbox row (the button value of ``CHECKIN_OPEN``).
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from core.config import Settings
from core.store import Store
from jobs import journeys, outbox
from jobs.cadence import CHECKIN, DIGEST, Cadence, parse_cadence, replace_checkins
from jobs.errors import (
    CheckinAlreadyAnswered,
    CheckinNotFound,
    JourneyNotActive,
    OutboxRowNotFound,
    PermissionDenied,
)
from jobs.outbox import OutboxRow
from jobs.timeutil import (
    to_iso,
    utcnow,
    zone,
)


def questions(settings: Settings) -> tuple[str, ...]:
    """The questions a hire answers at each check-in."""
    return tuple(settings.onboarding.checkin_questions)


def set_cadence(
    store: Store,
    settings: Settings,
    journey_id: int,
    actor_id: str,
    spec: str,
    *,
    manager_tz: str | None = None,
    now: datetime | None = None,
) -> Cadence | None:
    """Set (or with 'off' clear) the journey's check-in cadence, in the manager's zone ``manager_tz``.

    Replaces every check-in not sent yet. The caller passes the manager's zone from Slack ``users.info``;
    default: the zone stored before, else the configured fallback. Raises PermissionDenied,
    InvalidCadence, UnknownTimezone, JourneyNotActive.
    """
    journey = journeys.get(store, journey_id)
    if not journeys.can_manage(settings, actor_id, journey):
        raise PermissionDenied("Only the hire's manager or an admin can set check-ins.")
    if not journey.is_live:
        raise JourneyNotActive(f"This journey is {journey.status}; check-ins cannot be set.")
    now = now or utcnow()
    tz = manager_tz or journey.manager_tz or settings.onboarding.fallback_timezone
    zone(tz)
    cadence = parse_cadence(spec, settings.onboarding.send_time)
    with store.conn:
        store.conn.execute(
            "UPDATE journeys SET checkin_spec = ?, manager_tz = ?, updated_at = ? WHERE id = ?",
            [str(cadence) if cadence else None, tz, to_iso(now), journey_id],
        )
        replace_checkins(store, settings, journey, cadence, tz, now)
    return cadence


def _checkin_row(store: Store, checkin_id: int) -> OutboxRow:
    try:
        row = outbox.get_row(store, checkin_id)
    except OutboxRowNotFound:
        row = None
    if row is None or row.kind != CHECKIN:
        raise CheckinNotFound(f"No check-in has id {checkin_id}.")
    return row


def record_answers(
    store: Store,
    checkin_id: int,
    user_id: str,
    answers: dict[str, str] | list[tuple[str, str]],
    *,
    now: datetime | None = None,
) -> OutboxRow | None:
    """Store the hire's answers to one check-in and queue one digest to the manager, due now.

    ``answers`` maps each question to its answer (order kept). Returns the digest row (None when the
    journey has no manager). Raises CheckinNotFound, PermissionDenied, CheckinAlreadyAnswered.
    """
    now = now or utcnow()
    row = _checkin_row(store, checkin_id)
    journey = journeys.get(store, row.journey_id)
    if user_id != journey.user_id:
        raise PermissionDenied("Only the person this check-in is for can answer it.")
    pairs = list(answers.items()) if isinstance(answers, dict) else [tuple(p) for p in answers]
    pairs = [(str(q)[:300], str(a or "").strip()[:2000]) for q, a in pairs]
    try:
        with store.conn:
            store.conn.execute(
                "INSERT INTO checkin_answers (outbox_id, journey_id, user_id, answers, answered_at) VALUES (?, ?, ?, ?, ?)",
                [checkin_id, journey.id, user_id, json.dumps(pairs, ensure_ascii=False), to_iso(now)],
            )
            if not journey.manager_id:
                return None
            return outbox.enqueue(store, journey.id, DIGEST, f"checkin-{checkin_id}", journey.manager_id, now,
                                  payload={"checkin_id": checkin_id}, now=now)
    except sqlite3.IntegrityError:
        raise CheckinAlreadyAnswered("You have already answered this check-in; your manager has your answers.") from None


def answers_for(store: Store, checkin_id: int) -> list[tuple[str, str]] | None:
    """The (question, answer) pairs recorded for a check-in, or None if not answered yet."""
    found = store.conn.execute("SELECT answers FROM checkin_answers WHERE outbox_id = ?", [checkin_id]).fetchone()
    return [tuple(p) for p in json.loads(found[0])] if found else None
