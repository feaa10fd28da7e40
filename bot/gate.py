"""The gate in front of Bolt: nothing reaches a listener (or makes an outbound call) before it passes.

Every ``POST /slack/events`` is checked here, in this order, before Bolt sees it:

1. signature and timestamp (Slack's ``v0`` HMAC over ``v0:{timestamp}:{body}``, at most 5 minutes
   old); any failure -- a missing header, a timestamp that is not a number, a wrong signature -- is a
   401 and nothing else happens;
2. replay: a verified (timestamp, signature) seen before within the window is a 401 (:mod:`bot.replay`);
3. shape: a body that is not UTF-8, not the JSON or form its content type says, or whose payload lacks
   what every request of its kind carries, is a 400 logged as one line with the request id;
4. ``response_url``: a verified request may only name a response URL on the allow-list
   (``https://hooks.slack.com/`` by default), so the app never posts where a request tells it to.

Bolt checks the signature again (harmless, microseconds); the gate exists because Bolt's check raised
on a non-numeric timestamp and its error path then posted to the attacker's ``response_url``.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import itertools
import json
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from bot.replay import ReplayGuard

logger = logging.getLogger(__name__)

#: Slack refuses requests older than this; so do we (and the replay guard remembers them this long).
MAX_AGE_SECONDS = 300
_request_ids = itertools.count(1)

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class Rejected(Exception):
    """A request refused by the gate: ``status`` and a one-line ``reason`` for the log."""

    def __init__(self, status: str, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class GateSettings:
    """What the gate checks against."""

    signing_secret: str
    response_url_prefixes: tuple[str, ...] = ("https://hooks.slack.com/",)
    clock: Callable[[], float] = time.time


def verify_signature(settings: GateSettings, headers: dict[str, str], body: bytes) -> tuple[str, str]:
    """The request's (timestamp, signature) if they verify; else raise :class:`Rejected` (401)."""
    timestamp = headers.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "")
    signature = headers.get("HTTP_X_SLACK_SIGNATURE", "")
    if not timestamp or not signature:
        raise Rejected("401 Unauthorized", "unsigned request")
    if not (timestamp.isascii() and timestamp.isdigit()):
        raise Rejected("401 Unauthorized", "request timestamp is not a number")
    if abs(settings.clock() - int(timestamp)) > MAX_AGE_SECONDS:
        raise Rejected("401 Unauthorized", "stale request timestamp")
    # By hand rather than slack_sdk's SignatureVerifier: that one decodes the body as UTF-8 first, so a
    # signed body that is not UTF-8 would raise instead of being refused; the HMAC is over raw bytes.
    expected = "v0=" + hmac.new(settings.signing_secret.encode(), b"v0:" + timestamp.encode() + b":" + body,
                                hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace")):
        raise Rejected("401 Unauthorized", "bad signature")
    return timestamp, signature


def parse_body(content_type: str, body: bytes) -> dict[str, Any]:
    """The request as Bolt will read it: a JSON object or a form (with ``payload`` decoded); else 400."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Rejected("400 Bad Request", "body is not UTF-8") from None
    if content_type.startswith("application/json"):
        return _json_object(text, "JSON body")
    form = {key: values[0] for key, values in parse_qs(text, keep_blank_values=True).items()}
    if "payload" in form:
        return _json_object(form["payload"], "payload")
    if form.get("ssl_check"):  # Slack checking the certificate; Bolt answers it
        return form
    if not form.get("command"):
        raise Rejected("400 Bad Request", "form body without command or payload")
    return form


def _json_object(text: str, what: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError:
        raise Rejected("400 Bad Request", f"{what} is not JSON") from None
    if not isinstance(value, dict):
        raise Rejected("400 Bad Request", f"{what} is not a JSON object")
    return value


#: For each request type, the keys whose values must be JSON objects (Bolt and the listeners index them).
_OBJECT_KEYS = {
    "event_callback": ("event",),
    "view_submission": ("view",),
    "view_closed": ("view",),
    "block_actions": (),
    "shortcut": (),
    "message_action": (),
    "block_suggestion": (),
}


def check_shape(body: dict[str, Any]) -> None:
    """Refuse (400) a body missing what every request of its kind carries."""
    if "command" in body or "ssl_check" in body:
        return
    kind = body.get("type")
    if not isinstance(kind, str):
        raise Rejected("400 Bad Request", "payload without a type")
    for key in _OBJECT_KEYS.get(kind, ()):
        value = body.get(key)
        if not isinstance(value, dict) or not isinstance(value.get("type"), str):
            raise Rejected("400 Bad Request", f"{kind} without a {key} object with a type")
    if kind == "block_actions":
        actions = body.get("actions")
        if not isinstance(actions, list) or not all(isinstance(a, dict) for a in actions):
            raise Rejected("400 Bad Request", "block_actions without a list of actions")
    for key in ("user", "team", "container", "channel"):
        if key in body and body[key] is not None and not isinstance(body[key], dict):
            raise Rejected("400 Bad Request", f"{key} is not an object")


def response_urls(body: dict[str, Any]) -> list[Any]:
    """Every response URL a request carries (commands and actions: one; modals: a list)."""
    urls = [body["response_url"]] if body.get("response_url") else []
    listed = body.get("response_urls")
    if isinstance(listed, list):
        urls += [item.get("response_url") for item in listed if isinstance(item, dict)]
    return urls


def check_response_urls(settings: GateSettings, body: dict[str, Any]) -> None:
    """Refuse (400) a response URL off the allow-list: the app would post to it."""
    for url in response_urls(body):
        if not isinstance(url, str) or not url.startswith(settings.response_url_prefixes):
            raise Rejected("400 Bad Request", "response_url is not an allowed Slack URL")


class RequestGate:
    """WSGI middleware: ``POST`` requests are verified and checked before ``app`` runs.

    ``waits(body)`` tells whether the request thread will wait on a request rather than work (Bolt
    waiting for a listener's ``ack()``); for those ``on_wait()`` is called before the app runs (the
    server's thread pool lets another thread take the next request).
    """

    def __init__(self, app: WsgiApp, settings: GateSettings, replays: ReplayGuard,
                 waits: Callable[[dict[str, Any]], bool] | None = None, on_wait: Callable[[], None] | None = None):
        self.app = app
        self.settings = settings
        self.replays = replays
        self.waits = waits
        self.on_wait = on_wait

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        request_id = f"r{next(_request_ids)}"
        environ["rolebot.request_id"] = request_id
        try:
            body = _read_body(environ)
            parsed = self.check(environ, body)
        except Rejected as rejected:
            # One line, no traceback: the client got it wrong (or is probing), we did not.
            logger.warning("refused request %s from %s: %s (%s)", request_id, environ.get("REMOTE_ADDR", "?"),
                           rejected.reason, rejected.status)
            return _plain(start_response, rejected.status, rejected.reason)
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        if self.on_wait is not None and self.waits is not None and self.waits(parsed):
            self.on_wait()
        return self.app(environ, start_response)

    def check(self, environ: dict[str, Any], body: bytes) -> dict[str, Any]:
        """The request's parsed body; raise :class:`Rejected` unless the request may go to Bolt."""
        timestamp, signature = verify_signature(self.settings, environ, body)
        parsed = parse_body(environ.get("CONTENT_TYPE", ""), body)
        check_shape(parsed)
        check_response_urls(self.settings, parsed)
        # Last: only a request that passed everything is remembered, so a refused one costs no memory.
        if not self.replays.first_time(signature, int(timestamp) + MAX_AGE_SECONDS):
            raise Rejected("401 Unauthorized", "replayed request")
        return parsed


def _read_body(environ: dict[str, Any]) -> bytes:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise Rejected("400 Bad Request", "bad Content-Length") from None
    return environ["wsgi.input"].read(length) if length > 0 else b""


def _plain(start_response: Callable[..., Any], status: str, text: str) -> list[bytes]:
    body = text.encode()
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))])
    return [body]
