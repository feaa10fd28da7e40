"""The Teams bot end to end: Activity JSON as Teams sends it, to the real server, replies at the fake connector."""

from __future__ import annotations

import json
import logging

import pytest

from jobs import addresses
from tests.e2e.teams_harness import APP_ID, HIRE, MANAGER, assert_valid_card, texts_of

CHANNEL = "19:general@thread.tacv2;messageid=1700000000000"


def _only_card(harness, conversation):
    cards = harness.cards_to(conversation)
    assert len(cards) == 1, cards
    assert_valid_card(cards[0])
    return cards[0]


def test_a_personal_question_is_answered_with_a_valid_card(teams_app):
    status, _ = teams_app.send(teams_app.message("sre kpis"))
    assert status == 200
    card = _only_card(teams_app, teams_app.personal_conversation(HIRE))
    text = " ".join(texts_of(card))
    assert "Site Reliability Engineer" in text and "Source:" in text
    # Follow-ups are Action.Execute buttons carrying the query to recompute.
    followups = [a for a in card.get("actions", []) if a["verb"] == "role_followup"]
    assert followups and all(json.loads(a["data"]["value"])["q"] for a in followups)


def test_role_prefix_and_plain_question_get_the_same_answer(teams_app):
    teams_app.send(teams_app.message("role sre kpis"))
    teams_app.send(teams_app.message("sre kpis"))
    first, second = teams_app.cards_to(teams_app.personal_conversation(HIRE))
    assert first == second


def test_a_channel_message_that_mentions_the_bot_is_answered_in_the_channel(teams_app):
    status, _ = teams_app.send(teams_app.message("list", user=MANAGER, scope="channel"))
    assert status == 200
    card = _only_card(teams_app, CHANNEL)
    assert "Roles (3)" in texts_of(card)


def test_a_group_chat_message_without_a_mention_is_not_for_the_bot(teams_app):
    status, _ = teams_app.send(teams_app.message("sre kpis", scope="group", mention_bot=False))
    assert status == 200
    assert teams_app.connector.activities() == []


def test_a_message_with_only_attachments_gets_help(teams_app):
    attachment = {"contentType": "image/png", "contentUrl": "https://example.com/x.png", "name": "x.png"}
    status, _ = teams_app.send(teams_app.message("", attachments=[attachment]))
    assert status == 200
    card = _only_card(teams_app, teams_app.personal_conversation(HIRE))
    assert "How to use rolebot" in texts_of(card)


def test_a_miss_offers_suggestions_and_echoes_nothing_as_markup(teams_app):
    query = "<at>Everyone</at> [click](https://evil.example) zzqx"
    teams_app.send(teams_app.message(query))
    card = _only_card(teams_app, teams_app.personal_conversation(HIRE))
    flat = json.dumps(card)
    # All text is TextRuns (never Markdown), and the mention tag was never turned into an entity.
    assert '"TextBlock"' not in flat and "msteams\": {\"width\": \"Full\"}" in flat
    assert "entities" not in card["msteams"]


def test_show_more_and_follow_up_clicks_send_the_next_answer(teams_app):
    teams_app.send(teams_app.message("sre"))
    card = teams_app.cards_to(teams_app.personal_conversation(HIRE))[0]
    followup = next(a for a in card["actions"] if a["verb"] == "role_followup")
    status, body = teams_app.send(teams_app.invoke(followup["data"]))
    assert status == 200 and body["statusCode"] == 200
    cards = teams_app.cards_to(teams_app.personal_conversation(HIRE))
    assert len(cards) == 2
    assert_valid_card(cards[1])


def test_unknown_card_action_data_is_acknowledged_ignored_and_logged(teams_app, caplog):
    with caplog.at_level(logging.WARNING, logger="handlers.teams.actions"):
        for data in ({"rolebot": "no_such_action", "value": "1"}, {"rolebot": "rolebot_goal_toggle", "value": "x:y"},
                     {"something": "else"}):
            status, body = teams_app.send(teams_app.invoke(data))
            assert status == 200 and body["statusCode"] == 200
    assert teams_app.connector.activities() == []
    assert sum("ignoring" in r.getMessage() for r in caplog.records) == 3


def test_a_message_back_submit_reaches_the_same_dispatcher(teams_app):
    teams_app.send(teams_app.message("sre"))
    card = teams_app.cards_to(teams_app.personal_conversation(HIRE))[0]
    followup = next(a for a in card["actions"] if a["verb"] == "role_followup")
    status, _ = teams_app.send(teams_app.message("", value=followup["data"]))
    assert status == 200
    assert len(teams_app.cards_to(teams_app.personal_conversation(HIRE))) == 2


def test_install_welcomes_once_and_stores_the_address(teams_app):
    install = teams_app.activity("installationUpdate", HIRE, action="add")
    added = teams_app.activity("conversationUpdate", HIRE, membersAdded=[{"id": "28:" + APP_ID}])
    assert teams_app.send(install)[0] == 200
    assert teams_app.send(added)[0] == 200
    card = _only_card(teams_app, teams_app.personal_conversation(HIRE))
    assert "Hi, I'm rolebot" in texts_of(card)
    address = addresses.get(teams_app.ctx.store, "teams", HIRE)
    assert address.conversation_id == teams_app.personal_conversation(HIRE)
    assert (address.service_url, address.tz, address.name) == (teams_app.connector.url, "Europe/Berlin", "Hugo Hire")
    teams_app.send(teams_app.activity("installationUpdate", HIRE, action="remove"))
    assert addresses.get(teams_app.ctx.store, "teams", HIRE) is None


@pytest.mark.parametrize("token", [
    None,
    "not-a-jwt",
    "expired",
    "forged",
    "wrong-audience",
    "wrong-issuer",
])
def test_a_request_without_a_valid_connector_token_gets_401(teams_app, token):
    connector = teams_app.connector
    tokens = {
        "expired": connector.token(APP_ID, expires_in=-3600),
        "forged": connector.token(APP_ID, key=connector.other_key),
        "wrong-audience": connector.token("someone-else"),
        "wrong-issuer": connector.token(APP_ID, issuer="https://evil.example"),
    }
    status, _ = teams_app.send(teams_app.message("sre kpis"), token=tokens.get(token, token))
    assert status == 401
    assert connector.activities() == []


def test_anonymous_mode_accepts_unsigned_requests_and_says_so(start_teams_app, examples_db, caplog):
    with caplog.at_level(logging.WARNING, logger="handlers.teams.app"):
        harness = start_teams_app(examples_db, anonymous=True)
    assert any("WITHOUT authentication" in r.getMessage() for r in caplog.records)
    status, _ = harness.send(harness.message("sre kpis"), token=None)
    assert status == 200


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b"", b'"text"', b"{" * 300_000])
def test_a_body_that_is_not_an_activity_gets_one_line_and_no_traceback(teams_app, body, caplog):
    import urllib.error
    import urllib.request

    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {teams_app.connector.token(APP_ID)}"}
    request = urllib.request.Request(teams_app.url, data=body, method="POST", headers=headers)
    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.urlopen(request, timeout=10)
    assert answer.value.code == (413 if len(body) > 256 * 1024 else 400)
    assert "error" in json.loads(answer.value.read())
    assert not any(r.exc_info for r in caplog.records)


def test_the_sdks_own_anonymous_switch_does_not_turn_validation_off(start_teams_app, examples_db, monkeypatch):
    monkeypatch.setenv("DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS", "true")
    harness = start_teams_app(examples_db)
    assert harness.send(harness.message("sre kpis"), token=None)[0] == 401


def test_a_follow_up_continues_from_the_last_answer_in_the_same_conversation(teams_app):
    teams_app.send(teams_app.message("sre 30 day goals"))
    teams_app.send(teams_app.message("and the 60 day ones?"))
    first, second = (" ".join(texts_of(c)) for c in teams_app.cards_to(teams_app.personal_conversation(HIRE)))
    assert "30-day" in first
    assert "Site Reliability Engineer" in second and "(from your last question)" in second and "60-day" in second
    # Another person in another chat has no last answer to continue from.
    teams_app.send(teams_app.message("and the 60 day ones?", user=MANAGER))
    [other] = teams_app.cards_to(teams_app.personal_conversation(MANAGER))
    assert "(from your last question)" not in " ".join(texts_of(other))


def test_an_aspect_alone_offers_one_button_per_role_and_a_gap_is_said_first(teams_app):
    teams_app.send(teams_app.message("kpis"))
    teams_app.send(teams_app.message("salary of a site reliability engineer"))
    choice, gap = teams_app.cards_to(teams_app.personal_conversation(HIRE))
    picks = [a for a in choice["actions"] if a["verb"] == "role_suggest"]
    assert {a["title"] for a in picks} >= {"Site Reliability Engineer", "Customer Success Manager", "Data Analyst"}
    assert all(json.loads(a["data"]["value"])["q"] for a in picks)
    texts = texts_of(gap)
    first_note = next(i for i, t in enumerate(texts) if "salary" in t)
    assert first_note <= 2  # right under the heading, before whatever is offered instead
