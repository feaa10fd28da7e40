"""Benchmark of the onboarding outbox: 10,000 active journeys, one poll tick, the per-channel send rate.

Run from the project folder::

    .venv/bin/python -m bench.bench_outbox [--journeys 10000] [--http 300]

Builds a fresh database file with the bundled example roles, enrols N hires (start dates spread over
the last 80 and the next 20 days, five time zones, one manager per 20 hires), then measures:

- *find + claim*: ``outbox.claim_due`` alone (the atomic UPDATE … RETURNING), for a normal tick (the rows
  due at one send time) and for a catch-up tick (everything due at once after downtime);
- *tick*: ``run_due`` with a counting Sender on virtual time (no network), so the figure is rolebot's own
  work per message, and the gaps between two sends to the same channel (must be >= 1 s);
- *HTTP*: ``run_due`` against the fake Slack Web API on loopback for a sample of messages.

Prints a table; exits 1 when a target is missed (claiming a normal tick's due rows, and any batch of
100, < 200 ms; per-channel gap >= 1 s). The catch-up claim of every row at once is reported, not a target:
the tick never does that, it claims in batches of 100 and sends each batch before claiming the next. A script,
never a timed test.
"""

from __future__ import annotations

import argparse
import logging
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from core.config import BUNDLED_EXAMPLES, load_settings
from core.store import open_store
from handlers.slack.sender import SlackSender, slack_client
from jobs import journeys, outbox
from jobs.delivery import Delivered, Pacer, Sender
from jobs.poller import run_due
from roles.index.library import RoleIndex

MAX_CLAIM_MS = 200.0
ZONES = ("UTC", "America/New_York", "Europe/Berlin", "Asia/Kolkata", "Australia/Sydney")
ROLES = ("Data Analyst", "Site Reliability Engineer", "Customer Success Manager")
NOW = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)


class VirtualTime:
    """Monotonic virtual seconds: the Pacer sleeps on it, so pacing is checked without waiting."""

    def __init__(self) -> None:
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


class CountingSender(Sender):
    """Accepts every message and records (virtual time, channel); stands in for Slack."""

    def __init__(self, vt: VirtualTime) -> None:
        self.vt = vt
        self.sent: list[tuple[float, str]] = []

    def send(self, recipient, message):
        self.vt.now += 0.001  # a send takes some (virtual) time
        self.sent.append((self.vt.now, recipient))
        return Delivered("D" + recipient[1:], f"{len(self.sent)}.000")


def enrol_many(store, index, settings, count: int) -> float:
    rng = random.Random(7)
    started = time.perf_counter()
    for n in range(count):
        start = (NOW - timedelta(days=rng.randint(-20, 80))).date()
        journeys.enrol(store, index, settings, actor_id=journeys.SYSTEM_ACTOR, user_id=f"U{n:07d}",
                       role=ROLES[n % len(ROLES)], start=start, manager_id=f"UM{n // 20:05d}",
                       tz=ZONES[n % len(ZONES)], now=NOW)
    return time.perf_counter() - started


def reset_claims(store, ids: list[int]) -> None:
    outbox.release(store, ids)


def timed_claim(store, when: datetime, limit: int) -> tuple[int, float]:
    started = time.perf_counter()
    rows = outbox.claim_due(store, when, limit)
    elapsed = (time.perf_counter() - started) * 1000
    reset_claims(store, [r.id for r in rows])
    return len(rows), elapsed


def claims_at(store, when: datetime) -> tuple[int, list[float], int, float]:
    """Rows due at ``when``; 20 timed batch claims of 100 (what a tick does); one claim of every due row."""
    due = store.conn.execute(
        "SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND available_utc <= ?", [when.isoformat()]
    ).fetchone()[0]
    samples = [timed_claim(store, when, 100)[1] for _ in range(20)]
    claimed, all_ms = timed_claim(store, when, 1_000_000)
    return due, samples, claimed, all_ms


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--journeys", type=int, default=10_000)
    parser.add_argument("--http", type=int, default=300, help="messages sent over HTTP to the fake Slack")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    failures: list[str] = []
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "bench.db")
        index = RoleIndex(store)
        index.index_folder(BUNDLED_EXAMPLES)
        settings = load_settings(env={}, slack_bot_token="xoxb-bench")
        enrol_seconds = enrol_many(store, index, settings, args.journeys)
        total = store.conn.execute("SELECT COUNT(*) FROM outbox").fetchone()[0]
        pending = store.conn.execute("SELECT COUNT(*) FROM outbox WHERE status = 'pending'").fetchone()[0]
        rows.append(("journeys enrolled", f"{args.journeys:,} in {enrol_seconds:.1f} s "
                                          f"({args.journeys / enrol_seconds:,.0f}/s)"))
        rows.append(("outbox rows (pending)", f"{total:,} ({pending:,})"))

        # Enrolment put the current milestone of every journey that started in the past "due now":
        # a catch-up tick. Then a normal tick: Monday 09:00 in Berlin, one send time of one zone.
        due_now, samples, claimed, all_ms = claims_at(store, NOW)
        rows.append(("find + claim, batch of 100", f"{statistics.median(samples):.2f} ms median, {max(samples):.2f} ms max"))
        rows.append(("catch-up: find + claim, every due row at once", f"{claimed:,} rows in {all_ms:.1f} ms "
                                                                       "(the tick claims in batches of 100)"))
        if max(samples) >= MAX_CLAIM_MS:
            failures.append(f"a batch claim took >= {MAX_CLAIM_MS} ms")

        vt = VirtualTime()
        counting = CountingSender(vt)
        started = time.perf_counter()
        report = run_due(store, counting, settings, NOW, pacer=Pacer(clock=vt.clock, sleep=vt.sleep))
        tick_seconds = time.perf_counter() - started
        rows.append(("catch-up tick, counting sender", f"{len(report.sent):,} sent in {tick_seconds:.2f} s "
                                                       f"({len(report.sent) / max(tick_seconds, 1e-9):,.0f} msg/s), "
                                                       f"{due_now:,} were due"))
        monday = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
        normal_due, samples, claimed, normal_ms = claims_at(store, monday)
        rows.append(("normal tick (Mon 09:00 Berlin): due rows", f"{normal_due:,}"))
        rows.append(("normal tick: find + claim, every due row at once", f"{claimed:,} rows in {normal_ms:.1f} ms"))
        if normal_ms >= MAX_CLAIM_MS:
            failures.append(f"claiming a normal tick's rows took >= {MAX_CLAIM_MS} ms")
        rows.append(("normal tick: find + claim, batch of 100", f"{statistics.median(samples):.2f} ms median, "
                                                                 f"{max(samples):.2f} ms max"))
        if max(samples) >= MAX_CLAIM_MS:
            failures.append(f"normal claim took >= {MAX_CLAIM_MS} ms")
        report = run_due(store, counting, settings, monday, pacer=Pacer(clock=vt.clock, sleep=vt.sleep))
        rows.append(("normal tick, counting sender", f"{len(report.sent):,} sent"))

        # Per-channel pacing under load: many notices to one manager in one tick.
        counting.sent.clear()
        paced_from = vt.now
        busy = journeys.managed_by(store, "UM00001")
        for journey in busy:
            journeys.block(store, journey.id, "account_inactive", now=monday)
        run_due(store, counting, settings, monday, pacer=Pacer(clock=vt.clock, sleep=vt.sleep))
        by_channel: dict[str, list[float]] = defaultdict(list)
        for moment, channel in counting.sent:
            by_channel[channel].append(moment)
        gaps = [b - a for times in by_channel.values() for a, b in zip(times, times[1:], strict=False)]
        rows.append(("pacing tick", f"{len(counting.sent)} notices to one manager, "
                                    f"{vt.now - paced_from:.1f} virtual s"))
        min_gap = min(gaps) if gaps else float("inf")
        rows.append(("min gap between sends to one channel", f"{min_gap:.3f} s over {len(gaps):,} pairs "
                                                            f"(manager with {len(busy)} blocked hires)"))
        if min_gap < 1.0 - 1e-6:  # float noise of the virtual clock
            failures.append("two sends to one channel less than 1 s apart")

        if args.http:
            from tests.fakes.slack_api import FakeSlack

            with FakeSlack() as slack:
                sender = SlackSender(slack_client(replace(settings, slack_api_url=slack.api_url)))
                later = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)  # 09:00 in New York
                with store.conn:
                    store.conn.execute(
                        "UPDATE outbox SET status = 'cancelled' WHERE status = 'pending' AND available_utc <= ? "
                        "AND id NOT IN (SELECT id FROM outbox WHERE status = 'pending' AND available_utc <= ? "
                        "ORDER BY available_utc LIMIT ?)", [later.isoformat(), later.isoformat(), args.http],
                    )
                started = time.perf_counter()
                report = run_due(store, sender, settings, later)
                seconds = time.perf_counter() - started
                rows.append(("tick over HTTP (fake Slack, loopback)", f"{len(report.sent):,} sent in {seconds:.2f} s "
                                                                      f"({seconds * 1000 / max(len(report.sent), 1):.1f} ms/msg)"))
        store.close()
    width = max(len(k) for k, _ in rows)
    print(f"{'measure':<{width}}  result")
    for key, value in rows:
        print(f"{key:<{width}}  {value}")
    for failure in failures:
        print(f"MISSED: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
