from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.config import load_settings
from core.errors import RoleNotFound
from jobs import journeys, outbox
from jobs.errors import (
    AlreadyEnrolled,
    GoalNotFound,
    InvalidStartDate,
    InvalidUserId,
    JourneyNotActive,
    PermissionDenied,
    RoleHasNoGoals,
    UnknownTimezone,
)
from tests.jobs.conftest import ADMIN, HIRE, MANAGER, OTHER

NOW = datetime(2026, 2, 20, 12, 0, tzinfo=UTC)


def enrol(store, index, settings, **kw):
    args = dict(actor_id=ADMIN, user_id=HIRE, role="Data Analyst", start="2026-03-02", manager_id=MANAGER,
                tz="Europe/Berlin", now=NOW)
    args.update(kw)
    return journeys.enrol(store, index, settings, **args)


def test_enrol_copies_goals_and_fills_the_outbox(store, index, settings):
    journey = enrol(store, index, settings)
    assert (journey.user_id, journey.manager_id, journey.role_title) == (HIRE, MANAGER, "Data Analyst")
    assert journey.start_date == date(2026, 3, 2) and journey.status == "active"
    goals = journeys.goals(store, journey.id)
    assert [g.horizon_days for g in goals if g.kind == "goal"] == [30, 30, 30, 60, 60, 90, 90]
    rows = outbox.rows_for_journey(store, journey.id)
    assert all(r.status == "pending" for r in rows)
    assert [r.kind for r in rows if r.kind != "reminder"] == ["welcome", "milestone", "milestone", "wrapup", "manager_summary"]
    assert rows[0].due_utc == datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    assert next(r for r in rows if r.kind == "manager_summary").recipient == MANAGER


def test_plan_is_kept_when_the_document_changes(store, index, settings, docs_dir, tmp_path):
    journey = enrol(store, index, settings)
    before = [g.text for g in journeys.goals(store, journey.id)]
    edited = tmp_path / "docs"
    edited.mkdir()
    text = (docs_dir / "data-analyst.yaml").read_text().replace("Own the dashboards", "Rewrite the dashboards")
    (edited / "data-analyst.yaml").write_text(text)
    index.index_folder(edited)
    assert "Rewrite the dashboards for one business area." in str(index.get_role(index.list_roles()[0].id))
    assert [g.text for g in journeys.goals(store, journey.id)] == before


def test_enrolling_twice_returns_the_existing_journey(store, index, settings):
    first = enrol(store, index, settings)
    count = len(outbox.rows_for_journey(store, first.id))
    with pytest.raises(AlreadyEnrolled, match="already enrolled") as caught:
        enrol(store, index, settings, role="analyst")  # an alias of the same role
    assert caught.value.journey.id == first.id
    assert store.conn.execute("SELECT COUNT(*) FROM journeys").fetchone()[0] == 1
    assert len(outbox.rows_for_journey(store, first.id)) == count


def test_cancelled_journey_allows_a_new_enrolment(store, index, settings):
    first = enrol(store, index, settings)
    journeys.cancel(store, settings, first.id, ADMIN, now=NOW)
    second = enrol(store, index, settings)
    assert second.id != first.id


@pytest.mark.parametrize(
    ("kw", "error", "text"),
    [
        ({"role": "Data Scientist"}, RoleNotFound, "Did you mean: Data Analyst"),
        ({"start": "02/03/2026"}, InvalidStartDate, "YYYY-MM-DD"),
        ({"start": "2027-03-02"}, InvalidStartDate, "more than a year"),
        ({"start": "2025-01-02"}, InvalidStartDate, "more than a year"),
        ({"tz": "Europe/Berlinn"}, UnknownTimezone, "Europe/Berlinn"),
        ({"role": "Office Greeter"}, RoleHasNoGoals, "no 30/60/90-day goals"),
        ({"user_id": "bob"}, InvalidUserId, "not a Slack user ID"),
    ],
)
def test_bad_input_is_a_clear_error(store, index, settings, kw, error, text):
    with pytest.raises(error, match=text):
        enrol(store, index, settings, **kw)
    assert store.conn.execute("SELECT COUNT(*) FROM outbox").fetchone()[0] == 0


def test_unknown_role_carries_suggestions(store, index, settings):
    with pytest.raises(RoleNotFound) as caught:
        enrol(store, index, settings, role="Site Reliabilty Manager")
    assert caught.value.suggestions[0] == "Site Reliability Engineer"


def test_typos_and_aliases_resolve_but_a_partial_name_does_not(store, index, settings):
    assert journeys.resolve_role(index, settings, "Site Reliabilty Enginer")[1].title == "Site Reliability Engineer"
    assert journeys.resolve_role(index, settings, "csm")[1].title == "Customer Success Manager"
    role_id, role = journeys.resolve_role(index, settings, "Data Analyst")
    assert journeys.resolve_role(index, settings, role_id)[1] == role  # an int id
    with pytest.raises(RoleNotFound, match=r"^No role called 'success'\. Did you mean: Customer Success Manager\?$"):
        journeys.resolve_role(index, settings, "success")


def test_mention_and_configured_alias_resolve(store, index, slack):
    settings = load_settings(env={}, admins=(ADMIN,), aliases={"numbers person": "Data Analyst"})
    journey = enrol(store, index, settings, user_id=f"<@{HIRE}|ann>", role="Numbers Person")
    assert journey.user_id == HIRE and journey.role_title == "Data Analyst"


def test_permissions_for_enrolment(store, index, settings):
    restricted = load_settings(env={}, admins=(ADMIN,), managers=(MANAGER,))
    with pytest.raises(PermissionDenied, match="Only admins"):
        enrol(store, index, restricted, actor_id=OTHER, manager_id=None)
    with pytest.raises(PermissionDenied, match="only as their manager"):
        enrol(store, index, restricted, actor_id=MANAGER, manager_id=OTHER)
    with pytest.raises(PermissionDenied, match="yourself"):
        enrol(store, index, settings, actor_id=HIRE, manager_id=None)
    journey = enrol(store, index, restricted, actor_id=MANAGER, manager_id=None)
    assert journey.manager_id == MANAGER and journey.enrolled_by == MANAGER


def test_only_manager_and_admins_change_a_journey(store, index, settings):
    journey = enrol(store, index, settings)
    for change in (journeys.pause, journeys.cancel):
        with pytest.raises(PermissionDenied, match="manager"):
            change(store, settings, journey.id, OTHER, now=NOW)
        with pytest.raises(PermissionDenied):
            change(store, settings, journey.id, HIRE, now=NOW)
    with pytest.raises(PermissionDenied):
        journeys.reschedule(store, settings, journey.id, OTHER, "2026-03-09", now=NOW)
    assert journeys.pause(store, settings, journey.id, MANAGER, now=NOW).status == "paused"
    assert journeys.resume(store, settings, journey.id, ADMIN, now=NOW).status == "active"


def test_goal_ticks(store, index, settings):
    journey = enrol(store, index, settings)
    goal = journeys.goals(store, journey.id)[0]
    assert journeys.set_goal_done(store, settings, journey.id, goal.id, True, HIRE, now=NOW).done
    assert journeys.progress(store, journey.id)[0].done == 1
    assert not journeys.set_goal_done(store, settings, journey.id, goal.id, False, MANAGER, now=NOW).done
    with pytest.raises(PermissionDenied):
        journeys.set_goal_done(store, settings, journey.id, goal.id, True, OTHER, now=NOW)
    with pytest.raises(GoalNotFound):
        journeys.set_goal_done(store, settings, journey.id, 99999, True, HIRE, now=NOW)


def test_pause_then_resume_skips_what_was_missed(store, index, settings):
    journey = enrol(store, index, settings)
    journeys.pause(store, settings, journey.id, MANAGER, now=NOW)
    assert {r.status for r in outbox.rows_for_journey(store, journey.id)} == {"paused"}
    later = datetime(2026, 3, 20, tzinfo=UTC)
    journeys.resume(store, settings, journey.id, MANAGER, now=later)
    rows = outbox.rows_for_journey(store, journey.id)
    assert all(r.status == "skipped" for r in rows if r.due_utc < later)
    assert all(r.status == "pending" for r in rows if r.due_utc >= later)
    with pytest.raises(JourneyNotActive):
        journeys.resume(store, settings, journey.id, MANAGER, now=later)


def test_reschedule_moves_every_pending_message(store, index, settings):
    journey = enrol(store, index, settings)
    before = {(r.kind, r.period): r.due_utc for r in outbox.rows_for_journey(store, journey.id)}
    moved = journeys.reschedule(store, settings, journey.id, MANAGER, "2026-03-09", now=NOW)
    assert moved.start_date == date(2026, 3, 9)
    after = {(r.kind, r.period): r.due_utc for r in outbox.rows_for_journey(store, journey.id)}
    assert after.keys() == before.keys()
    berlin = ZoneInfo("Europe/Berlin")  # the move crosses the EU DST change: same wall time, 1 h less UTC
    for key in before:
        old, new = before[key].astimezone(berlin), after[key].astimezone(berlin)
        assert (new.date() - old.date(), new.time()) == (timedelta(days=7), old.time()), key


def test_cancel_stops_everything(store, index, settings):
    journey = enrol(store, index, settings)
    journeys.cancel(store, settings, journey.id, MANAGER, now=NOW)
    assert {r.status for r in outbox.rows_for_journey(store, journey.id)} == {"cancelled"}
    assert journeys.active_for_user(store, HIRE) == []


def test_late_enrolment_sends_only_the_current_milestone(store, index, settings):
    # Enrolled on day 40: day 0/30 and the reminders before are skipped, day 30's milestone goes out now.
    now = datetime(2026, 4, 11, 10, 0, tzinfo=UTC)
    journey = enrol(store, index, settings, now=now)
    rows = outbox.rows_for_journey(store, journey.id)
    due_now = [r for r in rows if r.status == "pending" and r.due_utc <= now]
    assert [(r.kind, r.day) for r in due_now] == [("milestone", 30)]
    assert all(r.status == "skipped" for r in rows if r.day is not None and r.day < 30)


def test_enrolled_on_the_first_day_after_send_time_still_gets_the_welcome(store, index, settings):
    now = datetime(2026, 3, 2, 11, 0, tzinfo=UTC)
    journey = enrol(store, index, settings, now=now)
    first = outbox.rows_for_journey(store, journey.id)[0]
    assert (first.kind, first.status, first.due_utc) == ("welcome", "pending", now)


def test_views_for_hire_and_manager(store, index, settings):
    journey = enrol(store, index, settings)
    assert [j.id for j in journeys.active_for_user(store, HIRE)] == [journey.id]
    assert [j.id for j in journeys.managed_by(store, MANAGER)] == [journey.id]
    assert journeys.can_manage(settings, MANAGER, journey) and not journeys.can_manage(settings, OTHER, journey)


def test_reschedule_a_late_enrolment_to_a_later_start_revives_its_messages(store, index, settings):
    now = datetime(2026, 4, 11, 10, 0, tzinfo=UTC)
    journey = enrol(store, index, settings, now=now)  # start 2026-03-02 was a mistake: really 2026-04-20
    assert any(r.status == "skipped" for r in outbox.rows_for_journey(store, journey.id))
    journeys.reschedule(store, settings, journey.id, MANAGER, "2026-04-20", now=now)
    rows = outbox.rows_for_journey(store, journey.id)
    assert {r.status for r in rows} == {"pending"}
    assert rows[0].kind == "welcome" and rows[0].due_utc == datetime(2026, 4, 20, 7, 0, tzinfo=UTC)


def test_new_time_zone_moves_pending_messages_to_the_same_local_time(store, index, settings):
    journey = enrol(store, index, settings)
    moved = journeys.reschedule(store, settings, journey.id, MANAGER, tz="Asia/Tokyo", now=NOW)
    assert moved.tz == "Asia/Tokyo" and moved.start_date == journey.start_date
    tokyo = ZoneInfo("Asia/Tokyo")
    for row in outbox.rows_for_journey(store, journey.id):
        if row.recipient == HIRE and row.kind != "checkin":
            assert row.due_utc.astimezone(tokyo).strftime("%H:%M") == "09:00"
    with pytest.raises(UnknownTimezone):
        journeys.reschedule(store, settings, journey.id, MANAGER, tz="Asia/Tokio", now=NOW)


def test_an_ended_journey_is_never_blocked_back_to_life(store, index, settings):
    # The poller blocks a journey when a post to the hire fails for good; a post still going out after
    # the journey ended (a check-in on the wrap-up day, a snoozed reminder) must not revive it.
    cancelled = enrol(store, index, settings)
    journeys.cancel(store, settings, cancelled.id, MANAGER, now=NOW)
    completed = enrol(store, index, settings, user_id="UHIRE2")
    journeys.complete(store, completed.id, now=NOW)
    for journey in (cancelled, completed):
        assert journeys.block(store, journey.id, "account_inactive", now=NOW) is False
        assert [r for r in outbox.rows_for_journey(store, journey.id) if r.kind == "blocked_notice"] == []
    assert journeys.get(store, cancelled.id).status == "cancelled"
    assert journeys.get(store, completed.id).status == "completed"
    live = enrol(store, index, settings, user_id="UHIRE3")
    assert journeys.block(store, live.id, "account_inactive", now=NOW) is True
    assert journeys.block(store, live.id, "account_inactive", now=NOW + timedelta(minutes=1)) is False
    assert [r.kind for r in outbox.rows_for_journey(store, live.id)].count("blocked_notice") == 1
