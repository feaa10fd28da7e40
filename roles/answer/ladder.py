"""Career-ladder questions: two levels of one ladder compared, and what changes on promotion.

"difference between senior and lead field service technician", "L3 vs L4" compare two levels aspect by
aspect. "how do I get promoted from senior to lead …", "what changes from L3 to L4", "next level after
…" show what the higher level expects that the lower one does not already (items are matched across
the two levels with rapidfuzz, so a reworded item is not shown as new), plus the document's own
promotion or career-path text. Levels and their order come from :mod:`roles.answer.levels`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils

from roles.answer.levels import Ladders, Level, mentions
from roles.answer.query import COMPARE_WORDS
from roles.answer.render_text import render_answer
from roles.answer.resolve import RoleResolver
from roles.answer.result import Answer, AnswerPart
from roles.answer.sections import SectionFinder, section_parts
from roles.answer.vocabulary import STOPWORDS, AspectRequest, find_aspect
from roles.aspects import clean_heading
from roles.model import ASPECTS, Item, Role, Section

#: Words that ask what it takes to move up.
PROMOTION_WORDS = frozenset({"promoted", "promotion", "promote", "promotions"})
#: With "from": "what changes from L3 to L4", "how do I get from senior to lead".
MOVE_WORDS = frozenset({"change", "changes", "changed", "get", "go", "move", "grow", "step", "progress"})
#: Words of such questions that are neither a level nor the job: "how do i get promoted from … to …".
_FILLER = COMPARE_WORDS | PROMOTION_WORDS | MOVE_WORDS | {
    "vs", "versus", "from", "to", "next", "level", "levels", "after", "up", "become", "reach", "between",
    "expectations", "expected"}
#: What a level expects of the person in it; compared item by item on promotion.
EXPECTATION_ASPECTS = ("responsibilities", "day-to-day", "deliverables", "decision-rights", "skills",
                       "soft-skills", "competency", "tools", "tech-stack", "stakeholders", "kpis", "scorecard")
#: Items this similar (rapidfuzz token sort ratio, 0-100) say the same thing.
SAME_ITEM = 80
#: Headings of a document's own text about moving up.
PROMOTION_HEADING = re.compile(r"promot|next level|career path|progression|to reach|level up", re.IGNORECASE)
#: Aspects left out of a level comparison: they say nothing about what differs.
_NOT_COMPARED = frozenset({"other", "facts", "variants", "hiring"})


@dataclass(frozen=True)
class LadderQuestion:
    """A question about two levels of one ladder."""

    kind: str  # "compare" or "promotion"
    lower: Level
    upper: Level | None
    levels: list[Level]
    #: The part asked for, if any ("skills"); None for every aspect.
    request: AspectRequest


def read_question(tokens: list[str], ladders: Ladders, resolver: RoleResolver) -> LadderQuestion | None:
    """The ladder question ``tokens`` ask, or None when they ask none (or name no ladder)."""
    words = set(tokens)
    named = mentions(tokens)
    # "senior and lead data engineer kpis", "d2 and d3": two levels joined are compared too.
    compare = bool(words & (COMPARE_WORDS | {"vs", "versus"})) or (len(named) >= 2 and bool(words & {"and", "or"}))
    text = " ".join(tokens)
    promotion = bool(words & PROMOTION_WORDS) or any(p in text for p in ("next level", "level up", "level after")) \
        or ("from" in words and bool(words & MOVE_WORDS))
    if not (promotion or (compare and named)):
        return None  # two roles compared without a level word: no ladder question (and no extra resolve)
    level_used = frozenset().union(*(m.used for m in named)) if named else frozenset()
    request = find_aspect(tokens, level_used)
    rest = {i for i, t in enumerate(tokens) if i not in level_used and i not in request.used
            and t not in STOPWORDS and t not in _FILLER}
    levels, matched = _ladder(tokens, rest, named, ladders, resolver)
    if not levels:
        return None
    found = list(dict.fromkeys(lv for m in named if (lv := Ladders.level(levels, m)) is not None))
    if compare and not promotion:
        if len(found) < 2:
            base = Ladders.base(levels)
            if len(found) != 1 or base is None or base == found[0]:
                return None
            found = [base, found[0]]
        return LadderQuestion("compare", found[0], found[1], levels, request)
    if len(found) >= 2:
        return LadderQuestion("promotion", found[0], found[1], levels, request)
    if len(found) == 1:
        at = next(m.position for m in named if Ladders.level(levels, m) == found[0])
        if at > 0 and tokens[at - 1] in ("to", "become", "reach"):
            below = levels.index(found[0]) - 1
            return LadderQuestion("promotion", levels[below] if below >= 0 else found[0], found[0], levels, request) \
                if below >= 0 else None
        return LadderQuestion("promotion", found[0], Ladders.above(levels, found[0]), levels, request)
    lower = matched or Ladders.base(levels) or levels[0]
    return LadderQuestion("promotion", lower, Ladders.above(levels, lower), levels, request)


def _ladder(tokens, rest, named, ladders: Ladders, resolver: RoleResolver) -> tuple[list[Level], Level | None]:
    """The ladder the job words name (every one of them), else the one ladder holding every level code."""
    if rest:
        if not ladders.could_name(tokens[i] for i in rest):
            return [], None
        resolution = resolver.resolve(tokens, skip=set(range(len(tokens))) - rest)
        for match in resolution.matches:
            levels = ladders.ladder_of(match.role.id)
            if levels and rest <= match.used:
                exact = next((lv for lv in levels if lv.role.id == match.role.id), None)
                return levels, exact if match.exact else None
        return [], None
    coded = [m for m in named if m.code]
    candidates = ladders.with_codes(coded) if coded and len(coded) == len(named) else []
    return (candidates[0], None) if len(candidates) == 1 else ([], None)


# ---------------------------------------------------------------------- answers


def compare_parts(lower: SectionFinder, upper: SectionFinder, request: AspectRequest) -> list[AnswerPart]:
    """The two levels side by side, aspect by aspect (only the asked aspect when there is one)."""
    aspects = [request.aspect] if request.aspect else [
        a for a in ASPECTS if a not in _NOT_COMPARED and (a in lower.aspects() or a in upper.aspects())]
    parts: list[AnswerPart] = []
    for aspect in aspects:
        for finder in (lower, upper):
            target = finder.find(AspectRequest(aspect), [])
            if target.kind == "role_section" and target.aspect == aspect:
                parts += target.parts
    return parts


def promotion_parts(lower: SectionFinder, upper: SectionFinder) -> list[AnswerPart]:
    """What ``upper`` expects that ``lower`` does not (reworded items count as the same), then the
    documents' own text about promotion."""
    known = _expectations(lower.role)
    parts: list[AnswerPart] = []
    for section in upper.role.walk():
        if section.aspect not in EXPECTATION_ASPECTS or PROMOTION_HEADING.search(section.heading):
            continue
        new_items = [item for item in section.items if not _known(_text(item), known)]
        new_kpis = [kpi for kpi in section.kpis if not _known(kpi.name, known)]
        if new_items or new_kpis:
            heading = clean_heading(section.heading) or section.heading
            parts.append(AnswerPart(upper.ref, section.aspect, heading, items=new_items, kpis=new_kpis))
    for finder in (lower, upper):
        for section in _promotion_sections(finder.role):
            parts += section_parts(finder.ref, section)
    return parts


def ladder_answer(query: str, question: LadderQuestion, finder_of: Callable[[int], SectionFinder],
                  note: str = "") -> Answer:
    """The answer to a ladder question (kind ``compare``: the two levels, lower first)."""
    lower = finder_of(question.lower.role.id)
    order = ladder_line(question.levels)
    low = level_name(question.lower, question.levels)
    notes = [note] if note else []
    if question.upper is None or question.upper == question.lower:
        # Asked for the level above the top one: say so, and show what the document says about growth.
        notes.append(f"{low} is the highest level of its ladder ({order}).")
        parts = [p for s in _promotion_sections(lower.role) for p in section_parts(lower.ref, s)]
        answer = Answer(kind="role_section" if parts else "role_overview", query=query, roles=[lower.ref],
                        section=parts[0].heading if parts else None, parts=parts or lower.overview().parts,
                        notes=notes)
        answer.text = render_answer(answer, intro="\n".join(notes))
        return answer
    upper = finder_of(question.upper.role.id)
    high = level_name(question.upper, question.levels)
    if question.kind == "compare":
        parts = compare_parts(lower, upper, question.request)
        what = (question.request.aspect or "aspect by aspect").replace("-", " ")
        section = f"{low} vs {high}"
        intro = f"Comparing two levels of one ladder ({order}): {what}"
    else:
        parts = promotion_parts(lower, upper)
        section = f"From {low} to {high}"
        intro = (f"{section} ({order}): what {high} expects beyond {low} "
                 "(items the lower level already has, even reworded, are left out)")
        if not parts:
            notes.append(f"The documents state nothing that {high} expects beyond {low}.")
    answer = Answer(kind="compare", query=query, roles=[lower.ref, upper.ref], aspect=question.request.aspect,
                    section=section, parts=parts, notes=notes,
                    followups=[a for a in upper.aspects() if a != question.request.aspect])
    answer.text = render_answer(answer, intro="\n".join([*notes, intro]))
    return answer


def ladder_line(levels: list[Level]) -> str:
    """The ladder's order: "Junior X < X < Senior X" (with level codes where titles repeat)."""
    return " < ".join(level_name(lv, levels) for lv in levels)


def level_name(level: Level, levels: list[Level]) -> str:
    """A level's title, with its level code when another level has the same title."""
    same = sum(1 for lv in levels if lv.role.title.lower() == level.role.title.lower())
    return f"{level.role.title} ({level.code[0].upper()}{level.code[1]})" if same > 1 and level.code else level.role.title


def _expectations(role: Role) -> list[str]:
    texts = []
    for section in role.walk():
        texts += [_text(item) for item in section.items]
        texts += [kpi.name for kpi in section.kpis]
    return texts


def _known(text: str, known: list[str]) -> bool:
    if not known or not text.strip():
        return bool(not text.strip())
    found = process.extractOne(text, known, scorer=fuzz.token_sort_ratio, processor=utils.default_process,
                               score_cutoff=SAME_ITEM)
    return found is not None


def _text(item: Item) -> str:
    return f"{item.label} {item.text}".strip()


def _promotion_sections(role: Role) -> list[Section]:
    found: list[Section] = []
    for section in role.walk():
        if PROMOTION_HEADING.search(section.heading) and not any(section in f.walk() for f in found):
            found.append(section)
    return found

