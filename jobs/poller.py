"""The poll tick (:func:`run_due`) and the APScheduler clock that calls it every minute (:func:`start`).

The outbox is the truth; the scheduler only ticks. APScheduler 3.11 runs one in-memory interval job
(``max_instances=1`` so ticks never overlap, ``coalesce=True`` so a stalled process runs one catch-up tick
rather than a burst, an explicit ``misfire_grace_time`` instead of the 1-second default). A restart loses
nothing: the next tick finds the rows still due. Run one scheduler per database (the per-row claim keeps
several from double-sending, but they would race for rows needlessly).

One tick:

1. rows left in 'sending' past the lease are recovered (their process died);
2. pending rows overdue by more than ``staleness_hours`` are skipped, and each affected journey's
   manager gets one ``stale_notice`` listing them;
3. due rows are claimed in batches and sent one at a time, each marked sent right after Slack accepts
   it, with at most one message per second per channel (:class:`jobs.delivery.Pacer`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from jobs import journeys, messages, outbox
from jobs.delivery import Pacer, Sender
from jobs.errors import DeliveryError, JourneyNotFound, RecipientUnreachable, SenderUnavailable
from jobs.outbox import OutboxRow
from jobs.timeutil import to_iso, utcnow

if TYPE_CHECKING:
    from apscheduler.schedulers.background import BackgroundScheduler

    from bot.config import Settings
    from roles.store import Store

logger = logging.getLogger(__name__)

POLL_SECONDS = 60
MISFIRE_GRACE_SECONDS = 50
CLAIM_BATCH = 100
#: First retry after this long, doubling per attempt.
RETRY_BASE = timedelta(minutes=2)


@dataclass
class RunReport:
    """What one tick did."""

    recovered: int = 0
    claimed: int = 0
    sent: list[int] = field(default_factory=list)
    skipped_stale: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    held: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    blocked_journeys: list[int] = field(default_factory=list)
    stopped: str | None = None

    def summary(self) -> str:
        """One line for logs and the CLI."""
        text = (f"sent {len(self.sent)}, skipped {len(self.skipped_stale)} stale + {len(self.skipped)} other, "
                f"held {len(self.held)}, retrying {len(self.retrying)}, failed {len(self.failed)}, "
                f"blocked journeys {len(self.blocked_journeys)}, recovered {self.recovered}")
        return text + (f"; stopped: {self.stopped}" if self.stopped else "")


def _notify_stale(store: Store, rows: list[OutboxRow], now: datetime) -> None:
    by_journey: dict[int, list[OutboxRow]] = {}
    for row in rows:
        if row.kind not in outbox.NOTICE_KINDS:
            by_journey.setdefault(row.journey_id, []).append(row)
    for journey_id, skipped in by_journey.items():
        journey = journeys.get(store, journey_id)
        if not journey.manager_id:
            continue
        with store.conn:
            outbox.enqueue(
                store, journey_id, "stale_notice", f"stale-{min(r.id for r in skipped)}", journey.manager_id, now,
                payload={"skipped": [{"kind": r.kind, "due": to_iso(r.due_utc)} for r in skipped]}, now=now,
            )


def _hold_reason(journey: journeys.Journey, row: OutboxRow) -> str | None:
    """The status a claimed row goes to instead of being sent, if the journey's state says so."""
    if row.kind in outbox.NOTICE_KINDS:
        return None
    if journey.status == "cancelled":
        return outbox.CANCELLED
    if journey.status in ("paused", "blocked") and row.recipient == journey.user_id:
        return outbox.PAUSED
    return None


def _deliver(store: Store, sender: Sender, settings: Settings, row: OutboxRow, now: datetime,
             pacer: Pacer, report: RunReport) -> None:
    try:
        journey = journeys.get(store, row.journey_id)
    except JourneyNotFound:
        outbox.set_status(store, row.id, outbox.CANCELLED, "journey gone")
        report.skipped.append(row.id)
        return
    hold = _hold_reason(journey, row)
    if hold:
        outbox.set_status(store, row.id, hold, f"journey {journey.status}")
        report.held.append(row.id)
        return
    if row.kind == "reminder" and not messages.open_goals(store, settings, journey, row.day or 0):
        outbox.set_status(store, row.id, outbox.SKIPPED, "nothing open to remind")
        report.skipped.append(row.id)
        return
    message = messages.render(store, settings, row)
    pacer.wait(row.recipient)
    try:
        delivered = sender.send(row.recipient, message)
    except RecipientUnreachable as exc:
        outbox.mark_failed(store, row.id, exc.reason, now)
        report.failed.append(row.id)
        if row.recipient == journey.user_id and journeys.block(store, journey.id, exc.reason, now=now):
            report.blocked_journeys.append(journey.id)
        logger.warning("outbox %d: %s unreachable (%s)", row.id, row.recipient, exc.reason)
        return
    except SenderUnavailable:
        raise
    except DeliveryError as exc:
        backoff = RETRY_BASE * (2 ** max(row.attempts - 1, 0)) if exc.retryable else None
        status = outbox.mark_failed(store, row.id, exc.reason, now, backoff)
        (report.retrying if status == outbox.PENDING else report.failed).append(row.id)
        logger.warning("outbox %d: send failed (%s), now %s", row.id, exc.reason, status)
        return
    # Marked sent before anything else happens: this is what keeps the double-send window to one row.
    outbox.mark_sent(store, row.id, delivered.channel, delivered.ts, now)
    report.sent.append(row.id)
    if row.kind == "wrapup":
        journeys.complete(store, journey.id, now=now)


def run_due(
    store: Store,
    sender: Sender,
    settings: Settings,
    now: datetime | None = None,
    *,
    batch: int = CLAIM_BATCH,
    lease: timedelta = outbox.DEFAULT_LEASE,
    pacer: Pacer | None = None,
) -> RunReport:
    """One tick: recover, skip stale, then claim and send everything due at ``now`` (default: the clock)."""
    now = now or utcnow()
    pacer = pacer or Pacer()
    report = RunReport(recovered=outbox.recover_stale_claims(store, now, lease))
    stale = outbox.skip_stale(store, now, timedelta(hours=settings.onboarding.staleness_hours))
    report.skipped_stale = [r.id for r in stale]
    if stale:
        logger.warning("skipped %d stale outbox row(s) (overdue > %d h)", len(stale), settings.onboarding.staleness_hours)
        _notify_stale(store, stale, now)
        for row in stale:
            if row.kind == "wrapup":  # the journey's last message will never go out: it is over
                journeys.complete(store, row.journey_id, now=now)
    while True:
        rows = outbox.claim_due(store, now, batch)
        if not rows:
            break
        report.claimed += len(rows)
        for position, row in enumerate(rows):
            try:
                _deliver(store, sender, settings, row, now, pacer, report)
            except SenderUnavailable as exc:
                outbox.release(store, [r.id for r in rows[position:]])
                report.stopped = exc.reason
                logger.error("stopping the tick: the sender is unavailable (%s)", exc.reason)
                return report
            except Exception:
                # One bad row must not stop the others: park it for a retry and go on.
                logger.exception("outbox %d: unexpected error", row.id)
                outbox.mark_failed(store, row.id, "internal error", now, RETRY_BASE)
                report.retrying.append(row.id)
    if report.claimed or report.skipped_stale or report.recovered:
        logger.info("run_due: %s", report.summary())
    return report


def start(
    store: Store,
    settings: Settings,
    sender: Sender | None = None,
    *,
    client: Any = None,
    interval_seconds: int = POLL_SECONDS,
) -> BackgroundScheduler:
    """Start the background poller (returns the running scheduler; call ``.shutdown()`` to stop).

    ``sender`` defaults to a :class:`jobs.delivery.SlackSender` on ``client`` (a slack_sdk WebClient) or on
    one built from ``settings``. ``store`` must be file-backed (the tick runs in a worker thread).
    """
    from apscheduler.schedulers.background import BackgroundScheduler

    from jobs.delivery import SlackSender, slack_client

    if sender is None:
        sender = SlackSender(client if client is not None else slack_client(settings))
    pacer = Pacer()

    def tick() -> None:
        try:
            run_due(store, sender, settings, pacer=pacer)
        except Exception:
            logger.exception("onboarding poll tick failed; the next tick retries")

    scheduler = BackgroundScheduler(timezone="UTC")
    scheduler.add_job(
        tick, "interval", seconds=interval_seconds, id="rolebot-outbox-poll", max_instances=1, coalesce=True,
        misfire_grace_time=MISFIRE_GRACE_SECONDS, next_run_time=utcnow(), replace_existing=True,
    )
    scheduler.start()
    logger.info("onboarding poller started (every %d s)", interval_seconds)
    return scheduler
