"""The enrolment modal's role picker: fuzzy ranking of roles as the manager types, and option objects.

Typeahead wants every plausible role in order; ``/role onboard @person <role>`` wants the one role meant
or a refusal, which is :func:`roles.answer.lookup.find_role` (through ``jobs.journeys.resolve_role``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rapidfuzz import fuzz, utils

from roles.index.library import RoleSummary

#: Slack caps an external_select answer at 100 options and an option label at 75 characters.
MAX_OPTIONS = 100
MAX_LABEL = 75
#: Roles scoring below this are not offered.
SUGGEST_SCORE = 50


def _names(role: RoleSummary) -> list[str]:
    names = [role.title, *role.aliases]
    words = [w for w in utils.default_process(role.title).split() if w]
    if len(words) > 1:
        names.append("".join(w[0] for w in words))
    return names


def _score(query: str, role: RoleSummary) -> float:
    return max(fuzz.WRatio(query, name, processor=utils.default_process) for name in _names(role))


def rank_roles(roles: Sequence[RoleSummary], query: str, limit: int = MAX_OPTIONS) -> list[tuple[RoleSummary, float]]:
    """Roles ordered by how well ``query`` matches their title, aliases or initials (best first).

    An empty query keeps the listing order (by title) with score 0.
    """
    if not utils.default_process(query):
        return [(role, 0.0) for role in roles[:limit]]
    scored = [(role, _score(query, role)) for role in roles]
    scored.sort(key=lambda pair: (-pair[1], pair[0].title.casefold()))
    return [pair for pair in scored if pair[1] >= SUGGEST_SCORE][:limit]


def role_label(role: RoleSummary, duplicate: bool = False) -> str:
    """An option label of at most 75 characters; a duplicated title gets its source file to tell apart."""
    label = f"{role.title} ({role.source_path})" if duplicate else role.title
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def role_options(roles: Sequence[RoleSummary], query: str) -> list[dict[str, Any]]:
    """Block Kit option objects for the role picker: value is the role id as a string."""
    ranked = rank_roles(roles, query, MAX_OPTIONS)
    counts: dict[str, int] = {}
    for role in roles:
        counts[role.title.casefold()] = counts.get(role.title.casefold(), 0) + 1
    return [
        {
            "text": {"type": "plain_text", "text": role_label(role, counts[role.title.casefold()] > 1)},
            "value": str(role.id),
        }
        for role, _ in ranked
    ]


def find_role_by_id(roles: Sequence[RoleSummary], value: str) -> RoleSummary | None:
    """The role whose id is ``value`` (the value of a picked option), or None."""
    return next((role for role in roles if str(role.id) == str(value)), None)
