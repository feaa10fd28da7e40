"""Serving the Teams bot: the SDK's FastAPI app under uvicorn on a socket we bind, in its own thread.

Why a thread with its own event loop: ``rolebot serve --teams`` runs the Slack app (waitress, threads)
and Teams (asyncio) in one process with one outbox poller, and the poller's Teams sender submits its
sends to this loop. Why bind the socket here: the port is known (and a port of 0 resolved) before the
server starts, and the host is ours to choose, where the SDK's own ``start`` always listens on 0.0.0.0.
"""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

logger = logging.getLogger(__name__)

#: Activities are a few KB; Teams caps messages at about 28 KB. Anything far larger is not from Teams.
MAX_BODY = 256 * 1024


class JsonObjectBodies:
    """ASGI middleware: a POST whose body is not one JSON object (or is over :data:`MAX_BODY`) gets a
    one-line 400/413 before it reaches the SDK.

    Why: the SDK's FastAPI route parses the body before checking the JWT, so garbage from anyone would
    end in a 500 with a traceback in the log. Valid bodies are passed on unchanged (replayed).
    """

    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope.get("method") != "POST":
            await self.app(scope, receive, send)
            return
        body, more = b"", True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > MAX_BODY:
                await _reject(send, 413, "request body too large")
                return
        try:
            parsed = json.loads(body)
        except ValueError:
            parsed = None
        if not isinstance(parsed, dict):
            logger.warning("rejected a Teams request whose body is not a JSON object (%d bytes)", len(body))
            await _reject(send, 400, "the body must be one JSON object (a Bot Framework activity)")
            return
        replayed = False

        async def replay() -> dict[str, Any]:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


async def _reject(send: Any, status: int, reason: str) -> None:
    data = json.dumps({"error": reason}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode())]})
    await send({"type": "http.response.body", "body": data})


class TeamsServer:
    """A started Teams bot: ``port``, its event ``loop`` and ``app``; :meth:`stop` ends it."""

    def __init__(self, app_factory: Any, host: str = "0.0.0.0", port: int = 3978):
        import uvicorn
        from microsoft_teams.apps.http import FastAPIAdapter

        self.sock = socket.create_server((host, port), reuse_port=False)
        self.port = self.sock.getsockname()[1]
        self._server: uvicorn.Server | None = None

        def server_factory(fastapi: Any) -> uvicorn.Server:
            fastapi.add_middleware(JsonObjectBodies)
            # log_config=None: rolebot's logging set-up (bot.logs) stays in charge of uvicorn's loggers too.
            config = uvicorn.Config(fastapi, host=host, port=self.port, log_config=None, access_log=False,
                                    timeout_graceful_shutdown=10)
            self._server = uvicorn.Server(config)
            return self._server

        self.adapter = FastAPIAdapter(server_factory=server_factory)
        self.app = app_factory(self.adapter)
        self.loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rolebot-teams", daemon=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(self._serve())

    async def _serve(self) -> None:
        await self.app.initialize()
        self._ready.set()
        assert self._server is not None
        await self._server.serve(sockets=[self.sock])

    def start(self, timeout: float = 15.0) -> TeamsServer:
        """Start serving in the background; returns once the app is initialised."""
        self._thread.start()
        if not self._ready.wait(timeout):
            raise RuntimeError("the Teams app did not start")
        logger.info("Teams bot listening on port %d at /api/messages", self.port)
        return self

    def wait(self) -> None:
        """Block until the server stops (Ctrl-C stops it)."""
        try:
            while self._thread.is_alive():
                self._thread.join(0.5)
        except KeyboardInterrupt:
            self.stop()

    def stop(self) -> None:
        """Stop serving (in-flight requests finish) and close the socket."""
        if self._server is not None:
            self._server.should_exit = True
        self._thread.join(15)
        self.sock.close()


@contextmanager
def event_loop_thread() -> Iterator[asyncio.AbstractEventLoop]:
    """An asyncio loop running in a daemon thread for as long as the block lasts (``nudges run-due``
    sends to Teams this way, with no server)."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="rolebot-teams-send", daemon=True)
    thread.start()
    try:
        yield loop
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()


@contextmanager
def standalone_sender(store: Any, config: Any, **options: Any) -> Iterator[Any]:
    """A :class:`handlers.teams.sender.TeamsSender` without a server: an initialised bare App on its own loop."""
    from handlers.teams.app import new_app
    from handlers.teams.sender import TeamsSender

    app = new_app(config, **options)
    with event_loop_thread() as loop:
        asyncio.run_coroutine_threadsafe(app.initialize(), loop).result(30)
        yield TeamsSender(app, store, loop)
