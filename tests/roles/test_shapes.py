"""Real-world document shapes (issue 7 item 2, issue 12 item 2): the roles a person would list, no more.

Every fixture under tests/roles/data/shapes was written for these tests in the shape of a public
ladder, job-family repository, static-site export or handbook page (none is copied). Each expected
entry is (title, level code or "").
"""

from __future__ import annotations

from pathlib import Path

import pytest

from roles.loaders import load_file
from roles.loaders.coverage import coverage
from roles.loaders.decode import decode_bytes, repair_text
from roles.model import LoadedDocument

DATA = Path(__file__).parent / "data"
SHAPES = DATA / "shapes"

EXPECTED: dict[str, list[tuple[str, str]]] = {
    "multi/marketing-roles.md": [("Content Marketer", ""), ("Product Marketing Manager", ""), ("Head of Brand", "")],
    "ladder/developer.md": [("Developer 1", "D1"), ("Developer 2", "D2"), ("Tech Lead 4", "TL4"),
                            ("Engineering Manager 5", "EM5")],
    # Two tracks of level headings: the second track's single role counts once the first is a ladder.
    "ladder/tracks.md": [("Engineer I", ""), ("Engineer II", ""), ("Engineering Manager", "")],
    "codes/engineer-levels.md": [("Software Engineer", "L3"), ("Senior Software Engineer", "L5"),
                                 ("Staff Engineer", "IC6"), ("SDE II", ""), ("Engineer III", "")],
    # A level table whose titles are also headings is an overview; "A / B" names give an alias.
    "codes/ic-framework.md": [("Engineer I", ""), ("Engineer II", ""), ("Senior Staff Engineer", "")],
    "codes/l4.md": [("Senior Data Analyst", "L4")],
    "noext/customer-success-manager": [("Customer Success Manager", "")],
    "matrix/engineering-competency-matrix.md": [("Junior Engineer", ""), ("Mid Engineer", ""),
                                                ("Senior Engineer", ""), ("Staff Engineer", "")],
    # One matrix split over two tables: one role per level, a section per table.
    "matrix/competencies-by-level.md": [("Engineer", "IC1"), ("Engineer", "IC2"), ("Engineer", "IC3")],
    "family/backend-engineer.md": [("Junior Backend Engineer", ""), ("Intermediate Backend Engineer", ""),
                                   ("Senior Backend Engineer", ""), ("Backend Engineer", "")],
    "family/frontend-engineer/index.html.md.erb": [
        ("Junior Frontend Engineer", ""), ("Intermediate Frontend Engineer", ""), ("Senior Frontend Engineer", ""),
        ("Frontend Engineer", "")],
    "site/ic3_software_engineer.html": [("Software Engineer", "IC3")],
    "site/m5_engineering_manager.html": [("Engineering Manager", "M5")],
    "site/index.html": [],
    # A ladder exported to HTML is read like the Markdown one (S1/S2 is no level code: a plain table).
    "site/support-ladder.html": [("Support Agent I", ""), ("Support Agent II", ""), ("Support Lead", "")],
    "erb/design/index.html.md.erb": [],
    "erb/design/ux-researcher/index.html.md.erb": [("UX Researcher", "")],
    "mdx/data-scientist.mdx": [("Data Scientist", "P3")],
    "agency/senior-developer.md": [("Senior Developer", "G7")],
    "cloud/README.md": [],
    "cloud/cloud-engineer.md": [("Cloud Engineer", "")],
    "general/levels-and-reviews.md": [],
    "general/expectations-for-everyone.md": [],
    "notion/Support Engineer 0f3a9c2b7d1e4a5b8c6d2e9f0a1b3c4d.md": [("Support Engineer", "")],
    "confluence/solutions-architect.html": [("Solutions Architect", "")],
    "gdocs/support-specialist.html": [("Customer Support Specialist", "")],
    "config/_config.yml": [],
    "config/CNAME": [],
    "handbook-shapes/engineering-career-framework.md": [
        ("Team Lead", ""), ("Engineer", "IC1"), ("Engineer", "IC2"), ("Engineer", "IC3"), ("Engineer", "M3"),
        ("Engineer", "M4"), ("Engineer", "M5")],
    "handbook-shapes/product-levels.md": [("Product Manager", code) for code in ("IC1", "IC2", "IC3", "M3")],
    "handbook-shapes/design-competencies.md": [("Designer", "P2"), ("Designer", "P3"), ("Designer", "P4")],
    "handbook-shapes/incident-response.md": [],
    "handbook-shapes/platform-team.md": [],
}


def _load(relative: str) -> LoadedDocument:
    return load_file(SHAPES / relative, SHAPES)


def _level(aliases: list[str]) -> str:
    return next((a for a in aliases if a.isupper() and any(ch.isdigit() for ch in a) and " " not in a), "")


def test_every_fixture_has_an_expectation() -> None:
    files = {p.relative_to(SHAPES).as_posix() for p in SHAPES.rglob("*")
             if p.is_file() and not any(part.startswith(".") for part in p.relative_to(SHAPES).parts)}
    assert files == set(EXPECTED)


@pytest.mark.parametrize("relative", sorted(EXPECTED))
def test_shape_gives_the_roles_a_person_would_list(relative: str) -> None:
    document = _load(relative)
    assert [(r.title, _level(r.aliases)) for r in document.roles] == EXPECTED[relative]
    if not document.roles:
        # A page that is not a role says why, in one line.
        assert document.decision.startswith("not a role") and "\n" not in document.decision


def _fixtures() -> list[Path]:
    return sorted(p for p in DATA.rglob("*") if p.is_file() and not p.name.startswith("."))


@pytest.mark.parametrize("path", _fixtures(), ids=lambda p: p.relative_to(DATA).as_posix())
def test_no_input_words_are_lost(path: Path) -> None:
    """Every word lands in a role, in a candidate explained as not a role, or in a chrome note; a document
    with no role at all is reported as not a role with its reason."""
    document = load_file(path, DATA)
    if not document.roles and not document.rejected:
        assert document.decision.startswith("not a role: ")
        return
    found = coverage(document, repair_text(decode_bytes(path.read_bytes())))
    assert found.unplaced_lines == [] and found.share == 1.0


def test_the_shared_documents_lose_no_content_words() -> None:
    shared = Path(__file__).resolve().parents[3] / "shared" / "role-docs"
    if not shared.is_dir():
        pytest.skip("shared role documents not present")
    for path in sorted(shared.iterdir()):
        found = coverage(load_file(path, shared), repair_text(decode_bytes(path.read_bytes())))
        # Only words of the page's heading descriptor ("Role Blueprint, … and Career Path") are not kept.
        assert found.share >= 0.995, (path.name, found.unplaced_lines)


def test_a_level_code_becomes_an_alias_and_the_title_keeps_the_name() -> None:
    (role,) = _load("codes/l4.md").roles
    assert role.title == "Senior Data Analyst" and "L4" in role.aliases
    (agency,) = _load("agency/senior-developer.md").roles
    assert {"G7", "HEO"} <= set(agency.aliases)
    # The second "#" heading of a job description is a section of the same role.
    assert "Job description" in [s.heading for s in agency.walk()]


def test_site_navigation_is_noted_never_the_title() -> None:
    document = _load("site/ic3_software_engineer.html")
    assert any(note.startswith("left out as page chrome: <nav") for note in document.notes)
    assert all("Career site" not in s.heading for r in document.roles for s in r.walk())
    ladder = _load("ladder/developer.md")
    assert any("'Other Pages'" in note for note in ladder.notes)


def test_competency_matrix_gives_each_level_its_cells_under_the_competency_rows() -> None:
    junior = _load("matrix/engineering-competency-matrix.md").roles[0]
    (section,) = junior.sections
    assert section.aspect == "competency"
    assert [(i.label, i.text) for i in section.items] == [
        ("Technical skill", "Fixes bugs with review"), ("Communication", "Asks for help early"),
        ("Impact", "Completes tasks")]


def test_tbd_levels_are_not_roles_and_say_so() -> None:
    document = _load("handbook-shapes/product-levels.md")
    (rejected,) = [v for v in document.verdicts if not v.is_role]
    assert "placeholder" in rejected.summary()


def test_a_matrix_split_over_tables_gives_each_level_one_section_per_table() -> None:
    first = _load("matrix/competencies-by-level.md").roles[0]
    assert [(s.heading, [i.label for i in s.items]) for s in first.sections] == [
        ("Technical depth", ["Coding", "Design"]), ("Collaboration", ["Reviews"])]
    (engineer_i, *_rest) = _load("codes/ic-framework.md").roles
    assert "Software Engineer I" in engineer_i.aliases


def test_google_docs_export_title_and_kpi_table_without_header_cells() -> None:
    (role,) = _load("gdocs/support-specialist.html").roles
    assert [(s.aspect, s.heading) for s in role.sections] == [
        ("summary", "About the role"), ("responsibilities", "Responsibilities"), ("kpis", "KPIs")]
    assert [(k.name, k.target) for k in role.kpis()] == [("Customer satisfaction", "95%")]
