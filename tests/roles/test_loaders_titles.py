"""Role titles and aliases as people type them."""

from __future__ import annotations

import pytest

from roles.loaders.titles import defined_abbreviations, has_level_code, split_title, title_from_path


@pytest.mark.parametrize(
    ("heading", "title", "aliases"),
    [
        ("Post-Sales Engineer: Role Blueprint, Responsibilities, Skills, KPIs, and Career Path",
         "Post-Sales Engineer", []),
        ("L4 Senior Solutions Architect - Technical Account Management", "Senior Solutions Architect",
         ["L4", "L4 Senior Solutions Architect", "Senior Solutions Architect - Technical Account Management"]),
        ("IC3 – Backend Engineer", "Backend Engineer", ["IC3", "IC3 Backend Engineer"]),
        ("Level 2: Analyst", "Analyst", ["Level 2", "Level 2 Analyst"]),
        ("Junior Identity Consultant (JIC)", "Junior Identity Consultant", ["JIC"]),
        ("Data Engineer (ML)", "Data Engineer (ML)", []),
        ("Engineer (Remote)", "Engineer (Remote)", []),
        ("🚀 Growth Marketer", "Growth Marketer", []),
        ("L4", "L4", []),
    ],
)
def test_split_title(heading: str, title: str, aliases: list[str]) -> None:
    assert split_title(heading) == (title, aliases)


def test_defined_abbreviations_need_the_title_right_before_them() -> None:
    text = "The Principal Technical Product Manager (PTPM) leads. A senior individual contributor (IC) role."
    assert defined_abbreviations("Principal Technical Product Manager", text) == ["PTPM"]
    assert defined_abbreviations("Engineer", "An Engineer (remote) works.") == []


def test_level_codes_and_file_name_titles() -> None:
    assert has_level_code("L3 Data Engineer") and has_level_code("## IC4 - Staff Engineer")
    assert not has_level_code("Lead Engineer") and not has_level_code("L3")
    assert title_from_path("team/senior_data-engineer.md") == "Senior Data Engineer"
    assert title_from_path("SRE-Handbook") == "SRE Handbook"
    assert title_from_path(".md") == "Untitled document"
