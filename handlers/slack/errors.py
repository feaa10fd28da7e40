"""Errors and strays: a friendly message for any failure (logged with its traceback), and unknown
actions, menus, views and events acknowledged and logged instead of showing the user a red warning
(or having Slack retry an event)."""

from __future__ import annotations

import logging
import re
from typing import Any

from core.errors import StorageError
from handlers.context import AppContext
from handlers.shared import FRIENDLY

#: Seconds the apology to a response_url may take (it runs on the thread that handled the request).
APOLOGY_TIMEOUT_SECONDS = 5


def failure_view(text: str = FRIENDLY) -> dict[str, Any]:
    """The modal pushed over a form whose submission failed."""
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": "rolebot"},
        "close": {"type": "plain_text", "text": "Back"},
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
    }


#: The modal pushed over a form whose submission failed unexpectedly.
FAILURE_VIEW = failure_view()


def register(app: Any, ctx: AppContext) -> None:
    """Install the app-wide error handler."""
    from slack_bolt import BoltResponse

    @app.error
    def handle_error(error: Exception, body: dict[str, Any], response: Any, logger: logging.Logger) -> Any:
        kind = body.get("type") or ("slash_command" if body.get("command") else "unknown")
        if isinstance(error, StorageError):
            # Logged where it was detected, in one line: the cause is the disk, not this code.
            text = str(error)
        else:
            text = FRIENDLY
            logger.error("listener failed on a %s request", kind, exc_info=error)
        if response is not None and kind == "slash_command":
            # Not acknowledged yet: the acknowledgement itself carries the apology.
            return BoltResponse(status=200, body={"response_type": "ephemeral", "text": text})
        if response is not None and kind == "view_submission":
            # An empty ack would close the form as if it had worked; pushing the apology on top keeps the
            # form and what was typed in it underneath, to try again.
            return BoltResponse(status=200, body={"response_action": "push", "view": failure_view(text)})
        if isinstance(body.get("response_url"), str):
            # The gate let only an allow-listed response_url through; Bolt's respond() would wait 30 s.
            from slack_sdk.webhook import WebhookClient

            try:
                WebhookClient(body["response_url"], timeout=APOLOGY_TIMEOUT_SECONDS).send(
                    text=text, response_type="ephemeral", replace_original=False)
            except Exception:  # the apology is best effort; the failure is logged above
                logger.exception("could not tell the user about the failure")
        if response is not None:
            # Acknowledge anyway: Slack would show the user an error, or retry an event that fails again.
            return BoltResponse(status=200, body="")
        return None


def register_fallbacks(app: Any) -> None:
    """Catch-all listeners; register them after every other module (the first match wins)."""

    @app.action(re.compile(".*"))
    def unknown_action(ack: Any, action: dict[str, Any], body: dict[str, Any], logger: logging.Logger) -> None:
        logger.warning(
            "ignored unknown action %r (block %r) from user %s",
            action.get("action_id"), action.get("block_id"), (body.get("user") or {}).get("id"),
        )
        ack()

    @app.options(re.compile(".*"))
    def unknown_options(ack: Any, payload: dict[str, Any], logger: logging.Logger) -> None:
        logger.warning("no options for unknown menu %r", payload.get("action_id"))
        ack(options=[])

    @app.view(re.compile(".*"))
    def unknown_view(ack: Any, view: dict[str, Any], logger: logging.Logger) -> None:
        logger.warning("ignored submission of unknown view %r", view.get("callback_id"))
        ack()

    @app.event(re.compile(".*"))
    def unknown_event(event: dict[str, Any], logger: logging.Logger) -> None:
        # Acknowledged (Bolt acks events itself), so Slack does not retry an event nobody handles.
        logger.info("ignored event %r", event.get("type"))
