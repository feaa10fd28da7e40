"""A new hire's and a manager's questions, asked of the real documents (../shared/role-docs, through the
``shared_docs`` fixture) and of the bundled examples: the kind of answer, the role it leads with, the
section it shows, and for the harder ones the sentence that keeps the answer honest.

Each case is what a person would type: typos, abbreviations, level codes, plain questions, Slack's
``&amp;``, small talk, questions the documents cannot answer.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from core.config import BUNDLED_EXAMPLES
from core.store import Store, open_store
from roles.answer.engine import AnswerEngine
from roles.index.library import RoleIndex
from roles.model import Kpi, Role, Section, Source
from tests.roles.answer.engine_roles import build_index

PTC, PIC, PSE = "Principal Technical Consultant", "Principal Implementation Consultant", "Post-Sales Engineer"
PTPM, SSA = "Principal Technical Product Manager", "Senior Solutions Architect"
SRE, CSM, DA = "Site Reliability Engineer", "Customer Success Manager", "Data Analyst"
KPIS = "KPIs and Productivity Metrics"
#: The section label of a whole onboarding plan ("first 90 days", "30 60 90").
PLAN = "30/60/90-day plan"


@pytest.fixture(scope="module")
def _engines(tmp_path_factory: pytest.TempPathFactory) -> dict[Path, AnswerEngine]:
    return {}


def _engine(engines: dict[Path, AnswerEngine], folder: Path, tmp: pytest.TempPathFactory) -> AnswerEngine:
    if folder not in engines:
        index = RoleIndex(open_store(tmp.mktemp("questions") / "roles.db"))
        index.index_folder(folder)
        engines[folder] = AnswerEngine(index)
    return engines[folder]


@pytest.fixture
def shared(shared_docs: Path, _engines: dict, tmp_path_factory: pytest.TempPathFactory) -> AnswerEngine:
    return _engine(_engines, shared_docs, tmp_path_factory)


@pytest.fixture
def examples(_engines: dict, tmp_path_factory: pytest.TempPathFactory) -> AnswerEngine:
    return _engine(_engines, Path(BUNDLED_EXAMPLES), tmp_path_factory)


# (query, kind, top role or None, section or None for "any")
SHARED = [
    ("what should a post-sales engineer do in the first month", "role_section", PSE,
     "30-day goals (onboarding and baseline competence)"),
    ("who owns reference architectures", "search", PTC, "Strategic responsibilities"),
    ("ptpm kpis", "role_section", PTPM, KPIS),
    ("L4 solutions architect", "role_overview", SSA, "Summary"),
    ("L5 solutions architect", "role_overview", SSA, "Summary"),
    ("L4", "role_overview", SSA, "Summary"),
    ("certs for principal technical consultant", "role_section", PTC, "Certifications (relevant but not mandatory)"),
    ("what comes after senior solutions architect", "role_overview", SSA, "Summary"),
    ("principle technical consultnat", "role_overview", PTC, "Role Summary"),
    ("PTPM KPIs!!!", "role_section", PTPM, KPIS),
    ("Post Sales Engineer \u2014 KPIs?", "role_section", PSE, KPIS),
    ("post-sales engineer &amp; ptpm", "compare", PSE, "Role Summary"),
    ("ptpm &amp; pse kpis", "compare", PTPM, KPIS),
    ("ptpm and pse kpis", "compare", PTPM, KPIS),
    ("what does a principal implementation consultant do", "role_section", PIC, "Core Responsibilities"),
    ("what is a principal technical product manager", "role_overview", PTPM, "Role Summary"),
    ("who does a post-sales engineer report to", "role_section", PSE, "Team topology"),
    ("how is a post sales engineer measured", "role_section", PSE, KPIS),
    ("how is the ptpm evaluated", "role_section", PTPM, KPIS),
    ("compare ptc and pic kpis", "compare", PTC, KPIS),
    ("compare post-sales engineer and solutions architect", "compare", PSE, "Role Summary"),
    ("principal technical consultant vs principal implementation consultant responsibilities", "compare", PTC,
     "Core Responsibilities"),
    ("pse 60 day goals", "role_section", PSE, "60-day goals (independent execution)"),
    ("pse 90 days", "role_section", PSE, "90-day goals (trusted owner and improvement contributor)"),
    ("pic first 90 days", "role_section", PIC, PLAN),
    ("ptc first quarter", "role_section", PTC, PLAN),
    ("ptpm first year", "role_section", PTPM, "12-month objectives (domain-level transformation)"),
    ("ptpm 12 month goals", "role_section", PTPM, "12-month objectives (domain-level transformation)"),
    ("ptpm first 100 days", "role_section", PTPM, "90-day goals (measurable impact and operating rhythm)"),
    ("pse first week", "role_section", PSE, "30-day goals (onboarding and baseline competence)"),
    ("senior solutions architect 30 day goals", "role_overview", SSA, "Summary"),
    ("solutions architect skills", "role_section", SSA, "Domain expertise"),
    ("solutions architect examples of mentoring", "role_section", SSA, "Teaching and Mentoring"),
    ("principal technical consultant tools", "role_section", PTC, "Tools, Platforms, and Software"),
    ("principal implementation consultant tech stack", "role_section", PIC, "Typical Tech Stack / Environment"),
    ("post-sales engineer soft skills", "role_section", PSE, "Soft Skills and Behavioral Capabilities"),
    ("ptpm stakeholders", "role_section", PTPM, "Stakeholders and Collaboration Map"),
    ("ptpm decision rights", "role_section", PTPM, "Decision Rights and Scope of Authority"),
    ("post sales engineer career path", "role_section", PSE, "Career Path and Progression"),
    ("what comes after post-sales engineer", "role_section", PSE, "Next likely roles after this role"),
    ("how do i become a principal technical consultant", "role_section", PTC, "Common feeder roles into this role"),
    ("principal implementation consultant interview questions", "role_section", PIC, "What to assess in interviews"),
    ("ptpm red flags", "role_section", PTPM, "Red flags"),
    ("pic red flags in interviews", "role_section", PIC, "Red flags"),
    ("principal technical consultant risks", "role_section", PTC, "Risks, Challenges, and Failure Modes"),
    ("pse anti-patterns", "role_section", PSE, "Anti-patterns"),
    ("principal technical consultant years of experience", "role_section", PTC, "Typical years of experience"),
    ("how many years of experience for a pse", "role_section", PSE, "Typical years of experience"),
    ("ptc education", "role_section", PTC, "Education expectations"),
    ("ptpm certifications", "role_section", PTPM, "Certifications (Optional / context-specific)"),
    ("which roles track NPS", "search", PSE, KPIS),
    ("target for time to first value", "search", PIC, KPIS),
    ("what is the target for csat for a post-sales engineer", "role_section", PSE, KPIS),
    ("who runs technical discovery workshops", "search", PTC, "Operational responsibilities"),
    ("who handles escalations", "search", PSE, "Incident, escalation, or emergency work (if relevant)"),
    ("who gives ad-hoc demos", "search", SSA, "Domain expertise"),
    ("which role is an expert in octopus", "search", SSA, "Domain expertise"),
    ("parental leave policy", "no_match", None, None),
    ("cosmetic hospitals", "no_match", None, None),
    ("how do I reset my password", "no_match", None, None),
    ("what's the weather", "no_match", None, None),
    ("data scientist kpis", "no_match", None, None),
    ("the of and to", "no_match", None, None),
    ("hello", "help", None, None),
    ("thanks", "help", None, None),
    ("what can you do", "help", None, None),
    ("compare", "help", None, None),
    ("?", "help", None, None),
    ("\U0001f680", "help", None, None),
    ("ptpm \U0001f680 kpis", "role_section", PTPM, KPIS),
    ("principal", "list", PIC, None),
    ("engineer", "role_overview", PSE, "Role Summary"),
    ("consultant", "list", PTC, None),  # two consultants: pick one
    ("manager kpis", "role_section", PTPM, KPIS),
    ("implementation consultant 30 60 90", "role_section", PIC, PLAN),
    ("post-sales engineer day to day", "role_section", PSE, "Day-to-Day Activities"),
    ("post-sales engineer weekly activities", "role_section", PSE, "Weekly activities"),
    ("ptpm meetings", "role_section", PTPM, "Recurring meetings or rituals"),
    ("principal technical consultant deliverables", "role_section", PTC, "Key Deliverables"),
    ("why does the post-sales engineer role exist", "role_section", PSE, "Role Mission"),
    ("ptpm what can be automated", "role_section", PTPM, "AI / Automation Impact on the Role"),
    ("what parts of the pse job will ai automate", "role_section", PSE, "AI / Automation Impact on the Role"),
    ("pse success metrics", "role_section", PSE, KPIS),
    ("post sales engineer \u2014 6 month milestones", "role_section", PSE, "6-month milestones (scalable impact)"),
    ("compare ptpm and ssa 90 day goals", "compare", PTPM, "90-day goals (measurable impact and operating rhythm)"),
    ("ptpm vs pse", "compare", PTPM, "Role Summary"),
    ("ssa vs ptpm career path", "compare", SSA, "Summary"),
    ("compare ptpm", "role_overview", PTPM, "Role Summary"),
    ("ptpm vs", "role_overview", PTPM, "Role Summary"),
    ("ptpm startup vs enterprise", "role_section", PTPM, "Startup vs enterprise operating model"),
    ("solutions architect impact radius", "role_section", SSA, "Facts"),
    ("roles", "list", PSE, None),
    ("kpis", "list", PSE, None),
    ("what's the ptpm's 90 day plan", "role_section", PTPM, PLAN),
    ("PTC's KPIs", "role_section", PTC, KPIS),
    ("what tools does a pse use", "role_section", PSE, "Tools, Platforms, and Software"),
    ("pse salary", "role_overview", PSE, "Role Summary"),
    ("senior post-sales engineer", "search", PSE, "Next likely roles after this role"),
    ("ptc escalation path", "role_section", PTC, "Internal stakeholders"),
    ("what does success look like for a ptpm", "role_section", PTPM, "Role success definition"),
    ("how to hire a post-sales engineer", "role_section", PSE, "Hiring Evaluation Criteria"),
    ("Principal_Technical_Consultant", "role_overview", PTC, "Role Summary"),
    ("kpis for ptpm pls", "role_section", PTPM, KPIS),
    ("ptpm kpi's", "role_section", PTPM, KPIS),
    ("pse okrs", "role_section", PSE, "Goals, Objectives, and Milestones"),
    ("ptpm pse kpis", "compare", PTPM, KPIS),
    ("what should I look for when hiring a ptpm", "role_section", PTPM, "What to assess in interviews"),
    ("how do I know my pse is underperforming", "role_section", PSE, "Common reasons for underperformance"),
    ("how much autonomy does a ptc have", "role_section", PTC, "Decision Rights and Scope of Authority"),
    ("what budget does the ptpm control", "role_section", PTPM,
     "Budget, vendor, delivery, hiring, compliance authority (typical)"),
    ("pse hiring authority", "role_section", PSE, "Delivery / hiring authority"),
    ("ptpm hiring", "role_section", PTPM, "Hiring Evaluation Criteria"),
    ("what kpis should a ptpm look at", "role_section", PTPM, KPIS),
    ("what level is a ptc", "role_section", PTC, "Role Summary"),
    ("how senior is a ptc", "role_section", PTC, "Role Summary"),
    ("ptc direct reports", "role_section", PTC, "Role Summary"),
    ("ptpm kpsi", "role_section", PTPM, KPIS),
    ("ptc tols", "role_section", PTC, "Tools, Platforms, and Software"),
    ("ptpm stakeholdrs", "role_section", PTPM, "Stakeholders and Collaboration Map"),
    ("ptpm metrcis", "role_section", PTPM, KPIS),
    ("ptc slack", "search", PTC, "Tools, Platforms, and Software"),
    ("<@U12345> who owns reference architectures", "search", PTC, "Strategic responsibilities"),
    ("<!channel> who runs technical discovery workshops", "search", PTC, "Operational responsibilities"),
    ("<https://example.com/ptpm|ptpm> kpis", "role_section", PTPM, KPIS),
    (":thinking_face:", "help", None, None),
    (":wave: ptpm kpis :pray:", "role_section", PTPM, KPIS),
    ("I'm a new PSE, what should I focus on?", "role_section", PSE, "Goals, Objectives, and Milestones"),
    ("I'm starting as a principal technical consultant next week", "role_section", PTC,
     "Goals, Objectives, and Milestones"),
    ("what's expected of me as a new ptpm", "role_section", PTPM, "Goals, Objectives, and Milestones"),
    ("my manager says I'm a PTC, what are my goals", "role_section", PTC, "Goals, Objectives, and Milestones"),
    ("how do I grow as a ptpm", "role_section", PTPM, "Career Path and Progression"),
    ("who should I meet as a new pse", "role_section", PSE, "Stakeholders and Collaboration Map"),
    ("ptpm adoption growth target", "role_section", PTPM, KPIS),
    ("onboarding cycle time", "search", PSE, KPIS),
    ("why do post-sales engineers fail", "role_section", PSE, "Common reasons for underperformance"),
    ("what roles feed into ptpm", "role_section", PTPM, "Common feeder roles into this role"),
    ("ptc first day", "role_section", PTC, "30-day goals (onboarding and positioning)"),
    ("ptc day 1", "role_section", PTC, "30-day goals (onboarding and positioning)"),
    ("ptc day to day", "role_section", PTC, "Day-to-Day Activities"),
    ("pic travel", "role_overview", PIC, "Role Summary"),
    ("ptpm escalation points", "role_section", PTPM, "Nature of collaboration and decision-making authority"),
    ("pse weak signals", "role_section", PSE, "Weak candidate signals"),
    ("ptc green flags", "role_section", PTC, "Strong candidate signals"),
    ("ptpm budget authority", "role_section", PTPM, "Budget, vendor, delivery, hiring, compliance authority (typical)"),
    ("how does a ptc differ from a pic", "compare", PTC, "Core Responsibilities"),
    ("what is the difference between ptc and pic", "compare", PTC, "Role Summary"),
    ("ptpm ptc pse pic ssa", "list", PTPM, None),
    ("compare ptc, pic and pse", "compare", PTC, "Role Summary"),
    ("ptc vs pic vs pse kpis", "compare", PTC, KPIS),
    ("ptpm ptc pse kpis", "compare", PTPM, KPIS),
    ("compare pse and pic escalation", "compare", PSE, "Escalation points"),
    ("which kpis are measured quarterly", "search", PIC, KPIS),
    ("what does ttfv mean", "search", PIC, None),
    ("principal technical", "list", PTC, None),
    ("L4 kpis", "role_overview", SSA, "Summary"),
    ("sales", "role_overview", PSE, "Role Summary"),
    ("<@U12345> what are the pse 30 day goals", "role_section", PSE,
     "30-day goals (onboarding and baseline competence)"),
    ("\uff30\uff34\uff30\uff2d \uff4b\uff50\uff49\uff53", "role_section", PTPM, KPIS),
    ("ptpm kpis " + "lorem ipsum dolor " * 230, "role_section", PTPM, KPIS),
    ("x" * 4000, "no_match", None, None),
]

EXAMPLES = [
    ("sre on-call", "role_section", SRE, "Incident management"),
    ("what does an sre report to", "role_section", SRE, "Stakeholders and Collaboration Map"),
    ("who does a data analyst report to", "role_section", DA, "Stakeholders and Collaboration Map"),
    ("compare data analyst and sre kpis", "compare", DA, KPIS),
    ("data analyst and sre kpis", "compare", DA, KPIS),
    ("data analyst vs sre on call", "compare", DA, "Summary"),
    ("how is a customer success manager measured", "role_section", CSM, KPIS),
    ("which roles track NPS", "no_match", None, None),
    ("which role tracks churn", "search", CSM, KPIS),
    ("csm 30 day goals", "role_section", CSM, "30-day goals (learn the book)"),
    ("data analyst first month", "role_section", DA, "30-day goals"),
    ("sre 6 month milestones", "role_section", SRE, "6-month milestones"),
    ("sre first year", "role_section", SRE, "12-month objectives"),
    ("sre tools", "role_section", SRE, "Tools, Platforms, and Software"),
    ("sre tech stack", "role_section", SRE, "Tools, Platforms, and Software"),
    ("what comes after data analyst", "role_section", DA, "Career Path and Progression"),
    ("sre certifications", "role_section", SRE, "Required Experience and Qualifications"),
    ("L3 sre", "role_overview", SRE, "Summary"),
    ("L2", "role_overview", DA, "Summary"),
    ("analyst kpis", "role_section", DA, KPIS),
    ("who owns service level objectives", "search", SRE, "Reliability engineering"),
    ("who does capacity planning", "search", SRE, "Reliability engineering"),
    ("target for mttr", "search", SRE, KPIS),
    ("what is toil ratio", "search", SRE, KPIS),
    ("sre vs csm day to day", "compare", SRE, "Day-to-Day Activities"),
    ("compare csm and data analyst 90 day goals", "compare", CSM, "90-day goals (drive outcomes)"),
    ("site reliabilty enginer", "role_overview", SRE, "Summary"),
    ("customer sucess manger kpis", "role_section", CSM, KPIS),
    ("data anlyst 60 day goals", "role_section", DA, "60-day goals"),
    ("parental leave policy", "no_match", None, None),
    ("how do I reset my password", "no_match", None, None),
    ("thanks!", "help", None, None),
    ("good morning", "help", None, None),
    ("which roles use terraform", "search", SRE, "Tools, Platforms, and Software"),
    ("which role uses looker", "search", DA, "Tools, Platforms, and Software"),
    ("what's a good nrr", "search", CSM, KPIS),
    ("grr target", "search", CSM, KPIS),
    ("lead sre", "role_overview", SRE, "Summary"),
    ("what does the sre lead", "role_section", SRE, "Core Responsibilities"),
    ("who approves release freezes", "search", SRE, "Decision Rights and Scope of Authority"),
    ("what should a new sre do in the first week", "role_section", SRE, "30-day goals (learn the estate)"),
    ("sre pagerduty", "role_section", SRE, "Tools, Platforms, and Software"),
    ("data analyst sql", "role_section", DA, "Technical Skills Required"),
    ("csm promotion", "role_section", CSM, "Career Path and Progression"),
    ("csm risks", "role_overview", CSM, "Summary"),
    ("compare all roles kpis", "list", CSM, None),
    ("csm kpis and goals", "role_section", CSM, KPIS),
    ("what does success look like for a csm", "role_section", CSM, "Goals, Objectives, and Milestones"),
    ("what does the csm do with churn risk", "search", CSM, None),
    ("customer success csm kpis", "role_section", CSM, KPIS),
    ("who is the sre's manager", "role_section", SRE, "Stakeholders and Collaboration Map"),
    ("sre boss", "role_section", SRE, "Stakeholders and Collaboration Map"),
]


def _check(answer, kind: str, role: str | None, section: str | None) -> None:
    assert answer.kind == kind, answer.text[:400]
    if role is None:
        assert answer.roles == []
    else:
        assert answer.roles and answer.roles[0].title == role, answer.text[:400]
    if section is not None:
        assert answer.section == section, answer.text[:400]
    assert answer.text.strip()


@pytest.mark.parametrize(("query", "kind", "role", "section"), SHARED, ids=[c[0][:60] for c in SHARED])
def test_shared_questions(shared: AnswerEngine, query: str, kind: str, role: str | None, section: str | None) -> None:
    _check(shared.ask(query), kind, role, section)


@pytest.mark.parametrize(("query", "kind", "role", "section"), EXAMPLES, ids=[c[0] for c in EXAMPLES])
def test_example_questions(examples: AnswerEngine, query: str, kind: str, role: str | None,
                           section: str | None) -> None:
    _check(examples.ask(query), kind, role, section)


# Answers that show something near what was asked say so in one sentence.
NOTES = [
    ("ssa vs ptpm career path", "Senior Solutions Architect has no section about career path"),
    ("compare ptpm and ssa 90 day goals", "Senior Solutions Architect has no section about goals"),
    ("pse salary", "Nothing about \u201csalary\u201d in the document for Post-Sales Engineer"),
    ("solutions architect skills", "no section about skills; the closest is Domain expertise"),
    ("compare ptpm", "To compare, name two roles"),
    ("ptc first day", "has no 1-day goals"),
    ("compare ptc pic pse ptpm ssa kpis", "I compare up to 4 roles at a time"),
    ("compare pse and pic escalation",
     "Comparing Post-Sales Engineer and Principal Implementation Consultant: Escalation points"),
    ("ptc compared to pic", "Comparing Principal Technical Consultant and Principal Implementation Consultant: overview"),
    ("principal security engineer kpis", "No role is called \u201cprincipal security engineer\u201d"),
    ("support engineer", "No role is called \u201csupport engineer\u201d"),
    ("ptpm kpis " + "lorem ipsum dolor " * 230, "I read only its first 500 characters"),
]


@pytest.mark.parametrize(("query", "sentence"), NOTES, ids=[c[0][:60] for c in NOTES])
def test_a_near_answer_says_what_is_missing(shared: AnswerEngine, query: str, sentence: str) -> None:
    assert sentence in shared.ask(query).text


def test_compare_without_a_compare_word_shows_both_roles(shared: AnswerEngine) -> None:
    answer = shared.ask("ptpm and pse kpis")
    assert [r.title for r in answer.roles] == [PTPM, PSE]
    assert {p.role.title for p in answer.parts} == {PTPM, PSE}


def test_and_inside_one_title_is_no_comparison(shared: AnswerEngine) -> None:
    # One side naming only part of a title ("manager") is not enough to compare.
    assert shared.ask("technical consultant and manager").kind != "compare"


def test_a_seniority_word_alone_lists_the_roles_of_that_rank(shared: AnswerEngine) -> None:
    answer = shared.ask("principal")
    assert {r.title for r in answer.roles} == {PTC, PIC, PTPM}
    assert set(answer.suggestions) == {PTC, PIC, PTPM}


@pytest.mark.parametrize("query", ["who owns reference architectures", "senior post-sales engineer",
                                   "solutions architect mentoring"])
def test_a_known_title_or_a_typo_is_not_called_unknown(shared: AnswerEngine, query: str) -> None:
    assert "No role is called" not in shared.ask(query).text


@pytest.mark.parametrize(("query", "titles"), [("technical", {PTC, PTPM}), ("principal technical", {PTC, PTPM}),
                                               ("ptpm ptc pse pic ssa", {PTC, PIC, PSE, PTPM, SSA})])
def test_words_of_several_titles_list_those_roles(shared: AnswerEngine, query: str, titles: set[str]) -> None:
    # "technical" in the Senior Solutions Architect's qualifier (Technical Account Management) does not count.
    assert {r.title for r in shared.ask(query).roles} == titles


def test_a_rank_with_an_aspect_suggests_asking_it_of_each_role(shared: AnswerEngine) -> None:
    answer = shared.ask("principal kpis")
    assert answer.kind == "list"
    assert set(answer.suggestions) == {f"{t} kpis" for t in (PTC, PIC, PTPM)}


@pytest.mark.parametrize("query", ["compare all roles kpis", "d.a. kpis", "kpis"])
def test_which_role_suggestions_ask_the_aspect_of_each_role(examples: AnswerEngine, query: str) -> None:
    answer = examples.ask(query)
    assert answer.kind == "list"
    assert answer.suggestions == [f"{t.lower()} kpis" for t in (CSM, DA, SRE)]


def test_a_short_word_does_not_match_a_heading_by_one_letter(shared: AnswerEngine) -> None:
    # "call" is no typo of "Calm under pressure".
    assert shared.ask("pic on call").section != "Soft Skills and Behavioral Capabilities"


def test_a_miss_suggests_asking_the_same_of_roles_that_have_it(shared: AnswerEngine) -> None:
    answer = shared.ask("data scientist kpis")
    assert answer.kind == "no_match"
    roles = [s for s in answer.suggestions if s not in ("roles", "help")]
    assert roles and all(s.endswith(" kpis") for s in roles)
    assert not any(s.startswith(SSA) for s in roles)  # its document has no KPIs


def test_three_roles_compared_each_show_their_part(shared: AnswerEngine) -> None:
    answer = shared.ask("ptc vs pic vs pse kpis")
    assert [r.title for r in answer.roles] == [PTC, PIC, PSE]
    assert {p.role.title for p in answer.parts if p.kpis} == {PTC, PIC, PSE}


def test_two_aspects_of_one_role_are_both_shown(examples: AnswerEngine) -> None:
    answer = examples.ask("csm kpis and goals")
    assert any(p.kpis for p in answer.parts) and any(p.goals for p in answer.parts)


def test_a_kpi_frequency_is_searched_across_roles(shared: AnswerEngine) -> None:
    answer = shared.ask("which kpis are measured quarterly")
    kpis = [k for p in answer.parts for k in p.kpis]
    assert kpis and all("quarter" in k.frequency.lower() for k in kpis)


def test_a_phrase_in_one_document_does_not_hide_the_role_that_owns_the_thing(shared: AnswerEngine) -> None:
    # Only the consultant's document says "product roadmap"; the PTPM owns "multi-horizon roadmaps".
    answer = shared.ask("which role owns the product roadmap")
    assert answer.kind == "search"
    assert PTPM in [r.title for r in answer.roles]


def test_new_is_searched_when_it_tells_two_kpis_apart(store: Store, tmp_path: Path) -> None:
    # "as a new PSE" says who asks, but in "onboarding time for new engineers" the word is the KPI.
    def role(title: str, kpi: str) -> Role:
        return Role(title=title, source=Source(f"{title}.md", "markdown"),
                    sections=[Section("kpis", "KPIs", kpis=[Kpi(kpi, "Days from start", "Speed", "< 30 days")])])

    roles = {"a.md": role("Platform Lead", "Onboarding time for engineers"),
             "b.md": role("Delivery Lead", "Onboarding time for new engineers joining the delivery organisation")}
    engine = AnswerEngine(build_index(store, tmp_path, roles))
    answer = engine.ask("which roles track onboarding time for new engineers")
    assert answer.kind == "search"
    assert [r.title for r in answer.roles] == ["Delivery Lead"]


@pytest.mark.parametrize("corpus", ["shared", "examples"])
def test_every_help_example_is_answered_by_this_index(request: pytest.FixtureRequest, corpus: str) -> None:
    engine = request.getfixturevalue(corpus)
    examples = engine.ask("help").suggestions
    assert len(examples) >= 6
    for example in examples:
        assert engine.ask(example).kind not in ("no_match", "help"), example


def test_a_compare_says_which_role_lacks_the_part_asked(examples: AnswerEngine) -> None:
    answer = examples.ask("data analyst vs sre on call")
    assert "Nothing about \u201ccall\u201d in the document for Data Analyst" in answer.text
    assert "On-call" in answer.text  # the SRE's part


def test_kpi_rows_of_every_role_in_a_lookup_keep_their_columns(shared: AnswerEngine) -> None:
    answer = shared.ask("which roles track NPS")
    assert len(answer.roles) >= 3
    with_kpis = {p.role.title for p in answer.parts if p.kpis}
    assert with_kpis >= {r.title for r in answer.roles[:4]}
    assert answer.text.count("Target: ") >= 4


@pytest.mark.parametrize("query", ["what level is a ptc", "ptc direct reports"])
def test_how_senior_a_role_is_comes_from_its_seniority_note(shared: AnswerEngine, query: str) -> None:
    answer = shared.ask(query)
    assert [i.label for p in answer.parts for i in p.items] == ["Conservative seniority inference"]
    assert "not a people manager" in answer.text
