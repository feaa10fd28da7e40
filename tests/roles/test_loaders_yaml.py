"""The native YAML format and the bundled example roles."""

from __future__ import annotations

from pathlib import Path

import pytest

import roles
from core.errors import MalformedDocument, NoRoleContent
from roles.loaders import load_file, load_text

EXAMPLES = Path(roles.__file__).parent / "examples"


def test_bundled_examples_load_with_goals_kpis_and_aspects() -> None:
    files = sorted(EXAMPLES.glob("*.yaml"))
    assert len(files) >= 2
    for path in files:
        document = load_file(path, EXAMPLES)
        assert document.format == "yaml"
        assert document.path == path.name
        (role,) = document.roles
        assert role.source.path == path.name
        assert {g.horizon_days for g in role.goals()} >= {30, 60, 90}
        assert all(g.items and g.success_indicators for g in role.goals() if g.horizon_days <= 90)
        kpis = role.kpis()
        assert kpis and all(k.name and k.target and k.frequency and k.structured for k in kpis)
        aspects = {s.aspect for s in role.walk()}
        assert {"summary", "responsibilities", "goals", "kpis", "skills", "tools", "stakeholders",
                "career-path"} <= aspects


def test_sre_example_reads_exactly() -> None:
    document = load_file(EXAMPLES / "site-reliability-engineer.yaml", EXAMPLES)
    role = document.roles[0]
    assert role.title == "Site Reliability Engineer"
    assert role.aliases[:2] == ["L3", "SRE"]
    mttr = next(k for k in role.kpis() if k.name.startswith("Mean time to restore"))
    assert (mttr.target, mttr.frequency, mttr.type) == ("< 60 minutes for Sev1", "Monthly", "Outcome")
    responsibilities = role.sections_for("responsibilities")[0]
    assert [s.heading for s in responsibilities.subsections] == [
        "Reliability engineering", "Incident management", "Automation and platform"]
    on_call = responsibilities.subsections[1].items[0]
    assert on_call.label == "On-call" and "incident commander" in on_call.text


SAMPLE = """\
roles:
  - title: Junior Designer
    level: L1
    sections:
      - heading: What you will do
        items: [Draw things, "Review: other things"]
  - title: Designer
    aliases: [Product Designer]
    link: https://example.org/designer
    sections:
      - heading: First 30 days
        goals:
          - horizon: 30 days
            items: [Meet the team]
      - heading: Metrics
        kpis:
          - name: Usability score
            target: "> 80"
            frequency: Quarterly
          - A metric written as one line
"""


def test_several_roles_in_one_file() -> None:
    document = load_text(SAMPLE, "design/ladder.yml")
    assert [r.title for r in document.roles] == ["Junior Designer", "Designer"]
    junior, designer = document.roles
    assert junior.aliases == ["L1"]
    assert junior.sections[0].aspect == "responsibilities"
    assert [i.text for i in junior.sections[0].items] == ["Draw things", "Review: other things"]
    assert designer.source.link == "https://example.org/designer"
    assert designer.goals()[0].horizon_days == 30
    usability, one_line = designer.kpis()
    assert usability.target == "> 80" and usability.structured
    assert one_line.name == "A metric written as one line" and not one_line.structured


def test_yaml_is_sniffed_without_an_extension() -> None:
    document = load_text("title: Nurse\nsections:\n  - heading: Responsibilities\n    items: [Care]\n", "NURSE")
    assert document.format == "yaml"
    assert document.roles[0].title == "Nurse"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("title: A\nsections:\n  - items: [x]\n", "sections[0].heading is required"),
        ("title: A\nsections:\n  - heading: H\n    kpis:\n      - target: 3\n", "sections[0].kpis[0].name is required"),
        ("title: A\nsections:\n  - heading: H\n    goals:\n      - items: [x]\n",
         "sections[0].goals[0].horizon_days must be a positive number"),
        ("title: A\nsections:\n  - heading: H\n    aspect: vibes\n", "sections[0].aspect 'vibes' is not one of"),
        ("title: A\nsections:\n  - heading: H\n    colour: red\n", "unknown field 'colour'"),
        ("title: A\nsections:\n  - heading: H\n    items:\n      - Calls: daily\n", "put text containing ': ' in quotes"),
        ("roles:\n  - sections: []\n", "roles[0].title is required"),
        ("roles: 3\n", "'roles' must be a non-empty list"),
        ("title: A\n", "has no summary and no sections"),
        ("title: [unclosed\nsections: x\n", "invalid YAML at line"),
        ("a: &x [1]\nb: *x\nsections: []\n", "aliases"),
        ("title: A\nsections:\n\t- heading: Goals\n", "line 3, column 1: a tab is used for indentation; YAML needs spaces"),
    ],
)
def test_invalid_yaml_names_the_field(text: str, message: str) -> None:
    with pytest.raises(MalformedDocument) as caught:
        load_text(text, "role.yaml")
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_yaml_without_role_keys_is_a_document_but_not_a_role() -> None:
    config = load_text("site_name: Careers\ntheme: material\n", "mkdocs.yml")
    assert config.roles == [] and config.title == "Mkdocs" and "theme" in config.text
    with pytest.raises(MalformedDocument, match="unknown field 'name'"):
        load_text("name: x\nsections: []\n", "x.yaml")
    with pytest.raises(MalformedDocument, match="^title is required$"):
        load_text("sections:\n  - heading: Duties\n", "x.yaml")
    with pytest.raises(NoRoleContent):
        load_text("# just a comment\n", "x.yaml")


def test_yaml_top_level_list_of_roles() -> None:
    document = load_text("- title: A\n  summary: First\n- title: B\n  summary: Second\n", "two.yaml")
    assert [r.title for r in document.roles] == ["A", "B"]


def test_readme_yaml_example_loads() -> None:
    readme = (Path(roles.__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Role documents", 1)[1].split("\n## ", 1)[0]
    example = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    (role,) = load_text(example, "README-example.yaml").roles
    assert role.title == "Site Reliability Engineer" and role.aliases == ["L3", "SRE"]
    assert [s.aspect for s in role.sections] == ["summary", "mission", "responsibilities", "goals", "kpis", "tools"]
    assert role.goals()[0].success_indicators and role.kpis()[0].target == "< 60 minutes"


@pytest.mark.parametrize("anchor", ["", "&first "])
def test_yes_no_on_off_stay_words(anchor: str) -> None:
    # YAML 1.1 reads them as booleans: the alias "NO" (Norway) and an item "No" became "False".
    # (An anchor switches to the pure-Python loader; both loaders must agree.)
    text = f"title: Country Manager\naliases: [{anchor}NO, ON]\nsections:\n  - heading: Responsibilities\n    items: [Yes, no, off]\n"
    (role,) = load_text(text, "cm.yaml").roles
    assert role.aliases == ["NO", "ON"]
    assert [i.text for i in role.sections[0].items] == ["Yes", "no", "off"]
