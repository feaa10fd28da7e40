"""Buttons on an answer: Share in channel, Show more, and follow-ups (other aspects, suggestions).

Every button's value holds the query and page (``handlers.slack.blocks.answer.button_value``), so a click
recomputes the answer from the current index: nothing needs to be remembered between clicks. The
work after ``ack`` goes through the ``response_url`` of the message that holds the button.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from handlers.context import AppContext
from handlers.shared import FOLLOWUP_ACTION, MORE_ACTION, SHARE_ACTION, SUGGEST_ACTION, parse_button_value
from handlers.slack.blocks.answer import UNSHAREABLE, render_answer
from handlers.slack.role_command import reply, slack_asker

NEXT_ACTIONS = re.compile(rf"^({MORE_ACTION}|{FOLLOWUP_ACTION}:\d+|{SUGGEST_ACTION}:\d+)$")


def _is_private(body: dict[str, Any]) -> bool:
    """True for the ephemeral answers of ``/role``; False for answers posted in the app's DM."""
    return bool((body.get("container") or {}).get("is_ephemeral", True))


def share(ctx: AppContext, body: dict[str, Any], action: dict[str, Any], respond: Any, client: Any,
          logger: logging.Logger) -> None:
    """Post the answer page visibly in the channel, saying who shared it."""
    parsed = parse_button_value(action.get("value"))
    user = (body.get("user") or {}).get("id", "")
    if parsed is None:
        logger.warning("share button with a bad value from user %s", user)
        return
    query, page = parsed
    answer = ctx.engine.ask(query)
    if answer.kind in UNSHAREABLE:
        # The role went from the index (or it is being rebuilt) since the question: show the clicker
        # privately what the answer is now rather than post "No match" in the channel in their name.
        logger.info("not sharing a %s answer for user %s", answer.kind, user)
        message = render_answer(answer, share=False).message()
        if body.get("response_url"):
            respond(**message, replace_original=False)
        else:
            client.chat_postMessage(channel=user, text=message["text"], blocks=message["blocks"])
        return
    message = render_answer(answer, page, shared_by=user).message("in_channel")
    if body.get("response_url"):
        respond(**message, replace_original=False)
    else:
        channel = (body.get("channel") or {}).get("id") or user
        client.chat_postMessage(channel=channel, text=message["text"], blocks=message["blocks"])


def next_answer(ctx: AppContext, body: dict[str, Any], action: dict[str, Any], respond: Any,
                logger: logging.Logger) -> None:
    """Send the next page, or the answer to a follow-up or suggestion, under the clicked message."""
    parsed = parse_button_value(action.get("value"))
    if parsed is None:
        logger.warning("answer button %s with a bad value", action.get("action_id"))
        return
    query, page = parsed
    private = _is_private(body)
    message = reply(ctx, query, page, share=private, asker=slack_asker(body))
    message["response_type"] = "ephemeral" if private else "in_channel"
    respond(**message, replace_original=False)


def register(app: Any, ctx: AppContext) -> None:
    """Listen to the answer buttons."""

    @app.action(SHARE_ACTION)
    def on_share(ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any, client: Any,
                 logger: logging.Logger) -> None:
        ack()
        share(ctx, body, action, respond, client, logger)

    @app.action(NEXT_ACTIONS)
    def on_next(ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any, logger: logging.Logger) -> None:
        ack()
        next_answer(ctx, body, action, respond, logger)
