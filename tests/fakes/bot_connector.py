"""A fake Microsoft Bot Connector on loopback, with the Bot Framework's OpenID metadata and signing keys.

What Microsoft's cloud does for a Teams bot, done here so the real Teams SDK server and client run:

- ``/v1/.well-known/openidconfiguration`` and ``/v1/.well-known/keys``: the metadata and JWKS the SDK's
  JWT validator fetches (point it here with :meth:`FakeConnector.cloud`);
- :meth:`token` signs a connector token with the test key, as the Bot Connector signs every request;
- ``/v3/conversations/<id>/activities[/<activity id>]``: the service URL the bot posts and updates
  activities on; every call is recorded, and :meth:`fail` scripts 403/404/429 answers.
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

ISSUER = "https://api.botframework.com"
KEY_ID = "rolebot-test-key"
_ACTIVITY = re.compile(r"^/v3/conversations/(?P<conversation>[^/]+)/activities(?:/(?P<activity>[^/?]+))?")


@dataclass
class Posted:
    """One activity the bot sent (POST) or updated (PUT)."""

    method: str
    conversation: str
    activity_id: str | None
    body: dict[str, Any]
    headers: dict[str, str]

    def card(self) -> dict[str, Any] | None:
        """The Adaptive Card the activity carries, if any."""
        for attachment in self.body.get("attachments") or []:
            if attachment.get("contentType") == "application/vnd.microsoft.card.adaptive":
                return attachment["content"]
        return None


@dataclass
class FakeConnector:
    """Start with ``with FakeConnector() as connector:``; ``connector.url`` is the service URL."""

    posted: list[Posted] = field(default_factory=list)
    _failures: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _count: int = 0

    def __post_init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    # -- scripting -------------------------------------------------------------------------------
    def fail(self, status: int, times: int = 1, retry_after: float | None = None) -> None:
        """Answer the next ``times`` activity posts with ``status`` (and Retry-After)."""
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        with self._lock:
            self._failures += [(status, headers)] * times

    def token(self, app_id: str, *, expires_in: int = 3600, key: Any = None, issuer: str = ISSUER,
              service_url: str | None = None) -> str:
        """A connector token for ``app_id``, signed with the test key (or ``key``: a forged one)."""
        now = int(time.time())
        claims = {"iss": issuer, "aud": app_id, "iat": now - 10, "nbf": now - 10, "exp": now + expires_in,
                  "serviceurl": service_url or self.url}
        return jwt.encode(claims, key or self.key, algorithm="RS256", headers={"kid": KEY_ID})

    def cloud(self) -> Any:
        """The SDK's public cloud with its OpenID metadata (and so its keys) served here."""
        from microsoft_teams.api.auth.cloud_environment import PUBLIC, with_overrides

        return with_overrides(PUBLIC, openid_metadata_url=f"{self.url}/v1/.well-known/openidconfiguration")

    def wait_for(self, count: int = 1, timeout: float = 10.0) -> list[Posted]:
        """Block until ``count`` activities arrived (work done by another thread); polls, never a fixed sleep."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.activities()) >= count:
                return self.activities()
            time.sleep(0.01)
        raise AssertionError(f"expected {count} activities, got {len(self.activities())}")

    def activities(self, conversation: str | None = None) -> list[Posted]:
        with self._lock:
            return [p for p in self.posted if conversation is None or p.conversation == conversation]

    # -- serving ---------------------------------------------------------------------------------
    def _jwks(self) -> dict[str, Any]:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**public, "kid": KEY_ID, "use": "sig", "alg": "RS256", "endorsements": ["msteams"]}]}

    def _activity(self, method: str, path: str, body: dict[str, Any], headers: dict[str, str]) -> tuple[int, dict, dict]:
        match = _ACTIVITY.match(path)
        if not match:
            return 404, {"error": {"code": "NotFound"}}, {}
        with self._lock:
            if self._failures:
                status, extra = self._failures.pop(0)
                return status, {"error": {"code": f"status-{status}", "message": "scripted"}}, extra
            self._count += 1
            activity_id = match["activity"] or f"activity-{self._count}"
            self.posted.append(Posted(method, unquote(match["conversation"]), match["activity"], body, headers))
        return 200, {"id": activity_id}, {}

    def __enter__(self) -> FakeConnector:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _answer(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                if self.path.endswith("/openidconfiguration"):
                    self._answer(200, {"issuer": ISSUER, "jwks_uri": f"{fake.url}/v1/.well-known/keys",
                                       "id_token_signing_alg_values_supported": ["RS256"]})
                elif self.path.endswith("/keys"):
                    self._answer(200, fake._jwks())
                else:
                    self._answer(404, {})

            def _write(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                self._answer(*fake._activity(method, self.path, body, dict(self.headers)))

            def do_POST(self) -> None:  # noqa: N802
                self._write("POST")

            def do_PUT(self) -> None:  # noqa: N802
                self._write("PUT")

        class Server(ThreadingHTTPServer):
            request_queue_size = 256  # 50 concurrent bots' replies must not overflow the listen backlog

        self._server = Server(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._server.shutdown()
        self._server.server_close()
