"""Benchmark of the Slack app over HTTP: signed slash command → HTTP response, alone and under load.

Run from the project folder::

    .venv/bin/python -m bench.bench_http [--docs 1000] [--requests 1000] [--threads 16] [--seed 7]

Generates the corpus with :mod:`bench.corpus` and indexes it (child processes), then serves the real
Bolt app with the real waitress server on loopback, with the fake Slack Web API of the tests as
``SLACK_API_URL``. Measures:

- latency: ``--requests`` signed ``/role`` commands one after another (the query mix of
  :mod:`bench.bench_ask`), each timed from sending the request to the full HTTP response;
- load: 200 signed commands from 50 concurrent clients (threads, started together), every one of
  which must be acknowledged (HTTP 200 with the answer) within Slack's 3 s.

``--sustained SECONDS`` runs :mod:`bench.bench_sustained` instead (rolebot beside a minimal Bolt app,
closed-loop clients at concurrency 1 and 50).

Prints a table; exits 1 when a target is missed (p99 < 50 ms; load: all 200 acknowledged, max < 3 s).
A script, never a timed test.
"""

from __future__ import annotations

import argparse
import itertools
import logging
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from bench import corpus
from bench.bench_ask import PROJECT, make_queries
from bench.table import percentile
from bot.app import create_app, warm_up
from bot.server import EVENTS_PATH, create_server, server_url, start_in_thread
from core.config import load_settings
from core.store import open_store
from handlers.context import AppContext
from tests.fakes.signing import post, signed_headers, slash_command_body
from tests.fakes.slack_api import FakeSlack

SECRET = "bench-signing-secret"
P99_MS = 50.0
ACK_LIMIT_S = 3.0
LOAD_REQUESTS = 200
LOAD_CLIENTS = 50
_REQUEST_IDS = itertools.count()


def _send(url: str, query: str, response_url: str) -> tuple[int, float]:
    """One signed slash command; returns (HTTP status, seconds from sending to the whole response)."""
    # A fresh trigger_id per request, as Slack sends: identical bodies would be refused as replays.
    body = slash_command_body(query, response_url=response_url, trigger_id=f"{next(_REQUEST_IDS)}.1.bench")
    headers = signed_headers(SECRET, body)
    start = time.perf_counter()
    status, _ = post(url, body, headers, timeout=30)
    return status, time.perf_counter() - start


def _load(url: str, queries: list[str], response_url: str) -> tuple[list[float], list[int], float]:
    """Send the queries as slash commands from LOAD_CLIENTS threads released together."""
    return concurrent(lambda query: _send(url, query, response_url), queries)


def concurrent(send: Callable[[str], tuple[int, float]], queries: list[str], clients: int = LOAD_CLIENTS
               ) -> tuple[list[float], list[int], float]:
    """``send`` each query from ``clients`` threads released together; (latencies, statuses, wall s)."""
    per_client = [queries[i::clients] for i in range(clients)]
    barrier = threading.Barrier(clients + 1)
    latencies: list[float] = []
    statuses: list[int] = []
    lock = threading.Lock()

    def client(mine: list[str]) -> None:
        barrier.wait()
        for query in mine:
            try:
                status, took = send(query)
            except OSError:
                status, took = 0, float("inf")
            with lock:
                latencies.append(took)
                statuses.append(status)

    threads = [threading.Thread(target=client, args=(mine,)) for mine in per_client]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return latencies, statuses, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table; return 1 if a target is missed."""
    parser = argparse.ArgumentParser(description="Benchmark the Slack app over HTTP.")
    parser.add_argument("--docs", type=int, default=1000, help="number of generated documents (default 1000)")
    parser.add_argument("--requests", type=int, default=1000, help="sequential timed commands (default 1000)")
    parser.add_argument("--threads", type=int, default=None, help="waitress threads (default 16; --sustained: rolebot's)")
    parser.add_argument("--workers", type=int, default=1, help="--sustained: serving processes (default 1)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sustained", type=float, metavar="SECONDS",
                        help="instead: sustained load for SECONDS at c=1 and c=50 beside a minimal Bolt app "
                             "(bench.bench_sustained)")
    args = parser.parse_args(argv)
    if args.sustained:
        from bench import bench_sustained

        return bench_sustained.main(["--docs", str(args.docs), "--seconds", str(args.sustained), "--seed", str(args.seed),
                                     "--workers", str(args.workers), *(["--threads", str(args.threads)] if args.threads else [])])
    args.threads = args.threads or 16
    logging.basicConfig(level=logging.ERROR)
    rng = random.Random(args.seed)
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="rolebot-bench-http-") as tmp, FakeSlack() as slack:
        folder, db = Path(tmp) / "docs", Path(tmp) / "bench.db"
        started = time.perf_counter()
        for command in (["-m", "bench.corpus", str(folder), str(args.docs), "--seed", str(args.seed)],
                        ["-m", "bot", "index", "--docs", str(folder), "--db", str(db)]):
            subprocess.run([sys.executable, *command], check=True, capture_output=True, cwd=PROJECT)
        settings = load_settings(env={"SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": SECRET,
                                      "SLACK_API_URL": slack.api_url, "ROLEBOT_DB": str(db)})
        store = open_store(db)
        ctx = AppContext.build(settings, store)
        summaries = ctx.index.list_roles()
        rows.append(("corpus", f"{args.docs} documents, {len(summaries)} roles",
                     f"generated and indexed in {time.perf_counter() - started:.1f} s (child processes)"))
        app = create_app(settings, store, ctx=ctx)
        warm_up(ctx)  # as `rolebot serve` does
        server = create_server(app, host="127.0.0.1", port=0, ctx=ctx, threads=args.threads)
        stop = start_in_thread(server)
        url = server_url(server) + EVENTS_PATH
        response_url = slack.response_url("bench")
        titles = sorted({s.title for s in summaries})
        aliases = sorted({a for s in summaries for a in s.aliases if len(a) >= 3})
        # The query mix of bench_ask: (kind, query, …) tuples; only the query text is needed here.
        queries = [entry[1] for entry in make_queries(titles, aliases, args.requests + LOAD_REQUESTS, rng)]
        try:
            for query in ("help", "kpis", titles[0]):  # first request: auth.test, engine warm-up
                _send(url, query, response_url)
            timings, statuses = [], []
            for query in queries[:args.requests]:
                status, took = _send(url, query, response_url)
                statuses.append(status)
                timings.append(took * 1e3)
            latencies, load_statuses, wall = _load(url, queries[args.requests:], response_url)
        finally:
            stop()

    p50, p99 = statistics.median(timings), percentile(timings, 99)
    acked = sum(1 for s, t in zip(load_statuses, latencies, strict=True) if s == 200 and t <= ACK_LIMIT_S)
    worst = max(latencies)
    latency_ok = p99 < P99_MS and all(s == 200 for s in statuses)
    load_ok = acked == LOAD_REQUESTS
    rows.append(("slash command → response", f"p50 {p50:.1f} ms, p95 {percentile(timings, 95):.1f} ms, p99 {p99:.1f} ms",
                 f"{'ok' if latency_ok else 'MISSED'} (target p99 < {P99_MS:.0f} ms; {len(timings)} sequential "
                 f"signed commands, max {max(timings):.1f} ms, non-200: {sum(s != 200 for s in statuses)})"))
    rows.append((f"load: {LOAD_REQUESTS} commands, {LOAD_CLIENTS} clients",
                 f"{acked}/{LOAD_REQUESTS} acknowledged within {ACK_LIMIT_S:.0f} s",
                 f"{'ok' if load_ok else 'MISSED'} (max {worst * 1e3:.0f} ms, p50 "
                 f"{statistics.median(latencies) * 1e3:.0f} ms, p99 {percentile(latencies, 99) * 1e3:.0f} ms, "
                 f"{LOAD_REQUESTS / wall:.0f} req/s over {wall:.2f} s)"))
    rows.append(("server", f"waitress, {args.threads} threads", "real Bolt app, signature checks on, loopback"))
    print(f"rolebot HTTP benchmark (seed {args.seed}, corpus {corpus.__name__})")
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    ok = latency_ok and load_ok
    print("all targets met" if ok else "A TARGET WAS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
