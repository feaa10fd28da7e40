"""A synthetic corpus of role documents for benchmarks: N files in mixed formats, deterministic by seed.

Formats, in rotation: rolebot's native YAML, Markdown (``##`` sections, bullet lists, a KPI pipe table,
``###`` goal horizons) and a blog platform's REST export (JSON whose ``content.rendered`` is HTML with
numbered ``h2`` sections, ``h3`` sub-sections, lists and a KPI table; saved as ``.txt`` like the real
exports). Each document is 5-80 KB, has a varied title, a KPI table and 30/60/90-day goals with success
indicators. The text is generated from word lists, not copied from anywhere.

Usage::

    from bench.corpus import generate
    docs = generate(Path("/tmp/corpus"), 1000, seed=7)   # -> list[CorpusDoc]

or ``python -m bench.corpus DIR N [--seed S]``.
"""

from __future__ import annotations

import argparse
import html
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

import yaml

FORMATS = ("yaml", "markdown", "blog-json")

_SENIORITY = ("", "", "Senior ", "Principal ", "Staff ", "Lead ", "Associate ", "Junior ")
_DOMAINS = (
    "Platform", "Data", "Security", "Cloud", "Product", "Mobile", "Payments", "Growth", "Infrastructure",
    "Machine Learning", "Developer Experience", "Reliability", "Analytics", "Identity", "Integration",
    "Customer Success", "Observability", "Billing", "Search", "Networking",
)
_FUNCTIONS = (
    "Engineer", "Product Manager", "Architect", "Analyst", "Designer", "Consultant", "Program Manager",
    "Scientist", "Engineering Manager", "Operations Specialist", "Technical Writer", "Solutions Engineer",
)
_VERBS = (
    "own", "design", "review", "ship", "measure", "improve", "document", "automate", "coordinate", "plan",
    "mentor", "analyse", "negotiate", "prioritise", "audit", "forecast", "stabilise", "simplify", "migrate",
)
_OBJECTS = (
    "the service roadmap", "incident reviews", "release trains", "customer escalations", "the data model",
    "capacity plans", "API contracts", "the on-call rota", "quarterly objectives", "vendor contracts",
    "access policies", "deployment pipelines", "cost reports", "design documents", "the test strategy",
    "dashboards and alerts", "the hiring loop", "onboarding guides", "architecture decisions",
    "stakeholder updates", "experiment results", "the backlog", "runbooks", "résumé screening rubrics",
)
_QUALIFIERS = (
    "with product and design", "across three time zones", "for regulated customers", "before each release",
    "within agreed budgets", "using lightweight RFCs", "with clear owners", "so that teams can self-serve",
    "in partnership with finance", "while keeping toil low", "at company scale", "for the next two quarters",
)
_METRICS = (
    "Change failure rate", "Lead time for changes", "Customer satisfaction (CSAT)", "Cost per request",
    "Availability (SLO attainment)", "Mean time to recovery", "Adoption of self-service tooling",
    "Forecast accuracy", "Defect escape rate", "Time to first value", "Backlog age", "Net revenue retention",
    "Onboarding time for new engineers", "Experiment velocity", "Documentation coverage",
    "Security findings closed on time", "Stakeholder NPS", "Release frequency", "Data freshness",
)
_FREQUENCIES = ("Weekly", "Monthly", "Quarterly", "Per release", "Bi-weekly")
_TARGETS = ("≥ 95%", "< 2 days", "≤ 15%", "+10% QoQ", "≥ 4.5 / 5", "< 1 hour", "100% of critical items", "≥ 3 per quarter")
_TOOLS = ("Jira", "Confluence", "GitHub", "Terraform", "Kubernetes", "Grafana", "Snowflake", "Figma", "Datadog", "Looker")
#: How much role text each format needs for a given file size (HTML and JSON escaping add bytes).
_SIZE_FACTOR = {"yaml": 1.0, "markdown": 1.15, "blog-json": 0.8}
_SECTIONS = (
    "Core Responsibilities", "Day-to-Day Activities", "Key Deliverables", "Technical Skills Required",
    "Soft Skills and Behavioral Capabilities", "Stakeholders and Collaboration Map",
    "Decision Rights and Scope of Authority", "Risks and Challenges", "Career Path and Progression",
)


@dataclass
class CorpusDoc:
    """What was generated for one file, so a benchmark can check the index against it."""

    path: str
    format: str
    title: str
    kpis: int
    goals: dict[int, int] = field(default_factory=dict)
    size: int = 0


@dataclass
class _Role:
    title: str
    abbreviation: str
    summary: str
    sections: list[tuple[str, list[tuple[str, str]]]]  # heading -> [(label, text)]
    kpis: list[dict[str, str]]
    goals: list[tuple[int, list[str], list[str]]]  # (days, items, success indicators)


def generate(folder: Path, count: int, seed: int = 0, non_roles: int = 0) -> list[CorpusDoc]:
    """Write ``count`` role documents (and ``non_roles`` README/LICENSE-like files) into ``folder``."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    docs = []
    for n in range(count):
        fmt = FORMATS[n % len(FORMATS)]
        role = _role(rng, target_size=int(rng.uniform(6_000, 76_000) * _SIZE_FACTOR[fmt]))
        text, name = _WRITERS[fmt](role, n, rng)
        path = folder / f"team{n % 10}" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        path.write_bytes(data)
        goals = {days: len(items) for days, items, _ in role.goals}
        docs.append(CorpusDoc(path.relative_to(folder).as_posix(), fmt, role.title, len(role.kpis), goals, len(data)))
    for n in range(non_roles):
        (folder / f"NOTES-{n}.md").write_text(
            f"# Changelog {n}\n\n## 1.{n}.0\n\n- Fixed typos in the ladder.\n- Added a section on hiring.\n",
            encoding="utf-8",
        )
    return docs


def _sentence(rng: random.Random) -> str:
    return f"{rng.choice(_VERBS).capitalize()} {rng.choice(_OBJECTS)} {rng.choice(_QUALIFIERS)}."


def _paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(_sentence(rng) for _ in range(sentences))


def _role(rng: random.Random, target_size: int) -> _Role:
    seniority, domain, function = rng.choice(_SENIORITY), rng.choice(_DOMAINS), rng.choice(_FUNCTIONS)
    title = f"{seniority}{domain} {function}"
    abbreviation = "".join(w[0] for w in title.split() if w[0].isupper())
    kpis = [
        {
            "name": metric,
            "measures": _sentence(rng).rstrip("."),
            "why": _sentence(rng).rstrip("."),
            "target": rng.choice(_TARGETS),
            "frequency": rng.choice(_FREQUENCIES),
        }
        for metric in rng.sample(_METRICS, rng.randint(5, 12))
    ]
    goals = [
        (days, [_sentence(rng) for _ in range(rng.randint(3, 6))], [_sentence(rng) for _ in range(rng.randint(1, 3))])
        for days in (30, 60, 90)
    ]
    sections: list[tuple[str, list[tuple[str, str]]]] = []
    size = 2_000 + sum(len(json.dumps(k)) for k in kpis) + sum(len(" ".join(g[1] + g[2])) for g in goals)
    headings = list(_SECTIONS)
    rng.shuffle(headings)
    # Grow the role until the document reaches its target size: real blueprints vary from 5 to 80 KB.
    while size < target_size:
        heading = headings[len(sections) % len(headings)]
        if len(sections) >= len(headings):
            heading = f"{heading} ({len(sections) // len(headings) + 1})"
        items = [(f"{rng.choice(_TOOLS)} {rng.choice(('literacy', 'ownership', 'practice'))}" if rng.random() < 0.3 else "",
                  _paragraph(rng, rng.randint(1, 4))) for _ in range(rng.randint(6, 20))]
        sections.append((heading, items))
        size += sum(len(label) + len(text) + 12 for label, text in items) + len(heading) + 20
    return _Role(title, abbreviation, _paragraph(rng, 4), sections, kpis, goals)


def _slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def _yaml(role: _Role, n: int, rng: random.Random) -> tuple[str, str]:
    data = {
        "title": role.title,
        "aliases": [role.abbreviation],
        "link": f"https://roles.example.test/{_slug(role.title)}-{n}",
        "summary": role.summary,
        "sections": [
            {"heading": heading, "items": [{"label": label, "text": text} if label else text for label, text in items]}
            for heading, items in role.sections
        ]
        + [
            {"heading": "KPIs and Productivity Metrics", "kpis": role.kpis},
            {
                "heading": "Goals, Objectives, and Milestones",
                "goals": [
                    {"horizon_days": days, "heading": f"{days}-day goals", "items": items, "success_indicators": signs}
                    for days, items, signs in role.goals
                ],
            },
        ],
    }
    text = yaml.dump(data, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True, width=110)
    return text, f"{_slug(role.title)}-{n}.yaml"


def _markdown(role: _Role, n: int, rng: random.Random) -> str:
    lines = [f"# {role.title} ({role.abbreviation})", "", "## Role Summary", "", role.summary, ""]
    for heading, items in role.sections:
        lines += [f"## {heading}", ""]
        lines += [f"- **{label}:** {text}" if label else f"- {text}" for label, text in items]
        lines.append("")
    lines += ["## KPIs and Productivity Metrics", "",
              "| Metric name | What it measures | Why it matters | Target | Frequency |", "|---|---|---|---|---|"]
    lines += [f"| {k['name']} | {k['measures']} | {k['why']} | {k['target']} | {k['frequency']} |" for k in role.kpis]
    lines += ["", "## 30/60/90-Day Goals", ""]
    for days, items, signs in role.goals:
        lines += [f"### {days}-day goals", ""] + [f"- {item}" for item in items]
        lines += ["", "**Success indicators:**", ""] + [f"- {sign}" for sign in signs] + [""]
    return "\n".join(lines), f"{_slug(role.title)}-{n}.md"


def _blog_json(role: _Role, n: int, rng: random.Random) -> str:
    esc = html.escape
    parts = ["<h2 class=\"wp-block-heading\">1) Role Summary</h2>", f"<p>{esc(role.summary)}</p>"]
    number = 2
    for heading, items in role.sections:
        parts.append(f"<h2 class=\"wp-block-heading\">{number}) {esc(heading)}</h2>")
        half = len(items) // 2
        for sub, chunk in (("Primary", items[:half]), ("Secondary", items[half:])):
            parts.append(f"<h3 class=\"wp-block-heading\">{sub} {esc(heading.lower())}</h3>")
            parts.append("<ul class=\"wp-block-list\">" + "".join(
                f"<li><strong>{esc(label)}:</strong> {esc(text)}</li>" if label else f"<li>{esc(text)}</li>"
                for label, text in chunk) + "</ul>")
        number += 1
    parts.append(f"<h2 class=\"wp-block-heading\">{number}) Goals, Objectives, and Milestones</h2>")
    for days, items, signs in role.goals:
        parts.append(f"<h3 class=\"wp-block-heading\">{days}-day goals</h3>")
        parts.append("<ul>" + "".join(f"<li>{esc(item)}</li>" for item in items) + "</ul>")
        parts.append("<p><strong>Success indicators:</strong></p>")
        parts.append("<ul>" + "".join(f"<li>{esc(sign)}</li>" for sign in signs) + "</ul>")
    parts.append(f"<h2 class=\"wp-block-heading\">{number + 1}) KPIs and Productivity Metrics</h2>")
    header = "".join(f"<th>{h}</th>" for h in ("Metric name", "What it measures", "Why it matters",
                                                 "Example target / benchmark", "Frequency"))
    rows = "".join(
        "<tr>" + "".join(f"<td>{esc(k[c])}</td>" for c in ("name", "measures", "why", "target", "frequency")) + "</tr>"
        for k in role.kpis
    )
    parts.append(f"<figure class=\"wp-block-table\"><table><thead><tr>{header}</tr></thead><tbody>{rows}</tbody></table></figure>")
    slug = _slug(role.title)
    link = f"https://blog.example.test/{slug}-role-blueprint-{n}/"
    data = {
        "id": 10_000 + n,
        "date": f"2026-0{1 + n % 9}-1{n % 10}T09:00:00",
        "slug": f"{slug}-role-blueprint",
        "status": "publish",
        "type": "post",
        "link": link,
        "title": {"rendered": f"{esc(role.title)}: Role Blueprint, Responsibilities, Skills, KPIs, and Career Path"},
        "content": {"rendered": "\n\n".join(parts), "protected": False},
        "excerpt": {"rendered": f"<p>{esc(role.summary[:160])}</p>"},
    }
    return json.dumps(data), f"{n:04d}_{slug}.txt"


_WRITERS = {"yaml": _yaml, "markdown": _markdown, "blog-json": _blog_json}


def main(argv: list[str] | None = None) -> int:
    """``python -m bench.corpus DIR N [--seed S]``: write a corpus and print its size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--non-roles", type=int, default=0)
    args = parser.parse_args(argv)
    docs = generate(args.folder, args.count, args.seed, args.non_roles)
    total = sum(d.size for d in docs)
    print(f"wrote {len(docs)} documents, {total / 1e6:.1f} MB, to {args.folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
