"""Career ladders from role titles and level codes: which roles are levels of one job, in what order."""

from __future__ import annotations

import pytest

from roles.answer.levels import Ladders, family_of, mentions
from roles.answer.resolve import RoleName


def _ladders(*titles: str | tuple[str, str]) -> tuple[Ladders, list[RoleName]]:
    names = []
    for number, spec in enumerate(titles, start=1):
        title, code = spec if isinstance(spec, tuple) else (spec, "")
        names.append(RoleName(number, title, (code,) if code else ()))
    return Ladders(names), names


def _order(ladders: Ladders, role: RoleName) -> list[str]:
    return [f"{lv.role.title}{' ' + lv.code[0] + str(lv.code[1]) if lv.code else ''}" for lv in ladders.ladder_of(role.id)]


def test_seniority_words_order_a_ladder_whatever_the_listing_order():
    ladders, names = _ladders("Principal Support Engineer", "Support Engineer", "Senior Principal Support Engineer",
                              "Lead Support Engineer", "Junior Support Engineer", "Senior Support Engineer",
                              "Support Manager")
    assert _order(ladders, names[0]) == [
        "Junior Support Engineer", "Support Engineer", "Senior Support Engineer", "Lead Support Engineer",
        "Principal Support Engineer", "Senior Principal Support Engineer"]
    assert ladders.ladder_of(names[-1].id) == []  # another job, and alone


def test_level_codes_order_a_ladder_when_every_level_has_one():
    ladders, names = _ladders(("Data Analyst", "IC5"), ("Data Analyst", "IC3"), ("Data Analyst", "IC4"))
    assert _order(ladders, names[0]) == ["Data Analyst ic3", "Data Analyst ic4", "Data Analyst ic5"]


def test_two_documents_with_one_title_and_no_code_are_no_ladder():
    ladders, names = _ladders("Data Analyst", "Data Analyst")
    assert ladders.ladder_of(names[0].id) == []


def test_codes_find_the_one_ladder_that_has_them():
    ladders, _ = _ladders(("Product Designer", "D2"), ("Senior Product Designer", "D3"), ("Data Engineer", "L3"),
                          ("Senior Data Engineer", "L4"))
    [found] = ladders.with_codes(mentions(["d2", "d3"]))
    assert [lv.role.title for lv in found] == ["Product Designer", "Senior Product Designer"]
    assert ladders.with_codes(mentions(["d2", "l4"])) == []


@pytest.mark.parametrize(("title", "family"), [
    ("Senior Field Service Technician", ("field", "service", "technician")),
    ("L4 Staff Data Engineer", ("data", "engineer")),
    ("Senior Solutions Architect - Technical Account Management", ("solutions", "architect")),
])
def test_family_is_the_title_without_level_words(title, family):
    assert family_of(title) == family


def test_mentions_read_compound_ranks_short_forms_and_codes():
    found = mentions("sr principal vs jr eng and ic4".split())
    assert [(m.rank, m.code) for m in found] == [(6.0, None), (1.0, None), (None, ("ic", 4))]


def test_could_name_rules_out_words_of_different_jobs_before_any_resolving():
    ladders, _ = _ladders("Data Engineer", "Senior Data Engineer", "Cloud Architect", "Product Designer",
                          "Senior Product Designer")
    assert ladders.could_name(["data", "engineers"])
    assert not ladders.could_name(["data", "engineer", "cloud", "architect"])
    assert not ladders.could_name(["cloud", "architect"])  # one level only: no ladder
    assert ladders.could_name(["dta", "engineer"])  # a typo is left to the resolver


def test_roman_numerals_order_levels_of_one_rank():
    ladders, names = _ladders("Software Engineer III", "Senior Software Engineer", "Software Engineer I",
                              "Software Engineer II")
    assert _order(ladders, names[0]) == ["Software Engineer I", "Software Engineer II", "Software Engineer III",
                                         "Senior Software Engineer"]
    levels = ladders.ladder_of(names[0].id)
    [two, three] = mentions("engineer ii vs iii".split())
    assert Ladders.level(levels, two).role.title == "Software Engineer II"
    assert Ladders.level(levels, three).role.title == "Software Engineer III"
    assert mentions("how do i get promoted".split()) == []  # "i" here is the asker


def test_level_numbers_match_any_code_letters():
    ladders, names = _ladders(("Data Engineer", "L3"), ("Senior Data Engineer", "L4"))
    levels = ladders.ladder_of(names[0].id)
    [three, four] = mentions("from level 3 to level 4".split())
    assert (Ladders.level(levels, three).role.title, Ladders.level(levels, four).role.title) == (
        "Data Engineer", "Senior Data Engineer")
