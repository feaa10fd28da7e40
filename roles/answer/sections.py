"""Finding the part of one role a question asks for: a goal horizon, a sub-section, an item, a KPI row.

Given a role and what is left of the query once the role's name is taken out, this picks (in order)
the goals of the asked horizon, a heading / item label / KPI name that the remaining words name
("rework percentage", "planning horizon", "examples of mentoring"), a sub-section named by an aspect
hint ("red flags"), the sections of the asked aspect, or else the role overview.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from rapidfuzz.distance import OSA

from roles.answer.resolve import allowed_edits
from roles.answer.result import AnswerPart, RoleRef
from roles.answer.vocabulary import STOPWORDS, AspectRequest, tokenize
from roles.aspects import clean_heading
from roles.model import Goal, Item, Kpi, Role, Section

#: Aspects shown, in this order, when a question names a role but no part of it.
OVERVIEW_ASPECTS = ("summary", "facts", "mission")
#: Where to look when a role has no section of the asked aspect: "tech stack" is answered by the tools
#: section, "skills" by a competency ladder.
RELATED_ASPECTS = {
    "tech-stack": ("tools",),
    "tools": ("tech-stack",),
    "skills": ("competency",),
    "soft-skills": ("skills", "competency"),
    "competency": ("skills",),
}
#: How a goal horizon may differ from the one asked for and still answer it ("first 100 days" -> 90).
HORIZON_SLACK = 0.25
#: Hints of a question about the reporting line (see roles.answer.vocabulary).
REPORTING_HINTS = frozenset({"reporting line", "reports to", "report to"})
#: A sentence that states a reporting line: "reports to the Site Operations Manager", "managed by …".
REPORTS_TO = re.compile(r"\b(?:reports?|reporting)\s+(?:in)?to\b|\breporting line\b|\b(?:managed|line[- ]managed)\s+by\b",
                        re.IGNORECASE)
#: Headings of the part of a document that describes where a role sits: its manager is named there.
TOPOLOGY_HEADING = re.compile(r"\b(?:team topology|org(?:anization|anisation)?(?:al)? (?:structure|chart|design)|"
                              r"reporting|where (?:the role|it) sits|team structure)\b", re.IGNORECASE)
#: Words of a line that names a manager in such a part.
MANAGER_WORDS = re.compile(r"\b(?:manager|head|director|vp|vice president|chief|lead|sits (?:in|within))\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass
class Target:
    """What of a role answers the question."""

    kind: str  # "role_section" or "role_overview"
    aspect: str | None
    heading: str | None
    parts: list[AnswerPart] = field(default_factory=list)
    #: A sentence put before the parts, e.g. that the asked horizon is missing and a near one is shown.
    note: str = ""


@dataclass
class _Candidate:
    words: list[str]
    depth: int
    order: int
    section: Section
    #: The aspects of this section and of every section above it.
    within: frozenset[str] = frozenset()
    item: Item | None = None
    kpi: Kpi | None = None
    goal: Goal | None = None


def content_words(text: str) -> list[str]:
    """The words of ``text`` that are not stop words."""
    return [w for w in tokenize(text) if w not in STOPWORDS]


def _same(a: str, b: str, exact: bool = False) -> bool:
    if a == b:
        return True
    a1, b1 = a.rstrip("s"), b.rstrip("s")
    if a1 == b1 and min(len(a1), len(b1)) >= 3:
        return True
    if exact:
        return False
    # Stricter than role titles: headings are many and short words differ by little ("compare" /
    # "company"), so one typo up to seven letters, two from eight.
    shorter = min(len(a), len(b))
    edits = 0 if shorter < 4 else 1 if shorter < 8 else min(2, allowed_edits(a))
    return bool(edits) and a[:1] == b[:1] and OSA.distance(a, b, score_cutoff=edits) <= edits


def _visit(section: Section, depth: int, above: frozenset[str], order: Iterator[int]) -> Iterator[_Candidate]:
    """The candidates of ``section`` and of everything below it, numbered by ``order``."""
    within = above | {section.aspect}
    yield _Candidate(content_words(clean_heading(section.heading)), depth, next(order), section, within)
    for goal in section.goals:
        yield _Candidate(content_words(goal.heading), depth + 1, next(order), section, within | {"goals"}, goal=goal)
    for item in section.items:
        if item.label:
            yield _Candidate(content_words(item.label), depth + 1, next(order), section, within, item=item)
    for kpi in section.kpis:
        yield _Candidate(content_words(kpi.name), depth + 1, next(order), section, within | {"kpis"}, kpi=kpi)
    for sub in section.subsections:
        yield from _visit(sub, depth + 1, within, order)


def _item_line(item: Item) -> str:
    return f"{item.label}: {item.text}" if item.label and item.text else item.label or item.text


def plan_label(periods: list[Goal]) -> str:
    """The name of a plan of goal periods: "30/60/90-day plan" (one period: its own heading)."""
    days = list(dict.fromkeys(g.horizon_days for g in periods))
    if len(days) == 1:
        return periods[0].heading or f"{days[0]}-day goals"
    return "/".join(str(d) for d in days) + "-day plan"


def section_parts(ref: RoleRef, section: Section) -> list[AnswerPart]:
    """A section and every non-empty sub-section below it, one part each, in document order."""
    parts = []
    for sub in section.walk():
        if sub is section or sub.text.strip() or sub.items or sub.kpis or sub.goals:
            parts.append(
                AnswerPart(ref, sub.aspect, clean_heading(sub.heading) or sub.heading, sub.text, list(sub.items),
                           list(sub.kpis), list(sub.goals))
            )
    return parts


class SectionFinder:
    """Picks the part of one role that answers a question (see the module docstring)."""

    def __init__(self, role: Role, ref: RoleRef):
        self.role = role
        self.ref = ref
        self._names: tuple[list[_Candidate], dict[str, float]] | None = None

    def _index(self) -> tuple[list[_Candidate], dict[str, float]]:
        # Built on first use only: questions that name just an aspect never need it.
        if self._names is None:
            candidates = list(self._collect())
            counts: Counter[str] = Counter()
            for cand in candidates:
                counts.update(set(cand.words))
            total = max(1, len(candidates))
            self._names = (candidates, {w: math.log(1.0 + total / n) for w, n in counts.items()})
        return self._names

    def _collect(self):
        # A counter handed down, not a recursive closure: that was a reference cycle per finder.
        order = itertools.count(1)
        for top in self.role.sections:
            yield from _visit(top, 0, frozenset(), order)

    # ------------------------------------------------------------------ public

    def aspects(self) -> list[str]:
        """The aspects this role has sections for, in document order."""
        seen: dict[str, None] = {}
        for section in self.role.walk():
            if section.aspect != "other":
                seen.setdefault(section.aspect, None)
        if self.role.goals():
            seen.setdefault("goals", None)
        return list(seen)

    def find(self, request: AspectRequest, words: list[str], exact: frozenset[str] = frozenset(),
             aspect_words: list[str] = ()) -> Target:
        """The target for an aspect request plus the leftover content ``words`` of the query.

        Words in ``exact`` are real words of the documents ("slack"): they name a heading only as
        typed, never as a typo of a near one ("Tech Stack"). ``aspect_words`` are the query's words
        that named the aspect ("scorecard"): a heading holding them and the other words ("Scorecard
        dimensions (with example weighting)") beats the generic section of the aspect.
        """
        if request.horizon is not None:
            target = self._plan(request.horizon) if request.plan else self._goals(request.horizon)
            if target:
                return target
        if words and aspect_words:
            named = self._by_name([*words, *aspect_words], None, exact, min_named=0.5, whole=True)
            if named:
                return named
        if words:
            scope = request.aspect
            best = self._by_name(words, scope, exact) if scope else None
            # Outside the asked aspect a heading must be named, not merely touched: "hiring ... look"
            # is no question about "What high performance looks like".
            best = best or self._by_name(words, None, exact, min_named=0.5 if scope and request.strong else 0.0)
            if best:
                return best
        note = ""
        if request.hints:
            hinted = self._by_hint(request.hints, request.aspect)
            if hinted:
                return hinted
            if request.hints[0] in REPORTING_HINTS:
                stated = self._reporting_line()
                if stated:
                    return stated
            # "who does the PSE report to" when the document names no reporting line: the whole
            # stakeholder map is the best there is, but say that the asked part is not in it.
            note = f"The document for {self.role.title} has no part about {request.hints[0]}."
        if request.aspect:
            sections = self._aspect_sections(request.aspect)
            if sections:
                parts = [p for s in sections for p in section_parts(self.ref, s)]
                return Target("role_section", request.aspect, parts[0].heading, parts, note)
            if request.aspect == "goals" and self.role.goals():
                target = self._all_goals()
                target.note = note
                return target
            for other in RELATED_ASPECTS.get(request.aspect, ()):
                sections = self._aspect_sections(other)
                if sections:
                    parts = [p for s in sections for p in section_parts(self.ref, s)]
                    note = (f"The document for {self.role.title} has no section about "
                            f"{request.aspect.replace('-', ' ')}; the closest is {parts[0].heading}.")
                    return Target("role_section", other, parts[0].heading, parts, note)
        return self.overview(request.aspect)

    def _aspect_sections(self, aspect: str) -> list[Section]:
        """The sections of an aspect; only the top-level ones when there are any.

        A sub-section that merely shares the aspect ("Automation and platform" under the
        responsibilities, read as tools) must not come before the role's own "Tools" section.
        """
        sections = self.role.sections_for(aspect)
        top = [s for s in sections if any(s is t for t in self.role.sections)]
        return top or sections

    def overview(self, missing: str | None = None) -> Target:
        """The role's summary (and facts / mission when it has them)."""
        parts: list[AnswerPart] = []
        for aspect in OVERVIEW_ASPECTS:
            for section in self.role.sections_for(aspect)[:1]:
                parts += section_parts(self.ref, section)
        if not parts and self.role.sections:
            parts = section_parts(self.ref, self.role.sections[0])
        note = ""
        if missing:
            note = f"The document for {self.role.title} has no section about {missing.replace('-', ' ')}."
        return Target("role_overview", None, parts[0].heading if parts else None, parts, note)

    # ------------------------------------------------------------------ steps

    def _goals(self, horizon: int) -> Target | None:
        goals = self.role.goals()
        if not goals:
            return None
        exact = [g for g in goals if g.horizon_days == horizon]
        note = ""
        if not exact:
            nearest = min(goals, key=lambda g: (abs(g.horizon_days - horizon), g.horizon_days))
            if abs(nearest.horizon_days - horizon) > HORIZON_SLACK * horizon:
                note = (f"{self.role.title} has no {horizon}-day goals; "
                        f"it sets goals for {', '.join(str(g.horizon_days) for g in goals)} days.")
                target = self._all_goals()
                target.note = note
                return target
            exact = [g for g in goals if g.horizon_days == nearest.horizon_days]
        parts = [AnswerPart(self.ref, "goals", g.heading, goals=[g]) for g in exact]
        return Target("role_section", "goals", exact[0].heading, parts, note)

    def _plan(self, horizon: int) -> Target | None:
        """Every goal period up to ``horizon`` (with a little slack), in order: the whole plan a new hire
        follows. A span shorter than the first period ("first week") gets that first period."""
        goals = self.role.goals()
        if not goals:
            return None
        periods = [g for g in goals if g.horizon_days <= horizon * (1 + HORIZON_SLACK)]
        note = ""
        if not periods:
            first = goals[0].horizon_days
            periods = [g for g in goals if g.horizon_days == first]
            note = f"{self.role.title} has no {horizon}-day goals; its first goal period is {first} days."
        parts = [AnswerPart(self.ref, "goals", g.heading, goals=[g]) for g in periods]
        return Target("role_section", "goals", plan_label(periods), parts, note)

    def _reporting_line(self) -> Target | None:
        """The sentences that state who the role reports to, or the manager lines of the part that says
        where the role sits ("Team topology"), wherever they are in the document."""
        stated: list[tuple[Section, str]] = []
        topology: list[tuple[Section, str]] = []
        for section in self.role.walk():
            lines = [*_SENTENCE_END.split(section.text), *(_item_line(i) for i in section.items)]
            stated += [(section, line) for line in lines if REPORTS_TO.search(line)]
            if TOPOLOGY_HEADING.search(section.heading):
                topology += [(section, line) for line in lines if MANAGER_WORDS.search(line)]
        found = stated or topology
        if not found:
            return None
        parts: dict[int, AnswerPart] = {}
        for section, line in found:
            heading = clean_heading(section.heading) or section.heading
            part = parts.setdefault(id(section), AnswerPart(self.ref, section.aspect, heading))
            part.items.append(Item(line.strip()))
        shown = list(parts.values())
        return Target("role_section", shown[0].aspect, shown[0].heading, shown)

    def _all_goals(self) -> Target:
        parts = [AnswerPart(self.ref, "goals", g.heading, goals=[g]) for g in self.role.goals()]
        return Target("role_section", "goals", parts[0].heading if parts else None, parts)

    def _by_name(self, words: list[str], aspect: str | None, exact: frozenset[str] = frozenset(),
                 min_named: float = 0.0, whole: bool = False) -> Target | None:
        """The heading, item label or KPI name the words name best; with ``whole``, only one that holds
        every one of them."""
        candidates, idf = self._index()
        asked = list(dict.fromkeys(words))
        weights = {w: idf.get(w, max(idf.values(), default=1.0)) for w in asked}
        total = sum(weights.values()) or 1.0
        best: tuple | None = None
        best_cand: _Candidate | None = None
        for cand in candidates:
            if aspect and aspect not in cand.within:
                continue
            if not cand.words:
                continue
            # _same never holds between words of different first letters: those pairs are not compared.
            hit = [w for w in asked if any(_same(w, c, w in exact) for c in cand.words if c[:1] == w[:1])]
            if not hit:
                continue
            covered = sum(weights[w] for w in hit) / total
            named = sum(1 for c in cand.words
                        if any(_same(w, c, w in exact) for w in asked if w[:1] == c[:1])) / len(cand.words)
            if covered < 0.5 or (named < 0.3 and covered < 1.0) or named < min_named or (whole and len(hit) < len(asked)):
                continue
            key = (round(covered, 3), round(named, 3), -cand.depth if cand.item is None else -cand.depth - 1,
                   -cand.order)
            if best is None or key > best:
                best, best_cand = key, cand
        if best_cand is None:
            return None
        return self._target_for(best_cand)

    def _by_hint(self, hints: tuple[str, ...], aspect: str | None) -> Target | None:
        hint_words = [content_words(h) or tokenize(h) for h in hints]
        starts: dict[int, list[str]] = {}  # the first words of each item, read once for both passes
        for scoped in (True, False):
            for cand in self._index()[0]:
                if scoped and aspect and aspect not in cand.within:
                    continue
                if cand.kpi is not None or cand.goal is not None:
                    continue
                names = cand.words
                if cand.item is not None and not names:
                    continue
                for words in hint_words:
                    if words and all(any(_same(w, n) for n in names if n[:1] == w[:1]) for w in words):
                        return self._target_for(cand)
                if cand.item is not None:
                    start = starts.get(cand.order)
                    if start is None:
                        start = starts[cand.order] = content_words(cand.item.text)[:4]
                    for words in hint_words:
                        if words and start[: len(words)] == words:
                            return self._target_for(cand)
        return None

    def _target_for(self, cand: _Candidate) -> Target:
        heading = clean_heading(cand.section.heading) or cand.section.heading
        if cand.kpi is not None:
            part = AnswerPart(self.ref, "kpis", heading, kpis=[cand.kpi])
            return Target("role_section", "kpis", heading, [part])
        if cand.goal is not None:
            part = AnswerPart(self.ref, "goals", cand.goal.heading, goals=[cand.goal])
            return Target("role_section", "goals", cand.goal.heading, [part])
        if cand.item is not None:
            part = AnswerPart(self.ref, cand.section.aspect, heading, items=[cand.item])
            return Target("role_section", cand.section.aspect, heading, [part])
        parts = section_parts(self.ref, cand.section)
        return Target("role_section", cand.section.aspect, parts[0].heading, parts)
