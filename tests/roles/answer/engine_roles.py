"""Roles built directly from ``roles.model`` objects for the answer-engine tests, and an index holding them.

The index is the real RoleIndex; only the document format is skipped: each file in a temporary folder
names one of the roles below, and a small loader hands back the model object.
"""

from __future__ import annotations

from pathlib import Path

from core.store import Store
from roles.index.library import RoleIndex
from roles.model import Goal, Item, Kpi, LoadedDocument, Role, Section, Source


def _goals(*specs: tuple[int, str, list[str], list[str]]) -> list[Goal]:
    return [Goal(days, heading, items, indicators) for days, heading, items, indicators in specs]


def consultant() -> Role:
    return Role(
        title="Principal Technical Consultant",
        source=Source("consulting/ptc.md", "markdown", "https://example.test/ptc"),
        sections=[
            Section("summary", "Role Summary", "A senior consultant who designs complex customer solutions.",
                    items=[Item("Reports to Director, Solutions Engineering", label="Reporting line (typical)")]),
            Section("responsibilities", "Core Responsibilities", subsections=[
                Section("responsibilities", "Strategic responsibilities", items=[
                    Item("for common customer scenarios", label="Own reference architectures and patterns"),
                    Item("Shape the delivery methodology with practice leadership."),
                ]),
                Section("responsibilities", "Operational responsibilities", items=[
                    Item("workshops and current-state assessments", label="Lead technical discovery"),
                ]),
            ]),
            Section("goals", "Goals, Objectives, and Milestones", goals=_goals(
                (30, "30-day goals (onboarding)", ["Shadow at least one complex engagement."],
                 ["Knows the delivery playbook."]),
                (60, "60-day goals", ["Own the design of one engagement."], []),
                (90, "90-day goals", ["Lead a design review board."], ["Review accepted first time."]),
            )),
            Section("kpis", "KPIs and Productivity Metrics", kpis=[
                Kpi("Architecture approval cycle time", "Days from draft to approval", "Speed", "< 10 business days",
                    "Monthly"),
                Kpi("PoC success rate", "PoCs meeting success criteria", "Win rate", ">= 70%", "Quarterly"),
            ]),
            Section("hiring", "Hiring Evaluation Criteria", subsections=[
                Section("hiring", "Strong candidate signals", items=[Item("Explains trade-offs clearly.")]),
                Section("hiring", "Red flags", items=[Item("Blames customers for failed projects.")]),
            ]),
            Section("experience", "Required Experience and Qualifications", subsections=[
                Section("experience", "Typical years of experience", items=[Item("10+ years in delivery.")]),
                Section("experience", "Certifications (relevant but not mandatory)",
                        items=[Item("AWS Solutions Architect Professional")]),
            ]),
            Section("ai-impact", "AI / Automation Impact on the Role",
                    items=[Item("Drafting design documents is accelerated by assistants.")]),
            Section("career-path", "Career Path and Progression", subsections=[
                Section("career-path", "Common feeder roles into this role", items=[Item("Senior Consultant")]),
                Section("career-path", "Next likely roles after this role", items=[Item("Distinguished Architect")]),
            ]),
        ],
    )


def product_manager() -> Role:
    return Role(
        title="Principal Technical Product Manager",
        aliases=["PTPM"],
        source=Source("product/ptpm.txt", "text"),
        sections=[
            Section("summary", "Role Summary", "Leads technically complex product areas."),
            Section("responsibilities", "Core Responsibilities",
                    items=[Item("Own multi-horizon roadmaps for platform capabilities.")]),
            Section("goals", "Goals", goals=_goals(
                (30, "30-day goals", ["Build a clear map of the product domain."], []),
                (90, "90-day goals", ["Mentor at least one PM on technical discovery."], []),
                (180, "6-month milestones", ["Ship a major platform capability."], ["Adoption by two teams."]),
            )),
            Section("kpis", "KPIs", kpis=[
                Kpi("Change failure rate (DORA)", "% of changes causing incidents", "Release quality", "<15%",
                    "Monthly"),
            ]),
        ],
    )


def implementation_consultant() -> Role:
    return Role(
        title="Principal Implementation Consultant",
        source=Source("consulting/pic.json", "blog-json"),
        sections=[
            Section("summary", "Role Summary", "Leads enterprise implementations end to end."),
            Section("day-to-day", "Day-to-Day Activities", subsections=[
                Section("day-to-day", "Daily activities", items=[Item("Unblock implementation workstreams.")]),
                Section("day-to-day", "Weekly activities", items=[Item("Run the steering meeting.")]),
            ]),
            Section("kpis", "KPIs and Productivity Metrics", kpis=[
                Kpi("Time-to-first-value (TTFV)", "Days to first production use", "Adoption", "< 45 days",
                    "Monthly", "Outcome"),
                Kpi("Go-live success rate", "% of go-lives completed without rollback", "Cutover quality", ">=95%",
                    "Quarterly", "Outcome"),
                Kpi("Rework percentage", "Effort spent fixing avoidable defects", "Cost to serve", "<10\u201315%",
                    "Monthly", "Efficiency"),
            ]),
        ],
    )


def post_sales_engineer() -> Role:
    return Role(
        title="Post-Sales Engineer",
        source=Source("pse.txt", "blog-json"),
        sections=[
            Section("summary", "Role Summary", "Guides customers from contract to production."),
            Section("goals", "Goals", goals=_goals(
                (30, "30-day goals (baseline)", ["Understand product architecture, deployment models."],
                 ["Passes the product certification."]),
                (365, "12-month objectives", ["Make a durable improvement to operating model."], []),
            )),
            Section("kpis", "KPIs", kpis=[
                Kpi("Time-to-First-Value (TTFV)", "Days from contract to first value", "Onboarding", "< 30 days",
                    "Monthly"),
            ]),
            Section("tools", "Tools, Platforms, and Software", items=[
                Item("Jira", fields={"Category": "Ticketing", "Use": "Escalations"}),
            ]),
        ],
    )


def solutions_architect() -> Role:
    return Role(
        title="Senior Solutions Architect",
        aliases=["L4"],
        source=Source("ladders/sa.md", "markdown"),
        sections=[
            Section("facts", "L4 Senior Solutions Architect", items=[
                Item("Current and next Sales quarter", label="Planning horizon"),
                Item("Account Management team", label="Impact radius"),
            ]),
            Section("competency", "Domain expertise", items=[Item("I am an expert in many integrations.")]),
            Section("competency", "Teaching and Mentoring", items=[
                Item("I help team members level up.",
                     children=["I ran a knowledge-sharing session with customer engineering teams."]),
            ]),
            Section("competency", "Customer Success", items=[
                Item("I identify customer goals.",
                     children=["I helped customers streamline deployments to improve their DORA metrics."]),
            ]),
        ],
    )


def data_engineer(path: str, tool: str) -> Role:
    return Role(
        title="Data Engineer",
        source=Source(path, "markdown"),
        sections=[
            Section("summary", "Summary", f"Builds pipelines with {tool}."),
            Section("tools", "Tools", items=[Item(f"{tool} for transformations")]),
        ],
    )


def site_reliability_engineer() -> Role:
    return Role(
        title="Lead Site Reliability Engineer",
        source=Source("sre.yaml", "yaml"),
        sections=[Section("summary", "Summary", "Keeps production reliable.")],
    )


def all_roles() -> dict[str, Role]:
    """File name -> role, one role per file."""
    return {
        "ptc.md": consultant(),
        "ptpm.txt": product_manager(),
        "pic.json": implementation_consultant(),
        "pse.txt": post_sales_engineer(),
        "sa.md": solutions_architect(),
        "de-spark.md": data_engineer("de-spark.md", "Spark"),
        "de-dbt.md": data_engineer("de-dbt.md", "dbt"),
        "sre.yaml": site_reliability_engineer(),
    }


def build_index(store: Store, folder: Path, roles: dict[str, Role] | None = None) -> RoleIndex:
    """A RoleIndex over ``roles`` (default: :func:`all_roles`) written through the real indexer."""
    roles = all_roles() if roles is None else roles
    for name in roles:
        (folder / name).write_text(name, encoding="utf-8")

    def loader(path: Path, root: Path) -> LoadedDocument:
        role = roles[path.name]
        return LoadedDocument(path=path.name, format=role.source.format, title=role.title, roles=[role])

    index = RoleIndex(store, loader=loader)
    index.index_folder(folder)
    return index
