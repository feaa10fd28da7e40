"""AnswerEngine on roles built from model objects: every kind of answer and the sloppy ways people ask."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.store import Store
from roles.answer.engine import AnswerEngine
from roles.answer.limits import MAX_QUERY_CHARS
from roles.index.library import RoleIndex
from tests.roles.answer.engine_roles import build_index


@pytest.fixture
def engine(store: Store, tmp_path: Path) -> AnswerEngine:
    return AnswerEngine(build_index(store, tmp_path), aliases={"tam": "Senior Solutions Architect"})


def _titles(answer) -> list[str]:
    return [r.title for r in answer.roles]


# (query, kind, top role, phrases the text must contain)
CASES = [
    ("principal technical consultant kpis", "role_section", "Principal Technical Consultant",
     ["Architecture approval cycle time", "< 10 business days", "Monthly", "PoC success rate"]),
    ("principle technical consultnat kpi", "role_section", "Principal Technical Consultant", ["PoC success rate"]),
    ("how is a principal technical consultant measured", "role_section", "Principal Technical Consultant",
     ["PoC success rate"]),
    ("principal technical consultant first month", "role_section", "Principal Technical Consultant",
     ["Shadow at least one complex engagement", "Knows the delivery playbook"]),
    ("principal technical consultant 3 months", "role_section", "Principal Technical Consultant",
     ["Lead a design review board", "Review accepted first time"]),
    ("principal technical consultant red flags", "role_section", "Principal Technical Consultant",
     ["Blames customers"]),
    ("principal technical consultant certs", "role_section", "Principal Technical Consultant",
     ["AWS Solutions Architect Professional"]),
    ("who does the principal technical consultant report to", "role_section", "Principal Technical Consultant",
     ["Director, Solutions Engineering"]),
    ("what comes after principal technical consultant", "role_section", "Principal Technical Consultant",
     ["Distinguished Architect"]),
    ("principal technical consultant ai impact", "role_section", "Principal Technical Consultant",
     ["Drafting design documents"]),
    ("ptpm 6 month milestones", "role_section", "Principal Technical Product Manager",
     ["major platform capability", "Adoption by two teams"]),
    ("principle tecnical product manger 90 day goals", "role_section", "Principal Technical Product Manager",
     ["Mentor at least one PM"]),
    ("tpm responsibilities", "role_section", "Principal Technical Product Manager", ["multi-horizon roadmaps"]),
    ("implementation consultant kpis", "role_section", "Principal Implementation Consultant",
     ["Rework percentage", "Go-live success rate", "Quarterly", "Outcome"]),
    ("what does a principal implementation consultant do day to day", "role_section",
     "Principal Implementation Consultant", ["Unblock implementation workstreams", "Run the steering meeting"]),
    ("what is the target for rework percentage for an implementation consultant", "role_section",
     "Principal Implementation Consultant", ["<10\u201315%"]),
    ("post sales enginer kpi", "role_section", "Post-Sales Engineer", ["Time-to-First-Value"]),
    ("what should a pse get done in the first month", "role_section", "Post-Sales Engineer",
     ["Understand product architecture", "Passes the product certification"]),
    ("post-sales engineer first year", "role_section", "Post-Sales Engineer", ["durable improvement"]),
    ("post-sales engineer tools", "role_section", "Post-Sales Engineer", ["Jira", "Ticketing"]),
    ("solutions architect planning horizon", "role_section", "Senior Solutions Architect",
     ["Current and next Sales quarter"]),
    ("L4 solutions architect", "role_overview", "Senior Solutions Architect", ["Planning horizon"]),
    ("tam examples of mentoring", "role_section", "Senior Solutions Architect", ["knowledge-sharing session"]),
    ("lead sre", "role_overview", "Lead Site Reliability Engineer", ["Keeps production reliable"]),
    ("who owns reference architectures", "search", "Principal Technical Consultant",
     ["Own reference architectures"]),
    ("who runs technical discovery workshops", "search", "Principal Technical Consultant", ["discovery"]),
    ("which role helps customers improve their DORA metrics", "search", "Senior Solutions Architect", ["DORA"]),
    ("target for go-live success rate", "search", "Principal Implementation Consultant", [">=95%"]),
    ("who ownz refrence architectures", "search", "Principal Technical Consultant", ["reference architectures"]),
]


@pytest.mark.parametrize(("query", "kind", "role", "phrases"), CASES, ids=[c[0] for c in CASES])
def test_queries(engine: AnswerEngine, query: str, kind: str, role: str, phrases: list[str]) -> None:
    answer = engine.ask(query)
    assert answer.kind == kind, answer.text
    assert _titles(answer)[0] == role, answer.text
    for phrase in phrases:
        assert phrase in answer.text, phrase


@pytest.mark.parametrize("role_read_before", [False, True])
def test_a_search_hit_in_a_kpi_table_is_shown_as_its_row(engine: AnswerEngine, role_read_before: bool) -> None:
    # The hit's section is read (alone, or from the role already parsed) so that the row keeps its columns.
    if role_read_before:
        engine.ask("principal implementation consultant kpis")
    answer = engine.ask("target for go-live success rate")
    assert answer.kind == "search" and answer.parts[0].role.title == "Principal Implementation Consultant"
    row = next(k for part in answer.parts for k in part.kpis if k.name == "Go-live success rate")
    assert (row.target, row.frequency, row.structured) == (">=95%", "Quarterly", True)
    assert not any("Go-live success rate" in item.text for part in answer.parts for item in part.items)


def test_section_is_the_heading_answered(engine: AnswerEngine) -> None:
    answer = engine.ask("principal technical consultant red flags")
    assert answer.section == "Red flags"
    assert "Strong candidate signals" not in answer.text
    assert "goals" in answer.followups and "hiring" not in answer.followups


def test_kpi_lookup_across_roles_lists_every_role_that_tracks_it(engine: AnswerEngine) -> None:
    answer = engine.ask("which roles track time to first value")
    assert answer.kind == "search"
    assert set(_titles(answer)[:2]) == {"Post-Sales Engineer", "Principal Implementation Consultant"}
    assert "< 30 days" in answer.text and "< 45 days" in answer.text


def test_compare_two_roles_side_by_side(engine: AnswerEngine) -> None:
    answer = engine.ask("compare principal technical consultant vs ptpm 30 day goals")
    assert answer.kind == "compare"
    assert _titles(answer) == ["Principal Technical Consultant", "Principal Technical Product Manager"]
    assert "Shadow at least one complex engagement" in answer.text
    assert "Build a clear map of the product domain" in answer.text


def test_compare_with_and(engine: AnswerEngine) -> None:
    answer = engine.ask("compare post-sales engineer and implementation consultant kpis")
    assert answer.kind == "compare"
    assert _titles(answer) == ["Post-Sales Engineer", "Principal Implementation Consultant"]
    assert "Rework percentage" in answer.text and "Time-to-First-Value" in answer.text


def test_same_title_is_decided_by_the_rest_of_the_query(engine: AnswerEngine) -> None:
    answer = engine.ask("data engineer dbt tools")
    assert [r.source for r in answer.roles] == ["de-dbt.md"]
    both = engine.ask("data engineer tools")
    assert sorted(r.source for r in both.roles) == ["de-dbt.md", "de-spark.md"]
    assert "Spark" in both.text and "dbt" in both.text


def test_an_ambiguous_word_lists_both_roles(engine: AnswerEngine) -> None:
    answer = engine.ask("consultnat")
    assert set(_titles(answer)) == {"Principal Technical Consultant", "Principal Implementation Consultant"}


@pytest.mark.parametrize("query", ["roles", "list", "list roles", "what roles are there"])
def test_list(engine: AnswerEngine, query: str) -> None:
    answer = engine.ask(query)
    assert answer.kind == "list"
    assert len(answer.roles) == 8
    assert "Post-Sales Engineer" in answer.text


@pytest.mark.parametrize("query", ["", "   ", "help", "HELP me"])
def test_help(engine: AnswerEngine, query: str) -> None:
    answer = engine.ask(query)
    assert answer.kind == "help"
    assert answer.suggestions and "kpis" in answer.text


@pytest.mark.parametrize(
    "query", ["parental leave policy", "what's the weather in paris", "cosmetic hospitals", "what do the should a"]
)
def test_no_match_never_guesses(engine: AnswerEngine, query: str) -> None:
    answer = engine.ask(query)
    assert answer.kind == "no_match", answer.text
    assert answer.roles == []
    assert "roles" in answer.suggestions


def test_stop_words_never_name_a_role(engine: AnswerEngine) -> None:
    for query in ("what", "do", "the", "should", "a", "what should the"):
        assert engine.ask(query).roles == [], query


def test_long_query_is_answered_politely(engine: AnswerEngine) -> None:
    answer = engine.ask("post-sales engineer tools " + "blah " * 1000)
    assert answer.kind == "role_section"
    assert f"first {MAX_QUERY_CHARS} characters" in answer.text
    assert answer.query.startswith("post-sales engineer tools")


@pytest.mark.parametrize("query", ['"kpi', "NEAR(a b)", "a OR AND", "*", "{body}: x", "'; DROP TABLE roles; --",
                                   "<!channel> kpis", "\x00\x01", "\u202e\u0645\u0631\u062d\u0628\u0627"])
def test_hostile_queries_do_not_raise(engine: AnswerEngine, query: str) -> None:
    answer = engine.ask(query)
    assert answer.kind in ("no_match", "search", "role_section", "role_overview", "help", "list")
    assert answer.text


def test_not_ready_on_an_empty_index(store: Store) -> None:
    answer = AnswerEngine(RoleIndex(store)).ask("post-sales engineer kpis")
    assert answer.kind == "not_ready"
    assert "not ready" in answer.text


def test_answers_follow_a_reindex(store: Store, tmp_path: Path) -> None:
    index = build_index(store, tmp_path)
    engine = AnswerEngine(index)
    assert engine.ask("lead sre").kind == "role_overview"
    (tmp_path / "sre.yaml").unlink()
    index.index_folder(tmp_path)
    assert "Lead Site Reliability Engineer" not in [r.title for r in engine.ask("lead sre").roles]


def test_json_contract(engine: AnswerEngine) -> None:
    data = engine.ask("post-sales engineer 30-day goals").to_json()
    assert data["kind"] == "role_section"
    assert data["roles"][0] == "Post-Sales Engineer"
    assert data["section"] == "30-day goals (baseline)"
    assert {"query", "kind", "roles", "section", "text", "suggestions"} <= set(data)


def test_words_in_too_many_rows_get_a_too_general_answer(engine: AnswerEngine,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import roles.answer.search as search_module

    monkeypatch.setattr(search_module, "MAX_RANKED_ROWS", 0)
    answer = engine.ask("who owns reference architectures")
    assert answer.kind == "no_match"
    assert "no role stands out" in answer.text
    assert answer.roles == []


def test_accents_are_folded_like_the_index(store: Store, tmp_path: Path) -> None:
    from roles.model import Item, Role, Section, Source

    role = Role("Recruiter", Source("r.md", "markdown"),
                sections=[Section("responsibilities", "Duties", items=[Item("Screen every r\u00e9sum\u00e9 within a day.")])])
    engine = AnswerEngine(build_index(store, tmp_path, {"r.md": role}))
    answer = engine.ask("who screens resumes")
    assert answer.kind == "search"
    assert "r\u00e9sum\u00e9" in answer.text


def test_a_title_that_repeats_a_word(store: Store, tmp_path: Path) -> None:
    from roles.model import Role, Section, Source

    roles = {
        "ppm.md": Role("Product Product Manager", Source("ppm.md", "markdown"), sections=[Section("summary", "S", "Two.")]),
        "pm.md": Role("Platform Product Manager", Source("pm.md", "markdown"), sections=[Section("summary", "S", "One.")]),
    }
    engine = AnswerEngine(build_index(store, tmp_path, roles))
    assert [r.title for r in engine.ask("product product manager").roles] == ["Product Product Manager"]
    assert [r.title for r in engine.ask("platform product manager").roles] == ["Platform Product Manager"]


@pytest.mark.parametrize(("query", "aspect"), [("kpis", "kpis"), ("30 day goals", "goals"), ("red flags", "hiring")])
def test_an_aspect_without_a_role_asks_which_role(engine: AnswerEngine, query: str, aspect: str) -> None:
    answer = engine.ask(query)
    assert answer.kind == "list"
    assert answer.aspect == aspect
    assert answer.roles and answer.suggestions[0].endswith(query)
    assert "Which role?" in answer.text


def test_concurrent_asks_from_threads(file_store: Store, tmp_path: Path) -> None:
    import threading

    docs = tmp_path / "docs"
    docs.mkdir()
    engine = AnswerEngine(build_index(file_store, docs))
    queries = ["ptpm 6 month milestones", "who owns reference architectures", "roles", "consultnat", "help"]
    results: list[tuple[str, str]] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for query in queries * 4:
                results.append((query, engine.ask(query).kind))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    kinds = {query: {k for q, k in results if q == query} for query in queries}
    assert kinds["ptpm 6 month milestones"] == {"role_section"}
    assert kinds["who owns reference architectures"] == {"search"}
    assert kinds["roles"] == {"list"}


def test_a_partly_matching_title_is_answered_as_the_closest_role_and_says_so(engine: AnswerEngine) -> None:
    answer = engine.ask("principal cloud architect competency")
    assert answer.roles[0].title == "Senior Solutions Architect"
    assert "No role matches every word" in answer.text
    exact = engine.ask("senior solutions architect competency")
    assert "No role matches every word" not in exact.text


def test_a_damaged_index_file_is_a_not_ready_answer_and_one_log_line(tmp_path: Path, caplog) -> None:
    import random
    import sqlite3

    from core.store import open_store

    path = tmp_path / "damaged.db"
    store = open_store(path)
    (tmp_path / "docs").mkdir()
    build_index(store, tmp_path / "docs")
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    with sqlite3.connect(path) as probe:  # the pages of the search rows and the full-text index
        pages = [n for (n,) in probe.execute(
            "SELECT pageno FROM dbstat WHERE name IN ('search_entries', 'role_fts_data') AND pagetype = 'leaf'")]
    store.close()
    noise = random.Random(7)
    with path.open("r+b") as file:  # scribbled over, as a failing disk or a bad copy would
        for page in pages:
            file.seek((page - 1) * 4096 + 8)
            file.write(bytes(noise.randrange(256) for _ in range(4000)))
    engine = AnswerEngine(RoleIndex(open_store(path)))
    with caplog.at_level("WARNING"):
        answers = [engine.ask("who owns the incident review") for _ in range(2)]
    assert [a.kind for a in answers] == ["not_ready", "not_ready"]
    assert all("damaged" in a.text for a in answers)
    assert len(caplog.records) == 2 and not any(r.exc_info for r in caplog.records)
