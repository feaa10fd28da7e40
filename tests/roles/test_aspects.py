"""Headings to canonical aspects and goal horizons."""

from __future__ import annotations

import pytest

from roles.aspects import aspect_for_heading, clean_heading, is_goal_heading, parse_horizon
from roles.model import ASPECTS, LONG_TERM_DAYS


@pytest.mark.parametrize(
    ("heading", "aspect"),
    [
        ("1) Role Summary", "summary"),
        ("2) Role Mission", "mission"),
        ("3) Core Responsibilities", "responsibilities"),
        ("4) Day-to-Day Activities", "day-to-day"),
        ("5) Key Deliverables", "deliverables"),
        ("6) Goals, Objectives, and Milestones", "goals"),
        ("7) KPIs and Productivity Metrics", "kpis"),
        ("8) Technical Skills Required", "skills"),
        ("9) Soft Skills and Behavioral Capabilities", "soft-skills"),
        ("10) Tools, Platforms, and Software", "tools"),
        ("11) Typical Tech Stack / Environment", "tech-stack"),
        ("12) Stakeholders and Collaboration Map", "stakeholders"),
        ("13) Decision Rights and Scope of Authority", "decision-rights"),
        ("14) Required Experience and Qualifications", "experience"),
        ("15) Career Path and Progression", "career-path"),
        ("16) Risks, Challenges, and Failure Modes", "risks"),
        ("17) Role Variants", "variants"),
        ("18) AI / Automation Impact on the Role", "ai-impact"),
        ("19) Hiring Evaluation Criteria", "hiring"),
        ("20) Final Role Scorecard Summary", "scorecard"),
        ("Domain expertise", "competency"),
        ("Teaching and Mentoring", "competency"),
        ("Culture and Leadership", "competency"),
        ("Customer Success", "competency"),
        ("What you'll do", "responsibilities"),
        ("What we're looking for", "experience"),
        ("Nice to have", "experience"),
        # Job-description and HR-template headings.
        ("About you", "experience"),
        ("Reports to", "stakeholders"),
        ("Key relationships", "stakeholders"),
        ("How success is measured", "kpis"),
        ("Key result areas (KRAs)", "responsibilities"),
        ("OKRs", "goals"),
        ("Onboarding", "goals"),
        ("A day in the life", "day-to-day"),
        ("Behaviours", "soft-skills"),
        ("Where to find the coffee", "other"),
    ],
)
def test_top_level_headings_map_to_canonical_aspects(heading: str, aspect: str) -> None:
    assert aspect_for_heading(heading) == aspect
    assert aspect in ASPECTS


@pytest.mark.parametrize(
    ("heading", "parent", "aspect"),
    [
        ("Strategic responsibilities", "responsibilities", "responsibilities"),
        ("Cross-functional or stakeholder responsibilities", "responsibilities", "responsibilities"),
        ("Weekly activities", "day-to-day", "day-to-day"),
        ("Role success definition", "goals", "goals"),
        ("Typical decision-making authority", "stakeholders", "stakeholders"),
        ("Budget, vendor, delivery, hiring, compliance authority", "decision-rights", "decision-rights"),
        ("Scorecard dimensions (recommended)", "hiring", "hiring"),
        ("Skills needed for promotion", "career-path", "career-path"),
        ("Examples", "competency", "competency"),
        # A sub-section that names a more specific aspect under a broad parent takes it.
        ("Soft skills", "skills", "soft-skills"),
        ("Key deliverables", "responsibilities", "deliverables"),
        ("Tools you will use", "other", "tools"),
    ],
)
def test_subsections_inherit_unless_more_specific(heading: str, parent: str, aspect: str) -> None:
    assert aspect_for_heading(heading, parent) == aspect


@pytest.mark.parametrize(
    ("heading", "days"),
    [
        ("30-day goals (onboarding and positioning)", 30),
        ("60-day goals", 60),
        ("90 day goals", 90),
        ("First 90 days", 90),
        ("6-month milestones (organizational leverage)", 180),
        ("12-month objectives (business outcomes)", 365),
        ("Long-term impact goals (18–36 months)", LONG_TERM_DAYS),
        ("Long-term impact goals (principal-level legacy)", LONG_TERM_DAYS),
        ("Success indicators (30 days):", 30),
        ("Days 31-60", 60),
        ("First year", 365),
        ("Two weeks in", 14),
        ("Role success definition", None),
        ("30/60/90 plan", None),
        ("By day 90", 90),
        ("Month 1", 30),
        ("Months 2-3", 90),
        ("By month 6", 180),
        ("Week 1", 7),
        ("Weeks 1–4", 28),
        ("First month", 30),
        ("In your second quarter", 180),
        ("Q1", 90),
        ("Year 2", 730),
        ("6 months", 180),
    ],
)
def test_parse_horizon(heading: str, days: int | None) -> None:
    assert parse_horizon(heading) == days


def test_goal_headings_need_a_horizon_and_a_goal_word() -> None:
    assert is_goal_heading("30-day goals")
    assert is_goal_heading("6-month milestones")
    assert not is_goal_heading("Emerging future skills (next 2–5 years)")
    assert not is_goal_heading("What high performance looks like")
    # A heading that is only its horizon names a plan stage, at the top level too.
    for heading in ("Month 1", "Days 31-60", "By day 90", "Q1", "6 months", "30/60/90 plan"):
        assert aspect_for_heading(heading) == "goals", heading
    assert is_goal_heading("Month 2") and is_goal_heading("Weeks 1-4")
    assert aspect_for_heading("Quarterly business review") == "day-to-day"
    assert aspect_for_heading("3-5 years of experience") == "experience"


def test_clean_heading_strips_numbering_and_emoji() -> None:
    assert clean_heading("3) Core Responsibilities") == "Core Responsibilities"
    assert clean_heading("🦉 Domain expertise") == "Domain expertise"
    assert clean_heading("\uf8ff Teaching and Mentoring") == "Teaching and Mentoring"
    assert clean_heading("**Responsibilities**") == "Responsibilities"
    assert clean_heading("2.1 Tools") == "Tools"
