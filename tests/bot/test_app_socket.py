"""The same app over Socket Mode: requests as Bolt's Socket Mode adapter hands them over (no signature),
with the fake Slack Web API behind. Only the websocket itself is left out."""

from __future__ import annotations

import json

import pytest
from slack_bolt.adapter.socket_mode.internals import run_bolt_app
from slack_sdk.socket_mode.request import SocketModeRequest

from bot.app import create_app
from core.config import BUNDLED_EXAMPLES, load_settings
from roles.index.library import RoleIndex
from tests.fakes.slack_api import FakeSlack


@pytest.fixture
def socket_app(file_store):
    RoleIndex(file_store).index_folder(BUNDLED_EXAMPLES)
    with FakeSlack() as slack:
        settings = load_settings(env={"SLACK_BOT_TOKEN": "xoxb-s", "SLACK_APP_TOKEN": "xapp-s", "SLACK_API_URL": slack.api_url})
        yield create_app(settings, file_store), slack


def test_slash_command_is_answered_in_the_socket_ack(socket_app):
    app, _ = socket_app
    payload = {"command": "/role", "text": "data analyst kpis", "user_id": "U1", "channel_id": "C1", "team_id": "T1",
               "response_url": "", "trigger_id": "t"}
    response = run_bolt_app(app, SocketModeRequest(type="slash_commands", envelope_id="e1", payload=payload))
    assert response.status == 200
    assert json.loads(response.body)["blocks"][0]["text"]["text"] == "Data Analyst"


def test_a_redelivered_event_is_handled_once(socket_app):
    app, slack = socket_app
    payload = {"type": "event_callback", "team_id": "T1", "event_id": "EvSock1", "api_app_id": "A1",
               "event": {"type": "app_home_opened", "user": "U9", "tab": "home"}}
    first = SocketModeRequest(type="events_api", envelope_id="e1", payload=payload)
    again = SocketModeRequest(type="events_api", envelope_id="e2", payload=payload, retry_attempt=1,
                              retry_reason="timeout")
    assert run_bolt_app(app, first).status == 200
    assert run_bolt_app(app, again).status == 200
    other = {**payload, "event_id": "EvSock2", "event": {**payload["event"], "user": "U10"}}
    assert run_bolt_app(app, SocketModeRequest(type="events_api", envelope_id="e3", payload=other)).status == 200
    # Listeners run in a pool, so the two publishes may arrive in either order; a repeat of U9 would be
    # one of the first two (it was dispatched before U10's event was sent).
    calls = slack.wait_for("views.publish", count=2)
    assert sorted(c.body["user_id"] for c in calls) == ["U10", "U9"]
