"""The ``/role`` slash command: answers privately as Block Kit, or hands onboarding sub-commands on.

Answering takes milliseconds, so the answer is the HTTP response that acknowledges the command (no Web
API call, no response_url round trip). :func:`reply` is the same code path the local console uses.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from handlers import onboarding
from handlers.context import AppContext
from handlers.errors import FRIENDLY
from handlers.render import help_message, render_answer, text_message
from handlers.render_parts import unescape
from roles.conversation import LastAnswer
from roles.engine_followup import last_answer

logger = logging.getLogger(__name__)

#: Sub-commands that belong to onboarding (``handlers.onboarding.handle_subcommand``).
ONBOARDING_SUBCOMMANDS = frozenset({"onboard", "onboarding", "checkin"})
HELP_WORDS = frozenset({"", "help", "?", "-h", "--help", "usage"})
#: Longer questions get a polite note instead of an answer (and button values stay small).
MAX_QUERY_CHARS = 500
#: A question that asks for the next page of the last answer.
MORE_WORDS = frozenset({"more", "tell me more", "go on", "continue", "next", "next page", "show more"})


@dataclass(frozen=True)
class Asker:
    """Who asks and where (platform-neutral ids: a Slack user and channel, the console), so follow-ups
    continue from this user's last answer in this conversation."""

    user_id: str
    conversation_id: str

    @classmethod
    def from_slack(cls, body: dict[str, Any]) -> Asker | None:
        """The asker of a slash command or a button click (None when the payload names no user)."""
        user = body.get("user_id") or (body.get("user") or {}).get("id")
        channel = body.get("channel_id") or (body.get("channel") or {}).get("id") or user
        return cls(str(user), str(channel)) if user else None


def subcommand(text: str) -> str:
    """The first word of the command text, lower-cased ('' for none)."""
    words = text.split(maxsplit=1)
    return words[0].lower() if words else ""


def reply(ctx: AppContext, text: str, page: int = 0, *, share: bool = True,
          asker: Asker | None = None) -> dict[str, Any]:
    """The message answering ``/role <text>`` (page ``page`` of it), as ``ack``/``respond`` arguments.

    With ``asker`` (who asks, and in which conversation) a follow-up ("and the 60 day ones?", "more")
    continues from that user's last answer there, and this answer becomes the last one.
    """
    query = " ".join(text.split())
    if query.lower() in HELP_WORDS:
        return help_message(ctx.engine.examples())
    if len(query) > MAX_QUERY_CHARS:
        return text_message(
            f"That question is {len(query):,} characters long; I can only read up to {MAX_QUERY_CHARS}. "
            "Try a few words, e.g. `/role ptpm kpis` or `/role what does an SRE own?`."
        )
    last = _recall(ctx, asker)
    if last is not None and query.lower() in MORE_WORDS:
        # "more": the next page of the last answer.
        query, page = last.query, last.page + 1
        last = None
    answer = ctx.engine.ask(query, last)
    if answer.kind == "help":
        return help_message(ctx.engine.examples())
    rendered = render_answer(answer, page, share=share)
    _remember(ctx, asker, last_answer(answer, rendered.number))
    return rendered.message()


def _recall(ctx: AppContext, asker: Asker | None) -> LastAnswer | None:
    if asker is None:
        return None
    try:
        return ctx.memory.recall(asker.user_id, asker.conversation_id, datetime.now(UTC))
    except sqlite3.Error as exc:
        # Follow-ups are a convenience: without the memory the question is answered as it stands.
        logger.warning("could not read the last answer of %s: %s", asker.user_id, exc)
        return None


def _remember(ctx: AppContext, asker: Asker | None, last: LastAnswer | None) -> None:
    if asker is None or last is None:
        return
    try:
        ctx.memory.remember(asker.user_id, asker.conversation_id, last, datetime.now(UTC))
    except sqlite3.Error as exc:
        logger.warning("could not remember the last answer of %s: %s", asker.user_id, exc)


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
            message = reply(ctx, text, asker=Asker.from_slack(body))
        except Exception:
            logger.exception("answering /role %r failed", text[:100])
            message = {"response_type": "ephemeral", "text": FRIENDLY}
        return BoltResponse(status=200, body=message)

    @app.command("/role", middleware=[answer_in_request_thread])
    def onboarding_subcommand(ack: Any, body: dict[str, Any], respond: Any, client: Any, logger: logging.Logger) -> None:
        onboarding.handle_subcommand(ctx, body, ack, respond, client, logger)
