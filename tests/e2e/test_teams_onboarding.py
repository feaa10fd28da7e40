"""A whole onboarding journey in Teams on a frozen clock: enrolment by message, proactive cards to the fake
connector (the ``serviceUrl``), a goal ticked from its card, a check-in answered from cards, and the
failure paths (never installed, 403, 429)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from jobs import checkins, journeys, outbox
from jobs.delivery import Pacer, Senders
from jobs.poller import run_due
from tests.e2e.teams_harness import HIRE, MANAGER, OTHER, assert_valid_card, texts_of

NOW = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)  # a Monday, 08:00 in Berlin


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture
def teams(clock, teams_app):
    for user in (HIRE, MANAGER):
        assert teams_app.send(teams_app.activity("installationUpdate", user, action="add"))[0] == 200
    teams_app.connector.posted.clear()
    return teams_app


def enrol(teams, start: str = "2026-11-23") -> journeys.Journey:
    text = f"onboard @{HIRE} Site Reliability Engineer start {start}"
    status, _ = teams.send(teams.message(text, user=MANAGER, mentions=(HIRE,), tz="America/New_York"))
    assert status == 200
    [journey] = journeys.active_for_user(teams.ctx.store, HIRE)
    return journey


def tick(teams, now: datetime):
    return run_due(teams.ctx.store, Senders(teams=teams.sender), teams.ctx.settings, now=now, pacer=Pacer(interval=0))


def cards(teams, user: str) -> list[dict]:
    found = teams.cards_to(teams.personal_conversation(user))
    for card in found:
        assert_valid_card(card)
    return found


def goal_actions(card: dict) -> list[dict]:
    rows = [e for e in card["body"] if e.get("type") == "ColumnSet" and e.get("id", "").startswith("rolebot_goal_")]
    return [r["columns"][1]["items"][0]["actions"][0] for r in rows]


def test_the_whole_journey_in_teams(teams):
    journey = enrol(teams)
    assert (journey.platform, journey.manager_id, journey.tz) == ("teams", MANAGER, "Europe/Berlin")
    [confirmation] = cards(teams, MANAGER)
    assert any("Enrolled Hugo Hire as Site Reliability Engineer" in t for t in texts_of(confirmation))

    welcome_row = outbox.rows_for_journey(teams.ctx.store, journey.id)[0]
    report = tick(teams, welcome_row.due_utc)
    assert report.sent == [welcome_row.id]
    [welcome] = cards(teams, HIRE)
    assert "Welcome aboard, Site Reliability Engineer!" in texts_of(welcome)
    assert "Mia Manager" in texts_of(welcome)  # named, not pinged

    # The hire ticks the first goal on the card: the invoke answers with the card updated in place.
    first = goal_actions(welcome)[0]
    status, body = teams.send(teams.invoke(first["data"], user=HIRE))
    assert status == 200 and body["type"] == "application/vnd.microsoft.card.adaptive"
    assert_valid_card(body["value"])
    assert goal_actions(body["value"])[0]["title"] == "Undo"
    assert sum(g.done for g in journeys.goals(teams.ctx.store, journey.id)) == 1
    # Someone else cannot tick it; they are told so and nothing changes.
    status, body = teams.send(teams.invoke(goal_actions(body["value"])[1]["data"], user=OTHER))
    assert body["type"] == "application/vnd.microsoft.activity.message" and "Only the hire" in body["value"]

    for row in outbox.rows_for_journey(teams.ctx.store, journey.id, (outbox.PENDING,)):
        tick(teams, max(row.due_utc, welcome_row.due_utc))
    kinds = {r.kind for r in outbox.rows_for_journey(teams.ctx.store, journey.id, (outbox.SENT,))}
    assert {"welcome", "milestone", "reminder", "wrapup", "manager_summary"} <= kinds
    assert journeys.get(teams.ctx.store, journey.id).status == "completed"
    hire_texts = [" ".join(texts_of(c)) for c in cards(teams, HIRE)]
    assert any("you made it!" in t for t in hire_texts) and any("Weekly reminder" in t for t in hire_texts)
    assert any("Onboarding summary" in " ".join(texts_of(c)) for c in cards(teams, MANAGER))


def test_a_check_in_is_answered_from_cards_and_the_manager_gets_the_digest(teams, clock):
    journey = enrol(teams)
    checkins.set_cadence(teams.ctx.store, teams.ctx.settings, journey.id, MANAGER, "weekly thu 10:00")
    prompt = next(r for r in outbox.rows_for_journey(teams.ctx.store, journey.id) if r.kind == "checkin")
    clock.move_to(prompt.due_utc)
    tick(teams, prompt.due_utc)
    card = next(c for c in cards(teams, HIRE) if "Check-in time" in texts_of(c))
    [open_button] = [a for e in card["body"] if e.get("type") == "ActionSet" for a in e["actions"]]
    status, body = teams.send(teams.invoke(open_button["data"], user=HIRE))
    form = body["value"]
    assert_valid_card(form)
    inputs = [e["id"] for e in form["body"] if e["type"] == "Input.Text"]
    submit = form["actions"][0]
    data = {**submit["data"], **{name: f"answer <at>{n}</at>" for n, name in enumerate(inputs)}}
    status, body = teams.send(teams.invoke(data, user=HIRE))
    assert "✅ Answered. Thanks! Your manager has your answers." in texts_of(body["value"])
    tick(teams, prompt.due_utc + timedelta(minutes=1))
    digest = next(c for c in cards(teams, MANAGER) if "Check-in digest" in texts_of(c))
    assert "answer <at>0</at>" in texts_of(digest)  # shown as typed, never as a mention


def test_a_hire_who_never_installed_the_app_blocks_the_journey_and_the_manager_is_told_once(clock, teams_app):
    teams_app.send(teams_app.activity("installationUpdate", MANAGER, action="add"))
    journey = enrol(teams_app)
    confirmation = cards(teams_app, MANAGER)[-1]
    assert any("have not installed rolebot" in t for t in texts_of(confirmation))
    welcome = outbox.rows_for_journey(teams_app.ctx.store, journey.id)[0]
    report = tick(teams_app, welcome.due_utc)
    assert report.blocked_journeys == [journey.id]
    tick(teams_app, welcome.due_utc + timedelta(days=8))
    notices = [c for c in cards(teams_app, MANAGER) if any("can't reach" in t for t in texts_of(c))]
    assert len(notices) == 1
    assert any("Install rolebot for them in Teams" in t for t in texts_of(notices[0]))


@pytest.mark.parametrize("status", [403, 404])
def test_a_403_or_404_from_the_connector_blocks_the_journey_and_tells_the_manager(teams, status):
    journey = enrol(teams)
    welcome = outbox.rows_for_journey(teams.ctx.store, journey.id)[0]
    teams.connector.fail(status)
    report = tick(teams, welcome.due_utc)
    assert report.blocked_journeys == [journey.id]
    assert journeys.get(teams.ctx.store, journey.id).status == "blocked"
    [notice] = [c for c in cards(teams, MANAGER) if any("can't reach" in t for t in texts_of(c))]
    assert any(f"http_{status}" in t for t in texts_of(notice))


def test_a_429_is_retried_after_retry_after(teams):
    journey = enrol(teams)
    welcome = outbox.rows_for_journey(teams.ctx.store, journey.id)[0]
    teams.connector.fail(429, times=2, retry_after=2)
    waits: list[float] = []
    teams.sender.sleep = waits.append
    assert tick(teams, welcome.due_utc).sent == [welcome.id]
    assert len(waits) == 2 and all(2 <= w < 2.2 for w in waits)
    # A Retry-After longer than a tick may wait: the row is retried no earlier than it says.
    later = outbox.rows_for_journey(teams.ctx.store, journey.id, (outbox.PENDING,))[0]
    teams.connector.fail(429, times=1, retry_after=600)
    report = tick(teams, later.due_utc)
    assert report.retrying == [later.id]
    assert outbox.get_row(teams.ctx.store, later.id).available_utc >= later.due_utc + timedelta(seconds=600)


@pytest.mark.parametrize(("text", "mentions", "expected"), [
    ("onboard Site Reliability Engineer", (), "mention the hire"),
    (f"onboard @{HIRE} Chief Vibes Officer", (HIRE,), "I know no role called “Chief Vibes Officer”"),
    (f"onboard @{HIRE} Site Reliability Engineer start 2019-01-01", (HIRE,), "2019-01-01"),
])
def test_bad_enrolments_get_one_clear_line(teams, text, mentions, expected):
    teams.send(teams.message(text, user=MANAGER, mentions=mentions))
    [reply] = cards(teams, MANAGER)
    assert any(expected in t for t in texts_of(reply)), texts_of(reply)
    assert journeys.active_for_user(teams.ctx.store, HIRE) == []


def test_a_second_enrolment_of_the_same_hire_is_refused(teams):
    enrol(teams)
    teams.send(teams.message(f"onboard @{HIRE} Site Reliability Engineer", user=OTHER, mentions=(HIRE,)))
    [reply] = cards(teams, OTHER)
    assert any("already has a live journey" in t for t in texts_of(reply))


def test_the_manager_resumes_a_blocked_journey_from_the_onboarding_card(clock, teams_app):
    teams_app.send(teams_app.activity("installationUpdate", MANAGER, action="add"))
    journey = enrol(teams_app)
    welcome = outbox.rows_for_journey(teams_app.ctx.store, journey.id)[0]
    tick(teams_app, welcome.due_utc)  # the hire never installed rolebot: blocked
    teams_app.send(teams_app.activity("installationUpdate", HIRE, action="add"))  # now they have
    teams_app.send(teams_app.message("onboarding", user=MANAGER))
    overview = cards(teams_app, MANAGER)[-1]
    assert any("Hugo Hire: Site Reliability Engineer, day 0, blocked" in t for t in texts_of(overview))
    resume = next(a for e in overview["body"] if e.get("type") == "ActionSet" for a in e["actions"]
                  if a["title"] == "Resume")
    # Only the manager (or an admin) may; the hire is told so.
    status, body = teams_app.send(teams_app.invoke(resume["data"], user=HIRE))
    assert "Mia Manager" in body["value"] and journeys.get(teams_app.ctx.store, journey.id).status == "blocked"
    status, body = teams_app.send(teams_app.invoke(resume["data"], user=MANAGER))
    assert_valid_card(body["value"])
    assert any("active" in t for t in texts_of(body["value"]))
    assert journeys.get(teams_app.ctx.store, journey.id).status == "active"


def test_a_manager_sets_and_stops_check_ins_by_message_in_their_own_zone(teams):
    journey = enrol(teams)
    teams.connector.posted.clear()
    status, _ = teams.send(teams.message(f"checkin @{HIRE} weekly thu 10:00", user=MANAGER, mentions=(HIRE,),
                                         tz="America/New_York"))
    assert status == 200
    [reply] = cards(teams, MANAGER)
    assert "Check-ins with Hugo Hire: weekly thu 10:00 in your time zone (America/New_York)" in " ".join(texts_of(reply))
    prompts = [r for r in outbox.rows_for_journey(teams.ctx.store, journey.id) if r.kind == "checkin"]
    # Thursday 10:00 in New York is 15:00 UTC (EST), every week until the journey ends.
    assert prompts and {(p.due_utc.weekday(), p.due_utc.hour) for p in prompts} == {(3, 15)}

    teams.send(teams.message(f"checkin @{HIRE} off", user=MANAGER, mentions=(HIRE,)))
    unsent = [r for r in outbox.rows_for_journey(teams.ctx.store, journey.id) if r.kind == "checkin" and r.status == "pending"]
    assert unsent == []


def test_only_the_hires_manager_may_set_check_ins_and_a_bare_command_explains_itself(teams):
    enrol(teams)
    teams.connector.posted.clear()
    teams.send(teams.message(f"checkin @{HIRE} weekly thu 10:00", user=OTHER, mentions=(HIRE,)))
    teams.send(teams.message("checkin", user=MANAGER))
    [refusal] = cards(teams, OTHER)
    [usage] = cards(teams, MANAGER)
    assert "manager" in " ".join(texts_of(refusal)).lower()
    assert "checkin @name weekly thu 10:00" in " ".join(texts_of(usage))
