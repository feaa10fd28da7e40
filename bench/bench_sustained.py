"""Sustained HTTP load (issue 11): rolebot and a minimal Bolt app on the same server, side by side.

Run from the project folder (``bench_http --sustained`` runs the same)::

    .venv/bin/python -m bench.bench_sustained [--docs 1000] [--seconds 10] [--threads N] [--workers N]

Generates and indexes the ``bench.corpus`` corpus (child processes), then for each of two apps --
rolebot over that index, and a minimal Bolt app whose ``/role`` acks a fixed text -- starts a server
process (``bot.server.create_server``: the same waitress settings, the same verification gate; with
``--workers N``, N processes on one socket for each app), and
drives it with closed-loop clients for ``--seconds`` at concurrency 1 and 50: each client sends a signed
``/role`` command, waits for the whole response, sends the next. The clients run in this process, on
keep-alive connections driven by one ``selectors`` loop (``bench.load_client``: a thread per client timed its
own waits for the GIL, and asyncio streams took more of the cores); the server runs alone in its own. Prints
p50/p99/max latency, requests over 3 s, throughput and the CPU a request cost the server and the
clients for each, and rolebot's throughput as a share of the minimal app's.

Targets (issue 11): at c=50, rolebot p99 <= 100 ms, none over 3 s, throughput >= 25% of the minimal
app's. Exits 1 when one is missed. A script, never a timed test.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from bench import corpus
from bench.bench_ask import PROJECT, make_queries
from bench.load_client import run_load
from bench.serve_process import cpu_seconds, server_pids, start_serve
from bench.table import percentile, print_table
from tests.fakes.signing import signed_headers, slash_command_body
from tests.fakes.slack_api import FakeSlack

SECRET = "bench-sustained-secret"
CONCURRENCY = (1, 50)
P99_TARGET_MS = 100.0
SHARE_TARGET = 0.25
SLACK_LIMIT_S = 3.0
#: Numbers every request of the run (all apps, all runs), so no two bodies are alike.
_REQUEST_IDS = itertools.count()
#: Stand-ins for the user and trigger id in an encoded body (form encoding leaves them as they are).
_USER_MARK, _TRIGGER_MARK = "UXXUSERXX", "XXTRIGGERXX"


@dataclass
class Run:
    """What one app did at one concurrency."""

    app: str
    clients: int
    latencies_ms: list[float]
    errors: int
    seconds: float
    #: CPU seconds the server's processes used during the run.
    server_cpu: float = float("nan")
    #: CPU seconds the load's clients (this process) used during the run.
    client_cpu: float = float("nan")

    @property
    def rate(self) -> float:
        return len(self.latencies_ms) / self.seconds

    def row(self) -> tuple[str, ...]:
        lat = self.latencies_ms or [float("nan")]
        over = sum(1 for ms in lat if ms > SLACK_LIMIT_S * 1e3)
        return (self.app, f"c={self.clients}", f"{self.rate:,.0f} req/s", f"p50 {statistics.median(lat):.1f} ms",
                f"p99 {percentile(lat, 99):.1f} ms", f"max {max(lat):.0f} ms", f"over 3 s: {over}",
                f"errors: {self.errors}", f"{len(lat):,} requests", f"server CPU {self.cpu_per_request_ms:.2f} ms/request",
                f"client CPU {self.client_cpu / max(1, len(lat) + self.errors) * 1e3:.2f} ms/request")

    @property
    def cpu_per_request_ms(self) -> float:
        return self.server_cpu / max(1, len(self.latencies_ms) + self.errors) * 1e3


def serve_minimal(port_file: str | None, threads: int, api_url: str, workers: int = 1, fd: int | None = None,
                  shares_fd: int | None = None, slot: int = 0) -> None:
    """Child process: a minimal Bolt app (``/role`` acks a fixed text) behind ``create_server``; with
    ``workers`` > 1 it starts that many processes in all on its socket, sharing out the connections as
    ``rolebot serve --workers`` does (given ``fd``, it is copy ``slot`` of them: it serves that inherited
    socket and says "ready" on stdout once it accepts)."""
    from slack_bolt import App
    from slack_sdk import WebClient

    from bot.balance import ConnectionShares, FairAccept, accept_fairly
    from bot.server import create_server, server_url
    from core.config import load_settings
    from core.store import open_store
    from handlers.context import AppContext

    settings = load_settings(env={"SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": SECRET,
                                  "SLACK_RESPONSE_URL_PREFIXES": "http://127.0.0.1"})
    # (Its one auth.test, on the first request, goes to the fake Slack, as rolebot's does.)
    app = App(signing_secret=SECRET, client=WebClient(token="xoxb-bench", base_url=api_url),
              token_verification_enabled=False)

    @app.command("/role")
    def role(ack):  # noqa: ANN001 (Bolt injects by name)
        ack("ok")

    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryFile() as shares_file:
        ctx = AppContext.build(settings, open_store(Path(tmp) / "minimal.db"))
        where = {"sock": socket.socket(fileno=fd)} if fd is not None else {"host": "127.0.0.1", "port": 0}
        # Every request of this app waits in the request thread for the listener's ack (Bolt polls
        # for it every 10 ms): the server is told so, as rolebot's gate tells it of its own listeners.
        server = create_server(app, ctx=ctx, threads=threads, waits=lambda body: True, **where)
        if fd is not None:
            if shares_fd is not None:
                accept_fairly(server, FairAccept(ConnectionShares.attach(shares_fd, workers), slot))
            print("ready", flush=True)
        elif workers > 1:
            shares = ConnectionShares.create(shares_file.fileno(), workers)
            accept_fairly(server, FairAccept(shares, 0))
            listening = server.socket.fileno()
            copies = [subprocess.Popen(
                [sys.executable, "-m", "bench.bench_sustained", "--serve-minimal-fd", str(listening),
                 "--shares-fd", str(shares_file.fileno()), "--slot", str(slot), "--workers", str(workers),
                 "--api-url", api_url, "--threads", str(threads)],
                pass_fds=(listening, shares_file.fileno()), cwd=PROJECT, stdout=subprocess.PIPE, text=True,
                stderr=subprocess.DEVNULL) for slot in range(1, workers)]
            for copy in copies:  # connections made before a copy accepts would all stay with this one
                copy.stdout.readline()  # type: ignore[union-attr]
        if port_file is not None:
            Path(port_file).write_text(server_url(server))
        server.run()


def start_minimal(slack: FakeSlack, threads: int, tmp: Path, workers: int) -> tuple[subprocess.Popen, str]:
    port_file = tmp / "minimal.url"
    # A session of its own: stopping it stops the processes it started too (see _stop).
    proc = subprocess.Popen([sys.executable, "-m", "bench.bench_sustained", "--serve-minimal", str(port_file),
                             "--api-url", slack.api_url, "--threads", str(threads), "--workers", str(workers)],
                            cwd=PROJECT, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 60
    while not (port_file.exists() and port_file.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    return proc, port_file.read_text()


def _stop(proc: subprocess.Popen) -> None:
    """Stop a server process; the minimal app's (a session leader) with every process it started."""
    if os.getsid(proc.pid) == proc.pid:
        os.killpg(proc.pid, signal.SIGTERM)
    else:
        proc.terminate()  # rolebot serve stops its own workers
    proc.wait(timeout=60)


def drive(url: str, queries: list[str], clients: int, seconds: float, response_url: str, app: str,
          pids: Sequence[int] = ()) -> Run:
    """Closed-loop clients for ``seconds`` against the server at ``url`` (its path is not used: every
    request goes to /slack/events); each client on its own keep-alive connection, all of them on one
    loop in this process (``bench.load_client``)."""
    # Each question's form body is encoded once, with markers for the user and trigger id put in per
    # request: encoding it anew was half of the load's own CPU, which the server's cores pay for.
    templates: dict[str, str] = {}

    def make_request(client: int, n: int) -> tuple[bytes, dict[str, str]]:
        # Each client is a user of its own, as concurrent askers are (each has their own follow-up
        # context), and every request has a fresh trigger_id, as Slack sends: identical bodies are
        # refused as replays.
        number = next(_REQUEST_IDS)
        query = queries[number % len(queries)]
        template = templates.get(query)
        if template is None:
            template = templates[query] = slash_command_body(query, user_id=_USER_MARK, response_url=response_url,
                                                             trigger_id=_TRIGGER_MARK)
        body = template.replace(_USER_MARK, f"U{client + 1:04d}").replace(_TRIGGER_MARK, f"{number}.1.bench")
        return body.encode(), signed_headers(SECRET, body)

    cpu_before, client_cpu_before = cpu_seconds(list(pids)), time.process_time()
    result = run_load(urlsplit(url).hostname or "127.0.0.1", int(urlsplit(url).port or 80), "/slack/events",
                      make_request, clients, seconds)
    return Run(app, clients, result.latencies_ms, result.errors, result.seconds,
               cpu_seconds(list(pids)) - cpu_before, time.process_time() - client_cpu_before)


def engine_cpu_ms(db: Path, queries: list[str], clients: int, count: int = 2000) -> float:
    """CPU ms per question of rolebot's answering alone, in this process: the same questions from
    ``clients`` askers through ``ask_question`` and the follow-up memory (what ``/role`` does before it
    renders), after the same warm-up as ``serve``; what the server spends above it is its overhead."""
    from bot.app import warm_up
    from core.config import load_settings
    from core.store import open_store
    from handlers.context import AppContext
    from roles.answer.asking import Asker, ask_question, remember_shown

    ctx = AppContext.build(load_settings(env={}), open_store(":memory:"), index_store=open_store(db))
    warm_up(ctx)
    started = time.process_time()
    for n in range(count):
        asker = Asker(f"U{n % clients + 1:04d}", "C1")
        asked = ask_question(ctx.engine, ctx.memory, queries[n % len(queries)], 0, asker)
        if asked.kind == "answer":
            remember_shown(ctx.memory, asker, asked.answer, asked.page)
    return (time.process_time() - started) / count * 1e3


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Sustained load: rolebot beside a minimal Bolt app.")
    parser.add_argument("--docs", type=int, default=1000, help="generated documents (default 1000)")
    parser.add_argument("--seconds", type=float, default=10.0, help="seconds per run (default 10)")
    parser.add_argument("--threads", type=int, default=None, help="waitress threads (default: rolebot's)")
    parser.add_argument("--workers", type=int, default=1, help="rolebot serve --workers (default 1)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--serve-minimal", metavar="URL_FILE", help=argparse.SUPPRESS)
    parser.add_argument("--serve-minimal-fd", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--api-url", help=argparse.SUPPRESS)
    parser.add_argument("--shares-fd", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--slot", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    from bot.server import THREADS

    threads = args.threads or THREADS
    if args.serve_minimal or args.serve_minimal_fd is not None:
        serve_minimal(args.serve_minimal, threads, args.api_url, args.workers, args.serve_minimal_fd,
                      args.shares_fd, args.slot)
        return 0
    runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="rolebot-bench-sustained-") as tmp_name, FakeSlack() as slack:
        tmp = Path(tmp_name)
        folder, db = tmp / "docs", tmp / "bench.db"
        for command in (["-m", "bench.corpus", str(folder), str(args.docs), "--seed", str(args.seed)],
                        ["-m", "bot", "index", "--docs", str(folder), "--db", str(db)]):
            subprocess.run([sys.executable, *command], check=True, capture_output=True, cwd=PROJECT)
        from core.store import open_store
        from roles.index.library import RoleIndex

        index_store = open_store(db)
        summaries = RoleIndex(index_store).list_roles()
        index_store.close()
        titles = sorted({s.title for s in summaries})
        aliases = sorted({a for s in summaries for a in s.aliases if len(a) >= 3})
        # The question mix of bench_ask.
        queries = [entry[1] for entry in make_queries(titles, aliases, 2000, random.Random(args.seed))]
        for name, start in (("rolebot", lambda: start_serve(slack, db, SECRET, docs=db.parent / "docs", args=("--threads", str(threads), "--workers", str(args.workers)))),
                            ("minimal Bolt", lambda: start_minimal(slack, threads, tmp, args.workers))):
            proc, url = start()
            try:
                drive(url, queries, 4, 1.0, slack.response_url("warm"), name)  # connections, caches
                pids = server_pids(proc)
                for clients in CONCURRENCY:
                    runs.append(drive(url, queries, clients, args.seconds, slack.response_url("bench"), name, pids))
            finally:
                _stop(proc)
        engine = {clients: engine_cpu_ms(db, queries, clients) for clients in CONCURRENCY}
    print_table(f"rolebot sustained HTTP benchmark ({args.docs} documents, seed {args.seed}, {corpus.__name__}; "
                f"{args.workers} serving process(es) of waitress {threads} threads each; {args.seconds:.0f} s per run; closed-loop keep-alive clients on one selectors loop; "
                f"load average {os.getloadavg()[0]:.1f})", [run.row() for run in runs])
    ok = True
    for clients in CONCURRENCY:
        ours = next(r for r in runs if r.app == "rolebot" and r.clients == clients)
        theirs = next(r for r in runs if r.app != "rolebot" and r.clients == clients)
        share = ours.rate / theirs.rate if theirs.rate else float("nan")
        print(f"c={clients}: rolebot throughput {share:.0%} of the minimal Bolt app's; "
              f"p99 {percentile(ours.latencies_ms, 99) / percentile(theirs.latencies_ms, 99):.1f}x its p99; "
              f"server CPU {ours.cpu_per_request_ms:.2f} ms a request, answering alone {engine[clients]:.2f} ms "
              f"(in this process): overhead {ours.cpu_per_request_ms - engine[clients]:.2f} ms")
        if clients == max(CONCURRENCY):
            over = sum(1 for ms in ours.latencies_ms if ms > SLACK_LIMIT_S * 1e3)
            ok = (percentile(ours.latencies_ms, 99) <= P99_TARGET_MS and over == 0 and share >= SHARE_TARGET
                  and ours.errors == 0)
    print("all targets met" if ok else "A TARGET WAS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
