"""Answers people trust (issue 9), asked as questions: whole plans, honest gaps, picking instead of
guessing, names a document gives itself, reporting lines, follow-ups.

Each behaviour is checked on the real documents (../shared/role-docs) and on documents the tests write
themselves (tests/roles/data/trust), so that it holds for shapes the team has not seen.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from core.store import open_store
from roles.answer.conversation import LastAnswer
from roles.answer.engine import AnswerEngine
from roles.answer.followup import last_answer
from roles.index.library import RoleIndex

TRUST_DOCS = Path(__file__).parents[1] / "data" / "trust"
PTC, PIC, PSE = "Principal Technical Consultant", "Principal Implementation Consultant", "Post-Sales Engineer"
PTPM, SSA = "Principal Technical Product Manager", "Senior Solutions Architect"
WSS = "Warehouse Shift Supervisor"


def _engine(folder: Path, tmp: pytest.TempPathFactory) -> AnswerEngine:
    index = RoleIndex(open_store(tmp.mktemp("trust") / "roles.db"))
    index.index_folder(folder)
    return AnswerEngine(index)


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> AnswerEngine:
    from tests.conftest import SHARED_DOCS

    if not SHARED_DOCS.is_dir():
        pytest.skip("../shared/role-docs is not beside the project")
    return _engine(SHARED_DOCS, tmp_path_factory)


@pytest.fixture(scope="module")
def trust(tmp_path_factory: pytest.TempPathFactory) -> AnswerEngine:
    return _engine(TRUST_DOCS, tmp_path_factory)


def _goal_days(answer) -> list[int]:
    return [g.horizon_days for p in answer.parts for g in p.goals]


# ---------------------------------------------------------------------- 1. whole plans

@pytest.mark.parametrize(("query", "role", "days"), [
    ("what are my 30 60 90 day goals as a post-sales engineer", PSE, [30, 60, 90]),
    ("first 90 days as a principal technical consultant", PTC, [30, 60, 90]),
    ("ptpm 30/60/90", PTPM, [30, 60, 90]),
    ("pic onboarding plan", PIC, [30, 60, 90]),
    ("pse first quarter", PSE, [30, 60, 90]),
    ("pse 30, 60 and 90 days", PSE, [30, 60, 90]),
    ("ptc first two months", PTC, [30, 60]),
    ("pse week 1", PSE, [30]),
    ("pse first week", PSE, [30]),
])
def test_a_question_naming_several_horizons_gets_the_whole_plan_in_order(shared, query, role, days):
    answer = shared.ask(query)
    assert answer.kind == "role_section"
    assert answer.roles[0].title == role
    assert _goal_days(answer) == days


def test_a_plan_keeps_each_periods_success_indicators(trust):
    answer = trust.ask("warehouse shift supervisor first 90 days")
    assert _goal_days(answer) == [30, 60, 90]
    assert answer.section == "30/60/90-day plan"
    assert answer.parts[0].goals[0].success_indicators == ["Runs a shift handover alone."]
    assert "Late departures under five per month." in answer.text
    assert "Train a deputy" not in answer.text  # the 6-month goal is beyond the plan asked for


def test_one_horizon_still_gets_only_that_period(shared):
    assert _goal_days(shared.ask("pse 60 day goals")) == [60]
    assert _goal_days(shared.ask("ptpm 6 month milestones")) == [180]


def test_a_week_shorter_than_the_first_period_says_so(trust):
    answer = trust.ask("night shift supervisor week 1")
    assert _goal_days(answer) == [30]
    assert answer.notes == [f"{WSS} has no 7-day goals; its first goal period is 30 days."]


# ---------------------------------------------------------------------- 2. honest gaps

@pytest.mark.parametrize(("engine", "query", "note"), [
    ("shared", "pse salary", "Nothing about \u201csalary\u201d in the document for Post-Sales Engineer"),
    ("shared", "solutions architect kpis", "has no section about kpis"),
    ("trust", "warehouse shift supervisor tools", "has no section about tools"),
])
def test_what_the_document_lacks_is_a_note_of_the_answer(request, engine, query, note):
    answer = request.getfixturevalue(engine).ask(query)
    assert any(note in n for n in answer.notes), answer.notes
    assert note in answer.text


# ---------------------------------------------------------------------- 5. picking, not guessing

@pytest.mark.parametrize(("query", "labels", "asks"), [
    ("kpis", {PSE, PIC, PTC, PTPM}, "kpis"),
    ("what does a principal do all day", {PIC, PTC, PTPM}, "day to day"),
    ("consultant", {PTC, PIC}, ""),
    ("principal 30 day goals", {PIC, PTC, PTPM}, "30 day goals"),
])
def test_a_vague_question_offers_one_choice_per_role(shared, query, labels, asks):
    answer = shared.ask(query)
    assert answer.kind == "list"
    assert {c.label for c in answer.choices} == labels
    for choice in answer.choices:
        assert choice.query == f"{choice.label} {asks}".strip()
        picked = shared.ask(choice.query)  # each choice answers the question of its role
        assert picked.kind in ("role_section", "role_overview") and picked.roles[0].title == choice.label


@pytest.mark.parametrize(("query", "role"), [
    ("technical account management", SSA),
    ("tam", SSA),
    ("tam competencies", SSA),
    ("principal tech consultant", PTC),
    ("principal tech consultant kpis", PTC),
    ("sr solutions architect", SSA),
    ("post sales eng goals", PSE),
    ("night operations", WSS),
])
def test_names_a_document_gives_itself_and_short_forms_find_the_role(request, query, role):
    engine = request.getfixturevalue("trust" if role == WSS else "shared")
    answer = engine.ask(query)
    assert answer.kind in ("role_section", "role_overview"), answer.text[:300]
    assert answer.roles[0].title == role


def test_one_word_of_a_subtitle_does_not_name_the_role(shared):
    assert SSA not in {r.title for r in shared.ask("technical").roles}


# ---------------------------------------------------------------------- 6. reporting line

@pytest.mark.parametrize(("engine", "query", "heading", "phrase"), [
    ("shared", "who does a post-sales engineer report to", "Team topology", "Manager of Solutions Engineering"),
    ("shared", "ptc reporting line", None, "Reports to Director, Solutions Engineering"),
    ("trust", "who does the warehouse shift supervisor report to", "Team topology",
     "reports to the Site Operations Manager"),
])
def test_the_reporting_line_comes_from_the_sentence_that_states_it(request, engine, query, heading, phrase):
    answer = request.getfixturevalue(engine).ask(query)
    assert answer.kind == "role_section"
    if heading:
        assert answer.section == heading
    assert phrase in answer.text
    assert not any("has no part about" in n for n in answer.notes)


# ---------------------------------------------------------------------- 4. follow-ups

def _after(engine: AnswerEngine, first: str, then: str):
    last = last_answer(engine.ask(first))
    assert last is not None
    return engine.ask(then, last)


@pytest.mark.parametrize(("first", "then", "role", "section", "days"), [
    ("ptpm 30 day goals", "and the 60 day ones?", PTPM, "60-day goals (direction and execution traction)", [60]),
    ("pse", "what about kpis", PSE, "KPIs and Productivity Metrics", []),
    ("pse", "kpis", PSE, "KPIs and Productivity Metrics", []),
    ("ptc kpis", "and the first 90 days?", PTC, "30/60/90-day plan", [30, 60, 90]),
    # Another role after an opener: the part asked for last, of that role.
    ("ptpm kpis", "what about pse?", PSE, "KPIs and Productivity Metrics", []),
    ("pse kpis", "and the ptc", PTC, "KPIs and Productivity Metrics", []),
    ("ptpm 30 day goals", "same for pse", PSE, "30-day goals (onboarding and baseline competence)", [30]),
    # No part named: the last part again, with the new horizon if one is given; "these" and "this"
    # point back at the last role even beside a word of another title ("senior").
    ("pse 30 day goals", "what about 90?", PSE, "90-day goals (trusted owner and improvement contributor)", [90]),
    ("ptc kpis", "which of these matter most", PTC, "KPIs and Productivity Metrics", []),
    # What comes after the period shown: the role's next one.
    ("pse 30 day goals", "and after that?", PSE, "60-day goals (independent execution)", [60]),
    ("pse 6 months", "what comes next", PSE, "12-month objectives (business outcomes and leadership-by-influence)",
     [365]),
    ("pse 30 day goals", "then what about tools?", PSE, "Tools, Platforms, and Software", []),
])
def test_a_follow_up_continues_from_the_last_answer_and_says_so(shared, first, then, role, section, days):
    answer = _after(shared, first, then)
    assert answer.roles[0].title == role
    assert answer.section == section
    assert _goal_days(answer) == days
    assert answer.notes[0] == f"{role} \u2014 {section} (from your last question)"


@pytest.mark.parametrize("then", ["compare with pse", "how is that different from the pse"])
def test_compare_with_compares_the_last_role_on_the_last_aspect(shared, then):
    answer = _after(shared, "ptpm 30 day goals", then)
    assert answer.kind == "compare"
    assert [r.title for r in answer.roles] == [PTPM, PSE]
    assert _goal_days(answer) == [30, 30]
    assert answer.notes[0] == f"Compared with {PTPM} (from your last question)"


@pytest.mark.parametrize("then", ["ptc kpis", "principal kpis", "who owns reference architectures", "roles",
                                  "compare ptc vs ptpm kpis", "ptc vs ptpm", "compare ptc and ptpm 30 day goals",
                                  "which roles track pipeline coverage", "which role owns the kpis for onboarding",
                                  "who measures customer satisfaction"])
def test_a_question_that_names_a_role_or_asks_across_roles_starts_afresh(shared, then):
    fresh = shared.ask(then)
    answer = _after(shared, "pse 30 day goals", then)
    assert [r.title for r in answer.roles] == [r.title for r in fresh.roles]
    assert not any("from your last question" in n for n in answer.notes)


def test_how_one_role_is_different_from_another_compares_them_without_a_note_about_different(shared):
    answer = shared.ask("how is the pse different from the ptc")
    assert answer.kind == "compare"
    assert [r.title for r in answer.roles] == [PSE, PTC]
    assert not any("different" in n for n in answer.notes)


def test_a_word_of_another_title_beside_this_still_means_the_last_role(shared):
    answer = _after(shared, "ptc", "is this a senior role")
    assert answer.roles[0].title == PTC
    assert answer.notes[0].endswith("(from your last question)")


def test_a_role_named_alone_or_with_its_own_part_starts_afresh(shared):
    assert _after(shared, "ptpm kpis", "pse").kind == shared.ask("pse").kind == "role_overview"
    assert _after(shared, "ptpm kpis", "and pse tools").section == shared.ask("pse tools").section


def test_a_who_question_that_points_back_at_the_last_role_is_a_follow_up(shared):
    answer = _after(shared, "pse 30 day goals", "who do they report to")
    assert answer.roles[0].title == PSE
    assert answer.notes[0].endswith("(from your last question)")


def test_a_follow_up_about_a_role_that_left_the_index_is_read_as_it_stands(shared):
    gone = LastAnswer(role_id=99_999, role_title="Retired Role", aspect="kpis", query="retired role kpis")
    assert shared.ask("kpis", gone).kind == "list"


def test_lists_searches_and_misses_leave_nothing_to_follow_up(shared):
    assert last_answer(shared.ask("kpis")) is None
    assert last_answer(shared.ask("who owns reference architectures")) is None
    assert last_answer(shared.ask("zzzz qqqq")) is None


# ---------------------------------------------------------------------- 2. examples checked against the index

@pytest.mark.parametrize("engine", ["shared", "trust"])
def test_every_suggested_example_answers_without_a_gap(request, engine):
    engine = request.getfixturevalue(engine)
    examples = engine.examples()
    assert examples[-1] == "roles" and len(examples) >= 4
    for example in examples[:-1]:
        answer = engine.ask(example)
        assert answer.kind in ("role_section", "role_overview", "compare", "search"), example
        assert answer.notes == [], (example, answer.notes)
    assert engine.ask("help").suggestions == examples


def test_an_example_the_index_cannot_answer_is_left_out(trust):
    # The supervisor's document has no day-to-day part: the example would demonstrate a miss.
    assert not any("day to day" in e for e in trust.examples())
    assert "what does a warehouse shift supervisor do day to day" not in trust.examples()


def test_examples_before_any_role_is_indexed_are_generic(tmp_path):
    from roles.answer.examples import GENERIC_EXAMPLES

    engine = AnswerEngine(RoleIndex(open_store(tmp_path / "empty.db")))
    assert engine.examples() == list(GENERIC_EXAMPLES)


# ---------------------------------------------------------------------- 6. ranking by meaning

@pytest.mark.parametrize(("engine", "query", "owner", "phrase"), [
    ("shared", "who is responsible for reference architectures", PTC, "Own reference architectures"),
    ("shared", "who owns reference architectures", PTC, "Own reference architectures"),
    ("trust", "who is responsible for the safety walk", WSS, "Owns the night shift's safety walk"),
    ("trust", "who is accountable for the safety walk", WSS, "Owns the night shift's safety walk"),
])
def test_the_role_that_owns_a_thing_ranks_above_roles_that_mention_it(request, engine, query, owner, phrase):
    answer = request.getfixturevalue(engine).ask(query)
    assert answer.kind == "search"
    assert answer.roles[0].title == owner
    assert phrase in answer.text.split("==")[2]  # in the first role's block


def test_a_heading_naming_every_word_beats_the_generic_section_of_the_aspect(shared):
    answer = shared.ask("ptpm scorecard weighting")
    assert answer.roles[0].title == PTPM
    assert answer.section == "Scorecard dimensions (with example weighting)"
    assert shared.ask("ptpm scorecard").section == "Final Role Scorecard Summary"
