"""Several processes serving one port: ``rolebot serve --workers N`` (or ``ROLEBOT_WORKERS``).

Answering is CPU work in Python, so one process uses one core however many threads it has. The
process started by ``serve`` is the *leader*: it binds the port, serves requests like the others,
and alone indexes the docs folder and runs the outbox poller (one scheduler per database). It starts
``N - 1`` *workers* (``python -m bot.workers``) that inherit the listening socket and only answer
requests; the kernel hands each new connection to whichever process accepts it first, and
:mod:`bot.balance` keeps the processes' shares of open connections even.

The leader talks to its workers over their stdin, one JSON line per event: ``{"roles": n,
"empty_docs": …}`` when the index is ready, so each warms its engine up (and can say the index is
empty) before users ask. A worker whose stdin closes has lost its leader and shuts down, so none is
left orphaned holding the port. A worker that dies is started again (after a pause that grows while
it keeps dying young). On SIGTERM the leader passes the signal on at once; every process
drains its own requests in flight, and the leader waits for its workers before it stops the poller.

Everything else the processes share goes through the database: the index (each engine notices a new
index generation), follow-up memory and journeys. The replay guard is a table every process maps
(:class:`bot.replay.SharedReplayGuard`, whose file the leader passes on like the connection table),
since a replay may reach another process than the original; on PostgreSQL it stays in the database.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from bot.balance import ABSENT, ConnectionShares, FairAccept, accept_fairly

if TYPE_CHECKING:
    from handlers.context import AppContext

logger = logging.getLogger(__name__)

#: A worker that exits is started again after a pause: this many seconds, doubled for each exit in a
#: row that came within :data:`STABLE_SECONDS` of its start (one that cannot start, e.g. over a broken
#: database, must not spin), up to :data:`MAX_RESTART_DELAY`.
RESTART_DELAY = 0.5
STABLE_SECONDS = 60.0
MAX_RESTART_DELAY = 60.0
#: How often the leader checks on its workers.
WATCH_SECONDS = 0.5


@dataclass
class _Worker:
    """One worker's place in the pool: its process now, and when to start another if it exits."""

    #: 1..N-1: its slot in the connection table (the leader is 0) and its name in the logs.
    number: int
    proc: subprocess.Popen[str] | None = None
    started: float = 0.0
    #: Exits in a row that came within STABLE_SECONDS of a start (each doubles the pause).
    quick_exits: int = 0
    #: When the exited worker is started again (None while it runs).
    restart_at: float | None = None


class WorkerPool:
    """The leader's side: starts, watches, informs and stops the worker processes."""

    def __init__(self, sock: socket.socket, count: int, threads: int, config: str | None = None,
                 log_level: str = "WARNING", replay_fd: int | None = None):
        self._fd = sock.fileno()
        # The table of open connections per process (bot.balance); the leader is slot 0.
        self._shares_file = tempfile.TemporaryFile(prefix="rolebot-shares-")
        self.shares = ConnectionShares.create(self._shares_file.fileno(), count + 1)
        # The replay guard's table, when the leader shares one (bot.replay.SharedReplayGuard).
        self._inherited = (self._fd, self._shares_file.fileno(), *([replay_fd] if replay_fd is not None else []))
        self._command = [sys.executable, "-m", "bot.workers", "--fd", str(self._fd), "--threads", str(threads),
                         "--shares-fd", str(self._shares_file.fileno()),
                         *(["--replay-fd", str(replay_fd)] if replay_fd is not None else []),
                         "--log-level", log_level, *(["--config", config] if config else [])]
        # Every process must know there are several (the connection table has this many slots).
        self._env = {**os.environ, "ROLEBOT_WORKERS": str(count + 1)}
        self._workers = [_Worker(number) for number in range(1, count + 1)]
        self._last_message: str | None = None
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._watcher = threading.Thread(target=self._watch, name="rolebot-workers", daemon=True)

    def start(self) -> None:
        """Start every worker and the thread that restarts them."""
        for worker in self._workers:
            self._spawn(worker)
        self._watcher.start()

    def notify(self, **message: Any) -> None:
        """Tell every worker (and every worker started later) about ``message``."""
        line = json.dumps(message) + "\n"
        with self._lock:
            self._last_message = line
            for proc in self._running():
                _send(proc, line)

    def terminate(self) -> None:
        """Ask every worker to drain and exit (SIGTERM); returns at once."""
        self._stopping.set()
        with self._lock:
            for proc in self._running():
                if proc.poll() is None:
                    proc.send_signal(signal.SIGTERM)

    def wait(self, timeout: float) -> None:
        """Wait up to ``timeout`` seconds for the workers to exit, then kill those left."""
        self.terminate()
        deadline = time.monotonic() + timeout
        for proc in self._running():
            try:
                proc.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                logger.warning("worker (pid %d) still running after %g s: killing it", proc.pid, timeout)
                proc.kill()
                proc.wait()
            if proc.stdin is not None:
                proc.stdin.close()
        self._shares_file.close()

    def leader_accepts_fairly(self, server: Any) -> None:
        """The leader's own server takes part in evening out connections (slot 0)."""
        accept_fairly(server, FairAccept(self.shares, 0))

    def _running(self) -> list[subprocess.Popen[str]]:
        return [worker.proc for worker in self._workers if worker.proc is not None]

    def _spawn(self, worker: _Worker) -> None:
        proc = subprocess.Popen([*self._command, "--slot", str(worker.number)], stdin=subprocess.PIPE, text=True,
                                pass_fds=self._inherited, env=self._env)
        with self._lock:
            worker.proc, worker.started = proc, time.monotonic()
            if self._stopping.is_set():  # started while terminate() ran: it must stop as well
                proc.send_signal(signal.SIGTERM)
            elif self._last_message is not None:
                _send(proc, self._last_message)
        logger.info("worker %d started (pid %d)", worker.number, proc.pid)

    def _watch(self) -> None:
        while not self._stopping.wait(WATCH_SECONDS):
            for worker in self._workers:
                if worker.proc is not None and worker.proc.poll() is not None and not self._stopping.is_set():
                    self._restart_when_due(worker, worker.proc)

    def _restart_when_due(self, worker: _Worker, proc: subprocess.Popen[str]) -> None:
        now = time.monotonic()
        if worker.restart_at is None:
            self.shares.set(worker.number, ABSENT)  # its last count must not hold the others back
            worker.quick_exits = worker.quick_exits + 1 if now - worker.started < STABLE_SECONDS else 0
            delay = min(MAX_RESTART_DELAY, RESTART_DELAY * 2 ** worker.quick_exits)
            worker.restart_at = now + delay
            logger.error("worker %d (pid %d) exited with status %s; starting another in %.1f s",
                         worker.number, proc.pid, proc.returncode, delay)
        if now < worker.restart_at:
            return
        worker.restart_at = None
        try:
            self._spawn(worker)
        except OSError:
            logger.exception("could not start worker %d again", worker.number)


def _send(proc: subprocess.Popen[str], line: str) -> None:
    try:
        assert proc.stdin is not None
        proc.stdin.write(line)
        proc.stdin.flush()
    except (BrokenPipeError, ValueError, OSError):
        pass  # the worker is gone; the watcher starts another, which gets the last message


def follow_leader(ctx: AppContext, stream: IO[str]) -> None:
    """A worker's thread: warm up now if the index is ready, and again on each message from the
    leader; when the leader goes away (end of ``stream``), shut this worker down."""
    if ctx.index.is_ready():
        _warm(ctx)
    for line in stream:
        try:
            message = json.loads(line)
        except ValueError:
            logger.warning("ignoring a malformed message from the leader: %r", line[:100])
            continue
        ctx.empty_docs = message.get("empty_docs")
        _warm(ctx)
    logger.warning("the leader process has gone: shutting this worker down")
    os.kill(os.getpid(), signal.SIGTERM)


def _warm(ctx: AppContext) -> None:
    from bot.app import warm_up

    try:
        warm_up(ctx)
    except Exception:
        logger.exception("warming the engine up failed; the first question will do it")


def run_worker(argv: Sequence[str] | None = None) -> int:
    """A worker process: serve the inherited socket until SIGTERM (or the leader's end)."""
    from bot.app import create_app, make_client, prepare_context
    from bot.logs import setup_logging
    from bot.replay import SharedReplayGuard
    from bot.server import create_server, serve_until_signalled
    from core.config import load_settings

    parser = argparse.ArgumentParser(prog="python -m bot.workers")
    parser.add_argument("--fd", type=int, required=True)
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--shares-fd", type=int)
    parser.add_argument("--replay-fd", type=int)
    parser.add_argument("--slot", type=int, default=1)
    parser.add_argument("--config")
    parser.add_argument("--log-level", default="WARNING")
    args = parser.parse_args(argv)
    setup_logging(args.log_level.upper())
    settings = load_settings(config_path=args.config)
    ctx = prepare_context(settings, index_now=False)
    app = create_app(settings, ctx.store, make_client(settings), ctx=ctx)
    replays = SharedReplayGuard.attach(args.replay_fd) if args.replay_fd is not None else None
    server = create_server(app, ctx=ctx, threads=args.threads, sock=socket.socket(fileno=args.fd), replays=replays)
    fair = None
    if args.shares_fd is not None:
        fair = FairAccept(ConnectionShares.attach(args.shares_fd, settings.workers), args.slot)
        accept_fairly(server, fair)
    threading.Thread(target=follow_leader, args=(ctx, sys.stdin), name="rolebot-leader", daemon=True).start()
    try:
        serve_until_signalled(server, settings.shutdown_seconds, on_shutdown=fair and fair.leave)
    finally:
        if ctx.listener_executor is not None:
            ctx.listener_executor.shutdown(wait=True)
        ctx.store.close()
        ctx.index.store.close()
    return 0


def main() -> int:
    """``python -m bot.workers``: a named error (bad settings, an unusable database) is one line."""
    from core.errors import RolebotError

    try:
        return run_worker()
    except RolebotError as exc:
        print(f"rolebot worker: {exc.reason}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    # Through the imported module, so log lines name ``bot.workers`` rather than ``__main__``.
    from bot.workers import main

    sys.exit(main())
