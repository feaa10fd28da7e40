"""Find a role by the name a person typed: exact title or alias, then id, then a small fuzzy match.

This is the simple lookup behind ``rolebot show``; the answer engine has its own, richer resolver.
"""

from __future__ import annotations

from rapidfuzz import fuzz, process, utils

from roles.errors import RoleNotFound
from roles.index import RoleSummary

#: A fuzzy match (plain edit ratio: partial matches would let short aliases win) at or above this score is taken when no other role scores as well.
ACCEPT_SCORE = 88
#: Names scoring at least this much are offered as "did you mean".
SUGGEST_SCORE = 55


def find_roles(roles: list[RoleSummary], name: str) -> list[RoleSummary]:
    """The roles ``name`` designates: several when the same title exists in several documents.

    Tried in order: exact title, exact alias (any case), id, the one title containing all the words,
    then a fuzzy match that must clearly beat every other title.

    Raises RoleNotFound, with up to three suggestions, when nothing matches well enough.
    """
    wanted = " ".join(name.split()).casefold()
    if not wanted:
        raise RoleNotFound("give a role title, alias or id")
    exact = [r for r in roles if r.title.casefold() == wanted]
    if exact:
        return exact
    by_alias = [r for r in roles if any(a.casefold() == wanted for a in r.aliases)]
    if by_alias:
        return by_alias
    if wanted.isdigit():
        by_id = [r for r in roles if r.id == int(wanted)]
        if by_id:
            return by_id
    words = set(wanted.split())
    containing = {r.title for r in roles if words <= set(r.title.casefold().split())}
    if len(containing) == 1:
        # "solutions architect" -> the one role whose title holds those words.
        return [r for r in roles if r.title in containing]
    # Fuzzy: every title and alias is a name of its role's title; rivals are other titles scoring as well.
    names = {r.title: r.title for r in roles} | {a: r.title for r in roles for a in r.aliases}
    ranked = process.extract(name, list(names), scorer=fuzz.ratio, processor=utils.default_process, limit=8)
    if ranked:
        best_score = ranked[0][1]
        rivals = {names[n] for n, score, _ in ranked if score >= best_score - 3}
        if best_score >= ACCEPT_SCORE and len(rivals) == 1:
            title = rivals.pop()
            return [r for r in roles if r.title == title]
    suggestions: list[str] = []
    for candidate, score, _ in ranked:
        if score >= SUGGEST_SCORE and names[candidate] not in suggestions:
            suggestions.append(names[candidate])
    for title in sorted(containing):  # several titles hold the words: offer them
        if title not in suggestions:
            suggestions.append(title)
    reason = f"no role named {name!r}"
    if suggestions:
        reason += f"; did you mean: {', '.join(suggestions[:3])}?"
    elif not roles:
        reason += " (the index holds no roles)"
    raise RoleNotFound(reason, suggestions[:3])
