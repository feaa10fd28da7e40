"""Follow-up questions over HTTP: signed slash commands to the real server and app; the last answer is
remembered in the database per user and channel."""

from __future__ import annotations

from tests.e2e.test_slack_http import answer_of, buttons, valid_blocks, visible_text


def test_a_follow_up_continues_from_the_same_users_last_answer_in_the_channel(slack_app):
    answer_of(slack_app.command("data analyst 30 day goals", user_id="U1", channel_id="C1"))
    message = answer_of(slack_app.command("and the 60 day ones?", user_id="U1", channel_id="C1"))
    text = visible_text(message["blocks"])
    assert message["blocks"][0]["text"]["text"] == "Data Analyst"
    assert "Data Analyst \u2014 60-day goals (from your last question)" in text
    # The note comes first, before the goals it explains.
    assert "from your last question" in message["blocks"][1]["text"]["text"]


def test_another_user_or_channel_does_not_inherit_the_follow_up(slack_app):
    answer_of(slack_app.command("data analyst 30 day goals", user_id="U1", channel_id="C1"))
    for user, channel in (("U2", "C1"), ("U1", "C2")):
        message = answer_of(slack_app.command("what about kpis", user_id=user, channel_id=channel))
        assert "from your last question" not in visible_text(message["blocks"])
        assert message["blocks"][0]["text"]["text"].startswith("Roles")  # which role? one button each


def test_a_choice_is_one_button_per_role_and_pressing_one_answers_it(slack_app):
    message = answer_of(slack_app.command("kpis"))
    choices = {k: b for k, b in buttons(message["blocks"]).items() if k.startswith("role_suggest")}
    labels = {b["text"]["text"] for b in choices.values()}
    assert labels == {"Customer Success Manager", "Data Analyst", "Site Reliability Engineer"}
    assert "_(" not in visible_text(message["blocks"])  # no raw mrkdwn around file names


def test_pressing_a_choice_answers_that_role(slack_app):
    message = answer_of(slack_app.command("kpis"))
    choice = next(b for b in buttons(message["blocks"]).values() if b["text"]["text"] == "Data Analyst")
    status, _ = slack_app.action(choice["action_id"], choice["value"], response_url=slack_app.slack.response_url("pick"))
    assert status == 200
    [call] = slack_app.slack.wait_for("/response/pick")
    blocks = valid_blocks(call.body["blocks"])
    assert blocks[0]["text"]["text"] == "Data Analyst"
    assert "KPI" in visible_text(blocks)
