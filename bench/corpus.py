"""A synthetic corpus of role documents for benchmarks: N files in mixed formats, deterministic by seed.

Formats, in rotation: rolebot's native YAML, Markdown (``##`` sections, bullet lists, a KPI pipe table,
``###`` goal horizons) and a blog platform's REST export (JSON whose ``content.rendered`` is HTML with
numbered ``h2`` sections, ``h3`` sub-sections, lists and a KPI table; saved as ``.txt`` like the real
exports). Each document is 5-80 KB, has a varied title, a KPI table and 30/60/90-day goals with success
indicators. The text is generated, not copied from anywhere.

The vocabulary is that of a real organisation's documents rather than a few hundred stock words: a
:class:`Lexicon` of made-up but pronounceable domain words, tool names and acronyms (tens of thousands of
distinct terms), drawn with a Zipf law, so a few are everywhere and most are rare. Each document also has
its own topic words, and a few :attr:`CorpusDoc.facts` that only it states ("Owns the kelvarix
reconciliation pipeline"), so a benchmark can ask free-text questions whose right role is known.

Usage::

    from bench.corpus import generate
    docs = generate(Path("/tmp/corpus"), 1000, seed=7)   # -> list[CorpusDoc]

or ``python -m bench.corpus DIR N [--seed S] [--manifest FILE]`` (the manifest is every CorpusDoc as JSON).
"""

from __future__ import annotations

import argparse
import html
import itertools
import json
import random
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

from roles.answer.vocabulary import STOPWORDS, SYNONYMS

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
#: Plain nouns that a made-up word qualifies ("the kelvaro ledger"); none is a word of a role title.
_NOUNS = (
    "pipeline", "service", "dashboard", "rollout", "migration", "backlog", "runbook", "forecast", "contract",
    "review", "playbook", "roadmap", "workflow", "audit", "dataset", "schema", "programme", "launch", "pilot",
    "budget", "ledger", "queue", "cluster", "catalogue", "portal", "report", "policy", "pricing", "handbook",
    "sandbox", "gateway", "scorecard", "cutover", "backfill", "taxonomy", "exporter", "connector", "quota",
)
#: What one document alone owns: "<verb> the <its own word> <thing>" (see CorpusDoc.facts).
_FACT_VERBS = ("owns", "runs", "maintains", "leads", "manages", "coordinates", "is accountable for")
_FACT_THINGS = (
    "reconciliation pipeline", "vendor onboarding", "pricing experiment", "consent flow", "ledger migration",
    "partner programme", "audit trail", "release train", "feature store", "schema registry", "capacity review",
    "escalation rota", "cost allocation", "churn forecast", "returns workflow", "tax engine", "fraud rules",
    "access review", "quarterly close", "content calendar", "localisation backlog", "warranty claims process",
)

#: Sizes of the lexicon: made-up domain words, tool names and acronyms.
LEXICON_WORDS = 40_000
LEXICON_TOOLS = 6_000
LEXICON_ACRONYMS = 3_000
#: Exponent of the Zipf law over each part of the lexicon (1.0 is the classic law of word frequencies).
ZIPF_EXPONENT = 1.05
#: Share of a document's made-up words taken from its own topic words: a document is about something.
TOPIC_SHARE = 0.35
FACTS_PER_DOC = (3, 6)

_ONSETS = ("b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z", "br",
           "cr", "dr", "fr", "gr", "kr", "pr", "tr", "bl", "cl", "fl", "gl", "pl", "sl", "st", "sk", "sp",
           "sh", "ch", "th", "qu", "vr")
_NUCLEI = ("a", "e", "i", "o", "u", "a", "o", "i", "ai", "au", "ea", "ei", "ia", "io", "ou", "oa")
_CODAS = ("", "", "n", "r", "s", "l", "x", "k", "m", "t", "nd", "rk", "st", "sh", "th", "ng", "ck")
#: Codas that the porter stemmer leaves alone: a fact's word then stays one term of its own.
_FACT_CODAS = ("x", "rk", "sk", "nd", "mb")
_TOOL_SUFFIXES = ("", "", "", "ix", "ly", "io", "Hub", "Flow", "DB", "OS", "Ops", "Stack", "Cloud", "Desk")


@dataclass
class CorpusDoc:
    """What was generated for one file, so a benchmark can check the index against it."""

    path: str
    format: str
    title: str
    kpis: int
    goals: dict[int, int] = field(default_factory=dict)
    size: int = 0
    #: (verb, object) pairs only this document states, e.g. ("owns", "the kelvarix reconciliation pipeline").
    facts: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class _Role:
    title: str
    abbreviation: str
    summary: str
    sections: list[tuple[str, list[tuple[str, str]]]]  # heading -> [(label, text)]
    kpis: list[dict[str, str]]
    goals: list[tuple[int, list[str], list[str]]]  # (days, items, success indicators)
    facts: list[tuple[str, str]] = field(default_factory=list)


def _words_of(texts) -> set[str]:
    return {w for text in texts for w in "".join(c if c.isalnum() else " " for c in text.lower()).split()}


class Lexicon:
    """A made-up vocabulary ranked by frequency: domain words, tool names and acronyms.

    ``word`` / ``tool`` / ``acronym`` draw one with a Zipf law (rank r has weight 1 / r^s), so the
    first few hundred are in most documents and the tail is rare, as in real text. ``fresh`` coins a
    word used nowhere else. Words never equal a word of the stock phrases, titles or stop words.
    """

    def __init__(self, seed: int = 0):
        self._rng = random.Random(f"lexicon-{seed}")
        self._taken = _words_of(_SENIORITY + _DOMAINS + _FUNCTIONS + _VERBS + _OBJECTS + _QUALIFIERS + _METRICS
                                + _TOOLS + _SECTIONS + _NOUNS + _FACT_VERBS + _FACT_THINGS)
        self._taken |= STOPWORDS | {w for s in SYNONYMS for w in s.words}
        self.words = [self._coin() for _ in range(LEXICON_WORDS)]
        self.tools = [self._tool() for _ in range(LEXICON_TOOLS)]
        self.acronyms = [self._acronym() for _ in range(LEXICON_ACRONYMS)]
        self._cum = {n: list(itertools.accumulate(1.0 / r ** ZIPF_EXPONENT for r in range(1, n + 1)))
                     for n in {len(self.words), len(self.tools), len(self.acronyms)}}

    def word(self, rng: random.Random) -> str:
        """A domain word ("kelvaro"), Zipf-distributed."""
        return rng.choices(self.words, cum_weights=self._cum[len(self.words)])[0]

    def tool(self, rng: random.Random) -> str:
        """A tool or product name ("Travonix", "KelvaHub"), Zipf-distributed."""
        return rng.choices(self.tools, cum_weights=self._cum[len(self.tools)])[0]

    def acronym(self, rng: random.Random) -> str:
        """An acronym ("QTR"), Zipf-distributed."""
        return rng.choices(self.acronyms, cum_weights=self._cum[len(self.acronyms)])[0]

    def fresh(self) -> str:
        """A word that no other draw or ``fresh`` call gives, and that stems to itself."""
        return self._coin(codas=_FACT_CODAS)

    def _coin(self, codas: tuple[str, ...] = _CODAS) -> str:
        rng = self._rng
        while True:
            syllables = rng.choice((2, 2, 2, 3))
            word = "".join(rng.choice(_ONSETS) + rng.choice(_NUCLEI) for _ in range(syllables)) + rng.choice(codas)
            if len(word) >= 5 and word not in self._taken:
                self._taken.add(word)
                return word

    def _tool(self) -> str:
        rng = self._rng
        while True:
            name = self._coin().capitalize() + rng.choice(_TOOL_SUFFIXES)
            if name.lower() not in self._taken:
                self._taken.add(name.lower())
                return name

    def _acronym(self) -> str:
        rng = self._rng
        letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        while True:
            name = "".join(rng.choice(letters) for _ in range(rng.choice((3, 3, 4))))
            # Never a role's initials ("SPE"): an acronym in a question must not name a role.
            if name.lower() not in self._taken and not set(name) <= set("SPLAJDCMGIEROBNTW"):
                self._taken.add(name.lower())
                return name


@dataclass
class _Words:
    """Where one document's made-up words come from: its own topic words or the whole lexicon."""

    lexicon: Lexicon
    topic: list[str]
    tools: list[str]

    def word(self, rng: random.Random) -> str:
        return rng.choice(self.topic) if rng.random() < TOPIC_SHARE else self.lexicon.word(rng)

    def tool(self, rng: random.Random) -> str:
        return rng.choice(self.tools) if rng.random() < TOPIC_SHARE else self.lexicon.tool(rng)


def generate(folder: Path, count: int, seed: int = 0, non_roles: int = 0) -> list[CorpusDoc]:
    """Write ``count`` role documents (and ``non_roles`` README/LICENSE-like files) into ``folder``."""
    rng = random.Random(seed)
    lexicon = Lexicon(seed)
    folder.mkdir(parents=True, exist_ok=True)
    docs = []
    for n in range(count):
        fmt = FORMATS[n % len(FORMATS)]
        role = _role(rng, _document_words(rng, lexicon), target_size=int(rng.uniform(6_000, 76_000) * _SIZE_FACTOR[fmt]))
        text, name = _WRITERS[fmt](role, n, rng)
        path = folder / f"team{n % 10}" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        path.write_bytes(data)
        goals = {days: len(items) for days, items, _ in role.goals}
        docs.append(CorpusDoc(path.relative_to(folder).as_posix(), fmt, role.title, len(role.kpis), goals, len(data),
                              role.facts))
    for n in range(non_roles):
        (folder / f"NOTES-{n}.md").write_text(
            f"# Changelog {n}\n\n## 1.{n}.0\n\n- Fixed typos in the ladder.\n- Added a section on hiring.\n",
            encoding="utf-8",
        )
    return docs


def _document_words(rng: random.Random, lexicon: Lexicon) -> _Words:
    # Topic words: some common ones (Zipf draws) and some from anywhere in the tail (uniform draws).
    topic = [lexicon.word(rng) for _ in range(rng.randint(10, 30))]
    topic += [rng.choice(lexicon.words) for _ in range(rng.randint(10, 30))]
    tools = [lexicon.tool(rng) for _ in range(rng.randint(3, 8))]
    return _Words(lexicon, topic, tools)


def _sentence(rng: random.Random, words: _Words) -> str:
    form = rng.random()
    verb = rng.choice(_VERBS).capitalize()
    if form < 0.3:
        return f"{verb} {rng.choice(_OBJECTS)} {rng.choice(_QUALIFIERS)}."
    if form < 0.65:
        return f"{verb} the {words.word(rng)} {rng.choice(_NOUNS)} {rng.choice(_QUALIFIERS)}."
    if form < 0.85:
        return f"{verb} {rng.choice(_OBJECTS)} for the {words.word(rng)} {rng.choice(_NOUNS)} in {words.tool(rng)}."
    return (f"{verb} the {words.word(rng)} {words.word(rng)} {rng.choice(_NOUNS)} with the "
            f"{words.lexicon.acronym(rng)} team {rng.choice(_QUALIFIERS)}.")


def _paragraph(rng: random.Random, words: _Words, sentences: int) -> str:
    return " ".join(_sentence(rng, words) for _ in range(sentences))


def _role(rng: random.Random, words: _Words, target_size: int) -> _Role:
    seniority, domain, function = rng.choice(_SENIORITY), rng.choice(_DOMAINS), rng.choice(_FUNCTIONS)
    title = f"{seniority}{domain} {function}"
    abbreviation = "".join(w[0] for w in title.split() if w[0].isupper())
    kpis = [
        {
            "name": metric,
            "measures": _sentence(rng, words).rstrip("."),
            "why": _sentence(rng, words).rstrip("."),
            "target": rng.choice(_TARGETS),
            "frequency": rng.choice(_FREQUENCIES),
        }
        for metric in rng.sample(_METRICS, rng.randint(5, 12))
    ]
    goals = [
        (days, [_sentence(rng, words) for _ in range(rng.randint(3, 6))],
         [_sentence(rng, words) for _ in range(rng.randint(1, 3))])
        for days in (30, 60, 90)
    ]
    sections: list[tuple[str, list[tuple[str, str]]]] = []
    size = 2_000 + sum(len(json.dumps(k)) for k in kpis) + sum(len(" ".join(g[1] + g[2])) for g in goals)
    headings = list(_SECTIONS)
    rng.shuffle(headings)
    # Grow the role until the document reaches its target size: real blueprints vary from 5 to 80 KB.
    while size < target_size or not sections:
        heading = headings[len(sections) % len(headings)]
        if len(sections) >= len(headings):
            heading = f"{heading} ({len(sections) // len(headings) + 1})"
        items = [(f"{_label_tool(rng, words)} {rng.choice(('literacy', 'ownership', 'practice'))}" if rng.random() < 0.3 else "",
                  _paragraph(rng, words, rng.randint(1, 4))) for _ in range(rng.randint(6, 20))]
        sections.append((heading, items))
        size += sum(len(label) + len(text) + 12 for label, text in items) + len(heading) + 20
    # What only this role does: one item each, in any of its sections.
    facts = [(rng.choice(_FACT_VERBS), f"the {words.lexicon.fresh()} {rng.choice(_FACT_THINGS)}")
             for _ in range(rng.randint(*FACTS_PER_DOC))]
    for verb, thing in facts:
        items = rng.choice(sections)[1]
        items.insert(rng.randrange(len(items) + 1), ("", f"{verb[0].upper()}{verb[1:]} {thing} {rng.choice(_QUALIFIERS)}."))
    return _Role(title, abbreviation, _paragraph(rng, words, 4), sections, kpis, goals, facts)


def _label_tool(rng: random.Random, words: _Words) -> str:
    return rng.choice(_TOOLS) if rng.random() < 0.3 else words.tool(rng)


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
    """``python -m bench.corpus DIR N [--seed S] [--manifest FILE]``: write a corpus and print its size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--non-roles", type=int, default=0)
    parser.add_argument("--manifest", type=Path, help="also write every generated document's CorpusDoc here (JSON)")
    args = parser.parse_args(argv)
    docs = generate(args.folder, args.count, args.seed, args.non_roles)
    if args.manifest:
        args.manifest.write_text(json.dumps([asdict(d) for d in docs]), encoding="utf-8")
    total = sum(d.size for d in docs)
    print(f"wrote {len(docs)} documents, {total / 1e6:.1f} MB, to {args.folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
