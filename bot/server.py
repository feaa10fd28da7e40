"""The production HTTP server: waitress (multi-threaded WSGI) in front of Bolt's WSGI adapter.

Routes: ``POST /slack/events`` (commands, interactivity, events; :mod:`bot.gate` verifies each one
before Bolt sees it) and ``GET /healthz``. Bolt's own ``app.start()`` is a development server that does
not hold the load target, hence waitress, configured to hold hostile traffic: ``poll()`` instead of
``select()`` (which fails past 1,024 descriptors), a connection limit well above that, an idle timeout,
and a 503 (cheap, at once) when more requests wait than the workers can answer within Slack's 3 s.
"""

from __future__ import annotations

import errno
import json
import logging
import secrets
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from bot.gate import GateSettings, Rejected, RequestGate, WsgiApp, parse_body
from core.errors import ConfigError

if TYPE_CHECKING:
    from slack_bolt import App

    from bot.replay import ReplayGuard
    from handlers.context import AppContext

logger = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
#: Worker threads of waitress. A ``/role`` answer is CPU work done in the request thread (a few ms) and
#: listeners run in their own pool (``bot.app.LISTENER_THREADS``), so more request threads only fight
#: over the GIL: at 50 concurrent clients on 1,000 roles (bench_http --sustained) 16 threads gave p99
#: 1.6 s and a 3.3 s maximum, 4 threads p99 0.47 s and 0.52 s, with the same throughput. Of the 4, one
#: serves while it keeps up and three are spares for when it is stuck (:mod:`bot.dispatch`); ``/role``
#: questions and health checks do not reach them: the loop thread serves those itself.
THREADS = 4
#: Largest request body accepted. Slack's payloads are kilobytes; the body is read (and Bolt decodes it
#: in memory) before its signature can be checked, so waitress's 1 GB default let anyone exhaust memory.
MAX_BODY_BYTES = 4 * 1024 * 1024
#: Open connections at most; beyond it waitress stops accepting (they wait in the kernel's backlog).
CONNECTION_LIMIT = 4096
#: An idle connection (no complete request) is closed after this many seconds.
IDLE_SECONDS = 10
#: Requests queued for a worker beyond this many are answered 503 at once: at a few ms per answer they
#: could not be answered within Slack's 3 s anyway, and failing fast keeps the process and the tail sound.
MAX_QUEUED = 200


def wsgi_app(app: App, ctx: AppContext | None = None, replays: ReplayGuard | None = None,
             on_wait: Callable[[], None] | None = None, waits: Callable[[dict[str, Any]], bool] | None = None) -> WsgiApp:
    """A WSGI application: ``POST /slack/events`` through the gate to Bolt, ``GET /healthz``, else 404.

    ``on_wait`` is called in the request thread of each request that waits for a listener's ack, which
    ``waits(body)`` tells (default: rolebot's listeners, ``handlers.slack.role_command.waits_for_ack``).
    """
    from slack_bolt.adapter.wsgi import SlackRequestHandler

    from core.config import DEFAULT_RESPONSE_URL_PREFIXES

    settings = ctx.settings if ctx is not None else None
    gate = RequestGate(
        SlackRequestHandler(app, path=EVENTS_PATH),
        # Without settings (tests of the server alone) a random secret: no request verifies.
        GateSettings(signing_secret=(settings and settings.slack_signing_secret) or secrets.token_hex(32),
                     response_url_prefixes=settings.response_url_prefixes if settings else DEFAULT_RESPONSE_URL_PREFIXES),
        replays or _replay_guard(ctx),
        waits=waits or _waits_for_ack(), on_wait=on_wait,
    )

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO"), environ.get("REQUEST_METHOD")
        if path == "/healthz" and method in ("GET", "HEAD"):
            return _health(ctx, start_response)
        if path == EVENTS_PATH and method == "POST":
            return gate(environ, start_response)
        return _json(start_response, "404 Not Found", {"ok": False, "error": "not found"})

    return application


def _replay_guard(ctx: AppContext | None) -> ReplayGuard:
    """In the database when several processes may serve it (PostgreSQL, or ``serve --workers`` over
    one SQLite file: a replay may reach another process than the original), else in memory. (``serve
    --workers`` on SQLite passes its processes' shared table instead: :class:`bot.replay.SharedReplayGuard`.)"""
    from bot.replay import DatabaseReplayGuard, MemoryReplayGuard

    if ctx is not None and (ctx.store.dialect.name == "postgresql" or ctx.settings.workers > 1):
        return DatabaseReplayGuard(ctx.store)
    return MemoryReplayGuard()


def _health(ctx: AppContext | None, start_response: Callable[..., Any]) -> list[bytes]:
    """200 with ``ok: true`` while the database is the one opened at start and writable; else 503."""
    if ctx is None:
        return _json(start_response, "200 OK", {"ok": True, "index_ready": True})
    problem = ctx.store.problem()
    if problem:
        return _json(start_response, "503 Service Unavailable", {"ok": False, "index_ready": False, "error": problem})
    return _json(start_response, "200 OK", {"ok": True, "index_ready": ctx.index.is_ready()})


def _json(start_response: Callable[..., Any], status: str, value: dict[str, Any]) -> list[bytes]:
    body = json.dumps(value).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


def with_back_pressure(application: WsgiApp, dispatcher: Any, max_queued: int = MAX_QUEUED) -> WsgiApp:
    """Answer 503 (with Retry-After) while more than ``max_queued`` requests wait for a worker thread."""

    last_warned = [0.0]

    def guarded(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if dispatcher.waiting() > max_queued:
            if time.monotonic() - last_warned[0] >= 1:  # one line a second, not one per refused request
                last_warned[0] = time.monotonic()
                logger.warning("busy: %d requests queued; answering 503 until fewer wait", dispatcher.waiting())
            body = b"busy, retry shortly"
            start_response("503 Service Unavailable", [("Content-Type", "text/plain"), ("Retry-After", "1"),
                                                       ("Content-Length", str(len(body)))])
            return [body]
        return application(environ, start_response)

    return guarded


class PortInUse(ConfigError):
    """The port to listen on is taken (the message names it); the CLI prints it and exits 2."""


def check_port_free(host: str, port: int) -> None:
    """Raise :class:`PortInUse` if ``host:port`` cannot be bound, before anything talks to Slack."""
    if port == 0:
        return
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as probe:
        # As waitress binds: SO_REUSEADDR, so a port in TIME_WAIT after a restart is not "in use".
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise PortInUse(_in_use(host, port)) from None
            raise


def _in_use(host: str, port: int) -> str:
    return f"port {port} on {host} is already in use (another rolebot or server?); choose another with --port or PORT"


def create_server(app: App, host: str = "0.0.0.0", port: int = 3000, ctx: AppContext | None = None,
                  threads: int = THREADS, replays: ReplayGuard | None = None, sock: socket.socket | None = None,
                  waits: Callable[[dict[str, Any]], bool] | None = None) -> Any:
    """A waitress server for the app, bound but not yet serving (call ``.run()``; port 0 picks one).
    With ``sock`` (a listening socket another process bound: ``serve --workers``) it accepts there
    instead of binding ``host:port``. ``waits(body)``: whether the app's request thread waits on that
    request rather than works (see :func:`wsgi_app`; an app other than rolebot's says so of its own).

    Raises :class:`PortInUse` when the port is taken.
    """
    import waitress

    from bot.dispatch import InlineLoop, SpareThreadDispatcher

    where: dict[str, Any] = {"sockets": [sock]} if sock is not None else {"host": host, "port": port}
    waits = waits or _waits_for_ack()
    dispatcher = SpareThreadDispatcher(quick=quick_request(waits))
    application = wsgi_app(app, ctx, replays, on_wait=dispatcher.release_first, waits=waits)
    try:
        server = waitress.create_server(
            application, _dispatcher=dispatcher, **where, threads=threads, ident="rolebot", backlog=1024,
            connection_limit=CONNECTION_LIMIT, channel_timeout=IDLE_SECONDS, cleanup_interval=IDLE_SECONDS,
            asyncore_use_poll=True, max_request_body_size=MAX_BODY_BYTES,
        )
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise PortInUse(_in_use(host, port)) from None
        raise
    server.asyncore = InlineLoop(dispatcher)  # quick requests on the loop thread (bot.dispatch)
    server.pull_trigger = _wake_from_elsewhere(server.pull_trigger, dispatcher)
    # (Waitress starts the threads of a dispatcher it makes itself; this one, once the server exists.)
    dispatcher.set_thread_count(threads)
    # Wrapped after creation: the check needs the server's own task queue.
    server.application = with_back_pressure(server.application, server.task_dispatcher)
    return server


def _wake_from_elsewhere(pull_trigger: Callable[[], None], dispatcher: Any) -> Callable[[], None]:
    # A request served on the loop thread wakes the loop when it is done, which is awake already and
    # polls again next: a pipe write, a poll and a read a request, for nothing.
    def pull_unless_on_the_loop() -> None:
        if threading.get_ident() != dispatcher.loop_thread:
            pull_trigger()

    return pull_unless_on_the_loop


def _waits_for_ack() -> Callable[[dict[str, Any]], bool]:
    from handlers.slack.role_command import waits_for_ack

    return waits_for_ack


def quick_request(waits: Callable[[dict[str, Any]], bool]) -> Callable[[Any], bool]:
    """Whether a waitress channel's first request may be served on the loop thread: a health check, or
    an event the app will not wait on (``not waits(body)``; one the gate refuses is quick too). Read
    before the gate checks it, only to choose the thread: the gate still checks everything."""

    def quick(channel: Any) -> bool:
        request = channel.requests[0] if channel.requests else None
        if request is None or request.error is not None:
            return False
        if channel.total_outbufs_len:
            # Output still unsent: waitress may make the serving thread wait for the loop to send it,
            # which the loop itself cannot do (it never happens with answers this size; still).
            return False
        if request.path == "/healthz":
            return request.command in ("GET", "HEAD")
        if request.path != EVENTS_PATH or request.command != "POST":
            return False
        # The body as the app will read it; the stream is put back where it was.
        stream = request.get_body_stream()
        start = stream.tell()
        try:
            body = stream.read()
        finally:
            stream.seek(start)
        try:
            parsed = parse_body(request.headers.get("CONTENT_TYPE", ""), body)
        except Rejected:
            return True
        return not waits(parsed)

    return quick


def server_url(server: Any) -> str:
    """``http://host:port`` of a server made by :func:`create_server`."""
    host, port = server.effective_host, server.effective_port
    return f"http://{host}:{port}"


def start_in_thread(server: Any) -> Callable[[], None]:
    """Serve in a daemon thread (tests, benchmarks); return a function that stops the server."""
    thread = threading.Thread(target=server.run, name="waitress-loop", daemon=True)
    thread.start()

    def stop() -> None:
        _stop_loop(server, deadline=time.monotonic() + 5)
        thread.join(timeout=5)

    return stop


def serve_until_signalled(server: Any, grace_seconds: float, on_shutdown: Callable[[], object] | None = None) -> None:
    """Serve in this (the main) thread until SIGTERM or SIGINT, then drain and return.

    Platforms send SIGTERM on every deploy (and SIGKILL some 30 s later): stop accepting at once, let
    the requests in flight finish for up to ``grace_seconds``, then stop. The caller stops the
    background work and closes the database after this returns. ``on_shutdown`` runs when the signal
    arrives (the leader passes it on to its workers there, so all drain at once).
    """
    draining = threading.Event()

    def on_signal(signum: int, frame: Any) -> None:
        if draining.is_set():
            return
        draining.set()
        logger.info("%s received: shutting down", signal.Signals(signum).name)
        if on_shutdown is not None:
            on_shutdown()
        # The handler runs on the loop's thread between two of its steps: the waiting happens elsewhere.
        threading.Thread(target=drain, args=(server, grace_seconds), name="drain", daemon=True).start()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        server.run()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def drain(server: Any, grace_seconds: float) -> None:
    """Close the listening socket, wait until no request is queued, running or unsent, then stop."""
    from waitress import wasyncore

    deadline = time.monotonic() + grace_seconds
    closed = threading.Event()

    def stop_accepting() -> None:
        wasyncore.dispatcher.close(server)
        closed.set()

    # Closed from inside the loop (trigger thunks run there): the loop owns its socket map.
    server.trigger.pull_trigger(stop_accepting)
    closed.wait(timeout=grace_seconds)
    logger.info("no longer accepting connections; finishing requests in flight (up to %g s)", grace_seconds)
    # (Waited for on the monotonic clock: tests may freeze or move the wall clock.)
    while _busy(server) and time.monotonic() < deadline:
        time.sleep(0.02)
    if _busy(server):
        logger.warning("stopping with requests still in flight after %g s", grace_seconds)
    _stop_loop(server, deadline=max(deadline, time.monotonic() + 1))


def _busy(server: Any) -> bool:
    dispatcher = server.task_dispatcher
    if dispatcher.waiting() or dispatcher.active_count > 0:
        return True
    return any(channel.requests or channel.total_outbufs_len for channel in list(server.active_channels.values()))


def _stop_loop(server: Any, deadline: float) -> None:
    from waitress import wasyncore

    # Workers first: a finishing task wakes the loop through the trigger, which must still be open.
    dispatcher = server.task_dispatcher
    dispatcher.set_thread_count(0)
    while dispatcher.threads and time.monotonic() < deadline:
        time.sleep(0.005)
    dispatcher.shutdown(timeout=0)
    # Then close every channel, the listener and the trigger from inside the loop, which then ends.
    server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))
