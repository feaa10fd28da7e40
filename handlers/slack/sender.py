"""Slack's :class:`jobs.delivery.Sender`: ``chat.postMessage`` with Block Kit, 429 retries, error mapping.

Renders the neutral onboarding message with ``handlers.slack.onboarding.blocks``; see ``jobs.delivery`` for the
contract every sender keeps.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from handlers.slack.onboarding.blocks import to_slack
from jobs.delivery import MAX_RETRY_AFTER, Delivered, Sender, retry_after
from jobs.errors import DeliveryError, RecipientUnreachable, SenderUnavailable

if TYPE_CHECKING:
    from slack_sdk import WebClient

    from core.config import Settings
    from jobs.message_parts import Message

logger = logging.getLogger(__name__)

#: Slack errors that mean this recipient cannot get messages: the journey is blocked.
UNREACHABLE_ERRORS = frozenset({
    "user_not_found", "account_inactive", "user_disabled", "channel_not_found", "is_archived",
    "cannot_dm_bot", "not_in_channel", "user_is_restricted", "messages_tab_disabled", "is_inactive",
})
#: Slack errors that mean nothing can be sent with this token.
SENDER_ERRORS = frozenset({
    "invalid_auth", "not_authed", "token_revoked", "token_expired", "no_permission", "missing_scope",
    "team_access_not_granted", "org_login_required", "ekm_access_denied",
})
#: Slack errors worth retrying later.
RETRYABLE_ERRORS = frozenset({"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"})

def rate_limit_handler(max_retry_count: int = 3, sleep: Callable[[float], None] = time.sleep) -> Any:
    """slack_sdk's ``RateLimitErrorRetryHandler`` waiting Retry-After (+ jitter) with an injectable ``sleep``,
    for a Retry-After of at most :data:`MAX_RETRY_AFTER` seconds."""
    from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

    class _Handler(RateLimitErrorRetryHandler):
        def _can_retry(self, *, state, request, response=None, error=None) -> bool:  # type: ignore[no-untyped-def]
            return (super()._can_retry(state=state, request=request, response=response, error=error)
                    and retry_after(response.headers) <= MAX_RETRY_AFTER)

        def prepare_for_next_attempt(self, *, state, request, response=None, error=None) -> None:  # type: ignore[no-untyped-def]
            if response is None:
                raise error  # type: ignore[misc]
            state.next_attempt_requested = True
            sleep(retry_after(response.headers) + random.random() * 0.1)
            state.increment_current_attempt()

    return _Handler(max_retry_count=max_retry_count)


def slack_client(settings: Settings, token: str | None = None, sleep: Callable[[float], None] = time.sleep) -> WebClient:
    """A WebClient on ``settings.slack_api_url`` retrying 429s (Retry-After) and dropped connections."""
    from slack_sdk import WebClient
    from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler

    return WebClient(
        token=token or settings.slack_bot_token,
        base_url=settings.slack_api_url,
        timeout=15,
        retry_handlers=[rate_limit_handler(sleep=sleep), ConnectionErrorRetryHandler(max_retry_count=2)],
    )


def _classify(error: str) -> DeliveryError:
    if error in UNREACHABLE_ERRORS:
        return RecipientUnreachable(error)
    if error in SENDER_ERRORS:
        return SenderUnavailable(error)
    return DeliveryError(error, retryable=error in RETRYABLE_ERRORS)


class SlackSender(Sender):
    """Posts with ``chat.postMessage`` to the user id (Slack opens the app's DM with them)."""

    def __init__(self, client: WebClient):
        self.client = client

    @classmethod
    def from_settings(cls, settings: Settings, sleep: Callable[[float], None] = time.sleep) -> SlackSender:
        """A sender using SLACK_BOT_TOKEN and SLACK_API_URL from ``settings``."""
        return cls(slack_client(settings, sleep=sleep))

    def _call(self, method: str, **kwargs: Any) -> Any:
        from slack_sdk.errors import SlackApiError

        try:
            return getattr(self.client, method)(**kwargs)
        except SlackApiError as exc:
            status = exc.response.status_code
            if status >= 500:  # an outage, often answered by Slack's edge as an HTML page: try again later
                raise DeliveryError(f"http_{status}", retryable=True) from None
            error = str(exc.response.get("error") or f"http_{status}")
            failure = _classify(error)
            if exc.response.status_code == 429:
                failure.retry_after = retry_after(exc.response.headers)
            raise failure from None
        except OSError as exc:  # connection refused/reset, timeouts (URLError is an OSError)
            raise DeliveryError(f"network: {exc}", retryable=True) from None

    def send(self, recipient: str, message: Message) -> Delivered:
        """Post to ``recipient``; see :class:`Sender`."""
        rendered = to_slack(message)
        response = self._call("chat_postMessage", channel=recipient, text=rendered.text, blocks=rendered.blocks,
                              unfurl_links=False, unfurl_media=False)
        return Delivered(str(response.get("channel") or recipient), str(response["ts"]))

    def update(self, channel: str, ts: str, message: Message) -> None:
        """Replace the message at ``channel``/``ts`` (goal ticked, check-in answered)."""
        rendered = to_slack(message)
        self._call("chat_update", channel=channel, ts=ts, text=rendered.text, blocks=rendered.blocks)


def lookup_timezone(client: WebClient, user_id: str) -> str | None:
    """The user's IANA time zone from Slack ``users.info`` (None if Slack gives none or the call fails)."""
    from slack_sdk.errors import SlackApiError

    try:
        user = client.users_info(user=user_id)["user"]
    except (SlackApiError, OSError):
        logger.warning("users.info failed for %s; using the fallback time zone", user_id)
        return None
    return user.get("tz") or None
