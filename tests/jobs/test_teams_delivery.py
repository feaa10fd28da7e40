"""``nudges run-due`` delivers Teams journeys without a server: a bare App on its own loop, sending to the
connector (the fake, on loopback) with the address stored at install."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.teams_server import standalone_sender
from handlers.teams.app import TeamsConfig
from jobs import addresses, journeys, outbox
from jobs.addresses import Address
from jobs.delivery import Pacer, Senders
from jobs.poller import run_due
from tests.fakes.bot_connector import FakeConnector
from tests.jobs.conftest import ADMIN

NOW = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


def test_run_due_sends_teams_rows_through_a_standalone_sender(store, index, settings):
    journey = journeys.enrol(store, index, settings, actor_id=ADMIN, user_id="29:hire", role="Data Analyst",
                             start="2026-03-02", tz="UTC", platform="teams", now=NOW)
    welcome = outbox.rows_for_journey(store, journey.id)[0]
    with FakeConnector() as connector:
        addresses.save(store, Address("teams", "29:hire", "a:hire", connector.url, None, "Hugo", "UTC"), NOW)
        config = TeamsConfig(client_id="00000000-0000-4000-8000-000000000001")
        token = connector.token("https://api.botframework.com")
        with standalone_sender(store, config, cloud=connector.cloud(), token=lambda scope, tenant=None: token) as sender:
            report = run_due(store, Senders(teams=sender), settings, now=welcome.due_utc, pacer=Pacer(interval=0))
        [posted] = connector.activities("a:hire")
    assert report.sent == [welcome.id]
    assert posted.headers["Authorization"] == f"Bearer {token}"
    assert posted.card()["type"] == "AdaptiveCard"
    row = outbox.get_row(store, welcome.id)
    assert (row.slack_channel, row.slack_ts) == ("a:hire", "activity-1")
