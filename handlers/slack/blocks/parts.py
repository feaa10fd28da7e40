"""Block Kit building bricks for answers: escaping, text chunking, and the blocks of one answer part.

Limits from Slack's Block Kit reference: section text 3,000 characters, 10 fields of 2,000 characters,
header text 150 characters (plain text).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from handlers.shared import aspect_label
from roles.answer.result import AnswerPart
from roles.model import Goal, Item, Kpi

#: Section text limit, with a margin for the characters that escaping adds after chunking.
MAX_TEXT = 3000
CHUNK = 2900
MAX_FIELDS = 10
MAX_HEADER = 150
#: KPI cells longer than this are shown as a text line instead of a field, which keeps a KPI block small.
MAX_KPI_FIELD = 300
#: Length of the sources line, so that a page's header and context stay within their reserve.
MAX_SOURCES = 900



#: Removed from text before it is echoed: C0/C1 control characters (tab and newline kept) and the bidi
#: controls (U+202E would display an echoed query reversed, e.g. to disguise a file name or a link).
_UNPRINTABLE = dict.fromkeys(
    [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0),
     0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)


#: The same characters as one regex class: a search in C finds that most texts hold none, and
#: ``str.translate`` with a mapping (a dict lookup per character in C) is only run on those that do.
_HAS_UNPRINTABLE = re.compile("[" + "".join(re.escape(chr(c)) for c in _UNPRINTABLE) + "]")


def escape(text: str) -> str:
    """Escape ``&``, ``<`` and ``>`` so that user or document text cannot mention or link anything, and
    drop control and bidi-override characters."""
    if _HAS_UNPRINTABLE.search(text):
        text = text.translate(_UNPRINTABLE)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """Undo Slack's escaping of ``&``, ``<`` and ``>`` in text it sends (e.g. a slash command's text)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def plain(text: str) -> dict[str, Any]:
    """A plain_text object, cut to the header limit (the longest place it is used)."""
    text = " ".join(text.split()) or "—"
    if len(text) > MAX_HEADER:
        text = text[: MAX_HEADER - 1] + "…"
    return {"type": "plain_text", "text": text, "emoji": True}


def mrkdwn(text: str) -> dict[str, Any]:
    """A section block with mrkdwn text (already escaped and within the limit)."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def clip(text: str, limit: int = CHUNK) -> str:
    """``text`` cut to at most ``limit`` characters, ending in "…" when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def section(text: str, **extra: Any) -> dict[str, Any]:
    """A mrkdwn section block, its text clipped to fit Slack's 3,000 characters."""
    return {**mrkdwn(clip(text)), **extra}


def context(text: str) -> dict[str, Any]:
    """A context block of one mrkdwn line, clipped like :func:`section`."""
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": clip(text)}]}


def _split_long(line: str, limit: int) -> list[str]:
    pieces = []
    while len(line) > limit:
        cut = line.rfind(" ", 0, limit)
        if cut < limit // 2:
            cut = limit
        pieces.append(line[:cut])
        line = line[cut:].lstrip()
    pieces.append(line)
    return pieces


def chunk_lines(lines: Iterable[str], limit: int = CHUNK) -> list[str]:
    """Join lines into texts of at most ``limit`` characters, breaking between lines where possible."""
    chunks: list[str] = []
    current = ""
    for line in lines:
        for piece in _split_long(line, limit):
            if current and len(current) + 1 + len(piece) > limit:
                chunks.append(current)
                current = piece
            else:
                current = f"{current}\n{piece}" if current else piece
    if current.strip():
        chunks.append(current)
    return chunks


def _item_lines(item: Item) -> list[str]:
    if item.label and item.text and item.label != item.text:
        lines = [f"• *{escape(item.label)}* — {escape(item.text)}"]
    elif item.label:
        lines = [f"• *{escape(item.label)}*"]
    else:
        lines = [f"• {escape(item.text)}"]
    lines += [f"      ◦ *{escape(k)}:* {escape(v)}" for k, v in item.fields.items() if v]
    lines += [f"      ◦ {escape(child)}" for child in item.children]
    return lines


def _kpi_blocks(kpis: list[Kpi]) -> list[dict[str, Any]]:
    blocks = []
    loose: list[str] = []
    for kpi in kpis:
        cells = [("Target", kpi.target), ("Frequency", kpi.frequency), ("Type", kpi.type)]
        cells = [(k, v) for k, v in cells if v]
        if not kpi.structured or any(len(escape(v)) > MAX_KPI_FIELD for _, v in cells):
            loose.append(f"• {escape(kpi.name)}" + "".join(f" · *{k}:* {escape(v)}" for k, v in cells))
            continue
        lines = [f"*{escape(kpi.name)}*"]
        if kpi.measures:
            lines.append(escape(kpi.measures))
        if kpi.why:
            lines.append(f"_Why:_ {escape(kpi.why)}")
        texts = chunk_lines(lines)
        block = mrkdwn(texts[0])
        if cells:
            block["fields"] = [{"type": "mrkdwn", "text": f"*{k}*\n{escape(v)}"} for k, v in cells][:MAX_FIELDS]
        blocks.append(block)
        blocks.extend(mrkdwn(t) for t in texts[1:])
    blocks.extend(mrkdwn(t) for t in chunk_lines(loose))
    return blocks


def _goal_lines(goal: Goal, part_heading: str) -> list[str]:
    heading = goal.heading or f"First {goal.horizon_days} days"
    lines = [] if heading == part_heading else [f"*{escape(heading)}*"]
    lines += [f"☐ {escape(item)}" for item in goal.items]
    if goal.success_indicators:
        lines.append("_Success indicators_")
        lines += [f"✅ {escape(s)}" for s in goal.success_indicators]
    return lines


def part_blocks(part: AnswerPart, show_role: bool) -> list[dict[str, Any]]:
    """The content blocks of one part: its heading, text, items, KPI rows and goal checklists."""
    heading = escape(part.heading) if part.heading else aspect_label(part.aspect)
    title = f"*{escape(part.role.title)}* — {heading}" if show_role else f"*{heading}*"
    lines = [title]
    if part.text.strip():
        lines += [escape(line) for line in part.text.strip().splitlines()]
    for item in part.items:
        lines += _item_lines(item)
    blocks = [mrkdwn(t) for t in chunk_lines(lines)]
    blocks += _kpi_blocks(part.kpis)
    for goal in part.goals:
        blocks += [mrkdwn(t) for t in chunk_lines(_goal_lines(goal, part.heading))]
    return blocks


def _safe_link(url: str) -> str | None:
    if not url.startswith(("http://", "https://")) or any(c in url for c in "|<> \n"):
        return None
    return url


def sources_line(parts: list[AnswerPart], shown: int = 3) -> str:
    """The context line that cites where the parts come from: document (linked if it has a link), section.

    At most ``shown`` sources and about :data:`MAX_SOURCES` characters; the rest are counted.
    """
    entries: list[str] = []
    for part in parts:
        doc = escape(part.role.source or part.role.title)
        link = _safe_link(part.role.link or "")
        where = f"<{link}|{doc}>" if link else f"`{doc}`" if part.role.source else doc
        entry = f"{where} › {escape(part.heading)}" if part.heading else where
        if entry not in entries:
            entries.append(entry)
    text = "📄 Source: "
    for number, entry in enumerate(entries):
        if number == shown or (number and len(text) + len(entry) > MAX_SOURCES):
            return text + f" · and {len(entries) - number} more"
        text += (" · " if number else "") + (entry if len(entry) <= MAX_SOURCES else entry[:MAX_SOURCES] + "…")
    return text
