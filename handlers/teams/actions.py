"""Card actions from Teams: one dispatcher for ``adaptiveCard/action`` invokes and message-back submits.

Every rolebot button sends ``{"rolebot": <action>, "value": <value>, "row": <outbox row id>?}``
(``handlers.teams.cards``). The dispatcher answers with an :class:`Outcome`: the card that replaces the
clicked one (a goal ticked, a reminder snoozed, a check-in answered), new messages (another page of an
answer, a follow-up), or a short notice (not allowed, gone). Data it does not know is acknowledged,
ignored and logged: a click must never produce an error card or a traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from core.errors import RolebotError
from handlers.context import AppContext
from handlers.shared import (
    FOLLOWUP_ACTION,
    FRIENDLY,
    MANAGE,
    MORE_ACTION,
    SUGGEST_ACTION,
    parse_button_value,
    whole_number,
)
from handlers.teams.cards import ACTION_KEY, card, execute, heading, onboarding_card
from handlers.teams.conversation import Reply, answer, overview, readable, teams_asker
from handlers.teams.turn import Turn
from jobs import addresses, checkins, journeys, messages, outbox

logger = logging.getLogger(__name__)

CHECKIN_SUBMIT = "rolebot_checkin_submit"


@dataclass
class Outcome:
    """What a click leads to; empty: acknowledged, nothing to show."""

    card: dict[str, Any] | None = None
    replies: list[Reply] = field(default_factory=list)
    notice: str | None = None


def action_data(value: Any) -> dict[str, Any] | None:
    """The rolebot data of an invoke's ``value`` (``{action: {data}}``) or a message-back ``value``."""
    if isinstance(value, dict) and isinstance(value.get("action"), dict):
        value = value["action"].get("data")
    if isinstance(value, dict) and isinstance(value.get(ACTION_KEY), str):
        return value
    return None


def _names(ctx: AppContext) -> Callable[[str], str]:
    return lambda user_id: addresses.display_name(ctx.store, "teams", user_id)


def _current_card(ctx: AppContext, row_id: Any) -> dict[str, Any] | None:
    """The card of outbox row ``row_id`` as it should look now (None: no such row)."""
    number = whole_number(row_id)
    if number is None:
        return None
    try:
        row = outbox.get_row(ctx.store, number)
    except RolebotError:
        return None
    return onboarding_card(messages.render_current(ctx.store, ctx.settings, row), _names(ctx))


def _goal(ctx: AppContext, turn: Turn, data: dict[str, Any]) -> Outcome:
    journey_id, goal_id, done = messages.parse_goal_value(str(data.get("value", "")))
    journeys.set_goal_done(ctx.store, ctx.settings, journey_id, goal_id, done, turn.user_id)
    return Outcome(card=_current_card(ctx, data.get("row")))


def _snooze(ctx: AppContext, turn: Turn, data: dict[str, Any]) -> Outcome:
    row_id = whole_number(data.get("value"))
    if row_id is None:
        raise ValueError(f"bad snooze value {data.get('value')!r}")
    outbox.snooze(ctx.store, row_id, turn.user_id, business_days=ctx.settings.onboarding.business_days)
    return Outcome(card=_current_card(ctx, row_id))


def _checkin_form(ctx: AppContext, turn: Turn, data: dict[str, Any]) -> Outcome:
    row_id = whole_number(data.get("value"))
    row = outbox.get_row(ctx.store, row_id or 0)
    if journeys.get(ctx.store, row.journey_id).user_id != turn.user_id:
        return Outcome(notice="Only the person this check-in is for can answer it.")
    if checkins.answers_for(ctx.store, row.id) is not None:
        return Outcome(card=_current_card(ctx, row.id))
    inputs = [{"type": "Input.Text", "id": f"q{n}", "label": q, "isMultiline": True, "maxLength": 2000}
              for n, q in enumerate(checkins.questions(ctx.settings))]
    form = card([heading("Check-in", "Medium"), *inputs],
                [execute("Send answers", CHECKIN_SUBMIT, str(row.id), primary=True, row=row.id)])
    return Outcome(card=form)


def _checkin_submit(ctx: AppContext, turn: Turn, data: dict[str, Any]) -> Outcome:
    from jobs.poller import wake

    row_id = whole_number(data.get("value")) or 0
    pairs = [(q, str(data.get(f"q{n}") or "").strip()) for n, q in enumerate(checkins.questions(ctx.settings))]
    checkins.record_answers(ctx.store, row_id, turn.user_id, pairs)
    wake(ctx.store)  # the digest to the manager goes out now, from the poller's thread
    return Outcome(card=_current_card(ctx, row_id))


def _manage(ctx: AppContext, turn: Turn, data: dict[str, Any]) -> Outcome:
    """Pause, resume or cancel a journey (its manager or an admin); the overview card updates in place."""
    verb, _, number = str(data.get("value", "")).partition(":")
    change = {"pause": journeys.pause, "resume": journeys.resume, "cancel": journeys.cancel}[verb]
    change(ctx.store, ctx.settings, int(number), turn.user_id)
    return Outcome(card=overview(ctx, turn).card)


def _answer(ctx: AppContext, turn: Turn, data: dict[str, Any]) -> Outcome:
    parsed = parse_button_value(str(data.get("value", "")))
    if parsed is None:
        raise ValueError(f"bad answer button value {data.get('value')!r}")
    query, page = parsed
    return Outcome(replies=[answer(ctx, query, page, asker=teams_asker(turn))])


_ACTIONS: dict[str, Callable[[AppContext, Turn, dict[str, Any]], Outcome]] = {
    messages.GOAL_TOGGLE: _goal,
    messages.SNOOZE: _snooze,
    messages.CHECKIN_OPEN: _checkin_form,
    CHECKIN_SUBMIT: _checkin_submit,
    MANAGE: _manage,
    MORE_ACTION: _answer,
    FOLLOWUP_ACTION: _answer,
    SUGGEST_ACTION: _answer,
}


def dispatch(ctx: AppContext, turn: Turn, value: Any) -> Outcome:
    """Run the card action in ``value``; unknown or malformed data is logged and ignored."""
    data = action_data(value)
    handler = _ACTIONS.get(data[ACTION_KEY]) if data else None
    if data is None or handler is None:
        logger.warning("ignoring a Teams card action rolebot does not know: %.200r", value)
        return Outcome()
    try:
        return handler(ctx, turn, data)
    except RolebotError as exc:
        return Outcome(notice=readable(ctx, str(exc)))
    except (ValueError, TypeError, KeyError):
        logger.warning("ignoring a malformed Teams card action: %.200r", data)
        return Outcome()
    except Exception:
        logger.exception("the Teams card action %s failed", data[ACTION_KEY])
        return Outcome(notice=FRIENDLY)

