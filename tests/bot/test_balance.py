"""Evening out connections among serving processes: the rule alone, then real processes."""

from __future__ import annotations

import http.client
import os
import signal
import time
from pathlib import Path
from urllib.parse import urlsplit

from bot.balance import ABSENT, HOLD_BACK_SECONDS, ConnectionShares, FairAccept
from tests.bot.test_shutdown import SECRET, serve_with  # noqa: F401 (a fixture)
from tests.bot.test_workers import _ask, _children, _until, fake  # noqa: F401 (a fixture)
from tests.fakes.signing import signed_headers, slash_command_body


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _table(processes: int) -> ConnectionShares:
    shares = ConnectionShares(bytearray(8 * processes), processes)
    for slot in range(processes):
        shares.set(slot, ABSENT)
    return shares


def test_a_process_accepts_while_it_holds_at_most_one_more_than_the_least_loaded():
    shares, clock = _table(2), Clock()
    first, second = FairAccept(shares, 0, clock), FairAccept(shares, 1, clock)
    assert second.allows(0)
    assert first.allows(0) and first.allows(1)
    assert not first.allows(2)  # the other holds none: it is its turn
    assert second.allows(1) and first.allows(2)


def test_a_process_held_back_too_long_accepts_anyway():
    shares, clock = _table(2), Clock()
    stuck, busy = FairAccept(shares, 0, clock), FairAccept(shares, 1, clock)
    assert stuck.allows(0)  # ... and then never accepts again
    assert not busy.allows(5)
    clock.now += HOLD_BACK_SECONDS / 2
    assert not busy.allows(5)
    clock.now += HOLD_BACK_SECONDS
    assert busy.allows(5)
    stuck.leave()  # an exited process no longer counts at all
    assert busy.allows(6)
    assert shares.get(0) == ABSENT


def test_a_slot_nobody_has_taken_never_holds_anyone_back():
    shares = _table(3)
    only = FairAccept(shares, 1, Clock())
    assert all(only.allows(n) for n in range(10))


def _established(pid: int, port: int) -> int:
    """Connections to ``port`` that process ``pid`` holds (from /proc)."""
    inodes = set()
    for link in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(link)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local_port, state, inode = int(fields[1].rsplit(":", 1)[1], 16), fields[3], fields[9]
            if local_port == port and state == "01" and inode in inodes:  # 01: ESTABLISHED
                count += 1
    return count


def test_keep_alive_connections_are_split_evenly_between_processes(serve_with, fake):  # noqa: F811
    serve = serve_with(fake, args=("--workers", "2"))
    url = serve.url()
    [worker] = _until(lambda: _children(serve.proc.pid)) or [None]
    host, port = urlsplit(url).hostname, urlsplit(url).port
    os.kill(serve.proc.pid, signal.SIGSTOP)  # until the worker has answered once, it may still be starting
    try:
        assert _until(lambda: _ask(url, "data analyst", fake, f"6.{time.monotonic_ns()}")[0] == 200)
    finally:
        os.kill(serve.proc.pid, signal.SIGCONT)
    connections = []
    try:
        for n in range(20):  # kept open, as Slack's and load balancers' connections are
            conn = http.client.HTTPConnection(host, port, timeout=30)
            body = slash_command_body("data analyst kpis", response_url=fake.response_url("b"), trigger_id=f"5.{n}")
            conn.request("POST", "/slack/events", body.encode(), signed_headers(SECRET, body))
            assert conn.getresponse().read()
            connections.append(conn)
        split = (_established(serve.proc.pid, port), _established(worker, port))
        assert sum(split) == 20 and max(split) - min(split) <= 2, split
    finally:
        for conn in connections:
            conn.close()
