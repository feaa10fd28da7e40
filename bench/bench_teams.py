"""Benchmark of the Teams bot beside the Slack app: message → reply round trip at concurrency 1 and 50.

Run from the project folder::

    .venv/bin/python -m bench.bench_teams [--docs 1000] [--requests 500] [--seed 7]

Generates and indexes the corpus of :mod:`bench.corpus` (child processes), then serves, in this one
process and over the same database, the real Slack app (waitress, 16 threads, signatures checked) and the
real Teams bot (the Teams SDK's FastAPI app under uvicorn, every request's JWT validated against a fake
connector's OpenID keys on loopback). The same question mix (:mod:`bench.bench_ask`) goes to both:

- Slack: a signed ``/role`` command; the answer is the HTTP response (as in :mod:`bench.bench_http`);
- Teams: a signed message activity; the answer is a separate POST from the bot to the fake Bot
  Connector (the ``serviceUrl``), which the bot awaits before it answers the activity's request, so the
  time to the activity's HTTP response covers the whole round trip (message in, reply card out).

Concurrency 1: ``--requests`` one after another. Concurrency 50: 200 requests from 50 clients released
together; every one must complete within 3 s. Prints one table with both platforms side by side;
exits 1 when a Teams target is missed. A script, never a timed test.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench import bench_http
from bench.bench_ask import PROJECT, make_queries
from bench.table import percentile
from bot.app import create_app, warm_up
from bot.server import EVENTS_PATH, create_server, server_url, start_in_thread
from bot.teams_server import TeamsServer
from core.config import load_settings
from core.store import open_store
from handlers.context import AppContext
from handlers.teams.app import MESSAGING_ENDPOINT, TeamsConfig, build_app
from tests.fakes.bot_connector import FakeConnector
from tests.fakes.slack_api import FakeSlack

APP_ID = "00000000-0000-4000-8000-0000000be4c4"
LIMIT_S = 3.0
LOAD_REQUESTS = 200
CLIENTS = 50


def teams_sender(url: str, connector: FakeConnector):
    """A function sending one question as a personal message activity; (status, seconds)."""
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {connector.token(APP_ID)}"}
    counter = iter(range(10**9))

    def send(query: str) -> tuple[int, float]:
        number = next(counter)
        user = f"29:bench-user-{number % CLIENTS}"
        activity = {"type": "message", "id": f"bench-{number}", "serviceUrl": connector.url, "channelId": "msteams",
                    "from": {"id": user, "name": "Bench"}, "recipient": {"id": f"28:{APP_ID}", "name": "rolebot"},
                    "conversation": {"id": f"a:{user}", "conversationType": "personal"}, "text": query}
        request = urllib.request.Request(url, data=json.dumps(activity).encode(), headers=headers, method="POST")
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            return response.status, time.perf_counter() - started

    return send


def measure(send, queries: list[str], sequential: int) -> dict[str, float]:
    """c=1 over the first ``sequential`` queries, then c=50 over the next LOAD_REQUESTS."""
    for query in ("help", "kpis"):
        send(query)
    single = []
    statuses = []
    for query in queries[:sequential]:
        status, took = send(query)
        single.append(took * 1e3)
        statuses.append(status)
    latencies, load_statuses, wall = bench_http.concurrent(send, queries[sequential:sequential + LOAD_REQUESTS], CLIENTS)
    load_ms = [t * 1e3 for t in latencies]
    ok = sum(1 for s, t in zip(load_statuses, latencies, strict=True) if s == 200 and t <= LIMIT_S)
    return {"p50": statistics.median(single), "p99": percentile(single, 99), "bad": sum(s != 200 for s in statuses),
            "load_p50": statistics.median(load_ms), "load_p99": percentile(load_ms, 99), "load_max": max(load_ms),
            "load_ok": ok, "rate": LOAD_REQUESTS / wall}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark the Teams bot beside the Slack app.")
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=500, help="sequential requests per platform (default 500)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="rolebot-bench-teams-") as tmp, FakeSlack() as slack, \
            FakeConnector() as connector:
        folder, db = Path(tmp) / "docs", Path(tmp) / "bench.db"
        for command in (["-m", "bench.corpus", str(folder), str(args.docs), "--seed", str(args.seed)],
                        ["-m", "bot", "index", "--docs", str(folder), "--db", str(db)]):
            subprocess.run([sys.executable, *command], check=True, capture_output=True, cwd=PROJECT)
        settings = load_settings(env={"SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": bench_http.SECRET,
                                      "SLACK_API_URL": slack.api_url, "ROLEBOT_DB": str(db)})
        store = open_store(db)
        ctx = AppContext.build(settings, store)
        warm_up(ctx)
        summaries = ctx.index.list_roles()
        titles = sorted({s.title for s in summaries})
        aliases = sorted({a for s in summaries for a in s.aliases if len(a) >= 3})
        queries = [e[1] for e in make_queries(titles, aliases, args.requests + LOAD_REQUESTS, rng)]

        slack_server = create_server(create_app(settings, store, ctx=ctx), host="127.0.0.1", port=0, ctx=ctx, threads=16)
        stop_slack = start_in_thread(slack_server)
        slack_url, response_url = server_url(slack_server) + EVENTS_PATH, slack.response_url("bench")
        # The outbound token is signed once, as MSAL caches the real one (signing per reply is not rolebot's work).
        outbound = connector.token("https://api.botframework.com")
        options = {"cloud": connector.cloud(), "token": lambda scope, tenant=None: outbound}
        config = TeamsConfig(client_id=APP_ID, tenant_id=None)
        teams = TeamsServer(lambda adapter: build_app(ctx, config, http_server_adapter=adapter, **options),
                            host="127.0.0.1", port=0).start()
        try:
            slack_figures = measure(lambda q: bench_http._send(slack_url, q, response_url), queries, args.requests)
            teams_figures = measure(teams_sender(f"http://127.0.0.1:{teams.port}{MESSAGING_ENDPOINT}", connector),
                                    queries, args.requests)
        finally:
            teams.stop()
            stop_slack()
        replies = len(connector.activities())

    def row(name: str, f: dict[str, float]) -> str:
        return (f"{name:<6} c=1: p50 {f['p50']:6.1f} ms  p99 {f['p99']:6.1f} ms  (non-200: {f['bad']:.0f})   "
                f"c=50: p50 {f['load_p50']:6.0f} ms  p99 {f['load_p99']:6.0f} ms  max {f['load_max']:6.0f} ms  "
                f"{f['load_ok']:.0f}/{LOAD_REQUESTS} within {LIMIT_S:.0f} s  {f['rate']:.0f} req/s")

    print(f"rolebot Teams vs Slack round trip (seed {args.seed}, {args.docs} documents, {len(titles)} roles, "
          f"{args.requests} sequential + {LOAD_REQUESTS} from {CLIENTS} clients each)")
    print(row("Slack", slack_figures))
    print(row("Teams", teams_figures))
    print(f"Teams replies recorded by the fake connector: {replies}")
    ok = teams_figures["load_ok"] == LOAD_REQUESTS and teams_figures["bad"] == 0
    print("all Teams requests answered within 3 s" if ok else "A TEAMS TARGET WAS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
