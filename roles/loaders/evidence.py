"""Is this a role? A scored decision from the structure and evidence of a page, with its reasons kept.

Handbooks and wikis hold a few role pages among hundreds of policies, processes, team pages and
checklists, and those ordinary pages use role words too ("Responsibilities", "Goals"). A heading alone
is no proof, so every candidate role a loader produced is weighed: does its title read as a job title
or a level, do role aspects (responsibilities, skills, competencies, KPIs, levels) make up most of its
text, does it make first-person competency statements, was it one of several parallel level headings
— and against: a title that names a kind of page ("… Policy", "Week 1", "… Team"), role aspects that are
only a corner of the page (a process with one "Roles and responsibilities" section), a page that is mostly
links, a placeholder ("TBD"). The sum is compared with :data:`THRESHOLD`; pages within :data:`MARGIN` of
it are "borderline" so an admin can confirm them (``rolebot index`` lists them, ``--explain`` shows why).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from roles.loaders.nonrole import ROLE_ASPECTS
from roles.loaders.titles import (
    is_job_title,
    level_code_in,
    names_a_person,
    page_kind_word,
    plural_job_title,
    process_page_kind,
)
from roles.model import Role, Section

#: A candidate with at least this score is a role.
THRESHOLD = 2.0
#: Candidates scoring within this distance of the threshold are reported as borderline.
MARGIN = 1.0

_FIRST_PERSON = re.compile(r"^(i|i'm|i am|i've|we)\s+\w", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"^\W*(tbd|tbc|todo|to be (defined|determined|confirmed)|coming soon|n/?a|-+)\W*$",
                          re.IGNORECASE)
_ROLE_PHRASES = re.compile(r"\byou(?:'ll| will)\b|\byou(?:'ll| will) have\b|\bresponsible for\b|\breports? to\b|"
                           r"\bessential\b|\bdesirable\b", re.IGNORECASE)
_INDEX_NAMES = ("readme", "index", "_index", "contributing", "home")


@dataclass
class Verdict:
    """The decision about one candidate role, with the evidence that made it."""

    title: str
    score: float = 0.0
    reasons_for: list[str] = field(default_factory=list)
    reasons_against: list[str] = field(default_factory=list)
    #: Set when an admin decided (config ``roles:`` or front matter ``rolebot:``); evidence then only informs.
    forced: bool | None = None

    @property
    def is_role(self) -> bool:
        return self.forced if self.forced is not None else self.score >= THRESHOLD

    @property
    def borderline(self) -> bool:
        return self.forced is None and abs(self.score - THRESHOLD) < MARGIN

    @property
    def placeholder(self) -> bool:
        return any(r.startswith("no content") for r in self.reasons_against)

    def add(self, points: float, reason: str) -> None:
        self.score += points
        (self.reasons_for if points > 0 else self.reasons_against).append(f"{reason} ({points:+g})")

    def summary(self) -> str:
        """One line: the verdict and the strongest reasons."""
        verdict = "role" if self.is_role else "not a role"
        if self.forced is not None:
            return f"{verdict} (set by configuration or front matter)"
        main = self.reasons_for if self.is_role else self.reasons_against or self.reasons_for
        because = "; ".join(r.rsplit(" (", 1)[0] for r in main[:2]) or "no role evidence"
        return f"{verdict} (score {self.score:.1f}): {because}"


@dataclass(frozen=True)
class Context:
    """What a candidate's page says around it."""

    path: str
    #: Number of candidates in the document and whether they came from parallel sibling headings/rows.
    siblings: int = 1
    #: Share of the page's words that are link text (a page of links introduces other pages).
    link_share: float = 0.0
    #: The page's own title ("Incident response process"), when the candidate is a part of the page.
    page_title: str = ""


def weigh(role: Role, context: Context) -> Verdict:
    """The verdict about one candidate role."""
    verdict = Verdict(title=role.title)
    _title_evidence(role, context, verdict)
    _content_evidence(role, verdict)
    _page_evidence(context, verdict)
    return verdict


def _title_evidence(role: Role, context: Context, verdict: Verdict) -> None:
    title = role.title
    # "Team Lead", "Security Engineer", "Incident Commander": a job title outweighs a page-kind word in it.
    kind = "" if is_job_title(title) else page_kind_word(title)
    code = level_code_in(title) or next((a for a in role.aliases if level_code_in(a) == a), "")
    if kind:
        verdict.add(-3, f"the title names a kind of page ('{kind}'), not a job")
    elif plural_job_title(title):
        verdict.add(-2.5, "the title names a group of roles, not one")
    elif is_job_title(title):
        verdict.add(2, f"the title reads as a job title ('{title}')")
    elif names_a_person(title):
        verdict.add(1.5, f"the title names a person's work ('{title}')")
    elif not code:
        verdict.add(-1, "the title does not read as a job title")
    if code and not kind:
        verdict.add(1.5, f"level code '{code}'")
    stem = PurePosixPath(context.path).name.lower()
    if level_code_in(re.sub(r"[_\-.]+", " ", stem).upper().split(" ")[0]):
        verdict.add(0.5, "the file name starts with a level code")


def _content_evidence(role: Role, verdict: Verdict) -> None:
    words = {"role": 0, "other": 0}
    headings = 0
    aspects: set[str] = set()
    first_person = phrases = 0
    for section in role.walk():
        count = _words(section)
        about_role = section.aspect in ROLE_ASPECTS
        if _FIRST_PERSON.match(section.heading):
            first_person += 1
            about_role = True
        first_person += sum(1 for item in section.items if _FIRST_PERSON.match(item.label or ""))
        phrases += len(_ROLE_PHRASES.findall(section.heading)) + len(_ROLE_PHRASES.findall(section.text[:2000]))
        if about_role:
            aspects.add(section.aspect)
        words["role" if about_role else "other"] += count
        headings += len(section.heading.split())
    total = words["role"] + words["other"]
    if total <= headings or _placeholder(role):
        verdict.add(-4, "no content (a placeholder)" if _placeholder(role) else "no content under its headings")
        return
    if total < 12:
        verdict.add(-0.5, f"little content ({total} words)")
    real = aspects & ROLE_ASPECTS
    if real:
        verdict.add(min(2.0, 0.5 + 0.5 * len(real)), f"role aspects: {', '.join(sorted(real))}")
    share = words["role"] / total
    if share >= 0.5:
        verdict.add(1, f"role aspects make up {share:.0%} of the text")
    elif share < 0.3 and total >= 40:
        verdict.add(-1.5, f"role aspects make up only {share:.0%} of the text")
    if first_person >= 2:
        verdict.add(1.5, f"{first_person} first-person competency statements")
    if phrases >= 2:
        verdict.add(0.5, "job-description phrasing ('you will', 'responsible for')")


def _page_evidence(context: Context, verdict: Verdict) -> None:
    # Only a role that is a part of the page: a page titled after the role ("… Manager (IPM)") is its own.
    part = verdict.title.casefold() not in context.page_title.casefold()
    kind = process_page_kind(context.page_title) if part else ""
    if kind:
        # "Incident Commander" under "Incident response process": a part someone plays, not a job.
        verdict.add(-3.5, f"named inside the page '{context.page_title}' ({kind}), not a role page of its own")
    if context.siblings >= 2:
        verdict.add(1, f"one of {context.siblings} parallel role headings on the page")
    name = PurePosixPath(context.path).name.lower()
    if name.startswith(_INDEX_NAMES) and context.siblings < 2:
        verdict.add(-1, f"a '{name}' file usually introduces a folder")
    if context.link_share >= 0.5:
        verdict.add(-2, f"{context.link_share:.0%} of the page is links to other pages")


def _words(section: Section) -> int:
    count = len(section.text.split())
    for item in section.items:
        count += len(item.text.split()) + len(item.label.split()) + sum(len(c.split()) for c in item.children)
    for kpi in section.kpis:
        count += len(" ".join((kpi.name, kpi.measures, kpi.target)).split())
    for goal in section.goals:
        count += sum(len(t.split()) for t in goal.items + goal.success_indicators)
    return count + len(section.heading.split())


def _placeholder(role: Role) -> bool:
    texts = [t for s in role.walk() for t in (s.text, *(i.text for i in s.items)) if t.strip()]
    return bool(texts) and all(_PLACEHOLDER.match(t) for t in texts)
