"""The strict lookup of commands that act on a named role (``rolebot show``, enrolment, ``/role onboard``).

A person typed a role name and something will be done to that role, so a guess is worse than a
question: the name must be an exact title or alias (document-defined or configured), an id, or a
clear and complete match of the answer engine's :class:`roles.answer.resolve.RoleResolver` (typos, initials,
document abbreviations, level codes) that uses every word typed and is not shared by two different
titles. Anything else raises :class:`RoleNotFound` with up to three suggestions.

Reasons quote the typed name with ``!r`` and are plain text: a Slack caller escapes them before
showing them, like any text a person typed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process, utils

from core.errors import RoleNotFound
from roles.answer.resolve import Resolution, RoleName, RoleResolver
from roles.answer.vocabulary import STOPWORDS, tokenize

if TYPE_CHECKING:
    from roles.index.library import RoleSummary

#: How many suggestions an unknown name gets.
MAX_SUGGESTIONS = 3
#: Edit-ratio score a title or alias needs to be suggested when the resolver has nothing to offer.
SUGGEST_SCORE = 60
#: Typed names longer than this are shortened when echoed in a reason.
ECHO_CHARS = 80
_COUNTS = {2: "two", 3: "three", 4: "four"}


def find_roles(
    roles: Sequence[RoleSummary], name: str, aliases: Mapping[str, str] | None = None
) -> list[RoleSummary]:
    """The roles ``name`` designates: several only when the same title exists in several documents.

    Tried in order: exact title, exact alias, configured alias (``aliases`` maps alias -> title), id,
    then the role resolver, whose best match must be complete, use every identifying word of ``name``
    and name one title only. Comparisons ignore case, accents and punctuation ("POST SALES ENGINEER").

    Raises RoleNotFound, with up to three suggestions, when nothing matches clearly.
    """
    typed = " ".join(name.split())
    if not typed:
        raise RoleNotFound("Give a role title, alias or id.")
    if not roles:
        raise RoleNotFound(f"No role called {_echo(typed)!r}: the index holds no roles.")
    key = _key(typed)
    for found in (
        [r for r in roles if _key(r.title) == key],
        [r for r in roles if any(_key(a) == key for a in r.aliases)],
        _configured(roles, key, aliases or {}),
        [r for r in roles if typed.isdigit() and r.id == int(typed)],
    ):
        if found:
            return _one_title(found, typed)
    tokens = tokenize(typed)
    resolver = _resolver(_names(roles), tuple(sorted((aliases or {}).items())))
    resolution = resolver.resolve(tokens)
    wanted_ids = _clear_match(resolution, tokens)
    if wanted_ids:
        return [r for r in roles if r.id in wanted_ids]
    # "principal technical": words of several titles, each of which holds them all (one word alone
    # is left to the resolver's near misses).
    words = [t for t in tokens if t not in STOPWORDS]
    sharing = list(dict.fromkeys(r.title for r in resolver.named_by(words) or ())) if len(words) > 1 else []
    if len(sharing) > 1:
        raise _not_found(typed, sharing, several=True)
    raise _not_found(typed, _suggestions(roles, typed, resolution), several=_tied_titles(resolution) > 1)


def find_role(roles: Sequence[RoleSummary], name: str, aliases: Mapping[str, str] | None = None) -> RoleSummary:
    """The one role ``name`` designates (see :func:`find_roles`).

    Raises RoleNotFound as find_roles does, and also when the title exists in several documents: the
    reason lists their sources and ids, since only an id tells them apart.
    """
    found = find_roles(roles, name, aliases)
    if len(found) == 1:
        return found[0]
    count = _COUNTS.get(len(found), str(len(found)))
    where = ", ".join(f"id {r.id} from {r.source_path}" for r in found)
    raise RoleNotFound(f"{count} roles are called {found[0].title!r} ({where}): give the id, e.g. {found[0].id}")


def _key(text: str) -> str:
    return " ".join(tokenize(text))


def _echo(typed: str) -> str:
    return typed if len(typed) <= ECHO_CHARS else typed[: ECHO_CHARS - 1] + "…"


def _configured(roles: Sequence[RoleSummary], key: str, aliases: Mapping[str, str]) -> list[RoleSummary]:
    titles = {_key(title) for alias, title in aliases.items() if _key(alias) == key}
    return [r for r in roles if _key(r.title) in titles]


def _one_title(found: list[RoleSummary], typed: str) -> list[RoleSummary]:
    """``found`` when it is one title (maybe in several documents); an alias shared by two titles is unclear."""
    titles = list(dict.fromkeys(r.title for r in found))
    if len(titles) == 1:
        return found
    raise _not_found(typed, titles, several=True)


def _names(roles: Sequence[RoleSummary]) -> tuple[RoleName, ...]:
    return tuple(RoleName(r.id, r.title, tuple(r.aliases), r.source_path) for r in roles)


@lru_cache(maxsize=2)
def _resolver(names: tuple[RoleName, ...], aliases: tuple[tuple[str, str], ...]) -> RoleResolver:
    # Cached: a CSV import resolves one name per row against the same roles, and the resolver warns
    # once per build about configured aliases that name no title. Two at most: each is keyed by a whole
    # role list (a new one after every index change) and holds ~10 MB at 10,000 roles.
    return RoleResolver(names, dict(aliases))


def _clear_match(resolution: Resolution, tokens: list[str]) -> set[int]:
    """Ids of the roles of the resolver's best match if it is clear, else an empty set."""
    best = resolution.best
    if best is None or not best.complete:
        return set()
    # Every word that can name a role must have been read as part of this one ("data engineer
    # astronaut" is not the Data Engineer): the resolver skips the same words.
    identifying = {pos for pos, word in enumerate(tokens) if word not in STOPWORDS and len(word) >= 2}
    if not identifying <= best.used:
        return set()
    if _tied_titles(resolution) > 1:
        return set()
    return {m.role.id for m in resolution.tied()}


def _tied_titles(resolution: Resolution) -> int:
    """How many different titles the resolver cannot tell apart at the top."""
    return len({m.role.title for m in resolution.tied()})


def _suggestions(roles: Sequence[RoleSummary], typed: str, resolution: Resolution) -> list[str]:
    """Titles worth offering: the resolver's matches and near misses, else the closest spellings."""
    titles = [m.role.title for m in resolution.matches] + resolution.suggestions
    if not titles:
        # Last resort, for suggestions only: a plain edit ratio over every title and alias.
        names = {r.title: r.title for r in roles} | {a: r.title for r in roles for a in r.aliases}
        ranked = process.extract(
            typed, list(names), scorer=fuzz.ratio, processor=utils.default_process, score_cutoff=SUGGEST_SCORE, limit=8
        )
        titles = [names[candidate] for candidate, _score, _ in ranked]
    return list(dict.fromkeys(titles))[:MAX_SUGGESTIONS]


def _not_found(typed: str, suggestions: list[str], several: bool = False) -> RoleNotFound:
    reason = f"{_echo(typed)!r} names several roles." if several else f"No role called {_echo(typed)!r}."
    if suggestions:
        reason += f" Did you mean: {', '.join(suggestions[:MAX_SUGGESTIONS])}?"
    return RoleNotFound(reason, suggestions[:MAX_SUGGESTIONS])
