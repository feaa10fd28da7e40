"""Teams' :class:`jobs.delivery.Sender`: proactive Adaptive Cards through the Teams SDK's ``App.send``.

The poller runs in a worker thread; the SDK is asyncio. Each send is a coroutine submitted to the loop
the Teams app runs on (``asyncio.run_coroutine_threadsafe``) and waited for with a timeout, so the
poller's contract (return once the platform accepted the message) holds.

Outcomes, as the Bot Connector answers (see ``jobs.delivery`` for the contract):

- no stored personal conversation for the hire (the app was never installed for them) and 403/404 (the
  app was removed, the user left the tenant, the conversation is gone): :class:`RecipientUnreachable`,
  so the journey is blocked and the manager told once how to fix it;
- 401: :class:`SenderUnavailable` (bad credentials: the tick stops);
- 429: waited out and retried here (Retry-After up to ``MAX_RETRY_AFTER`` s, at most 3 times), like
  Slack; a longer wait becomes a retryable error carrying ``retry_after``;
- 5xx and network errors: retryable.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import httpx

from handlers.teams.cards import CARD_CONTENT_TYPE, onboarding_card
from jobs import addresses
from jobs.delivery import MAX_RETRY_AFTER, Delivered, Sender, retry_after
from jobs.errors import DeliveryError, RecipientUnreachable, SenderUnavailable

if TYPE_CHECKING:
    from microsoft_teams.apps import App

    from core.store import Store
    from jobs.message_parts import Message

logger = logging.getLogger(__name__)

PLATFORM = "teams"
#: Seconds one proactive send may take before the tick treats it as failed (and retries it later).
SEND_TIMEOUT = 20.0
MAX_429_RETRIES = 3


def card_activity(content: dict[str, Any], text: str, activity_id: str | None = None) -> Any:
    """A message activity carrying one Adaptive Card (``activity_id`` set: an update of that message)."""
    from microsoft_teams.api import Attachment, MessageActivityInput

    activity = MessageActivityInput(summary=text[:200],
                                    attachments=[Attachment(content_type=CARD_CONTENT_TYPE, content=content)])
    if activity_id:
        activity.id = activity_id
    return activity


def classify(exc: Exception) -> DeliveryError:
    """The delivery outcome of a failed connector call."""
    if isinstance(exc, httpx.HTTPStatusError):
        status = exc.response.status_code
        if status in (403, 404):
            return RecipientUnreachable(f"http_{status}")
        if status == 401:
            return SenderUnavailable("http_401")
        failure = DeliveryError(f"http_{status}", retryable=status == 429 or status >= 500)
        if status == 429:
            failure.retry_after = retry_after(exc.response.headers)
        return failure
    if isinstance(exc, (httpx.TransportError, OSError, TimeoutError)):
        return DeliveryError(f"network: {exc}", retryable=True)
    return DeliveryError(f"teams: {type(exc).__name__}", retryable=True)


class TeamsSender(Sender):
    """Sends to a Teams user's personal chat with rolebot (its address from ``jobs.addresses``)."""

    def __init__(self, app: App, store: Store, loop: asyncio.AbstractEventLoop,
                 sleep: Callable[[float], None] = time.sleep, timeout: float = SEND_TIMEOUT):
        self.app = app
        self.store = store
        self.loop = loop
        self.sleep = sleep
        self.timeout = timeout

    def names(self, user_id: str) -> str:
        return addresses.display_name(self.store, PLATFORM, user_id)

    def _post(self, recipient: str, message: Message) -> tuple[str, str]:
        address = addresses.get(self.store, PLATFORM, recipient)
        if address is None:
            raise RecipientUnreachable("not_installed")
        content = onboarding_card(message, self.names)
        for attempt in range(MAX_429_RETRIES + 1):
            call = self.app.send(address.conversation_id, card_activity(content, message.text),
                                 service_url=address.service_url)
            try:
                sent = asyncio.run_coroutine_threadsafe(call, self.loop).result(self.timeout)
                return address.conversation_id, str(sent.id or "")
            except Exception as exc:  # the connector's answers are sorted into the contract's outcomes
                failure = classify(exc)
            wait = failure.retry_after
            if wait is None or wait > MAX_RETRY_AFTER or attempt == MAX_429_RETRIES:
                raise failure
            logger.info("Teams throttled a send to %s; retrying after %.1f s", recipient, wait)
            self.sleep(wait + random.random() * 0.1)
        raise AssertionError("unreachable")

    def send(self, recipient: str, message: Message) -> Delivered:
        """Post ``message`` as a card to ``recipient``'s personal chat; see :class:`jobs.delivery.Sender`."""
        conversation, activity_id = self._post(recipient, message)
        return Delivered(conversation, activity_id)
