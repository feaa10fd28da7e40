"""One outbox, two platforms: each journey's rows go to its platform's sender, and a process without that
platform's sender leaves them for later instead of failing them or spinning."""

from datetime import UTC, datetime

import pytest

from jobs import journeys, outbox
from jobs.delivery import Delivered, Pacer, Sender, Senders
from jobs.errors import InvalidUserId
from jobs.poller import RETRY_BASE, run_due
from tests.jobs.conftest import ADMIN, HIRE, MANAGER

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
TEAMS_HIRE, TEAMS_MANAGER = "29:hire", "29:manager"


class Recording(Sender):
    """Accepts everything and remembers who got what (the platform's API is not the subject here)."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    def send(self, recipient, message):
        self.sent.append((recipient, message.text))
        return Delivered(f"dm-{recipient}", str(len(self.sent)))


def enrol_both(store, index, settings):
    slack = journeys.enrol(store, index, settings, actor_id=ADMIN, user_id=HIRE, manager_id=MANAGER,
                           role="Data Analyst", start="2026-03-02", tz="UTC", now=NOW)
    teams = journeys.enrol(store, index, settings, actor_id=ADMIN, user_id=TEAMS_HIRE, manager_id=TEAMS_MANAGER,
                           role="Data Analyst", start="2026-03-02", tz="UTC", platform="teams", now=NOW)
    return slack, teams


def test_each_journey_is_delivered_by_its_platforms_sender(store, index, settings):
    slack_journey, teams_journey = enrol_both(store, index, settings)
    assert (slack_journey.platform, teams_journey.platform) == ("slack", "teams")
    slack, teams = Recording(), Recording()
    due = outbox.rows_for_journey(store, teams_journey.id)[0].due_utc
    report = run_due(store, Senders(slack=slack, teams=teams), settings, now=due, pacer=Pacer(interval=0))
    assert [r for r, _ in slack.sent] == [HIRE] and [r for r, _ in teams.sent] == [TEAMS_HIRE]
    assert len(report.sent) == 2


def test_without_a_teams_sender_teams_rows_wait_and_slack_rows_go(store, index, settings):
    slack_journey, teams_journey = enrol_both(store, index, settings)
    slack = Recording()
    welcome = outbox.rows_for_journey(store, teams_journey.id)[0]
    report = run_due(store, slack, settings, now=welcome.due_utc, pacer=Pacer(interval=0))
    assert [r for r, _ in slack.sent] == [HIRE]
    assert report.retrying == [welcome.id]
    row = outbox.get_row(store, welcome.id)
    assert (row.status, row.available_utc) == ("pending", welcome.due_utc + RETRY_BASE)
    assert "no teams sender" in row.last_error


def test_teams_user_ids_are_checked_per_platform(store, index, settings):
    with pytest.raises(InvalidUserId):
        journeys.enrol(store, index, settings, actor_id=ADMIN, user_id="U123", role="Data Analyst",
                       start="2026-03-02", platform="teams", now=NOW)
    with pytest.raises(InvalidUserId):
        journeys.enrol(store, index, settings, actor_id=ADMIN, user_id="29:hire", role="Data Analyst",
                       start="2026-03-02", now=NOW)
