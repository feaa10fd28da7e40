"""``rolebot serve`` as a process of its own for the HTTP benchmarks: started against the tests' fake Slack
Web API, and returned once it listens and has indexed its docs (it indexes in the background after it
starts listening, and a benchmark must not time 'not ready' answers)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from pathlib import Path

from bench.bench_ask import PROJECT
from tests.fakes.slack_api import FakeSlack
from tests.processes import children, stat_fields


def start_serve(slack: FakeSlack, db: Path, secret: str, *, docs: Path | None = None,
                args: tuple[str, ...] = ()) -> tuple[subprocess.Popen, str]:
    """Start ``rolebot serve`` on a free loopback port; return the process and its /slack/events URL."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "ROLEBOT_"))}
    env.update(SLACK_BOT_TOKEN="xoxb-bench", SLACK_SIGNING_SECRET=secret, SLACK_API_URL=slack.api_url,
               ROLEBOT_DB=str(db), SLACK_RESPONSE_URL_PREFIXES=slack.response_url(""))
    if docs is not None:
        env["ROLEBOT_DOCS"] = str(docs)
    proc = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", "0", *args],
                            cwd=PROJECT, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    url = None
    for line in proc.stderr:  # type: ignore[union-attr]
        if match := re.search(r"serving Slack requests at (http://\S+?/slack/events)", line):
            url = match.group(1)
        elif url and "role index ready" in line:
            # Keep reading stderr so the server never blocks on a full pipe.
            threading.Thread(target=proc.stderr.read, daemon=True).start()  # type: ignore[union-attr]
            return proc, url
    raise SystemExit(f"rolebot serve did not start (exit {proc.wait()})")


def server_pids(proc: subprocess.Popen) -> list[int]:
    """``proc`` and the processes it started (``serve --workers``' workers, the minimal app's copies)."""
    return [proc.pid, *children(proc.pid)]


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds the processes ``pids`` have used so far (Linux ``/proc``)."""
    ticks = 0
    for pid in pids:
        fields = stat_fields(pid)
        if fields is not None:
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")
