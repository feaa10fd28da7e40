"""The words people use for the parts of a role, and the plumbing to find them in a query.

``"how is a PSE measured"`` asks for KPIs, ``"what comes after this role"`` for the career path,
``"first month"`` for the 30-day goals and ``"red flags"`` for one sub-section of the hiring criteria.
:func:`find_aspect` turns such phrases into an :class:`AspectRequest` and says which query words it
used, so that the role resolver and the free-text search do not read them again.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from roles.aspects import parse_horizon

#: Words that carry no meaning for matching a role or searching text. They never match a role title.
STOPWORDS = frozenset(
    """
    a an the and or but nor of in on at to for from by with without into onto over under about as
    is are was were be been being am do does did doing done have has had having get gets got
    what whats what's which who whom whose when where why how whats
    i me my we our us you your they them their he she his her it its this that these those there here
    should would could can will shall may might must need needs want wants like
    please tell show give find list me any some all each every more most much many
    role roles job position title person someone somebody people team
    s t d ll re ve m
    typical typically usually expected expect good mean means meaning
    """.split()
)

#: Words that say who asks ("as a new PSE") rather than what: not read as part of a role's text, but
#: still searched for ("onboarding time for new engineers" is a KPI).
ASKER_WORDS = frozenset({"new"})

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u2013": "-", "\u2014": "-", "\u2212": "-"})
_TOKEN = re.compile(r"[^\W_]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def normalize(text: str) -> str:
    """Lower-case text with typographic quotes and dashes made plain and accents removed ("résumé")."""
    text = text or ""
    if text.isascii():
        return text.lower()  # nothing to decompose, translate or strip: most section text, every typed query
    text = unicodedata.normalize("NFKD", text).translate(_APOSTROPHES)
    if text.isascii():
        return text.lower()  # only typographic quotes and dashes were not ASCII: no accent to strip
    # Accents go, as in the index's tokenizer (remove_diacritics), so "resume" finds "résumé"; only the
    # runs of non-ASCII characters are looked at one by one.
    return _NON_ASCII.sub(_without_accents, text).lower()


def _without_accents(run: re.Match) -> str:
    return "".join(ch for ch in run.group() if not unicodedata.combining(ch))


def tokenize(text: str) -> list[str]:
    """The words of ``text``: lower-case runs of letters and digits (hyphens and punctuation split)."""
    return _TOKEN.findall(normalize(text))


@dataclass(frozen=True)
class AspectRequest:
    """What part of a role a query asks for.

    ``aspect`` is a canonical aspect (``roles.model.ASPECTS``) or None; ``horizon`` a goal horizon in
    days; ``hints`` are heading or label phrases that pick one sub-section ("red flags") or item
    ("reports to") inside the aspect when the role has them.
    """

    aspect: str | None = None
    horizon: int | None = None
    hints: tuple[str, ...] = ()
    #: Positions of the query tokens this request was read from.
    used: frozenset[int] = field(default_factory=frozenset)
    #: False when only a weak verb ("do", "own") suggested the aspect.
    strong: bool = True
    #: True when the query asks for a whole plan ("30 60 90", "first 90 days", "onboarding plan"): every
    #: goal period up to ``horizon``, in order, rather than the one period of that horizon.
    plan: bool = False


@dataclass(frozen=True)
class _Synonym:
    words: tuple[str, ...]
    aspect: str
    hints: tuple[str, ...]
    #: 2 = a noun naming the aspect ("kpis"), 1 = a weak verb ("do", "own") that loses to any noun.
    strength: int


def _synonyms() -> list[_Synonym]:
    table: dict[str, tuple[str, ...]] = {
        "summary": ("summary", "role summary", "summarise", "summarize", "tldr", "tl dr", "in short"),
        "mission": ("mission", "purpose", "why does this role exist", "why does it exist", "why exist",
                    "exist", "exists", "strategic importance", "business value"),
        "responsibilities": ("responsibilities", "responsibility", "duties", "duty", "accountabilities",
                             "accountable for", "in charge of", "remit", "core responsibilities"),
        "day-to-day": ("day to day", "day-to-day", "all day", "whole day", "daily", "a typical day", "typical day", "day in the life",
                       "routine", "activities", "daily work", "everyday"),
        "deliverables": ("deliverables", "deliverable", "outputs", "artifacts", "artefacts", "work products",
                         "produce", "produces"),
        "goals": ("goals", "goal", "objectives", "objective", "milestones", "milestone", "okrs",
                  "onboarding plan", "30 60 90", "30/60/90", "ramp up", "ramp-up", "success definition",
                  # What a new hire asks: "I'm starting as a PTC", "what should I focus on".
                  "new hire", "new joiner", "starting", "just started", "focus on", "learn first",
                  "expected of me"),
        "kpis": ("kpi", "kpis", "metrics", "metric", "measured", "measure", "measures", "measurement",
                 "targets", "target", "performance indicators", "key performance indicators",
                 "success metrics", "productivity metrics", "track", "tracked", "scorecard metrics",
                 "how often", "frequency", "how frequently", "benchmark", "benchmarks", "evaluated",
                 "judged", "performance review", "how is success measured",
                 # A manager's words for it: "how do I know my PSE is doing well".
                 "doing well", "performing well", "doing a good job"),
        "skills": ("skills", "skill", "technical skills", "hard skills", "skillset", "skill set",
                   "abilities", "must have skills", "good to have skills", "know", "knowledge"),
        "soft-skills": ("soft skills", "soft skill", "behaviours", "behaviors", "behavioral", "behavioural",
                        "people skills", "interpersonal"),
        "tools": ("tools", "tool", "tooling", "software", "platforms", "apps", "applications"),
        "tech-stack": ("tech stack", "technology stack", "stack", "technologies", "technology",
                       "environment", "tech environment"),
        "stakeholders": ("stakeholders", "stakeholder", "work with", "works with", "collaborate with",
                         "collaborates with", "collaboration", "collaborators", "peers", "partners",
                         "interfaces", "who do they work with", "meet", "who should i meet"),
        "decision-rights": ("decision rights", "decisions", "decide", "decides", "authority", "approve",
                            "approval", "approvals", "sign off", "scope of authority", "autonomy", "autonomous"),
        "experience": ("experience", "qualifications", "qualification", "years of experience", "education",
                       "degree", "background", "requirements", "required experience"),
        "career-path": ("career path", "career", "career progression", "progression", "promotion",
                        "promoted", "next role", "next roles", "what comes after", "comes after",
                        "after this role", "next step", "next steps", "growth path", "grow into",
                        "move to", "feeder roles", "grow"),
        "risks": ("risks", "risk", "challenges", "challenge", "failure modes", "pitfalls", "mistakes",
                  "what can go wrong", "underperformance"),
        "variants": ("variants", "variant", "variations", "how does it vary", "differences by company size"),
        "ai-impact": ("ai", "ai impact", "impact of ai", "automation", "automated", "automate",
                      "artificial intelligence", "genai", "gen ai", "llm", "llms"),
        "hiring": ("hiring", "hire", "interview", "interviews", "interview questions", "interviewing",
                   "candidate", "candidates", "assess", "assessment", "recruiting", "recruitment",
                   "hiring criteria", "evaluation criteria"),
        "scorecard": ("scorecard", "score card", "role scorecard", "scorecard summary", "cheat sheet"),
        "competency": ("competency", "competencies", "competency areas", "ladder", "level expectations"),
        "facts": ("facts", "key facts", "at a glance"),
    }
    weak: dict[str, tuple[str, ...]] = {
        # Verbs of "who runs / owns / leads X" questions: they name the relation, X carries the meaning.
        "responsibilities": ("do", "does", "doing", "own", "owns", "job", "work", "handle", "handles",
                             "scope", "expected to", "run", "runs", "lead", "leads", "manage", "manages",
                             "drive", "drives", "responsible", "responsible for", "in charge"),
        # "which roles use Terraform": the tool carries the question.
        "tools": ("use", "uses", "using", "used"),
    }
    # Phrases that name one sub-section (or item) of an aspect; the hints find it inside the role.
    narrow: dict[tuple[str, tuple[str, ...]], tuple[str, ...]] = {
        ("stakeholders", ("reporting line", "reports to", "report to", "reporting")): (
            "report to", "reports to", "reporting to", "reporting line", "who is the manager",
            "line manager", "who do they report to", "reporting"),
        ("experience", ("certification", "certifications", "certificates", "certs")): (
            "certs", "cert", "certifications", "certification", "certificates", "certificate", "certified"),
        ("experience", ("years of experience", "typical years")): ("years of experience", "how many years",
                                                                   "years"),
        ("experience", ("education",)): ("education", "degree", "university", "diploma"),
        ("hiring", ("red flags", "red flag")): ("red flags", "red flag", "warning signs", "dealbreakers",
                                                "deal breakers"),
        ("hiring", ("strong candidate signals", "strong signals")): ("strong candidate", "strong signals",
                                                                      "green flags"),
        ("hiring", ("weak candidate signals", "weak signals")): ("weak candidate", "weak signals"),
        ("hiring", ("interview", "what to assess")): ("interview questions", "what to assess", "look for"),
        ("hiring", ("practical exercises", "case studies", "exercises")): ("exercises", "case study",
                                                                          "case studies", "take home"),
        ("career-path", ("next likely roles", "next roles", "after this role")): (
            "what comes after", "comes after", "next role", "next roles", "after this role", "promotion",
            "promoted", "next step", "next steps", "move to", "grow into"),
        ("career-path", ("feeder roles", "into this role")): ("feeder roles", "before this role",
                                                              "comes before", "how to get into", "become",
                                                              "how do i become", "get into", "feed into",
                                                              "feeds into"),
        ("career-path", ("skills needed for promotion", "promotion")): ("promotion skills",
                                                                        "skills for promotion",
                                                                        "skills needed for promotion"),
        ("risks", ("anti-patterns", "anti patterns")): ("anti patterns", "anti-patterns", "antipatterns",
                                                        "what to avoid"),
        ("risks", ("bottlenecks",)): ("bottlenecks", "bottleneck"),
        ("decision-rights", ("budget",)): ("budget", "budget authority"),
        # "what level is a PTC", "does the PTPM manage people": how senior the role is, in its summary.
        ("summary", ("seniority",)): ("seniority", "what level", "which level", "how senior", "people manager",
                                      "direct reports", "manage people", "manages people"),
        ("decision-rights", ("hiring",)): ("hiring authority", "hiring decisions"),
        ("risks", ("underperformance",)): ("underperformance", "underperform", "underperforming", "struggling",
                                           "why people fail", "fail", "fails", "failing"),
        ("ai-impact", ("automated", "automation")): ("can be automated", "tasks automated",
                                                     "what can be automated"),
        ("ai-impact", ("human-critical", "human critical")): ("human critical", "remain human"),
        ("day-to-day", ("daily activities", "daily")): ("daily",),
        ("day-to-day", ("weekly activities", "weekly")): ("weekly", "each week", "every week"),
        ("day-to-day", ("monthly", "quarterly")): ("monthly", "quarterly"),
        ("day-to-day", ("meetings", "rituals")): ("meetings", "rituals", "ceremonies"),
        ("stakeholders", ("internal stakeholders",)): ("internal stakeholders",),
        ("stakeholders", ("external stakeholders",)): ("external stakeholders", "customers they work with"),
        ("stakeholders", ("escalation points", "escalation")): ("escalation points", "escalate to",
                                                               "escalation path"),
        ("skills", ("must-have", "must have")): ("must have", "must-have", "required skills",
                                                  "essential skills"),
        ("skills", ("good-to-have", "good to have", "nice to have")): ("good to have", "nice to have"),
        ("goals", ("success definition",)): ("success definition", "what does success look like",
                                                           "success looks like"),
        ("goals", ("high performance",)): ("high performance", "high performer", "what great looks like"),
    }
    # "my manager says I'm a PTC, what are my goals": "manager" names the reporting line only when
    # nothing else is asked.
    weak_narrow: dict[tuple[str, tuple[str, ...]], tuple[str, ...]] = {
        ("stakeholders", ("reporting line", "reports to", "report to", "reporting")): ("manager", "boss"),
    }
    out: list[_Synonym] = []
    for aspect, phrases in table.items():
        out.extend(_Synonym(tuple(tokenize(p)), aspect, (), 2) for p in phrases)
    for aspect, phrases in weak.items():
        out.extend(_Synonym(tuple(tokenize(p)), aspect, (), 1) for p in phrases)
    for (aspect, hints), phrases in narrow.items():
        out.extend(_Synonym(tuple(tokenize(p)), aspect, hints, 2) for p in phrases)
    for (aspect, hints), phrases in weak_narrow.items():
        out.extend(_Synonym(tuple(tokenize(p)), aspect, hints, 1) for p in phrases)
    # Longest phrases first: "soft skills" must win over "skills", "ai impact" over "ai".
    out.sort(key=lambda s: (-len(s.words), -s.strength, -len(s.hints)))
    return [s for s in out if s.words]


def fold(word: str) -> str:
    """A word with a plural or third-person "s" dropped, so "tracks" reads like "track" ("ss" stays)."""
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


SYNONYMS = _synonyms()
#: Single words that name an aspect on their own ("kpis", "tools", "stakeholders"): what a misspelt
#: aspect word is compared with.
ASPECT_WORDS = frozenset(s.words[0] for s in SYNONYMS if len(s.words) == 1 and s.strength > 1)
_BY_FIRST: dict[str, list[_Synonym]] = {}
for _syn in SYNONYMS:
    _BY_FIRST.setdefault(_syn.words[0], []).append(_syn)


@lru_cache(maxsize=8192)
def _phrases_from(word: str) -> tuple[_Synonym, ...]:
    """The aspect phrases that can start at a query word (as typed or folded), longest first.

    Worked out once per word (every question reads each of its words): the table of phrases is fixed.
    """
    options = _BY_FIRST.get(word, []) + (_BY_FIRST.get(fold(word), []) if fold(word) != word else [])
    # Longest phrase first, across both spellings of the first word.
    options.sort(key=lambda s: (-len(s.words), -s.strength, -len(s.hints)))
    return tuple(options)


def _says(tokens: list[str], words: tuple[str, ...]) -> bool:
    # One way only: "tracks" says "track", but "year" does not say "years".
    return len(tokens) == len(words) and all(t == w or fold(t) == w for t, w in zip(tokens, words, strict=True))

# Phrases that name a horizon without a number; rewritten so parse_horizon can read them.
_RELATIVE = {
    ("first", "day"): "1 day",
    ("day", "one"): "1 day",
    ("day", "1"): "1 day",
    ("first", "week"): "7 days",
    ("first", "month"): "30 days",
    ("first", "quarter"): "90 days",
    ("first", "year"): "365 days",
    ("first", "half", "year"): "180 days",
    ("half", "year"): "180 days",
    ("half", "a", "year"): "180 days",
    ("long", "term"): "long-term",
    ("first", "two", "months"): "60 days",
    ("first", "three", "months"): "90 days",
    ("first", "six", "months"): "180 days",
    ("week", "1"): "7 days",
    ("week", "one"): "7 days",
}
#: Longest first, so that "first half year" wins over "half year"; and the words they start with.
_RELATIVE_LONGEST_FIRST = sorted(_RELATIVE.items(), key=lambda kv: -len(kv[0]))
_RELATIVE_STARTS = frozenset(words[0] for words in _RELATIVE)
_UNITS = ("day", "days", "week", "weeks", "month", "months", "quarter", "quarters", "year", "years", "mo",
          "d", "yr", "yrs")
_NUMBER_WORDS = ("one", "two", "three", "four", "five", "six", "nine", "twelve", "eighteen", "thirty",
                 "sixty", "ninety")
_UNIT_ALIASES = {"mo": "months", "d": "days", "yr": "years", "yrs": "years"}
_GLUED = re.compile(r"(\d{1,4})(d|day|days|mo|month|months)")


def find_horizon(tokens: list[str]) -> tuple[int | None, set[int]]:
    """The goal horizon a query names ("first month", "90 days", "6 month", "year one") and where."""
    for i in range(len(tokens)):
        for words, rewrite in _RELATIVE_LONGEST_FIRST if tokens[i] in _RELATIVE_STARTS else ():
            if tuple(tokens[i:i + len(words)]) == words:
                horizon = parse_horizon(rewrite)
                used = set(range(i, i + len(words)))
                # "the first 90 days" keeps "first" out of the role words as well.
                return horizon, used
        token = tokens[i]
        if (token.isdigit() or token in _NUMBER_WORDS) and i + 1 < len(tokens) and tokens[i + 1] in _UNITS:
            unit = _UNIT_ALIASES.get(tokens[i + 1], tokens[i + 1])
            horizon = parse_horizon(f"{token} {unit}")
            if horizon is not None and 0 < horizon <= 5000:
                used = {i, i + 1}
                if i > 0 and tokens[i - 1] in ("first", "next"):
                    used.add(i - 1)
                return horizon, used
        # "30d", "90day": a number glued to its unit.
        glued = _GLUED.fullmatch(token) if token[:1].isdigit() else None
        if glued:
            unit = _UNIT_ALIASES.get(glued.group(2), glued.group(2))
            return parse_horizon(f"{glued.group(1)} {unit}"), {i}
    if tokens[:2] == ["year", "one"] or "year one" in " ".join(tokens):
        at = " ".join(tokens).split().index("year")
        return 365, {at, at + 1}
    return None, set()


#: Words that join the horizons of a plan: "30, 60 and 90 days", "30/60/90".
_PLAN_JOINERS = frozenset({"and", "or", "to", "then"})
#: Phrases that ask for the onboarding plan without naming a horizon; it runs to 90 days.
_PLAN_PHRASES = (("onboarding", "plan"), ("ramp", "up", "plan"), ("onboarding", "goals"), ("my", "plan"))
PLAN_DAYS = 90


def find_horizons(tokens: list[str]) -> tuple[int | None, set[int], bool]:
    """The goal horizon a query names, where, and whether it asks for the whole plan up to it.

    A plan is several horizons in a row ("30 60 90", "30, 60 and 90 day goals"), a span counted from the
    start ("first 90 days", "first quarter", "first week"), an "N day plan", or "onboarding plan".
    """
    single = find_horizon(tokens)
    horizon, used = _plan(tokens, single)
    if horizon is not None:
        return horizon, used, True
    return single[0], single[1], False


def _plan(tokens: list[str], single: tuple[int | None, set[int]]) -> tuple[int | None, set[int]]:
    """The plan's last horizon and where (see :func:`find_horizons`); ``single`` is the one horizon the
    query names (:func:`find_horizon`)."""
    numbers = [i for i, t in enumerate(tokens) if t.isdigit() and 0 < int(t) <= 5000]
    run: list[int] = []
    for i in numbers:
        between = tokens[run[-1] + 1:i] if run else []
        if run and all(t in _PLAN_JOINERS for t in between) and int(tokens[i]) > int(tokens[run[-1]]):
            run.append(i)
        elif len(run) < 2:
            run = [i]
    if len(run) >= 2:
        last = run[-1]
        unit = tokens[last + 1] if last + 1 < len(tokens) and tokens[last + 1] in _UNITS else "days"
        horizon = parse_horizon(f"{tokens[last]} {_UNIT_ALIASES.get(unit, unit)}")
        used = set(range(run[0], last + 1))
        if last + 1 < len(tokens) and tokens[last + 1] in _UNITS:
            used.add(last + 1)
        elif int(tokens[run[0]]) < 7:
            return None, set()  # "from 3 to 4": levels, not days
        return horizon, used
    horizon, used = single
    if horizon is None:
        for words in _PLAN_PHRASES:
            for i in range(len(tokens) - len(words) + 1):
                if tuple(tokens[i:i + len(words)]) == words:
                    return PLAN_DAYS, set(range(i, i + len(words)))
        return None, set()
    after = max(used) + 1
    counted = any(tokens[i] in ("first", "week") for i in used)  # "first 90 days", "first quarter", "week 1"
    # Beyond the onboarding quarter, "first year" asks for that year's objectives, not six periods.
    if (counted and horizon <= PLAN_DAYS) or tokens[after:after + 1] == ["plan"]:
        return horizon, used | ({after} if tokens[after:after + 1] == ["plan"] else set())
    return None, set()


def find_aspect(tokens: list[str], skip: frozenset[int] | set[int] = frozenset()) -> AspectRequest:
    """The aspect request in a tokenised query; tokens at positions in ``skip`` are not read.

    A goal horizon implies the goals aspect. Among several aspect phrases the strongest wins (a noun
    beats a weak verb such as "do"), then the longest, then the first.
    """
    horizon, horizon_used, plan = find_horizons([t if i not in skip else "\0" for i, t in enumerate(tokens)])
    found: list[tuple[_Synonym, int]] = []
    taken: set[int] = set(skip) | horizon_used
    for i in range(len(tokens)):
        if i in taken:
            continue
        for syn in _phrases_from(tokens[i]):
            span = range(i, i + len(syn.words))
            # A phrase of three words or more is unmistakable even where a word of it also names the
            # role: "what does success look like for a csm" ("success" is in the CSM's title).
            blocked = taken - set(skip) if len(syn.words) >= 3 else taken
            if span.stop <= len(tokens) and _says(tokens[i:span.stop], syn.words) and not blocked & set(span):
                found.append((syn, i))
                taken |= set(span)
                break
    used = set(horizon_used)
    for syn, at in found:
        used |= set(range(at, at + len(syn.words)))
    if horizon is not None:
        hints = tuple(h for syn, _ in found if syn.aspect == "goals" for h in syn.hints)
        return AspectRequest("goals", horizon, hints, frozenset(used), plan=plan)
    if not found:
        return AspectRequest(used=frozenset(used))
    # The aspect named most often wins among the strongest: "which kpis are measured quarterly" asks
    # for KPIs ("kpis", "measured"), "quarterly" only narrows them.
    votes: dict[str, int] = {}
    for syn, _ in found:
        votes[syn.aspect] = votes.get(syn.aspect, 0) + syn.strength
    best, _ = max(found, key=lambda f: (f[0].strength, votes[f[0].aspect], len(f[0].hints) > 0, len(f[0].words),
                                        -f[1]))
    hints = tuple(h for syn, _ in found if syn.aspect == best.aspect for h in syn.hints)
    # Words naming another aspect stay in the question ("quarterly" is then searched for); weak verbs
    # ("owns") are relation words and are read either way.
    used = set(horizon_used)
    for syn, at in found:
        if syn.aspect == best.aspect or syn.strength == 1:
            used |= set(range(at, at + len(syn.words)))
    return AspectRequest(best.aspect, None, hints, frozenset(used), strong=best.strength > 1)
