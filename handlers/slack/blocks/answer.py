"""A neutral ``roles.answer.result.Answer`` as Slack Block Kit, split into pages that stay within Slack's limits.

The answer's content becomes a flat list of blocks (headings, text chunks, KPI fields, goal checklists);
pages are cut from that list so that each message has at most 50 blocks and about 11k characters
(Slack rejects messages near 13k characters with ``msg_blocks_too_long`` even under the documented
limits). Every page ends with a context line citing its sources and the buttons: Share in channel,
Show more (when there is a next page) and the role's other aspects as follow-ups.

Buttons carry the query and page number in their value, so a click recomputes the page from the index
instead of relying on state kept in memory. All text from users and documents goes through
:func:`escape`, so nothing rolebot echoes can ping ``<!channel>`` or a user.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from handlers.shared import (
    FOLLOWUP_ACTION,
    MAX_FOLLOWUPS,
    MORE_ACTION,
    SHARE_ACTION,
    SUGGEST_ACTION,
    aspect_label,
    button_value,
    header_text,
)
from handlers.slack.blocks.parts import (
    MAX_TEXT,
    chunk_lines,
    escape,
    mrkdwn,
    part_blocks,
    plain,
    sources_line,
)
from roles.answer.examples import GENERIC_EXAMPLES
from roles.answer.result import Answer

#: Slack's limit of blocks in one message.
MAX_BLOCKS = 50
#: Blocks a page keeps free for its header, context line and two actions blocks.
FOOTER_BLOCKS = 4
#: Budget of serialized block characters per message (header, content, context line and buttons),
#: below the ~12k where Slack starts failing with msg_blocks_too_long.
MESSAGE_CHARS = 11_500
#: Room kept for the header and the context line of a page.
HEADER_AND_CONTEXT_CHARS = 1_200

#: Answer kinds that get no Share button: they say nothing about a role worth posting in a channel.
UNSHAREABLE = frozenset({"help", "no_match", "not_ready"})
#: What a block weighs is the length of its JSON as ``json.dumps(block, ensure_ascii=False)`` writes it;
#: one encoder for all of them (json.dumps with an option builds a new one on every call).
_WEIGHT_JSON = json.JSONEncoder(ensure_ascii=False)

@dataclass
class Page:
    """One message's worth of an answer."""

    blocks: list[dict[str, Any]]
    #: Notification/fallback text of the message.
    text: str
    number: int
    count: int

    @property
    def has_more(self) -> bool:
        return self.number + 1 < self.count

    def message(self, response_type: str = "ephemeral") -> dict[str, Any]:
        """Keyword arguments for ``ack``/``respond``/``chat.postMessage``."""
        return {"response_type": response_type, "text": self.text, "blocks": self.blocks}


def _button(text: str, action_id: str, value: str, style: str | None = None) -> dict[str, Any]:
    button = {"type": "button", "text": plain(text[:75]), "action_id": action_id, "value": value}
    if style:
        button["style"] = style
    return button


def _body(answer: Answer) -> list[tuple[dict[str, Any], int | None]]:
    """Content blocks of an answer, each with the index of the part it belongs to (None: no part)."""
    kind = answer.kind
    if kind == "not_ready":
        lines = ["The role index is not ready yet: rolebot is still reading the role documents. "
                 "Try again in a minute."]
        if answer.text.strip():
            lines.append(escape(answer.text.strip()))
        return [(mrkdwn(t), None) for t in chunk_lines(lines)]
    if kind == "no_match":
        # The engine words the miss; say which query missed unless its text already does.
        query = answer.query.strip()
        lines = [] if query and query in answer.text else [f"I found nothing about “{query}” in the role documents."]
        lines += answer.text.strip().splitlines()
        return [(mrkdwn(t), None) for t in chunk_lines([escape(line) for line in lines])]
    if kind == "help":
        return [(b, None) for b in help_body()]
    # What the document does not contain (or which role was assumed) comes before whatever is offered
    # instead: an overview shown without it reads like a wrong answer.
    notes = [(mrkdwn(t), None) for t in chunk_lines([escape(n) for n in answer.notes])]
    return notes + _content(answer)


def _content(answer: Answer) -> list[tuple[dict[str, Any], int | None]]:
    kind = answer.kind
    if kind == "list" and not answer.parts:
        if answer.choices:
            count = len(answer.choices)
            lines = [f"Which one do you mean? {count} roles match; pick one:"]
            if count > MAX_FOLLOWUPS:
                lines += [f"• {escape(c.label)}" for c in answer.choices[MAX_FOLLOWUPS:]]
                lines.append("(The first ones are buttons below; for the others, add a word of the title.)")
        elif answer.roles:
            # No italics around the source: file names hold underscores, which break mrkdwn emphasis.
            lines = [f"• {escape(r.title)}" + (f"  ({escape(r.source)})" if r.source else "") for r in answer.roles]
        else:
            lines = [escape(line) for line in answer.text.splitlines()]
        return [(mrkdwn(t), None) for t in chunk_lines(lines)]
    blocks: list[tuple[dict[str, Any], int | None]] = []
    several_roles = len({p.role.id for p in answer.parts}) > 1
    title = answer.roles[0].title if answer.roles else ""
    for number, part in enumerate(answer.parts):
        show_role = several_roles or kind == "search" or part.role.title != title
        blocks.extend((block, number) for block in part_blocks(part, show_role))
    if not blocks and answer.text.strip():
        blocks = [(mrkdwn(t), None) for t in chunk_lines([escape(answer.text.strip())])]
    return blocks


def help_body(examples: Sequence[str] = GENERIC_EXAMPLES) -> list[dict[str, Any]]:
    """The blocks of the help message, with the given examples (``AnswerEngine.examples()``)."""
    lines = [
        "Ask about any role: its responsibilities, KPIs, goals for the first 30/60/90 days, skills, "
        "tools, who it reports to, and what comes next. Typos and abbreviations are fine.",
        "*Examples*",
        *(f"• `/role {escape(e)}`" for e in examples),
        "*Onboarding*  `/role onboard @hire &lt;role&gt; [start date]` · `/role onboarding` · `/role checkin`",
        "Answers are private to you; use *Share in channel* to post one for everybody.",
    ]
    return [mrkdwn(t) for t in chunk_lines(lines)]


def help_message(examples: Sequence[str] = GENERIC_EXAMPLES) -> dict[str, Any]:
    """The whole help message (for ``/role``, ``/role help`` and ``help`` answers)."""
    blocks = [{"type": "header", "text": plain("How to use /role")}, *help_body(examples)]
    return {"response_type": "ephemeral", "text": "How to use /role", "blocks": blocks}


def text_message(text: str) -> dict[str, Any]:
    """A short ephemeral message with one section; ``text`` is mrkdwn the caller already escaped."""
    return {"response_type": "ephemeral", "text": text[:MAX_TEXT], "blocks": [mrkdwn(text[:MAX_TEXT])]}


def _paginate(body: list[tuple[dict[str, Any], int | None]], budget: int,
              by_part: bool = False) -> list[list[tuple[dict[str, Any], int | None]]]:
    """Cut the content into pages of at most ``budget`` serialized characters and the free blocks.

    With ``by_part`` (a plan of goal periods too long for one message) every part starts a page, so
    each message holds one whole period rather than the end of one and the start of the next.
    """
    pages: list[list[tuple[dict[str, Any], int | None]]] = [[]]
    size = 0
    for entry in body:
        weight = len(_WEIGHT_JSON.encode(entry[0]))
        page = pages[-1]
        new_part = by_part and page and entry[1] is not None and page[-1][1] is not None and entry[1] != page[-1][1]
        if page and (new_part or len(page) >= MAX_BLOCKS - FOOTER_BLOCKS or size + weight > budget):
            pages.append([])
            size = 0
        pages[-1].append(entry)
        size += weight
    return pages


def _is_plan(answer: Answer) -> bool:
    """A whole plan: several goal periods of one role, one part each."""
    return (len(answer.parts) > 1 and len({p.role.id for p in answer.parts}) == 1
            and all(p.goals and not p.items and not p.kpis for p in answer.parts))


def _fallback_text(answer: Answer, header: str, number: int, count: int) -> str:
    first = (answer.text or "").strip().splitlines()
    summary = header + (f": {first[0]}" if first and answer.kind not in ("no_match", "not_ready") else "")
    if count > 1:
        summary += f" (part {number + 1} of {count})"
    return escape(summary[:300])


def render_answer(
    answer: Answer,
    page: int = 0,
    *,
    shared_by: str | None = None,
    share: bool = True,
) -> Page:
    """Page ``page`` (0-based; clamped to the last page) of an answer as Block Kit.

    ``shared_by`` (a Slack user ID) renders the page for posting in a channel: an attribution line
    and no buttons. ``share=False`` leaves out the Share button (e.g. in the DM of App Home answers).
    """
    # The buttons of a first page with a Show more button are the largest footer any page gets.
    widest = _action_blocks(answer, 0, 2, share)
    budget = MESSAGE_CHARS - HEADER_AND_CONTEXT_CHARS - len(_WEIGHT_JSON.encode(widest))
    body = _body(answer)
    pages = _paginate(body, budget)
    if len(pages) > 1 and _is_plan(answer):
        pages = _paginate(body, budget, by_part=True)
    count = len(pages)
    number = min(max(page, 0), count - 1)
    entries = pages[number]
    header = header_text(answer)
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": plain(header if number == 0 else f"{header} (continued)")}
    ]
    blocks.extend(block for block, _ in entries)

    context = []
    parts = sorted({i for _, i in entries if i is not None})
    if parts:
        context.append(sources_line([answer.parts[i] for i in parts]))
    if count > 1:
        context.append(f"Page {number + 1} of {count}")
    if shared_by:
        context.append(f"Shared by <@{escape(shared_by)}> · `/role {escape(answer.query.strip())}`"[:MAX_TEXT])
    if context:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": c[:MAX_TEXT]} for c in context]})

    if not shared_by:
        blocks.extend(_page_actions(answer, number, count, share, widest))
    return Page(blocks=blocks, text=_fallback_text(answer, header, number, count), number=number, count=count)


def _page_actions(answer: Answer, number: int, count: int, share: bool,
                  widest: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The buttons of page ``number``. The first page's are ``widest`` (built to size the pages), less
    Show more when it is the only page: read off rather than built again (a tenth of rendering)."""
    if number > 0:
        return _action_blocks(answer, number, count, share)
    if count > 1:
        return widest
    footer = []
    for block in widest:
        if block["block_id"] == "answer_actions":
            block = {**block, "elements": [e for e in block["elements"] if e["action_id"] != MORE_ACTION]}
            if not block["elements"]:
                continue
        footer.append(block)
    return footer


def _action_blocks(answer: Answer, number: int, count: int, share: bool) -> list[dict[str, Any]]:
    query = answer.query.strip()
    try:
        value = button_value(query, number)
    except ValueError:
        return []
    main: list[dict[str, Any]] = []
    if share and answer.kind not in UNSHAREABLE:
        main.append(_button("Share in channel", SHARE_ACTION, value))
    if number + 1 < count:
        main.append(_button("Show more", MORE_ACTION, button_value(query, number + 1), style="primary"))
    extra: list[dict[str, Any]] = []
    if answer.choices:
        # "Which role?": one button per role, each asking the question of that role.
        for i, choice in enumerate(answer.choices[:MAX_FOLLOWUPS]):
            extra.append(_button(choice.label, f"{SUGGEST_ACTION}:{i}", _safe_value(choice.query)))
    elif answer.kind == "no_match":
        for i, suggestion in enumerate(answer.suggestions[:MAX_FOLLOWUPS]):
            extra.append(_button(suggestion, f"{SUGGEST_ACTION}:{i}", _safe_value(suggestion)))
    elif answer.followups and answer.roles:
        title = answer.roles[0].title
        for i, aspect in enumerate(answer.followups[:MAX_FOLLOWUPS]):
            extra.append(_button(aspect_label(aspect), f"{FOLLOWUP_ACTION}:{i}", _safe_value(f"{title} {aspect_label(aspect)}")))
    blocks = []
    if main:
        blocks.append({"type": "actions", "block_id": "answer_actions", "elements": main})
    extra = [b for b in extra if b["value"]]
    if extra:
        blocks.append({"type": "actions", "block_id": "answer_followups", "elements": extra})
    return blocks


def _safe_value(query: str) -> str:
    try:
        return button_value(query)
    except ValueError:
        return ""
