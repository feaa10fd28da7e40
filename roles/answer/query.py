"""Reading a query before answering it: what a person typed, whether it is small talk, which words
are left once the role and the aspect are read, which roles it names apart, how "A vs B" splits, and
whether it names a title no role has.

Pure functions over tokens (``roles.answer.vocabulary.tokenize``) and a :class:`roles.answer.resolve.RoleResolver`;
the answer engine (:mod:`roles.answer.engine`) decides what to do with them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from roles.answer.resolve import Resolution, RoleMatch, RoleResolver
from roles.answer.vocabulary import STOPWORDS, AspectRequest

#: Words that ask for a comparison; with them "A vs B" / "A and B" is split into two roles.
COMPARE_WORDS = frozenset({"compare", "compared", "comparison", "difference", "differences", "between", "contrast",
                           "differ", "differs"})
#: Words that belong to a comparison once two roles are named ("how is the pse different from the ptc")
#: but ask for none alone ("different customers"): never a part of the roles asked about.
WEAK_COMPARE_WORDS = frozenset({"different"})
SEPARATORS = ("vs", "v", "versus", "and", "with", "against", "to", "or", "from")
#: Small talk: a query of these (and stop words) gets the help text, not a search for "thanks".
CHAT_WORDS = frozenset(
    "hello hi hey hiya yo thanks thank thx ty cheers ok okay cool great bye goodbye morning good".split()
)


def named_apart(resolution: Resolution) -> list[RoleMatch]:
    """Roles each named in full by words of their own ("ptpm pse ptc"), in query order; else []."""
    found: list[RoleMatch] = []
    taken: set[int] = set()
    matches = resolution.matches

    def consider(candidates: Iterable[RoleMatch]) -> None:
        for match in candidates:
            if not match.complete or match.used & taken:
                continue
            if any(m.role.title == match.role.title for m in found):
                continue
            found.append(match)
            taken.update(match.used)

    consider(matches.head)
    # The matches after the head use only rest_positions: once those are taken, none of them can be
    # named apart, and they need not be worked out.
    if not matches.rest_positions <= taken:
        consider(matches[len(matches.head):])
    return sorted(found, key=lambda m: min(m.used)) if len(found) > 1 else []


def unknown_title(tokens: list[str], best: RoleMatch, request: AspectRequest, resolver: RoleResolver) -> str:
    """The title a query names when it is no role's: "security engineer" in "principal security engineer
    kpis", where "engineer" ends a known title but "security" is in none. Else ""."""
    last = max(best.used)
    if not resolver.is_title_word(tokens[last]):
        return ""  # matched through a typo or an abbreviation: no sign of another title
    start = last
    while (start > 0 and start - 1 not in best.used and start - 1 not in request.used
           and tokens[start - 1] not in STOPWORDS and not tokens[start - 1].isdigit()):
        start -= 1
    if start == last or all(resolver.is_title_word(t) for t in tokens[start:last]):
        return ""
    while start > 0 and resolver.is_title_word(tokens[start - 1]) and tokens[start - 1] not in STOPWORDS:
        start -= 1  # the seniority word before it: "principal security engineer"
    return " ".join(tokens[start:last + 1])


_SLACK_LINK = re.compile(r"<(?:https?|mailto):[^|>]*\|([^>]*)>")
_SLACK_MARKUP = re.compile(r"<(?:[@#!]|https?:|mailto:)[^>]*>|https?://\S+|:[a-z0-9_+'-]+:")


def plain_text(text: str) -> str:
    """The words a person typed, without what Slack or a paste adds around them.

    "R&amp;D" is "R&D" and "A & B" reads as "A and B"; a link keeps its label; mentions
    ("<@U123>", "<!channel>"), bare URLs and emoji codes (":wave:") go: as words they would only
    dilute a search ("<@U123> who owns reference architectures" found nothing).
    """
    text = html.unescape(text)
    text = _SLACK_LINK.sub(r" \1 ", text)
    text = _SLACK_MARKUP.sub(" ", text)
    return text.replace("&", " and ")


def is_small_talk(tokens: list[str]) -> bool:
    """"thanks", "hi there", "what can you do": words to the bot, not about any role."""
    content = [t for t in tokens if t not in STOPWORDS]
    if content:
        return all(t in CHAT_WORDS for t in content)
    return bool({"you", "your"} & set(tokens))


def leftover(tokens: list[str], used: frozenset[int] | set[int]) -> list[str]:
    """Content words of the query not used for the role or the aspect."""
    return [w for i, w in enumerate(tokens) if i not in used and w not in STOPWORDS and len(w) > 1]


def compare_split(tokens: list[str], resolver: RoleResolver) -> tuple[RoleMatch, RoleMatch] | None:
    """The two roles of "compare A and B" / "A vs B": the split where both sides name a role."""
    start = 0
    while start < len(tokens) and (tokens[start] in COMPARE_WORDS or tokens[start] in STOPWORDS):
        start += 1
    everything = set(range(len(tokens)))
    best: tuple | None = None
    for cut, word in enumerate(tokens):
        if word not in SEPARATORS or cut <= start:
            continue
        left = resolver.resolve(tokens, skip=everything - set(range(start, cut)))
        right = resolver.resolve(tokens, skip=everything - set(range(cut + 1, len(tokens))))
        if left.best is None or right.best is None or left.best.role.id == right.best.role.id:
            continue
        rank = (word in ("vs", "versus", "v"), len(left.best.used) + len(right.best.used))
        if best is None or rank > best[0]:
            best = (rank, left.best, right.best)
    return (best[1], best[2]) if best else None


#: Verbs that say a role does a thing rather than only mentions it: "who owns / is responsible for …".
OWNERSHIP_WORDS = frozenset({"own", "owns", "owning", "owner", "owners", "responsible", "accountable", "lead", "leads",
                             "leading", "drive", "drives", "driving", "charge", "runs", "run", "manages", "manage"})
#: How many words may stand between such a verb and the thing in a document ("owns the regional …").
OWNERSHIP_REACH = 4


def states_ownership(words: list[str], stems: list[str], wanted: set[str]) -> bool:
    """True when one of the ``wanted`` stems follows an ownership verb (as written, so that a heading
    "Responsibilities" is no verb) within OWNERSHIP_REACH words of a passage ("own reference
    architectures"). ``stems`` are the stems of ``words``."""
    for i, word in enumerate(words):
        if word in OWNERSHIP_WORDS and wanted & set(stems[i + 1:i + 1 + OWNERSHIP_REACH]):
            return True
    return False

