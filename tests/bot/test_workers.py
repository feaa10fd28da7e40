"""``rolebot serve --workers N``: several real processes on one port, one leader.

Processes are paused (SIGSTOP) to choose which one can accept a connection: a paused process cannot,
so the kernel hands the connection to one that is running.
"""

from __future__ import annotations

import json
import os
import signal
import time

import pytest

from core.config import load_settings
from core.errors import ConfigError
from tests.bot.test_shutdown import SECRET, serve_with  # noqa: F401 (a fixture)
from tests.fakes.signing import post, signed_headers, slash_command_body
from tests.fakes.slack_api import FakeSlack
from tests.processes import alive, children


def _children(pid: int) -> list[int]:
    """The worker processes started by ``pid``."""
    return children(pid, b"bot.workers")


def _until(condition, seconds: float = 30.0):
    """Poll ``condition`` until it is truthy (returned) or ``seconds`` pass (None)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.05)
    return None


def _ask(url: str, text: str, fake: FakeSlack, trigger: str) -> tuple[int, str]:
    body = slash_command_body(text, response_url=fake.response_url("w"), trigger_id=trigger)
    return post(url, body, signed_headers(SECRET, body))


@pytest.fixture
def fake():
    with FakeSlack() as slack:
        yield slack


def test_workers_answer_on_the_leaders_port_and_share_one_replay_guard(serve_with, fake):  # noqa: F811
    serve = serve_with(fake, args=("--workers", "3"))
    url = serve.url()
    workers = _until(lambda: len(_children(serve.proc.pid)) == 2 and _children(serve.proc.pid))
    assert workers, "".join(serve.seen)
    leader, first, second = serve.proc.pid, *workers
    body = slash_command_body("data analyst kpis", response_url=fake.response_url("w"), trigger_id="1.2.3")
    headers = signed_headers(SECRET, body)
    try:
        # Only the first worker can accept: it answers the question itself (the index is ready there).
        for pid in (leader, second):
            os.kill(pid, signal.SIGSTOP)
        status, text = post(url, body, headers)
        assert status == 200 and "Data Analyst" in json.loads(text)["text"]
        # Only the second: the same signed request again is a replay, though this process never saw it.
        os.kill(second, signal.SIGCONT)
        os.kill(first, signal.SIGSTOP)
        assert post(url, body, headers)[0] == 401
        assert _ask(url, "data analyst goals", fake, "1.2.4")[0] == 200
    finally:
        for pid in (leader, first, second):
            os.kill(pid, signal.SIGCONT)
    assert "Data Analyst" in json.loads(_ask(url, "data analyst kpis", fake, "1.2.5")[1])["text"]
    assert any("/slack/events by 3 processes" in line for line in serve.seen)
    serve.proc.send_signal(signal.SIGTERM)
    assert serve.proc.wait(timeout=60) == 0
    assert not any(alive(pid) for pid in workers)


def test_a_worker_that_dies_is_started_again(serve_with, fake):  # noqa: F811
    serve = serve_with(fake, args=("--workers", "2"))
    url = serve.url()
    [worker] = _until(lambda: _children(serve.proc.pid)) or [None]
    assert worker, "".join(serve.seen)
    os.kill(worker, signal.SIGKILL)
    replacement = _until(lambda: [pid for pid in _children(serve.proc.pid) if pid != worker])
    assert replacement, "no worker was started again"
    assert serve.wait_line(r"worker 1 \(pid \d+\) exited with status -9; starting another in 1.0 s")
    # The new worker serves: with the leader paused, it answers.
    os.kill(serve.proc.pid, signal.SIGSTOP)
    try:
        assert _until(lambda: _ask(url, "data analyst", fake, f"2.{time.monotonic_ns()}")[0] == 200)
    finally:
        os.kill(serve.proc.pid, signal.SIGCONT)


def test_workers_stop_when_the_leader_is_gone(serve_with, fake):  # noqa: F811
    serve = serve_with(fake, args=("--workers", "3"))
    serve.url()
    workers = _until(lambda: len(_children(serve.proc.pid)) == 2 and _children(serve.proc.pid))
    assert workers
    serve.proc.kill()  # no chance to stop them: they notice their stdin close
    serve.proc.wait(timeout=30)
    assert _until(lambda: not any(alive(pid) for pid in workers)), "workers outlived their leader"


@pytest.mark.parametrize("env, message", [
    ({"ROLEBOT_WORKERS": "two"}, "ROLEBOT_WORKERS must be a whole number, got 'two'"),
    ({"ROLEBOT_WORKERS": "0"}, "must be between 1 and 32, got 0"),
    ({"ROLEBOT_WORKERS": "99"}, "must be between 1 and 32, got 99"),
])
def test_a_wrong_number_of_workers_is_named(env, message):
    with pytest.raises(ConfigError, match=message):
        load_settings(env=env)


def test_workers_default_to_one_and_the_option_wins_over_the_environment():
    assert load_settings(env={}).workers == 1
    assert load_settings(env={"ROLEBOT_WORKERS": "4"}).workers == 4
    assert load_settings(env={"ROLEBOT_WORKERS": "4"}, workers=2).workers == 2


def test_workers_learn_from_the_leader_that_the_docs_folder_is_empty(serve_with, fake, tmp_path):  # noqa: F811
    empty = tmp_path / "no-docs-yet"
    empty.mkdir()
    serve = serve_with(fake, args=("--workers", "2"), ROLEBOT_DOCS=str(empty))
    url = serve.url()
    [worker] = _until(lambda: _children(serve.proc.pid)) or [None]
    os.kill(serve.proc.pid, signal.SIGSTOP)  # the worker answers
    try:
        # (The worker may read the leader's message a moment after the leader printed its line.)
        text = _until(lambda: (reply := _ask(url, "sre kpis", fake, f"3.{time.monotonic_ns()}")[1])
                      and "The role index is empty" in reply and reply)
    finally:
        os.kill(serve.proc.pid, signal.SIGCONT)
    assert text and str(empty) in text and "try again in a minute" not in text


def test_a_worker_that_cannot_start_says_why_in_one_line(tmp_path):
    import socket
    import subprocess
    import sys

    from tests.bot.test_shutdown import PROJECT

    not_a_db = tmp_path / "notes.txt"
    not_a_db.write_text("not a database", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "ROLEBOT_"))}
    env.update(SLACK_BOT_TOKEN="xoxb-w", SLACK_SIGNING_SECRET="s", ROLEBOT_DB=str(not_a_db))
    with socket.create_server(("127.0.0.1", 0)) as listening:
        fd = listening.fileno()
        done = subprocess.run([sys.executable, "-m", "bot.workers", "--fd", str(fd), "--threads", "1"], cwd=PROJECT,
                              env=env, pass_fds=(fd,), stdin=subprocess.DEVNULL, capture_output=True, text=True,
                              timeout=60)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [f"rolebot worker: cannot use the database {not_a_db}: file is not a database"]
