"""Manager check-ins: a cadence per journey, a prompt to the hire, answers, and one digest to the manager.

Public API:

- :func:`parse_cadence` ('weekly thu 10:00', 'biweekly friday 9am', 'every 2 weeks on mon at 14:30',
  'off') -> :class:`Cadence` or None; InvalidCadence with an example otherwise.
- :func:`set_cadence` (manager or admin): stores the spec and the manager's zone on the journey and puts
  every occurrence up to the journey's last milestone into the outbox as ``checkin`` rows (to the hire).
- :func:`questions` (from ``settings.onboarding.checkin_questions``).
- :func:`record_answers` (the hire only, once per prompt) -> the ``digest`` outbox row for the manager.
- :func:`answers_for` -> the recorded answers of one prompt.
- :func:`replan` (called by :func:`jobs.journeys.reschedule`): check-ins follow a moved start date.

Why expand every occurrence up front rather than re-schedule one after each send: the outbox stays the
single truth (pause, resume, reschedule and cancel treat check-ins like every other row), a failed or
skipped send cannot break a chain, and the number of rows is small (13 for weekly over 90 days). A check-in
time is wall time in the *manager's* zone and uses the same per-date DST rule as every other message.
A check-in's ``checkin_id`` is the id of its prompt's outbox row (the button value of ``CHECKIN_OPEN``).
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from core.config import Settings
from core.store import Store
from jobs import journeys, outbox
from jobs.errors import (
    CheckinAlreadyAnswered,
    CheckinNotFound,
    InvalidCadence,
    JourneyNotActive,
    OutboxRowNotFound,
    PermissionDenied,
)
from jobs.outbox import OutboxRow
from jobs.timeutil import (
    WEEKDAYS,
    local_date,
    local_instant,
    next_business_day,
    parse_hhmm,
    to_iso,
    utcnow,
    zone,
)

CHECKIN, DIGEST = "checkin", "digest"
_EXAMPLE = "e.g. 'weekly thu 10:00', 'biweekly fri 9am' or 'off'"
_DAY_NAMES = {
    **{d: i for i, d in enumerate(WEEKDAYS)},
    **{name: i for i, name in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))},
    "tues": 1, "weds": 2, "thur": 3, "thurs": 3,
}


@dataclass(frozen=True)
class Cadence:
    """A check-in cadence: every ``every_weeks`` weeks on ``weekday`` (0 = Monday) at ``at`` local time."""

    every_weeks: int
    weekday: int
    at: time

    def __str__(self) -> str:
        freq = {1: "weekly", 2: "biweekly"}.get(self.every_weeks, f"every {self.every_weeks} weeks")
        return f"{freq} {WEEKDAYS[self.weekday]} {self.at.strftime('%H:%M')}"


def _parse_time(token: str) -> time | None:
    match = re.fullmatch(r"(\d{1,2})(?::(\d{2}))?\s*(am|pm)?", token)
    if not match or (match[2] is None and match[3] is None):
        return None
    hour, minute = int(match[1]), int(match[2] or 0)
    if match[3]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match[3] == "pm" else 0)
    if not (0 <= hour < 24 and 0 <= minute < 60):
        return None
    return time(hour, minute)


def parse_cadence(spec: str, default_time: str = "09:00") -> Cadence | None:
    """Parse a cadence; None for 'off' / 'none' / 'stop'. Raises InvalidCadence naming what is wrong."""
    text = re.sub(r"(\d)\s+(am|pm)\b", r"\1\2", (spec or "").strip().lower())
    if text in ("off", "none", "stop", "no"):
        return None
    words = [w for w in re.split(r"[\s,]+", text) if w and w not in ("on", "at", "every", "each", "s")]
    every, weekday, at = 1, None, None
    i = 0
    while i < len(words):
        word = words[i]
        if word in ("week", "weeks"):
            pass  # "every week", "every other week": the frequency word carries the meaning
        elif word == "weekly":
            every = 1
        elif word in ("biweekly", "fortnightly", "fortnight", "other"):
            every = 2
        elif word.isdigit() and i + 1 < len(words) and words[i + 1] in ("weeks", "week"):
            every = int(word)
            i += 1
            if not 1 <= every <= 4:
                raise InvalidCadence(f"Check-ins can be every 1 to 4 weeks, not {every} ({_EXAMPLE}).")
        elif word.rstrip("s") in _DAY_NAMES or word in _DAY_NAMES:
            weekday = _DAY_NAMES.get(word, _DAY_NAMES.get(word.rstrip("s")))
        elif _parse_time(word) is not None:
            at = _parse_time(word)
        else:
            raise InvalidCadence(f"I don't understand {word!r} in the cadence {spec!r} ({_EXAMPLE}).")
        i += 1
    if weekday is None:
        raise InvalidCadence(f"The cadence {spec!r} needs a day of the week ({_EXAMPLE}).")
    return Cadence(every, weekday, at or parse_hhmm(default_time))


def questions(settings: Settings) -> tuple[str, ...]:
    """The questions a hire answers at each check-in."""
    return tuple(settings.onboarding.checkin_questions)


def journey_end(settings: Settings, journey: journeys.Journey) -> date:
    """The hire's local date of the journey's last milestone (check-ins stop after it)."""
    last = max(settings.onboarding.milestones)
    return next_business_day(journey.start_date + timedelta(days=last), settings.onboarding.business_days)


def occurrences(cadence: Cadence, tz: str, after: datetime, until: date) -> list[datetime]:
    """UTC instants of the cadence in zone ``tz`` from ``after`` (exclusive) to local date ``until``."""
    day = local_date(after, tz)
    day += timedelta(days=(cadence.weekday - day.weekday()) % 7)
    found = []
    while day <= until:
        moment = local_instant(day, cadence.at, tz)
        if moment > after:
            found.append(moment)
        elif not found:
            # Today's slot has passed: start a week later, then keep the interval.
            day += timedelta(days=7)
            continue
        day += timedelta(weeks=cadence.every_weeks)
    return found


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
        _replace_checkins(store, settings, journey, cadence, tz, now)
    return cadence


def replan(store: Store, settings: Settings, journey: journeys.Journey, now: datetime) -> None:
    """Re-expand the journey's stored cadence after its start date moved (:func:`jobs.journeys.reschedule`
    calls this inside its transaction): check-ins not sent yet follow the new first day and end."""
    if journey.checkin_spec:
        tz = journey.manager_tz or settings.onboarding.fallback_timezone
        _replace_checkins(store, settings, journey, parse_cadence(journey.checkin_spec), tz, now)


def _replace_checkins(
    store: Store, settings: Settings, journey: journeys.Journey, cadence: Cadence | None, tz: str, now: datetime
) -> None:
    """Replace the check-ins not sent yet by ``cadence``'s occurrences (none for None); in the caller's transaction."""
    status = outbox.PENDING if journey.status == "active" else outbox.PAUSED
    outbox.drop_unsent(store, journey.id, CHECKIN)
    if cadence:
        # No check-in before the hire's first day (start of that day in the manager's zone).
        begin = max(now, local_instant(journey.start_date, time(0, 0), tz) - timedelta(seconds=1))
        for moment in occurrences(cadence, tz, begin, journey_end(settings, journey)):
            outbox.enqueue(store, journey.id, CHECKIN, f"checkin-{local_date(moment, tz).isoformat()}",
                           journey.user_id, moment, status=status, now=now)


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
