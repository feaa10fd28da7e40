"""Reading a follow-up question into a whole one, from the last answer of the same conversation.

"and the 60 day ones?", "what about kpis", "tools?" name no role: they continue from the role of the
last answer ("Post-Sales Engineer 60 day ones"). "compare with pse" compares the last role with the one
named, and "what about pse?" (an opener, a role, no part) asks for the last answer's part of that role.
A question that points back ("which of these matter most", "is this a senior role") or opens with "and"
/ "what about" but names no part ("what about 90?") asks for the last part again, with its own numbers;
after one period's goals, "and after that?" / "what comes next" asks for the role's next period.
Any other question that names a role, even vaguely ("principal kpis"), starts afresh, and so does a
question across roles ("which roles track …", "who owns …").
"""

from __future__ import annotations

from collections.abc import Callable

from roles.answer.conversation import LastAnswer
from roles.answer.query import COMPARE_WORDS, WEAK_COMPARE_WORDS, compare_split, named_apart
from roles.answer.resolve import Resolution, RoleResolver
from roles.answer.result import Answer
from roles.answer.vocabulary import STOPWORDS, AspectRequest, find_aspect, tokenize

#: Words that open a follow-up: "and the 60 day ones?", "what about kpis", "also tools".
OPENERS = ("and", "also", "what about", "how about", "then", "ok", "okay", "same for")
#: Words that ask for a comparison with the last role: "compare with pse", "how is that different from pse".
_COMPARE_INTENT = COMPARE_WORDS | WEAK_COMPARE_WORDS | {"vs", "versus"}
#: Words of "compare with pse" / "how does it compare to pse" that are not the other role.
_COMPARE_FILLER = _COMPARE_INTENT | {"with", "to", "against", "it", "that", "this", "one", "them", "how", "does",
                                     "do", "is", "are", "from"}

#: Words that ask for what comes after the period just shown: "and after that?", "then what?".
_NEXT_WORDS = frozenset({"after", "next", "then", "later"})
#: With one of these, "next" names a time of its own ("next week"), not the period after the last one.
_TIME_UNITS = frozenset({"day", "days", "week", "weeks", "month", "months", "quarter", "quarters", "year", "years"})
#: Words that point back at the last answer's role: "who do they report to", "is this a senior role",
#: "which of these matter most".
_BACK_REFERENCES = frozenset({"they", "them", "their", "it", "its", "this", "that", "these", "those", "he", "she",
                              "his", "her"})


def read_followup(tokens: list[str], last: LastAnswer, resolver: RoleResolver,
                  horizons: Callable[[int], list[int]] | None = None) -> str | None:
    """The whole question a follow-up stands for, or None when ``tokens`` start a new question.

    ``horizons`` gives a role's goal periods in days (by role id): with it, "and after that?" after one
    period's goals asks for the next one's.
    """
    if not tokens:
        return None
    resolution = resolver.resolve(tokens)
    # The best match of another role (read only this far: see roles.answer.matches).
    other = next((m for m in resolution.matches if m.role.id != last.role_id), None) \
        if set(tokens) & _COMPARE_INTENT else None
    if other is not None and other.complete and not _names_two_roles(tokens, resolution, resolver):
        rest = [t for t in tokens if t not in _COMPARE_FILLER]
        if not find_aspect(rest).aspect:
            rest += _last_part(last)  # "compare with pse" after "ptpm 30 day goals": the 30-day goals of both
        return f"compare {last.role_title} and {' '.join(rest)}"
    request = find_aspect(tokens)
    opened = any(" ".join(tokens).startswith(o + " ") for o in OPENERS)
    points_back = bool(_BACK_REFERENCES & set(tokens))
    best = resolution.best
    # "is this a senior role": a word of some title ("senior") next to "this" still means the last role.
    if best is not None and (best.complete or not points_back):
        if opened and not request.aspect and best.complete:
            # "what about pse?" after "ptpm kpis": the part asked for last, of the role named now.
            carried = _last_part(last)
            if carried:
                return f"{' '.join(_without_opener(tokens))} {' '.join(carried)}"
        return None  # a role is named: a new question
    content = [t for i, t in enumerate(tokens) if i not in request.used and t not in STOPWORDS]
    if content and not points_back and resolver.named_by(content):
        return None  # "principal", "senior": words of role names, asked afresh
    if not opened and _asks_across_roles(tokens, points_back):
        return None  # "which roles track data freshness", "who measures the on-call rota"
    rest = _without_opener(tokens)
    # "what comes next" reads as a career path; after a period's goals it means the next period. A part
    # of its own ("then what about tools?") is asked for as it is.
    later = _next_period(tokens, last, horizons) if request.aspect in (None, "goals", "career-path") else None
    if later is not None and (opened or points_back or len(content) <= 2):
        return f"{last.role_title} {later} day goals"  # "and after that?", "what comes next" after 30-day goals
    if request.aspect and (request.strong or opened):
        return f"{last.role_title} {' '.join(rest)}"
    if opened or points_back:
        # "what about 90?" after "pse 30 day goals", "which of these matter most" after "ptc kpis": the
        # last part again (with the new numbers, if any).
        words, carried = _with_last_part(rest, last)
        if carried or points_back:
            return f"{last.role_title} {' '.join(words + carried)}"
    return None


def _next_period(tokens: list[str], last: LastAnswer, horizons: Callable[[int], list[int]] | None) -> int | None:
    """The role's first goal period after the one the last answer showed, when ``tokens`` ask what comes
    next ("and after that?", "then what?"); else None."""
    if horizons is None or not _NEXT_WORDS & set(tokens) or _TIME_UNITS & set(tokens):
        return None
    _, shown = _last_request(last)
    if shown.aspect != "goals" or shown.horizon is None:
        return None
    return min((days for days in horizons(last.role_id) if days > shown.horizon), default=None)


def _with_last_part(rest: list[str], last: LastAnswer) -> tuple[list[str], list[str]]:
    """``rest`` and the last part's words; numbers in ``rest`` replace the last part's ("90" after
    "30 day goals" is "90 day goals")."""
    part = _last_part(last)
    numbers = [w for w in rest if w.isdigit()]
    if numbers and any(w.isdigit() for w in part):
        return [w for w in rest if not w.isdigit()], numbers + [w for w in part if not w.isdigit()]
    return rest, part


def _last_part(last: LastAnswer) -> list[str]:
    """The words of the last question that asked for a part ("30 day goals", "kpis"); [] for an overview."""
    before, request = _last_request(last)
    return [before[i] for i in sorted(request.used)]


def _last_request(last: LastAnswer) -> tuple[list[str], AspectRequest]:
    """The last question's words and the part it asked for."""
    before = tokenize(last.query)
    return before, find_aspect(before)


def _asks_across_roles(tokens: list[str], points_back: bool) -> bool:
    """True for a question about roles in general: "which roles …", "which role owns …", "who …" (but
    not "who do they report to", which ``points_back`` at the last role)."""
    if "roles" in tokens or (tokens[0] in ("which", "what") and "role" in tokens[1:3]):
        return True
    return tokens[0] in ("who", "whose") and not points_back


def _names_two_roles(tokens: list[str], resolution: Resolution, resolver: RoleResolver) -> bool:
    """True when the question names both roles it compares ("compare ptc vs ptpm kpis"): a new question,
    not "compare with pse" after an answer about another role."""
    # The split first: when it names two roles, the roles named apart (which may need the resolution's
    # rest worked out, see roles.answer.matches) are not needed.
    return compare_split(tokens, resolver) is not None or len(named_apart(resolution)) >= 2


def _without_opener(tokens: list[str]) -> list[str]:
    for opener in sorted(OPENERS, key=len, reverse=True):
        words = opener.split()
        if tokens[:len(words)] == words and len(tokens) > len(words):
            return tokens[len(words):]
    return tokens


def last_answer(answer: Answer, page: int = 0) -> LastAnswer | None:
    """What a follow-up to ``answer`` can continue from: its first role and aspect (None for lists,
    searches, help and misses, which are about no one role)."""
    if answer.kind not in ("role_section", "role_overview", "compare") or not answer.roles:
        return None
    role = answer.roles[0]
    return LastAnswer(role.id, role.title, answer.aspect, answer.query, page)
