"""The ``/role`` slash command: answers privately as Block Kit, or hands onboarding sub-commands on.

Answering takes milliseconds, so the answer is the HTTP response that acknowledges the command (no Web
API call, no response_url round trip). :func:`reply` is the same code path the local console uses.
"""

from __future__ import annotations

import logging
from typing import Any

from handlers import onboarding
from handlers.context import AppContext
from handlers.errors import FRIENDLY
from handlers.render import help_message, render_answer, text_message
from handlers.render_parts import unescape

logger = logging.getLogger(__name__)

#: Sub-commands that belong to onboarding (``handlers.onboarding.handle_subcommand``).
ONBOARDING_SUBCOMMANDS = frozenset({"onboard", "onboarding", "checkin"})
HELP_WORDS = frozenset({"", "help", "?", "-h", "--help", "usage"})
#: Longer questions get a polite note instead of an answer (and button values stay small).
MAX_QUERY_CHARS = 500


def subcommand(text: str) -> str:
    """The first word of the command text, lower-cased ('' for none)."""
    words = text.split(maxsplit=1)
    return words[0].lower() if words else ""


def role_titles(ctx: AppContext) -> list[str]:
    """Titles of the indexed roles, in the index's order ([] while the index is not ready)."""
    return [role.title for role in ctx.index.list_roles()] if ctx.index.is_ready() else []


def reply(ctx: AppContext, text: str, page: int = 0, *, share: bool = True) -> dict[str, Any]:
    """The message answering ``/role <text>`` (page ``page`` of it), as ``ack``/``respond`` arguments."""
    query = " ".join(text.split())
    if query.lower() in HELP_WORDS:
        return help_message(role_titles(ctx))
    if len(query) > MAX_QUERY_CHARS:
        return text_message(
            f"That question is {len(query):,} characters long; I can only read up to {MAX_QUERY_CHARS}. "
            "Try a few words, e.g. `/role ptpm kpis` or `/role what does an SRE own?`."
        )
    answer = ctx.engine.ask(query)
    if answer.kind == "not_ready" and ctx.empty_docs is not None:
        return text_message(ctx.not_ready_text())
    if answer.kind == "help":
        return help_message(role_titles(ctx))
    return render_answer(answer, page, share=share).message()


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
            message = reply(ctx, text)
        except Exception:
            logger.exception("answering /role %r failed", text[:100])
            message = {"response_type": "ephemeral", "text": FRIENDLY}
        return BoltResponse(status=200, body=message)

    @app.command("/role", middleware=[answer_in_request_thread])
    def onboarding_subcommand(ack: Any, body: dict[str, Any], respond: Any, client: Any, logger: logging.Logger) -> None:
        onboarding.handle_subcommand(ctx, body, ack, respond, client, logger)
