"""The waitress server around the Bolt app: routes other than /slack/events, and clean stops."""

from __future__ import annotations

import gc
import http.client
import json
import os
import socket
import urllib.error
import urllib.parse
import urllib.request

import pytest

from bot.app import create_app
from bot.server import MAX_BODY_BYTES, create_server, server_url, start_in_thread
from core.config import BUNDLED_EXAMPLES, load_settings
from handlers.context import AppContext
from roles.index.library import RoleIndex
from tests.fakes.signing import post, signed_headers, slash_command_body
from tests.fakes.slack_api import FakeSlack


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


def test_a_post_without_a_signature_is_refused(served):
    request = urllib.request.Request(served + "/slack/events", data=b"command=%2Frole&text=help", method="POST")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == 401


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


def test_idle_connections_past_select_s_limit_do_not_stop_the_server(served):
    # select() fails on descriptors past 1,024; 1,100 idle sockets each holding half a request get there.
    parts = urllib.parse.urlsplit(served)
    idle = []
    try:
        for _ in range(1100):
            sock = socket.create_connection((parts.hostname, parts.port), timeout=5)
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # never finished
            idle.append(sock)
        assert get(served + "/healthz")[0] == 200
    finally:
        for sock in idle:
            sock.close()
    assert get(served + "/healthz")[0] == 200


def test_back_pressure_answers_503_while_too_many_requests_wait():
    from bot.dispatch import SpareThreadDispatcher
    from bot.server import with_back_pressure

    dispatcher = SpareThreadDispatcher()  # no worker threads, no loop: what is queued stays queued
    calls = []
    app = with_back_pressure(lambda environ, start: calls.append(1) or start("200 OK", []) or [b"ok"], dispatcher,
                             max_queued=2)
    statuses = []

    def start_response(status, headers):
        statuses.append((status, dict(headers)))

    app({}, start_response)
    dispatcher.queue.extend(["task"] * 2)
    app({}, start_response)
    dispatcher.inline.append("quick task")  # those waiting for the loop thread count too
    app({}, start_response)
    assert [s for s, _ in statuses] == ["200 OK", "200 OK", "503 Service Unavailable"]
    assert statuses[2][1]["Retry-After"] == "1" and calls == [1, 1]


def test_create_server_names_a_port_in_use(file_store):
    from bot.server import PortInUse

    settings = load_settings(env={"SLACK_BOT_TOKEN": "xoxb-1"})
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(PortInUse, match=f"port {port} on 127.0.0.1 is already in use"):
            create_server(create_app(settings, file_store), host="127.0.0.1", port=port, threads=1)


def test_healthz_reports_a_deleted_database(served, file_store):
    os.remove(file_store.path)
    status, body = get(served + "/healthz")
    assert status == 503
    assert json.loads(body)["ok"] is False and "deleted" in json.loads(body)["error"]


def test_serving_answers_leaves_no_reference_cycles_of_rolebots_own(file_store):
    # Answering freezes what it caches (roles.answer.memory.keep_cached), and a frozen object in a
    # reference cycle would never be freed: the whole path, HTTP to Block Kit, must make none.
    RoleIndex(file_store).index_folder(BUNDLED_EXAMPLES)
    with FakeSlack() as slack:
        settings = load_settings(env={"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s" * 16,
                                      "SLACK_API_URL": slack.api_url,
                                      "SLACK_RESPONSE_URL_PREFIXES": slack.response_url("")})
        ctx = AppContext.build(settings, file_store)
        server = create_server(create_app(settings, file_store, ctx=ctx), host="127.0.0.1", port=0, ctx=ctx)
        stop = start_in_thread(server)
        url = server_url(server) + "/slack/events"
        titles = [s.title.lower() for s in ctx.index.list_roles()]
        try:
            gc.unfreeze()
            gc.collect()
            gc.set_debug(gc.DEBUG_SAVEALL)
            for n, question in enumerate(f"{t} {aspect}" for t in titles for aspect in ("kpis", "30 day goals", "skills")):
                body = slash_command_body(question, response_url=slack.response_url("x"), trigger_id=f"{n}.1")
                status, text = post(url, body, signed_headers("s" * 16, body))
                assert status == 200 and json.loads(text)["blocks"]
            assert gc.get_freeze_count() > 0  # answering froze what it cached
            gc.unfreeze()
            gc.collect()
            ours = [o for o in gc.garbage
                    if (getattr(o, "__module__", None) or type(o).__module__).startswith(("roles.", "bot.", "handlers.", "core."))]
        finally:
            gc.set_debug(0)
            gc.garbage.clear()
            stop()
    assert ours == []
