"""AnswerEngine on real documents through the real loaders and index: ../shared/role-docs and the
bundled YAML examples. A harder query set than the shared eval: typos, abbreviations, level codes,
plain questions, sub-sections, compares and questions with no answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.config import BUNDLED_EXAMPLES
from core.store import open_store
from roles.answer.engine import AnswerEngine
from roles.index.library import RoleIndex


@pytest.fixture(scope="module")
def shared_engine(tmp_path_factory: pytest.TempPathFactory) -> AnswerEngine:
    from tests.conftest import SHARED_DOCS

    if not SHARED_DOCS.is_dir():
        pytest.skip("../shared/role-docs is not beside the project")
    index = RoleIndex(open_store(tmp_path_factory.mktemp("shared") / "roles.db"))
    index.index_folder(SHARED_DOCS)
    return AnswerEngine(index)


@pytest.fixture(scope="module")
def examples_engine(tmp_path_factory: pytest.TempPathFactory) -> AnswerEngine:
    index = RoleIndex(open_store(tmp_path_factory.mktemp("examples") / "roles.db"))
    index.index_folder(Path(BUNDLED_EXAMPLES))
    return AnswerEngine(index)


PTC, PIC, PSE = "Principal Technical Consultant", "Principal Implementation Consultant", "Post-Sales Engineer"
PTPM, SSA = "Principal Technical Product Manager", "Senior Solutions Architect"

# (query, kind, top role, section (or None to skip), phrases the text must hold)
SHARED = [
    ("ptpm kpis", "role_section", PTPM, "KPIs and Productivity Metrics", []),
    ("L4 solutions architect", "role_overview", SSA, None, ["Current and next Sales quarter"]),
    ("pse first month", "role_section", PSE, None, ["Understand product architecture, deployment models"]),
    ("principle technical consultnat 30 day goals", "role_section", PTC, None,
     ["Shadow at least one complex engagement"]),
    ("implementation consultant certs", "role_section", PIC, None, []),
    ("who does the principal technical consultant report to", "role_section", PTC, None,
     ["Director, Solutions Engineering"]),
    ("post sales engineer red flags", "role_section", PSE, "Red flags", []),
    ("principal implementation consultant what comes after", "role_section", PIC,
     "Next likely roles after this role", []),
    ("how is a post-sales engineer measured", "role_section", PSE, "KPIs and Productivity Metrics",
     ["Time-to-First-Value"]),
    ("solutions architect culture and leadership", "role_section", SSA, "Culture and Leadership", []),
    ("solutions architect planing horizon", "role_section", SSA, None, ["Current and next Sales quarter"]),
    ("ptpm ai impact", "role_section", PTPM, None, []),
    ("how many years of experience does a ptpm need", "role_section", PTPM, None, []),
    ("what are the strong candidate signals for a principal implementation consultant", "role_section", PIC,
     "Strong candidate signals", []),
    ("target for go-live success rate", "search", PIC, None, ["\u226595%"]),
    ("who owns reference architectures", "search", PTC, None, ["reference architectures"]),
    ("who runs technical discovery workshops", "search", PTC, None, ["discovery workshops"]),
]


@pytest.mark.parametrize(("query", "kind", "role", "section", "phrases"), SHARED, ids=[c[0] for c in SHARED])
def test_shared_documents(shared_engine: AnswerEngine, query: str, kind: str, role: str, section: str | None,
                          phrases: list[str]) -> None:
    answer = shared_engine.ask(query)
    assert answer.kind == kind, answer.text[:500]
    assert answer.roles[0].title == role
    if section is not None:
        assert answer.section == section
    for phrase in phrases:
        assert phrase in answer.text


def test_kpi_rows_carry_every_column(shared_engine: AnswerEngine) -> None:
    answer = shared_engine.ask("principal implementation consultant kpis")
    kpis = [k for p in answer.parts for k in p.kpis]
    assert len(kpis) >= 10
    rework = next(k for k in kpis if k.name.startswith("Rework percentage"))
    assert rework.target and rework.frequency
    assert f"Target: {rework.target}" in answer.text and f"Frequency: {rework.frequency}" in answer.text


def test_goals_come_with_success_indicators(shared_engine: AnswerEngine) -> None:
    answer = shared_engine.ask("principal technical consultant 90 day goals")
    goal = answer.parts[0].goals[0]
    assert goal.horizon_days == 90 and goal.items
    for text in goal.items + goal.success_indicators:
        assert text in answer.text


def test_kpi_lookup_across_roles(shared_engine: AnswerEngine) -> None:
    answer = shared_engine.ask("which roles track time to first value")
    assert answer.kind == "search"
    assert {r.title for r in answer.roles[:2]} == {PIC, PSE}


@pytest.mark.parametrize("query", ["compare pse and pic kpis", "pic vs ptc red flags"])
def test_compare_by_abbreviation(shared_engine: AnswerEngine, query: str) -> None:
    answer = shared_engine.ask(query)
    assert answer.kind == "compare"
    assert len(answer.roles) == 2
    assert answer.section in ("KPIs and Productivity Metrics", "Red flags")


@pytest.mark.parametrize(
    "query", ["cosmetic hospitals", "find the best cosmetic hospitals", "parental leave policy",
              "what's the weather in paris", "comment form email address"]
)
def test_no_match_on_page_boilerplate_and_off_topic(shared_engine: AnswerEngine, query: str) -> None:
    answer = shared_engine.ask(query)
    assert answer.kind == "no_match", answer.text[:400]
    assert answer.roles == []


EXAMPLES = [
    ("sre kpis", "role_section", "Site Reliability Engineer", ["Target:", "Frequency:"]),
    ("L3 reliability engineer first year", "role_section", "Site Reliability Engineer", []),
    ("csm 90 day goals", "role_section", "Customer Success Manager", ["Success indicators:"]),
    ("custmer sucess manager tools", "role_section", "Customer Success Manager", []),
    ("data analist day to day", "role_section", "Data Analyst", []),
    ("who does the sre report to", "role_section", "Site Reliability Engineer", ["Reports to"]),
    ("who owns service level objectives", "search", "Site Reliability Engineer", ["service level objectives"]),
]


@pytest.mark.parametrize(("query", "kind", "role", "phrases"), EXAMPLES, ids=[c[0] for c in EXAMPLES])
def test_bundled_examples(examples_engine: AnswerEngine, query: str, kind: str, role: str,
                          phrases: list[str]) -> None:
    answer = examples_engine.ask(query)
    assert answer.kind == kind, answer.text[:500]
    assert answer.roles[0].title == role
    for phrase in phrases:
        assert phrase in answer.text


@pytest.mark.parametrize("title", [PTC, SSA, PTPM])
def test_every_followup_asked_back_answers_its_aspect(shared_engine: AnswerEngine, title: str) -> None:
    overview = shared_engine.ask(title)
    assert overview.kind == "role_overview" and overview.followups
    for aspect in overview.followups:
        answer = shared_engine.ask(f"{title} {aspect.replace('-', ' ')}")
        assert answer.roles[0].title == title
        assert answer.aspect == aspect, (aspect, answer.section)
