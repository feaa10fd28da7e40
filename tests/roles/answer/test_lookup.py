"""find_roles / find_role: the strict lookup of commands that act on a named role."""

from __future__ import annotations

import pytest

from core.errors import RoleNotFound
from core.store import open_store
from roles.answer.lookup import find_role, find_roles
from roles.index.library import RoleIndex, RoleSummary


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

#: The role picker's roles: initials, hyphenated titles, a title in two documents.
ONBOARDING = [
    summary(1, "Post-Sales Engineer", "PSE", source="x.md"),
    summary(2, "Principal Technical Consultant", source="x.md"),
    summary(3, "Site Reliability Engineer", "SRE", source="x.md"),
    summary(4, "Solutions Architect", source="a.md"),
    summary(5, "Solutions Architect", source="b.md"),
    summary(6, "Technical Program Manager", source="x.md"),
]

#: Levels of one ladder: "L4"/"L6" are level codes, not names.
LADDER = [
    summary(1, "Senior Solutions Architect", "L4"),
    summary(2, "Principal Solutions Architect", "L6"),
    summary(3, "Site Reliability Engineer"),
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
        ("principle technical consultnat", [1]),  # typos in two words
        ("Data Engineer", [5, 6]),  # same title in two documents: both
        ("data enginer", [5, 6]),  # ... also when reached through a typo
    ],
)
def test_find_roles(query, expected):
    assert ids(find_roles(ROLES, query)) == expected


@pytest.mark.parametrize(
    ("query", "role_id"),
    [
        ("post-sales engineer", 1),
        ("POST SALES ENGINEER", 1),
        ("pse", 1),
        ("sre", 3),  # document alias
        ("tpm", 6),  # initials of the title
        ("principle technical consultnat", 2),
        ("site reliabilty enginer", 3),
    ],
)
def test_sloppy_names_find_the_right_role(query, role_id):
    assert ids(find_roles(ONBOARDING, query)) == [role_id]


def test_initials_prefer_the_whole_title_over_the_tail_of_a_longer_one():
    roles = [*ROLES, summary(7, "Technical Program Manager")]
    assert ids(find_roles(roles, "tpm")) == [7]  # not the Principal Technical Product Manager
    assert ids(find_roles(roles, "ptpm")) == [3]


def test_level_codes_pick_the_level():
    assert ids(find_roles(LADDER, "l4 senior solutions architect")) == [1]
    assert ids(find_roles(LADDER, "l6 solutions architect")) == [2]
    assert ids(find_roles(LADDER, "L4")) == [1]  # an exact alias
    with pytest.raises(RoleNotFound) as caught:
        find_roles(LADDER, "solutions architect")  # which level?
    assert caught.value.suggestions == ["Senior Solutions Architect", "Principal Solutions Architect"]


def test_configured_aliases():
    aliases = {"numbers person": "Technical Program Manager", "ghost": "No Such Title"}
    assert ids(find_roles(ONBOARDING, "Numbers  Person", aliases)) == [6]  # exact, any case and spacing
    assert ids(find_roles(ONBOARDING, "the numbers person", aliases)) == [6]  # through the resolver
    with pytest.raises(RoleNotFound):
        find_roles(ONBOARDING, "numbers person")  # not configured: not known
    with pytest.raises(RoleNotFound, match="No role called 'ghost'"):
        find_roles(ONBOARDING, "ghost", aliases)  # the alias names no indexed title


def test_words_shared_by_several_titles_give_suggestions_not_a_guess():
    with pytest.raises(RoleNotFound) as caught:
        find_roles(ROLES, "principal consultant")
    assert set(caught.value.suggestions) >= {"Principal Technical Consultant", "Principal Implementation Consultant"}
    assert caught.value.reason.startswith("'principal consultant' names several roles. Did you mean: ")


def test_words_every_one_of_several_titles_holds_suggest_just_those_titles():
    with pytest.raises(RoleNotFound) as caught:
        find_roles(ROLES, "principal technical")
    assert caught.value.suggestions == ["Principal Technical Consultant", "Principal Technical Product Manager"]
    assert caught.value.reason.startswith("'principal technical' names several roles.")


def test_no_guess_between_close_roles():
    with pytest.raises(RoleNotFound) as caught:
        find_roles(ONBOARDING, "engineer")
    assert caught.value.suggestions == ["Post-Sales Engineer", "Site Reliability Engineer"]


def test_an_alias_of_two_different_titles_is_refused():
    roles = [summary(1, "Data Engineer", "DE"), summary(2, "Design Engineer", "DE")]
    with pytest.raises(RoleNotFound, match="'de' names several roles") as caught:
        find_roles(roles, "de")
    assert caught.value.suggestions == ["Data Engineer", "Design Engineer"]


def test_every_word_typed_must_be_part_of_the_name():
    with pytest.raises(RoleNotFound) as caught:
        find_roles(ROLES, "data engineer astronaut")
    assert caught.value.suggestions == ["Data Engineer"]
    with pytest.raises(RoleNotFound):
        find_roles(ONBOARDING, "post sales enginer wizard")


def test_unknown_role_gives_at_most_three_suggestions_and_quotes_the_name():
    with pytest.raises(RoleNotFound) as caught:
        find_roles(ONBOARDING, "<!here> technical")
    # Plain text, quoted: escaping for Slack is the caller's job (handlers.slack.onboarding.commands.error_reply).
    assert caught.value.reason.startswith("No role called '<!here> technical'.")
    assert caught.value.suggestions and len(caught.value.suggestions) <= 3
    assert "Principal Technical Consultant" in caught.value.suggestions
    many = [summary(i, f"Data Engineer {word}") for i, word in enumerate("one two three four five".split())]
    with pytest.raises(RoleNotFound) as caught:
        find_roles(many, "data engineer")
    assert len(caught.value.suggestions) == 3


def test_nothing_close_and_empty_input():
    with pytest.raises(RoleNotFound, match=r"^No role called 'astronaut'\.$") as caught:
        find_roles(ROLES, "astronaut")
    assert caught.value.suggestions == []
    with pytest.raises(RoleNotFound, match="Give a role title"):
        find_roles(ROLES, "  ")
    with pytest.raises(RoleNotFound, match="the index holds no roles"):
        find_roles([], "anything")


def test_a_long_name_is_shortened_in_the_reason():
    with pytest.raises(RoleNotFound) as caught:
        find_roles(ROLES, "astronaut " * 100)
    assert len(caught.value.reason) < 120


def test_find_role_wants_one_role():
    assert find_role(ONBOARDING, "sre").id == 3
    with pytest.raises(RoleNotFound) as caught:
        find_role(ONBOARDING, "solutions architect")
    assert caught.value.reason == (
        "two roles are called 'Solutions Architect' (id 4 from a.md, id 5 from b.md): give the id, e.g. 4"
    )
    assert find_role(ONBOARDING, "5").source_path == "b.md"


def test_sloppy_names_on_the_shared_documents(shared_docs):
    index = RoleIndex(open_store(":memory:"))
    index.index_folder(shared_docs)
    roles = index.list_roles()
    for query, title in [
        ("principle technical consultnat", "Principal Technical Consultant"),
        ("implementation consultant", "Principal Implementation Consultant"),
        ("post sales enginer", "Post-Sales Engineer"),
        ("ptpm", "Principal Technical Product Manager"),
        ("l4 senior solutions architect", "Senior Solutions Architect"),
    ]:
        assert find_role(roles, query).title == title, query
    with pytest.raises(RoleNotFound):
        find_role(roles, "principal consultant")
