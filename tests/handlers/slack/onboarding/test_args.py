"""Parsing of /role onboard and /role checkin arguments."""

from __future__ import annotations

from datetime import date, time

import pytest

from core.errors import InvalidCommand
from handlers.slack.onboarding.args import (
    CheckinArgs,
    OnboardArgs,
    VerbArgs,
    escape,
    parse_checkin,
    parse_onboard,
    parse_weekday,
)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("<@U2|ana> post-sales engineer start 2026-12-01", OnboardArgs("U2", "post-sales engineer", date(2026, 12, 1))),
        ("<@U2> post-sales engineer", OnboardArgs("U2", "post-sales engineer", None)),
        ("<@W0AB1> SRE 2027-01-04", OnboardArgs("W0AB1", "SRE", date(2027, 1, 4))),
        ("<@U2>   lead  sre   starting 2027-01-04", OnboardArgs("U2", "lead sre", date(2027, 1, 4))),
        ("cancel <@U2|ana>", VerbArgs("cancel", "U2")),
        ("PAUSE <@U2>", VerbArgs("pause", "U2")),
        ("reschedule <@U2> 2027-02-01", VerbArgs("reschedule", "U2", date(2027, 2, 1))),
        # a pasted member ID reads like the CLI and CSV import read it (jobs.journeys.normalize_user_id)
        ("U012AB3CD data analyst", OnboardArgs("U012AB3CD", "data analyst", None)),
    ],
)
def test_parse_onboard(text, expected):
    assert parse_onboard(text) == expected


def test_no_arguments_means_modal():
    assert parse_onboard("   ") is None


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("@ana post-sales engineer", "mention menu"),
        ("ana post-sales engineer", "@-mention"),
        ("<@U2>", "which role"),
        ("<@U2> sre start 2026-13-01", "real calendar date"),
        ("<@U2> sre start 01/12/2026", "YYYY-MM-DD"),
        ("<@U2> sre start", "start date"),
        ("cancel", "whose journey"),
        ("reschedule <@U2>", "new start date"),
        ("cancel <@U2> now please", "takes only the person"),
    ],
)
def test_parse_onboard_errors(text, fragment):
    with pytest.raises(InvalidCommand) as err:
        parse_onboard(text)
    assert fragment in err.value.reason


def test_errors_escape_what_the_user_typed():
    with pytest.raises(InvalidCommand) as err:
        parse_onboard("<!channel> sre")
    assert "<!channel>" not in err.value.reason
    assert "&lt;!channel&gt;" in err.value.reason


@pytest.mark.parametrize(
    "text, expected",
    [
        ("<@U2> weekly thu 10:00", CheckinArgs("U2", "weekly", "thu", time(10, 0))),
        ("<@U2|bo> Biweekly Thursday 9:30", CheckinArgs("U2", "biweekly", "thu", time(9, 30))),
        ("<@U2> fortnightly mon 16:05", CheckinArgs("U2", "biweekly", "mon", time(16, 5))),
        ("resume <@U2>", VerbArgs("resume", "U2")),
        ("<@U2> off", VerbArgs("cancel", "U2")),
    ],
)
def test_parse_checkin(text, expected):
    assert parse_checkin(text) == expected


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("", "Usage"),
        ("<@U2> weekly thu", "cadence, a day and a time"),
        ("<@U2> daily thu 10:00", "not a cadence"),
        ("<@U2> weekly thx 10:00", "not a day"),
        ("<@U2> weekly thu 25:00", "not a time"),
        ("<@U2> weekly thu 10am", "not a time"),
    ],
)
def test_parse_checkin_errors(text, fragment):
    with pytest.raises(InvalidCommand) as err:
        parse_checkin(text)
    assert fragment in err.value.reason


def test_weekday_forms():
    assert [parse_weekday(d) for d in ("Mon", "tues", "wednesday", "SUN")] == ["mon", "tue", "wed", "sun"]
    with pytest.raises(InvalidCommand):
        parse_weekday("t")


def test_escape():
    assert escape("a & <@U1> > b") == "a &amp; &lt;@U1&gt; &gt; b"
