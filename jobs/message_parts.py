"""Platform-neutral onboarding messages: what a message says, as data; each platform renders it.

A :class:`Message` is a fallback ``text`` (notifications, screen readers) and a list of parts. Inline text
is a tuple of spans: a plain ``str`` is text exactly as written (a renderer escapes it for its platform,
so a goal text from a document or an answer a hire typed can never mention, link or format anything),
:class:`Strong`, :class:`Emphasis` and :class:`Code` style a piece of text, :class:`Command` names a
rolebot command as the platform spells it, and :class:`Mention` names a
person by their user id on the journey's platform (Slack renders ``<@U…>``; Teams renders the stored
display name). Buttons carry an ``action`` id and a string ``value``; the platform handlers route them
back to the same journey functions.

Renderers: ``handlers.slack.onboarding.blocks`` (Slack Block Kit) and ``handlers.teams.cards`` (Adaptive
Cards). Each applies its platform's limits (Slack's 50 blocks, Teams' 28 KB).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Strong:
    text: str


@dataclass(frozen=True)
class Emphasis:
    text: str


@dataclass(frozen=True)
class Code:
    text: str


@dataclass(frozen=True)
class Command:
    """A rolebot command the reader can type, e.g. ``Command("onboarding")`` (Slack: ``/role onboarding``)."""

    text: str


@dataclass(frozen=True)
class Mention:
    """A person on the journey's platform (never rendered from user-typed text)."""

    user_id: str


Span = str | Strong | Emphasis | Code | Command | Mention
Spans = tuple[Span, ...]


@dataclass(frozen=True)
class Header:
    text: str


@dataclass(frozen=True)
class Paragraph:
    spans: Spans


@dataclass(frozen=True)
class Note:
    """A small print line (Slack: a context block)."""

    spans: Spans
    #: A stable id a handler may look for (e.g. to replace the line later).
    key: str | None = None


@dataclass(frozen=True)
class Button:
    label: str
    action: str
    value: str
    primary: bool = False


@dataclass(frozen=True)
class GoalItem:
    """One goal with its state; ``button`` is None when it is listed without a Mark done / Undo button."""

    goal_id: int
    text: str
    done: bool
    button: Button | None = None


@dataclass(frozen=True)
class GoalList:
    """The goals of a message; ``indicators`` are the success indicators listed after them."""

    goals: tuple[GoalItem, ...]
    indicators: tuple[str, ...] = ()
    interactive: bool = True


@dataclass(frozen=True)
class Actions:
    """A row of buttons; ``key`` identifies the row (a handler may drop it, e.g. after a snooze)."""

    key: str
    buttons: tuple[Button, ...]


Part = Header | Paragraph | Note | GoalList | Actions


@dataclass
class Message:
    """One onboarding message, ready for any platform's renderer."""

    text: str
    parts: list[Part] = field(default_factory=list)
    #: The outbox row this message renders (a handler re-renders it after a click), if any.
    row_id: int | None = None

    def plain_text(self) -> str:
        """Everything the message says, as plain text (logs, tests, the CLI)."""
        lines = [self.text]
        for part in self.parts:
            if isinstance(part, Header):
                lines.append(part.text)
            elif isinstance(part, (Paragraph, Note)):
                lines.append(spans_text(part.spans))
            elif isinstance(part, GoalList):
                lines += [("[x] " if g.done else "[ ] ") + g.text for g in part.goals]
                lines += [f"- {i}" for i in part.indicators]
            elif isinstance(part, Actions):
                lines.append(" | ".join(b.label for b in part.buttons))
        return "\n".join(lines)


def spans_text(spans: Spans) -> str:
    """The spans as plain text (a mention as its user id)."""
    return "".join(s if isinstance(s, str) else s.user_id if isinstance(s, Mention) else s.text for s in spans)
