"""The APScheduler clock: a real BackgroundScheduler ticking against the fake Slack Web API."""

import os
from dataclasses import replace
from datetime import timedelta

from core.store import Store
from handlers.slack.sender import SlackSender, slack_client
from jobs import journeys, outbox, poller
from jobs.timeutil import utcnow
from tests.jobs.conftest import ADMIN, HIRE, MANAGER


def test_start_runs_a_tick_at_once_and_is_configured_as_a_poller(file_store, file_index, settings, slack):
    # Every day a business day and send time 00:00, so the welcome is due now whatever the real date.
    settings = replace(settings, onboarding=replace(settings.onboarding, send_time="00:00",
                                                    business_days=("mon", "tue", "wed", "thu", "fri", "sat", "sun")))
    now = utcnow()
    journey = journeys.enrol(file_store, file_index, settings, actor_id=ADMIN, user_id=HIRE, role="Data Analyst",
                             start=now.date().isoformat(), manager_id=MANAGER, tz="UTC", now=now)
    scheduler = poller.start(file_store, settings, sender=SlackSender(slack_client(replace(settings, slack_api_url=slack.api_url))))
    try:
        [job] = scheduler.get_jobs()
        assert (job.max_instances, job.coalesce, job.misfire_grace_time) == (1, True, poller.MISFIRE_GRACE_SECONDS)
        assert job.trigger.interval == timedelta(seconds=poller.POLL_SECONDS)
        assert str(scheduler.timezone) == "UTC"
        [post] = slack.wait_for("chat.postMessage", 1)
    finally:
        scheduler.shutdown(wait=True)
    assert post.body["channel"] == HIRE
    assert outbox.rows_for_journey(file_store, journey.id)[0].status == "sent"


def test_one_poller_per_database_per_process(file_store, settings, slack):
    # serve and socket start the poller once; a second start (a second app in the same process, a
    # retried start-up) must not add a second clock racing the first for the same rows.
    client = slack_client(replace(settings, slack_api_url=slack.api_url))
    first = poller.start(file_store, settings, sender=SlackSender(client))
    try:
        # The same file under another spelling of its path (or the same PostgreSQL database).
        again = Store(os.path.relpath(file_store.path)) if file_store.dialect.name == "sqlite" else file_store.reopen()
        second = poller.start(again, settings, sender=SlackSender(client))
        assert second is first and len(first.get_jobs()) == 1
    finally:
        first.shutdown(wait=True)
        second.shutdown(wait=True)  # a second stop is harmless
        again.close()
    again = poller.start(file_store, settings, sender=SlackSender(client))
    try:
        assert again is not first and again.running
    finally:
        again.shutdown(wait=True)


def test_wake_makes_the_running_poller_send_now_instead_of_at_its_next_interval(file_store, file_index, settings, slack,
                                                                                monkeypatch):
    import threading

    from apscheduler.events import EVENT_JOB_EXECUTED

    settings = replace(settings, onboarding=replace(settings.onboarding, send_time="00:00",
                                                    business_days=("mon", "tue", "wed", "thu", "fri", "sat", "sun")))
    assert poller.wake(file_store) is False  # no poller in this process yet
    first_tick_done = threading.Event()
    # Attached before the scheduler starts: the first tick runs at once and its event must not be missed.
    scheduler = poller.start(file_store, settings, sender=SlackSender(slack_client(replace(settings, slack_api_url=slack.api_url))),
                             interval_seconds=3600, listeners=[(lambda event: first_tick_done.set(), EVENT_JOB_EXECUTED)])
    try:
        assert first_tick_done.wait(10)  # the ticks found nothing; the next one is an hour away
        now = utcnow()
        journeys.enrol(file_store, file_index, settings, actor_id=ADMIN, user_id=HIRE, role="Data Analyst",
                       start=now.date().isoformat(), manager_id=MANAGER, tz="UTC", now=now)
        assert slack.calls_to("chat.postMessage") == []
        assert poller.wake(file_store) is True
        [post] = slack.wait_for("chat.postMessage", 1)
    finally:
        scheduler.shutdown(wait=True)
    assert post.body["channel"] == HIRE
