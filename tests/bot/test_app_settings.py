"""Settings the Slack app relies on, checked at start-up: a config that would break a Slack surface later
(the enrolment modal, the check-in modal, the admin list) fails at once with what is wrong."""

from __future__ import annotations

import re
from datetime import date

import pytest
from slack_sdk.models.views import View

from core.config import load_settings
from core.errors import ConfigError
from handlers.slack.onboarding.views import checkin_modal, enrol_modal


def settings_from(tmp_path, text: str):
    path = tmp_path / "rolebot.yml"
    path.write_text(text)
    return load_settings(env={"ROLEBOT_CONFIG": str(path)})


def test_a_one_digit_send_hour_is_stored_as_slack_timepickers_need_it(tmp_path):
    settings = settings_from(tmp_path, 'onboarding:\n  send_time: "9:05"\n')
    assert settings.onboarding.send_time == "09:05"
    modal = enrol_modal(settings, date(2026, 11, 23))
    times = [b["element"]["initial_time"] for b in modal["blocks"] if b.get("element", {}).get("type") == "timepicker"]
    assert times and all(re.fullmatch(r"\d\d:\d\d", t) for t in times)


@pytest.mark.parametrize(
    "questions, fragment",
    [
        # YAML reads an unquoted question with a colon as a mapping
        ("\n    - What went well?\n    - What is blocking you: people, tools?", "colon"),
        ("\n    - 42", "line of text"),
        ("\n    - '   '", "line of text"),
        ("\n    - " + "x" * 2001, "longer than 2000"),
    ],
)
def test_checkin_questions_that_would_break_the_answer_modal_are_refused(tmp_path, questions, fragment):
    with pytest.raises(ConfigError, match="checkin_questions") as err:
        settings_from(tmp_path, "onboarding:\n  checkin_questions:" + questions + "\n")
    assert fragment in str(err.value)


def test_valid_checkin_questions_make_a_valid_modal(tmp_path):
    settings = settings_from(tmp_path, "onboarding:\n  checkin_questions:\n    - 'Blockers: any?'\n    - Wins\n")
    modal = checkin_modal(settings.onboarding.checkin_questions, 7)
    View(**modal).validate_json()


@pytest.mark.parametrize("users", ["[ana]", "['@ana']", "[U012ADMIN, max]"])
def test_admins_and_managers_must_be_member_ids(tmp_path, users):
    for key in ("admins", "managers"):
        with pytest.raises(ConfigError, match=f"'{key}' must be a list of Slack member IDs"):
            settings_from(tmp_path, f"{key}: {users}\n")
    assert settings_from(tmp_path, "admins: [U012ADMIN, W0LEAD1]\n").admins == ("U012ADMIN", "W0LEAD1")
