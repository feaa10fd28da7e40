"""Fuzzy role picking for enrolment."""

from __future__ import annotations

import pytest
from slack_sdk.models.blocks import Option

from handlers.onboarding_roles import find_role_by_id, rank_roles, resolve_role, role_options
from roles.errors import RoleNotFound
from roles.index import RoleSummary


def summary(id: int, title: str, aliases=(), source="x.md") -> RoleSummary:
    return RoleSummary(id, title, list(aliases), source, None, "markdown", {}, 0, {30: 3})


ROLES = [
    summary(1, "Post-Sales Engineer", ["PSE"]),
    summary(2, "Principal Technical Consultant"),
    summary(3, "Site Reliability Engineer", ["SRE"]),
    summary(4, "Solutions Architect", source="a.md"),
    summary(5, "Solutions Architect", source="b.md"),
    summary(6, "Technical Program Manager"),
]


@pytest.mark.parametrize(
    "query, role_id",
    [
        ("post-sales engineer", 1),
        ("POST SALES ENGINEER", 1),
        ("pse", 1),
        ("sre", 3),
        ("principle technical consultnat", 2),
        ("tpm", 6),
    ],
)
def test_resolve(query, role_id):
    assert resolve_role(ROLES, query).id == role_id


def test_unknown_role_gives_suggestions_and_escapes():
    with pytest.raises(RoleNotFound) as err:
        resolve_role(ROLES, "<!here> technical")
    assert "&lt;!here&gt;" in err.value.reason
    assert err.value.suggestions and len(err.value.suggestions) <= 3
    assert "Principal Technical Consultant" in err.value.suggestions or "Technical Program Manager" in err.value.suggestions


def test_no_guess_between_close_roles():
    with pytest.raises(RoleNotFound):
        resolve_role(ROLES, "engineer")


def test_rank_puts_best_first_and_empty_lists_all():
    assert rank_roles(ROLES, "reliability")[0][0].id == 3
    assert [r.id for r, _ in rank_roles(ROLES, "")] == [1, 2, 3, 4, 5, 6]


def test_options_are_valid_limited_and_tell_duplicates_apart():
    many = [summary(i, f"Role number {i} " + "x" * 80) for i in range(150)]
    options = role_options(many, "")
    assert len(options) == 100
    for option in options:
        Option.parse_all([option])[0].validate_json()
        assert len(option["text"]["text"]) <= 75
    labels = [o["text"]["text"] for o in role_options(ROLES, "solutions architect")[:2]]
    assert sorted(labels) == ["Solutions Architect (a.md)", "Solutions Architect (b.md)"]


def test_find_by_id():
    assert find_role_by_id(ROLES, "3").title == "Site Reliability Engineer"
    assert find_role_by_id(ROLES, "99") is None
