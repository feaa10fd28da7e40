"""Hostile-load check of ``rolebot serve`` (issue 10, item 3): idle connections plus signed traffic.

Run from the project folder::

    .venv/bin/python -m bench.bench_load [--idle 2000] [--requests 1000] [--clients 100]

Starts the real ``rolebot serve`` as a child process on loopback (bundled example roles, the tests' fake
Slack Web API as ``SLACK_API_URL``), then:

1. opens ``--idle`` connections that each send half a ``GET /healthz`` and then nothing (the pattern
   that crashed waitress's select() loop past 1,024 descriptors);
2. while they are open, sends ``--requests`` signed ``/role`` commands from ``--clients`` threads;
   (the same load runs first without the idle connections: the baseline, in the same run);
3. checks the process is still running and ``/healthz`` answers.

Prints a table: answered requests by status, latency p50/p99/max, whether every signed request was
answered 200 within 3 s, and whether the process stayed up. Exits 1 when a target is missed. A script
with bounded loops, never a timed test.
"""

from __future__ import annotations

import argparse
import itertools
import os
import socket
import statistics
import sys
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path

from bench.serve_process import start_serve
from bench.table import percentile, print_table
from tests.fakes.signing import post, signed_headers, slash_command_body
from tests.fakes.slack_api import FakeSlack

SECRET = "bench-load-secret"
ACK_LIMIT_S = 3.0
QUERIES = ("sre kpis", "data analyst skills", "what does a ptpm own", "list", "compare sre and data analyst")


def open_idle(host: str, port: int, count: int) -> list[socket.socket]:
    """``count`` connections, each holding half a request."""
    idle = []
    for _ in range(count):
        sock = socket.create_connection((host, port), timeout=10)
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: load\r\n")
        idle.append(sock)
    return idle


def signed_load(url: str, requests: int, clients: int, response_url: str) -> tuple[list[float], Counter]:
    """``requests`` signed commands from ``clients`` threads started together: (latencies s, statuses)."""
    ids = itertools.count()
    latencies: list[float] = []
    statuses: Counter = Counter()
    lock = threading.Lock()
    barrier = threading.Barrier(clients)

    def client(share: int) -> None:
        barrier.wait()
        for _ in range(share):
            n = next(ids)
            # A fresh trigger_id per request, as Slack sends: identical bodies would be refused as replays.
            body = slash_command_body(QUERIES[n % len(QUERIES)], response_url=response_url, trigger_id=f"{n}.1.load")
            started = time.perf_counter()
            try:
                status, _ = post(url, body, signed_headers(SECRET, body), timeout=30)
            except OSError:
                status = 0
            took = time.perf_counter() - started
            with lock:
                latencies.append(took)
                statuses[status] += 1

    shares = [requests // clients + (1 if i < requests % clients else 0) for i in range(clients)]
    threads = [threading.Thread(target=client, args=(share,)) for share in shares]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, statuses


def _latency(latencies: list[float]) -> str:
    return (f"p50 {statistics.median(latencies) * 1e3:.0f} ms, p99 {percentile(latencies, 99) * 1e3:.0f} ms, "
            f"max {max(latencies) * 1e3:.0f} ms")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Idle connections plus signed load against rolebot serve.")
    parser.add_argument("--idle", type=int, default=2000, help="idle half-open requests (default 2000)")
    parser.add_argument("--requests", type=int, default=1000, help="signed commands (default 1000)")
    parser.add_argument("--clients", type=int, default=100, help="concurrent clients (default 100)")
    args = parser.parse_args(argv)
    import tempfile

    with tempfile.TemporaryDirectory(prefix="rolebot-bench-load-") as tmp, FakeSlack() as slack:
        proc, url = start_serve(slack, Path(tmp) / "load.db", SECRET)
        host, port = url.split("//", 1)[1].split("/", 1)[0].split(":")
        try:
            # Baseline in the same run: the same load with no idle connections open.
            base_latencies, base_statuses = signed_load(url, args.requests, args.clients, slack.response_url("base"))
            idle = open_idle(host, int(port), args.idle)
            latencies, statuses = signed_load(url, args.requests, args.clients, slack.response_url("load"))
            alive = proc.poll() is None
            with urllib.request.urlopen(url.replace("/slack/events", "/healthz"), timeout=5) as response:
                healthy = response.status == 200
            for sock in idle:
                sock.close()
        finally:
            proc.terminate()
            code = proc.wait(timeout=30)
    within = sum(1 for t in latencies if t <= ACK_LIMIT_S)
    ok = alive and healthy and statuses.get(200, 0) == args.requests and within == args.requests and code == 0
    rows = [
        ("idle connections", f"{args.idle} half-sent GET /healthz", "held open during the whole load"),
        ("signed commands", f"{args.requests} from {args.clients} clients",
         ", ".join(f"{status or 'error'}: {count}" for status, count in sorted(statuses.items()))),
        ("latency with idle", _latency(latencies), f"{within}/{args.requests} within {ACK_LIMIT_S:.0f} s"),
        ("baseline: no idle", _latency(base_latencies),
         ", ".join(f"{status or 'error'}: {count}" for status, count in sorted(base_statuses.items()))),
        ("process", "stayed up" if alive else "DIED", f"/healthz {'200' if healthy else 'FAILED'}; exit {code} on SIGTERM"),
    ]
    print_table(f"rolebot hostile-load check (rolebot serve, bundled examples, loopback; load average "
                f"{os.getloadavg()[0]:.1f})", rows)
    print("all targets met" if ok else "A TARGET WAS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
