"""The Slack app manifest and Procfile agree with what the app serves and calls."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from bot.server import EVENTS_PATH

ROOT = Path(__file__).resolve().parents[2]


def manifest() -> dict:
    return yaml.safe_load((ROOT / "manifest.yml").read_text(encoding="utf-8"))


def test_manifest_declares_the_command_home_and_interactivity():
    data = manifest()
    [command] = data["features"]["slash_commands"]
    assert command["command"] == "/role" and command["usage_hint"]
    assert command["should_escape"] is True, "onboarding reads mentions as <@U…|name>"
    home = data["features"]["app_home"]
    assert home["home_tab_enabled"] and home["messages_tab_enabled"]
    assert data["settings"]["event_subscriptions"]["bot_events"] == ["app_home_opened"]
    assert data["settings"]["interactivity"]["is_enabled"] is True
    assert data["settings"]["socket_mode_enabled"] is False


def test_every_request_url_is_the_events_path_on_a_placeholder_host():
    text = (ROOT / "manifest.yml").read_text(encoding="utf-8")
    urls = re.findall(r"https?://\S+", text.split("display_information:", 1)[1])
    urls = [u for u in urls if "api.slack.com" not in u]
    assert len(urls) == 4
    assert set(urls) == {f"https://YOUR-HOST{EVENTS_PATH}"}


#: Bot scope each Web API method needs (None: no scope). A method missing here fails the test below, so
#: a new call is checked against the manifest when it is added.
SCOPES = {
    "auth.test": None,
    "chat.postMessage": "chat:write",
    "chat.postEphemeral": "chat:write",
    "chat.update": "chat:write",
    "chat.delete": "chat:write",
    "chat.scheduleMessage": "chat:write",
    "conversations.open": "im:write",
    "users.info": "users:read",
    "views.open": None,
    "views.publish": None,
    "views.update": None,
    "views.push": None,
}
_CALL = re.compile(r"client\.(?!api_call)([a-z]+)_([a-zA-Z]+)\(|api_call\(\s*\"([a-z]+\.[a-zA-Z]+)\"")


def test_scopes_cover_the_web_api_methods_the_code_calls():
    scopes = set(manifest()["oauth_config"]["scopes"]["bot"])
    code = "\n".join(p.read_text(encoding="utf-8") for folder in ("handlers", "jobs", "bot") for p in (ROOT / folder).rglob("*.py"))
    methods = {m[2] or f"{m[0]}.{m[1]}" for m in _CALL.findall(code)}
    assert {"chat.postMessage", "views.publish", "users.info"} <= methods
    for method in sorted(methods):
        assert method in SCOPES, f"add {method} and its scope to SCOPES (and manifest.yml if needed)"
        assert SCOPES[method] is None or SCOPES[method] in scopes, f"{method} needs {SCOPES[method]}"
    assert "commands" in scopes


def test_procfile_runs_the_production_server_on_the_platform_port():
    assert (ROOT / "Procfile").read_text(encoding="utf-8").strip() == "web: rolebot serve --port $PORT"
