"""``/role onboard …``, ``/role onboarding`` and ``/role checkin …``: each turns into a call of the jobs
API and one ephemeral reply. Permissions are the jobs API's (admins and the hire's manager); its named
errors become the reply's one line.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from core.errors import IndexNotReady, RolebotError, RoleNotFound
from handlers.context import AppContext
from handlers.slack.blocks.parts import context, escape, section
from handlers.slack.onboarding.args import (
    ONBOARD_USAGE,
    CheckinArgs,
    OnboardArgs,
    VerbArgs,
    parse_checkin,
    parse_onboard,
)
from handlers.slack.onboarding.render import (
    enrolled_reply,
    existing_reply,
    hire_blocks,
    manager_blocks,
    plan_summary,
    reply,
)
from jobs import checkins, journeys
from jobs.errors import AlreadyEnrolled, JourneyNotFound, PermissionDenied, RoleHasNoGoals
from jobs.journeys import Journey
from jobs.timeutil import local_date, utcnow

logger = logging.getLogger(__name__)

#: Blocks of one ephemeral message (Slack allows 50).
MAX_MESSAGE_BLOCKS = 50
NOT_A_MANAGER = "Only admins and the managers configured in rolebot can enrol new hires."
#: Named errors whose reason quotes text that is not rolebot's (typed by a user, or from a role document).
QUOTES_TEXT = (RoleNotFound, RoleHasNoGoals)
#: Slack errors of users.info that mean the person does not exist (or no longer works here).
_NO_SUCH_USER = ("user_not_found", "account_inactive")


def slack_user(client: Any, user_id: str) -> dict[str, Any] | None:
    """The ``users.info`` record of ``user_id``; None when Slack cannot tell (scope, network).

    Raises InvalidCommand for a person Slack does not know, a deactivated account or a bot.
    """
    from slack_sdk.errors import SlackApiError

    from core.errors import InvalidCommand

    try:
        # POST (form) rather than users_info's GET: Slack accepts both, and proxies/fakes see one shape.
        user = client.api_call("users.info", http_verb="POST", data={"user": user_id})["user"]
    except SlackApiError as exc:
        error = exc.response.get("error")
        if error in _NO_SUCH_USER:
            raise InvalidCommand(f"Slack does not know <@{user_id}> (or the account is deactivated).") from None
        logger.warning("users.info failed for %s (%s); using defaults", user_id, error)
        return None
    except OSError:
        logger.warning("users.info could not reach Slack for %s; using defaults", user_id)
        return None
    if user.get("deleted"):
        raise InvalidCommand(f"<@{user_id}>'s account is deactivated, so they cannot get onboarding messages.")
    if user.get("is_bot"):
        raise InvalidCommand(f"<@{user_id}> is a bot; only people can be onboarded.")
    return dict(user)


def user_timezone(client: Any, user_id: str) -> str | None:
    """The IANA zone of a person from their Slack profile (None if Slack gives none)."""
    user = slack_user(client, user_id)
    return (user or {}).get("tz") or None


def reason_text(exc: RolebotError) -> str:
    """A named error's reason as mrkdwn; unknown roles get their suggestions as a list."""
    text = str(exc)
    if isinstance(exc, QUOTES_TEXT):
        # The reason quotes a name as typed ("<!here> wizard") or a title from a document: plain text.
        text = escape(text)
    if isinstance(exc, RoleNotFound) and exc.suggestions and "did you mean" not in text.casefold():
        text += " Did you mean: " + ", ".join(escape(s) for s in exc.suggestions) + "?"
    if isinstance(exc, PermissionDenied):
        text = f":no_entry: {text}"
    return text


def error_reply(exc: RolebotError) -> dict[str, Any]:
    """The one-line reply for a named error (:func:`reason_text`)."""
    return reply(reason_text(exc))


def _journey_of(ctx: AppContext, actor_id: str, user_id: str) -> Journey:
    """The hire's live journey that the actor is about (the newest one they may manage, else the newest)."""
    live = journeys.active_for_user(ctx.store, user_id)
    if not live:
        raise JourneyNotFound(f"<@{user_id}> has no onboarding journey in progress. Start one with `{escape(ONBOARD_USAGE)}`.")
    mine = [j for j in live if journeys.can_manage(ctx.settings, actor_id, j)]
    return (mine or live)[-1]


def enrol(ctx: AppContext, client: Any, actor_id: str, args: OnboardArgs) -> dict[str, Any]:
    """Enrol from the command line of ``/role onboard``; the reply carries the plan summary."""
    if not journeys.can_enrol(ctx.settings, actor_id):
        raise PermissionDenied(NOT_A_MANAGER)
    if not ctx.index.is_ready():
        raise IndexNotReady(ctx.not_ready_text())
    tz = user_timezone(client, args.user_id)
    try:
        # enrol resolves the typed name (journeys.resolve_role: configured aliases, typos, initials).
        journey = journeys.enrol(
            ctx.store, ctx.index, ctx.settings, actor_id=actor_id, user_id=args.user_id, role=args.role_query,
            start=args.start or _today_for(tz, ctx), tz=tz,
        )
    except AlreadyEnrolled as exc:
        return existing_reply(ctx.store, exc.journey)
    return enrolled_reply(ctx.store, journey)


def _today_for(tz: str | None, ctx: AppContext) -> date:
    """Today in the hire's zone: the default start date."""
    return local_date(utcnow(), tz or ctx.settings.onboarding.fallback_timezone)


def journey_verb(ctx: AppContext, actor_id: str, args: VerbArgs) -> dict[str, Any]:
    """pause / resume / cancel / reschedule / status of a hire's journey."""
    journey = _journey_of(ctx, actor_id, args.user_id)
    who, title = f"<@{journey.user_id}>", escape(journey.role_title)
    if args.verb == "status":
        if actor_id != journey.user_id and not journeys.can_manage(ctx.settings, actor_id, journey):
            raise PermissionDenied("Only the hire, their manager or an admin can see this journey.")
        blocks = hire_blocks(ctx.store, ctx.settings, journey)
        return reply(f"{who}'s onboarding as {title}", [section(f"{who}'s onboarding:"), *blocks][:MAX_MESSAGE_BLOCKS])
    if args.verb == "pause":
        journeys.pause(ctx.store, ctx.settings, journey.id, actor_id)
        return reply(f":pause_button: Paused {who}'s onboarding as *{title}*: no reminders or check-ins until `/role onboard resume {who}`.")
    if args.verb == "resume":
        journeys.resume(ctx.store, ctx.settings, journey.id, actor_id)
        return reply(f":arrow_forward: Resumed {who}'s onboarding as *{title}*; messages missed meanwhile were skipped.")
    if args.verb == "cancel":
        journeys.cancel(ctx.store, ctx.settings, journey.id, actor_id)
        return reply(f":wastebasket: Cancelled {who}'s onboarding as *{title}*. Nothing more will be sent.")
    moved = journeys.reschedule(ctx.store, ctx.settings, journey.id, actor_id, args.on)
    return reply(
        f"Moved {who}'s start to {moved.start_date.isoformat()}.",
        [section(f":calendar: Moved {who}'s start to *{moved.start_date.strftime('%a %d %b %Y')}*; every message not sent yet moved with it."),
         section(plan_summary(ctx.store, moved))],
    )


def checkin(ctx: AppContext, client: Any, actor_id: str, args: CheckinArgs | VerbArgs) -> dict[str, Any]:
    """Set, stop or (with the journey) pause/resume/reschedule a hire's manager check-ins."""
    if isinstance(args, VerbArgs):
        if args.verb == "cancel":
            journey = _journey_of(ctx, actor_id, args.user_id)
            checkins.set_cadence(ctx.store, ctx.settings, journey.id, actor_id, "off")
            return reply(f"Stopped check-ins with <@{journey.user_id}>. The onboarding journey goes on.")
        return journey_verb(ctx, actor_id, args)
    journey = _journey_of(ctx, actor_id, args.user_id)
    if not journeys.can_manage(ctx.settings, actor_id, journey):
        raise PermissionDenied("Only the hire's manager or an admin can set check-ins.")
    spec = f"{args.cadence} {args.weekday} {args.at.strftime('%H:%M')}"
    manager_tz = user_timezone(client, actor_id)
    cadence = checkins.set_cadence(ctx.store, ctx.settings, journey.id, actor_id, spec, manager_tz=manager_tz)
    updated = journeys.get(ctx.store, journey.id)
    return reply(
        f"Check-ins with <@{journey.user_id}>: {cadence} ({escape(updated.manager_tz or '')}).",
        [section(f":spiral_calendar_pad: Check-ins with <@{journey.user_id}>: *{cadence}* in your time zone "
                 f"({escape(updated.manager_tz or '')}), until the end of the journey."),
         context("At each check-in they answer a few questions; you get their answers and goal progress as one digest.")],
    )


def overview(ctx: AppContext, user_id: str) -> dict[str, Any]:
    """``/role onboarding``: the person's own plan and progress, and their reports' progress."""
    blocks: list[dict[str, Any]] = []
    own = journeys.active_for_user(ctx.store, user_id)
    for journey in own:
        blocks += hire_blocks(ctx.store, ctx.settings, journey)
    reports = manager_blocks(ctx.store, user_id)
    if reports:
        blocks.append({"type": "header", "text": {"type": "plain_text", "text": "Your new hires"}})
        blocks += reports
    if not blocks:
        return reply(
            "You have no onboarding journey in progress, and nobody you manage has one. "
            f"A manager starts one with `{escape(ONBOARD_USAGE)}` (or `/role onboard` for a form)."
        )
    if len(blocks) > MAX_MESSAGE_BLOCKS:
        blocks = [*blocks[: MAX_MESSAGE_BLOCKS - 1], context("More on the rolebot Home tab.")]
    return reply("Your onboarding progress", blocks)


def run(ctx: AppContext, client: Any, actor_id: str, name: str, rest: str) -> dict[str, Any] | None:
    """Run one sub-command; None means "open the enrolment modal" (``/role onboard`` alone).

    Every named error becomes a one-line reply; nothing else is caught here (the app's error handler
    apologises and logs).
    """
    try:
        if name == "onboarding":
            return overview(ctx, actor_id)
        if name == "checkin":
            return checkin(ctx, client, actor_id, parse_checkin(rest))
        parsed = parse_onboard(rest)
        if parsed is None:
            return None
        if isinstance(parsed, VerbArgs):
            return journey_verb(ctx, actor_id, parsed)
        return enrol(ctx, client, actor_id, parsed)
    except RolebotError as exc:
        return error_reply(exc)

