"""The App Home tab's listeners: publishing the view (``handlers.slack.home_view``) when Home opens,
paging, the type-ahead role picker, and aspect buttons. Clicking an aspect sends the answer to the
user's DM with the app (its Messages tab), since the Home tab has no place for replies.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from handlers.context import AppContext
from handlers.shared import parse_button_value, whole_number
from handlers.slack.blocks.parts import plain
from handlers.slack.home_view import ASPECT_ACTION, MAX_OPTIONS, PAGE_ACTION, PICK_ACTION, home_view
from handlers.slack.role_command import reply


def role_options(ctx: AppContext, typed: str) -> list[dict[str, Any]]:
    """Options of the role picker: titles containing every typed word, at most 100."""
    words = typed.lower().split()
    options = []
    for role in ctx.index.list_roles():
        haystack = f"{role.title} {' '.join(role.aliases)}".lower()
        if all(w in haystack for w in words):
            options.append({"text": plain(role.title[:75]), "value": str(role.id)})
            if len(options) == MAX_OPTIONS:
                break
    return options


def _send_to_dm(ctx: AppContext, client: Any, user_id: str, query: str) -> None:
    message = reply(ctx, query, share=False)
    client.chat_postMessage(channel=user_id, text=message["text"], blocks=message["blocks"])


def register(app: Any, ctx: AppContext) -> None:
    """Listen to the Home tab opening and to the role browser's controls."""

    @app.event("app_home_opened")
    def on_home_opened(event: dict[str, Any], client: Any, logger: logging.Logger) -> None:
        if event.get("tab", "home") != "home":
            return
        client.views_publish(user_id=event["user"], view=home_view(ctx, event["user"], 0, logger))

    @app.action(re.compile(rf"^{PAGE_ACTION}:(prev|next)$"))
    def on_page(ack: Any, body: dict[str, Any], action: dict[str, Any], client: Any, logger: logging.Logger) -> None:
        ack()
        user = body["user"]["id"]
        page = whole_number(action.get("value")) or 0
        client.views_publish(user_id=user, view=home_view(ctx, user, page, logger))

    @app.action(re.compile(rf"^{ASPECT_ACTION}:\d+$"))
    def on_aspect(ack: Any, body: dict[str, Any], action: dict[str, Any], client: Any, logger: logging.Logger) -> None:
        ack()
        parsed = parse_button_value(action.get("value"))
        if parsed is None:
            logger.warning("home aspect button with a bad value")
            return
        _send_to_dm(ctx, client, body["user"]["id"], parsed[0])

    @app.options(PICK_ACTION)
    def on_pick_options(ack: Any, payload: dict[str, Any]) -> None:
        ack(options=role_options(ctx, payload.get("value", "")))

    @app.action(PICK_ACTION)
    def on_pick(ack: Any, body: dict[str, Any], action: dict[str, Any], client: Any, logger: logging.Logger) -> None:
        ack()
        value = (action.get("selected_option") or {}).get("value", "")
        titles = {str(r.id): r.title for r in ctx.index.list_roles()}
        if value not in titles:
            logger.warning("role picker chose unknown role id %r", value)
            return
        _send_to_dm(ctx, client, body["user"]["id"], titles[value])
