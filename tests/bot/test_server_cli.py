"""``rolebot serve`` as a real process: start-up checks, indexing, then signed requests over HTTP."""

from __future__ import annotations

import json
import os
import queue
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.fakes.signing import post, signed_headers, slash_command_body
from tests.fakes.slack_api import FakeSlack

PROJECT = Path(__file__).resolve().parents[2]
SECRET = "cli-secret"


@pytest.fixture
def fake():
    with FakeSlack() as slack:
        yield slack


def start_serve(fake: FakeSlack, db: Path) -> tuple[subprocess.Popen, queue.Queue]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "ROLEBOT_"))}
    env.update(SLACK_BOT_TOKEN="xoxb-cli", SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=fake.api_url, ROLEBOT_DB=str(db),
               SLACK_RESPONSE_URL_PREFIXES=fake.response_url(""))
    proc = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", "0"], cwd=PROJECT,
                            env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    lines: queue.Queue = queue.Queue()

    def pump() -> None:
        for line in proc.stderr:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    return proc, lines


def wait_line(lines: queue.Queue, pattern: str) -> re.Match | None:
    """The first stderr line matching ``pattern`` (None when the process ended first)."""
    while (line := lines.get(timeout=60)) is not None:
        if match := re.search(pattern, line):
            return match
    return None


def test_serve_indexes_checks_the_token_and_answers_signed_commands(fake, tmp_path):
    proc, lines = start_serve(fake, tmp_path / "serve.db")
    try:
        match = wait_line(lines, r"serving Slack requests at (http://\S+)")
        assert match, "serve did not start"
        # It listens first and indexes in the background; /role answers about roles once that ends.
        assert wait_line(lines, r"role index ready: 3 roles")
        assert [c.method for c in fake.calls][:1] == ["auth.test"]
        body = slash_command_body("sre kpis", response_url=fake.response_url())
        status, text = post(match.group(1), body, signed_headers(SECRET, body))
        assert status == 200
        assert json.loads(text)["blocks"][0]["text"]["text"] == "Site Reliability Engineer"
        assert post(match.group(1), body, signed_headers("not-the-secret", body))[0] == 401
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert (tmp_path / "serve.db").is_file()


def test_serve_stops_when_slack_rejects_the_token(fake, tmp_path):
    fake.fail("auth.test", "invalid_auth")
    proc, lines = start_serve(fake, tmp_path / "serve.db")
    assert proc.wait(timeout=60) == 2
    assert wait_line(lines, r"SLACK_BOT_TOKEN was rejected by Slack \(invalid_auth\)")
