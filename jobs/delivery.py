"""Delivery: the :class:`Sender` extension point, :class:`Senders` (one per platform), per-channel pacing.

The poller knows no platform: it hands each message (platform-neutral data, ``jobs.message_parts``) to
the :class:`Sender` of the journey's platform, which renders and posts it. Implementations live with
their platform: ``handlers.slack.sender.SlackSender`` and ``handlers.teams.sender.TeamsSender``. Each
implements the same contract:

- return :class:`Delivered` (the conversation id and message id) when the platform *accepted* the message;
- raise :class:`~jobs.errors.RecipientUnreachable` when this recipient can never get it (deactivated,
  DM closed or archived): the poller blocks the journey and tells the manager;
- raise :class:`~jobs.errors.SenderUnavailable` when nothing can be sent (bad or revoked credentials): the
  poller stops the tick and leaves the remaining rows pending;
- raise :class:`~jobs.errors.DeliveryError` for anything else, ``retryable`` saying whether to try again
  later (the poller backs off, and gives up after ``outbox.MAX_ATTEMPTS``).

A Sender retries short-lived throttling itself (HTTP 429 with Retry-After up to
:data:`MAX_RETRY_AFTER` seconds, at most 3 times) and must not swallow an accepted message: once the
platform accepted it, return, so the row is marked sent at once. A longer Retry-After is not waited out
in the tick (its other claimed rows would outlive their lease): the error carries ``retry_after`` and the
poller tries the row again no earlier than that.
"""

from __future__ import annotations

import logging
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from jobs.errors import DeliveryError

if TYPE_CHECKING:
    from jobs.message_parts import Message

logger = logging.getLogger(__name__)

#: Slack's limit for chat.postMessage: about one message per second per channel (Teams allows ~7).
PER_CHANNEL_INTERVAL = 1.0
#: The longest Retry-After (seconds) a tick waits out; a longer one makes the row retry later instead.
MAX_RETRY_AFTER = 30.0


@dataclass(frozen=True)
class Delivered:
    """Where an accepted message lives: conversation id (Slack DM channel) and message id (Slack ``ts``,
    Teams activity id)."""

    channel: str
    ts: str


class Sender(ABC):
    """Sends one rendered message to one person. See the module docstring for the contract."""

    @abstractmethod
    def send(self, recipient: str, message: Message) -> Delivered:
        """Post ``message`` to ``recipient`` (a user id on the sender's platform: their personal chat).
        Returns Delivered or raises a DeliveryError."""

    def update(self, channel: str, ts: str, message: Message) -> None:  # noqa: B027 (optional hook)
        """Replace a message already posted (used after a goal is ticked). Default: not supported."""
        raise DeliveryError("this sender cannot update messages", retryable=False)


class Pacer:
    """Keeps at least ``interval`` seconds between two sends to the same channel.

    ``clock`` and ``sleep`` are injectable so tests and the benchmark run on virtual time.
    """

    def __init__(
        self,
        interval: float = PER_CHANNEL_INTERVAL,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.interval = interval
        self.clock = clock
        self.sleep = sleep
        self._last: dict[str, float] = {}
        self.waited = 0.0

    def wait(self, channel: str) -> None:
        """Block until a message may go to ``channel``, then record the send."""
        last = self._last.get(channel)
        if last is not None:
            delay = last + self.interval - self.clock()
            if delay > 0:
                self.waited += delay
                self.sleep(delay)
        self._last[channel] = self.clock()


def retry_after(headers: Any) -> float:
    """Seconds from a Retry-After header (name in any case, value a string or a list of one); 1 if unreadable."""
    value = {str(k).lower(): v for k, v in dict(headers or {}).items()}.get("retry-after", "1")
    value = value[0] if isinstance(value, list) and value else value
    try:
        return max(float(value), 0.0)
    except (TypeError, ValueError):
        return 1.0




class Senders(dict[str, Sender]):
    """The sender of each platform ('slack', 'teams'), so one poller delivers every journey."""

    @classmethod
    def of(cls, sender: Sender | Mapping[str, Sender]) -> Senders:
        """``sender`` itself when it is a mapping of platforms; one Sender alone serves Slack."""
        return cls(sender) if isinstance(sender, Mapping) else cls(slack=sender)
