"""Onboarding journeys in Slack: the entry points the app calls.

- :func:`handle_subcommand`: ``/role onboard …``, ``/role onboarding`` and ``/role checkin …`` (handed
  on by ``handlers.slack.role_command``). Work that calls Slack or the database runs after the ack and
  answers through ``response_url``; ``/role onboard`` alone acks, then opens the enrolment modal.
- :func:`register`: the role picker's options, both modals' submissions, and the buttons rendered by
  ``jobs.messages`` (goal toggles, snooze, check-in).

The jobs API (``jobs.journeys``, ``jobs.checkins``, ``jobs.outbox``) owns every rule and every write;
this package only translates between Slack payloads and those calls.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from handlers.context import AppContext
from handlers.shared import MANAGE
from handlers.slack.blocks.parts import unescape
from handlers.slack.onboarding import actions
from handlers.slack.onboarding.commands import NOT_A_MANAGER, run
from handlers.slack.onboarding.render import reply
from handlers.slack.onboarding.roles import role_options
from handlers.slack.onboarding.views import CHECKIN_CALLBACK, ENROL_CALLBACK, ROLE_PICK, enrol_modal
from jobs import journeys, messages
from jobs.timeutil import local_date, utcnow


def handle_subcommand(ctx: AppContext, body: dict[str, Any], ack: Any, respond: Any, client: Any, logger: logging.Logger) -> None:
    """Run ``/role onboard|onboarding|checkin …`` for the command's user; reply ephemerally."""
    ack()
    # Slack escapes &, < and > in command text ("R&amp;D Engineer"); mentions arrive as <@U…> markup.
    words = unescape(body.get("text") or "").split(maxsplit=1)
    name, rest = words[0].lower(), (words[1] if len(words) > 1 else "")
    actor = body["user_id"]
    message = run(ctx, client, actor, name, rest)
    if message is not None:
        respond(**message)
        return
    if not journeys.can_enrol(ctx.settings, actor):
        respond(**reply(f":no_entry: {NOT_A_MANAGER}"))
        return
    view = enrol_modal(ctx.settings, local_date(utcnow(), ctx.settings.onboarding.fallback_timezone))
    client.views_open(trigger_id=body["trigger_id"], view=view)


def register(app: Any, ctx: AppContext) -> None:
    """Listen to the role picker, the two modals and the onboarding message buttons."""

    @app.options(ROLE_PICK)
    def role_pick_options(ack: Any, payload: dict[str, Any]) -> None:
        roles = ctx.index.list_roles() if ctx.index.is_ready() else []
        ack(options=role_options(roles, str(payload.get("value") or "")))

    @app.view(ENROL_CALLBACK)
    def enrol_submitted(ack: Any, body: dict[str, Any], view: dict[str, Any], client: Any) -> None:
        actions.on_enrol_submit(ctx, ack, body, view, client)

    @app.view(CHECKIN_CALLBACK)
    def checkin_submitted(ack: Any, body: dict[str, Any], view: dict[str, Any], client: Any) -> None:
        actions.on_checkin_submit(ctx, ack, body, view, client)

    @app.action(messages.GOAL_TOGGLE)
    def goal_toggled(ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any, client: Any) -> None:
        actions.on_goal_toggle(ctx, ack, body, action, respond, client)

    @app.action(messages.SNOOZE)
    def snoozed(ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any, client: Any) -> None:
        actions.on_snooze(ctx, ack, body, action, respond, client)

    @app.action(re.compile(rf"^{MANAGE}:(pause|resume|cancel)$"))
    def managed(ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any, client: Any) -> None:
        actions.on_manage(ctx, ack, body, action, respond, client)

    @app.action(messages.CHECKIN_OPEN)
    def checkin_opened(ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any, client: Any) -> None:
        actions.on_checkin_open(ctx, ack, body, action, respond, client)
