"""The one role model that every loader produces and every consumer reads.

Plain dataclasses, no behaviour beyond convenient read helpers, so that a role read from
blog-export JSON, scraped text, Markdown or hand-written YAML looks exactly the same downstream.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

#: Canonical aspects a section can be about, in the order a role overview lists them.
ASPECTS: tuple[str, ...] = (
    "summary",
    "mission",
    "responsibilities",
    "day-to-day",
    "deliverables",
    "goals",
    "kpis",
    "skills",
    "soft-skills",
    "tools",
    "tech-stack",
    "stakeholders",
    "decision-rights",
    "experience",
    "career-path",
    "risks",
    "variants",
    "ai-impact",
    "hiring",
    "scorecard",
    "competency",
    "facts",
    "other",
)

#: Goal horizons in days. "Long-term" goals with no number of days get LONG_TERM_DAYS.
LONG_TERM_DAYS = 1095


@dataclass
class Kpi:
    """One row of a KPI table. Cells that a document does not give stay empty strings."""

    name: str
    measures: str = ""
    why: str = ""
    target: str = ""
    frequency: str = ""
    type: str = ""
    #: True when the columns were recovered with certainty; False means ``name`` holds the whole row text.
    structured: bool = True


@dataclass
class Goal:
    """The goals of one horizon (e.g. 30 days), with the success indicators the document gives."""

    horizon_days: int
    heading: str
    items: list[str] = field(default_factory=list)
    success_indicators: list[str] = field(default_factory=list)


@dataclass
class Item:
    """A list entry or a table row.

    ``label`` is a bold lead-in ("API platform literacy (Critical)"), ``fields`` maps table headers to
    cells for non-KPI tables (tools, scorecards), ``children`` holds nested bullets or examples.
    """

    text: str
    label: str = ""
    fields: dict[str, str] = field(default_factory=dict)
    children: list[str] = field(default_factory=list)


@dataclass
class Section:
    """A heading of the document and what stands under it."""

    aspect: str
    heading: str
    text: str = ""
    items: list[Item] = field(default_factory=list)
    kpis: list[Kpi] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)

    def walk(self) -> Iterator[Section]:
        """This section and every sub-section below it, depth first."""
        yield self
        for sub in self.subsections:
            yield from sub.walk()


@dataclass
class Source:
    """Where a role came from: the file (relative to the docs folder), its format and link if any."""

    path: str
    format: str
    link: str | None = None


@dataclass
class Role:
    """One role, as read from one document (a multi-role file yields several)."""

    title: str
    source: Source
    aliases: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    #: Where the role starts in its document ("heading '## D1 - Developer 1'", "row 'IC2' of a level
    #: table"), shown by ``index --explain``; not part of equality (the same role read twice is equal).
    origin: str = field(default="", compare=False, repr=False)

    def walk(self) -> Iterator[Section]:
        """Every section of the role, depth first, in document order."""
        for section in self.sections:
            yield from section.walk()

    def sections_for(self, aspect: str) -> list[Section]:
        """Top-most sections with the given aspect (their sub-sections are not repeated)."""
        # A loop, not a recursive closure: that closure was a reference cycle holding the sections found,
        # so they (and a role an answer cache had let go of) lived on until a garbage collection.
        found: list[Section] = []
        pending = list(reversed(self.sections))
        while pending:
            section = pending.pop()
            if section.aspect == aspect:
                found.append(section)
            else:
                pending.extend(reversed(section.subsections))
        return found

    def section_at(self, path: Sequence[int]) -> Section | None:
        """The section at ``path`` (its index among the top sections, then among each one's
        sub-sections), as the index's search rows name it; None when the role has no such section."""
        sections = self.sections
        section = None
        for index in path:
            if not 0 <= index < len(sections):
                return None
            section = sections[index]
            sections = section.subsections
        return section

    def sections_at(self, paths: Iterable[tuple[int, ...]]) -> dict[tuple[int, ...], Section | None]:
        """Path -> :meth:`section_at` for each of ``paths``."""
        return {path: self.section_at(path) for path in paths}

    def kpis(self) -> list[Kpi]:
        """Every KPI row of the role, in document order."""
        return [kpi for section in self.walk() for kpi in section.kpis]

    def goals(self) -> list[Goal]:
        """Every goal horizon of the role, sorted by horizon."""
        goals = [goal for section in self.walk() for goal in section.goals]
        return sorted(goals, key=lambda g: g.horizon_days)


@dataclass
class LoadedDocument:
    """What a loader returns for one file: its roles, or none when the file is not a role document."""

    path: str
    format: str
    title: str
    roles: list[Role] = field(default_factory=list)
    #: Plain text of the document, kept for documents that are not roles (README, LICENSE, changelog).
    text: str = ""
    link: str | None = None
    #: How the document was read, for ``rolebot index --explain``: chrome left out, content not placed.
    notes: list[str] = field(default_factory=list)
    #: The role decision about each candidate (``roles.loaders.evidence.Verdict``), kept and rejected alike.
    verdicts: list = field(default_factory=list)
    #: Candidates the evidence did not take as roles (an admin's ``roles: always`` brings them back).
    rejected: list[Role] = field(default_factory=list)
    #: One line for the index report: why this document gave no role, or that it is borderline; else "".
    decision: str = ""

    @property
    def is_role_document(self) -> bool:
        return bool(self.roles)
