"""``rolebot serve --teams``: one process, one scheduler, delivering Slack and Teams journeys alike."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from bot.app import start_background
from handlers.slack.sender import slack_client
from jobs import journeys
from jobs.timeutil import utcnow
from tests.e2e.teams_harness import HIRE as TEAMS_HIRE
from tests.e2e.teams_harness import MANAGER as TEAMS_MANAGER


def test_one_scheduler_delivers_both_platforms(start_teams_app, examples_db, fake_slack):
    teams = start_teams_app(examples_db)
    teams.send(teams.activity("installationUpdate", TEAMS_HIRE, action="add"))
    teams.connector.posted.clear()
    ctx = teams.ctx
    yesterday = (utcnow() - timedelta(days=1)).date().isoformat()  # enrolled late: the welcome goes at once
    common = {"role": "Data Analyst", "start": yesterday, "tz": "UTC"}
    journeys.enrol(ctx.store, ctx.index, ctx.settings, actor_id="UMGR", user_id="UHIRE", **common)
    journeys.enrol(ctx.store, ctx.index, ctx.settings, actor_id=TEAMS_MANAGER, user_id=TEAMS_HIRE,
                   platform="teams", **common)
    client = slack_client(replace(ctx.settings, slack_api_url=fake_slack.api_url), token="xoxb-test")
    stop = start_background(ctx, client, teams=teams.sender)
    try:
        [slack_post] = fake_slack.wait_for("chat.postMessage")
        [teams_post] = teams.connector.wait_for(1)
    finally:
        stop()
    assert slack_post.body["channel"] == "UHIRE"
    assert teams_post.conversation == teams.personal_conversation(TEAMS_HIRE)
    assert "Welcome aboard" in str(teams_post.card())
