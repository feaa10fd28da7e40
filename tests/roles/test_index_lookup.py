"""find_roles: the small role lookup behind `rolebot show`."""

from __future__ import annotations

import pytest

from roles.errors import RoleNotFound
from roles.index import RoleSummary
from roles.index_lookup import find_roles


def summary(role_id: int, title: str, *aliases: str, source: str = "a.md") -> RoleSummary:
    return RoleSummary(role_id, title, list(aliases), source, None, "markdown", {}, 0, {})


ROLES = [
    summary(1, "Principal Technical Consultant"),
    summary(2, "Principal Implementation Consultant"),
    summary(3, "Principal Technical Product Manager", "PTPM"),
    summary(4, "Senior Solutions Architect", "L4", "L4 Senior Solutions Architect"),
    summary(5, "Data Engineer", source="blog/de.txt"),
    summary(6, "Data Engineer", source="ladder/de.md"),
]


def ids(found: list[RoleSummary]) -> list[int]:
    return [r.id for r in found]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("principal technical consultant", [1]),  # exact title, any case
        ("ptpm", [3]),  # alias
        ("2", [2]),  # id
        ("solutions architect", [4]),  # the one title holding these words
        ("principal implementation consultnt", [2]),  # typo
        ("Data Engineer", [5, 6]),  # same title in two documents: both
    ],
)
def test_find_roles(query, expected):
    assert ids(find_roles(ROLES, query)) == expected


def test_words_shared_by_several_titles_give_suggestions_not_a_guess():
    with pytest.raises(RoleNotFound) as caught:
        find_roles(ROLES, "principal consultant")
    assert set(caught.value.suggestions) >= {"Principal Technical Consultant", "Principal Implementation Consultant"}
    assert caught.value.reason.startswith("no role named 'principal consultant'; did you mean: ")


def test_nothing_close_and_empty_input():
    with pytest.raises(RoleNotFound, match="no role named 'astronaut'$"):
        find_roles(ROLES, "astronaut")
    with pytest.raises(RoleNotFound, match="give a role title"):
        find_roles(ROLES, "  ")
    with pytest.raises(RoleNotFound, match="the index holds no roles"):
        find_roles([], "anything")
