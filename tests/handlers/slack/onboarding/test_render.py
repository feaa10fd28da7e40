"""Onboarding progress in Slack: which goals are "now", block budgets of Home and replies, plan summaries.

Real store, real index of the bundled example roles and the real jobs API; only the clock is frozen.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from slack_sdk.models.blocks import Block

from core.config import BUNDLED_EXAMPLES, load_settings
from core.errors import RoleNotFound
from handlers.context import AppContext
from handlers.slack.onboarding.commands import MAX_MESSAGE_BLOCKS, error_reply, overview, run
from handlers.slack.onboarding.render import MAX_HOME_BLOCKS, bar, current_horizons, home_blocks, plan_summary
from jobs import journeys
from roles.index.library import RoleIndex

ADMIN, MANAGER = "UADMIN", "UMGR"
NOW = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)


@pytest.fixture
def ctx(store):
    index = RoleIndex(store)
    index.index_folder(BUNDLED_EXAMPLES)
    settings = load_settings(env={}, admins=(ADMIN,))
    return AppContext(settings=settings, store=store, index=index, engine=None)  # the engine is not used here


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def enrol(ctx, user_id: str, role: str = "Site Reliability Engineer", start: str = "2026-11-23", manager=MANAGER):
    return journeys.enrol(ctx.store, ctx.index, ctx.settings, actor_id=manager, user_id=user_id, role=role,
                          start=start, tz="Europe/Berlin")


def valid(blocks, limit):
    assert 0 < len(blocks) <= limit
    for block in blocks:
        Block.parse(block).validate_json()
    return blocks


def test_current_horizons_follow_the_milestones(ctx):
    goals = journeys.goals(ctx.store, enrol(ctx, "UH1").id)  # SRE: 30, 60, 90, 180, 365
    assert current_horizons(ctx.settings, goals, -5) == [30]
    assert current_horizons(ctx.settings, goals, 0) == [30]
    assert current_horizons(ctx.settings, goals, 29) == [30]
    assert current_horizons(ctx.settings, goals, 30) == [60]
    assert current_horizons(ctx.settings, goals, 89) == [90]
    assert current_horizons(ctx.settings, goals, 120) == [180, 365]
    assert current_horizons(ctx.settings, [], 3) == []


def test_bar():
    assert bar(0, 4) == "░░░░░░░░░░ 0/4"
    assert bar(3, 4) == "▓▓▓▓▓▓▓▓░░ 3/4"
    assert bar(0, 0) == "░░░░░░░░░░ 0/0"


def test_hire_sees_open_goals_first(ctx):
    journey = enrol(ctx, "UH1")
    first = journeys.goals(ctx.store, journey.id)[0]
    journeys.set_goal_done(ctx.store, ctx.settings, journey.id, first.id, True, "UH1")
    message = overview(ctx, "UH1")
    blocks = valid(message["blocks"], MAX_MESSAGE_BLOCKS)
    rows = [b for b in blocks if (b.get("accessory") or {}).get("action_id")]
    assert rows[0]["text"]["text"].startswith("⬜")
    assert rows[-1]["text"]["text"].startswith("✅")
    assert "`▓▓▓░░░░░░░ 1/4` 30-day goals" in blocks[0]["text"]["text"]
    assert blocks[-1]["elements"][0]["text"] == "Next: welcome on Mon 23 Nov at 09:00 (Europe/Berlin)."


def test_home_part_stays_within_its_budget_for_a_busy_manager(ctx):
    for number in range(15):
        enrol(ctx, f"UH{number}")
    enrol(ctx, MANAGER, role="Data Analyst", manager=ADMIN)  # the manager is onboarding too
    blocks = valid(home_blocks(ctx, MANAGER), MAX_HOME_BLOCKS)
    text = str(blocks)
    assert "Your onboarding" in text and "Your new hires" in text
    assert "<@UH0>" in text and "more" in blocks[-1]["elements"][0]["text"]
    assert home_blocks(ctx, "UNOBODY") == []


def test_plan_summary_lists_milestones_in_the_hires_dates(ctx):
    journey = enrol(ctx, "UH1", start="2026-11-28")  # a Saturday: day 0 moves to Monday
    summary = plan_summary(ctx.store, journey)
    assert "welcome Mon 30 Nov" in summary
    assert "day 30 Mon 28 Dec" in summary and "day 90" in summary
    assert "weekly reminders" in summary and "30-day: 4" in summary


def test_late_enrolment_says_what_was_skipped(ctx):
    journey = enrol(ctx, "UH1", start="2026-10-01")
    assert "already in the past were skipped" in plan_summary(ctx.store, journey)


def test_unknown_role_reply_lists_suggestions_escaped():
    reply = error_reply(RoleNotFound("I know no role called 'x'.", ["Data <b> Analyst"]))
    assert reply["text"].endswith("Did you mean: Data &lt;b&gt; Analyst?")


def test_unknown_role_reply_escapes_the_name_as_typed_and_lists_suggestions_once():
    reply = error_reply(RoleNotFound("No role called '<!here> x'. Did you mean: Data Analyst?", ["Data Analyst"]))
    assert reply["text"] == "No role called '&lt;!here&gt; x'. Did you mean: Data Analyst?"


def test_onboard_resolves_configured_aliases_and_typos_through_the_jobs_api(ctx):
    from dataclasses import replace

    from handlers.slack.sender import slack_client
    from tests.fakes.slack_api import FakeSlack

    ctx = replace(ctx, settings=replace(ctx.settings, aliases={"numbers person": "Data Analyst"}))
    with FakeSlack() as fake:
        fake.users.update({"UH1": {"tz": "Europe/Berlin"}, "UH2": {"tz": "Europe/Berlin"}})
        client = slack_client(replace(ctx.settings, slack_api_url=fake.api_url), token="xoxb-test")
        assert run(ctx, client, ADMIN, "onboard", "<@UH1> Numbers Person")["text"].startswith("Enrolled <@UH1> as Data Analyst")
        assert run(ctx, client, ADMIN, "onboard", "<@UH2> site reliabilty enginer")["text"].startswith(
            "Enrolled <@UH2> as Site Reliability Engineer")
        refused = run(ctx, client, ADMIN, "onboard", "<@UH2> <!channel> reliability")["text"]
    assert refused == "No role called '&lt;!channel&gt; reliability'. Did you mean: Site Reliability Engineer?"


def test_run_refuses_a_manager_who_is_not_the_hires(ctx):
    enrol(ctx, "UH1")
    message = run(ctx, None, "USOMEONE", "onboard", "pause <@UH1>")
    assert message["text"].startswith(":no_entry: Only <@UMGR>")
    assert journeys.active_for_user(ctx.store, "UH1")[0].status == "active"
    assert run(ctx, None, ADMIN, "onboard", "pause <@UH1>")["text"].startswith(":pause_button:")


def test_status_is_for_the_hire_their_manager_and_admins(ctx):
    enrol(ctx, "UH1", start=str(date(2026, 11, 23)))
    assert "onboarding" in run(ctx, None, MANAGER, "onboard", "status <@UH1>")["text"]
    assert run(ctx, None, "USOMEONE", "onboard", "status <@UH1>")["text"].startswith(":no_entry:")
    assert "no onboarding journey" in run(ctx, None, MANAGER, "checkin", "cancel <@UH2>")["text"]
