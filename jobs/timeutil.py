"""Time helpers: UTC storage, local wall times with zoneinfo, business days.

Rules (also in the README):

- Every instant is stored as UTC ISO 8601 text (``2026-03-09T13:00:00+00:00``), which sorts correctly.
- A message's instant is computed per date: the local wall time (date + send time) in the recipient's
  zone, then converted to UTC. So a DST change between two messages never shifts either of them.
- A wall time that does not exist (02:30 on a spring-forward night) goes out at the same instant the
  clock would show had it not jumped, i.e. 03:30 local; an ambiguous one (01:30 on a fall-back night)
  goes out once, at its first occurrence (``fold=0``).
"""

from __future__ import annotations

import re
import zoneinfo
from datetime import UTC, date, datetime, time, timedelta

from jobs.errors import InvalidStartDate, UnknownTimezone

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: How far before or after today a start date may be.
MAX_START_DISTANCE = timedelta(days=365)


def utcnow() -> datetime:
    """The current instant, aware, in UTC (time-machine freezes it in tests)."""
    return datetime.now(UTC)


def to_iso(moment: datetime) -> str:
    """An aware datetime as UTC ISO 8601 text, to the second."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: rolebot stores aware UTC instants only")
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def from_iso(text: str) -> datetime:
    """Parse text written by :func:`to_iso` (or any ISO 8601 with an offset; naive means UTC)."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def zone(name: str) -> zoneinfo.ZoneInfo:
    """The zone called ``name``, or UnknownTimezone with a one-line hint."""
    try:
        if not name or name != name.strip() or name.startswith(("/", ".")):
            raise ValueError(name)
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        raise UnknownTimezone(
            f"Unknown time zone {name!r}: use an IANA name such as Europe/Berlin or America/New_York."
        ) from None


def parse_hhmm(text: str) -> time:
    """'09:00' -> time(9, 0); raises ValueError on anything else."""
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", text.strip())
    if not match:
        raise ValueError(f"not HH:MM: {text!r}")
    hour, minute = int(match[1]), int(match[2])
    if not (0 <= hour < 24 and 0 <= minute < 60):
        raise ValueError(f"not a time of day: {text!r}")
    return time(hour, minute)


def parse_start_date(text: str | date, today: date) -> date:
    """A start date from 'YYYY-MM-DD' (or a date), no more than a year before or after ``today``.

    Raises InvalidStartDate with the reason.
    """
    if isinstance(text, date):
        start = text
    else:
        try:
            start = date.fromisoformat(str(text).strip())
        except ValueError:
            raise InvalidStartDate(f"Start date {text!r} is not a date: use YYYY-MM-DD, e.g. 2026-03-02.") from None
    if abs(start - today) > MAX_START_DISTANCE:
        raise InvalidStartDate(
            f"Start date {start.isoformat()} is more than a year from today ({today.isoformat()}): "
            "check the year."
        )
    return start


def next_business_day(day: date, business_days: tuple[str, ...]) -> date:
    """``day`` itself if it is a business day, else the next one."""
    allowed = {WEEKDAYS.index(d) for d in business_days} or set(range(7))
    while day.weekday() not in allowed:
        day += timedelta(days=1)
    return day


def local_instant(day: date, at: time, tz: str) -> datetime:
    """The UTC instant of wall time ``at`` on ``day`` in zone ``tz`` (see the module rules for DST)."""
    local = datetime.combine(day, at, tzinfo=zone(tz))  # fold=0: first occurrence / pre-gap offset
    return local.astimezone(UTC)


def local_date(moment: datetime, tz: str) -> date:
    """The calendar date that ``moment`` falls on in zone ``tz``."""
    return moment.astimezone(zone(tz)).date()
