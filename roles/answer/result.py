"""The platform-neutral answer to a ``/role`` query. Renderers (Slack Block Kit, console text) read it.

The answer engine (``roles.answer.engine``) produces it; nothing here knows about Slack.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from roles.model import Goal, Item, Kpi

#: Every kind of answer.
KINDS = ("role_overview", "role_section", "search", "list", "compare", "help", "no_match", "not_ready")


@dataclass
class RoleRef:
    """A role as an answer names it: its index id, title and where it came from."""

    id: int
    title: str
    source: str = ""
    link: str | None = None


@dataclass
class Choice:
    """One option of an answer that asks the user to pick ("which role?"): a label to show on a button
    or numbered line, and the question to ask when it is picked."""

    label: str
    query: str


@dataclass
class AnswerPart:
    """One slice of content of one role: a section (or a search hit) with its structured items."""

    role: RoleRef
    aspect: str
    heading: str
    text: str = ""
    items: list[Item] = field(default_factory=list)
    kpis: list[Kpi] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)


@dataclass
class Answer:
    """A complete answer. ``text`` is the full plain-text rendering: every item, never truncated."""

    kind: str
    query: str
    roles: list[RoleRef] = field(default_factory=list)
    aspect: str | None = None
    #: Heading of the section answered (None for lists, help, no_match).
    section: str | None = None
    parts: list[AnswerPart] = field(default_factory=list)
    text: str = ""
    #: "Did you mean" suggestions: role titles or query strings a user can try next.
    suggestions: list[str] = field(default_factory=list)
    #: Other aspects of the main role, offered as quick follow-ups.
    followups: list[str] = field(default_factory=list)
    #: Honest notes that every surface shows above the parts: what the document does not contain
    #: ("Nothing about salary in the document for …"), which role was assumed or is only the closest,
    #: which part was read of a long question. Plain sentences, no markup.
    notes: list[str] = field(default_factory=list)
    #: Options to pick from when the question was ambiguous (one per role), in order; a renderer shows
    #: them as buttons (Slack, Teams) or numbered choices (console).
    choices: list[Choice] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The JSON contract of ``python -m bot ask --json``."""
        return {
            "query": self.query,
            "kind": self.kind,
            "roles": [r.title for r in self.roles],
            "section": self.section,
            "aspect": self.aspect,
            "text": self.text,
            "suggestions": list(self.suggestions),
            "notes": list(self.notes),
            "choices": [asdict(c) for c in self.choices],
            "sources": [
                {"role": p.role.title, "document": p.role.source, "link": p.role.link, "heading": p.heading}
                for p in self.parts
            ],
            "parts": [asdict(p) for p in self.parts],
        }
