"""The five real role documents in ../shared/role-docs (issue 2 acceptance).

Expected counts are computed from the documents themselves (with plain regular expressions, not the
loaders' parsers), so the tests check the loaders against the source and contain none of its text.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from roles.loaders import load_file
from roles.loaders.builder import kpi_columns
from roles.loaders.text_table import split_row
from roles.model import LONG_TERM_DAYS, Role

TITLES = {
    "000": "Principal Technical Consultant",
    "001": "Principal Implementation Consultant",
    "002": "Post-Sales Engineer",
    "003": "Principal Technical Product Manager",
    "004": "Senior Solutions Architect",
}
FORMATS = {"000": "blog-json", "001": "blog-json", "002": "blog-json", "003": "text", "004": "markdown"}


def _doc(shared_docs: Path, prefix: str) -> Path:
    (path,) = shared_docs.glob(f"{prefix}_*")
    return path


def _role(shared_docs: Path, prefix: str) -> Role:
    document = load_file(_doc(shared_docs, prefix), shared_docs)
    (role,) = document.roles
    return role


def test_exactly_five_roles_with_the_documents_titles(shared_docs: Path) -> None:
    found = {}
    for path in sorted(shared_docs.iterdir()):
        document = load_file(path, shared_docs)
        assert document.format == FORMATS[path.name[:3]]
        for role in document.roles:
            assert role.source.path == path.name
            found[path.name[:3]] = role.title
    assert found == TITLES


def test_sources_keep_the_blog_link(shared_docs: Path) -> None:
    for prefix in ("000", "001", "002"):
        path = _doc(shared_docs, prefix)
        link = json.loads(path.read_text(encoding="utf-8"))["link"]
        assert _role(shared_docs, prefix).source.link == link


def _blog_html(shared_docs: Path, prefix: str) -> str:
    return json.loads(_doc(shared_docs, prefix).read_text(encoding="utf-8"))["content"]["rendered"]


def _list_after_heading(source: str, heading_pattern: str) -> int:
    """Number of <li> in the first list after an <h3> matching ``heading_pattern``."""
    match = re.search(r"<h3[^>]*>" + heading_pattern + r".*?</h3>\s*<(ul|ol)[^>]*>(.*?)</\1>", source, re.S)
    assert match, heading_pattern
    return match.group(2).count("<li")


@pytest.mark.parametrize("prefix", ["000", "001", "002"])
def test_blog_goal_counts_match_the_document(shared_docs: Path, prefix: str) -> None:
    source = _blog_html(shared_docs, prefix)
    goals = {g.horizon_days: g for g in _role(shared_docs, prefix).goals()}
    for days in (30, 60, 90):
        assert len(goals[days].items) == _list_after_heading(source, f"{days}-day goals"), days
    assert len(goals[180].items) == _list_after_heading(source, "6-month")
    assert len(goals[365].items) == _list_after_heading(source, "12-month")
    assert len(goals[LONG_TERM_DAYS].items) == _list_after_heading(source, "Long-term")


def test_success_indicators_belong_to_their_goal(shared_docs: Path) -> None:
    source = _blog_html(shared_docs, "000")
    goals = {g.horizon_days: g for g in _role(shared_docs, "000").goals()}
    for days in (30, 60, 90):
        block = re.search(rf"Success indicators \({days} days\):</strong>(.*?)</p>", source, re.S).group(1)
        expected = [html.unescape(part).strip() for part in block.split("&#8211;")[1:]]
        assert goals[days].success_indicators == expected
    assert not goals[180].success_indicators


def _kpi_table(source: str) -> tuple[list[str], list[list[str]]]:
    """Header and body cells of the table whose header names a metric, read with regexes."""
    for table in re.findall(r"<table>(.*?)</table>", source, re.S):
        header = [html.unescape(h) for h in re.findall(r"<th>(.*?)</th>", table)]
        if header and header[0].startswith("Metric"):
            body = table.split("</thead>", 1)[1]
            rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
            return header, [[html.unescape(c) for c in re.findall(r"<td>(.*?)</td>", row, re.S)] for row in rows]
    raise AssertionError("no KPI table")


def _kpi_rows(source: str) -> list[list[str]]:
    return _kpi_table(source)[1]


@pytest.mark.parametrize("prefix", ["000", "001", "002"])
def test_blog_kpi_table_is_complete(shared_docs: Path, prefix: str) -> None:
    rows = _kpi_rows(_blog_html(shared_docs, prefix))
    kpis = _role(shared_docs, prefix).kpis()
    assert len(kpis) == len(rows) >= 15
    for kpi, cells in zip(kpis, rows, strict=True):
        assert kpi.structured
        assert kpi.name == cells[0]
        assert kpi.target == cells[-2] and kpi.frequency == cells[-1]
        assert kpi.measures in cells and kpi.why in cells
        assert kpi.target and kpi.frequency


def test_blog_kpi_type_column_is_kept(shared_docs: Path) -> None:
    rows = _kpi_rows(_blog_html(shared_docs, "001"))
    kpis = _role(shared_docs, "001").kpis()
    assert [k.type for k in kpis] == [cells[1] for cells in rows]


def _text_kpi_lines(shared_docs: Path) -> list[str]:
    lines = _doc(shared_docs, "003").read_text(encoding="utf-8").splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith("Metric name"))
    end = next(n for n in range(start, len(lines)) if not lines[n].strip())
    return lines[start + 1:end]


def test_text_kpi_table_every_row_recovered(shared_docs: Path) -> None:
    lines = _text_kpi_lines(shared_docs)
    kpis = _role(shared_docs, "003").kpis()
    assert len(kpis) == len(lines) >= 15
    for kpi, line in zip(kpis, lines, strict=True):
        assert kpi.structured, line
        # The cells partition the row exactly: nothing lost, nothing added.
        assert " ".join([kpi.name, kpi.measures, kpi.why, kpi.target, kpi.frequency]) == line
        assert kpi.target and kpi.frequency


@pytest.mark.parametrize(
    ("name_start", "measures_start", "why_start", "target_start", "frequency"),
    [
        ("Roadmap outcome", "% of committed", "Keeps focus", "70–90%", "Quarterly"),
        ("Consumer NPS", "Satisfaction of", "Indicates trust", "+10 point", "Quarterly"),
        ("SLO compliance", "% time", "Platform reliability", "≥99.9%", "Weekly/Monthly"),
        ("Error budget burn", "Burn relative", "Links reliability", "Stable burn", "Weekly"),
        ("Lead time for changes", "Time from", "Measures delivery", "Improve by", "Monthly"),
        ("Platform unit cost", "Cost per", "Demonstrates", "Reduce by", "Monthly/Quarterly"),
        ("Talent leverage", "Mentorship impact", "Scales good", "Evidence of", "Semiannual"),
    ],
)
def test_text_kpi_columns_split_where_the_document_starts_them(
        shared_docs: Path, name_start: str, measures_start: str, why_start: str, target_start: str,
        frequency: str) -> None:
    # Each cell begins at the given words and the cells join back to the document's line, so the
    # boundaries are pinned exactly without copying the rows into the test.
    line = next(line for line in _text_kpi_lines(shared_docs) if line.startswith(name_start))
    kpi = next(k for k in _role(shared_docs, "003").kpis() if k.name.startswith(name_start))
    assert kpi.measures.startswith(measures_start) and not kpi.name.endswith(measures_start)
    assert kpi.why.startswith(why_start)
    assert kpi.target.startswith(target_start)
    assert kpi.frequency == frequency
    assert " ".join([kpi.name, kpi.measures, kpi.why, kpi.target, kpi.frequency]) == line


def test_text_goal_counts_match_the_document(shared_docs: Path) -> None:
    text = _doc(shared_docs, "003").read_text(encoding="utf-8")
    goals = {g.horizon_days: g for g in _role(shared_docs, "003").goals()}
    for days, heading in ((30, "30-day goals"), (60, "60-day goals"), (90, "90-day goals"), (180, "6-month"),
                          (365, "12-month"), (LONG_TERM_DAYS, "Long-term impact goals")):
        block = re.search(rf"^{heading}.*?\n\n((?:  • .*\n)+)", text, re.M).group(1)
        assert len(goals[days].items) == block.count("  • "), heading


def test_text_boilerplate_around_the_document_is_dropped(shared_docs: Path) -> None:
    raw = _doc(shared_docs, "003").read_text(encoding="utf-8").splitlines()
    role = _role(shared_docs, "003")
    indexed = "\n".join(
        "\n".join([s.heading, s.text] + [i.text for i in s.items] + [c for i in s.items for c in i.children])
        for s in role.walk())
    title_at = next(n for n, line in enumerate(raw) if line.startswith(TITLES["003"]))
    before = [line for line in raw[:title_at] if line.strip()]
    # The last numbered section is one block (a table) after its heading; all that follows is page chrome.
    last_heading = max(n for n, line in enumerate(raw) if re.match(r"^\d+\) ", line))
    block_start = next(n for n in range(last_heading + 1, len(raw)) if raw[n].strip())
    block_end = next(n for n in range(block_start, len(raw)) if not raw[n].strip())
    after = [line for line in raw[block_end:] if len(line.split()) >= 2]
    assert before and after
    assert not [line for line in before if line.strip() in indexed]
    assert not [line for line in after if line.strip() in indexed]
    assert len(role.sections[-1].items) == block_end - block_start - 1
    assert role.aliases == ["PTPM"]


def test_markdown_ladder_competency_areas_are_clean(shared_docs: Path) -> None:
    text = _doc(shared_docs, "004").read_text(encoding="utf-8")
    role = _role(shared_docs, "004")
    competencies = [s for s in role.sections if s.aspect == "competency"]
    expected = [re.sub(r"^[^A-Za-z]+", "", h) for h in re.findall(r"^## (.*)$", text, re.M)]
    assert [s.heading for s in competencies] == expected
    assert len(competencies) == 4
    for section in competencies:
        assert section.heading.isascii() and section.heading[0].isalpha()
        (examples,) = section.subsections
        assert examples.heading == "Examples" and examples.aspect == "competency" and examples.items
    facts = role.sections_for("facts")[0]
    assert [i.label for i in facts.items] == re.findall(r"^- \*\*(.+?)\*\*:", text, re.M)
    assert role.sections_for("summary")[0].text
    assert role.aliases[0] == "L4"


def test_no_mojibake_anywhere_in_the_markdown_ladder(shared_docs: Path) -> None:
    role = _role(shared_docs, "004")
    texts = [s.heading for s in role.walk()] + [i.text for s in role.walk() for i in s.items]
    assert not any(ch in text for text in texts for ch in "\uf8ff¶√")


def test_collapsed_blog_kpi_rows_are_split_back_or_flagged_never_split_wrongly(shared_docs: Path) -> None:
    # The blog exports hold KPI tables with known cells: collapse each row to one line, as a scraper
    # does, and recover it with the plain-text column splitter. Wrong-but-confident splits must not
    # happen; rows that are split must match the table exactly.
    recovered = total = 0
    for prefix in ("000", "001", "002"):
        header, rows = _kpi_table(_blog_html(shared_docs, prefix))
        fields = kpi_columns(header)
        for cells in rows:
            total += 1
            result = split_row(" ".join(cells), len(header), fields)
            if result.confident:
                assert result.cells == cells
                recovered += 1
    assert total >= 45 and recovered >= 0.7 * total
