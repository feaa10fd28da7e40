"""The waitress server around the Bolt app: routes other than /slack/events, and clean stops."""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

from bot.app import create_app
from bot.server import MAX_BODY_BYTES, create_server, server_url, start_in_thread
from core.config import load_settings
from handlers.context import AppContext


@pytest.fixture
def served(file_store):
    settings = load_settings(env={"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s",
                                  "SLACK_API_URL": "http://127.0.0.1:9/api/"})
    ctx = AppContext.build(settings, file_store)
    server = create_server(create_app(settings, file_store, ctx=ctx), host="127.0.0.1", port=0, ctx=ctx, threads=2)
    stop = start_in_thread(server)
    yield server_url(server)
    stop()


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_healthz_reports_an_unindexed_database(served):
    status, body = get(served + "/healthz")
    assert status == 200
    assert json.loads(body) == {"ok": True, "index_ready": False}


@pytest.mark.parametrize("path", ["/", "/slack/events", "/slack/other"])
def test_other_routes_are_not_found(served, path):
    assert get(served + path)[0] == 404


def test_an_oversized_body_is_refused_before_it_is_read(served):
    # Only the headers are sent: the server must refuse on Content-Length, not wait to buffer the body.
    parts = urllib.parse.urlsplit(served)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    conn.putrequest("POST", "/slack/events")
    conn.putheader("Content-Type", "application/x-www-form-urlencoded")
    conn.putheader("Content-Length", str(MAX_BODY_BYTES + 1))
    conn.endheaders()
    response = conn.getresponse()
    assert response.status == 413
    conn.close()
    assert get(served + "/healthz")[0] == 200


def test_stop_releases_the_port(file_store):
    settings = load_settings(env={"SLACK_BOT_TOKEN": "xoxb-1"})
    server = create_server(create_app(settings, file_store), host="127.0.0.1", port=0, threads=1)
    url = server_url(server)
    start_in_thread(server)()
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url + "/healthz", timeout=2)
