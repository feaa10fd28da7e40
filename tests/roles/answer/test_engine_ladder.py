"""Career-ladder questions asked of ladders the tests write (tests/roles/data/trust and ladders):
levels compared, what changes on promotion, the level order, and level codes as role names."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.store import open_store
from roles.answer.engine import AnswerEngine
from roles.index.library import RoleIndex

DATA = Path(__file__).parents[1] / "data"
FST = "Field Service Technician"
ORDER = (f"Junior {FST} < {FST} < Senior {FST} < Lead {FST}")


@pytest.fixture(scope="module")
def ladders(tmp_path_factory: pytest.TempPathFactory) -> AnswerEngine:
    index = RoleIndex(open_store(tmp_path_factory.mktemp("ladders") / "roles.db"))
    index.index_folder(DATA / "trust")
    return AnswerEngine(index)


@pytest.fixture(scope="module")
def markdown_ladders(tmp_path_factory: pytest.TempPathFactory) -> AnswerEngine:
    index = RoleIndex(open_store(tmp_path_factory.mktemp("md-ladders") / "roles.db"))
    index.index_folder(DATA / "ladders")
    return AnswerEngine(index)


def _titles(answer) -> list[str]:
    return [r.title for r in answer.roles]


@pytest.mark.parametrize(("query", "lower", "upper", "aspects"), [
    ("difference between senior and lead field service technician", f"Senior {FST}", f"Lead {FST}",
     ["responsibilities", "responsibilities", "skills", "skills"]),
    ("senior vs lead field service tech skills", f"Senior {FST}", f"Lead {FST}", ["skills", "skills"]),
    ("field service technician vs junior", FST, f"Junior {FST}", None),
    ("d2 and d3 responsibilities", "Product Designer", "Senior Product Designer", ["responsibilities"] * 2),
    ("D3 vs D4", "Senior Product Designer", "Lead Product Designer", None),
])
def test_two_levels_of_one_ladder_are_compared_aspect_by_aspect(ladders, query, lower, upper, aspects):
    answer = ladders.ask(query)
    assert answer.kind == "compare", answer.text[:300]
    assert _titles(answer) == [lower, upper]
    # Aspect by aspect: each aspect shows the lower level, then the upper one.
    roles_in_order = [p.role.title for p in answer.parts]
    assert roles_in_order[:2] == [lower, upper]
    if aspects is not None:
        assert [p.aspect for p in answer.parts] == aspects
    assert "two levels of one ladder" in answer.text


@pytest.mark.parametrize(("query", "lower", "upper"), [
    ("how do i get promoted from senior field service technician to lead", f"Senior {FST}", f"Lead {FST}"),
    ("what changes from senior field service technician to lead", f"Senior {FST}", f"Lead {FST}"),
    ("next level after junior field service technician", f"Junior {FST}", FST),
    ("how do i get promoted to senior field service technician", FST, f"Senior {FST}"),
    ("field service technician promotion", FST, f"Senior {FST}"),
])
def test_promotion_names_the_two_levels_in_ladder_order(ladders, query, lower, upper):
    answer = ladders.ask(query)
    assert answer.kind == "compare", answer.text[:300]
    assert _titles(answer) == [lower, upper]
    assert answer.section == f"From {lower} to {upper}"
    assert ORDER in answer.text


def test_promotion_shows_only_what_is_new_and_not_reworded_items(ladders):
    answer = ladders.ask("what changes from field service technician to senior")
    shown = [i.text for p in answer.parts if p.role.title == f"Senior {FST}" for i in p.items]
    assert "Own the spare-parts van stock for a region and reorder before it runs out." in shown
    assert "Runs root-cause analysis on repeat faults." in shown
    # "Log each part used …" is at both levels: not an expectation of the promotion.
    assert not any(text.startswith("Log each part") for text in shown)
    # The lower level's own text about promotion comes with it.
    promotion = [p for p in answer.parts if p.heading == "Skills needed for promotion"]
    assert promotion and promotion[0].role.title == FST
    assert "Trains a junior technician on a full visit." in answer.text


def test_a_reworded_item_is_not_shown_as_new(ladders):
    # The junior level says "Log every part used …", the next one "Log each part used …".
    answer = ladders.ask("next level after junior field service technician")
    texts = [i.text for p in answer.parts for i in p.items]
    assert not any("part used in the work order" in t for t in texts)
    assert "Explain the repair to the site contact in plain words." in texts


def test_level_codes_of_one_title_are_told_apart(ladders):
    answer = ladders.ask("what changes from IC3 to IC4")
    assert answer.section == "From Customer Success Manager (IC3) to Customer Success Manager (IC4)"
    texts = [i.text for p in answer.parts for i in p.items]
    assert "Own the renewal forecast for the book and flag risk a quarter ahead." in texts
    assert "Negotiates expansion terms with procurement teams." in texts
    assert not any("health score" in t or "quarterly business reviews" in t for t in texts)  # reworded only
    assert "Leads a cross-team save plan for a strategic account." in texts  # "Promotion to IC5" text


def test_the_top_level_says_there_is_none_above(ladders):
    answer = ladders.ask("next level after ic5 csm")
    assert _titles(answer) == ["Customer Success Manager"]
    assert answer.notes[0].startswith("Customer Success Manager (IC5) is the highest level of its ladder")


@pytest.mark.parametrize(("query", "title", "phrase"), [
    ("what does a D3 do", "Senior Product Designer", "usability studies"),
    ("IC4 csm", "Customer Success Manager", "renewal forecast"),
    ("ic3 customer success manager skills", "Customer Success Manager", "usage dashboards"),
])
def test_a_level_code_finds_the_level(ladders, query, title, phrase):
    answer = ladders.ask(query)
    assert answer.kind in ("role_section", "role_overview")
    assert _titles(answer) == [title] and phrase in answer.text


def test_markdown_ladders_with_level_codes(markdown_ladders):
    for query in ("what changes from L3 to L4", "what changes from level 3 to level 4"):
        assert _titles(markdown_ladders.ask(query)) == ["Data Engineer", "Senior Data Engineer"], query
    answer = markdown_ladders.ask("difference between senior and staff data engineer")
    assert _titles(answer) == ["Senior Data Engineer", "Staff Data Engineer"]


@pytest.mark.parametrize("query", ["compare ptc and pic", "senior solutions architect vs principal technical consultant",
                                   "what changes in a field service technician's week"])
def test_questions_about_different_jobs_are_no_ladder_questions(ladders, query):
    answer = ladders.ask(query)
    assert "two levels of one ladder" not in answer.text and "From " not in (answer.section or "")
