"""A synthetic company handbook: hundreds of ordinary pages with a few percent of role pages among them.

Used by the handbook precision/recall test and ``bench/bench_index.py --handbook``. Every page is
generated from the word pools below (written for rolebot, copied from nowhere), deterministic by seed.
Ordinary pages are the kinds a wiki export holds — policies, processes (some with a "Roles and
responsibilities" section), team pages, onboarding weeks, interview guides, tool guides, personal
READMEs, meeting notes, general pages about levels — and use role words freely. Role pages come in the
shapes handbooks use: single job descriptions, job families with ``## Levels``, per-level headings,
level tables in Markdown and in HTML, competency matrices with level columns, two frameworks on one
page, a team lead before the levels, "TBD" levels (not roles), first-person competency pages.

:func:`generate` writes the folder and returns the truth: for each role page, the roles a person would
list (title and level code).

    python -m bench.handbook DIR [--pages 240] [--seed 3]
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

_TEAMS = ("Payments", "Platform", "Growth", "Search", "Billing", "Mobile", "Identity", "Data", "Checkout",
          "Messaging", "Storage", "Insights", "Partners", "Onboarding", "Risk", "Support Tools")
_JOBS = ("Product Manager", "Support Manager", "Solutions Engineer", "Director of Product", "Head of Customer Success",
         "Engineering Manager", "Data Analyst", "Technical Writer", "Security Engineer", "Site Reliability Engineer",
         "Account Executive", "Recruiter", "Office Manager", "Payroll Specialist", "UX Researcher", "QA Engineer",
         "Developer Advocate", "Finance Business Partner", "Customer Success Manager", "Data Engineer",
         "Backend Engineer", "Frontend Engineer", "Mobile Engineer", "Sales Development Representative",
         "Legal Counsel", "Brand Designer", "Content Strategist", "People Partner", "IT Administrator",
         "Partnerships Lead")
_FAMILIES = (("Engineering", "Engineer"), ("Design", "Designer"), ("Data Science", "Data Scientist"),
             ("Product Management", "Product Manager"), ("Security", "Security Engineer"))
_VERBS = ("owns", "plans", "reviews", "improves", "measures", "documents", "coordinates", "supports", "ships",
          "maintains", "designs", "tests", "explains", "prioritises", "reports on", "automates")
_OBJECTS = ("the quarterly roadmap", "customer escalations", "the on-call rota", "release notes", "the budget",
            "hiring loops", "data pipelines", "onboarding material", "incident reviews", "pricing experiments",
            "the design system", "vendor contracts", "access reviews", "service dashboards", "the help centre",
            "migration plans", "weekly metrics", "partner integrations", "the test suite", "launch checklists")
_TOOLS = ("Jira", "Linear", "Notion", "Figma", "Looker", "PagerDuty", "GitHub", "Slack", "Zendesk", "Okta",
          "Terraform", "Salesforce", "Greenhouse", "Datadog")
_POLICIES = ("Vulnerability Management", "Acceptable Use", "Data Retention", "Travel and Expenses",
             "Remote Work", "Access Control", "Password", "Parental Leave", "Code of Conduct", "Procurement",
             "Business Continuity", "Asset Management", "Encryption", "Vendor Risk", "Open Source")
_PROCESSES = ("Incident response", "Release", "Change management", "Code review", "Design review",
              "Quarterly planning", "Security review", "Postmortem", "Hiring", "Offboarding", "Budget approval")
_PEOPLE = ("Amara Okafor", "Jonas Berg", "Mei Tanaka", "Luis Ortega", "Priya Raman", "Noah Fischer",
           "Sofia Rossi", "Kwame Mensah", "Elif Kaya", "Tom Walsh", "Ines Duarte", "Ravi Menon")


@dataclass
class Page:
    path: str
    kind: str
    #: The roles a person would list on this page: (title, level code or "").
    roles: list[tuple[str, str]] = field(default_factory=list)


def _sentence(rng: random.Random, subject: str = "The team") -> str:
    return f"{subject} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} and {rng.choice(_VERBS)} {rng.choice(_OBJECTS)}."


def _bullets(rng: random.Random, n: int, subject: str = "") -> str:
    return "\n".join(f"- {(subject + ' ') if subject else ''}{rng.choice(_VERBS).capitalize()} "
                     f"{rng.choice(_OBJECTS)} with {rng.choice(_TOOLS)}." for _ in range(n))


# ---------------------------------------------------------------- ordinary pages


def _policy(rng: random.Random, name: str) -> str:
    return (f"# {name} Policy\n\n## Purpose\n\n{_sentence(rng, 'This policy')}\n\n## Scope\n\n"
            f"It applies to every employee, contractor and system.\n\n## Responsibilities\n\n"
            f"{_bullets(rng, 3, 'Each manager')}\n\n## Policy\n\n{_sentence(rng)} {_sentence(rng)}\n\n"
            f"## Exceptions\n\nAsk the security team in writing.\n")


def _process(rng: random.Random, name: str) -> str:
    # Process roles read like job titles ("Incident Commander", "Communications Lead"): they are not jobs.
    roles = rng.sample(("Incident Commander", "Release Manager", "Communications Lead", "Reviewer", "Approver",
                        "Scribe", "Coordinator", "Technical Lead"), rng.choice((1, 2, 3)))
    sections = "\n\n".join(f"### {role}\n\n{_bullets(rng, 2)}" for role in roles)
    return (f"# {name} process\n\n{_sentence(rng)}\n\n## When to use it\n\n{_sentence(rng)}\n\n"
            f"## Steps\n\n1. Open a ticket in {rng.choice(_TOOLS)}.\n2. {_sentence(rng, 'The owner')}\n"
            f"3. Close the ticket.\n\n## Roles and responsibilities\n\n{sections}\n\n"
            f"### Participants\n\n{_bullets(rng, 2)}\n\n## Timeline\n\n{_sentence(rng)}\n")


def _team(rng: random.Random, team: str) -> str:
    return (f"# {team} team\n\n{_sentence(rng, f'The {team} team')}\n\n## What we do\n\n{_bullets(rng, 3)}\n\n"
            f"## Responsibilities\n\n{_bullets(rng, 2)}\n\n## Who we are\n\n"
            f"{', '.join(rng.sample(_PEOPLE, 4))}.\n\n## How to reach us\n\nPost in the {team.lower()} channel.\n")


def _onboarding_week(rng: random.Random, week: int, dept: str) -> str:
    return (f"# Week {week}\n\nWelcome to week {week} of {dept} onboarding.\n\n## Goals for this week\n\n"
            f"{_bullets(rng, 4, 'You')}\n\n## Checklist\n\n- [ ] Meet your buddy\n- [ ] Set up {rng.choice(_TOOLS)}\n"
            f"- [ ] Read the handbook\n")


def _onboarding_plan(rng: random.Random, dept: str) -> str:
    return (f"# {dept} onboarding\n\nEvery new joiner in {dept.lower()} follows this plan.\n\n## First 30 days\n\n"
            f"{_bullets(rng, 3)}\n\n## 60 days\n\n{_bullets(rng, 2)}\n\n## 90 days\n\n{_bullets(rng, 2)}\n\n"
            f"## Tools you will use\n\n- {rng.choice(_TOOLS)}\n- {rng.choice(_TOOLS)}\n")


def _interview_guide(rng: random.Random, job: str) -> str:
    return (f"# {job} interview guide\n\nHow we interview candidates for this job.\n\n## Stages\n\n"
            f"1. Recruiter screen\n2. Skills interview\n3. Team interview\n\n## What we look for\n\n"
            f"{_bullets(rng, 3)}\n\n## Scorecard\n\n| Area | Weight |\n|---|---|\n| Craft | 40% |\n"
            f"| Collaboration | 30% |\n| Ownership | 30% |\n")


def _tool_guide(rng: random.Random, tool: str) -> str:
    return (f"# How to use {tool}\n\n{tool} is where {rng.choice(_OBJECTS)} live.\n\n## Getting access\n\n"
            f"Request access in the IT portal.\n\n## Tips\n\n{_bullets(rng, 3)}\n\n## Owners\n\n"
            f"The IT team administers {tool}.\n")


def _personal_readme(rng: random.Random, person: str) -> str:
    return (f"# {person}'s README\n\nHi, I'm {person.split()[0]}. This is how I like to work.\n\n"
            f"## How I work\n\n{_bullets(rng, 3, 'I')}\n\n## My responsibilities\n\n{_bullets(rng, 2)}\n\n"
            f"## What I value\n\n- Written decisions\n- Kind feedback\n\n## Things I'm working on\n\n"
            f"{_bullets(rng, 2)}\n")


def _meeting_notes(rng: random.Random, n: int) -> str:
    return (f"# {rng.choice(_TEAMS)} sync {2000 + n % 25}-{1 + n % 12:02d}-{1 + n % 28:02d}\n\n"
            f"Attendees: {', '.join(rng.sample(_PEOPLE, 3))}\n\n## Agenda\n\n{_bullets(rng, 3)}\n\n"
            f"## Action items\n\n{_bullets(rng, 2, rng.choice(_PEOPLE).split()[0])}\n")


def _levels_general(rng: random.Random) -> str:
    return ("# Levels and promotions\n\nEvery role at the company has levels that describe scope.\n\n"
            "## How levels work\n\nYour level reflects the impact you have, not your years of service.\n\n"
            "## Performance reviews\n\nReviews happen twice a year, with self and peer feedback.\n\n"
            "## Promotions\n\nA promotion case shows sustained work at the next level.\n")


def _values(rng: random.Random) -> str:
    return ("# Our values\n\n## Customers first\n\n" + _sentence(rng) + "\n\n## Write it down\n\n"
            + _sentence(rng) + "\n\n## Expectations for everyone\n\n" + _bullets(rng, 3, "We") + "\n")


def _on_call(rng: random.Random, team: str) -> str:
    return (f"# On-call for {team}\n\n## Responsibilities\n\n{_bullets(rng, 3, 'Whoever is on call')}\n\n"
            f"## Expectations\n\nAcknowledge pages within five minutes.\n\n## Tools\n\n- {rng.choice(_TOOLS)}\n\n"
            f"## Escalation\n\n{_sentence(rng)}\n")


def _department(rng: random.Random, team: str) -> str:
    return (f"# {team} department\n\n{_sentence(rng, f'The {team} department')}\n\n## Mission\n\n{_sentence(rng)}\n\n"
            f"## Responsibilities\n\n{_bullets(rng, 3)}\n\n## KPIs\n\n| KPI | Target |\n|---|---|\n| Uptime | 99.9% |\n\n"
            f"## Team structure\n\n{_bullets(rng, 2)}\n")


def _job_onboarding(rng: random.Random, job: str) -> str:
    return (f"# {job} onboarding\n\nWhat a new {job.lower()} does in the first weeks.\n\n## First 30 days\n\n"
            f"{_bullets(rng, 3)}\n\n## Skills to build\n\n{_bullets(rng, 2)}\n")


def _okrs(rng: random.Random, team: str) -> str:
    return (f"# {team} OKRs\n\n## Objective 1\n\n{_bullets(rng, 3)}\n\n## Objective 2\n\n{_bullets(rng, 2)}\n\n"
            f"## Key results\n\n| KR | Target |\n|---|---|\n| Uptime | 99.9% |\n| Adoption | 40% |\n")


def _family_readme(rng: random.Random, family: str, jobs: list[str]) -> str:
    links = "\n".join(f"- [{job}]({job.lower().replace(' ', '-')}.md)" for job in jobs)
    return (f"# {family} roles\n\nThis folder holds the roles of the {family.lower()} group.\n\n{links}\n\n"
            f"## How to use these pages\n\nRead your role and the next one with your manager.\n")


# ---------------------------------------------------------------- role pages


def _job_description(rng: random.Random, job: str) -> str:
    return (f"# {job}\n\n{_sentence(rng, f'The {job}')}\n\n## Responsibilities\n\n{_bullets(rng, 4)}\n\n"
            f"## Requirements\n\n{_bullets(rng, 3)}\n\n## Nice to have\n\n{_bullets(rng, 1)}\n\n"
            f"## Performance indicators\n\n{_bullets(rng, 2)}\n")


def _job_family(rng: random.Random, job: str) -> tuple[str, list[tuple[str, str]]]:
    levels = ("Junior", "Intermediate", "Senior")
    body = "\n\n".join(f"### {level} {job}\n\n{_bullets(rng, 2)}" for level in levels)
    text = (f"# {job}\n\n{_sentence(rng, f'The {job}')}\n\n## Responsibilities\n\n{_bullets(rng, 3)}\n\n"
            f"## Requirements\n\n{_bullets(rng, 2)}\n\n## Levels\n\n{body}\n\n## Career ladder\n\n"
            f"{_sentence(rng)}\n\n## Hiring process\n\n1. Screen\n2. Interview\n")
    return text, [(job, "")] + [(f"{level} {job}", "") for level in levels]


def _per_level_headings(rng: random.Random, family: str, person: str) -> tuple[str, list[tuple[str, str]]]:
    codes = ["IC1", "IC2", "IC3", "IC4", "M3"]
    parts = [f"# {family} levels\n\n{_sentence(rng, 'This ladder')}"]
    for code in codes:
        parts.append(f"## {code}\n\n{_bullets(rng, 2)}")
    parts.append("## IC5\n\nTBD")
    return "\n\n".join(parts) + "\n", [(person, code) for code in codes]


def _html_level_table(rng: random.Random, family: str, person: str) -> tuple[str, list[tuple[str, str]]]:
    codes = ["L1", "L2", "L3", "L4"]
    rows = "\n".join(f"<tr><td>{code}</td><td>{_sentence(rng, 'Works that')}</td></tr>" for code in codes)
    text = (f"# {family} career framework\n\n{_sentence(rng)}\n\n<table>\n<tr><th>Level</th><th>Description</th></tr>\n"
            f"{rows}\n<tr><td>L5</td><td>TBD</td></tr>\n</table>\n")
    return text, [(person, code) for code in codes]


def _matrix(rng: random.Random, family: str, person: str) -> tuple[str, list[tuple[str, str]]]:
    codes = ["P2", "P3", "P4"]
    rows = "\n".join(f"| {area} | " + " | ".join(f"{rng.choice(_VERBS).capitalize()} {rng.choice(_OBJECTS)}"
                                                   for _ in codes) + " |"
                     for area in ("Craft", "Collaboration", "Impact"))
    text = f"# {family} competencies\n\n| Competency | {' | '.join(codes)} |\n|---|{'---|' * len(codes)}\n{rows}\n"
    return text, [(person, code) for code in codes]


def _two_frameworks(rng: random.Random, family: str, person: str) -> tuple[str, list[tuple[str, str]]]:
    ic = "\n".join(f"| {code} | {_sentence(rng, 'Delivers')} |" for code in ("IC1", "IC2", "IC3"))
    mgr = "\n".join(f"| {code} | {_sentence(rng, 'Leads')} |" for code in ("M3", "M4"))
    text = (f"# {family} career framework\n\n## Team Lead\n\nA team lead runs the rituals of one team.\n\n"
            f"{_bullets(rng, 2)}\n\n## Individual contributors\n\n| Level | Description |\n|---|---|\n{ic}\n\n"
            f"## Managers\n\n| Level | Description |\n|---|---|\n{mgr}\n\nPay bands are on the compensation page.\n\n"
            f"| Level | Description |\n|---|---|\n| M5 | {_sentence(rng, 'Leads')} |\n")
    roles = [("Team Lead", "")] + [(person, c) for c in ("IC1", "IC2", "IC3", "M3", "M4", "M5")]
    return text, roles


def _first_person(rng: random.Random, family: str, jobs: list[str]) -> tuple[str, list[tuple[str, str]]]:
    parts = [f"# {family} Roles\n\n{_sentence(rng)}"]
    for job in jobs:
        statements = "\n\n".join(f"### I {rng.choice(_VERBS)} {rng.choice(_OBJECTS)}\n\n{_sentence(rng, 'I')}"
                                 for _ in range(3))
        parts.append(f"## {job}\n\n{statements}")
    return "\n\n".join(parts) + "\n", [(job, "") for job in jobs]


def _agency(rng: random.Random, job: str) -> tuple[str, list[tuple[str, str]]]:
    text = (f"# {job} (G7)\n\nGrade: SEO\n\n{_sentence(rng, 'The service team')}\n\n## You will\n\n{_bullets(rng, 3)}\n\n"
            f"## You'll have\n\n### Essential\n\n{_bullets(rng, 2)}\n\n### Desirable\n\n{_bullets(rng, 1)}\n\n"
            f"## About the team\n\n{_sentence(rng)}\n\n# Job description\n\n## Benefits\n\n- A pension.\n")
    return text, [(job, "G7")]


def generate(folder: Path, pages: int = 240, seed: int = 3) -> list[Page]:
    """Write a handbook of about ``pages`` pages under ``folder``; return every page with its truth."""
    rng = random.Random(seed)
    out: list[Page] = []

    def write(path: str, text: str, kind: str, roles: list[tuple[str, str]] | None = None) -> None:
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        out.append(Page(path, kind, roles or []))

    jobs = list(_JOBS)
    rng.shuffle(jobs)
    for job in jobs[:12]:
        write(f"roles/{job.lower().replace(' ', '-')}.md", _job_description(rng, job), "job", [(job, "")])
    for job in jobs[12:15]:
        text, roles = _job_family(rng, job)
        write(f"job-families/{job.lower().replace(' ', '-')}.md", text, "family", roles)
    for job in jobs[15:17]:
        text, roles = _agency(rng, job)
        write(f"vacancies/{job.lower().replace(' ', '-')}.md", text, "agency", roles)
    shapes = (_per_level_headings, _html_level_table, _matrix, _two_frameworks)
    for n, (family, person) in enumerate(_FAMILIES):
        text, roles = shapes[n % len(shapes)](rng, family, person)
        write(f"career/{family.lower().replace(' ', '-')}-levels.md", text, "framework", roles)
    text, roles = _first_person(rng, "Marketing", ["Content Marketer", "Product Marketing Manager", "Head of Brand"])
    write("career/marketing-roles.md", text, "first-person", roles)
    write("roles/README.md", _family_readme(rng, "Company", jobs[:12]), "readme")

    makers = [
        lambda i: (f"policies/{_POLICIES[i % len(_POLICIES)].lower().replace(' ', '-')}-{i}.md",
                   _policy(rng, _POLICIES[i % len(_POLICIES)]), "policy"),
        lambda i: (f"processes/{_PROCESSES[i % len(_PROCESSES)].lower().replace(' ', '-')}-{i}.md",
                   _process(rng, _PROCESSES[i % len(_PROCESSES)]), "process"),
        lambda i: (f"teams/{_TEAMS[i % len(_TEAMS)].lower().replace(' ', '-')}-{i}.md",
                   _team(rng, _TEAMS[i % len(_TEAMS)]), "team"),
        lambda i: (f"onboarding/{_TEAMS[i % len(_TEAMS)].lower().replace(' ', '-')}/week-{1 + i % 4}.md",
                   _onboarding_week(rng, 1 + i % 4, _TEAMS[i % len(_TEAMS)]), "week"),
        lambda i: (f"onboarding/plan-{i}.md", _onboarding_plan(rng, _TEAMS[i % len(_TEAMS)]), "onboarding"),
        lambda i: (f"hiring/{_JOBS[i % len(_JOBS)].lower().replace(' ', '-')}-interviews-{i}.md",
                   _interview_guide(rng, _JOBS[i % len(_JOBS)]), "interview"),
        lambda i: (f"tools/{_TOOLS[i % len(_TOOLS)].lower()}-{i}.md", _tool_guide(rng, _TOOLS[i % len(_TOOLS)]), "tool"),
        lambda i: (f"people/{_PEOPLE[i % len(_PEOPLE)].lower().replace(' ', '-')}-{i}/README.md",
                   _personal_readme(rng, _PEOPLE[i % len(_PEOPLE)]), "personal"),
        lambda i: (f"meetings/notes-{i}.md", _meeting_notes(rng, i), "notes"),
        lambda i: (f"teams/{_TEAMS[i % len(_TEAMS)].lower().replace(' ', '-')}-okrs-{i}.md",
                   _okrs(rng, _TEAMS[i % len(_TEAMS)]), "okrs"),
        lambda i: (f"on-call/{_TEAMS[i % len(_TEAMS)].lower().replace(' ', '-')}-{i}.md",
                   _on_call(rng, _TEAMS[i % len(_TEAMS)]), "on-call"),
        lambda i: (f"departments/{_TEAMS[i % len(_TEAMS)].lower().replace(' ', '-')}-{i}.md",
                   _department(rng, _TEAMS[i % len(_TEAMS)]), "department"),
        lambda i: (f"onboarding/roles/{_JOBS[i % len(_JOBS)].lower().replace(' ', '-')}-{i}.md",
                   _job_onboarding(rng, _JOBS[i % len(_JOBS)]), "job-onboarding"),
    ]
    write("people/levels.md", _levels_general(rng), "levels")
    write("company/values.md", _values(rng), "values")
    i = 0
    while len(out) < pages:
        path, text, kind = makers[i % len(makers)](i)
        if not (folder / path).exists():
            write(path, text, kind)
        i += 1
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic handbook folder.")
    parser.add_argument("folder", type=Path)
    parser.add_argument("--pages", type=int, default=240)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args(argv)
    pages = generate(args.folder, args.pages, args.seed)
    print(json.dumps({"pages": len(pages), "role_pages": sum(1 for p in pages if p.roles),
                      "roles": sum(len(p.roles) for p in pages)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
