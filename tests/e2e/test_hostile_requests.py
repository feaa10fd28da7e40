"""Requests an attacker (or a broken client) sends: nothing runs and nothing is posted before the request
is verified; signed but malformed input is a 400 with one log line; replays are refused."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request

import pytest

from tests.e2e.conftest import SIGNING_SECRET
from tests.fakes.signing import interaction_body, post, signed_headers, slash_command_body


def _no_traceback(caplog: pytest.LogCaptureFixture) -> None:
    assert not [r for r in caplog.records if r.exc_info], "a traceback was logged"
    assert "Traceback" not in caplog.text


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Slack-Request-Timestamp": "abc", "X-Slack-Signature": "v0=00"},
        {"X-Slack-Request-Timestamp": "", "X-Slack-Signature": ""},
        {"X-Slack-Request-Timestamp": "²³", "X-Slack-Signature": "v0=00"},  # "digits" int() refuses
        {},
    ],
    ids=["non-numeric", "empty", "unicode-digits", "unsigned"],
)
def test_an_unverified_request_with_a_response_url_is_refused_and_nothing_is_posted(slack_app, caplog, headers):
    # A command that would fail in the app (unknown command) and name the attacker's response_url.
    attacker = slack_app.slack.response_url("internal-target")
    body = slash_command_body("help", response_url=attacker, command="/nope")
    status, _ = post(slack_app.url, body, {"Content-Type": "application/x-www-form-urlencoded", **headers})
    assert status == 401
    # (Before the gate, Bolt's error path posted its apology on this thread, before answering.)
    assert slack_app.slack.calls == []
    _no_traceback(caplog)


def test_a_wrong_signature_or_a_stale_timestamp_is_refused(slack_app):
    body = slash_command_body("help", response_url=slack_app.slack.response_url("r"))
    assert slack_app.post(body, secret="not-the-secret")[0] == 401
    assert slack_app.post(body, timestamp=int(time.time()) - 301)[0] == 401
    assert slack_app.slack.calls == []


def test_a_response_url_off_the_allow_list_is_refused_even_when_signed(slack_app, caplog):
    body = slash_command_body("help", response_url="http://169.254.169.254/latest/meta-data/")
    status, text = slack_app.post(body)
    assert status == 400 and "response_url" in text
    assert slack_app.slack.calls == []
    assert "response_url is not an allowed Slack URL" in caplog.text


def test_only_hooks_slack_com_is_allowed_by_default():
    from core.config import load_settings

    assert load_settings(env={}).response_url_prefixes == ("https://hooks.slack.com/",)


def test_a_replayed_request_is_refused(slack_app, caplog):
    url = slack_app.slack.response_url("share")
    body = slash_command_body("sre kpis", response_url=url)
    headers = signed_headers(SIGNING_SECRET, body)
    first = post(slack_app.url, body, headers)
    again = [post(slack_app.url, body, headers)[0] for _ in range(3)]
    assert first[0] == 200 and again == [401, 401, 401]
    assert "replayed request" in caplog.text
    # The first one was answered in its ack; the replays ran nothing.
    assert slack_app.slack.calls_to("/response/share") == []


MALFORMED = {
    "non-utf8": ("application/x-www-form-urlencoded", b"command=%2Frole&text=\xff\xfe"),
    "json-type-form-body": ("application/json", b"command=%2Frole&text=help"),
    "payload-not-object": ("application/x-www-form-urlencoded", interaction_body([1, 2]).encode()),  # type: ignore[arg-type]
    "payload-not-json": ("application/x-www-form-urlencoded", b"payload=%7Bnope"),
    "event-null": ("application/json", json.dumps({"type": "event_callback", "event_id": "Ev1", "event": None}).encode()),
    "view-without-type": ("application/x-www-form-urlencoded", interaction_body(
        {"type": "view_submission", "user": {"id": "U1"}, "view": {"callback_id": "x"}}).encode()),
    "actions-not-list": ("application/x-www-form-urlencoded", interaction_body(
        {"type": "block_actions", "user": {"id": "U1"}, "actions": "click"}).encode()),
    "user-not-object": ("application/x-www-form-urlencoded", interaction_body(
        {"type": "block_actions", "user": "U1", "actions": []}).encode()),
    "empty-body": ("application/x-www-form-urlencoded", b""),
}


@pytest.mark.parametrize("content_type, body", MALFORMED.values(), ids=MALFORMED.keys())
def test_signed_but_malformed_input_is_a_400_with_one_log_line(slack_app, caplog, content_type, body):
    # Signed over the raw bytes, as Slack signs (the test helpers sign text).
    timestamp = str(int(time.time()))
    signature = "v0=" + hmac.new(SIGNING_SECRET.encode(), b"v0:" + timestamp.encode() + b":" + body,
                                 hashlib.sha256).hexdigest()
    request = urllib.request.Request(slack_app.url, data=body, method="POST", headers={
        "Content-Type": content_type, "X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": signature})
    with caplog.at_level(logging.INFO), pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == 400
    # (waitress.queue warns when a request waits for a worker: load on the machine, not this request.)
    lines = [r for r in caplog.records if r.levelno >= logging.WARNING and r.name != "waitress.queue"]
    assert len(lines) == 1 and lines[0].getMessage().startswith("refused request r")
    _no_traceback(caplog)
    assert slack_app.slack.calls == []


def test_control_and_bidi_characters_are_not_echoed(slack_app):
    status, text = slack_app.command("kpis for zz\u202egnp.exe\x07\x1b[31m")
    assert status == 200
    echoed = json.dumps(json.loads(text), ensure_ascii=False)
    assert "\u202e" not in echoed and "\x07" not in echoed and "\x1b" not in echoed


def test_other_methods_and_paths_run_nothing(slack_app):
    assert post(slack_app.url.replace("/slack/events", "/slack/other"), "x=1", {})[0] == 404
    assert slack_app.slack.calls == []


@pytest.mark.parametrize("backend", ["postgresql"])
def test_with_postgresql_the_replay_guard_is_in_the_database_every_replica_shares(slack_app, backend):
    body = slash_command_body("sre kpis", response_url=slack_app.slack.response_url("pg"))
    headers = signed_headers(SIGNING_SECRET, body)
    assert post(slack_app.url, body, headers)[0] == 200
    assert post(slack_app.url, body, headers)[0] == 401
    stored = slack_app.store.conn.execute("SELECT signature FROM replay_guard").fetchall()
    assert [row[0] for row in stored] == [headers["X-Slack-Signature"]]


def test_a_signed_ssl_check_is_answered(slack_app):
    assert slack_app.post("ssl_check=1&token=legacy-unused")[0] == 200
    assert slack_app.slack.calls == []
