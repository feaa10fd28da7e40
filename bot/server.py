"""The production HTTP server: waitress (multi-threaded WSGI) in front of Bolt's WSGI adapter.

Routes: ``POST /slack/events`` (commands, interactivity, events; Bolt checks the signature and answers
401 to a bad or stale one) and ``GET /healthz``. Bolt's own ``app.start()`` is a development server
that does not hold the load target, hence waitress.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from slack_bolt import App

    from handlers.context import AppContext

logger = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
#: Worker threads of waitress; each holds a request for the few milliseconds an answer takes.
THREADS = 16
#: Largest request body accepted. Slack's payloads are kilobytes; the body is read (and Bolt decodes it
#: in memory) before its signature can be checked, so waitress's 1 GB default let anyone exhaust memory.
MAX_BODY_BYTES = 4 * 1024 * 1024


def wsgi_app(app: App, ctx: AppContext | None = None) -> Callable[..., Iterable[bytes]]:
    """A WSGI application: Bolt at ``/slack/events``, ``GET /healthz`` for load balancers."""
    from slack_bolt.adapter.wsgi import SlackRequestHandler

    slack = SlackRequestHandler(app, path=EVENTS_PATH)

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz" and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            ready = ctx.index.is_ready() if ctx is not None else True
            body = json.dumps({"ok": True, "index_ready": ready}).encode()
            start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
            return [body]
        return slack(environ, start_response)

    return application


def create_server(app: App, host: str = "0.0.0.0", port: int = 3000, ctx: AppContext | None = None,
                  threads: int = THREADS) -> Any:
    """A waitress server for the app, bound but not yet serving (call ``.run()``; port 0 picks one)."""
    import waitress

    return waitress.create_server(
        wsgi_app(app, ctx), host=host, port=port, threads=threads, ident="rolebot",
        # Slack sends small bodies; keep the backlog large enough for bursts of commands.
        backlog=1024, connection_limit=1000, channel_timeout=30, max_request_body_size=MAX_BODY_BYTES,
    )


def server_url(server: Any) -> str:
    """``http://host:port`` of a server made by :func:`create_server`."""
    host, port = server.effective_host, server.effective_port
    return f"http://{host}:{port}"


def start_in_thread(server: Any) -> Callable[[], None]:
    """Serve in a daemon thread (tests, benchmarks); return a function that stops the server."""
    import threading
    import time

    thread = threading.Thread(target=server.run, name="waitress-loop", daemon=True)
    thread.start()

    def stop() -> None:
        # Workers first: a finishing task wakes the loop through the trigger, which must still be open.
        # (Waited for on the monotonic clock: tests may freeze or move the wall clock.)
        dispatcher = server.task_dispatcher
        dispatcher.set_thread_count(0)
        deadline = time.monotonic() + 5
        while dispatcher.threads and time.monotonic() < deadline:
            time.sleep(0.005)
        dispatcher.shutdown(timeout=0)
        # Then close from inside the loop thread: waitress runs trigger thunks there, which wakes it up.
        server.trigger.pull_trigger(server.close)
        thread.join(timeout=5)

    return stop
