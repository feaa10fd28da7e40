"""Adaptive Card 1.5 building bricks, and Teams' rendering of the neutral onboarding messages.

Why RichTextBlock/TextRun for all text: a TextBlock's text is Markdown in Teams (links, and ``<at>`` for
mentions), while a TextRun is shown as written. Every piece of text from a document or a person goes into
a TextRun, so nothing anyone typed can become a link or a mention. People are named by the display name
Teams gave us (bold), never pinged from a proactive card.

Every button is an ``Action.Execute`` whose ``data`` is ``{"rolebot": <action>, "value": <value>}`` and
whose ``verb`` is the action: Teams sends it back as an ``adaptiveCard/action`` invoke (new clients) or,
for an ``Action.Submit`` from older ones, as a message whose ``value`` carries the same data; both reach
``handlers.teams.actions``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from jobs.message_parts import (
    Actions,
    Button,
    Code,
    Command,
    Emphasis,
    GoalList,
    Header,
    Mention,
    Message,
    Note,
    Paragraph,
    Spans,
    Strong,
)

CARD_VERSION = "1.5"
CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
#: Teams refuses messages over about 28 KB; a card keeps this much room for the activity around it.
MAX_CARD_BYTES = 26_000
#: Goals shown with a button (a card with hundreds of buttons is unusable); the rest are listed.
MAX_GOAL_BUTTONS = 40
#: The data key every rolebot button carries.
ACTION_KEY = "rolebot"

Names = Callable[[str], str]


def card(body: list[dict[str, Any]], actions: Iterable[dict[str, Any]] = ()) -> dict[str, Any]:
    """An Adaptive Card 1.5 with ``body`` and card-level ``actions``, full width in Teams."""
    built: dict[str, Any] = {"type": "AdaptiveCard", "version": CARD_VERSION, "body": body or [text_block("…")],
                             "msteams": {"width": "Full"}}
    actions = list(actions)
    if actions:
        built["actions"] = actions
    return built


def card_bytes(content: dict[str, Any]) -> int:
    """The size the card adds to a message, as Teams counts it (UTF-8 JSON)."""
    return len(json.dumps(content, ensure_ascii=False).encode())


def run(text: str, **style: Any) -> dict[str, Any]:
    """A TextRun: ``text`` shown exactly as written (no Markdown)."""
    return {"type": "TextRun", "text": text, **style}


def rich(runs: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    """A RichTextBlock of runs (wrapping is its default)."""
    return {"type": "RichTextBlock", "inlines": runs or [run(" ")], **extra}


def text_block(text: str, **extra: Any) -> dict[str, Any]:
    """One plain line of text as a RichTextBlock (see the module docstring for why not a TextBlock)."""
    return rich([run(text, **extra)])


def heading(text: str, size: str = "Large") -> dict[str, Any]:
    return rich([run(text, size=size, weight="Bolder")])


def execute(label: str, action: str, value: str, primary: bool = False, **data: Any) -> dict[str, Any]:
    """An ``Action.Execute`` button sending ``{rolebot: action, value: value, **data}`` back."""
    button = {"type": "Action.Execute", "title": label[:75], "verb": action,
              "data": {ACTION_KEY: action, "value": value, **data}}
    if primary:
        button["style"] = "positive"
    return button


def action_set(buttons: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"type": "ActionSet", "actions": buttons, **extra}


def runs_of(spans: Spans, names: Names) -> list[dict[str, Any]]:
    """The spans as TextRuns; a mention is the person's display name in bold."""
    runs = []
    for span in spans:
        if isinstance(span, str):
            runs.append(run(span))
        elif isinstance(span, Strong):
            runs.append(run(span.text, weight="Bolder"))
        elif isinstance(span, Emphasis):
            runs.append(run(span.text, italic=True))
        elif isinstance(span, Code):
            runs.append(run(span.text, fontType="Monospace"))
        elif isinstance(span, Command):
            runs.append(run(f"role {span.text}", fontType="Monospace"))
        elif isinstance(span, Mention):
            runs.append(run(names(span.user_id), weight="Bolder"))
    return runs


def _button(button: Button, row: int | None) -> dict[str, Any]:
    # The outbox row rides along so a click can re-render this very card in place.
    return execute(button.label, button.action, button.value, button.primary, **({"row": row} if row else {}))


def goal_elements(goals: GoalList, row: int | None = None, max_buttons: int = MAX_GOAL_BUTTONS) -> list[dict[str, Any]]:
    """A row per goal (☐ open / ✅ done, struck through) with its Mark done / Undo button; indicators after."""
    elements: list[dict[str, Any]] = []
    listed: list[dict[str, Any]] = []
    buttons = 0
    for goal in goals.goals:
        line = rich([run("✅ " if goal.done else "☐ "), run(goal.text, strikethrough=goal.done)])
        if goal.button is None or buttons >= max_buttons:
            listed.append(line)
            continue
        buttons += 1
        elements.append({"type": "ColumnSet", "id": f"rolebot_goal_{goal.goal_id}", "columns": [
            {"type": "Column", "width": "stretch", "items": [line], "verticalContentAlignment": "Center"},
            {"type": "Column", "width": "auto", "items": [action_set([_button(goal.button, row)])]},
        ]})
    elements += listed
    if goals.indicators:
        elements.append(rich([run("Success looks like:", weight="Bolder")]))
        elements += [rich([run("• " + indicator)]) for indicator in goals.indicators]
    return elements


def onboarding_card(message: Message, names: Names) -> dict[str, Any]:
    """The neutral onboarding message as an Adaptive Card."""
    body: list[dict[str, Any]] = []
    for part in message.parts:
        if isinstance(part, Header):
            body.append(heading(part.text))
        elif isinstance(part, Paragraph):
            body.append(rich(runs_of(part.spans, names)))
        elif isinstance(part, Note):
            body.append(rich([{**r, "isSubtle": True, "size": "Small"} for r in runs_of(part.spans, names)],
                             **({"id": part.key} if part.key else {})))
        elif isinstance(part, GoalList):
            body += goal_elements(part, message.row_id)
        elif isinstance(part, Actions):
            body.append(action_set([_button(b, message.row_id) for b in part.buttons], id=part.key))
    return card(body)
