"""The Teams bot: a Teams SDK ``App`` whose listeners hand every activity to rolebot's shared logic.

Listeners (registered by :func:`build_app`):

- ``message``: a question or command (``handlers.teams.conversation``), or a message-back card submit
  (``handlers.teams.actions``). A personal message also records where to reach the sender proactively.
- ``adaptiveCard/action`` invokes: the card action, answered at once with the updated card (the card
  updates in place) or a short message.
- ``installationUpdate`` (add/remove) and ``conversationUpdate`` (bot added/removed): the sender's address
  is stored or forgotten, and the welcome card goes out once per new personal chat (Teams sends both
  events for one install) and once per team or group chat install.

Authentication is the SDK's: every request's JWT is validated against the Bot Framework's OpenID keys
(the ``cloud`` option says where they are) unless :attr:`TeamsConfig.allow_anonymous` is set explicitly,
which logs a warning at start.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from handlers.context import AppContext
from handlers.teams.actions import Outcome, action_data, dispatch
from handlers.teams.answer_cards import help_elements
from handlers.teams.cards import CARD_CONTENT_TYPE, card, heading, text_block
from handlers.teams.conversation import Reply, respond, text_reply
from handlers.teams.sender import card_activity
from handlers.teams.turn import Turn, read_turn
from jobs import addresses

logger = logging.getLogger(__name__)

ALLOW_ANONYMOUS_ENV = "ROLEBOT_TEAMS_ALLOW_ANONYMOUS"
MESSAGING_ENDPOINT = "/api/messages"
DEFAULT_PORT = 3978


@dataclass(frozen=True)
class TeamsConfig:
    """Credentials of the bot's app registration (``CLIENT_ID``, ``CLIENT_SECRET``, ``TENANT_ID``)."""

    client_id: str | None = None
    client_secret: str | None = None
    tenant_id: str | None = None
    allow_anonymous: bool = False

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> TeamsConfig:
        env = os.environ if env is None else env
        flag = env.get(ALLOW_ANONYMOUS_ENV, "").strip().lower()
        if flag not in ("", "true", "false"):
            raise ValueError(f"{ALLOW_ANONYMOUS_ENV} must be true or false, not {flag!r}.")
        return cls(env.get("CLIENT_ID") or None, env.get("CLIENT_SECRET") or None, env.get("TENANT_ID") or None,
                   flag == "true")

    def problem(self) -> str | None:
        """Why this configuration cannot serve Teams, or None."""
        if self.allow_anonymous:
            return None
        if not self.client_id or not self.client_secret:
            return ("Set CLIENT_ID and CLIENT_SECRET (the bot's app registration), or "
                    f"{ALLOW_ANONYMOUS_ENV}=true for local testing only.")
        return None


def _raw(activity: Any) -> dict[str, Any]:
    return activity.model_dump(by_alias=True, exclude_none=True, mode="json")


def welcome(ctx: AppContext) -> Reply:
    body = [heading("Hi, I'm rolebot"), text_block("I answer questions about roles from your organisation's "
            "role documents, and run 30/60/90-day onboarding plans for new hires."), *help_elements(ctx.engine.examples())]
    return Reply("Hi, I'm rolebot: ask me about any role.", card(body))


def _installed(ctx: AppContext, turn: Turn, always: bool) -> Reply | None:
    """Record the address of a personal install; the welcome for a new one (or ``always``)."""
    first = addresses.save(ctx.store, turn.address()) if turn.personal else False
    return welcome(ctx) if first or (always and not turn.personal) else None


async def _send(actx: Any, replies: list[Reply]) -> None:
    # Always a card: a plain message's text is Markdown in Teams, a card's TextRuns are not.
    for reply in replies:
        shown = reply if reply.card is not None else text_reply(reply.text)
        await actx.send(card_activity(shown.card, shown.text))


def _invoke_response(outcome: Outcome) -> dict[str, Any]:
    if outcome.card is not None:
        return {"statusCode": 200, "type": CARD_CONTENT_TYPE, "value": outcome.card}
    return {"statusCode": 200, "type": "application/vnd.microsoft.activity.message", "value": outcome.notice or "OK"}


def register(app: Any, ctx: AppContext) -> None:
    """Attach rolebot's listeners to a Teams SDK ``App``."""

    @app.on_message
    async def on_message(actx: Any) -> None:
        turn = read_turn(_raw(actx.activity))
        if turn.personal and turn.user_id:
            addresses.save(ctx.store, turn.address())  # "first spoken to" is a way to become reachable
        if action_data(turn.value) is not None:  # a message-back (Action.Submit) from a card
            outcome = dispatch(ctx, turn, turn.value)
            replies = list(outcome.replies)
            if outcome.card is not None:
                replies.append(Reply("Updated", outcome.card))
            if outcome.notice:
                replies.append(Reply(outcome.notice))
            await _send(actx, replies)
            return
        await _send(actx, respond(ctx, turn))

    @app.on_card_action
    async def on_card_action(actx: Any) -> dict[str, Any]:
        raw = _raw(actx.activity)
        outcome = dispatch(ctx, read_turn(raw), raw.get("value"))
        await _send(actx, outcome.replies)
        return _invoke_response(outcome)

    @app.on_installation_update
    async def on_installation_update(actx: Any) -> None:
        raw = _raw(actx.activity)
        turn = read_turn(raw)
        if str(raw.get("action", "")).startswith("remove"):
            if turn.personal:
                addresses.forget(ctx.store, "teams", turn.user_id)
            return
        reply = _installed(ctx, turn, always=True)
        if reply:
            await _send(actx, [reply])

    @app.on_conversation_update
    async def on_conversation_update(actx: Any) -> None:
        raw = _raw(actx.activity)
        turn = read_turn(raw)
        added = {m.get("id") for m in raw.get("membersAdded") or []}
        removed = {m.get("id") for m in raw.get("membersRemoved") or []}
        if turn.bot_id in removed and turn.personal:
            addresses.forget(ctx.store, "teams", turn.user_id)
        elif turn.bot_id in added:
            reply = _installed(ctx, turn, always=False)
            if reply:
                await _send(actx, [reply])


def build_app(ctx: AppContext, config: TeamsConfig, **options: Any) -> Any:
    """A Teams SDK ``App`` for rolebot with its listeners. ``options`` go to ``App`` (``cloud``,
    ``http_server_adapter``, ``token``…); JWT validation is on unless ``config.allow_anonymous``."""
    app = new_app(config, **options)
    register(app, ctx)
    return app


def new_app(config: TeamsConfig, **options: Any) -> Any:
    """A bare Teams SDK ``App`` with rolebot's credentials and endpoint (no listeners: enough to send)."""
    from microsoft_teams.apps import App

    if config.allow_anonymous:
        logger.warning("%s=true: Teams requests are accepted WITHOUT authentication. Local testing only.",
                       ALLOW_ANONYMOUS_ENV)
    credentials = {"client_id": config.client_id, "tenant_id": config.tenant_id}
    if config.client_secret:
        credentials["client_secret"] = config.client_secret
    # An explicit False: the SDK would otherwise also read its own DANGEROUSLY_… variable.
    return App(**credentials, dangerously_allow_unauthenticated_requests=config.allow_anonymous,
               messaging_endpoint=MESSAGING_ENDPOINT, **options)
