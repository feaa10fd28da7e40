"""What rolebot says back to a Teams message: answers, help, and the onboarding commands.

Synchronous and free of the SDK (the listeners in ``handlers.teams.app`` send what these return), so
the same answer engine and journey functions serve Slack and Teams. The query rules (help words, the
length limit) are Slack's ``/role`` rules (``handlers.slack.role_command``), shared, not copied.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

from core.errors import RolebotError, RoleNotFound
from handlers.context import AppContext
from handlers.shared import FRIENDLY, MANAGE
from handlers.teams.answer_cards import answer_page, help_elements
from handlers.teams.cards import action_set, card, execute, heading, rich, run, text_block
from handlers.teams.turn import Turn
from jobs import addresses, checkins, journeys
from jobs.errors import AlreadyEnrolled
from jobs.messages import horizon_label
from jobs.timeutil import utcnow
from roles.answer.asking import Asker, ask_question, remember_shown
from roles.answer.limits import MAX_QUERY_CHARS

logger = logging.getLogger(__name__)

_ONBOARD = re.compile(r"^onboard\s+(?P<role>.+?)(?:\s+start\s+(?P<start>\S+))?(?:\s+tz\s+(?P<tz>\S+))?\s*$",
                      re.IGNORECASE)
HOW_TO_REACH = ("They have not installed rolebot yet, so I can't message them: install the app for them "
                "(Teams admin center › Manage apps, or an app setup policy), or ask them to open rolebot "
                "in Teams once. Until then their journey waits, and I'll tell you when it is blocked.")


@dataclass
class Reply:
    """One message to send: a card (with fallback ``text``) or just text."""

    text: str
    card: dict[str, Any] | None = None


def text_reply(text: str) -> Reply:
    """A short message as a card of one plain line (plain text: nothing in it can mention anyone)."""
    return Reply(text, card([text_block(text)]))


_MENTION = re.compile(r"<@([^>|]+)(?:\|[^>]*)?>")


def readable(ctx: AppContext, text: str) -> str:
    """A journey error for Teams: ``<@id>`` mentions (the jobs layer's notation) become display names."""
    return _MENTION.sub(lambda m: addresses.display_name(ctx.store, "teams", m[1], "their manager"), text)


def help_reply(ctx: AppContext) -> Reply:
    return Reply("How to use rolebot", card([heading("How to use rolebot"), *help_elements(ctx.engine.examples())]))


def question(text: str) -> str:
    """The question in a message: its words, without a leading ``role`` (as in ``/role …``)."""
    words = text.split()
    if words and words[0].lower() in ("role", "/role"):
        words = words[1:]
    return " ".join(words)


def answer(ctx: AppContext, query: str, page: int = 0, asker: Asker | None = None) -> Reply:
    """The answer to ``query`` (page ``page``) as a card, as Slack's ``/role`` would answer it; with
    ``asker``, follow-ups ("and the 60 day ones?", "more") continue from their last answer there."""
    asked = ask_question(ctx.engine, ctx.memory, query, page, asker)
    if asked.kind == "help":
        return help_reply(ctx)
    if asked.kind == "too_long":
        return text_reply(f"That question is {asked.length:,} characters long; I can only read up to "
                          f"{MAX_QUERY_CHARS}. Try a few words, e.g. “role sre kpis”.")
    if asked.answer.kind == "not_ready" and ctx.empty_docs is not None:
        return text_reply(ctx.not_ready_text())
    rendered = answer_page(asked.answer, asked.page)
    remember_shown(ctx.memory, asker, asked.answer, rendered.number)
    return Reply(rendered.text, rendered.card)


def teams_asker(turn: Turn) -> Asker:
    """Who asks in a turn: the Teams user, in this conversation."""
    return Asker(turn.user_id, turn.conversation_id)


def respond(ctx: AppContext, turn: Turn) -> list[Reply]:
    """The replies to a message (no text and only attachments: help). In a channel or group chat only a
    message that @mentions rolebot is for it."""
    if not turn.personal and not turn.bot_mentioned:
        return []
    query = question(turn.text)
    if not query:
        return [help_reply(ctx)]
    first = query.split()[0].lower()
    try:
        if first == "onboard":
            return [enrol(ctx, turn, query)]
        if first == "onboarding":
            return [overview(ctx, turn)]
        if first == "checkin":
            return [set_checkins(ctx, turn, query)]
        return [answer(ctx, query, asker=teams_asker(turn))]
    except RolebotError as exc:
        return [text_reply(readable(ctx, str(exc)))]
    except Exception:
        logger.exception("answering a Teams message failed")
        return [text_reply(FRIENDLY)]


def enrol(ctx: AppContext, turn: Turn, query: str) -> Reply:
    """``onboard @hire <role> [start YYYY-MM-DD] [tz Area/City]``: the sender becomes the manager."""
    match = _ONBOARD.match(query)
    if not turn.mentions or match is None:
        return text_reply("To enrol a new hire, write: onboard @name <role> [start YYYY-MM-DD] "
                          "(mention the hire; the start date defaults to today).")
    hire_id, hire_name = turn.mentions[0]
    hire = addresses.get(ctx.store, "teams", hire_id)
    # The hire's own zone when their client reported it, else the one given, else the manager's.
    tz = match["tz"] or (hire.tz if hire else None) or turn.tz
    try:
        journey = journeys.enrol(
            ctx.store, ctx.index, ctx.settings, actor_id=turn.user_id, user_id=hire_id, role=match["role"],
            start=match["start"] or utcnow().date().isoformat(), tz=tz, platform="teams",
        )
    except AlreadyEnrolled as exc:
        return text_reply(f"{hire_name or 'They'} already has a live journey as {exc.journey.role_title} "
                          f"(journey {exc.journey.id}, {exc.journey.status}).")
    except RoleNotFound as exc:
        tips = f" Did you mean: {', '.join(exc.suggestions)}?" if exc.suggestions else ""
        return text_reply(f"I know no role called “{match['role']}”.{tips}")
    lines = [f"Enrolled {hire_name or 'your hire'} as {journey.role_title}, starting "
             f"{journey.start_date.isoformat()} ({journey.tz}). Their welcome arrives on the first day "
             f"at {journey.send_time}; you get the summaries and check-in digests."]
    if hire is None:
        lines.append(HOW_TO_REACH)
    return Reply(lines[0], card([heading("New hire enrolled", "Medium"), *(text_block(line) for line in lines)]))


CHECKIN_USAGE = ("To set check-ins, write: checkin @name weekly thu 10:00 (or biweekly, every 3 weeks, "
                 "or off); the time is in your time zone.")


def set_checkins(ctx: AppContext, turn: Turn, query: str) -> Reply:
    """``checkin @hire <cadence>`` ('weekly thu 10:00', 'biweekly fri 9am', 'off'): the hire's manager (or an
    admin) sets when the hire is asked the check-in questions, in the manager's time zone."""
    # Turn.text has the @mention removed (it is in turn.mentions): the rest is the cadence.
    words = query.split(maxsplit=1)
    spec = words[1].strip() if len(words) > 1 else ""
    if not turn.mentions or not spec:
        return text_reply(CHECKIN_USAGE)
    hire_id, hire_name = turn.mentions[0]
    live = journeys.active_for_user(ctx.store, hire_id)
    if not live:
        return text_reply(f"{hire_name or 'They'} has no onboarding journey to add check-ins to; enrol them first "
                          "with: onboard @name <role>.")
    cadence = checkins.set_cadence(ctx.store, ctx.settings, live[0].id, turn.user_id, spec, manager_tz=turn.tz)
    who = hire_name or "your hire"
    if cadence is None:
        return text_reply(f"Stopped check-ins with {who}. The onboarding journey goes on.")
    zone_name = journeys.get(ctx.store, live[0].id).manager_tz or ""
    return Reply(f"Check-ins with {who}: {cadence}", card([
        heading("Check-ins set", "Medium"),
        text_block(f"Check-ins with {who}: {cadence} in your time zone ({zone_name}), until the end of the journey."),
        text_block("At each check-in they answer a few questions; you get their answers and goal progress as "
                   "one digest.", isSubtle=True),
    ]))


def manage_buttons(journey: journeys.Journey) -> list[dict[str, Any]]:
    """Pause or Resume, and Cancel: the same actions (and values) as the Slack overview's buttons."""
    verb = "pause" if journey.status == "active" else "resume"
    return [execute(verb.capitalize(), MANAGE, f"{verb}:{journey.id}"),
            execute("Cancel journey", MANAGE, f"cancel:{journey.id}")]


def overview(ctx: AppContext, turn: Turn) -> Reply:
    """The sender's own journeys with progress, and the journeys of the people they manage."""
    body: list[dict[str, Any]] = [heading("Onboarding", "Medium")]
    for journey in journeys.active_for_user(ctx.store, turn.user_id):
        body.append(rich([run(f"Your plan as {journey.role_title}", weight="Bolder")]))
        body += [text_block(f"• {horizon_label(p.horizon_days)} goals: {p.done}/{p.total} done")
                 for p in journeys.progress(ctx.store, journey.id)]
    reports = journeys.managed_by(ctx.store, turn.user_id)
    if reports:
        body.append(rich([run("Your new hires", weight="Bolder")]))
        for journey in reports:
            name = addresses.display_name(ctx.store, "teams", journey.user_id, "a new hire")
            days = max((utcnow().date() - journey.start_date).days, 0)
            body.append(text_block(f"• {name}: {journey.role_title}, day {days}, {journey.status}"))
            body.append(action_set(manage_buttons(journey)))
    if len(body) == 1:
        body.append(text_block("No onboarding journeys yet. Managers enrol a hire with: onboard @name <role>."))
    return Reply("Onboarding", card(body))
