"""What rolebot needs from one incoming Teams activity, read once from its JSON (camelCase, as sent).

Teams puts the bot's own @mention in the text of channel and group messages (``<at>rolebot</at> role sre
kpis``); :attr:`Turn.text` is the text with every ``<at>…</at>`` removed and entities decoded, and
:attr:`Turn.mentions` lists the other people mentioned (id and name), which is how ``onboard @hire``
names the hire. ``localTimezone`` is the sender's IANA zone when their client reports it.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import available_timezones

from jobs.addresses import Address

_AT = re.compile(r"<at[^>]*>.*?</at>", re.IGNORECASE | re.DOTALL)
_TAGS = re.compile(r"<[^>]+>")
_ZONES = frozenset(available_timezones())


@dataclass(frozen=True)
class Turn:
    user_id: str
    user_name: str | None
    conversation_id: str
    #: 'personal', 'groupChat' or 'channel'.
    conversation_type: str
    service_url: str
    tenant_id: str | None
    bot_id: str
    text: str
    tz: str | None
    value: Any = None
    mentions: list[tuple[str, str]] = field(default_factory=list)
    has_attachments: bool = False
    bot_mentioned: bool = False

    @property
    def personal(self) -> bool:
        return self.conversation_type == "personal"

    def address(self) -> Address:
        """Where this person can be reached proactively (only meaningful in a personal chat)."""
        return Address("teams", self.user_id, self.conversation_id, self.service_url, self.tenant_id,
                       self.user_name, self.tz)


def _clean(text: str) -> str:
    return " ".join(html.unescape(_TAGS.sub(" ", _AT.sub(" ", text))).split())


def read_turn(activity: dict[str, Any]) -> Turn:
    """The :class:`Turn` of an activity dict (``model_dump(by_alias=True)`` or the posted JSON)."""
    sender = activity.get("from") or {}
    conversation = activity.get("conversation") or {}
    recipient = activity.get("recipient") or {}
    bot_id = str(recipient.get("id") or "")
    mentions = []
    bot_mentioned = False
    for entity in activity.get("entities") or []:
        mentioned = (entity or {}).get("mentioned") or {}
        if entity.get("type") != "mention" or not mentioned.get("id"):
            continue
        if mentioned["id"] == bot_id:
            bot_mentioned = True
        else:
            mentions.append((str(mentioned["id"]), str(mentioned.get("name") or "")))
    tz = activity.get("localTimezone")
    tenant = conversation.get("tenantId") or ((activity.get("channelData") or {}).get("tenant") or {}).get("id")
    return Turn(
        user_id=str(sender.get("id") or ""),
        user_name=sender.get("name") or None,
        conversation_id=str(conversation.get("id") or ""),
        conversation_type=str(conversation.get("conversationType") or "personal"),
        service_url=str(activity.get("serviceUrl") or ""),
        tenant_id=tenant,
        bot_id=bot_id,
        text=_clean(str(activity.get("text") or "")),
        tz=tz if isinstance(tz, str) and tz in _ZONES else None,
        value=activity.get("value"),
        mentions=mentions,
        has_attachments=bool(activity.get("attachments")),
        bot_mentioned=bot_mentioned,
    )
