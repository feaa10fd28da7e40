"""Modals of onboarding: the enrolment form and the hire's check-in answers, and reading them back.

Builders return plain dicts (what ``views.open`` takes); readers turn a submitted ``view.state.values``
into typed values plus a ``block_id -> message`` dict for ``response_action: errors``.
"""

from __future__ import annotations

import json
import zoneinfo
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from core.config import Settings
from handlers.shared import whole_number
from handlers.slack.onboarding.args import WEEKDAYS
from jobs.timeutil import parse_hhmm

ENROL_CALLBACK = "onboarding_enrol"
CHECKIN_CALLBACK = "onboarding_checkin_answers"
#: action_id of the role picker; its options come from an ``app.options`` handler.
ROLE_PICK = "onboarding_role_pick"

# block ids of the enrolment modal (errors are keyed by these)
B_HIRE, B_ROLE, B_START, B_SEND_TIME, B_TZ = "hire", "role", "start", "send_time", "tz"
B_CADENCE, B_DAY, B_CHECKIN_TIME = "checkin_cadence", "checkin_day", "checkin_time"
ANSWER = "answer"
#: Longest answer kept per check-in question (a modal input allows up to 3,000).
ANSWER_MAX = 1500
#: How far from today a start date may be, either way.
MAX_START_DAYS = 365

_DAY_NAMES = dict(zip(WEEKDAYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"), strict=True))
_CADENCE_NAMES = {"none": "No check-ins", "weekly": "Weekly", "biweekly": "Every two weeks"}


def _text(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def _option(value: str, label: str) -> dict[str, Any]:
    return {"text": _text(label), "value": value}


def _input(block_id: str, label: str, element: dict[str, Any], optional: bool = False, hint: str | None = None) -> dict[str, Any]:
    block = {"type": "input", "block_id": block_id, "label": _text(label), "element": element, "optional": optional}
    if hint:
        block["hint"] = _text(hint)
    return block


def enrol_modal(settings: Settings, today: date, initial_user: str | None = None) -> dict[str, Any]:
    """The "Onboard a new hire" modal: hire, role (fuzzy search), start, send time, time zone, check-ins."""
    onboarding = settings.onboarding
    hire: dict[str, Any] = {"type": "users_select", "action_id": "user", "placeholder": _text("Who is starting?")}
    if initial_user:
        hire["initial_user"] = initial_user
    day_options = [_option(day, name) for day, name in _DAY_NAMES.items()]
    cadence_options = [_option(value, label) for value, label in _CADENCE_NAMES.items()]
    blocks = [
        _input(B_HIRE, "New hire", hire),
        _input(
            B_ROLE,
            "Role",
            {"type": "external_select", "action_id": ROLE_PICK, "placeholder": _text("Type to search roles"), "min_query_length": 0},
            hint="The plan is built from this role's 30/60/90-day goals.",
        ),
        _input(B_START, "Start date", {"type": "datepicker", "action_id": "date", "initial_date": today.isoformat()}),
        _input(
            B_SEND_TIME,
            "Send messages at",
            {"type": "timepicker", "action_id": "time", "initial_time": onboarding.send_time},
            hint="In the hire's own time zone; weekends move to the next business day.",
        ),
        _input(
            B_TZ,
            "Time zone override",
            {"type": "plain_text_input", "action_id": "tz", "placeholder": _text("e.g. Europe/Berlin")},
            optional=True,
            hint=f"Leave empty to use the hire's Slack profile (fallback {onboarding.fallback_timezone}).",
        ),
        {"type": "divider"},
        _input(
            B_CADENCE,
            "Manager check-ins",
            {"type": "static_select", "action_id": "cadence", "options": cadence_options, "initial_option": cadence_options[0]},
        ),
        _input(
            B_DAY,
            "Check-in day",
            {"type": "static_select", "action_id": "day", "options": day_options, "initial_option": day_options[3]},
            optional=True,
        ),
        _input(
            B_CHECKIN_TIME,
            "Check-in time",
            {"type": "timepicker", "action_id": "time", "initial_time": "10:00"},
            optional=True,
            hint="In your own time zone.",
        ),
    ]
    return {
        "type": "modal",
        "callback_id": ENROL_CALLBACK,
        "title": _text("Onboard a new hire"),
        "submit": _text("Enrol"),
        "close": _text("Cancel"),
        "blocks": blocks,
    }


@dataclass(frozen=True)
class EnrolForm:
    """What a valid enrolment modal holds."""

    user_id: str
    role_value: str
    start: date
    send_time: time | None
    tz: str | None
    cadence: str
    checkin_day: str
    checkin_time: time


def _value(values: dict[str, Any], block_id: str) -> dict[str, Any]:
    block = values.get(block_id) or {}
    return next(iter(block.values()), {}) if block else {}


def read_enrol_form(values: dict[str, Any], today: date) -> tuple[EnrolForm | None, dict[str, str]]:
    """Read a submitted enrolment modal: the form, or None with ``block_id -> message`` errors.

    Checks what needs no database: a start date within a year of today and a known time zone. The
    role's goals and an existing journey are checked by the caller.
    """
    errors: dict[str, str] = {}
    user_id = _value(values, B_HIRE).get("selected_user")
    if not user_id:
        errors[B_HIRE] = "Pick the person who is starting."
    role_value = (_value(values, B_ROLE).get("selected_option") or {}).get("value")
    if not role_value:
        errors[B_ROLE] = "Pick a role from the list."
    start_text = _value(values, B_START).get("selected_date")
    start = None
    try:
        start = date.fromisoformat(start_text) if start_text else None
    except ValueError:
        pass
    if start is None:
        errors[B_START] = "Pick a start date."
    elif abs((start - today).days) > MAX_START_DAYS:
        errors[B_START] = f"The start date must be within a year of today ({today.isoformat()})."
    tz = (_value(values, B_TZ).get("value") or "").strip() or None
    if tz:
        try:
            zoneinfo.ZoneInfo(tz)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            errors[B_TZ] = "Unknown time zone: use a name like Europe/Berlin or America/New_York."
    cadence = (_value(values, B_CADENCE).get("selected_option") or {}).get("value") or "none"
    day = (_value(values, B_DAY).get("selected_option") or {}).get("value") or "thu"
    picked_checkin = _value(values, B_CHECKIN_TIME).get("selected_time")
    picked_send = _value(values, B_SEND_TIME).get("selected_time")
    checkin_time = parse_hhmm(picked_checkin) if picked_checkin else time(10, 0)
    send_time = parse_hhmm(picked_send) if picked_send else None
    if errors:
        return None, errors
    assert user_id and role_value and start  # narrowed by the checks above
    return EnrolForm(user_id, role_value, start, send_time, tz, cadence, day, checkin_time), {}


def checkin_modal(questions: list[str] | tuple[str, ...], checkin_id: Any, hire_hint: str = "") -> dict[str, Any]:
    """The hire's check-in form: one multi-line answer per configured question.

    ``checkin_id`` travels in ``private_metadata`` so the submission knows which check-in it answers.
    """
    blocks: list[dict[str, Any]] = []
    if hire_hint:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": hire_hint[:2000]}]})
    for index, question in enumerate(questions):
        element = {"type": "plain_text_input", "action_id": ANSWER, "multiline": True, "max_length": ANSWER_MAX}
        blocks.append(_input(f"q{index}", question[:2000], element, optional=index > 0))
    return {
        "type": "modal",
        "callback_id": CHECKIN_CALLBACK,
        "title": _text("Check-in"),
        "submit": _text("Send to manager"),
        "close": _text("Later"),
        "private_metadata": json.dumps({"checkin": checkin_id}),
        "blocks": blocks,
    }


def read_checkin_answers(view: dict[str, Any], questions: list[str] | tuple[str, ...]) -> tuple[int | None, list[str]]:
    """The check-in id (None if the metadata holds none) and the answers (empty string for a skipped
    question), in question order."""
    values = (view.get("state") or {}).get("values") or {}
    answers = [(_value(values, f"q{i}").get("value") or "").strip() for i in range(len(questions))]
    try:
        checkin_id = json.loads(view.get("private_metadata") or "{}").get("checkin")
    except (ValueError, AttributeError):
        checkin_id = None
    return whole_number(checkin_id), answers
