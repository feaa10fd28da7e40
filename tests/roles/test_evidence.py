"""The role decision: weighed evidence with reasons, overrides, borderline pages, level-code forms."""

from __future__ import annotations

import pytest

from roles.loaders import load_text
from roles.loaders.titles import is_job_title, level_code_in, page_kind_word, split_title


@pytest.mark.parametrize("title", ["Product Manager", "Support Manager", "Solutions Engineer", "Director of Product",
                                   "Head of Customer Success", "Engineering Manager", "Senior Director of Sales",
                                   "Team Lead", "Security Engineer", "Engineer III", "SDE II"])
def test_job_titles_that_hold_aspect_or_page_words_are_job_titles(title: str) -> None:
    assert is_job_title(title)


@pytest.mark.parametrize(("title", "kind"), [("Vulnerability Management Policy", "policy"), ("Week 1", "week"),
                                             ("The tools we use", "tools"), ("Platform team", "team"),
                                             ("Head of Sales onboarding", "onboarding")])
def test_page_titles_name_a_kind_of_page(title: str, kind: str) -> None:
    assert not is_job_title(title) and page_kind_word(title) == kind


@pytest.mark.parametrize(("heading", "title", "code"), [
    ("L4 Engineer", "Engineer", "L4"), ("L1.0 Analyst", "Analyst", "L1.0"), ("IC4 - Staff Engineer", "Staff Engineer", "IC4"),
    ("Customer Success Manager (IC4)", "Customer Success Manager", "IC4"), ("E5 Engineer", "Engineer", "E5"),
    ("P3: Designer", "Designer", "P3"), ("D3 - Developer 3", "Developer 3", "D3"), ("TL4 - Tech Lead 4", "Tech Lead 4", "TL4"),
    ("Senior Engineer (L5)", "Senior Engineer", "L5"), ("L4: Senior Engineer", "Senior Engineer", "L4"),
    ("Senior Developer (G7)", "Senior Developer", "G7")])
def test_level_codes_in_every_common_form_become_aliases(heading: str, title: str, code: str) -> None:
    assert split_title(heading)[0] == title and code in split_title(heading)[1]
    assert level_code_in(heading) == code


def test_a_quarter_or_a_bucket_is_not_a_level() -> None:
    assert level_code_in("Q1 goals") == "" and level_code_in("S3 buckets") == ""


def test_a_process_page_with_a_roles_section_is_not_a_role_and_says_why() -> None:
    text = ("# Release process\n\nHow we ship every week.\n\n## Steps\n\n1. Cut a branch.\n2. Run the checks.\n"
            "3. Tag and announce the release to everyone.\n\n## Roles and responsibilities\n\n### Release captain\n\n"
            "- Decides when to ship.\n\n## Rollback\n\nRevert the tag and tell the support team what happened.\n")
    document = load_text(text, "release.md")
    assert document.roles == []
    assert document.decision.startswith("not a role") and "'process'" in document.decision
    (verdict,) = document.verdicts
    assert verdict.reasons_against and not verdict.is_role


def test_first_person_competencies_are_evidence_of_a_role() -> None:
    text = ("# Community Builder\n\n### I bring people together\n\nMeetups every month in two cities.\n\n"
            "### I listen before I talk\n\nEvery forum thread gets an answer within a day.\n")
    (role,) = load_text(text, "community.md").roles
    (verdict,) = load_text(text, "community.md").verdicts
    assert role.title == "Community Builder"
    assert any("first-person" in reason for reason in verdict.reasons_for)


def test_front_matter_overrides_the_evidence_both_ways() -> None:
    page = "# Platform team\n\n## Responsibilities\n\n- Run the clusters and keep deploys fast.\n"
    assert load_text(page, "team.md").roles == []
    forced = load_text("---\nrolebot: role\n---\n" + page, "team.md")
    assert [r.title for r in forced.roles] == ["Platform team"]
    assert "set by configuration" in forced.verdicts[0].summary()
    role = "# Data Engineer\n\n## Responsibilities\n\n- Build pipelines.\n\n## Skills\n\n- SQL\n"
    assert load_text("---\nrolebot: not-a-role\n---\n" + role, "de.md").roles == []


def test_a_weak_page_is_reported_as_borderline() -> None:
    # A title that names a person but nothing else about the page speaks for a role: an admin should look.
    document = load_text("# Barista\n\nMakes coffee, keeps the machine clean and opens the shop every morning.\n",
                         "barista.md")
    assert document.roles == []
    assert document.decision.startswith("not a role (score 1.5)")
    assert document.verdicts[0].borderline


def test_most_parallel_siblings_roles_make_the_others_roles() -> None:
    text = ("# Support ladder\n\n## Apprentice\n\n### Responsibilities\n\n- Answer easy tickets.\n\n"
            "## Senior Support Agent\n\n### Responsibilities\n\n- Answers the hard tickets.\n\n"
            "## Support Lead\n\n### Responsibilities\n\n- Runs the queue.\n")
    document = load_text(text, "ladder.md")
    assert [r.title for r in document.roles] == ["Apprentice Support", "Senior Support Agent", "Support Lead"]


def test_roles_named_inside_a_process_page_are_parts_people_play_not_jobs() -> None:
    text = ("# On-call process\n\nHow we respond to pages.\n\n## Roles\n\n### Incident Commander\n\n"
            "- Runs the response and decides when it is over.\n\n### Communications Lead\n\n"
            "- Writes the status page updates.\n")
    document = load_text(text, "on-call.md")
    assert document.roles == []
    assert any("named inside the page 'On-call process'" in reason for v in document.verdicts for reason in v.reasons_against)
    # A page titled after its one role is that role's page, whatever words its title holds.
    single = load_text("# Infrastructure Program Manager (IPM)\n\n## Responsibilities\n\n- Runs the programme.\n",
                       "ipm.md")
    assert [r.title for r in single.roles] == ["Infrastructure Program Manager"]
    # The same headings on a career page are its roles.
    ladder = load_text(text.replace("On-call process", "Operations career ladder"), "ops.md")
    assert [r.title for r in ladder.roles] == ["Incident Commander", "Communications Lead"]


def test_promotion_steps_between_levels_are_not_roles() -> None:
    text = ("# Growth framework\n\n## IC1 → IC2\n\n- Works on scoped tasks alone.\n\n"
            "## IC2 -> IC3\n\n- Owns small features end to end.\n")
    document = load_text(text, "growth.md")
    assert document.roles == [] and document.decision.startswith("not a role")
