"""Forged or stale values on onboarding buttons and modals: acknowledged at once by their own listener,
logged, and answered with a clear line or nothing; never the apology for a crash.

(A listener that raises right after its ack makes Bolt 1.x drop that ack, wait its 3 s and hand the
request to the catch-all listener, so a crash here also showed as a slow request and an "unknown action".)
"""

from __future__ import annotations

import json

import pytest

from handlers.shared import FRIENDLY, whole_number
from handlers.slack.home import PAGE_ACTION
from handlers.slack.onboarding.views import CHECKIN_CALLBACK
from jobs import messages


@pytest.mark.parametrize(
    "action_id, value",
    [
        (messages.SNOOZE, "²"),
        ("onboarding_manage:pause", "pause:²"),
        (messages.CHECKIN_OPEN, "³"),
        (f"{PAGE_ACTION}:next", "¹"),
        (messages.SNOOZE, "-1"),
    ],
)
def test_a_forged_button_value_is_ignored_not_a_crash(slack_app, caplog, action_id, value):
    url = slack_app.slack.response_url(slack_app.next_id("forged"))
    status, _ = slack_app.action(action_id, value, response_url=url)
    assert status == 200
    assert "didn't call ack()" not in caplog.text
    assert "listener failed" not in caplog.text
    assert all(call.body.get("text") != FRIENDLY for call in slack_app.responses(url))


@pytest.mark.parametrize("metadata", ['{"checkin": "abc"}', '{"checkin": "²"}', "not json", "[]"])
def test_checkin_answers_with_bad_metadata_get_a_field_error(slack_app, metadata):
    status, text = slack_app.interaction({
        "type": "view_submission", "team": {"id": "T1"}, "user": {"id": "U1"}, "api_app_id": "A1",
        "view": {"id": "V1", "type": "modal", "callback_id": CHECKIN_CALLBACK, "private_metadata": metadata,
                 "state": {"values": {"q0": {"answer": {"type": "plain_text_input", "value": "fine"}}}}},
    })
    assert status == 200
    assert json.loads(text) == {"response_action": "errors", "errors": {"q0": "No check-in has id 0."}}


def test_whole_number():
    assert [whole_number(v) for v in ("12", 7, "007", "²", "-1", "1.5", None, "", True, -3)] == [
        12, 7, 7, None, None, None, None, None, None, None]
