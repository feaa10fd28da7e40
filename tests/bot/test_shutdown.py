"""``rolebot serve`` stopped as platforms stop it (SIGTERM on every deploy), as a real process.

The fake Slack holds chosen calls until the test releases them, so "in flight" is a state the test
controls: an enrolment waiting for ``users.info``, a message waiting for ``chat.postMessage``.
"""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.fakes.signing import post, signed_headers, slash_command_body
from tests.fakes.slack_api import FakeSlack

PROJECT = Path(__file__).resolve().parents[2]
SECRET = "shutdown-secret"
CONFIG = """onboarding:
  send_time: "00:00"
  business_days: [mon, tue, wed, thu, fri, sat, sun]
"""


class HeldSlack(FakeSlack):
    """A fake Slack that holds every call of the methods in ``held`` until ``release`` is set."""

    def __init__(self, *held: str):
        super().__init__()
        self.held = set(held)
        self.release = threading.Event()
        self.waiting = threading.Event()

    def _answer(self, method: str, body: dict[str, Any], headers: dict[str, str]) -> tuple[int, dict, dict]:
        if method in self.held and not self.release.is_set():
            self.waiting.set()  # (recorded only once answered, so tests wait on this)
            self.release.wait(timeout=30)
        return super()._answer(method, body, headers)


class Serve:
    """``python -m bot serve`` on a free loopback port, with its stderr read line by line."""

    def __init__(self, fake: FakeSlack, tmp_path: Path, port: int = 0, args: tuple[str, ...] = (), **extra_env: str):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "ROLEBOT_"))}
        config = tmp_path / "rolebot.yml"
        config.write_text(CONFIG, encoding="utf-8")
        self.db = tmp_path / "serve.db"
        env.update(SLACK_BOT_TOKEN="xoxb-cli", SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=fake.api_url,
                   ROLEBOT_DB=str(self.db), ROLEBOT_CONFIG=str(config), ROLEBOT_SHUTDOWN_SECONDS="20",
                   SLACK_RESPONSE_URL_PREFIXES=fake.response_url(""), **extra_env)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "--log-level", "INFO", "serve", "--host", "127.0.0.1", "--port", str(port), *args],
            cwd=PROJECT, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
        self.lines: queue.Queue = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        for line in self.proc.stderr:
            self.lines.put(line)
        self.lines.put(None)

    def wait_line(self, pattern: str) -> re.Match | None:
        """The first stderr line matching ``pattern`` (None when the process ended first)."""
        while (line := self.lines.get(timeout=60)) is not None:
            self.seen.append(line)
            if match := re.search(pattern, line):
                return match
        return None

    def url(self) -> str:
        match = self.wait_line(r"serving Slack requests at (http://\S+?/slack/events)")
        assert match, "serve did not start:\n" + "".join(self.seen)
        # serve listens before it indexes the docs; the tests ask about roles, so wait for the index
        # (the line it prints once every serving process has been told, not the log line before it).
        assert self.wait_line(r"^rolebot: role index ready"), "serve did not index:\n" + "".join(self.seen)
        return match.group(1)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=30)


@pytest.fixture
def serve_with(tmp_path):
    started: list[Serve] = []

    def start(fake: FakeSlack, port: int = 0, args: tuple[str, ...] = (), **extra_env: str) -> Serve:
        started.append(Serve(fake, tmp_path, port, args, **extra_env))
        return started[-1]

    yield start
    for serve in started:
        serve.stop()


def test_sigterm_during_an_enrolment_finishes_it_then_exits_0(serve_with):
    with HeldSlack("users.info") as fake:
        fake.users["UHIRE"] = {"name": "ana", "tz": "Europe/Berlin"}
        serve = serve_with(fake)
        url = serve.url()
        body = slash_command_body("onboard <@UHIRE> as Data Analyst starting 2026-12-01", user_id="UMGR",
                                  response_url=fake.response_url("enrol"))
        assert post(url, body, signed_headers(SECRET, body))[0] == 200  # acknowledged
        assert fake.waiting.wait(30)  # the enrolment is now in flight, waiting for users.info
        serve.proc.send_signal(signal.SIGTERM)
        assert serve.wait_line(r"SIGTERM received")
        assert serve.wait_line(r"no longer accepting connections")
        assert serve.proc.poll() is None  # still finishing the enrolment
        with pytest.raises(OSError):  # but no longer accepting connections
            socket.create_connection(("127.0.0.1", int(url.rsplit(":", 1)[1].split("/")[0])), timeout=2).close()
        fake.release.set()
        assert serve.proc.wait(timeout=30) == 0
        [reply] = fake.calls_to("/response/enrol")
    assert "Data Analyst" in json.dumps(reply.body) and "Could not" not in json.dumps(reply.body)
    with sqlite3.connect(serve.db) as db:
        assert db.execute("SELECT user_id, status FROM journeys").fetchall() == [("UHIRE", "active")]


def _due_rows(db: Path, hires: int) -> None:
    """``hires`` journeys starting today, their welcome messages due now (send time 00:00 UTC)."""
    from bot.app import index_docs
    from core.config import load_settings
    from core.store import open_store
    from jobs import journeys
    from roles.index.library import RoleIndex

    settings = load_settings(env={}, config_path=db.parent / "rolebot.yml", db_path=str(db))
    store = open_store(db)
    index_docs(settings, store)
    now = datetime.now(UTC)
    for n in range(hires):
        journeys.enrol(store, RoleIndex(store), settings, actor_id="UMGR", user_id=f"UHIRE{n}", role="Data Analyst",
                       start=now.date().isoformat(), manager_id=None, tz="UTC", now=now)
    store.close()


def test_sigterm_during_a_send_finishes_that_row_and_returns_the_claim(serve_with, tmp_path):
    (tmp_path / "rolebot.yml").write_text(CONFIG, encoding="utf-8")
    _due_rows(tmp_path / "serve.db", hires=5)
    with HeldSlack("chat.postMessage") as fake:
        serve = serve_with(fake)
        serve.url()
        assert fake.waiting.wait(30)  # the poller claimed the due rows and is sending the first
        serve.proc.send_signal(signal.SIGTERM)
        assert serve.wait_line(r"stopping the onboarding poller")
        fake.release.set()
        assert serve.proc.wait(timeout=30) == 0
        posted = len(fake.calls_to("chat.postMessage"))
    with sqlite3.connect(serve.db) as db:
        statuses = dict(db.execute("SELECT status, COUNT(*) FROM outbox WHERE due_utc <= ? GROUP BY status",
                                   [datetime.now(UTC).isoformat()]).fetchall())
    assert "sending" not in statuses  # nothing left claimed by a process that is gone
    assert statuses.get("sent") == posted >= 1
    assert statuses.get("pending", 0) >= 1  # the rest went back, for the next process to send


def test_a_port_in_use_is_one_line_and_exit_2_before_any_slack_call(serve_with):
    with socket.socket() as taken, FakeSlack() as fake:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        serve = serve_with(fake, port=taken.getsockname()[1])
        assert serve.proc.wait(timeout=30) == 2
        output = serve.proc.stderr.read() if serve.proc.stderr else ""
        serve.wait_line(r"$^")  # drain what the reader thread collected
        lines = [line for line in serve.seen + output.splitlines(keepends=True) if line.strip()]
        assert len(lines) == 1 and "already in use" in lines[0] and "Traceback" not in lines[0]
        assert fake.calls == []


def test_an_empty_docs_folder_is_a_warning_and_the_reply_says_the_index_is_empty(serve_with, tmp_path):
    empty = tmp_path / "no-docs-yet"
    empty.mkdir()
    with FakeSlack() as fake:
        serve = serve_with(fake, ROLEBOT_DOCS=str(empty))
        url = serve.url()
        assert any("no role documents" in line and str(empty) in line for line in serve.seen)
        body = slash_command_body("sre kpis", response_url=fake.response_url("q"))
        status, text = post(url, body, signed_headers(SECRET, body))
        serve.proc.terminate()
        serve.proc.wait(timeout=30)
        while serve.wait_line("$^"):
            pass
    assert status == 200, "".join(serve.seen)
    assert "The role index is empty" in text and str(empty) in text and "try again in a minute" not in text


def test_sigterm_while_a_request_is_in_flight_answers_it_before_exiting(serve_with):
    from handlers.slack.onboarding.views import ENROL_CALLBACK, ROLE_PICK
    from roles.index.write import stable_role_id
    from tests.fakes.signing import interaction_body

    # The enrolment form waits up to 1.5 s for users.info before it acknowledges: held here, the
    # submission is an HTTP request in flight when the signal arrives.
    values = {
        "hire": {"user": {"type": "users_select", "selected_user": "UHIRE"}},
        "role": {ROLE_PICK: {"type": "external_select",
                             "selected_option": {"value": str(stable_role_id("data-analyst.yaml", 0))}}},
        "start": {"date": {"type": "datepicker", "selected_date": "2026-12-01"}},
    }
    body = interaction_body({"type": "view_submission", "team": {"id": "T1"}, "user": {"id": "UMGR"}, "api_app_id": "A1",
                             "trigger_id": "9.9.9", "view": {"id": "V1", "type": "modal", "callback_id": ENROL_CALLBACK,
                                                             "private_metadata": "", "state": {"values": values}}})
    with HeldSlack("users.info") as fake:
        fake.users["UHIRE"] = {"name": "ana", "tz": "Europe/Berlin"}
        serve = serve_with(fake)
        url = serve.url()
        answered: list[tuple[int, str]] = []
        submit = threading.Thread(target=lambda: answered.append(post(url, body, signed_headers(SECRET, body))))
        submit.start()
        assert fake.waiting.wait(30)  # the submission is being handled, not yet answered
        serve.proc.send_signal(signal.SIGTERM)
        assert serve.wait_line(r"no longer accepting connections")
        submit.join(timeout=30)
        assert answered and answered[0][0] == 200  # answered, not cut
        fake.release.set()
        assert serve.proc.wait(timeout=30) == 0
    with sqlite3.connect(serve.db) as db:
        assert db.execute("SELECT user_id, role_title FROM journeys").fetchall() == [("UHIRE", "Data Analyst")]
