"""Check-in cadences and their occurrences in the outbox: the schedule part of check-ins.

:func:`parse_cadence` reads 'weekly thu 10:00'; :func:`occurrences` expands a cadence into UTC instants
in the manager's zone; :func:`replan` re-expands a journey's stored cadence after its start date moved.
Apart from ``jobs.checkins`` (prompts, answers, digests) so that ``jobs.journeys.reschedule`` can move a
journey's check-ins without the two modules importing each other: this module needs only a journey's
data, never the journeys API.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from core.config import Settings
from core.store import Store
from jobs import outbox
from jobs.errors import InvalidCadence
from jobs.timeutil import WEEKDAYS, local_date, local_instant, next_business_day, parse_hhmm

if TYPE_CHECKING:
    from jobs.journeys import Journey

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


def journey_end(settings: Settings, journey: Journey) -> date:
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


def replan(store: Store, settings: Settings, journey: Journey, now: datetime) -> None:
    """Re-expand the journey's stored cadence after its start date moved (:func:`jobs.journeys.reschedule`
    calls this inside its transaction): check-ins not sent yet follow the new first day and end."""
    if journey.checkin_spec:
        tz = journey.manager_tz or settings.onboarding.fallback_timezone
        replace_checkins(store, settings, journey, parse_cadence(journey.checkin_spec), tz, now)


def replace_checkins(
    store: Store, settings: Settings, journey: Journey, cadence: Cadence | None, tz: str, now: datetime
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
