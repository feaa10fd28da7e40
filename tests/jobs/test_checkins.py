from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from jobs import checkins, journeys, outbox
from jobs.checkins import Cadence, parse_cadence
from jobs.errors import (
    CheckinAlreadyAnswered,
    CheckinNotFound,
    InvalidCadence,
    PermissionDenied,
    UnknownTimezone,
)
from tests.jobs.conftest import ADMIN, HIRE, MANAGER, OTHER

NOW = datetime(2026, 2, 20, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("weekly thu 10:00", Cadence(1, 3, time(10, 0))),
        ("biweekly Friday 9am", Cadence(2, 4, time(9, 0))),
        ("every 2 weeks on mon at 14:30", Cadence(2, 0, time(14, 30))),
        ("every other week tuesday 3 pm", Cadence(2, 1, time(15, 0))),
        ("Thursdays", Cadence(1, 3, time(9, 0))),
    ],
)
def test_cadences(spec, expected):
    assert parse_cadence(spec) == expected


@pytest.mark.parametrize(("spec", "text"), [("weekly 10:00", "day of the week"), ("weekly thu 25:00", "25:00"),
                                            ("every 9 weeks mon", "1 to 4"), ("daily", "daily")])
def test_bad_cadences(spec, text):
    with pytest.raises(InvalidCadence, match=text):
        parse_cadence(spec)


def test_off_clears():
    assert parse_cadence("off") is None


@pytest.fixture
def journey(store, index, settings):
    return journeys.enrol(store, index, settings, actor_id=ADMIN, user_id=HIRE, role="Data Analyst",
                          start="2026-03-02", manager_id=MANAGER, tz="America/New_York", now=NOW)


def test_occurrences_in_the_manager_zone_across_dst(store, settings, journey):
    checkins.set_cadence(store, settings, journey.id, MANAGER, "weekly thu 10:00", manager_tz="Europe/Berlin", now=NOW)
    rows = [r for r in outbox.rows_for_journey(store, journey.id) if r.kind == "checkin"]
    berlin = ZoneInfo("Europe/Berlin")
    assert len(rows) == 13  # Thursdays from the first day (Mar 2) to the day-90 milestone (Jun 1)
    for row in rows:
        local = row.due_utc.astimezone(berlin)
        assert (local.weekday(), local.hour, local.minute) == (3, 10, 0)
        assert row.recipient == HIRE
    assert journeys.get(store, journey.id).checkin_spec == "weekly thu 10:00"
    # Changing the cadence replaces what was not sent; 'off' removes it.
    checkins.set_cadence(store, settings, journey.id, MANAGER, "biweekly mon 9:00", now=NOW)
    assert len([r for r in outbox.rows_for_journey(store, journey.id) if r.kind == "checkin"]) == 7
    checkins.set_cadence(store, settings, journey.id, MANAGER, "off", now=NOW)
    assert [r for r in outbox.rows_for_journey(store, journey.id) if r.kind == "checkin"] == []


def test_cadence_permissions_and_zone(store, settings, journey):
    with pytest.raises(PermissionDenied):
        checkins.set_cadence(store, settings, journey.id, OTHER, "weekly thu 10:00", now=NOW)
    with pytest.raises(UnknownTimezone):
        checkins.set_cadence(store, settings, journey.id, MANAGER, "weekly thu 10:00", manager_tz="Nowhere", now=NOW)


def test_answers_once_by_the_hire_only(store, settings, journey):
    checkins.set_cadence(store, settings, journey.id, MANAGER, "weekly thu 10:00", now=NOW)
    prompt = next(r for r in outbox.rows_for_journey(store, journey.id) if r.kind == "checkin")
    answers = dict.fromkeys(checkins.questions(settings), "fine")
    with pytest.raises(PermissionDenied):
        checkins.record_answers(store, prompt.id, MANAGER, answers, now=NOW)
    digest = checkins.record_answers(store, prompt.id, HIRE, answers, now=NOW)
    assert (digest.kind, digest.recipient, digest.due_utc) == ("digest", MANAGER, NOW)
    with pytest.raises(CheckinAlreadyAnswered):
        checkins.record_answers(store, prompt.id, HIRE, answers, now=NOW)
    assert checkins.answers_for(store, prompt.id) == [(q, "fine") for q in checkins.questions(settings)]
    welcome = outbox.rows_for_journey(store, journey.id)[0]
    with pytest.raises(CheckinNotFound):
        checkins.record_answers(store, welcome.id, HIRE, answers, now=NOW)


def test_reschedule_moves_the_check_ins_with_the_journey(store, settings, journey):
    berlin = ZoneInfo("Europe/Berlin")
    checkins.set_cadence(store, settings, journey.id, MANAGER, "weekly thu 10:00", manager_tz="Europe/Berlin", now=NOW)
    # The hire's first day moves from Mon Mar 2 to Mon Mar 16: no check-in before it, and they go on
    # to the new day-90 milestone (Jun 15), in the manager's zone as before.
    journeys.reschedule(store, settings, journey.id, MANAGER, "2026-03-16", now=NOW)
    rows = [r for r in outbox.rows_for_journey(store, journey.id) if r.kind == "checkin"]
    dates = [r.due_utc.astimezone(berlin).date() for r in rows]
    assert len(rows) == 13 and all(r.status == "pending" for r in rows)
    assert dates[0] == datetime(2026, 3, 19).date() and dates[-1] == datetime(2026, 6, 11).date()
    assert all(r.due_utc.astimezone(berlin).time() == time(10, 0) for r in rows)
