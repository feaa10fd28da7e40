"""The poll tick against the fake Slack Web API on loopback, on a frozen clock (time-machine)."""

import sqlite3
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from core.config import load_settings
from core.store import open_store
from jobs import checkins, journeys, outbox
from jobs.delivery import Pacer, Sender
from jobs.poller import run_due
from tests.jobs.conftest import ADMIN, HIRE, MANAGER

NY = ZoneInfo("America/New_York")


def enrol(store, index, settings, now, **kw):
    args = dict(actor_id=ADMIN, user_id=HIRE, role="Data Analyst", start="2026-03-02", manager_id=MANAGER,
                tz="America/New_York", now=now)
    args.update(kw)
    return journeys.enrol(store, index, settings, **args)


def posts(slack):
    return slack.calls_to("chat.postMessage")


def test_whole_90_days_each_message_once_at_local_send_time(store, index, settings, sender, slack, pacer):
    # Starts on Saturday 2026-02-28 in New York; the US DST change (Mar 8) falls in between.
    start_clock = datetime(2026, 2, 27, 12, 0, tzinfo=UTC)
    with time_machine.travel(start_clock, tick=False) as traveller:
        journey = enrol(store, index, settings, None, start="2026-02-28")
        planned = outbox.rows_for_journey(store, journey.id)
        moment = start_clock
        ticked_done = False
        while moment < start_clock + timedelta(days=100):
            moment += timedelta(hours=1)
            traveller.move_to(moment)
            run_due(store, sender, settings, pacer=pacer)
            if not ticked_done and moment >= datetime(2026, 3, 10, tzinfo=UTC):
                # The hire finishes the 30-day goals in week 2: reminders stop until the next period.
                for goal in journeys.goals(store, journey.id):
                    if goal.horizon_days == 30 and goal.kind == "goal":
                        journeys.set_goal_done(store, settings, journey.id, goal.id, True, HIRE)
                ticked_done = True
    rows = outbox.rows_for_journey(store, journey.id)
    sent = [r for r in rows if r.status == "sent"]
    assert len(posts(slack)) == len(sent)
    assert Counter(r.status for r in rows) == Counter({"sent": len(sent), "skipped": 2})
    skipped = [r for r in rows if r.status == "skipped"]
    assert [(r.kind, r.day) for r in skipped] == [("reminder", 14), ("reminder", 21)]  # day 28 shares day 30's date
    assert [r.last_error for r in skipped] == ["nothing open to remind"] * 2
    assert {(r.kind, r.period) for r in rows} == {(r.kind, r.period) for r in planned}
    for row in sent:
        local = row.sent_at.astimezone(NY)
        assert (local.hour, local.minute) == (9, 0), row
        assert local.weekday() < 5, row
        assert row.sent_at == row.due_utc
    welcome = sent[0]
    assert welcome.kind == "welcome" and welcome.sent_at.astimezone(NY).date() == date(2026, 3, 2)
    # Before and after the DST change: same local hour, different UTC hour.
    assert welcome.sent_at.hour == 14
    assert next(r for r in sent if r.day == 30).sent_at.hour == 13
    assert Counter(c.body["channel"] for c in posts(slack)) == Counter({HIRE: len(sent) - 1, MANAGER: 1})
    kinds = [r.kind for r in sent]
    assert kinds[0] == "welcome" and kinds.count("milestone") == 2 and "wrapup" in kinds
    assert journeys.get(store, journey.id).status == "completed"


def test_run_due_twice_sends_nothing_the_second_time(store, index, settings, sender, slack, pacer):
    now = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
    enrol(store, index, settings, now - timedelta(days=3))
    first = run_due(store, sender, settings, now, pacer=pacer)
    second = run_due(store, sender, settings, now, pacer=pacer)
    assert len(first.sent) == 1 and second.sent == []
    assert len(posts(slack)) == 1


def test_restart_with_rows_due_sends_them_once(file_store, file_index, settings, sender, slack, pacer):
    path = file_store.path
    now = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
    journey = enrol(file_store, file_index, settings, now - timedelta(days=3))
    run_due(file_store, sender, settings, now, pacer=pacer)  # the welcome
    # Day 7's reminder is due; the process claims it and is killed before posting.
    day7 = datetime(2026, 3, 9, 13, 0, tzinfo=UTC)
    claimed = outbox.claim_due(file_store, day7, 10)
    assert [r.kind for r in claimed] == ["reminder"]
    file_store.close()
    # Down for two hours; meanwhile nothing else comes due. A new process opens the same file.
    restarted = open_store(path) if file_store.dialect.name == "sqlite" else file_store.reopen()
    later = day7 + timedelta(hours=2)
    report = run_due(restarted, sender, settings, later, pacer=pacer)
    assert report.recovered == 1 and len(report.sent) == 1
    assert run_due(restarted, sender, settings, later, pacer=pacer).sent == []
    assert [c.body["channel"] for c in posts(slack)] == [HIRE, HIRE]
    statuses = Counter(r.status for r in outbox.rows_for_journey(restarted, journey.id))
    assert statuses["sent"] == 2 and statuses["sending"] == 0
    restarted.close()


def test_rate_limited_posts_are_retried(store, index, settings, sender, slack, pacer, retry_sleeps):
    now = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
    journey = enrol(store, index, settings, now - timedelta(days=3))
    slack.rate_limit("chat.postMessage", times=2, retry_after=3)
    report = run_due(store, sender, settings, now, pacer=pacer)
    assert len(report.sent) == 1
    assert len(posts(slack)) == 3  # two 429s, then accepted
    assert len(retry_sleeps) == 2 and all(3 <= s < 4 for s in retry_sleeps)
    assert outbox.rows_for_journey(store, journey.id)[0].status == "sent"


def test_transient_error_is_retried_later(store, index, settings, sender, slack, pacer):
    now = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
    journey = enrol(store, index, settings, now - timedelta(days=3))
    slack.fail("chat.postMessage", "internal_error")
    report = run_due(store, sender, settings, now, pacer=pacer)
    assert report.sent == [] and len(report.retrying) == 1
    assert run_due(store, sender, settings, now + timedelta(minutes=1), pacer=pacer).sent == []
    assert len(run_due(store, sender, settings, now + timedelta(minutes=3), pacer=pacer).sent) == 1
    assert outbox.rows_for_journey(store, journey.id)[0].attempts == 2


def test_unreachable_hire_blocks_the_journey_and_tells_the_manager(store, index, settings, sender, slack, pacer):
    now = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
    journey = enrol(store, index, settings, now - timedelta(days=3))
    slack.fail("chat.postMessage", "account_inactive")
    report = run_due(store, sender, settings, now, pacer=pacer)
    assert report.blocked_journeys == [journey.id]
    assert journeys.get(store, journey.id).status == "blocked"
    notice = posts(slack)[-1]
    assert notice.body["channel"] == MANAGER and "account_inactive" in str(notice.body["blocks"])
    # Nothing more goes to the hire while blocked, and the manager is told once.
    later = now + timedelta(days=8)
    assert run_due(store, sender, settings, later, pacer=pacer).sent == []
    assert len(posts(slack)) == 2
    journeys.resume(store, settings, journey.id, MANAGER, now=later)
    assert journeys.get(store, journey.id).status == "active"
    assert run_due(store, sender, settings, later + timedelta(days=7), pacer=pacer).sent


def test_stale_rows_are_skipped_and_the_manager_told_once(store, index, settings, sender, slack, pacer):
    journey = enrol(store, index, settings, datetime(2026, 2, 20, tzinfo=UTC), tz="UTC")
    # Down from before the welcome (Mar 2) until Mar 16 10:00: welcome and day-7 reminder are > 72 h late.
    now = datetime(2026, 3, 16, 10, 0, tzinfo=UTC)
    report = run_due(store, sender, settings, now, pacer=pacer)
    assert len(report.skipped_stale) == 2
    channels = [c.body["channel"] for c in posts(slack)]
    assert sorted(channels) == sorted([HIRE, MANAGER])  # day 14's reminder + one notice
    notice = next(c for c in posts(slack) if c.body["channel"] == MANAGER)
    assert "skipped 2 onboarding message(s)" in notice.body["blocks"][0]["text"]["text"]
    rows = {r.period: r.status for r in outbox.rows_for_journey(store, journey.id)}
    assert rows["day-0"] == "skipped" and rows["reminder-7"] == "skipped" and rows["reminder-14"] == "sent"


def test_paused_journey_holds_messages(store, index, settings, sender, slack, pacer):
    now = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
    journey = enrol(store, index, settings, now - timedelta(days=3))
    journeys.pause(store, settings, journey.id, MANAGER, now=now - timedelta(hours=1))
    assert run_due(store, sender, settings, now, pacer=pacer).sent == []
    assert posts(slack) == []


def test_snoozed_reminder_comes_back_next_business_day(store, index, settings, sender, slack, pacer):
    journey = enrol(store, index, settings, datetime(2026, 2, 20, tzinfo=UTC))
    friday = datetime(2026, 3, 6, 14, 0, tzinfo=UTC)
    run_due(store, sender, settings, datetime(2026, 3, 2, 14, 0, tzinfo=UTC), pacer=pacer)
    reminder = next(r for r in outbox.rows_for_journey(store, journey.id) if r.kind == "reminder")
    snoozed = outbox.snooze(store, reminder.id, HIRE, now=friday)
    assert snoozed.due_utc == datetime(2026, 3, 9, 13, 0, tzinfo=UTC)  # Monday 09:00 New York (EDT)
    assert outbox.snooze(store, reminder.id, HIRE, now=friday).id == snoozed.id


def test_checkin_prompt_answers_and_one_digest(store, index, settings, sender, slack, pacer):
    journey = enrol(store, index, settings, datetime(2026, 2, 20, tzinfo=UTC))
    checkins.set_cadence(store, settings, journey.id, MANAGER, "weekly thu 10:00", manager_tz="Europe/London",
                         now=datetime(2026, 2, 20, tzinfo=UTC))
    thursday = datetime(2026, 3, 5, 10, 0, tzinfo=UTC)
    report = run_due(store, sender, settings, thursday, pacer=pacer)
    prompt = next(c for c in posts(slack) if "rolebot_checkin_open" in str(c.body["blocks"]))
    checkin_id = int(next(e["value"] for b in prompt.body["blocks"] if b["type"] == "actions" for e in b["elements"]))
    assert checkin_id in report.sent
    digest = checkins.record_answers(store, checkin_id, HIRE, {"What went well?": "Shipped <!channel> & more"},
                                     now=thursday + timedelta(hours=2))
    run_due(store, sender, settings, thursday + timedelta(hours=2), pacer=pacer)
    sent_digest = posts(slack)[-1]
    assert sent_digest.body["channel"] == MANAGER
    assert "&lt;!channel&gt; &amp; more" in str(sent_digest.body["blocks"])
    assert outbox.get_row(store, digest.id).status == "sent"


def test_pacing_keeps_one_message_per_second_per_channel(store, index, settings, sender, slack, pacer, vclock):
    now = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
    for hire in ("UH1", "UH2", "UH3"):
        enrol(store, index, settings, now - timedelta(days=3), user_id=hire)
    journeys_ = journeys.managed_by(store, MANAGER)
    for journey in journeys_:
        journeys.block(store, journey.id, "account_inactive", now=now)  # three notices to one manager
    report = run_due(store, sender, settings, now, pacer=pacer)
    assert len(report.sent) == 3
    assert vclock.sleeps == [1.0, 1.0]


def test_bad_token_stops_the_tick_and_keeps_rows(store, index, slack, pacer):
    settings = load_settings(env={}, admins=(ADMIN,), slack_api_url=slack.api_url, slack_bot_token="xoxb-bad")
    from handlers.slack.sender import SlackSender, slack_client

    sender = SlackSender(slack_client(settings, sleep=lambda s: None))
    now = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
    journey = enrol(store, index, settings, now - timedelta(days=3))
    slack.fail("chat.postMessage", "invalid_auth")
    report = run_due(store, sender, settings, now, pacer=pacer)
    assert report.stopped == "invalid_auth"
    assert outbox.rows_for_journey(store, journey.id)[0].status == "pending"
    assert len(run_due(store, sender, settings, now, pacer=pacer).sent) == 1


def test_journey_whose_wrapup_went_stale_is_completed(store, index, settings, sender, slack, pacer):
    journey = enrol(store, index, settings, datetime(2026, 2, 20, tzinfo=UTC), tz="UTC")
    report = run_due(store, sender, settings, datetime(2026, 7, 1, tzinfo=UTC), pacer=pacer)
    assert report.sent and all(c.body["channel"] == MANAGER for c in posts(slack))  # only the stale notice
    assert len(posts(slack)) == 1
    assert journeys.get(store, journey.id).status == "completed"


def test_two_pollers_on_one_database_send_each_message_once(file_store, file_index, settings, slack):
    import threading
    from dataclasses import replace

    from handlers.slack.sender import SlackSender, slack_client
    from jobs.delivery import Pacer

    now = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
    for n in range(30):
        enrol(file_store, file_index, settings, now - timedelta(days=3), user_id=f"UH{n:03d}")
    on_fake = replace(settings, slack_api_url=slack.api_url)
    barrier = threading.Barrier(2)
    reports = []

    def poll() -> None:
        store = file_store.reopen()
        sender = SlackSender(slack_client(on_fake, sleep=lambda s: None))
        barrier.wait()
        reports.append(run_due(store, sender, settings, now, batch=3, pacer=Pacer(sleep=lambda s: None)))
        store.close()

    threads = [threading.Thread(target=poll) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    channels = [c.body["channel"] for c in posts(slack)]
    assert sorted(channels) == sorted(f"UH{n:03d}" for n in range(30))
    assert sum(len(r.sent) for r in reports) == 30


class _SlowFirstSend(Sender):
    """Delegates to the real SlackSender; its first post takes longer than the lease, during which a
    second process (its own connection) runs a tick. The tick's virtual clock moves with the delay."""

    def __init__(self, inner, vclock, during):
        self.inner, self.vclock, self.during, self.calls = inner, vclock, during, 0

    def send(self, recipient, message):
        self.calls += 1
        if self.calls == 1:
            self.vclock.now += (outbox.DEFAULT_LEASE + timedelta(minutes=1)).total_seconds()
            self.during()
        return self.inner.send(recipient, message)


def test_a_tick_outliving_its_lease_resends_at_most_its_one_in_flight_row(
    file_store, file_index, settings, sender, slack, vclock
):
    now = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
    hires = [f"UH{n}" for n in range(5)]
    for hire in hires:
        enrol(file_store, file_index, settings, now - timedelta(days=3), user_id=hire)
    other = file_store.reopen()  # the second process: cron's `nudges run-due`, 11 minutes later
    later = now + outbox.DEFAULT_LEASE + timedelta(minutes=1)
    reports = []
    slow = _SlowFirstSend(sender, vclock, lambda: reports.append(
        run_due(other, sender, settings, later, pacer=Pacer(sleep=lambda s: None))))
    first = run_due(file_store, slow, settings, now, pacer=Pacer(sleep=lambda s: None), monotonic=vclock.clock)
    counts = Counter(c.body["channel"] for c in posts(slack))
    assert set(counts) == set(hires)
    assert sum(counts.values()) - len(hires) <= 1, counts  # only the row in flight when the lease ran out
    assert len(first.lost) == len(hires) - 1
    assert {r.status for r in outbox.rows_for_journey(file_store, 1)} >= {"sent"}
    sending = file_store.conn.execute("SELECT count(*) FROM outbox WHERE status = 'sending'").fetchone()[0]
    assert sending == 0
    other.close()


def test_each_post_renews_its_claim_on_the_tick_clock(file_store, file_index, settings, sender, slack, vclock):
    # A long tick (paced or throttled posts) keeps the lease of the row it is about to post fresh, and
    # claims later batches at the time it claims them, so another process does not take them back.
    now = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
    for n in range(4):
        enrol(file_store, file_index, settings, now - timedelta(days=3), user_id=f"UH{n}")
    stamps = []

    class Slow(Sender):
        def send(self, recipient, message):
            vclock.now += 300  # five minutes per post
            stamps.append(file_store.conn.execute(
                "SELECT claimed_at FROM outbox WHERE recipient = ? AND status = 'sending'", [recipient]).fetchone()[0])
            return sender.send(recipient, message)

    report = run_due(file_store, Slow(), settings, now, batch=2, pacer=Pacer(sleep=lambda s: None),
                     monotonic=vclock.clock)
    assert len(report.sent) == 4
    assert [datetime.fromisoformat(s) - now for s in stamps] == [
        timedelta(0), timedelta(minutes=5), timedelta(minutes=10), timedelta(minutes=15)]


def test_a_post_the_database_cannot_record_stops_the_tick_and_is_not_retried(
    store, index, settings, sender, slack, pacer, monkeypatch
):
    # Slack accepted the post but recording it failed (e.g. the database stayed locked): retrying that
    # row soon would post it twice, and posting more rows would widen the window beyond one row.
    now = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
    for hire in ("UH1", "UH2", "UH3"):
        enrol(store, index, settings, now - timedelta(days=3), user_id=hire)
    real_mark_sent = outbox.mark_sent
    failures = iter([sqlite3.OperationalError("database is locked")])

    def flaky_mark_sent(*args, **kwargs):
        error = next(failures, None)
        if error:
            raise error
        return real_mark_sent(*args, **kwargs)

    monkeypatch.setattr(outbox, "mark_sent", flaky_mark_sent)
    report = run_due(store, sender, settings, now, pacer=pacer)
    assert report.sent == [] and report.stopped and len(posts(slack)) == 1
    first = posts(slack)[0].body["channel"]
    assert run_due(store, sender, settings, now + timedelta(minutes=3), pacer=pacer).sent  # the other two
    assert Counter(c.body["channel"] for c in posts(slack)) == Counter({"UH1": 1, "UH2": 1, "UH3": 1})
    # Only after the lease does the unrecorded row go out again: the documented one-row window.
    statuses = store.conn.execute("SELECT status, count(*) FROM outbox WHERE recipient = ? GROUP BY status",
                                  [first]).fetchall()
    assert ("sending", 1) in statuses


def test_a_long_retry_after_is_honoured_later_not_waited_out_in_the_tick(
    store, index, settings, sender, slack, pacer, retry_sleeps
):
    # Waiting 10 minutes inside a tick would hold every claimed row past its lease (and stall the rest).
    now = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
    journey = enrol(store, index, settings, now - timedelta(days=3))
    slack.rate_limit("chat.postMessage", times=1, retry_after=600)
    report = run_due(store, sender, settings, now, pacer=pacer)
    assert report.sent == [] and len(report.retrying) == 1 and retry_sleeps == []
    [row] = outbox.rows_for_journey(store, journey.id, ("pending",))[:1]
    assert row.available_utc == now + timedelta(minutes=10) and row.last_error == "ratelimited"
    assert run_due(store, sender, settings, now + timedelta(minutes=9), pacer=pacer).sent == []
    assert len(run_due(store, sender, settings, now + timedelta(minutes=10), pacer=pacer).sent) == 1
    assert len(posts(slack)) == 2


def test_a_row_held_while_its_journey_is_resumed_is_not_left_paused(
    store, index, settings, sender, slack, pacer, monkeypatch
):
    # A row claimed before a pause (its process died; recovered after the lease) reaches the tick while
    # the journey is paused. If the manager resumes right after the tick read the journey, holding the
    # row as 'paused' would strand it: resume has already moved the paused rows back.
    now = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
    journey = enrol(store, index, settings, now - timedelta(days=3))
    [claimed] = outbox.claim_due(store, now, 1)
    journeys.pause(store, settings, journey.id, MANAGER, now=now)
    real_get = journeys.get
    resumed = []

    def get_then_resumed_meanwhile(store_, journey_id):
        found = real_get(store_, journey_id)
        if found.status == "paused" and not resumed:
            resumed.append(journey_id)
            journeys.resume(store, settings, journey_id, MANAGER, now=now)
        return found

    monkeypatch.setattr(journeys, "get", get_then_resumed_meanwhile)
    later = now + outbox.DEFAULT_LEASE + timedelta(minutes=1)
    report = run_due(store, sender, settings, later, pacer=pacer)
    monkeypatch.undo()
    assert resumed and report.held == [claimed.id]
    assert journeys.get(store, journey.id).status == "active"
    assert report.sent == [claimed.id]  # back to pending, so the same tick's next claim posted it
    assert outbox.get_row(store, claimed.id).status == "sent" and len(posts(slack)) == 1


def test_no_write_transaction_is_open_while_posting(file_store, file_index, settings, sender, slack, pacer):
    # Slack can take seconds (429 retries); a write lock held meanwhile would stall every handler.
    now = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
    enrol(file_store, file_index, settings, now - timedelta(days=3))
    sqlite = file_store.dialect.name == "sqlite"
    other = sqlite3.connect(file_store.path, timeout=0, isolation_level=None) if sqlite else None
    writable = []

    class Probe(Sender):
        def send(self, recipient, message):
            assert not file_store.conn.in_transaction
            if other is not None:
                other.execute("BEGIN IMMEDIATE")  # fails at once if the tick held the write lock
                other.execute("ROLLBACK")
            writable.append(recipient)
            return sender.send(recipient, message)

    assert len(run_due(file_store, Probe(), settings, now, pacer=pacer).sent) == 1
    assert writable == [HIRE]
    if other is not None:
        other.close()


def test_enrolment_is_all_or_nothing(store, index, settings, monkeypatch):
    now = datetime(2026, 2, 20, tzinfo=UTC)
    real_enqueue, calls = outbox.enqueue, []

    def enqueue_failing_on_the_third(*args, **kwargs):
        calls.append(args)
        if len(calls) == 3:
            raise sqlite3.OperationalError("disk I/O error")
        return real_enqueue(*args, **kwargs)

    monkeypatch.setattr(outbox, "enqueue", enqueue_failing_on_the_third)
    with pytest.raises(sqlite3.OperationalError):
        enrol(store, index, settings, now)
    counts = [store.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("journeys", "journey_goals", "outbox")]
    assert len(calls) == 3 and counts == [0, 0, 0]


def test_reschedule_while_a_row_is_being_posted_neither_revives_nor_duplicates_it(
    store, index, settings, sender, slack, pacer
):
    now = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
    journey = enrol(store, index, settings, now - timedelta(days=3))

    class RescheduledMidPost(Sender):
        def send(self, recipient, message):
            journeys.reschedule(store, settings, journey.id, MANAGER, "2026-03-09", now=now)
            return sender.send(recipient, message)

    assert len(run_due(store, RescheduledMidPost(), settings, now, pacer=pacer).sent) == 1
    welcome = next(r for r in outbox.rows_for_journey(store, journey.id) if r.period == "day-0")
    assert welcome.status == "sent" and welcome.due_utc == now
    week_later = datetime(2026, 3, 9, 13, 0, tzinfo=UTC)
    for moment in (week_later, week_later + timedelta(days=1)):
        assert run_due(store, sender, settings, moment, pacer=pacer).sent == []
    assert len(posts(slack)) == 1


def test_a_step_failing_after_the_post_was_recorded_leaves_it_sent(store, index, settings, sender, slack, pacer,
                                                                   monkeypatch):
    journey = enrol(store, index, settings, datetime(2026, 2, 20, tzinfo=UTC), tz="UTC")
    [wrapup] = [r for r in outbox.rows_for_journey(store, journey.id) if r.kind == "wrapup"]

    def complete_fails(*args, **kwargs):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(journeys, "complete", complete_fails)
    report = run_due(store, sender, settings, wrapup.due_utc, pacer=pacer)
    assert wrapup.id in report.sent and wrapup.id not in report.retrying
    assert outbox.get_row(store, wrapup.id).status == "sent"
    assert run_due(store, sender, settings, wrapup.due_utc + timedelta(minutes=5), pacer=pacer).sent == []


@pytest.mark.parametrize(("body", "ctype"), [(b"<html>503 Service Unavailable</html>", "text/html"),
                                             (b'{"ok": false}', "application/json")])
def test_slack_server_errors_are_retried_not_given_up(store, index, settings, pacer, body, ctype):
    # A Slack outage answers 5xx, often from its edge with an HTML page: that row must be tried again.
    import threading
    from dataclasses import replace
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from handlers.slack.sender import SlackSender, slack_client

    class Unavailable(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):  # noqa: N802
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(503)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Unavailable)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        now = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
        journey = enrol(store, index, settings, now - timedelta(days=3))
        url = f"http://127.0.0.1:{server.server_address[1]}/api/"
        sender = SlackSender(slack_client(replace(settings, slack_api_url=url), sleep=lambda s: None))
        report = run_due(store, sender, settings, now, pacer=pacer)
    finally:
        server.shutdown()
        server.server_close()
    assert report.failed == [] and len(report.retrying) == 1
    row = outbox.rows_for_journey(store, journey.id)[0]
    assert (row.status, row.last_error) == ("pending", "http_503")
