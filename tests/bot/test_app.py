"""The app factory and start-up helpers, against the fake Slack Web API."""

from __future__ import annotations

import gc
import logging
import socket
import threading

import pytest

from bot.app import (
    create_app,
    index_docs,
    index_in_background,
    make_client,
    prepare_context,
    start_background,
    verify_token,
    warm_up,
)
from core.config import BUNDLED_EXAMPLES, load_settings
from core.errors import ConfigError
from tests.fakes.slack_api import FakeSlack


@pytest.fixture
def fake():
    with FakeSlack() as slack:
        yield slack


def settings_for(fake, **env):
    return load_settings(env={"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "SLACK_API_URL": fake.api_url, **env})


def test_create_app_makes_no_network_call(fake, store):
    app = create_app(settings_for(fake), store)
    assert fake.calls == []
    assert app.client.base_url == fake.api_url


def test_create_app_needs_a_bot_token(store):
    with pytest.raises(ConfigError, match="SLACK_BOT_TOKEN is not set"):
        create_app(load_settings(env={}), store)


def test_two_apps_share_nothing(fake, store):
    first, second = create_app(settings_for(fake), store), create_app(settings_for(fake), store)
    assert first is not second and first.client is not second.client


def test_client_base_url_gets_its_trailing_slash(fake):
    settings = settings_for(fake, SLACK_API_URL=fake.api_url.rstrip("/"))
    assert make_client(settings).base_url == fake.api_url


def test_verify_token_accepts_a_good_token(fake):
    assert verify_token(make_client(settings_for(fake)))["user_id"] == "UBOT"
    assert [c.method for c in fake.calls] == ["auth.test"]


def test_verify_token_names_the_setting_when_slack_rejects_it(fake):
    fake.fail("auth.test", "invalid_auth")
    with pytest.raises(ConfigError, match=r"SLACK_BOT_TOKEN was rejected by Slack \(invalid_auth\)"):
        verify_token(make_client(settings_for(fake)))


def test_verify_token_only_warns_when_slack_is_unreachable(caplog):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings = load_settings(env={"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_API_URL": f"http://127.0.0.1:{port}/api/"})
    with caplog.at_level(logging.WARNING):
        assert verify_token(make_client(settings)) == {}
    assert "could not reach Slack" in caplog.text
    assert "xoxb-1" not in caplog.text


def test_index_docs_is_incremental(file_store):
    settings = load_settings(env={}, docs_dir=str(BUNDLED_EXAMPLES))
    first = index_docs(settings, file_store)
    second = index_docs(settings, file_store)
    assert first.added == first.documents_seen > 0
    assert (second.added, second.updated, second.unchanged) == (0, 0, first.documents_seen)


def test_serve_starts_before_indexing_and_answers_not_ready_until_the_background_index_ends(tmp_path):
    settings = load_settings(env={}, db_path=str(tmp_path / "rolebot.db"), docs_dir=str(BUNDLED_EXAMPLES))
    ctx = prepare_context(settings, index_now=False)
    try:
        assert not ctx.index.is_ready()
        assert ctx.engine.ask("site reliability engineer kpis").kind == "not_ready"
        index_in_background(ctx, settings).join()
        assert ctx.index.is_ready() and ctx.empty_docs is None
        assert ctx.engine.ask("site reliability engineer kpis").kind == "role_section"
    finally:
        gc.unfreeze()


def test_a_background_index_of_an_empty_folder_says_so(tmp_path):
    (tmp_path / "docs").mkdir()
    settings = load_settings(env={}, db_path=str(tmp_path / "rolebot.db"), docs_dir=str(tmp_path / "docs"))
    ctx = prepare_context(settings, index_now=False)
    try:
        index_in_background(ctx, settings).join()
        assert ctx.empty_docs == str(tmp_path / "docs")
        assert "index is empty" in ctx.not_ready_text()
    finally:
        gc.unfreeze()


def test_warm_up_freezes_the_heap_even_before_the_first_index(store):
    from handlers.context import AppContext

    ctx = AppContext.build(load_settings(env={}), store)
    try:
        warm_up(ctx)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_background_work_starts_once_and_stops(fake, file_store):
    from handlers.context import AppContext

    settings = settings_for(fake)
    ctx = AppContext.build(settings, file_store)
    before = {t.name for t in threading.enumerate()}
    stop = start_background(ctx, make_client(settings))
    started = {t.name for t in threading.enumerate()} - before
    assert started, "the outbox poller runs in its own thread"
    stop()
    assert not ({t.name for t in threading.enumerate()} - before)


def test_seen_events_forgets_the_oldest_beyond_its_size():
    from handlers.context import SeenEvents

    seen = SeenEvents(size=2)
    assert seen.first_time("a") and seen.first_time("b")
    assert not seen.first_time("a")  # a repeat; "a" becomes the newest
    assert seen.first_time("c")  # evicts "b", the oldest
    assert seen.first_time("b") and not seen.first_time("c")


def test_without_a_signing_secret_no_http_request_verifies(fake, store):
    """Socket Mode runs without SLACK_SIGNING_SECRET; the same app over HTTP must still reject forgeries."""
    import hashlib
    import hmac

    from bot.server import EVENTS_PATH, create_server, server_url, start_in_thread
    from tests.fakes.signing import post, signed_headers, slash_command_body

    settings = load_settings(env={"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_API_URL": fake.api_url})
    server = create_server(create_app(settings, store), host="127.0.0.1", port=0)
    stop = start_in_thread(server)
    try:
        body = slash_command_body("help")
        headers = signed_headers("any", body)
        # A forger's signature with an empty key (slack_sdk refuses to make one, so by hand).
        base = f"v0:{headers['X-Slack-Request-Timestamp']}:{body}".encode()
        headers["X-Slack-Signature"] = "v0=" + hmac.new(b"", base, hashlib.sha256).hexdigest()
        status, _ = post(server_url(server) + EVENTS_PATH, body, headers)
    finally:
        stop()
    assert status == 401
