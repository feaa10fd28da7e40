"""The poll tick (:func:`run_due`) and the APScheduler clock that calls it every minute (:func:`start`).

The outbox is the truth; the scheduler only ticks. APScheduler 3.11 runs one in-memory interval job
(``max_instances=1`` so ticks never overlap, ``coalesce=True`` so a stalled process runs one catch-up tick
rather than a burst, an explicit ``misfire_grace_time`` instead of the 1-second default). A restart loses
nothing: the next tick finds the rows still due. Run one scheduler per database (the per-row claim keeps
several from double-sending, but they would race for rows needlessly): :func:`start` enforces that within
a process -- a second call for the same database file returns the scheduler already running -- and the
app is served by one process (waitress threads, not forked workers), so ``serve`` runs one clock.

One tick:

1. rows left in 'sending' past the lease are recovered (their process died);
2. pending rows overdue by more than ``staleness_hours`` are skipped, and each affected journey's
   manager gets one ``stale_notice`` listing them;
3. due rows are claimed in batches and sent one at a time, each marked sent right after Slack accepts
   it, with at most one message per second per channel (:class:`jobs.delivery.Pacer`). Right before each
   post the tick renews that row's claim (:func:`jobs.outbox.renew_claim`); a row another process took
   back after the lease is left to that process.

Lease times (claims and renewals) are the tick's ``now`` plus the time the tick has been running on
``monotonic``, so a long tick (throttled or paced posts, several batches) keeps fresh leases while ``now``
still decides what is due.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from jobs import journeys, messages, outbox
from jobs.delivery import Pacer, Sender, Senders
from jobs.errors import DeliveryError, JourneyNotFound, RecipientUnreachable, SenderUnavailable
from jobs.outbox import OutboxRow
from jobs.timeutil import to_iso, utcnow

if TYPE_CHECKING:
    from apscheduler.schedulers.background import BackgroundScheduler

    from core.config import Settings
    from core.store import Store

logger = logging.getLogger(__name__)

POLL_SECONDS = 60
JOB_ID = "rolebot-outbox-poll"
MISFIRE_GRACE_SECONDS = 50
CLAIM_BATCH = 100
#: First retry after this long, doubling per attempt.
RETRY_BASE = timedelta(minutes=2)

#: The running scheduler of each database in this process (see :func:`start`).
_running: dict[str, BackgroundScheduler] = {}
_running_lock = threading.Lock()


class _Unrecorded(Exception):
    """Slack accepted a post but the database did not record it: the tick must stop right there."""


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
    #: Claimed here, but taken back by another process after the lease ran out: not posted here.
    lost: list[int] = field(default_factory=list)
    stopped: str | None = None

    def summary(self) -> str:
        """One line for logs and the CLI."""
        text = (f"sent {len(self.sent)}, skipped {len(self.skipped_stale)} stale + {len(self.skipped)} other, "
                f"held {len(self.held)}, retrying {len(self.retrying)}, failed {len(self.failed)}, "
                f"blocked journeys {len(self.blocked_journeys)}, recovered {self.recovered}"
                + (f", lost to another process {len(self.lost)}" if self.lost else ""))
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


def _deliver(store: Store, senders: Senders, settings: Settings, row: OutboxRow, now: datetime,
             pacer: Pacer, report: RunReport, lease_clock: Callable[[], datetime]) -> None:
    token = row.claim_token
    try:
        journey = journeys.get(store, row.journey_id)
    except JourneyNotFound:
        outbox.set_status(store, row.id, outbox.CANCELLED, "journey gone", token=token)
        report.skipped.append(row.id)
        return
    hold = _hold_reason(journey, row)
    if hold == outbox.PAUSED:
        outbox.hold(store, row.id, f"journey {journey.status}", token=token)
        report.held.append(row.id)
        return
    if hold:
        outbox.set_status(store, row.id, hold, f"journey {journey.status}", token=token)
        report.held.append(row.id)
        return
    if row.kind == "reminder" and not messages.open_goals(store, settings, journey, row.day or 0):
        outbox.set_status(store, row.id, outbox.SKIPPED, "nothing open to remind", token=token)
        report.skipped.append(row.id)
        return
    sender = senders.get(journey.platform)
    if sender is None:
        # Another process (``serve --teams``) may deliver this platform; try again later, not in a loop.
        outbox.mark_failed(store, row.id, f"no {journey.platform} sender in this process", now, RETRY_BASE,
                           token=token)
        report.retrying.append(row.id)
        logger.warning("outbox %d: no sender for %s journeys here; configure it to deliver them", row.id,
                       journey.platform)
        return
    message = messages.render(store, settings, row)
    pacer.wait(row.recipient)
    if not outbox.renew_claim(store, row, lease_clock()):
        report.lost.append(row.id)
        logger.warning("outbox %d: claim taken back by another process after the lease; not posted here", row.id)
        return
    try:
        delivered = sender.send(row.recipient, message)
    except RecipientUnreachable as exc:
        outbox.mark_failed(store, row.id, exc.reason, now, token=token)
        report.failed.append(row.id)
        if row.recipient == journey.user_id and journeys.block(store, journey.id, exc.reason, now=now):
            report.blocked_journeys.append(journey.id)
        logger.warning("outbox %d: %s unreachable (%s)", row.id, row.recipient, exc.reason)
        return
    except SenderUnavailable:
        raise
    except DeliveryError as exc:
        backoff = RETRY_BASE * (2 ** max(row.attempts - 1, 0)) if exc.retryable else None
        if backoff is not None and exc.retry_after:
            backoff = max(backoff, timedelta(seconds=exc.retry_after))
        status = outbox.mark_failed(store, row.id, exc.reason, now, backoff, token=token)
        (report.retrying if status == outbox.PENDING else report.failed).append(row.id)
        logger.warning("outbox %d: send failed (%s), now %s", row.id, exc.reason, status)
        return
    # Marked sent before anything else happens: this is what keeps the double-send window to one row.
    try:
        outbox.mark_sent(store, row.id, delivered.channel, delivered.ts, now)
    except Exception as exc:
        raise _Unrecorded(row.id) from exc
    report.sent.append(row.id)
    if row.kind == "wrapup":
        journeys.complete(store, journey.id, now=now)


def run_due(
    store: Store,
    sender: Sender | Senders,
    settings: Settings,
    now: datetime | None = None,
    *,
    batch: int = CLAIM_BATCH,
    lease: timedelta = outbox.DEFAULT_LEASE,
    pacer: Pacer | None = None,
    monotonic: Callable[[], float] = time.monotonic,
    stopping: threading.Event | None = None,
) -> RunReport:
    """One tick: recover, skip stale, then claim and send everything due at ``now`` (default: the clock).

    ``sender`` is one Sender (Slack journeys only) or a :class:`~jobs.delivery.Senders` per platform.
    ``monotonic`` measures how long the tick has run, for its leases (injectable for tests). Once
    ``stopping`` is set (the process is shutting down) the tick finishes the row it is sending and
    returns the rest of its claim to 'pending' at once, rather than leaving them to the lease.
    """
    senders = Senders.of(sender)
    now = now or utcnow()
    pacer = pacer or Pacer()
    started = monotonic()

    def lease_clock() -> datetime:
        return now + timedelta(seconds=max(monotonic() - started, 0.0))

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
        rows = outbox.claim_due(store, now, batch, claimed_at=lease_clock())
        if not rows:
            break
        report.claimed += len(rows)
        for position, row in enumerate(rows):
            if stopping is not None and stopping.is_set():
                outbox.release(store, [r.id for r in rows[position:]], token=row.claim_token)
                report.stopped = "shutting down"
                logger.info("tick stopped for shutdown: %d claimed row(s) returned to pending", len(rows) - position)
                return report
            try:
                _deliver(store, senders, settings, row, now, pacer, report, lease_clock)
            except SenderUnavailable as exc:
                outbox.release(store, [r.id for r in rows[position:]], token=row.claim_token)
                report.stopped = exc.reason
                logger.error("stopping the tick: the sender is unavailable (%s)", exc.reason)
                return report
            except _Unrecorded:
                # The row stays 'sending' (posted again only after the lease: the one-row window); posting
                # more rows the database cannot record would widen that window, and retrying this one
                # soon would post it twice.
                logger.exception("outbox %d: posted, but recording it failed; stopping the tick", row.id)
                outbox.release(store, [r.id for r in rows[position + 1:]], token=row.claim_token)
                report.stopped = "could not record a posted message"
                return report
            except Exception:
                # One bad row must not stop the others: park it for a retry and go on.
                logger.exception("outbox %d: unexpected error", row.id)
                if row.id not in report.sent:  # else it was posted and recorded; only a later step failed
                    outbox.mark_failed(store, row.id, "internal error", now, RETRY_BASE, token=row.claim_token)
                    report.retrying.append(row.id)
    if report.claimed or report.skipped_stale or report.recovered:
        logger.info("run_due: %s", report.summary())
    return report


def _key(store: Store) -> str:
    if store.path == ":memory:":
        return f":memory:{id(store)}"
    return store.path if store.dialect.name == "postgresql" else os.path.realpath(store.path)


def wake(store: Store) -> bool:
    """Make this process's running poller for ``store`` tick now; False when none runs here.

    For work that should go out at once (a check-in digest): the poller's own thread sends it, one tick
    at a time (``max_instances=1``), instead of the caller sending from a request thread.
    """
    with _running_lock:
        scheduler = _running.get(_key(store))
    if scheduler is None or not scheduler.running:
        return False
    scheduler.modify_job(JOB_ID, next_run_time=utcnow())
    return True


def start(
    store: Store,
    settings: Settings,
    sender: Sender | Senders,
    *,
    interval_seconds: int = POLL_SECONDS,
    listeners: Iterable[tuple[Callable[[Any], None], int]] = (),
) -> BackgroundScheduler:
    """Start the background poller (returns the running scheduler; call ``.shutdown()`` to stop).

    ``sender``: one Sender (Slack) or the :class:`~jobs.delivery.Senders` of every platform served, so
    one clock delivers all of them. ``store`` must be file-backed (the tick runs in a worker thread). One
    poller per database per process: while one runs for ``store``'s file, this returns it unchanged.
    Stopping it twice is harmless.

    ``listeners`` are APScheduler ``(callback, event_mask)`` pairs attached before the scheduler starts:
    one attached after ``start`` returns can miss the first tick, which runs at once.
    """
    with _running_lock:
        key = _key(store)
        current = _running.get(key)
        if current is not None and current.running:
            logger.warning("onboarding poller already running for %s; not starting another", key)
            return current
        scheduler = _start(store, settings, sender, interval_seconds, listeners)
        _running[key] = scheduler
        return scheduler


def _start(
    store: Store, settings: Settings, sender: Sender | Senders, interval_seconds: int,
    listeners: Iterable[tuple[Callable[[Any], None], int]],
) -> BackgroundScheduler:
    from apscheduler.schedulers.background import BackgroundScheduler

    stopping = threading.Event()

    class _Scheduler(BackgroundScheduler):
        def shutdown(self, wait: bool = True) -> None:
            # First tell a running tick to stop after its current row (and give back the rest of its claim).
            stopping.set()
            if self.running:  # APScheduler raises on a second shutdown; two owners may each stop it
                logger.info("stopping the onboarding poller (after the message being sent, if any)")
                super().shutdown(wait)

    pacer = Pacer()

    def tick() -> None:
        try:
            run_due(store, sender, settings, pacer=pacer, stopping=stopping)
        except Exception:
            logger.exception("onboarding poll tick failed; the next tick retries")

    scheduler = _Scheduler(timezone="UTC")
    for callback, mask in listeners:
        scheduler.add_listener(callback, mask)
    scheduler.add_job(
        tick, "interval", seconds=interval_seconds, id=JOB_ID, max_instances=1, coalesce=True,
        misfire_grace_time=MISFIRE_GRACE_SECONDS, next_run_time=utcnow(), replace_existing=True,
    )
    scheduler.start()
    logger.info("onboarding poller started (every %d s)", interval_seconds)
    return scheduler
