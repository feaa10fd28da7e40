"""Named errors of onboarding journeys and delivery.

Every one is a :class:`core.errors.RolebotError`, so the CLI and the Slack handlers turn it into one
line a person can act on (``str(exc)``); a few carry data the caller can show (the existing journey,
role suggestions).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.errors import RolebotError, RoleNotFound

if TYPE_CHECKING:
    from jobs.journeys import Journey

__all__ = [
    "AlreadyEnrolled",
    "CheckinAlreadyAnswered",
    "CheckinNotFound",
    "DeliveryError",
    "GoalNotFound",
    "InvalidCadence",
    "InvalidCsv",
    "InvalidStartDate",
    "InvalidUserId",
    "JourneyNotActive",
    "JourneyNotFound",
    "OutboxRowNotFound",
    "PermissionDenied",
    "RecipientUnreachable",
    "RoleHasNoGoals",
    "RoleNotFound",
    "SenderUnavailable",
    "UnknownTimezone",
]


class PermissionDenied(RolebotError):
    """The person is neither an admin nor the hire's manager (or, for a hire's own action, not the hire)."""


class AlreadyEnrolled(RolebotError):
    """The hire already has a live journey for this role; ``journey`` is that journey."""

    def __init__(self, reason: str, journey: Journey):
        super().__init__(reason)
        self.journey = journey


class InvalidStartDate(RolebotError):
    """The start date cannot be parsed or is more than a year before or after today."""


class UnknownTimezone(RolebotError):
    """The time zone is not a known IANA name such as Europe/Berlin."""


class RoleHasNoGoals(RolebotError):
    """The role document has no 30/60/90-day goals, so no plan can be built from it."""


class InvalidUserId(RolebotError):
    """The text is not a Slack user ID (U012AB3CD) or a mention of one."""


class InvalidCsv(RolebotError):
    """The CSV file cannot be imported as a whole (unreadable, or a required column is missing)."""


class JourneyNotFound(RolebotError):
    """No journey has the id given (or the user has none)."""


class JourneyNotActive(RolebotError):
    """The journey's state does not allow the change (e.g. resuming a cancelled journey)."""


class GoalNotFound(RolebotError):
    """The goal id does not belong to the journey."""


class InvalidCadence(RolebotError):
    """A check-in cadence such as 'weekly thu 10:00' could not be understood."""


class CheckinNotFound(RolebotError):
    """No check-in prompt has the id given."""


class CheckinAlreadyAnswered(RolebotError):
    """The hire has already answered this check-in; the manager's digest is on its way."""


class OutboxRowNotFound(RolebotError):
    """No outbox message has the id given."""


class DeliveryError(RolebotError):
    """Sending one message failed; ``retryable`` says whether a later attempt may succeed."""

    def __init__(self, reason: str, retryable: bool = True, retry_after: float | None = None):
        super().__init__(reason)
        self.retryable = retryable
        #: Seconds the platform asked to wait before the next attempt (HTTP 429 Retry-After), if it said.
        self.retry_after = retry_after


class RecipientUnreachable(DeliveryError):
    """The recipient cannot get messages (deactivated user, closed or archived DM): the journey is blocked."""

    def __init__(self, reason: str):
        super().__init__(reason, retryable=False)


class SenderUnavailable(DeliveryError):
    """The sender cannot send anything (bad or revoked token): stop the tick and try again later."""

    def __init__(self, reason: str):
        super().__init__(reason, retryable=True)
