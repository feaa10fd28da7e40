"""``/role`` text to message: help, over-long questions, onboarding sub-commands, real answers."""

from __future__ import annotations

import json

import pytest

from core.config import BUNDLED_EXAMPLES, load_settings
from handlers.context import AppContext
from handlers.slack import role_command
from handlers.slack.role_command import reply, subcommand, waits_for_ack
from roles.answer.limits import MAX_QUERY_CHARS
from roles.index.library import RoleIndex


@pytest.fixture
def ctx(store):
    RoleIndex(store).index_folder(BUNDLED_EXAMPLES)
    return AppContext.build(load_settings(env={}), store)


@pytest.mark.parametrize("text", ["", "  ", "help", "HELP", "?"])
def test_empty_and_help_give_the_help_message(ctx, text):
    message = reply(ctx, text)
    assert message["blocks"][0]["text"]["text"] == "How to use /role"
    assert message["response_type"] == "ephemeral"


def test_over_long_question_is_declined_politely(ctx):
    message = reply(ctx, "x" * 4000)
    assert "4,000 characters" in message["text"] and str(MAX_QUERY_CHARS) in message["text"]
    assert len(message["blocks"]) == 1


def test_a_question_is_answered_by_the_engine(ctx):
    message = reply(ctx, "sre   kpis")
    assert message["blocks"][0]["text"]["text"] == "Site Reliability Engineer"
    assert any(block.get("fields") for block in message["blocks"])


def test_later_pages_and_shareless_answers(ctx):
    assert "role_share" in str(reply(ctx, "sre kpis"))
    assert "role_share" not in str(reply(ctx, "sre kpis", share=False))


@pytest.mark.parametrize(("text", "word"), [("onboard <@U1> sre", "onboard"), ("Checkin", "checkin"), ("", "")])
def test_subcommand_word(text, word):
    assert subcommand(text) == word


@pytest.mark.parametrize(("body", "waits"), [
    ({"command": "/role", "text": "ptpm kpis"}, False),  # answered in the request thread
    ({"command": "/role", "text": ""}, False),  # help, likewise
    ({"command": "/role", "text": "onboard &lt;@U2&gt;"}, True),  # a listener, acknowledged from Bolt's pool
    ({"command": "/role", "text": "Checkin"}, True),
    ({"command": "/other", "text": "x"}, True),
    ({"type": "block_actions", "actions": []}, True),
    ({"type": "view_submission", "view": {"type": "modal"}}, True),
    ({"type": "event_callback", "event": {"type": "app_home_opened"}}, False),  # Bolt acknowledges events
    ({"type": "url_verification"}, False),
    ({"ssl_check": "1"}, False),
])
def test_which_requests_wait_for_a_listener_ack(body, waits):
    assert waits_for_ack(body) is waits


def test_the_acknowledgement_is_json_text_or_the_message_itself_when_orjson_refuses_it():
    message = {"response_type": "ephemeral", "text": "Niño · “quoted” <b>", "blocks": [{"type": "divider"}]}
    assert json.loads(role_command._json(message)) == message
    odd = {"text": "lone \ud800 surrogate"}
    assert role_command._json(odd) is odd  # Bolt's json.dumps encodes it as before
