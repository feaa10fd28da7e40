"""Where to reach a person proactively on a platform that needs more than a user id (Teams).

A Teams bot can message someone only in a conversation it has: the personal chat created when the app
was installed for them (or they first wrote to it). Its id, the service URL of their region and their
tenant are stored here on install and on every personal message, with the display name (to name them in
cards) and the IANA zone their client reports (``localTimezone``). A hire with no address has never had
the app: their journey is blocked until it is installed for them (see ``handlers.teams.sender``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core import rows
from core.store import Store
from jobs.timeutil import to_iso, utcnow


@dataclass(frozen=True)
class Address:
    platform: str
    user_id: str
    conversation_id: str
    service_url: str
    tenant_id: str | None = None
    name: str | None = None
    tz: str | None = None


def save(store: Store, address: Address, now: datetime | None = None) -> bool:
    """Store or refresh ``address``; True when it is new (or its conversation changed): a first contact.

    The insert-or-nothing decides it, so of two concurrent installs exactly one sees the first contact.
    A known name and zone are kept when the new activity carries none.
    """
    values = {**address.__dict__, "now": to_iso(now or utcnow())}
    with store.conn:
        inserted = store.conn.execute(
            """INSERT INTO chat_addresses
                   (platform, user_id, conversation_id, service_url, tenant_id, name, tz, updated_at)
               VALUES (:platform, :user_id, :conversation_id, :service_url, :tenant_id, :name, :tz, :now)
               ON CONFLICT (platform, user_id) DO NOTHING RETURNING 1""",
            values,
        ).fetchone()
        if inserted:
            return True
        moved = store.conn.execute(
            """UPDATE chat_addresses SET conversation_id = :conversation_id
               WHERE platform = :platform AND user_id = :user_id AND conversation_id <> :conversation_id
               RETURNING 1""",
            values,
        ).fetchone()
        store.conn.execute(
            """UPDATE chat_addresses SET service_url = :service_url, tenant_id = COALESCE(:tenant_id, tenant_id),
                   name = COALESCE(:name, name), tz = COALESCE(:tz, tz), updated_at = :now
               WHERE platform = :platform AND user_id = :user_id""",
            values,
        )
    return moved is not None


def get(store: Store, platform: str, user_id: str) -> Address | None:
    """The stored address of ``user_id`` on ``platform``, or None."""
    found = rows.query(store, "SELECT * FROM chat_addresses WHERE platform = ? AND user_id = ?", [platform, user_id])
    return rows.build(Address, found[0]) if found else None


def forget(store: Store, platform: str, user_id: str) -> None:
    """Drop the address (the app was uninstalled for them: the conversation is gone)."""
    with store.conn:
        store.conn.execute("DELETE FROM chat_addresses WHERE platform = ? AND user_id = ?", [platform, user_id])


def display_name(store: Store, platform: str, user_id: str, fallback: str = "a colleague") -> str:
    """The person's display name as the platform last told us, or ``fallback``."""
    address = get(store, platform, user_id)
    return address.name if address and address.name else fallback
