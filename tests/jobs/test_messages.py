from datetime import UTC, datetime

import pytest
from slack_sdk.models.blocks import Block

from handlers.slack.onboarding.blocks import SlackMessage, mrkdwn_of, to_slack
from jobs import checkins, journeys, messages, outbox
from tests.jobs.conftest import ADMIN, HIRE, MANAGER

NOW = datetime(2026, 2, 20, 12, 0, tzinfo=UTC)


def render(store, settings, row) -> SlackMessage:
    """The row's neutral message as Slack renders it (handlers.slack.onboarding.blocks)."""
    return to_slack(messages.render(store, settings, row))


def valid(message: SlackMessage) -> None:
    assert message.text
    assert 0 < len(message.blocks) <= 50
    for block in message.blocks:
        Block.parse(block).validate_json()


@pytest.fixture
def journey(store, index, settings):
    journey = journeys.enrol(store, index, settings, actor_id=ADMIN, user_id=HIRE, role="Site Reliability Engineer",
                             start="2026-03-02", manager_id=MANAGER, tz="Europe/Berlin", now=NOW)
    checkins.set_cadence(store, settings, journey.id, MANAGER, "weekly thu 10:00", now=NOW)
    return journey


def test_every_kind_renders_valid_block_kit(store, settings, journey):
    rows = outbox.rows_for_journey(store, journey.id)
    prompt = next(r for r in rows if r.kind == "checkin")
    digest = checkins.record_answers(store, prompt.id, HIRE, {"What went well?": "all"}, now=NOW)
    journeys.block(store, journey.id, "account_inactive", now=NOW)
    with store.conn:
        outbox.enqueue(store, journey.id, "stale_notice", "stale-1", MANAGER, NOW,
                       payload={"skipped": [{"kind": "welcome", "due": "2026-03-02T08:00:00+00:00"}]})
    rows = outbox.rows_for_journey(store, journey.id)
    kinds = {r.kind for r in rows}
    assert kinds == {"welcome", "milestone", "reminder", "wrapup", "manager_summary", "checkin", "digest",
                     "stale_notice", "blocked_notice"}
    for row in rows:
        valid(render(store, settings, row))
    assert "Answered" in str(render(store, settings, prompt).blocks)
    assert digest is not None


def test_welcome_carries_the_30_day_goals_with_buttons(store, settings, journey):
    welcome = outbox.rows_for_journey(store, journey.id)[0]
    message = render(store, settings, welcome)
    buttons = [b["accessory"] for b in message.blocks if b.get("accessory", {}).get("action_id") == messages.GOAL_TOGGLE]
    thirty = [g for g in journeys.goals(store, journey.id) if g.horizon_days == 30 and g.kind == "goal"]
    assert len(buttons) == len(thirty) == 4
    journey_id, goal_id, done = messages.parse_goal_value(buttons[0]["value"])
    assert (journey_id, goal_id, done) == (journey.id, thirty[0].id, True)
    assert "Success looks like" in str(message.blocks)


def test_welcome_names_the_manager_and_the_configured_reminder_cadence(store, settings, journey):
    from dataclasses import replace

    welcome = outbox.rows_for_journey(store, journey.id)[0]
    text = str(render(store, settings, welcome).blocks)
    assert f"<@{MANAGER}> is your manager for this plan" in text and "every week" in text
    fortnightly = replace(settings, onboarding=replace(settings.onboarding, reminder_every_days=14))
    assert "every 14 days" in str(render(store, fortnightly, welcome).blocks)
    silent = replace(settings, onboarding=replace(settings.onboarding, reminder_every_days=0))
    assert "remind" not in str(render(store, silent, welcome).blocks)


def test_toggle_then_rerender_in_place(store, settings, journey):
    welcome = outbox.rows_for_journey(store, journey.id)[0]
    goal = journeys.goals(store, journey.id)[0]
    journeys.set_goal_done(store, settings, journey.id, goal.id, True, HIRE, now=NOW)
    block = next(b for b in render(store, settings, welcome).blocks if b.get("block_id") == f"rolebot_goal_{goal.id}")
    assert block["text"]["text"].startswith("✅ ~")
    assert block["accessory"]["value"] == messages.goal_value(journey.id, goal.id, False)


def test_milestone_reviews_and_introduces(store, settings, journey):
    day30 = next(r for r in outbox.rows_for_journey(store, journey.id) if r.kind == "milestone" and r.day == 30)
    text = str(render(store, settings, day30).blocks)
    assert "of 4 goals" in text and "Next up: your 60-day goals" in text
    wrap = next(r for r in outbox.rows_for_journey(store, journey.id) if r.kind == "wrapup")
    assert "Looking further ahead" in str(render(store, settings, wrap).blocks)


def test_reminder_has_snooze_with_the_row_id(store, settings, journey):
    reminder = next(r for r in outbox.rows_for_journey(store, journey.id) if r.kind == "reminder")
    message = render(store, settings, reminder)
    actions = next(b for b in message.blocks if b["type"] == "actions")
    assert actions["elements"][0]["action_id"] == messages.SNOOZE
    assert actions["elements"][0]["value"] == str(reminder.id)


def test_user_text_is_escaped_and_only_mentions_ping():
    from jobs.message_parts import Mention, Strong

    text = mrkdwn_of(("<!channel> & <@U1>", Strong("*<@U2>*"), Mention("U3")))
    assert text == "&lt;!channel&gt; &amp; &lt;@U1&gt;**&lt;@U2&gt;**<@U3>"


def test_the_neutral_message_names_no_platform(store, settings, journey):
    # jobs/ renders data: no Block Kit, no mrkdwn; user ids only inside Mention spans.
    for row in outbox.rows_for_journey(store, journey.id):
        message = messages.render(store, settings, row)
        assert not hasattr(message, "blocks")
        assert "<@" not in message.plain_text()


def test_many_goals_stay_within_block_limits(store, settings, journey):
    with store.conn:
        store.conn.executemany(
            "INSERT INTO journey_goals (journey_id, horizon_days, heading, kind, position, text) VALUES (?, 30, 'x', 'goal', ?, ?)",
            [(journey.id, 100 + n, f"Extra goal {n} " + "x" * 200) for n in range(60)],
        )
    welcome = outbox.rows_for_journey(store, journey.id)[0]
    valid(render(store, settings, welcome))


def test_a_milestone_with_many_goals_on_both_sides_stays_within_slack_block_limits(store, settings, journey):
    # The day-30 milestone reviews the 30-day goals and introduces the 60-day ones: both lists together
    # must stay within Slack's 50 blocks, or Slack refuses the post (invalid_blocks) and it is never sent.
    with store.conn:
        store.conn.executemany(
            "INSERT INTO journey_goals (journey_id, horizon_days, heading, kind, position, text) VALUES (?, ?, 'x', 'goal', ?, ?)",
            [(journey.id, horizon, 100 + n, f"Extra {horizon}-day goal {n}") for horizon in (30, 60) for n in range(40)],
        )
    rows = outbox.rows_for_journey(store, journey.id)
    for row in rows:
        valid(render(store, settings, row))
    day30 = render(store, settings, next(r for r in rows if r.kind == "milestone" and r.day == 30))
    assert "Extra 30-day goal 39" in str(day30.blocks) and "Extra 60-day goal 39" in str(day30.blocks)


def test_every_kind_is_a_valid_teams_card_saying_what_slack_says(store, settings, journey):
    from handlers.slack.blocks.text import blocks_to_text
    from handlers.teams.cards import onboarding_card
    from tests.handlers.teams.cards import assert_valid_card, texts_of, words

    prompt = next(r for r in outbox.rows_for_journey(store, journey.id) if r.kind == "checkin")
    checkins.record_answers(store, prompt.id, HIRE, {"What went well?": "all <at>x</at>"}, now=NOW)
    journeys.block(store, journey.id, "account_inactive", now=NOW)
    for row in outbox.rows_for_journey(store, journey.id):
        message = messages.render(store, settings, row)
        card = onboarding_card(message, names=lambda user_id: user_id)  # a person's name: their id here
        assert_valid_card(card)
        blocks = to_slack(message).blocks
        buttons = " ".join(b["accessory"]["text"]["text"] for b in blocks if "accessory" in b)  # not in blocks_to_text
        slack = words(blocks_to_text(blocks).replace("/role", "role") + " " + buttons)
        assert slack == words(" ".join(texts_of(card))), row.kind
