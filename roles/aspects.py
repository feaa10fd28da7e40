"""Headings to canonical aspects, and goal horizons from headings.

Role documents name the same thing in many ways ("Core Responsibilities", "Key responsibilities",
"What you will do"). Every loader calls :func:`aspect_for_heading` so that a section means the same
thing whatever format it came from; the answer engine reuses :func:`parse_horizon` for questions such
as "what are the first 90 days goals".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from roles.model import ASPECTS, LONG_TERM_DAYS

# Ordered (pattern, aspect) rules; the first match wins, so specific patterns come before broad ones
# ("soft skills" before "skills", "tech stack" before "tools", "scorecard summary" before "hiring").
_RULES: tuple[tuple[str, str], ...] = (
    (r"\bsoft skills?\b|\bbehaviou?ral\b|\bbehaviou?rs\b|\binterpersonal\b", "soft-skills"),
    (r"\bday[- ]to[- ]day\b|\bdaily\b|\bweekly\b|\bmonthly\b|\bquarterly\b|\brituals?\b|\btypical (week|day)\b|"
     r"\bday in the life\b",
     "day-to-day"),
    (r"\bkpis?\b|\bmetrics?\b|\bmeasur(es|ing) success\b|\bperformance indicators?\b|\bsuccess (is )?measure|"
     r"\bsuccess measures\b", "kpis"),
    (r"\bgoals?\b|\bobjectives?\b|\bmilestones?\b|\bfirst \d+ days\b|\b\d+[- ]day\b|\bonboarding plan\b|"
     r"\b30\s*/\s*60\s*/\s*90\b|\bokrs?\b|\bonboarding\b|\bramp[- ]up\b", "goals"),
    (r"\bscorecard summary\b|\brole scorecard\b|\bsummary scorecard\b", "scorecard"),
    (r"\bhiring\b|\binterview|\bcandidate\b|\bevaluation criteria\b|\bred flags?\b", "hiring"),
    (r"\btech(nology)? stack\b|\benvironment\b|\barchitecture landscape\b", "tech-stack"),
    (r"\btools?\b|\bplatforms?\b|\bsoftware\b|\btooling\b", "tools"),
    (r"\bskills?\b|\bcompetenc(y|ies) required\b|\btechnical requirements\b|\bproficienc", "skills"),
    (r"\bstakeholders?\b|\bcollaborat|\binterfaces?\b|\bworking relationships\b|\breports? to\b|"
     r"\breporting lines?\b|\bkey relationships\b|\bworking with others\b", "stakeholders"),
    (r"\bdecision rights?\b|\bauthority\b|\bdecision[- ]making\b|\bscope of authority\b", "decision-rights"),
    (r"\byou('| wi)ll (have|need|bring)\b|\bessential\b|\bdesirable\b|\bexperience\b|\bqualifications?\b|\beducation\b|\bcertifications?\b|\brequirements\b|"
     r"\blooking for\b|\byou (have|bring)\b|\bmust[- ]haves?\b|\bnice[- ]to[- ]haves?\b|\babout you\b|"
     r"\bwho you are\b", "experience"),
    (r"\bcareer\b|\bprogression\b|\bpromotion\b|\bnext roles?\b|\bgrowth path\b", "career-path"),
    (r"\brisks?\b|\bchallenges?\b|\bfailure modes?\b|\banti[- ]patterns?\b|\bpitfalls?\b", "risks"),
    (r"\bvariants?\b|\bvariations?\b", "variants"),
    (r"\bai\b|\bautomation\b|\bartificial intelligence\b", "ai-impact"),
    (r"\bdeliverables?\b|\boutputs?\b|\bartifacts?\b", "deliverables"),
    (r"\bresponsibilit|\bduties\b|\baccountabilit|\bwhat you('| wi)ll do\b|^you( wi|')ll\b|\bkey result areas?\b|\bkras?\b",
     "responsibilities"),
    (r"\bmission\b|\bpurpose\b|\bwhy this role exists\b", "mission"),
    (r"\bsummary\b|\boverview\b|\babout the role\b|\bintroduction\b|\brole description\b", "summary"),
)
_COMPILED = tuple((re.compile(pattern, re.IGNORECASE), aspect) for pattern, aspect in _RULES)

# Career-ladder competency areas: the headings ladders use for what a level is assessed on.
_COMPETENCY = re.compile(
    r"\b(competenc(y|ies)|domain expertise|expertise|teaching|mentor(ing|ship)?|culture|leadership|customer success|"
    r"craft|delivery|impact|communication|collaboration|ownership|influence|execution|technical excellence|"
    r"strategy|people)\b",
    re.IGNORECASE,
)

# Sub-section headings that only narrow their parent ("Strategic responsibilities", "Daily activities",
# "Internal stakeholders") keep the parent's aspect even when a broader rule would match them.
_STICKY = frozenset(ASPECTS) - {"other", "summary", "mission", "experience", "responsibilities", "skills",
                                  "competency", "facts"}

# Aspects that narrow a parent's topic: "Soft skills" under skills, "Key deliverables" under
# responsibilities are their own aspects even though they mention the parent's theme.
_REFINES: dict[str, frozenset[str]] = {
    "skills": frozenset({"soft-skills", "tools", "tech-stack"}),
    "responsibilities": frozenset({"deliverables", "day-to-day", "kpis", "goals"}),
    "experience": frozenset({"skills", "soft-skills"}),
}

_NUMBERING = re.compile(r"^\s*(?:(?:\d+(?:\.\d+)*|[ivxlc]+|[a-z])[.)]|\d+(?:\.\d+)+)\s+", re.IGNORECASE)


@lru_cache(maxsize=8192)
def clean_heading(heading: str) -> str:
    """A heading as people would type it: numbering ("3) "), emoji, markup marks and extra space removed."""
    text = _NUMBERING.sub("", heading.strip())
    if text.isascii():
        return re.sub(r"\s+", " ", text.strip().strip("*#_:").strip())
    kept = []
    for ch in text:
        category = unicodedata.category(ch)
        # So = other symbols (emoji, arrows), Co = private use (the Apple logo of Mac Roman mojibake),
        # Cf/Cc = format and control characters such as the emoji variation selector.
        if category in ("So", "Co", "Cs", "Cf", "Cc", "Sk"):
            continue
        kept.append(ch)
    text = "".join(kept).strip().strip("*#_:").strip()
    return re.sub(r"\s+", " ", text)


@lru_cache(maxsize=8192)
def aspect_for_heading(heading: str, parent: str | None = None) -> str:
    """The canonical aspect of a heading.

    ``parent`` is the aspect of the enclosing section: a sub-section inherits it unless its own heading
    names a more specific aspect (a "Success indicators" block under goals stays goals; "Tools" under
    "Hiring" becomes tools). Unknown headings are ``"other"`` at the top level.
    """
    text = clean_heading(heading)
    own = _match(text)
    if parent and parent != "other":
        if own in _REFINES.get(parent, ()):
            return own
        if own is None or own == parent or _mentions(text, parent):
            # The parent's theme repeated in a sub-heading ("Strategic responsibilities" under
            # responsibilities, "Weekly activities" under day-to-day) is not a new aspect.
            return parent
        if parent in _STICKY:
            # Sub-headings of these sections are facets of one topic ("Typical decision-making
            # authority" under stakeholders, "Budget, vendor, hiring authority" under decision rights,
            # "Scorecard dimensions" under hiring), however much they sound like another aspect.
            return parent
        return own
    return own or "other"


def _match(text: str) -> str | None:
    for pattern, aspect in _COMPILED:
        if pattern.search(text):
            return aspect
    if _COMPETENCY.search(text) and len(text.split()) <= 6:
        return "competency"
    if len(text.split()) <= 6 and is_goal_heading(text):
        # "Days 31-60", "Month 1", "By day 90" on their own head a stage of an onboarding plan.
        return "goals"
    return None


def _mentions(text: str, aspect: str) -> bool:
    for pattern, candidate in _COMPILED:
        if candidate == aspect and pattern.search(text):
            return True
    return False


_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirty": 30, "sixty": 60, "ninety": 90, "eighteen": 18,
    "twenty-four": 24, "twenty four": 24, "thirty-six": 36,
}
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "quarter": 90, "year": 365}
_NUM = r"(\d{1,4}|" + "|".join(sorted((re.escape(w) for w in _NUMBER_WORDS), key=len, reverse=True)) + r")"
_HORIZON = re.compile(
    _NUM + r"\s*(?:-|–|\s)?\s*(day|week|month|quarter|year)s?\b", re.IGNORECASE
)
# "Days 31-60", "By day 90": the end of the span is the horizon.
_DAY_SPAN = re.compile(r"\bdays?\s+(?:\d{1,3}\s*(?:-|–|to)\s*)?(\d{1,3})\b", re.IGNORECASE)
# "Month 1", "Months 2-3", "By month 6", "Week 1", "Weeks 1-4", "Year 2": the end of the span counts.
_UNIT_SPAN = re.compile(r"\b(week|month|quarter|year)s?\s+(?:\d{1,2}\s*(?:-|–|to)\s*)?(\d{1,2})\b", re.IGNORECASE)
# "First month", "Second quarter", "Q1" (the role's first quarter, as onboarding plans use it).
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6}
_ORDINAL_UNIT = re.compile(r"\b(" + "|".join(_ORDINALS) + r")\s+(week|month|quarter|year)\b", re.IGNORECASE)
_QUARTER = re.compile(r"\bQ([1-4])\b")
_LONG_TERM = re.compile(r"\blong[- ]term\b|\bmulti[- ]year\b|\bbeyond\b", re.IGNORECASE)
# "30/60/90" plans name several horizons at once; they are not one goal horizon.
_PLAN = re.compile(r"\b30\s*/\s*60\s*/\s*90\b")


@lru_cache(maxsize=8192)
def parse_horizon(heading: str) -> int | None:
    """The goal horizon in days a heading names, or None.

    "30-day goals" -> 30, "First 90 days" -> 90, "6-month milestones" -> 180, "12-month objectives" ->
    365, "Year one" -> 365, "Long-term impact goals (18–36 months)" -> ``LONG_TERM_DAYS``. Ranges count
    from their start only when the heading is not a long-term one.
    """
    text = clean_heading(heading)
    if _PLAN.search(text):
        return None
    if _LONG_TERM.search(text):
        return LONG_TERM_DAYS
    span = _DAY_SPAN.search(text)
    if span:
        return int(span.group(1))
    match = _HORIZON.search(text)
    if match is not None:
        raw = match.group(1).lower()
        return _days(int(raw) if raw.isdigit() else _NUMBER_WORDS[raw], match.group(2))
    unit_span = _UNIT_SPAN.search(text)
    if unit_span:
        return _days(int(unit_span.group(2)), unit_span.group(1))
    ordinal = _ORDINAL_UNIT.search(text)
    if ordinal:
        return _days(_ORDINALS[ordinal.group(1).lower()], ordinal.group(2))
    quarter = _QUARTER.search(text)
    if quarter:
        return _days(int(quarter.group(1)), "quarter")
    year_one = re.search(r"\b(first|year) (year|one)\b", text, re.IGNORECASE)
    return 365 if year_one else None


def _days(number: int, unit: str) -> int:
    unit = unit.lower()
    if unit == "month" and number == 12:
        return 365
    return number * _UNIT_DAYS[unit]


def is_goal_heading(heading: str) -> bool:
    """True when a heading introduces goals for one horizon ("60-day goals", "6-month milestones")."""
    text = clean_heading(heading)
    if parse_horizon(text) is None:
        return False
    if re.search(r"goal|objective|milestone|first \d+|\bdays?\b|plan|outcome", text, re.IGNORECASE):
        return True
    # A heading that is little more than its horizon ("Month 1", "Weeks 1-4", "Q1", "6 months") names a
    # plan stage; a longer one only mentions a time span ("Emerging skills (next 2-5 years)").
    return len(text.split()) <= 4


def _self_check() -> None:
    # Guard against a rule naming an aspect the model does not know (a typo would silently mis-file).
    unknown = {aspect for _, aspect in _RULES} - set(ASPECTS)
    if unknown:  # pragma: no cover - programming error
        raise RuntimeError(f"unknown aspects in rules: {sorted(unknown)}")


_self_check()
