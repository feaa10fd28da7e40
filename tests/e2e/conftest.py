"""End-to-end fixtures: the real Bolt app behind the real waitress server on loopback, a fake Slack Web
API for everything the app calls (``SLACK_API_URL`` and every ``response_url``), and requests signed
exactly as Slack signs them.

Use the ``slack_app`` fixture: it yields a :class:`SlackHarness` with helpers that send signed slash
commands, block actions, options requests and events, and ``harness.slack`` (the ``FakeSlack``) to
read what the app sent, waiting with ``slack.wait_for(...)`` for work done after the ack.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from core.config import BUNDLED_EXAMPLES, Settings, load_settings
from core.store import Store, open_store
from tests.fakes.signing import interaction_body, post, signed_headers, slash_command_body
from tests.fakes.slack_api import Call, FakeSlack

SIGNING_SECRET = "e2e-signing-secret"
BOT_TOKEN = "xoxb-e2e-token"


@dataclass
class SlackHarness:
    """The running app and the fake Slack around it."""

    url: str
    slack: FakeSlack
    settings: Settings
    store: Store
    ctx: Any
    app: Any
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def next_id(self, prefix: str) -> str:
        """A fresh name, e.g. for a response_url path or an event ID."""
        return f"{prefix}{next(self._ids)}"

    def post(self, body: str, content_type: str = "application/x-www-form-urlencoded", timestamp: int | None = None,
             secret: str = SIGNING_SECRET, headers: dict[str, str] | None = None) -> tuple[int, str]:
        """POST a body to /slack/events, signed like Slack (with ``secret`` and ``timestamp``)."""
        all_headers = signed_headers(secret, body, timestamp=timestamp, content_type=content_type)
        all_headers.update(headers or {})
        return post(self.url, body, all_headers)

    def command(self, text: str, user_id: str = "U1", response_url: str | None = None, **extra: str) -> tuple[int, str]:
        """Send ``/role <text>``; the response_url (a fresh one by default) lands in the fake."""
        url = response_url or self.slack.response_url(self.next_id("cmd"))
        extra.setdefault("trigger_id", self.trigger_id())
        return self.post(slash_command_body(text, user_id=user_id, response_url=url, **extra))

    def trigger_id(self) -> str:
        """A fresh trigger_id: Slack gives every request its own, so two sends are not a replay."""
        return f"{self.next_id('')}.42.abcd"

    def interaction(self, payload: dict[str, Any]) -> tuple[int, str]:
        """Send an interactivity payload (block_actions, block_suggestion, view_submission)."""
        return self.post(interaction_body({**payload, "trigger_id": payload.get("trigger_id") or self.trigger_id()}))

    def action(self, action_id: str, value: str = "", user_id: str = "U1", response_url: str | None = None,
               container: dict[str, Any] | None = None, block_id: str = "b1", **action: Any) -> tuple[int, str]:
        """Click a button (or pick from a menu, via ``action``) on a message or the Home tab.

        The default container is an ephemeral message with a response_url in the fake; pass
        ``container={"type": "view", "view_id": "V1"}`` and ``response_url=""`` for the Home tab.
        """
        payload: dict[str, Any] = {
            "type": "block_actions",
            "team": {"id": "T1", "domain": "test"},
            "user": {"id": user_id, "username": user_id.lower(), "team_id": "T1"},
            "api_app_id": "A1",
            "token": "legacy-unused",
            "trigger_id": self.trigger_id(),
            "container": container or {"type": "message", "message_ts": "1.2", "channel_id": "C1", "is_ephemeral": True},
            "channel": {"id": "C1", "name": "general"},
            "actions": [{"type": "button", "action_id": action_id, "block_id": block_id, "value": value,
                         "action_ts": "1.3", **action}],
        }
        url = self.slack.response_url(self.next_id("act")) if response_url is None else response_url
        if url:
            payload["response_url"] = url
        return self.interaction(payload)

    def event(self, event: dict[str, Any], event_id: str | None = None, retry_num: int | None = None) -> tuple[int, str]:
        """Deliver an Events API event (``retry_num`` adds Slack's retry headers)."""
        body = json.dumps({
            "token": "legacy-unused",
            "team_id": "T1",
            "api_app_id": "A1",
            "type": "event_callback",
            "event_id": event_id or self.next_id("Ev"),
            "event_time": 1700000000,
            "event": event,
        })
        headers, timestamp = {}, None
        if retry_num is not None:
            # Slack sends a retry later, signed anew: a later timestamp (else it would be a replay).
            headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"}
            timestamp = int(time.time()) + retry_num
        return self.post(body, content_type="application/json", headers=headers, timestamp=timestamp)

    def responses(self, url: str) -> list[Call]:
        """Calls the app made to a response_url of the fake."""
        return self.slack.calls_to(url.split(self.slack.base_url, 1)[-1])


def _index(path: Path, docs: Path) -> Path:
    from bot.app import index_docs

    store = open_store(path)
    index_docs(load_settings(env={}, db_path=str(path), docs_dir=str(docs)), store)
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return path


@pytest.fixture(scope="session")
def examples_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with the bundled examples indexed, once per session (each test gets a copy)."""
    return _index(tmp_path_factory.mktemp("e2e") / "examples.db", BUNDLED_EXAMPLES)


@pytest.fixture(scope="session")
def shared_docs_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with the real documents of ../shared/role-docs indexed (long answers), once per session."""
    from tests.conftest import SHARED_DOCS

    if not SHARED_DOCS.is_dir():
        pytest.skip("../shared/role-docs is not beside the project")
    return _index(tmp_path_factory.mktemp("e2e") / "shared.db", SHARED_DOCS)


def _copy_db(source: Path, target: Path) -> None:
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    """A fresh fake Slack Web API on loopback."""
    with FakeSlack() as slack:
        yield slack


@pytest.fixture
def backend() -> str:
    """Where the app keeps journeys and the outbox; onboarding modules parametrise it over both."""
    return "sqlite"


@pytest.fixture
def start_slack_app(tmp_path: Path, fake_slack: FakeSlack, backend: str,
                    request: pytest.FixtureRequest) -> Iterator[Callable[..., SlackHarness]]:
    """A function that serves the real app with waitress on 127.0.0.1 (random port) over a copy of the
    given database (None: an empty, never indexed one; in ``db_dir`` if given) and returns its harness;
    stopped after the test."""
    from bot.app import create_app
    from bot.server import EVENTS_PATH, create_server, server_url, start_in_thread
    from handlers.context import AppContext

    stops: list[Callable[[], None]] = []

    def start(source_db: Path | None, docs: Path = BUNDLED_EXAMPLES, db_dir: Path | None = None) -> SlackHarness:
        db = (db_dir or tmp_path) / f"rolebot{len(stops)}.db"
        if source_db is not None:
            _copy_db(source_db, db)
        env = {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": fake_slack.api_url,
            "SLACK_RESPONSE_URL_PREFIXES": fake_slack.base_url + "/response/",
            "ROLEBOT_DB": str(db),
            "ROLEBOT_DOCS": str(docs),
        }
        settings = load_settings(env=env)
        index_store = open_store(db)
        store = index_store if backend == "sqlite" else request.getfixturevalue("pg_store")
        ctx = AppContext.build(settings, store, index_store=index_store)
        app = create_app(settings, store, ctx=ctx)
        server = create_server(app, host="127.0.0.1", port=0, ctx=ctx, threads=8)
        stops.append(start_in_thread(server))
        return SlackHarness(url=server_url(server) + EVENTS_PATH, slack=fake_slack, settings=settings,
                            store=store, ctx=ctx, app=app)

    yield start
    for stop in stops:
        stop()


@pytest.fixture
def slack_app(start_slack_app: Callable[..., SlackHarness], examples_db: Path) -> SlackHarness:
    """The real app over the bundled example roles, served on loopback, with the fake Slack around it."""
    return start_slack_app(examples_db)


@pytest.fixture
def start_teams_app(tmp_path: Path) -> Iterator[Callable[..., Any]]:
    """A function that serves the real Teams bot on 127.0.0.1 (random port) over a copy of the given
    database, with JWT validation against a fake connector's keys (or anonymous), and returns its harness."""
    from bot.teams_server import TeamsServer
    from handlers.context import AppContext
    from handlers.teams.app import MESSAGING_ENDPOINT, TeamsConfig, build_app
    from handlers.teams.sender import TeamsSender
    from tests.e2e.teams_harness import APP_ID, TENANT, TeamsHarness
    from tests.fakes.bot_connector import FakeConnector

    started: list[tuple[Any, Any]] = []

    def start(source_db: Path | None, *, anonymous: bool = False, settings_env: dict[str, str] | None = None) -> TeamsHarness:
        connector = FakeConnector().__enter__()
        db = tmp_path / f"teams{len(started)}.db"
        if source_db is not None:
            _copy_db(source_db, db)
        settings = load_settings(env={"ROLEBOT_DB": str(db), "ROLEBOT_DOCS": str(BUNDLED_EXAMPLES), **(settings_env or {})})
        store = open_store(db)
        ctx = AppContext.build(settings, store)
        config = TeamsConfig(client_id=None if anonymous else APP_ID, tenant_id=TENANT, allow_anonymous=anonymous)
        # The outbound token comes from the fake (the network boundary); inbound JWTs are validated for real.
        options = {"cloud": connector.cloud()}
        if not anonymous:
            options["token"] = lambda scope, tenant=None: connector.token("https://api.botframework.com")
        server = TeamsServer(lambda adapter: build_app(ctx, config, http_server_adapter=adapter, **options),
                             host="127.0.0.1", port=0).start()
        started.append((server, connector))
        sender = TeamsSender(server.app, store, server.loop, sleep=lambda seconds: None)
        return TeamsHarness(f"http://127.0.0.1:{server.port}{MESSAGING_ENDPOINT}", connector, ctx, server, sender)

    yield start
    for server, connector in started:
        server.stop()
        connector.__exit__(None, None, None)


@pytest.fixture
def teams_app(start_teams_app: Callable[..., Any], examples_db: Path) -> Any:
    """The real Teams bot over the bundled example roles, with JWT validation on."""
    return start_teams_app(examples_db)
