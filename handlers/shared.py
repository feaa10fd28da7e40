"""What the platforms' listeners share (``handlers.slack``, ``handlers.teams``): the ids of answer and
onboarding actions, the payload of an answer button (the query and page to recompute, so a click needs
no state kept in memory), an answer's title, aspect labels, and the apology for an unexpected failure.
"""

from __future__ import annotations

import json
from typing import Any

from roles.answer.result import Answer

SHARE_ACTION = "role_share"
MORE_ACTION = "role_more"
#: Prefixes: a message's action ids must be unique, so each button gets ``prefix:index``.
FOLLOWUP_ACTION = "role_followup"
SUGGEST_ACTION = "role_suggest"
#: action_id of the manager's Pause / Resume / Cancel buttons; value ``"<verb>:<journey_id>"``.
MANAGE = "onboarding_manage"
#: Follow-up buttons under an answer (Slack's actions block takes 25 elements; 12 leaves room for Share
#: and Show more); Teams offers the same ones, so both platforms show the same choices.
MAX_FOLLOWUPS = 12
#: The longest button payload (Slack's limit of a button value; Teams' is larger).
MAX_VALUE = 2000

#: The apology for an unexpected failure (logged with its traceback; the user sees only this).
FRIENDLY = (
    "Sorry, something went wrong on my side while handling that. It has been logged; "
    "please try again in a moment."
)

_LABELS = {
    "kpis": "KPIs",
    "ai-impact": "AI impact",
    "day-to-day": "Day-to-day",
    "tech-stack": "Tech stack",
    "soft-skills": "Soft skills",
    "career-path": "Career path",
    "decision-rights": "Decision rights",
}


#: One encoder for every button (``json.dumps`` with options builds a new one per call, a fifth of the
#: time of rendering an answer with a dozen buttons).
_BUTTON_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def button_value(query: str, page: int = 0) -> str:
    """The value of an answer button: the query to recompute and the page to show."""
    value = _BUTTON_JSON.encode({"q": query, "p": page})
    if len(value) > MAX_VALUE:
        raise ValueError("query too long for a button value")
    return value


def parse_button_value(value: str | None) -> tuple[str, int] | None:
    """(query, page) from a button value made by :func:`button_value`, or None if it is not one."""
    try:
        data = json.loads(value or "")
        query, page = data["q"], int(data.get("p", 0))
    except (ValueError, TypeError, KeyError):
        return None
    if not isinstance(query, str) or page < 0:
        return None
    return query, page


def header_text(answer: Answer) -> str:
    """The title of an answer, the same on every platform."""
    titles = [r.title for r in answer.roles]
    if answer.kind == "compare" and len(titles) > 1:
        return " vs ".join(titles)
    if answer.kind == "search":
        return "Search results"
    if answer.kind == "list":
        return f"Roles ({len(answer.roles)})" if answer.roles else "Roles"
    if answer.kind == "no_match":
        return "No match"
    if answer.kind == "not_ready":
        return "Index not ready"
    return titles[0] if titles else "rolebot"


def aspect_label(aspect: str) -> str:
    """A canonical aspect as people say it: ``career-path`` → ``Career path``."""
    return _LABELS.get(aspect, aspect.replace("-", " ").capitalize())


def whole_number(value: Any) -> int | None:
    """A button value or metadata field that should be an id or page: the number, else None.

    Only ASCII digits count: ``"²".isdigit()`` is true but ``int("²")`` raises.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return value if value >= 0 else None
    text = str(value) if value is not None else ""
    return int(text) if text.isascii() and text.isdigit() else None
