"""Each loader on small inputs of our own (tests/roles/data and inline snippets)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.errors import MalformedDocument, NoRoleContent
from roles.loaders import load_file, load_text
from roles.loaders.registry import LOADERS, choose

DATA = Path(__file__).parent / "data"


def _load(relative: str):
    return load_file(DATA / relative, DATA)


# --- Markdown --------------------------------------------------------------------------------------

def test_ladder_with_level_codes_gives_one_role_per_level() -> None:
    document = _load("ladders/data-engineering.md")
    assert document.format == "markdown"
    assert document.title == "Data Engineering career ladder"
    assert [r.title for r in document.roles] == ["Data Engineer", "Senior Data Engineer", "Staff Data Engineer"]
    assert [r.aliases[0] for r in document.roles] == ["L3", "L4", "L5"]
    assert all(r.source.path == "ladders/data-engineering.md" for r in document.roles)
    junior, senior, staff = document.roles
    # The family intro and "How to use this ladder" belong to no role.
    assert all("How to use" not in s.heading for r in document.roles for s in r.walk())
    assert junior.sections_for("summary")[0].text == "Builds reliable pipelines with guidance."
    skills = junior.sections_for("skills")[0]
    assert [(i.label, i.text) for i in skills.items][0] == ("SQL", "joins, window functions, query plans.")
    (goal,) = junior.goals()
    assert goal.horizon_days == 90 and len(goal.items) == 2
    freshness, incidents = senior.kpis()
    assert (freshness.name, freshness.target, freshness.frequency) == ("Pipeline freshness", ">= 99%", "Daily")
    assert incidents.measures == "Incidents caused by owned pipelines"
    assert staff.sections_for("career-path")[0].items[0].text.startswith("Principal Data Engineer")


def test_ladder_without_level_codes_uses_job_titles_and_bold_headings() -> None:
    document = _load("ladders/design-family.md")
    assert [r.title for r in document.roles] == ["Product Designer", "Senior Product Designer"]
    designer = document.roles[0]
    assert [(s.aspect, s.heading) for s in designer.sections] == [
        ("responsibilities", "Responsibilities"), ("tools", "Tools")]
    assert [i.text for i in designer.sections[1].items] == ["Figma", "Maze"]


def test_loose_markdown_without_extension_or_title() -> None:
    document = _load("office-manager")
    assert document.format == "markdown"
    (role,) = document.roles
    assert role.title == "Office Manager"  # from the file name: the first heading is an aspect
    assert [s.aspect for s in role.sections] == ["responsibilities", "day-to-day"]
    assert len(role.sections[0].items) == 2


def test_markdown_title_from_first_heading_when_it_names_the_role() -> None:
    text = "## Warehouse Associate\n\n### Responsibilities\n\n- Pick orders\n"
    (role,) = load_text(text, "untitled.md").roles
    assert role.title == "Warehouse Associate"
    assert role.sections[0].heading == "Warehouse Associate"


def test_markdown_goals_with_bold_success_indicators_and_pipe_table() -> None:
    text = """# Account Executive

## Goals

### 30-day goals

- Learn the pitch.
- Shadow five calls.

**Success indicators:**

- Passes the pitch certification.

### 60-day goals

- Run discovery calls alone.

## KPIs

| KPI | Type | Target | Frequency |
|-----|------|--------|-----------|
| Pipeline created | Output | $300k | Monthly |
| Win rate | Outcome | 25% | Quarterly |

## Tools

| Tool | Use |
|------|-----|
| Salesforce | CRM |
"""
    (role,) = load_text(text, "ae.md").roles
    thirty, sixty = role.goals()
    assert (thirty.horizon_days, thirty.items, thirty.success_indicators) == (
        30, ["Learn the pitch.", "Shadow five calls."], ["Passes the pitch certification."])
    assert sixty.items == ["Run discovery calls alone."]
    assert [(k.name, k.type, k.target, k.frequency) for k in role.kpis()] == [
        ("Pipeline created", "Output", "$300k", "Monthly"), ("Win rate", "Outcome", "25%", "Quarterly")]
    tool = role.sections_for("tools")[0].items[0]
    assert (tool.label, tool.text, tool.fields) == ("Salesforce", "CRM", {"Tool": "Salesforce", "Use": "CRM"})


def test_markdown_inline_markup_is_reduced_to_text() -> None:
    text = "# Engineer\n\n## Responsibilities\n\n- Write [docs](https://x.org) and `code` with *care* &amp; **speed**\n"
    (role,) = load_text(text, "e.md").roles
    assert role.sections[0].items[0].text == "Write docs and code with care & speed"


def test_mac_roman_mojibake_is_repaired_before_parsing() -> None:
    owl = "🦉 Domain expertise".encode().decode("mac_roman")
    quote = "It’s – fine".encode().decode("mac_roman")
    text = f"# L2 Engineer\n\n## {owl}\n\n- {quote}\n\n## Café culture\n\n- Crème brûlée\n"
    (role,) = load_text(text, "l2.md").roles
    assert role.sections[0].heading == "Domain expertise"
    assert role.sections[0].items[0].text == "It’s – fine"
    # Legitimate accented text is left alone.
    assert role.sections[1].heading == "Café culture"
    assert role.sections[1].items[0].text == "Crème brûlée"


def test_cp1252_mojibake_is_repaired() -> None:
    text = "# Engineer\n\n## Responsibilities\n\n- Donâ€™t break the build\n"
    (role,) = load_text(text, "e.md").roles
    assert role.sections[0].items[0].text == "Don’t break the build"


# --- HTML ------------------------------------------------------------------------------------------

def test_html_page_drops_boilerplate_and_keeps_structure() -> None:
    document = _load("page.html")
    assert document.format == "html"
    (role,) = document.roles
    assert role.title == "Support Engineer" and role.aliases == ["SE"]
    headings = [s.heading for s in role.walk()]
    assert headings == ["Summary", "Responsibilities", "Goals", "First 30 days", "60-day goals", "KPIs", "Tools"]
    everything = " ".join([s.text for s in role.walk()] + [i.text for s in role.walk() for i in s.items])
    for chrome in ("Home", "tracking", "comment", "Related jobs", "Subscribe", "Example Careers"):
        assert chrome not in everything
    triage, reproduce = role.sections_for("responsibilities")[0].items
    assert (triage.label, triage.text) == ("Triage", "classify incoming tickets by severity.")
    assert (reproduce.text, reproduce.children) == ("Reproduce bugs", ["in a sandbox", "with logs attached"])
    thirty, sixty = role.goals()
    assert thirty.horizon_days == 30 and thirty.success_indicators == ["Customer rating of 4.5 or more."]
    assert sixty.items == ["Own the billing queue."]
    assert [(k.name, k.target, k.frequency) for k in role.kpis()] == [
        ("First response time", "< 1 hour", "Weekly"), ("CSAT", "≥ 4.5 / 5", "Monthly")]


def test_html_title_falls_back_to_the_title_element() -> None:
    page = "<html><head><title>Nurse | Careers</title></head><body><h2>Responsibilities</h2><ul><li>Care</li></ul></body></html>"
    (role,) = load_text(page, "nurse.html").roles
    assert role.title == "Nurse"


def test_html_with_no_headings_is_no_role_content() -> None:
    with pytest.raises(NoRoleContent, match="no headings"):
        load_text("<!doctype html><html><body><div>Welcome</div><p>Text only.</p></body></html>", "x.html")


# --- blog JSON -------------------------------------------------------------------------------------

def _post(title: str, body: str, link: str = "https://blog.example/post") -> dict:
    return {"title": {"rendered": title}, "link": link, "content": {"rendered": body}}


def test_blog_export_list_of_posts_gives_one_role_each() -> None:
    posts = [
        _post("Recruiter: Role Blueprint, Responsibilities", "<h2>1) Role Summary</h2><p>Finds people.</p>"
              "<h2>2) Core Responsibilities</h2><ul><li>Source candidates</li></ul>"),
        _post("Sourcer &#8211; Talent", "<h2>Responsibilities</h2><ol><li>Search</li></ol>", "https://b/2"),
    ]
    document = load_text(json.dumps(posts), "export.txt")
    assert document.format == "blog-json"
    assert [r.title for r in document.roles] == ["Recruiter", "Sourcer"]
    recruiter = document.roles[0]
    assert [s.heading for s in recruiter.sections] == ["Role Summary", "Core Responsibilities"]
    assert recruiter.sections[0].text == "Finds people."
    assert document.roles[1].source.link == "https://b/2"
    assert "Sourcer – Talent" in document.roles[1].aliases


def test_blog_export_with_plain_string_title_and_content() -> None:
    # Not every export wraps fields in {"rendered": …}; a list mixing both styles is still posts.
    posts = [{"title": "Bookkeeper", "content": "<h2>Responsibilities</h2><ul><li>Book invoices</li></ul>"},
             _post("Controller", "<h2>Responsibilities</h2><ul><li>Close the books</li></ul>")]
    document = load_text(json.dumps(posts), "export.json")
    assert [r.title for r in document.roles] == ["Bookkeeper", "Controller"]
    assert document.roles[0].sections[0].items[0].text == "Book invoices"
    wrapped = load_text(json.dumps({"posts": posts, "meta": {"exported": "2026-01-01"}}), "export.json")
    assert [r.title for r in wrapped.roles] == ["Bookkeeper", "Controller"]
    # Other JSON with a "content" string and no headings stays a non-role document, not a failure.
    assert load_text('{"name": "site", "content": "Welcome"}', "site.json").roles == []


def test_blog_inline_dash_runs_become_items() -> None:
    body = ("<h2>Mission</h2><p><strong>Outcomes expected:</strong>\n&#8211; Faster onboarding\n"
            "&#8211; <strong>Fewer escalations:</strong> measured monthly</p>"
            "<p>Work spans 3&#8211;4 teams &#8211; sometimes more.</p>")
    (role,) = load_text(json.dumps(_post("Curator", body)), "g.txt").roles
    (mission,) = role.sections
    (outcomes,) = mission.items
    assert outcomes.label == "Outcomes expected"
    assert outcomes.children == ["Faster onboarding", "Fewer escalations: measured monthly"]
    assert mission.text == "Work spans 3–4 teams – sometimes more."


def test_json_that_is_not_a_blog_export() -> None:
    manifest = load_text('{"name": "package", "version": "1.0"}', "site/package.json")
    assert (manifest.roles, manifest.title, manifest.format) == ([], "Package", "blog-json")
    assert "version" in manifest.text
    with pytest.raises(MalformedDocument, match="truncated JSON at line 1"):
        load_text('[{"title": {"rendered": "x"}', "export.txt")
    (role,) = load_text('{"title": "Clerk", "sections": [{"heading": "Duties", "items": ["File"]}]}', "c.json").roles
    assert role.title == "Clerk" and role.sections[0].aspect == "responsibilities"


# --- plain text ------------------------------------------------------------------------------------

PLAIN = """Menu
Search

Join our newsletter today

Logistics Coordinator: Role Blueprint

Short intro about the blueprint.

1) Role Summary

The Logistics Coordinator (LC) keeps shipments moving.

2) Goals

30-day goals

  • Learn the carriers.
  • Map the warehouse.

Success indicators (30 days): – Knows every carrier contact. – Booked ten shipments.

3) KPIs and Metrics

Metric name What it measures Target Frequency
On-time shipments Share of shipments delivered on the promised day ≥ 95% Weekly
Cost per shipment Average freight cost per order Reduce by 5% Quarterly
freight claims closed within policy days

4) Tools

  • TMS: bookings and tracking
    Used every day

Find Great Deals

Save on everything in one place.

Subscribe
Share
Tweet
0 Comments
Newest
Oldest
"""


def test_plain_text_document_inside_a_page() -> None:
    document = load_text(PLAIN, "lc")
    assert document.format == "text"
    (role,) = document.roles
    assert role.title == "Logistics Coordinator" and role.aliases == ["LC"]
    assert [s.heading for s in role.sections] == ["Summary", "Role Summary", "Goals", "KPIs and Metrics", "Tools"]
    (goal,) = role.goals()
    assert goal.items == ["Learn the carriers.", "Map the warehouse."]
    assert goal.success_indicators == ["Knows every carrier contact.", "Booked ten shipments."]
    on_time, cost, odd = role.kpis()
    assert (on_time.name, on_time.measures, on_time.target, on_time.frequency) == (
        "On-time shipments", "Share of shipments delivered on the promised day", "≥ 95%", "Weekly")
    assert (cost.target, cost.frequency) == ("Reduce by 5%", "Quarterly")
    # A row whose columns cannot be recovered is kept whole, never dropped.
    assert (odd.name, odd.structured) == ("freight claims closed within policy days", False)
    tms = role.sections[-1].items[0]
    assert (tms.label, tms.text, tms.children) == ("TMS", "bookings and tracking", ["Used every day"])
    indexed = " ".join(s.text + " ".join(i.text for i in s.items) for s in role.walk())
    for chrome in ("Menu", "newsletter", "Great Deals", "Save on", "Subscribe", "Comments"):
        assert chrome not in indexed


def test_plain_text_without_structure_takes_its_first_line_as_title() -> None:
    text = "Barista\n\nResponsibilities\n\n- Make coffee\n- Clean the machine\n"
    (role,) = load_text(text, "notes.txt").roles
    assert role.title == "Barista"
    assert role.sections[0].aspect == "responsibilities" and len(role.sections[0].items) == 2


def test_plain_text_headings_right_above_their_content() -> None:
    # Capitals or a trailing colon mark a heading even with no blank line before the content; before,
    # such a file became one summary paragraph and was then dropped as "not a role".
    text = ("FIELD SERVICE TECHNICIAN\n\nROLE SUMMARY\nInstalls and repairs equipment at customer sites.\n\n"
            "RESPONSIBILITIES:\n- Install new equipment\n- Repair faults within SLA\n\n"
            "KEY PERFORMANCE INDICATORS\nMetric\tTarget\tFrequency\nFirst-time fix rate\t85%\tMonthly\n\n"
            "Goals for the first 90 days:\nLearn the routes\nKnow every dispatcher\n")
    (role,) = load_text(text, "technician.txt").roles
    assert role.title == "FIELD SERVICE TECHNICIAN"
    assert [s.aspect for s in role.sections] == ["summary", "responsibilities", "kpis", "goals"]
    assert role.sections[0].text == "Installs and repairs equipment at customer sites."
    assert [i.text for i in role.sections[1].items] == ["Install new equipment", "Repair faults within SLA"]
    assert [(k.name, k.target, k.frequency) for k in role.kpis()] == [("First-time fix rate", "85%", "Monthly")]
    assert [(g.horizon_days, g.items) for g in role.goals()] == [(90, ["Learn the routes", "Know every dispatcher"])]


# --- non-role documents and sniffing ---------------------------------------------------------------

@pytest.mark.parametrize("name", ["family/README.md", "family/LICENSE", "family/CHANGELOG.md"])
def test_non_role_documents_have_no_roles_but_keep_their_text(name: str) -> None:
    document = _load(name)
    assert document.roles == [] and not document.is_role_document
    assert document.text and document.title


def test_license_is_recognised_by_content_not_name() -> None:
    text = (DATA / "family" / "LICENSE").read_text(encoding="utf-8")
    assert load_text(text, "terms.md").roles == []
    assert load_text("# Changelog\n\n## v2.0 (2026-01-01)\n\n- New roles\n", "history.txt").roles == []


@pytest.mark.parametrize("phrase", [
    "PERMISSION IS HEREBY GRANTED, free of charge", "the GNU Affero General Public License", "Apache License 2.0",
    "Mozilla Public License", "Redistribution and use in source and binary forms", "a Creative Commons licence",
    'The software is provided "AS IS"', "Licensed under the Apache", "This is free and unencumbered software",
])
def test_every_license_phrase_is_recognised_in_any_case(phrase: str) -> None:
    # The loader only runs the licence pattern when the case-folded text holds one of its words.
    assert load_text(f"# Terms\n\n{phrase}, as written here.\n", "terms.md").decision == "not a role: a license"
    assert load_text(f"# Terms\n\n{phrase.swapcase()}, as written here.\n", "terms.md").decision \
        == "not a role: a license"


def test_role_document_with_its_own_version_history_is_still_a_role() -> None:
    text = ("# Payroll Specialist\n\n## Responsibilities\n\n- Run payroll\n\n## Version history\n\n"
            "### v1.0 (2024-01-10)\n\nFirst version.\n\n### v1.1 (2024-06-01)\n\nAdded KPIs.\n")
    (role,) = load_text(text, "payroll.md").roles
    assert role.title == "Payroll Specialist"
    # A changelog without a title still starts with its first version.
    assert load_text("v1.2 - 2026-02-01\n- Fixed typos\n\nv1.1 - 2026-01-01\n- New roles\n", "CHANGES").roles == []


def test_readme_with_role_structure_is_a_role() -> None:
    text = "# Data Analyst\n\n## Responsibilities\n\n- Build dashboards\n\n## Skills\n\n- SQL\n"
    assert [r.title for r in load_text(text, "README.md").roles] == ["Data Analyst"]


@pytest.mark.parametrize(
    ("text", "path", "fmt"),
    [
        ('{"content": {"rendered": "<h2>x</h2>"}}', "a.txt", "blog-json"),
        ("<!DOCTYPE html><html><body><h1>x</h1></body></html>", "a.md", "html"),
        ("title: X\nsections: []\n", "noext", "yaml"),
        ("# Title\n\nSome text\n", "a.txt", "markdown"),
        ("Title\n\n1) One\n\ntext\n\n2) Two\n\ntext\n\n3) Three\n", "a.md", "text"),
        ("just some words\n", "a", "text"),
    ],
)
def test_format_is_sniffed_from_content(text: str, path: str, fmt: str) -> None:
    assert choose(text, path).format == fmt


def test_every_loader_documents_its_format() -> None:
    assert {loader.format for loader in LOADERS} == {"blog-json", "yaml", "html", "markdown", "text"}


def test_role_page_quoting_licence_words_in_its_footer_is_still_a_role() -> None:
    text = ("# Platform Engineer\n\n## Responsibilities\n\n- Run the platform\n\n## Skills\n\n- Go\n\n"
            "## KPIs\n\n- Uptime\n\n---\nContent licensed under the Apache License. THE SOFTWARE IS PROVIDED AS IS.\n")
    assert [r.title for r in load_text(text, "platform.md").roles] == ["Platform Engineer"]


def test_html_page_without_h1_or_title_element_is_named_after_the_file() -> None:
    page = "<html><body><h2>Responsibilities</h2><ul><li>Care</li></ul></body></html>"
    (role,) = load_text(page, "careers/night-nurse.html").roles
    assert role.title == "Night Nurse"


def test_plain_text_key_value_lines_under_a_lead_are_one_labelled_item() -> None:
    text = "Barista\n\nKey Facts\nLocation: Berlin\nTeam: Coffee bar\n\nResponsibilities\n\n- Make coffee\n"
    (role,) = load_text(text, "barista.txt").roles
    (facts,) = role.sections[0].items
    assert (facts.label, facts.children) == ("Key Facts", ["Location: Berlin", "Team: Coffee bar"])
    assert role.sections[1].aspect == "responsibilities"


def test_ladder_of_bare_seniority_levels_names_each_role_after_the_family() -> None:
    # "## Junior" has a single aspect heading: it is still a level of the ladder, never dropped.
    document = _load("ladders/support-levels.md")
    assert [r.title for r in document.roles] == [
        "Apprentice Customer Support", "Junior Customer Support", "Senior Support Agent"]
    apprentice, junior, senior = document.roles
    assert [i.text for i in junior.sections_for("responsibilities")[0].items] == ["Own the billing queue."]
    assert [g.horizon_days for g in apprentice.goals()] == [30]
    assert senior.sections_for("career-path")[0].items[0].text == "Support team lead."


def test_ladder_of_bare_level_codes_keeps_the_code_as_alias() -> None:
    text = "# Platform Engineer\n\n## L3\n\n### Responsibilities\n\n- a\n\n## L4\n\n### Responsibilities\n\n- b\n"
    document = load_text(text, "platform.md")
    assert [(r.title, r.aliases[0]) for r in document.roles] == [("Platform Engineer", "L3"), ("Platform Engineer", "L4")]


def test_kpi_table_with_the_name_column_anywhere_and_other_column_names() -> None:
    text = ("# Picker\n\n## KPIs\n\n| Target | KPI | Cadence |\n|---|---|---|\n| 120/h | Picks per hour | Daily |\n"
            "| 99% | Pick accuracy | Weekly |\n")
    (role,) = load_text(text, "picker.md").roles
    assert [(k.name, k.target, k.frequency) for k in role.kpis()] == [
        ("Picks per hour", "120/h", "Daily"), ("Pick accuracy", "99%", "Weekly")]


@pytest.mark.parametrize(
    ("header", "fields"),
    [
        ("Measure | Goal | Frequency", ("name", "target", "frequency")),
        ("What we measure | Target | How often", ("name", "target", "frequency")),
        ("KPI | Description | Benchmark | Reporting period", ("name", "measures", "target", "frequency")),
        ("Area | Metric | Target", (None, "name", "target")),
    ],
)
def test_kpi_table_column_names_in_other_words(header: str, fields: tuple) -> None:
    cells = [f"v{n}" for n in range(len(fields))]
    text = f"# Analyst\n\n## KPIs\n\n| {header} |\n|{'---|' * len(fields)}\n| {' | '.join(cells)} |\n"
    (kpi,) = load_text(text, "analyst.md").roles[0].kpis()
    assert {name: getattr(kpi, name) for name in fields if name} == {name: c for name, c in zip(fields, cells, strict=True) if name}


def test_kpi_table_without_header_row_takes_its_column_names_from_the_first_row() -> None:
    html = ("<html><body><h1>Payroll Specialist</h1><h2>KPIs</h2><table>"
            "<tr><td>KPI</td><td>Target</td><td>Cadence</td></tr>"
            "<tr><td>Payroll accuracy</td><td>99.9%</td><td>Monthly</td></tr></table>"
            "<h2>Tools</h2><table><tr><td>Excel</td><td>Reports</td></tr></table></body></html>")
    (role,) = load_text(html, "payroll.html").roles
    (kpi,) = role.kpis()
    assert (kpi.name, kpi.target, kpi.frequency) == ("Payroll accuracy", "99.9%", "Monthly")
    # A headerless table that is not a KPI table keeps every row, the first one included.
    assert [i.text for i in role.sections_for("tools")[0].items] == ["Excel | Reports"]
    markdown = "# Nurse\n\n## KPIs\n\n| | |\n|---|---|\n| Metric | Target |\n| Patient satisfaction | 90% |\n"
    (nurse,) = load_text(markdown, "nurse.md").roles
    assert [(k.name, k.target) for k in nurse.kpis()] == [("Patient satisfaction", "90%")]


def test_plan_stages_named_by_month_quarter_or_day_span_are_goals() -> None:
    text = ("# Payroll Specialist\n\n## Responsibilities\n\n- Run payroll\n\n## 30/60/90 plan\n\n"
            "### Month 1\n\n- Learn the tools\n\n### Days 31-60\n\n- Run payroll with review\n\n"
            "### Q1\n\n- Own payroll\n\n## By month 6\n\n- Automate the reconciliation\n")
    (role,) = load_text(text, "payroll.md").roles
    assert [(g.horizon_days, g.items) for g in role.goals()] == [
        (30, ["Learn the tools"]), (60, ["Run payroll with review"]), (90, ["Own payroll"]),
        (180, ["Automate the reconciliation"])]


def test_success_indicator_headings_belong_to_the_goal_before_them() -> None:
    text = ("# Nurse\n\n## Goals\n\n### 30-day goals\n\n- Learn the ward\n\n#### Success indicators\n\n"
            "- No charting errors\n\nPeer review passed.\n\n### 60-day goals\n\n- Take four patients\n\n"
            "## Success metrics\n\n- Patient satisfaction above 90%\n")
    (role,) = load_text(text, "nurse.md").roles
    first, second = role.goals()
    assert (first.items, first.success_indicators) == (["Learn the ward"], ["No charting errors", "Peer review passed."])
    assert second.success_indicators == []
    # A higher-level "Success metrics" section is about the whole role, not the last goal.
    assert [i.text for i in role.sections_for("kpis")[0].items] == ["Patient satisfaction above 90%"]
    loose = "**Goals**\n\n**First 30 days**\n\n- Learn the scanner\n\n**Success indicators**\n\n- 95% pick accuracy\n"
    (picker,) = load_text(loose, "picker").roles
    assert [(g.items, g.success_indicators) for g in picker.goals()] == [(["Learn the scanner"], ["95% pick accuracy"])]


@pytest.mark.parametrize("main", [True, False])
def test_html_site_banner_heading_is_not_the_role_title(main: bool) -> None:
    content = ("<h1>Payroll Specialist</h1><p>Runs payroll for three countries.</p>"
               "<h2>Responsibilities</h2><ul><li>Run monthly payroll</li></ul>")
    page = ("<!DOCTYPE html><html><head><title>Careers | Acme</title></head><body>"
            "<header><h1>Acme Careers</h1><nav><a href='/'>Home</a></nav></header>"
            + (f"<main>{content}</main>" if main else content)
            + "<footer><h2>About Acme</h2><p>Founded long ago.</p></footer></body></html>")
    (role,) = load_text(page, "payroll.html").roles
    assert role.title == "Payroll Specialist"
    assert [(s.aspect, s.heading) for s in role.sections] == [("summary", "Summary"), ("responsibilities", "Responsibilities")]
    assert "Acme" not in " ".join(s.heading + s.text for s in role.walk())


def test_loose_markdown_with_a_bold_title_crlf_and_tabs() -> None:
    text = ("**Warehouse Associate**\r\n\r\n**Responsibilities**\r\n\r\n-\tPick orders\r\n-\tPack orders\r\n\r\n"
            "**KPIs**\r\n\r\n| Target | KPI | Cadence |\r\n|---|---|---|\r\n| 120/h | Picks per hour | Daily |\r\n")
    document = load_text(text, "warehouse")
    assert document.format == "markdown"
    (role,) = document.roles
    assert role.title == "Warehouse Associate"
    # The bold title line names the role; it is not also an empty first section.
    assert [s.aspect for s in role.sections] == ["responsibilities", "kpis"]
    assert [i.text for i in role.sections[0].items] == ["Pick orders", "Pack orders"]
    assert [(k.name, k.target) for k in role.kpis()] == [("Picks per hour", "120/h")]


@pytest.mark.parametrize("style", ["atx", "setext"])
def test_one_role_per_top_level_heading(style: str) -> None:
    # Before, the first "#" was taken for the family title and that role's sections were lost.
    def h1(text: str) -> str:
        return f"# {text}\n" if style == "atx" else f"{text}\n{'=' * len(text)}\n"

    def h2(text: str) -> str:
        return f"## {text}\n" if style == "atx" else f"{text}\n{'-' * len(text)}\n"

    text = (h1("Junior Engineer") + "\n" + h2("Responsibilities") + "\n- Fix bugs\n\n" + h2("Skills") + "\n- Python\n\n"
            + h1("Senior Engineer") + "\n" + h2("Responsibilities") + "\n- Design systems\n")
    document = load_text(text, "engineers.md")
    assert [(r.title, [s.aspect for s in r.sections]) for r in document.roles] == [
        ("Junior Engineer", ["responsibilities", "skills"]), ("Senior Engineer", ["responsibilities"])]
    # One role with a trailing "# Appendix" stays one role.
    (role,) = load_text(h1("Product Manager") + h2("Responsibilities") + "- Roadmap\n\n" + h1("Appendix") + "Notes.\n",
                        "pm.md").roles
    assert role.title == "Product Manager"


def test_markdown_front_matter_gives_the_title_and_is_not_content() -> None:
    text = ("---\ntitle: \"Sales Development Representative\"\nlayout: role\ntags: [sales]\n---\n\n"
            "## Responsibilities\n\n- Book meetings\n")
    for path in ("sdr.md", "sdr"):
        (role,) = load_text(text, path).roles
        assert role.title == "Sales Development Representative"
        assert [(s.aspect, s.heading) for s in role.sections] == [("responsibilities", "Responsibilities")]
    # A "#" heading still names the role; the front matter only fills in when there is none.
    assert load_text("---\nlayout: role\n---\n# Buyer\n\n## Responsibilities\n\n- Buy\n", "b.md").roles[0].title == "Buyer"


def test_plan_table_rows_become_goals_with_their_indicators() -> None:
    text = ("# Account Executive\n\n## 30/60/90 plan\n\n| Timeline | Goals | Success indicators |\n|---|---|---|\n"
            "| First 30 days | Learn the product | Passes the product quiz |\n| Days 31-60 | Run own demos | |\n"
            "| Month 3 | Close a first deal | First deal closed |\n\n## Reviews\n\n| Review | Owner |\n|---|---|\n"
            "| Weekly pipeline | Manager |\n")
    (role,) = load_text(text, "ae.md").roles
    assert [(g.horizon_days, g.heading, g.items, g.success_indicators) for g in role.goals()] == [
        (30, "First 30 days", ["Learn the product"], ["Passes the product quiz"]),
        (60, "Days 31-60", ["Run own demos"], []),
        (90, "Month 3", ["Close a first deal"], ["First deal closed"])]
    # A table whose rows are not plan stages stays a table of items.
    assert [i.label for s in role.walk() for i in s.items] == ["Weekly pipeline"]


def test_goal_lists_whose_entries_name_horizons_become_goals() -> None:
    labelled = "# AE\n\n## Goals\n\n- **30 days:** Learn the product\n- **60 days:** Run own demos\n"
    (role,) = load_text(labelled, "ae.md").roles
    assert [(g.horizon_days, g.items) for g in role.goals()] == [(30, ["Learn the product"]), (60, ["Run own demos"])]
    nested = "# AE\n\n## Onboarding goals\n\n- First 30 days\n  - Learn the product\n  - Shadow calls\n- Days 31-60\n  - Run demos\n"
    (role,) = load_text(nested, "ae.md").roles
    assert [(g.horizon_days, g.heading, g.items) for g in role.goals()] == [
        (30, "First 30 days", ["Learn the product", "Shadow calls"]), (60, "Days 31-60", ["Run demos"])]
    # A goals list that is not all plan stages stays a list.
    (role,) = load_text("# AE\n\n## Goals\n\n- **30 days:** Learn\n- Be kind\n", "ae.md").roles
    assert role.goals() == [] and len(role.sections[0].items) == 2


def test_html_bold_paragraphs_naming_sections_are_headings() -> None:
    # Word-processor exports mark headings with bold paragraphs; before, the page had no role sections
    # and was dropped as not a role.
    page = ("<html><body><h1>Data Steward</h1><p><strong>Responsibilities</strong></p><ul><li>Own the glossary</li></ul>"
            "<p><b>First 30 days</b></p><ul><li>Meet the data owners</li></ul>"
            "<p><strong>Please note</strong></p><p>Hybrid role.</p></body></html>")
    (role,) = load_text(page, "steward.html").roles
    assert [(s.aspect, s.heading) for s in role.sections] == [("responsibilities", "Responsibilities"), ("goals", "First 30 days")]
    assert [(g.horizon_days, g.items) for g in role.goals()] == [(30, ["Meet the data owners"])]
    # A bold phrase that names no section ("Please note") is no heading: its text stays where it is.
    assert role.sections[1].text == "Hybrid role."


def test_ladder_one_heading_level_down_under_a_levels_section() -> None:
    text = ("# Support Engineer\n\nIntro.\n\n## Levels\n\n### Junior\n\n#### Responsibilities\n\n- Answer tickets\n\n"
            "### Senior\n\n#### Responsibilities\n\n- Coach juniors\n\n## Glossary\n\nWords.\n")
    document = load_text(text, "support.md")
    assert [(r.title, [s.heading for s in r.walk()]) for r in document.roles] == [
        ("Junior Support Engineer", ["Responsibilities"]), ("Senior Support Engineer", ["Responsibilities"])]
