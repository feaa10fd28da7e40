"""Block events: the form every text format is reduced to before roles are cut out of it.

Markdown is parsed straight into a list of :class:`Event`; HTML (pages, Word via mammoth) is walked by
``roles.loaders.html_blocks`` into an :class:`EventRecorder`, which takes the same calls as a
``SectionBuilder`` but keeps them as events. Either way the same code then finds ladders, level tables
and the page's remainder (``roles.loaders.markdown.document_from_events``), so a ladder exported to
HTML or Word is read like the Markdown one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from roles.model import Item


@dataclass
class Event:
    kind: str  # heading, bold, paragraph, items, table, attach, quote
    level: int = 0
    text: str = ""
    label: str = ""
    items: list[Item] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


class EventRecorder:
    """Records the calls of an HTML walk (the ``SectionBuilder`` interface) as events, ``shift`` levels down."""

    def __init__(self, shift: int = 0) -> None:
        self.events: list[Event] = []
        self._shift = shift

    def heading(self, level: int, text: str, aspect: str | None = None) -> None:
        self.events.append(Event("heading", level=level + self._shift, text=text))

    def paragraph(self, text: str, label: str = "") -> None:
        self.events.append(Event("paragraph", text=text, label=label))

    def items(self, items: list[Item]) -> None:
        self.events.append(Event("items", items=items))

    def table(self, header: list[str], rows: list[list[str]]) -> None:
        self.events.append(Event("table", header=header, rows=rows))

    def attach(self, heading: str, items: list[Item], text: str = "") -> None:
        self.events.append(Event("attach", text=heading, items=items, label=text))
