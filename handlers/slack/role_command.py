"""The ``/role`` slash command: answers privately as Block Kit, or hands onboarding sub-commands on.

Answering takes milliseconds, so the answer is the HTTP response that acknowledges the command (no Web
API call, no response_url round trip). :func:`reply` is the same code path the local console uses.
"""

from __future__ import annotations

import logging
from typing import Any

import orjson

from handlers.context import AppContext
from handlers.shared import FRIENDLY
from handlers.slack.blocks.answer import help_message, render_answer, text_message
from handlers.slack.blocks.parts import unescape
from handlers.slack.onboarding import listeners as onboarding
from roles.answer.asking import Asker, ask_question, remember_shown
from roles.answer.limits import MAX_QUERY_CHARS

logger = logging.getLogger(__name__)

#: Sub-commands that belong to onboarding (``handlers.slack.onboarding.listeners.handle_subcommand``).
ONBOARDING_SUBCOMMANDS = frozenset({"onboard", "onboarding", "checkin"})


def slack_asker(body: dict[str, Any]) -> Asker | None:
    """The asker of a slash command or a button click: the user, in the channel (None for no user)."""
    user = body.get("user_id") or (body.get("user") or {}).get("id")
    channel = body.get("channel_id") or (body.get("channel") or {}).get("id") or user
    return Asker(str(user), str(channel)) if user else None


def subcommand(text: str) -> str:
    """The first word of the command text, lower-cased ('' for none)."""
    words = text.split(maxsplit=1)
    return words[0].lower() if words else ""


#: Requests Bolt acknowledges itself, before any listener runs.
_ACKED_BY_BOLT = frozenset({"event_callback", "url_verification", "app_rate_limited"})


def waits_for_ack(body: dict[str, Any]) -> bool:
    """Whether the request thread will wait on this request rather than work: Bolt runs a listener in
    its pool and waits for its ``ack()`` -- every command and interaction but the ``/role`` questions
    answered in the request thread (:func:`register`)."""
    if body.get("command") == "/role":
        return subcommand(unescape(str(body.get("text") or ""))) in ONBOARDING_SUBCOMMANDS
    if "command" in body:
        return True
    return not body.get("ssl_check") and body.get("type") not in _ACKED_BY_BOLT


def reply(ctx: AppContext, text: str, page: int = 0, *, share: bool = True,
          asker: Asker | None = None) -> dict[str, Any]:
    """The message answering ``/role <text>`` (page ``page`` of it), as ``ack``/``respond`` arguments.

    With ``asker`` (who asks, and in which conversation) a follow-up ("and the 60 day ones?", "more")
    continues from that user's last answer there, and this answer becomes the last one.
    """
    asked = ask_question(ctx.engine, ctx.memory, text, page, asker)
    if asked.kind == "help":
        return help_message(ctx.engine.examples())
    if asked.kind == "too_long":
        return text_message(
            f"That question is {asked.length:,} characters long; I can only read up to {MAX_QUERY_CHARS}. "
            "Try a few words, e.g. `/role ptpm kpis` or `/role what does an SRE own?`."
        )
    if asked.answer.kind == "not_ready" and ctx.empty_docs is not None:
        return text_message(ctx.not_ready_text())
    rendered = render_answer(asked.answer, asked.page, share=share)
    remember_shown(ctx.memory, asker, asked.answer, rendered.number)
    return rendered.message()


def _json(message: dict[str, Any]) -> str | dict[str, Any]:
    """The message as JSON text, by orjson (Bolt's ``json.dumps`` took ~5% of serving an answer); the
    dict itself, for Bolt to encode, in the odd case orjson refuses (a lone surrogate in the text)."""
    try:
        return orjson.dumps(message).decode()
    except orjson.JSONEncodeError:
        return message


def register(app: Any, ctx: AppContext) -> None:
    """Listen to ``/role``: questions are answered in the acknowledgement, sub-commands go to onboarding."""
    from slack_bolt import BoltResponse

    def answer_in_request_thread(body: dict[str, Any], next: Any, logger: logging.Logger) -> Any:
        # Bolt runs listeners in a thread pool and polls for their ack every 10 ms, which would be most of
        # an answer's response time; a question is answered here, in the request thread, instead.
        # Slack escapes &, < and > in the text; the engine reads it as typed (echoes are escaped again).
        text = unescape(body.get("text") or "")
        if subcommand(text) in ONBOARDING_SUBCOMMANDS:
            return next()
        try:
            message = reply(ctx, text, asker=slack_asker(body))
        except Exception:
            logger.exception("answering /role %r failed", text[:100])
            message = {"response_type": "ephemeral", "text": FRIENDLY}
        return BoltResponse(status=200, body=_json(message))

    @app.command("/role", middleware=[answer_in_request_thread])
    def onboarding_subcommand(ack: Any, body: dict[str, Any], respond: Any, client: Any, logger: logging.Logger) -> None:
        onboarding.handle_subcommand(ctx, body, ack, respond, client, logger)
