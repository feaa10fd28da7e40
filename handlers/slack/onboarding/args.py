"""Parse the text of ``/role onboard``, ``/role onboarding`` and ``/role checkin`` into small requests.

Slack sends a user mention in command text as ``<@U123|name>`` or ``<@U123>`` when the manifest turns
on "escape users"; a plain ``@name`` cannot be resolved to an ID without a directory search, so it is
refused with a message that says to pick the person from Slack's mention menu.

Every parse error is an :class:`core.errors.InvalidCommand` whose reason is one line a person can act
on and names what to type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time

from core.errors import InvalidCommand
from handlers.slack.blocks.parts import escape
from jobs import journeys
from jobs.errors import InvalidUserId
from jobs.timeutil import parse_hhmm

#: Usage lines as plain text: escape them in mrkdwn, where Slack would read ``<role>`` as a link.
ONBOARD_USAGE = "/role onboard @person <role> [start YYYY-MM-DD]"
CHECKIN_USAGE = "/role checkin @person weekly|biweekly <day> HH:MM"
#: Verbs that change an existing journey or check-in instead of creating one.
VERBS = ("pause", "resume", "cancel", "reschedule", "status")
CADENCES = ("weekly", "biweekly")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class OnboardArgs:
    """``/role onboard @person <role> [start YYYY-MM-DD]``: enrol ``user_id`` in ``role_query``."""

    user_id: str
    role_query: str
    start: date | None = None


@dataclass(frozen=True)
class VerbArgs:
    """``/role onboard|checkin <verb> @person [YYYY-MM-DD]``: change what already exists."""

    verb: str
    user_id: str
    on: date | None = None


@dataclass(frozen=True)
class CheckinArgs:
    """``/role checkin @person weekly thu 10:00``: a check-in cadence set by the hire's manager."""

    user_id: str
    cadence: str
    weekday: str
    at: time


def parse_mention(token: str) -> str:
    """The user ID of a Slack mention token (``<@U123>`` or ``<@U123|name>``, or a bare ID ``U123``).

    The jobs API's :func:`jobs.journeys.normalize_user_id` reads it; this adds what to type instead.
    """
    try:
        return journeys.normalize_user_id(token)
    except InvalidUserId:
        pass
    if token.startswith("@") or token.startswith("<@"):
        raise InvalidCommand(
            f"I could not read {escape(token)} as a person: pick them from Slack's @-mention menu so it becomes a link."
        )
    raise InvalidCommand(f"Start with the person, as an @-mention (got {escape(token)!r}).")


def parse_date(text: str) -> date:
    """A calendar date written ``YYYY-MM-DD``."""
    if not _DATE.match(text):
        raise InvalidCommand(f"{escape(text)!r} is not a date: write it as YYYY-MM-DD, e.g. 2026-12-01.")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidCommand(f"{escape(text)!r} is not a real calendar date.") from None


def parse_time(text: str) -> time:
    """A 24-hour clock time written ``HH:MM``."""
    try:
        return parse_hhmm(text)
    except ValueError:
        raise InvalidCommand(f"{escape(text)!r} is not a time: write it as HH:MM on a 24-hour clock, e.g. 10:00.") from None


def parse_weekday(text: str) -> str:
    """A day name (``thu``, ``Thursday``) as its three-letter lower-case form."""
    word = text.lower().rstrip(".")
    names = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    if len(word) < 3 or not any(name.startswith(word) for name in names):
        raise InvalidCommand(f"{escape(text)!r} is not a day of the week: use mon, tue, wed, thu, fri, sat or sun.")
    return word[:3]


def _verb(tokens: list[str], usage: str) -> VerbArgs:
    verb = tokens[0].lower()
    if len(tokens) < 2:
        raise InvalidCommand(f"Say whose journey: {usage.split()[0]} {usage.split()[1]} {verb} @person.")
    user_id = parse_mention(tokens[1])
    rest = tokens[2:]
    if verb == "reschedule":
        if len(rest) != 1:
            raise InvalidCommand(f"Give the new start date: {usage.split()[0]} {usage.split()[1]} reschedule @person YYYY-MM-DD.")
        return VerbArgs(verb, user_id, parse_date(rest[0]))
    if rest:
        raise InvalidCommand(f"'{verb}' takes only the person; I did not understand {escape(' '.join(rest))!r}.")
    return VerbArgs(verb, user_id)


def parse_onboard(text: str) -> OnboardArgs | VerbArgs | None:
    """Parse the arguments of ``/role onboard``; None when there are none (open the modal)."""
    tokens = text.split()
    if not tokens:
        return None
    if tokens[0].lower() in VERBS:
        return _verb(tokens, "/role onboard")
    user_id = parse_mention(tokens[0])
    rest = tokens[1:]
    start = None
    if len(rest) >= 2 and rest[-2].lower() in ("start", "starting", "on"):
        start = parse_date(rest[-1])
        rest = rest[:-2]
    elif rest and _DATE.match(rest[-1]):
        start = parse_date(rest[-1])
        rest = rest[:-1]
    elif rest and rest[-1].lower() in ("start", "starting"):
        raise InvalidCommand(f"Give the start date after 'start', as YYYY-MM-DD: {escape(ONBOARD_USAGE)}.")
    if not rest:
        raise InvalidCommand(f"Say which role: {escape(ONBOARD_USAGE)}.")
    return OnboardArgs(user_id, " ".join(rest), start)


def parse_checkin(text: str) -> CheckinArgs | VerbArgs:
    """Parse the arguments of ``/role checkin``."""
    tokens = text.split()
    if not tokens:
        raise InvalidCommand(f"Usage: {escape(CHECKIN_USAGE)} (or pause|resume|cancel @person).")
    if tokens[0].lower() in VERBS:
        return _verb(tokens, "/role checkin")
    user_id = parse_mention(tokens[0])
    rest = tokens[1:]
    if len(rest) == 1 and rest[0].lower() in ("off", "none", "stop"):
        return VerbArgs("cancel", user_id)
    if len(rest) != 3:
        raise InvalidCommand(f"Give a cadence, a day and a time: {escape(CHECKIN_USAGE)}, e.g. weekly thu 10:00.")
    cadence = rest[0].lower().replace("-", "")
    if cadence == "fortnightly":
        cadence = "biweekly"
    if cadence not in CADENCES:
        raise InvalidCommand(f"{escape(rest[0])!r} is not a cadence: use weekly or biweekly.")
    return CheckinArgs(user_id, cadence, parse_weekday(rest[1]), parse_time(rest[2]))
