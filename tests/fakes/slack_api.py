"""A fake Slack Web API on loopback: the one thing the tests fake, at the network boundary.

It records every call (method, JSON/form body, headers) and answers like Slack does. Tests script
special answers per method: an error (``fail("chat.postMessage", "user_not_found")``), rate limiting
(``rate_limit("chat.postMessage", times=2, retry_after=1)``) or canned data (``users["U1"] = {...}``).
It also receives ``response_url`` POSTs under ``/response/<id>``.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs


@dataclass
class Call:
    """One request the fake received."""

    method: str
    body: dict[str, Any]
    headers: dict[str, str]


@dataclass
class FakeSlack:
    """Start with ``with FakeSlack() as slack:``; ``slack.api_url`` goes into SLACK_API_URL."""

    calls: list[Call] = field(default_factory=list)
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    _errors: dict[str, list[str]] = field(default_factory=dict)
    _rate_limits: dict[str, list[int]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _ts: int = 0

    def __enter__(self) -> FakeSlack:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output quiet
                pass

            def do_GET(self) -> None:  # noqa: N802 (http.server's name); slack_sdk GETs users.info
                path, _, query = self.path.partition("?")
                self._reply(path, {k: v[0] for k, v in parse_qs(query).items()})

            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8")
                ctype = self.headers.get("Content-Type", "")
                if "json" in ctype:
                    body = json.loads(raw or "{}")
                else:
                    body = {k: v[0] for k, v in parse_qs(raw).items()}
                self._reply(self.path, body)

            def _reply(self, path: str, body: dict[str, Any]) -> None:
                method = path.rstrip("/").split("/api/")[-1] if "/api/" in path else path
                status, payload, headers = fake._answer(method, body, dict(self.headers))
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        # A short poll interval: shutdown() waits up to one interval, and every test stops a fake.
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def api_url(self) -> str:
        """Base URL for slack_sdk's WebClient (``SLACK_API_URL``)."""
        return f"{self.base_url}/api/"

    def response_url(self, name: str = "r1") -> str:
        """A ``response_url`` that lands in this fake."""
        return f"{self.base_url}/response/{name}"

    # -- scripting --------------------------------------------------------------------------
    def fail(self, method: str, error: str, times: int = 1) -> None:
        """Answer the next ``times`` calls of ``method`` with ``{"ok": false, "error": error}``."""
        self._errors.setdefault(method, []).extend([error] * times)

    def rate_limit(self, method: str, times: int = 1, retry_after: int = 1) -> None:
        """Answer the next ``times`` calls of ``method`` with HTTP 429 and ``Retry-After``."""
        self._rate_limits.setdefault(method, []).extend([retry_after] * times)

    # -- reading ----------------------------------------------------------------------------
    def calls_to(self, method: str) -> list[Call]:
        """Recorded calls of one method (``chat.postMessage``) or response path (``/response/r1``)."""
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Block until ``count`` calls of ``method`` arrived (for work done after ack); return them.

        Polls the recorded calls, so a test never sleeps a fixed time.
        """
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            calls = self.calls_to(method)
            if len(calls) >= count:
                return calls
            time.sleep(0.01)
        raise AssertionError(f"expected {count} call(s) to {method}, got {len(self.calls_to(method))}")

    # -- answering --------------------------------------------------------------------------
    def _answer(self, method: str, body: dict[str, Any], headers: dict[str, str]) -> tuple[int, dict, dict]:
        with self._lock:
            self.calls.append(Call(method, body, headers))
            if self._rate_limits.get(method):
                retry_after = self._rate_limits[method].pop(0)
                return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(retry_after)}
            if self._errors.get(method):
                return 200, {"ok": False, "error": self._errors[method].pop(0)}, {}
            self._ts += 1
            ts = f"{1700000000 + self._ts}.{self._ts:06d}"
        if method.startswith("/response/"):
            return 200, {"ok": True}, {}
        if method == "auth.test":
            return 200, {"ok": True, "user_id": "UBOT", "bot_id": "BBOT", "team_id": "T1", "team": "Test"}, {}
        if method == "users.info":
            user = self.users.get(body.get("user", ""))
            if user is None:
                return 200, {"ok": False, "error": "user_not_found"}, {}
            return 200, {"ok": True, "user": {"id": body["user"], **user}}, {}
        if method in ("chat.postMessage", "chat.update", "chat.postEphemeral"):
            channel = body.get("channel", "")
            channel = "D" + channel[1:] if channel.startswith("U") else channel
            return 200, {"ok": True, "channel": channel, "ts": body.get("ts") or ts, "message": body}, {}
        if method in ("views.open", "views.publish", "views.update", "views.push"):
            return 200, {"ok": True, "view": {"id": f"V{self._ts}", **(body.get("view") or {})}}, {}
        if method == "conversations.open":
            return 200, {"ok": True, "channel": {"id": "D" + str(body.get("users", "X"))[1:]}}, {}
        return 200, {"ok": True}, {}
