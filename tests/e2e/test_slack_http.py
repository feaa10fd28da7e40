"""End to end over HTTP: signed requests to the real server, the real app, engine and index; only Slack's
Web API (and response_url) is the fake, and every payload sent to it is checked with slack_sdk.models."""

from __future__ import annotations

import json
import logging
import time
import urllib.request
from typing import Any

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from handlers.shared import FRIENDLY, MORE_ACTION, SHARE_ACTION, parse_button_value
from handlers.slack.blocks.answer import render_answer
from roles.answer.limits import MAX_QUERY_CHARS


def valid_blocks(blocks: list[dict[str, Any]], limit: int = 50) -> list[dict[str, Any]]:
    """Assert the blocks parse and validate with slack_sdk and fit a message; return them."""
    assert 0 < len(blocks) <= limit
    for block in blocks:
        Block.parse(block).validate_json()
    return blocks


def visible_text(blocks: list[dict[str, Any]]) -> str:
    """Every text a user sees in the blocks (button values are not shown)."""
    texts = []
    for block in blocks:
        for obj in [block.get("text"), *block.get("fields", []), *block.get("elements", [])]:
            if isinstance(obj, dict):
                texts.append(obj.get("text") if isinstance(obj.get("text"), str) else (obj.get("text") or {}).get("text", ""))
    return "\n".join(t for t in texts if t)


def buttons(blocks: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {e["action_id"]: e for b in blocks if b["type"] == "actions" for e in b["elements"]}


def answer_of(status_and_text: tuple[int, str]) -> dict[str, Any]:
    status, text = status_and_text
    assert status == 200, text
    message = json.loads(text)
    valid_blocks(message["blocks"])
    return message


def test_slash_command_answers_privately_with_kpi_fields_and_source(slack_app):
    message = answer_of(slack_app.command("data analyst kpis"))
    assert message["response_type"] == "ephemeral"
    blocks = message["blocks"]
    assert blocks[0]["type"] == "header" and blocks[0]["text"]["text"] == "Data Analyst"
    assert any(b.get("fields") for b in blocks), "KPI rows render as fields"
    context = " ".join(e["text"] for b in blocks if b["type"] == "context" for e in b["elements"])
    assert "data-analyst.yaml" in context and "KPIs" in context
    assert SHARE_ACTION in buttons(blocks)
    # Answered in the acknowledgement itself: nothing went to Slack's Web API.
    assert [c for c in slack_app.slack.calls if not c.method == "auth.test"] == []


def test_goals_render_as_a_checklist(slack_app):
    message = answer_of(slack_app.command("what should a data analyst do in the first 30 days?"))
    text = json.dumps(message["blocks"], ensure_ascii=False)
    assert "☐" in text and "30-day goals" in text


def test_empty_and_help_give_examples(slack_app):
    for text in ("", "help", "   "):
        message = answer_of(slack_app.command(text))
        assert message["blocks"][0]["text"]["text"] == "How to use /role"
        assert "/role Customer Success Manager kpis" in json.dumps(message["blocks"])


def test_a_4000_character_query_gets_a_polite_answer(slack_app):
    message = answer_of(slack_app.command("sre " * 1000))
    assert f"up to {MAX_QUERY_CHARS}" in message["text"]


def test_mentions_in_the_query_are_escaped_when_echoed(slack_app):
    message = answer_of(slack_app.command("<!channel> <@U0LEAK> & parental leave policy"))
    shown = visible_text(message["blocks"]) + message["text"]
    assert "<!" not in shown and "<@" not in shown
    assert "&lt;!channel&gt; &lt;@U0LEAK&gt; &amp; parental leave policy" in shown


def test_onboarding_subcommands_are_handed_to_onboarding(slack_app):
    url = slack_app.slack.response_url("onboarding")
    status, text = slack_app.command("Onboarding", response_url=url)
    assert (status, text) == (200, "")  # onboarding acks at once and answers through the response_url
    [call] = slack_app.slack.wait_for("/response/onboarding")
    valid_blocks(call.body["blocks"])
    assert "role_share" not in json.dumps(call.body)


def test_text_that_slack_escaped_is_echoed_escaped_once(slack_app):
    message = answer_of(slack_app.command("a &amp; b &lt;!here&gt; parental leave policy"))
    shown = visible_text(message["blocks"])
    assert "a &amp; b &lt;!here&gt; parental leave policy" in shown
    assert "&amp;amp;" not in shown and "&amp;lt;" not in shown


def test_share_posts_the_answer_in_channel_with_attribution(slack_app):
    message = answer_of(slack_app.command("site reliability engineer deliverables", user_id="U7"))
    share = buttons(message["blocks"])[SHARE_ACTION]
    url = slack_app.slack.response_url("share")
    status, _ = slack_app.action(SHARE_ACTION, share["value"], user_id="U7", response_url=url)
    assert status == 200
    [call] = slack_app.slack.wait_for("/response/share")
    assert call.body["response_type"] == "in_channel"
    assert call.body["replace_original"] is False
    shared = valid_blocks(call.body["blocks"])
    assert "Shared by <@U7>" in json.dumps(shared)
    assert not [b for b in shared if b["type"] == "actions"], "a shared answer has no buttons"
    assert shared[0]["text"]["text"] == "Site Reliability Engineer"


def test_follow_up_button_answers_the_other_aspect(slack_app):
    message = answer_of(slack_app.command("sre responsibilities"))
    followups = {b["text"]["text"]: b for b in buttons(message["blocks"]).values() if b["action_id"].startswith("role_followup")}
    assert followups, "an answer about one role offers its other aspects"
    label, button = next(iter(followups.items()))
    url = slack_app.slack.response_url("followup")
    assert slack_app.action(button["action_id"], button["value"], response_url=url)[0] == 200
    [call] = slack_app.slack.wait_for("/response/followup")
    assert call.body["response_type"] == "ephemeral"
    blocks = valid_blocks(call.body["blocks"])
    assert blocks[0]["text"]["text"] == "Site Reliability Engineer"


def test_show_more_sends_every_page_of_a_long_answer(start_slack_app, shared_docs_db):
    harness = start_slack_app(shared_docs_db)
    # The longest section of the real documents: long enough to need more than one message.
    queries = [f"{r.title} {aspect}" for r in harness.ctx.index.list_roles() for aspect in r.aspects]
    query = max(queries, key=lambda q: render_answer(harness.ctx.engine.ask(q)).count)
    message = answer_of(harness.command(query))
    pages = [message]
    while MORE_ACTION in buttons(pages[-1]["blocks"]):
        more = buttons(pages[-1]["blocks"])[MORE_ACTION]
        assert parse_button_value(more["value"]) == (query, len(pages))
        name = f"more{len(pages)}"
        assert harness.action(MORE_ACTION, more["value"], response_url=harness.slack.response_url(name))[0] == 200
        [call] = harness.slack.wait_for(f"/response/{name}")
        valid_blocks(call.body["blocks"])
        assert len(json.dumps(call.body["blocks"], ensure_ascii=False)) < 12_000
        pages.append(call.body)
    assert len(pages) > 1
    assert f"Page {len(pages)} of {len(pages)}" in json.dumps(pages[-1]["blocks"], ensure_ascii=False)


def test_unknown_action_is_acknowledged_and_logged(slack_app, caplog):
    url = slack_app.slack.response_url("unknown")
    with caplog.at_level(logging.WARNING):
        status, _ = slack_app.action("no_such_action", "x", response_url=url)
    assert status == 200
    assert "ignored unknown action 'no_such_action'" in caplog.text
    assert slack_app.responses(url) == []


def test_unknown_menus_and_events_are_acknowledged(slack_app):
    status, text = slack_app.interaction({"type": "block_suggestion", "user": {"id": "U1"}, "team": {"id": "T1"},
                                          "action_id": "no_such_menu", "block_id": "b", "value": "x"})
    assert (status, json.loads(text)) == (200, {"options": []})
    assert slack_app.event({"type": "message", "channel": "D1", "user": "U1", "text": "hi"})[0] == 200


def test_a_failing_listener_gets_a_friendly_message(slack_app, caplog):
    @slack_app.app.command("/boom")
    def boom(ack):
        raise RuntimeError("kaboom")

    with caplog.at_level(logging.ERROR):
        status, text = slack_app.command("x", command="/boom")
    assert status == 200
    assert json.loads(text)["text"] == FRIENDLY
    assert "kaboom" in caplog.text and "Traceback" in caplog.text


def test_app_home_publishes_the_role_browser_once_per_event(slack_app):
    event = {"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"}
    assert slack_app.event(event, event_id="EvHome1")[0] == 200
    assert slack_app.event(event, event_id="EvHome1", retry_num=1)[0] == 200
    assert slack_app.event({**event, "tab": "messages"}, event_id="EvMsgTab")[0] == 200
    assert slack_app.event({**event, "user": "U2"}, event_id="EvHome2")[0] == 200
    calls = slack_app.slack.wait_for("views.publish", count=2)
    # Either order (listeners run in a pool); a repeat for U1 would be one of the first two.
    assert sorted(c.body["user_id"] for c in calls) == ["U1", "U2"]
    view = calls[0].body["view"]
    View(**view).validate_json()
    assert len(view["blocks"]) <= 100
    text = json.dumps(view)
    for title in ("Customer Success Manager", "Data Analyst", "Site Reliability Engineer"):
        assert title in text
    assert "/role Customer Success Manager kpis" in text


def test_home_aspect_button_sends_the_answer_to_the_dm(slack_app):
    view = _published_home(slack_app)
    role_actions = next(b for b in view["blocks"] if b.get("block_id", "").startswith("role_"))
    button = role_actions["elements"][1]
    status, _ = slack_app.action(button["action_id"], button["value"], response_url="",
                                 container={"type": "view", "view_id": "V1"}, block_id=role_actions["block_id"])
    assert status == 200
    [call] = slack_app.slack.wait_for("chat.postMessage")
    assert call.body["channel"] == "U1"
    blocks = valid_blocks(call.body["blocks"])
    assert SHARE_ACTION not in buttons(blocks), "no Share button in the DM"


def test_home_role_picker_offers_matching_roles(slack_app):
    status, text = slack_app.interaction({
        "type": "block_suggestion", "user": {"id": "U1"}, "team": {"id": "T1"}, "api_app_id": "A1",
        "action_id": "home_role_pick", "block_id": "b", "value": "analyst", "container": {"type": "view"},
    })
    assert status == 200
    options = json.loads(text)["options"]
    assert [o["text"]["text"] for o in options] == ["Data Analyst"]
    status, _ = slack_app.action("home_role_pick", response_url="", container={"type": "view", "view_id": "V1"},
                                 type="external_select", selected_option=options[0])
    assert status == 200
    [call] = slack_app.slack.wait_for("chat.postMessage")
    assert valid_blocks(call.body["blocks"])[0]["text"]["text"] == "Data Analyst"


def _published_home(harness) -> dict[str, Any]:
    harness.event({"type": "app_home_opened", "user": "U1", "tab": "home"})
    [call] = harness.slack.wait_for("views.publish")
    return call.body["view"]


def test_bad_or_stale_signatures_are_rejected(slack_app):
    body = "command=%2Frole&text=sre&user_id=U1&response_url=x"
    assert slack_app.post(body, secret="wrong-secret")[0] == 401
    assert slack_app.post(body, timestamp=int(time.time()) - 10 * 60)[0] == 401
    assert slack_app.post(body, headers={"X-Slack-Signature": "v0=deadbeef"})[0] == 401
    assert slack_app.slack.calls == []


def test_not_ready_index_says_so(start_slack_app):
    harness = start_slack_app(None)
    message = answer_of(harness.command("site reliability engineer"))
    assert "The role index is not ready yet" in json.dumps(message["blocks"])


def test_request_url_verification_echoes_the_challenge(slack_app):
    body = json.dumps({"type": "url_verification", "token": "legacy-unused", "challenge": "c-123"})
    status, text = slack_app.post(body, content_type="application/json")
    assert status == 200 and json.loads(text) == {"challenge": "c-123"}


def test_healthz(slack_app):
    url = slack_app.url.replace("/slack/events", "/healthz")
    with urllib.request.urlopen(url, timeout=5) as response:
        assert response.status == 200
        assert json.loads(response.read()) == {"ok": True, "index_ready": True}
