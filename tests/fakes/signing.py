"""Sign requests exactly as Slack does, for tests that post to the real HTTP server."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier


def signed_headers(secret: str, body: str, timestamp: int | None = None, content_type: str = "application/x-www-form-urlencoded") -> dict[str, str]:
    """Headers Slack sends with ``body``: ``v0=`` HMAC-SHA256 over ``v0:{timestamp}:{body}``."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature, "Content-Type": content_type}


def slash_command_body(text: str, user_id: str = "U1", response_url: str = "", command: str = "/role", **extra: str) -> str:
    """A form-encoded slash command payload."""
    fields = {
        "token": "legacy-unused",
        "team_id": "T1",
        "team_domain": "test",
        "channel_id": "C1",
        "channel_name": "general",
        "user_id": user_id,
        "user_name": user_id.lower(),
        "command": command,
        "text": text,
        "response_url": response_url,
        "trigger_id": "1337.42.abcd",
        "api_app_id": "A1",
    }
    fields.update(extra)
    return urlencode(fields)


def interaction_body(payload: dict[str, Any]) -> str:
    """A form-encoded interactivity payload (block_actions, view_submission)."""
    return urlencode({"payload": json.dumps(payload)})


def post(url: str, body: str, headers: dict[str, str], timeout: float = 10.0) -> tuple[int, str]:
    """POST and return (status, text) for any status, 4xx/5xx included."""
    request = urllib.request.Request(url, data=body.encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()
