"""The real Teams bot (Teams SDK App under uvicorn) on loopback, and Activity JSON as Teams sends it.

Requests carry a connector JWT signed with the fake connector's key; the SDK validates it against the
OpenID metadata and keys the fake serves (its ``cloud`` option points there). Replies and proactive
messages land in the :class:`~tests.fakes.bot_connector.FakeConnector`, the ``serviceUrl``.
"""

from __future__ import annotations

import itertools
import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.bot_connector import FakeConnector
from tests.handlers.teams.cards import assert_valid_card, texts_of  # noqa: F401 (re-exported for the e2e tests)

APP_ID = "00000000-0000-4000-8000-00000000a99d"
TENANT = "11111111-2222-4333-8444-555555555555"
BOT = f"28:{APP_ID}"
MANAGER, HIRE, OTHER = "29:manager-mia", "29:hire-hugo", "29:other-olga"
NAMES = {MANAGER: "Mia Manager", HIRE: "Hugo Hire", OTHER: "Olga Other"}


def _post(url: str, body: dict[str, Any], headers: dict[str, str]) -> tuple[int, Any]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json", **headers})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            raw = response.read()
            return response.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as exc:
        raw = exc.read()
        return exc.code, json.loads(raw) if raw else None


@dataclass
class TeamsHarness:
    url: str
    connector: FakeConnector
    ctx: Any
    server: Any
    sender: Any
    _ids: Any = field(default_factory=lambda: itertools.count(1))

    # -- activities as Teams sends them -----------------------------------------------------------
    def personal_conversation(self, user: str) -> str:
        return f"a:personal-{user.split(':')[1]}"

    def activity(self, kind: str, user: str = HIRE, *, scope: str = "personal", tz: str | None = "Europe/Berlin",
                 **fields: Any) -> dict[str, Any]:
        number = next(self._ids)
        if scope == "personal":
            conversation = {"conversationType": "personal", "tenantId": TENANT, "id": self.personal_conversation(user)}
            channel_data: dict[str, Any] = {"tenant": {"id": TENANT}}
        elif scope == "channel":
            conversation = {"isGroup": True, "conversationType": "channel", "tenantId": TENANT,
                            "id": "19:general@thread.tacv2;messageid=1700000000000", "name": "General"}
            channel_data = {"teamsChannelId": "19:general@thread.tacv2", "teamsTeamId": "19:team@thread.tacv2",
                            "channel": {"id": "19:general@thread.tacv2"}, "team": {"id": "19:team@thread.tacv2"},
                            "tenant": {"id": TENANT}}
        else:
            conversation = {"isGroup": True, "conversationType": "groupChat", "tenantId": TENANT,
                            "id": "19:group-chat@thread.v2"}
            channel_data = {"tenant": {"id": TENANT}}
        activity = {
            "type": kind, "id": f"1700000000{number:03d}", "timestamp": "2026-03-02T08:00:00.000Z",
            "serviceUrl": self.connector.url, "channelId": "msteams",
            "from": {"id": user, "name": NAMES.get(user, "Someone"), "aadObjectId": "aad-" + user.split(":")[1]},
            "conversation": conversation, "recipient": {"id": BOT, "name": "rolebot"},
            "channelData": channel_data, "locale": "en-US",
        }
        if tz:
            activity["localTimezone"] = tz
            activity["localTimestamp"] = "2026-03-02T09:00:00.000+01:00"
        activity.update(fields)
        return activity

    def message(self, text: str, user: str = HIRE, *, scope: str = "personal", mention_bot: bool | None = None,
                mentions: tuple[str, ...] = (), **fields: Any) -> dict[str, Any]:
        """A message; in a channel or group chat it starts with the bot's @mention (as Teams requires)."""
        entities: list[dict[str, Any]] = [{"type": "clientInfo", "locale": "en-US", "platform": "Web"}]
        if mention_bot if mention_bot is not None else scope != "personal":
            text = f"<at>rolebot</at> {text}"
            entities.append({"type": "mention", "text": "<at>rolebot</at>", "mentioned": {"id": BOT, "name": "rolebot"}})
        for person in mentions:
            tag = f"<at>{NAMES[person]}</at>"
            text = text.replace(f"@{person}", tag)
            entities.append({"type": "mention", "text": tag, "mentioned": {"id": person, "name": NAMES[person]}})
        return self.activity("message", user, scope=scope, text=text, textFormat="plain", entities=entities, **fields)

    def invoke(self, data: dict[str, Any], user: str = HIRE, reply_to: str | None = None) -> dict[str, Any]:
        """An ``adaptiveCard/action`` invoke: an Action.Execute click on a card."""
        value = {"action": {"type": "Action.Execute", "verb": data.get("rolebot", ""), "data": data}, "trigger": "manual"}
        return self.activity("invoke", user, name="adaptiveCard/action", value=value, replyToId=reply_to or "activity-1")

    # -- sending ------------------------------------------------------------------------------------
    def send(self, activity: dict[str, Any], token: str | None = "valid") -> tuple[int, Any]:
        """POST the activity to /api/messages with a connector token (``None``: no Authorization header)."""
        headers = {}
        if token == "valid":
            token = self.connector.token(APP_ID)
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        return _post(self.url, activity, headers)

    def cards_to(self, conversation: str) -> list[dict[str, Any]]:
        return [p.card() for p in self.connector.activities(conversation) if p.card() is not None]
