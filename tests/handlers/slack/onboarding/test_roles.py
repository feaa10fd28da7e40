"""Fuzzy role picking for the enrolment modal (resolving a typed name is tests/roles/test_lookup.py)."""

from __future__ import annotations

from slack_sdk.models.blocks import Option

from handlers.slack.onboarding.roles import find_role_by_id, rank_roles, role_options
from roles.index.library import RoleSummary


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
