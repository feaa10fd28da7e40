from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from core.config import OnboardingSettings
from jobs.errors import UnknownTimezone
from jobs.plan import build_plan, plan_as_json, schedule_horizons
from jobs.timeutil import local_instant, parse_hhmm

ZONES = ["UTC", "America/New_York", "Europe/Berlin", "Asia/Kolkata", "Australia/Lord_Howe"]
SETTINGS = OnboardingSettings()


@pytest.fixture(params=ZONES)
def timezone(request) -> str:
    return request.param


def test_every_message_is_at_send_time_on_a_business_day(timezone):
    # 2026-03-02 is a Monday; the 90 days span the US (Mar 8) and EU (Mar 29) DST changes and
    # Lord Howe's half-hour change (Apr 5).
    plan = build_plan([30, 60, 90, 180], date(2026, 3, 2), timezone, SETTINGS)
    assert plan, "a plan"
    for entry in plan:
        local = entry.due_utc.astimezone(ZoneInfo(timezone))
        assert (local.hour, local.minute) == (9, 0), entry
        assert local.weekday() < 5, entry
        assert entry.local_due == local
        assert entry.due_utc.tzinfo is not None
    keys = [(p.kind, p.period) for p in plan]
    assert len(keys) == len(set(keys))
    assert [p.due_utc for p in plan] == sorted(p.due_utc for p in plan)


def test_kinds_and_goal_groups_for_30_60_90():
    plan = build_plan([30, 60, 90, 180], date(2026, 3, 2), "UTC", SETTINGS)
    main = [(p.day, p.kind, p.introduces, p.reviews) for p in plan if p.kind != "reminder"]
    assert main == [
        (0, "welcome", (30,), ()),
        (30, "milestone", (60,), (30,)),
        (60, "milestone", (90,), (60,)),
        (90, "wrapup", (180,), (90,)),
        (90, "manager_summary", (), (30, 60, 90, 180)),
    ]
    reminders = [p for p in plan if p.kind == "reminder"]
    assert [p.day for p in reminders] == [7, 14, 21, 28, 35, 42, 49, 56, 63, 70, 77, 84]
    assert all(p.reminds for p in reminders)
    assert next(p for p in reminders if p.day == 35).reminds == (60,)


def test_reminder_on_the_same_date_as_a_milestone_is_dropped():
    # Start Tue 2026-03-03: day 28 is Tue 03-31, day 30 is Thu 04-02 -> both kept. Start Sat 2026-03-07:
    # day 0 moves to Mon 03-09, day 28 (Sat 04-04) moves to Mon 04-06, day 30 (Mon 04-06): same date.
    plan = build_plan([30, 60, 90], date(2026, 3, 7), "UTC", SETTINGS)
    dates = [p.local_date for p in plan if p.recipient == "hire"]
    assert len(dates) == len(set(dates))
    assert 28 not in [p.day for p in plan if p.kind == "reminder"]


def test_weekend_start_moves_the_welcome_to_monday():
    plan = build_plan([30], date(2026, 3, 7), "Europe/Berlin", SETTINGS)  # a Saturday
    welcome = plan[0]
    assert welcome.kind == "welcome"
    assert welcome.local_date == date(2026, 3, 9)
    assert welcome.due_utc == datetime(2026, 3, 9, 8, 0, tzinfo=UTC)


def test_dst_keeps_local_time_and_changes_utc():
    plan = build_plan([30, 60, 90], date(2026, 3, 2), "America/New_York", SETTINGS)
    before = next(p for p in plan if p.day == 0)
    after = next(p for p in plan if p.day == 30)
    assert before.due_utc.hour == 14  # 09:00 EST = UTC-5
    assert after.due_utc.hour == 13  # 09:00 EDT = UTC-4


def test_nonexistent_wall_time_goes_out_once_after_the_gap():
    # 2026-03-08 02:30 does not exist in New York: the clock jumps from 02:00 to 03:00.
    moment = local_instant(date(2026, 3, 8), parse_hhmm("02:30"), "America/New_York")
    assert moment == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)
    assert moment.astimezone(ZoneInfo("America/New_York")).strftime("%H:%M") == "03:30"


def test_ambiguous_wall_time_goes_out_at_its_first_occurrence():
    # 2026-10-25 02:30 happens twice in Berlin; the first time is still CEST (UTC+2).
    moment = local_instant(date(2026, 10, 25), parse_hhmm("02:30"), "Europe/Berlin")
    assert moment == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_send_time_in_the_spring_forward_gap_over_a_whole_plan():
    settings = OnboardingSettings(send_time="02:30", business_days=("mon", "tue", "wed", "thu", "fri", "sat", "sun"),
                                  milestones=(0, 7), reminder_every_days=0)
    plan = build_plan([7], date(2026, 3, 1), "America/New_York", settings)  # day 7 = 2026-03-08, the gap day
    assert [p.due_utc for p in plan if p.recipient == "hire"] == [
        datetime(2026, 3, 1, 7, 30, tzinfo=UTC),
        datetime(2026, 3, 8, 7, 30, tzinfo=UTC),
    ]


def test_unknown_timezone_is_a_clear_error():
    with pytest.raises(UnknownTimezone, match="Mars/Olympus"):
        build_plan([30], date(2026, 3, 2), "Mars/Olympus", SETTINGS)


def test_only_later_goals_are_introduced_at_the_welcome():
    schedule = schedule_horizons([90], (0, 30, 60, 90))
    assert [(s.horizon_days, s.introduced_on, s.reviewed_on) for s in schedule] == [(90, 0, 90)]


def test_json_shape(timezone):
    from jobs.plan import PlanGoal

    goals = [PlanGoal(30, "30-day goals", "goal", 0, "Ship it"), PlanGoal(30, "30-day goals", "indicator", 1, "Shipped")]
    data = plan_as_json(build_plan([30], date(2026, 3, 2), timezone, SETTINGS), goals)
    first = data[0]
    assert first["kind"] == "welcome"
    assert first["due"].endswith("Z")
    local = datetime.fromisoformat(first["local_due"])
    assert local.utcoffset() is not None
    assert local.astimezone(UTC) == datetime.fromisoformat(first["due"].replace("Z", "+00:00"))
    assert {g["text"] for g in first["goals"]} == {"Ship it", "Shipped"}


def test_a_weekend_milestone_moves_across_the_year_end():
    # Day 30 of a journey starting Thu 2026-12-03 is Sat 2027-01-02: it goes out Mon 2027-01-04.
    plan = build_plan([30, 60, 90], date(2026, 12, 3), "Pacific/Auckland", SETTINGS)
    day30 = next(p for p in plan if p.day == 30 and p.kind == "milestone")
    assert day30.local_date == date(2027, 1, 4)
    assert day30.due_utc == datetime(2027, 1, 3, 20, 0, tzinfo=UTC)  # 09:00 NZDT (UTC+13) is the day before in UTC
