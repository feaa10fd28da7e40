"""Onboarding when Slack is slow to answer ``users.info``: the enrolment modal is still acknowledged
within Slack's 3 seconds, and the enrolment finishes after the ack with the outcome in the manager's DM.

The fake Slack holds every ``users.info`` answer until the test releases it, so "slow" is a state the
test controls, not a duration it measures.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from handlers.slack.onboarding import actions as onboarding_actions
from jobs import journeys
from tests.e2e.test_onboarding_slack import (  # noqa: F401  (app and clock are fixtures used by name)
    HIRE,
    MANAGER,
    _form,
    _submission,
    app,
    clock,
    text_of,
    valid_blocks,
)
from tests.fakes.slack_api import FakeSlack


class SlowProfiles(FakeSlack):
    """A fake Slack whose ``users.info`` answers only once ``release`` is set."""

    release: threading.Event

    def _answer(self, method: str, body: dict[str, Any], headers: dict[str, str]) -> tuple[int, dict, dict]:
        if method == "users.info":
            self.release.wait(timeout=10)
        return super()._answer(method, body, headers)


@pytest.fixture
def fake_slack() -> Iterator[SlowProfiles]:
    """Replaces the e2e fake: the app under test talks to this slow one."""
    slack = SlowProfiles()
    slack.release = threading.Event()
    with slack:
        yield slack
        slack.release.set()


@pytest.fixture(autouse=True)
def short_profile_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(onboarding_actions, "PROFILE_WAIT_SECONDS", 0.05)


def submit_while_slack_is_slow(app, form: dict[str, Any], caplog: pytest.LogCaptureFixture) -> tuple[int, str, bool]:  # noqa: F811
    """Submit the modal; also say whether the ack came back while users.info was still unanswered."""
    status, text = app.interaction(_submission(form))
    acked_before_profile = not app.slack.release.is_set()
    app.slack.release.set()
    # The enrolment listener acknowledged it, not Bolt giving up on it after 3 s (then the catch-all
    # listener closes the modal and the field errors or the refusal never reach the manager).
    assert "didn't call ack()" not in caplog.text
    return status, text, acked_before_profile


def test_modal_is_acknowledged_before_a_slow_profile_and_the_plan_follows_by_dm(app, caplog):  # noqa: F811
    status, text, acked_before_profile = submit_while_slack_is_slow(app, _form(app), caplog)
    assert acked_before_profile
    assert status == 200 and text in ("", "{}")
    [dm] = app.slack.wait_for("chat.postMessage")
    assert dm.body["channel"] == MANAGER
    assert f"Enrolled <@{HIRE}> as *Post-Sales Engineer*" in text_of(valid_blocks(dm.body["blocks"]))
    [journey] = journeys.active_for_user(app.store, HIRE)
    assert journey.tz == "Europe/Berlin"  # the profile's zone, read after the ack


def test_a_refusal_after_a_slow_profile_goes_to_the_managers_dm(app, caplog):  # noqa: F811
    status, text, acked_before_profile = submit_while_slack_is_slow(
        app, _form(app, role="Senior Solutions Architect"), caplog
    )
    assert acked_before_profile and status == 200
    [dm] = app.slack.wait_for("chat.postMessage")
    assert dm.body["channel"] == MANAGER
    said = text_of(valid_blocks(dm.body["blocks"]))
    assert f"I could not enrol <@{HIRE}>" in said and "has no 30/60/90-day goals" in said
    assert journeys.active_for_user(app.store, HIRE) == []


def test_a_second_enrolment_after_a_slow_profile_shows_the_journey_that_exists(app, caplog):  # noqa: F811
    status, text = app.interaction(_submission(_form(app, tz="Asia/Tokyo")))  # an override needs no users.info
    assert status == 200 and text in ("", "{}")
    app.slack.wait_for("chat.postMessage")
    status, text, acked_before_profile = submit_while_slack_is_slow(app, _form(app), caplog)
    assert acked_before_profile and status == 200
    [_, dm] = app.slack.wait_for("chat.postMessage", count=2)
    said = text_of(valid_blocks(dm.body["blocks"]))
    assert f"<@{HIRE}> is already enrolled as *Post-Sales Engineer*" in said and "Nothing was changed" in said
    assert len(journeys.active_for_user(app.store, HIRE)) == 1
