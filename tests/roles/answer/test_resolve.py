"""Role resolution: titles with typos, abbreviations, level codes, configured aliases, specificity."""

from __future__ import annotations

import pytest

from roles.answer.resolve import RoleName, RoleResolver
from roles.answer.vocabulary import tokenize

ROLES = [
    RoleName(1, "Principal Technical Consultant", (), "ptc.md"),
    RoleName(2, "Principal Implementation Consultant", (), "pic.json"),
    RoleName(3, "Post-Sales Engineer", (), "pse.txt"),
    RoleName(4, "Principal Technical Product Manager", ("PTPM",), "ptpm.txt"),
    RoleName(5, "Senior Solutions Architect - Technical Account Management", ("L4",), "sa.md"),
    RoleName(6, "Lead Site Reliability Engineer", (), "sre.yaml"),
    RoleName(7, "Technical Product Manager", (), "tpm.md"),
    RoleName(8, "Data Engineer", (), "a/de.md"),
    RoleName(9, "Data Engineer", (), "b/de.md"),
]


@pytest.fixture(scope="module")
def resolver() -> RoleResolver:
    return RoleResolver(ROLES, aliases={"tam": "Senior Solutions Architect - Technical Account Management"})


def _best(resolver: RoleResolver, query: str) -> int | None:
    best = resolver.resolve(tokenize(query)).best
    return best.role.id if best else None


@pytest.mark.parametrize(
    ("query", "role_id"),
    [
        ("principal technical consultant kpis", 1),
        ("principle tecnical consultnat", 1),
        ("implementation consultant", 2),
        ("post sales enginer", 3),
        ("post-sales engineer", 3),
        ("pse", 3),
        ("ptpm", 4),
        ("principle tecnical product manger", 4),
        ("technical product manager", 7),
        ("tpm", 7),
        ("solutions architect", 5),
        ("L4 solutions architect", 5),
        ("tam", 5),
        ("lead sre", 6),
        ("sre", 6),
        ("site reliability engineer", 6),
    ],
)
def test_resolves(resolver: RoleResolver, query: str, role_id: int) -> None:
    assert _best(resolver, query) == role_id


@pytest.mark.parametrize(
    "query",
    ["what do the should a", "who owns reference architectures", "technical", "weather in paris", "", "l4",
     "principal", "senior lead"],
)
def test_no_role(resolver: RoleResolver, query: str) -> None:
    assert _best(resolver, query) is None


def test_a_word_is_no_typo_of_a_shorter_abbreviation() -> None:
    resolver = RoleResolver([RoleName(1, "Cloud Operations Specialist", ("COS",), "cos.md"),
                             RoleName(2, "Senior Customer Success Engineering Manager", ("SCSEM",), "cs.md")])
    assert _best(resolver, "who owns the cost allocation") is None
    assert _best(resolver, "who runs the schema registry") is None
    assert _best(resolver, "cos kpis") == 1
    assert _best(resolver, "scsme kpis") == 2  # a typo in a long enough abbreviation still reads as it


def test_longest_specific_title_wins(resolver: RoleResolver) -> None:
    result = resolver.resolve(tokenize("principal technical consultant"))
    assert [m.role.id for m in result.matches][:2] == [1, 4] or result.matches[0].role.id == 1
    assert not result.ambiguous


def test_same_title_is_ambiguous(resolver: RoleResolver) -> None:
    result = resolver.resolve(tokenize("data engineer"))
    assert result.ambiguous
    assert {m.role.id for m in result.tied()} == {8, 9}


def test_one_word_shared_by_titles_is_ambiguous(resolver: RoleResolver) -> None:
    result = resolver.resolve(tokenize("consultant"))
    assert {m.role.id for m in result.tied()} == {1, 2}


def test_used_positions_name_only_role_words(resolver: RoleResolver) -> None:
    tokens = tokenize("what does a post sales engineer do day to day")
    best = resolver.resolve(tokens).best
    assert best is not None
    assert {tokens[i] for i in best.used} == {"post", "sales", "engineer"}


def test_near_misses_become_suggestions(resolver: RoleResolver) -> None:
    result = resolver.resolve(tokenize("technical"))
    assert result.matches == []
    assert "Principal Technical Consultant" in result.suggestions


def test_skip_hides_positions(resolver: RoleResolver) -> None:
    tokens = tokenize("pse vs ptpm")
    assert resolver.resolve(tokens, skip={0, 1}).best.role.id == 4


def test_roles_sharing_a_title_get_the_same_match_and_come_in_role_list_order() -> None:
    # Many documents of one title (a library of 10k roles repeats its titles): scored once per distinct
    # name, every role of that title must still get its own match, in the order of the role list.
    roles = [RoleName(20 + n, "Senior Data Engineer", (), f"team{n}/de.md") for n in (3, 1, 2)]
    roles += [RoleName(30, "Data Engineer", ("L3",), "x/de.md"), RoleName(31, "Data Analyst", (), "x/da.md")]
    resolver = RoleResolver(roles)
    found = resolver.resolve(tokenize("senior data engineer kpis"))
    assert [m.role.id for m in found.tied()] == [23, 21, 22]
    assert len({(m.score, m.used, m.complete, m.exact) for m in found.tied()}) == 1
    assert found.ambiguous
    # A level code belongs to one role, not to every role of the same name shape.
    leveled = resolver.resolve(tokenize("l3 data engineer"))
    assert leveled.best.role.id == 30 and leveled.tied() == [leveled.best]
    assert {m.role.id for m in leveled.matches} == {21, 22, 23, 30}  # not the Data Analyst


def test_near_misses_of_shared_titles_are_suggested_by_score_then_role_order() -> None:
    roles = [RoleName(1, "Payments Reconciliation Analyst", (), "b.md"),
             RoleName(2, "Payments Reconciliation Analyst", (), "a.md"),
             RoleName(3, "Growth Analyst", (), "c.md")]
    found = RoleResolver(roles).resolve(tokenize("reconciliation"))
    assert found.matches == []
    assert found.suggestions[:2] == ["Payments Reconciliation Analyst", "Payments Reconciliation Analyst"]


def _matches(resolution) -> list[tuple]:
    return [(m.role.id, m.score, sorted(m.used), m.complete, m.exact) for m in resolution.matches]


@pytest.mark.parametrize(
    ("first", "then"),
    [
        ("principal technical consultant kpis", "kpis of the principal technical consultant"),
        ("lead sre goals", "what are the goals of a lead sre"),  # an abbreviation and a seniority word
        ("principle tecnical consultnat", "tools for a principle tecnical consultnat"),  # typos
        ("data engineer", "senior data engineer l4"),
    ],
)
def test_a_resolution_does_not_depend_on_the_questions_resolved_before(first: str, then: str) -> None:
    # The resolver remembers how a name scores against the words that matched it, whatever their
    # positions: the same words elsewhere in another question must still report their own positions.
    warm = RoleResolver(ROLES)
    warm.resolve(tokenize(first))
    fresh = RoleResolver(ROLES).resolve(tokenize(then))
    again = warm.resolve(tokenize(then))
    assert _matches(again) == _matches(fresh)
    assert again.suggestions == fresh.suggestions and again.ambiguous == fresh.ambiguous
    assert fresh.best is not None


def test_the_words_of_a_remembered_match_keep_their_positions_in_the_new_question(resolver: RoleResolver) -> None:
    assert resolver.resolve(tokenize("principal technical consultant kpis")).best.used == {0, 1, 2}
    moved = resolver.resolve(tokenize("kpis of the principal technical consultant"))
    assert moved.best.role.id == 1 and moved.best.used == {3, 4, 5}


def test_the_same_words_resolve_once_a_thread_and_other_skips_afresh(resolver: RoleResolver) -> None:
    # A question read as a possible follow-up and then as a question of its own asks twice.
    tokens = tokenize("pse vs ptpm")
    whole = resolver.resolve(tokens)
    assert resolver.resolve(list(tokens)) is whole
    skipped = resolver.resolve(tokens, skip={0, 1})
    assert skipped is not whole and skipped.best.role.id == 4
    assert resolver.resolve(tokens) is not skipped and _matches(resolver.resolve(tokens)) == _matches(whole)


TAIL_ROLES = [
    RoleName(1, "Senior Data Engineer"),
    RoleName(2, "Data Engineer"),
    RoleName(3, "Lead Engineer"),
    RoleName(4, "Engineer"),
    RoleName(5, "Data Analyst"),
    RoleName(6, "Senior Designer"),
    RoleName(7, "Recruiter"),
]


def test_matches_of_fewer_words_than_the_best_are_worked_out_only_when_read_past_it() -> None:
    from roles.answer.query import named_apart

    resolution = RoleResolver(TAIL_ROLES).resolve(tokenize("senior data engineer kpis"))
    matches = resolution.matches
    assert [m.role.id for m in matches.head] == [1] and not matches.worked_out
    # The best, its ties and the roles named apart are known from the matches of as many words.
    assert resolution.best.role.id == 1 and [m.role.id for m in resolution.tied()] == [1]
    assert not resolution.ambiguous and named_apart(resolution) == [] and not matches.worked_out
    # Read on: "Data Engineer" (two words), then "Engineer" (every word of it named) before "Lead
    # Engineer"; "Data Analyst" and "Senior Designer" (no identifying word of theirs named) are no matches.
    assert [m.role.id for m in matches] == [1, 2, 4, 3] and matches.worked_out and len(matches) == 4
    assert [sorted(m.used) for m in matches] == [[0, 1, 2], [1, 2], [2], [2]]


def test_a_role_named_apart_by_one_word_is_found_in_the_rest() -> None:
    from roles.answer.query import named_apart

    resolution = RoleResolver(TAIL_ROLES).resolve(tokenize("senior data engineer and recruiter"))
    assert [m.role.id for m in named_apart(resolution)] == [1, 7]
    assert resolution.matches.worked_out


def test_with_a_level_code_or_only_one_word_matches_every_match_is_worked_out_at_once() -> None:
    leveled = RoleResolver([*TAIL_ROLES, RoleName(8, "Staff Engineer", ("L5",))]).resolve(tokenize("l5 data engineer"))
    # The level code joins "engineer" for the Staff Engineer: a match of several words after all.
    assert leveled.matches.worked_out and [(m.role.id, sorted(m.used)) for m in leveled.matches][:3] == [
        (2, [1, 2]), (1, [1, 2]), (8, [0, 2])]
    one_word = RoleResolver(TAIL_ROLES).resolve(tokenize("engineer kpis"))
    assert one_word.matches.worked_out and [m.role.id for m in one_word.matches][:1] == [4]
