"""Reading a follow-up question into a whole one, from the last answer of the same conversation.

"and the 60 day ones?", "what about kpis", "tools?" name no role: they continue from the role of the
last answer ("Post-Sales Engineer 60 day ones"). "compare with pse" compares the last role with the one
named, and "what about pse?" (an opener, a role, no part) asks for the last answer's part of that role.
Any other question that names a role, even vaguely ("principal kpis"), starts afresh, and so does a
question across roles ("which roles track …", "who owns …").
"""

from __future__ import annotations

from roles.answer.conversation import LastAnswer
from roles.answer.query import COMPARE_WORDS, compare_split, named_apart
from roles.answer.resolve import Resolution, RoleResolver
from roles.answer.result import Answer
from roles.answer.vocabulary import STOPWORDS, find_aspect, tokenize

#: Words that open a follow-up: "and the 60 day ones?", "what about kpis", "also tools".
OPENERS = ("and", "also", "what about", "how about", "then", "ok", "okay", "same for")
#: Words of "compare with pse" / "how does it compare to pse" that are not the other role.
_COMPARE_FILLER = COMPARE_WORDS | {"vs", "versus", "with", "to", "against", "it", "that", "this", "one",
                                   "them", "how", "does", "do"}

#: Words that point back at the last answer's role: "who do they report to", "who does this role hire".
_BACK_REFERENCES = frozenset({"they", "them", "their", "it", "its", "this", "that", "he", "she", "his", "her"})


def read_followup(tokens: list[str], last: LastAnswer, resolver: RoleResolver) -> str | None:
    """The whole question a follow-up stands for, or None when ``tokens`` start a new question."""
    if not tokens:
        return None
    resolution = resolver.resolve(tokens)
    others = [m for m in resolution.matches if m.role.id != last.role_id]
    if set(tokens) & (COMPARE_WORDS | {"vs", "versus"}) and others and others[0].complete \
            and not _names_two_roles(tokens, resolution, resolver):
        rest = [t for t in tokens if t not in _COMPARE_FILLER]
        if not find_aspect(rest).aspect:
            rest += _last_part(last)  # "compare with pse" after "ptpm 30 day goals": the 30-day goals of both
        return f"compare {last.role_title} and {' '.join(rest)}"
    request = find_aspect(tokens)
    opened = any(" ".join(tokens).startswith(o + " ") for o in OPENERS)
    if resolution.matches:
        if opened and not request.aspect and resolution.matches[0].complete:
            # "what about pse?" after "ptpm kpis": the part asked for last, of the role named now.
            carried = _last_part(last)
            if carried:
                return f"{' '.join(_without_opener(tokens))} {' '.join(carried)}"
        return None  # a role is named: a new question
    content = [t for i, t in enumerate(tokens) if i not in request.used and t not in STOPWORDS]
    if content and resolver.named_by(content):
        return None  # "principal", "senior": words of role names, asked afresh
    if not (request.aspect and (request.strong or opened)):
        return None
    if not opened and _asks_across_roles(tokens):
        return None  # "which roles track data freshness", "who measures the on-call rota"
    rest = _without_opener(tokens)
    return f"{last.role_title} {' '.join(rest)}"


def _last_part(last: LastAnswer) -> list[str]:
    """The words of the last question that asked for a part ("30 day goals", "kpis"); [] for an overview."""
    before = tokenize(last.query)
    return [before[i] for i in sorted(find_aspect(before).used)]


def _asks_across_roles(tokens: list[str]) -> bool:
    """True for a question about roles in general: "which roles …", "which role owns …", "who …" (but
    not "who do they report to", which points back at the last role)."""
    if "roles" in tokens or (tokens[0] in ("which", "what") and "role" in tokens[1:3]):
        return True
    return tokens[0] in ("who", "whose") and not _BACK_REFERENCES & set(tokens)


def _names_two_roles(tokens: list[str], resolution: Resolution, resolver: RoleResolver) -> bool:
    """True when the question names both roles it compares ("compare ptc vs ptpm kpis"): a new question,
    not "compare with pse" after an answer about another role."""
    return len(named_apart(resolution)) >= 2 or compare_split(tokens, resolver) is not None


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
