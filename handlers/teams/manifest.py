"""The Teams app package: ``manifest.json`` (schema 1.19) and the two icons, zipped for upload.

The icons are drawn here: a person badge (head and shoulders), white on rolebot's accent colour at
192×192 for ``color.png``, and as a white outline on transparency at 32×32 for ``outline.png``, as Teams
requires. Why a hand-written PNG encoder: two small generated images do not justify an imaging
dependency, and a PNG is a signature plus three zlib/CRC-framed chunks.
"""

from __future__ import annotations

import json
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

MANIFEST_VERSION = "1.19"
SCHEMA_URL = f"https://developer.microsoft.com/json-schemas/teams/v{MANIFEST_VERSION}/MicrosoftTeams.schema.json"
ACCENT = (0x46, 0x4E, 0xB8)
_GUID = re.compile(r"^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")

#: The command list Teams offers in its compose box (titles ≤ 32 characters, descriptions ≤ 128).
COMMANDS = (
    ("help", "How to ask rolebot about roles"),
    ("list", "Every role rolebot knows"),
    ("sre kpis", "A role's KPIs (any role, any aspect: goals, skills, career path…)"),
    ("compare sre and data analyst", "Two roles side by side"),
    ("onboarding", "Your onboarding plan, or your new hires' progress"),
    ("onboard @hire <role>", "Enrol a new hire in a role's 30/60/90-day plan (start YYYY-MM-DD optional)"),
)


def manifest(app_id: str, name: str = "rolebot", website: str = "https://example.com/rolebot",
             version: str = "1.0.0") -> dict[str, Any]:
    """The manifest of the rolebot bot registered as ``app_id`` (the Azure Bot / Entra app client id)."""
    if not _GUID.match(app_id or ""):
        raise ValueError(f"--app-id must be the bot's Microsoft app id (a GUID), not {app_id!r}.")
    if not website.startswith("https://"):
        raise ValueError("--website must be an https:// URL (Teams requires one).")
    commands = [{"title": title, "description": description} for title, description in COMMANDS]
    return {
        "$schema": SCHEMA_URL,
        "manifestVersion": MANIFEST_VERSION,
        "version": version,
        "id": app_id,
        "developer": {"name": name, "websiteUrl": website, "privacyUrl": website + "/privacy",
                      "termsOfUseUrl": website + "/terms"},
        "name": {"short": name[:30], "full": f"{name}: roles and onboarding"[:100]},
        "description": {
            "short": "Answers questions about roles and runs 30/60/90-day onboarding."[:80],
            "full": ("Ask about any role in your organisation's role documents: responsibilities, KPIs, goals "
                     "for the first 30/60/90 days, skills and career paths. Managers enrol new hires, who get "
                     "their goals, reminders and check-ins here, and tick goals off on the cards."),
        },
        "icons": {"color": "color.png", "outline": "outline.png"},
        "accentColor": "#{:02X}{:02X}{:02X}".format(*ACCENT),
        "bots": [{
            "botId": app_id,
            "scopes": ["personal", "team", "groupChat"],
            "supportsFiles": False,
            "isNotificationOnly": False,
            "commandLists": [{"scopes": [scope], "commands": commands} for scope in ("personal", "team", "groupChat")],
        }],
        "permissions": ["identity", "messageTeamMembers"],
        "validDomains": [],
    }


def png(width: int, height: int, pixel: Callable[[int, int], tuple[int, int, int, int]]) -> bytes:
    """An RGBA PNG whose pixel (x, y) is ``pixel(x, y)``."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(width)) for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8 bits, RGBA, no interlace
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def _inside_badge(u: float, v: float) -> bool:
    """Whether the point (u, v) in the unit square is on the person: a head and rounded shoulders."""
    head = (u - 0.5) ** 2 + (v - 0.36) ** 2 <= 0.15 ** 2
    shoulders = v >= 0.58 and v <= 0.84 and ((u - 0.5) / 0.3) ** 2 + ((v - 0.84) / 0.26) ** 2 <= 1
    return head or shoulders


def colour_icon(size: int = 192) -> bytes:
    """The full-colour icon: a white person on the accent colour."""
    white, accent = (255, 255, 255, 255), (*ACCENT, 255)
    return png(size, size, lambda x, y: white if _inside_badge((x + 0.5) / size, (y + 0.5) / size) else accent)


def outline_icon(size: int = 32) -> bytes:
    """The outline icon: the person's edge in white on a transparent background."""
    def pixel(x: int, y: int) -> tuple[int, int, int, int]:
        here = _inside_badge((x + 0.5) / size, (y + 0.5) / size)
        around = [_inside_badge((x + 0.5 + dx) / size, (y + 0.5 + dy) / size)
                  for dx, dy in ((-1, 0), (1, 0), (0, -1), (0, 1))]
        return (255, 255, 255, 255) if here and not all(around) else (0, 0, 0, 0)

    return png(size, size, pixel)


def write_package(path: str | Path, app_id: str, **details: str) -> Path:
    """Write the zip Teams takes as an app upload; returns its path. ValueError for a bad id or URL."""
    target = Path(path)
    content = json.dumps(manifest(app_id, **details), indent=2, ensure_ascii=False)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("manifest.json", content)
        package.writestr("color.png", colour_icon())
        package.writestr("outline.png", outline_icon())
    return target
