"""A neutral ``roles.answer.result.Answer`` as Adaptive Cards: pages of at most :data:`cards.MAX_CARD_BYTES`.

Rendered generically from the answer's structured ``parts`` (text, items with fields and children, KPIs,
goals with success indicators), so a part that gains a field still renders what it had. Each page ends
with its sources and the buttons: Show more (when there is a next page), the role's other aspects as
follow-ups, and "did you mean" suggestions for a miss. A button carries the query and page
(``handlers.slack.blocks.answer.button_value``), so a click recomputes the page from the index, as in Slack.

There is no Share button: an answer asked for in a channel or group chat (with an @mention) is already
posted there, and a personal chat has no channel to share into (Teams' own Forward does that).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from handlers.shared import (
    FOLLOWUP_ACTION,
    MAX_FOLLOWUPS,
    MORE_ACTION,
    SUGGEST_ACTION,
    aspect_label,
    button_value,
    header_text,
)
from handlers.teams.cards import MAX_CARD_BYTES, card, card_bytes, execute, heading, rich, run, text_block
from roles.answer.examples import GENERIC_EXAMPLES
from roles.answer.result import Answer, AnswerPart
from roles.model import Goal, Item, Kpi

#: Room kept on a page for its heading, sources line and buttons.
FOOTER_BYTES = 5_000


@dataclass
class CardPage:
    """One card's worth of an answer."""

    card: dict[str, Any]
    #: Notification/fallback text.
    text: str
    number: int
    count: int


def _item(item: Item) -> list[dict[str, Any]]:
    runs = [run("• ")]
    if item.label:
        runs.append(run(item.label, weight="Bolder"))
    if item.text and item.text != item.label:
        runs.append(run((" — " if item.label else "") + item.text))
    elements = [rich(runs)]
    for key, value in item.fields.items():
        if value:
            elements.append(rich([run("    ◦ "), run(f"{key}: ", weight="Bolder"), run(value)]))
    elements += [rich([run(f"    ◦ {child}")]) for child in item.children]
    return elements


def _kpi(kpi: Kpi) -> list[dict[str, Any]]:
    elements = [rich([run(kpi.name, weight="Bolder")])]
    if kpi.measures:
        elements.append(text_block(kpi.measures))
    if kpi.why:
        elements.append(rich([run("Why: ", italic=True), run(kpi.why)]))
    cells = [("Target", kpi.target), ("Frequency", kpi.frequency), ("Type", kpi.type)]
    facts = [{"title": key, "value": value} for key, value in cells if value]
    if facts:
        # FactSet values are plain text in Teams (no Markdown), like TextRuns.
        elements.append({"type": "FactSet", "facts": facts})
    return elements


def _goal(goal: Goal, part_heading: str) -> list[dict[str, Any]]:
    title = goal.heading or f"First {goal.horizon_days} days"
    elements = [] if title == part_heading else [rich([run(title, weight="Bolder")])]
    elements += [rich([run(f"☐ {item}")]) for item in goal.items]
    if goal.success_indicators:
        elements.append(rich([run("Success indicators", italic=True)]))
        elements += [rich([run(f"✅ {s}")]) for s in goal.success_indicators]
    return elements


def part_elements(part: AnswerPart, show_role: bool) -> list[dict[str, Any]]:
    """The content of one part: its heading, text, items, KPIs and goal checklists."""
    title = part.heading or aspect_label(part.aspect)
    elements = [rich([run(f"{part.role.title} — {title}" if show_role else title, weight="Bolder", size="Medium")],
                     separator=True)]
    elements += [text_block(line) for line in part.text.strip().splitlines() if line.strip()]
    for item in part.items:
        elements += _item(item)
    for kpi in part.kpis:
        elements += _kpi(kpi)
    for goal in part.goals:
        elements += _goal(goal, part.heading)
    return elements


def help_elements(examples: Sequence[str] = GENERIC_EXAMPLES) -> list[dict[str, Any]]:
    """The help text with the given example questions (``AnswerEngine.examples()``: checked against the index)."""
    return [
        text_block("Ask about any role: its responsibilities, KPIs, goals for the first 30/60/90 days, skills, "
                   "tools, who it reports to, and what comes next. Typos and abbreviations are fine."),
        rich([run("Examples", weight="Bolder")]),
        *(rich([run("• "), run(f"role {e}", fontType="Monospace")]) for e in examples),
        rich([run("Onboarding  ", weight="Bolder"),
              run("onboard @hire <role> [start YYYY-MM-DD] · onboarding · checkin", fontType="Monospace")]),
        text_block("In a personal chat just type the question; in a channel or group chat, @mention rolebot first."),
    ]


def _body(answer: Answer) -> list[tuple[dict[str, Any], int | None]]:
    """Content elements, each with the index of the part it belongs to (None: no part)."""
    if answer.kind == "not_ready":
        lines = ["The role index is not ready yet: rolebot is still reading the role documents. Try again in a minute.",
                 answer.text.strip()]
        return [(text_block(line), None) for line in lines if line]
    if answer.kind == "no_match":
        query = answer.query.strip()
        lines = [] if query and query in answer.text else [f"I found nothing about “{query}” in the role documents."]
        return [(text_block(line), None) for line in [*lines, *answer.text.strip().splitlines()] if line.strip()]
    if answer.kind == "help":
        return [(e, None) for e in help_elements()]
    # What the document does not contain (or which role was assumed) comes before whatever is offered
    # instead, as in Slack: an overview shown without it reads like a wrong answer.
    notes = [(text_block(note), None) for note in answer.notes if note.strip()]
    return notes + _content(answer)


def _content(answer: Answer) -> list[tuple[dict[str, Any], int | None]]:
    if answer.kind == "list" and not answer.parts:
        if answer.choices:
            lines = [f"Which one do you mean? {len(answer.choices)} roles match; pick one:"]
            if len(answer.choices) > MAX_FOLLOWUPS:
                lines += [f"• {c.label}" for c in answer.choices[MAX_FOLLOWUPS:]]
                lines.append("(The first ones are buttons below; for the others, add a word of the title.)")
            return [(text_block(line), None) for line in lines]
        if answer.roles:
            return [(rich([run(f"• {r.title}")] + ([run(f"  ({r.source})", italic=True)] if r.source else [])), None)
                    for r in answer.roles]
        return [(text_block(line), None) for line in answer.text.splitlines() if line.strip()]
    several = len({p.role.id for p in answer.parts}) > 1
    title = answer.roles[0].title if answer.roles else ""
    body: list[tuple[dict[str, Any], int | None]] = []
    for number, part in enumerate(answer.parts):
        show_role = several or answer.kind == "search" or part.role.title != title
        body += [(element, number) for element in part_elements(part, show_role)]
    if not body and answer.text.strip():
        body = [(text_block(line), None) for line in answer.text.strip().splitlines() if line.strip()]
    return body


def _paginate(body: list[tuple[dict[str, Any], int | None]], budget: int) -> list[list[tuple[dict[str, Any], int | None]]]:
    pages: list[list[tuple[dict[str, Any], int | None]]] = [[]]
    size = 0
    for entry in body:
        weight = card_bytes(entry[0])
        if pages[-1] and size + weight > budget:
            pages.append([])
            size = 0
        pages[-1].append(entry)
        size += weight
    return pages


def _sources(parts: list[AnswerPart]) -> str:
    entries: list[str] = []
    for part in parts:
        entry = f"{part.role.source or part.role.title} › {part.heading}" if part.heading else (part.role.source or part.role.title)
        if entry not in entries:
            entries.append(entry)
    shown = " · ".join(entries[:3])[:900]
    return "📄 Source: " + shown + (f" · and {len(entries) - 3} more" if len(entries) > 3 else "")


def _links(parts: list[AnswerPart], shown: int = 2) -> list[dict[str, Any]]:
    """"Open" buttons for the source documents that have a web link (https only: no other scheme opens)."""
    links: dict[str, str] = {}
    for part in parts:
        link = part.role.link or ""
        if link.startswith("https://") and not any(c in link for c in " <>\"\n"):
            links.setdefault(link, part.role.source or part.role.title)
    return [{"type": "Action.OpenUrl", "title": f"Open {name}"[:75], "url": url} for url, name in list(links.items())[:shown]]


def _buttons(answer: Answer, number: int, count: int) -> list[dict[str, Any]]:
    query = answer.query.strip()
    buttons = []
    if number + 1 < count:
        buttons.append(execute("Show more", MORE_ACTION, button_value(query, number + 1), primary=True))
    if answer.choices:
        # "Which role?": one button per role, each asking the question of that role.
        offers = [(c.label, c.query) for c in answer.choices[:MAX_FOLLOWUPS]]
        action = SUGGEST_ACTION
    elif answer.kind == "no_match":
        offers = [(s, s) for s in answer.suggestions[:MAX_FOLLOWUPS]]
        action = SUGGEST_ACTION
    elif answer.followups and answer.roles:
        role = answer.roles[0].title
        offers = [(aspect_label(a), f"{role} {aspect_label(a)}") for a in answer.followups[:MAX_FOLLOWUPS]]
        action = FOLLOWUP_ACTION
    else:
        offers, action = [], FOLLOWUP_ACTION
    for label, ask in offers:
        try:
            buttons.append(execute(label, action, button_value(ask)))
        except ValueError:  # a query too long for a button is not offered
            continue
    return buttons


def render_answer_cards(answer: Answer) -> list[CardPage]:
    """Every page of the answer as a card, each under Teams' message limit."""
    pages = _paginate(_body(answer), MAX_CARD_BYTES - FOOTER_BYTES)
    header = header_text(answer)
    rendered = []
    for number, entries in enumerate(pages):
        body = [heading(header if number == 0 else f"{header} (continued)"), *(e for e, _ in entries)]
        notes = []
        parts = sorted({i for _, i in entries if i is not None})
        if parts:
            notes.append(_sources([answer.parts[i] for i in parts]))
        if len(pages) > 1:
            notes.append(f"Page {number + 1} of {len(pages)}")
        body += [text_block(note, isSubtle=True, size="Small") for note in notes]
        text = header + (f" (part {number + 1} of {len(pages)})" if len(pages) > 1 else "")
        buttons = _buttons(answer, number, len(pages)) + _links([answer.parts[i] for i in parts])
        rendered.append(CardPage(card(body, buttons), text, number, len(pages)))
    return rendered


def answer_page(answer: Answer, page: int = 0) -> CardPage:
    """Page ``page`` (clamped to the last) of the answer."""
    pages = render_answer_cards(answer)
    return pages[min(max(page, 0), len(pages) - 1)]
