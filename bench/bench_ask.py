"""Benchmark of the answer engine: ``AnswerEngine.ask`` latency in-process and resident memory.

Run from the project folder::

    .venv/bin/python -m bench.bench_ask [--docs 1000] [--queries 3000] [--seed 7]

Generates the corpus with :mod:`bench.corpus` (tens of thousands of distinct terms, Zipf-distributed, and
facts that only one document states), indexes it into a fresh database file, then times a mix of
queries (see ``MIX``: role + aspect with typos and abbreviations, goal horizons, free-text questions
about one document's facts, with and without a typo, free text of the corpus's domain words and of its
stock phrases, KPI look-ups, compares, lists, help, no-match and over-long questions) through one
engine, each query timed on its own. Also counts the questions whose right role came first: a role of
the title asked about, or the one document that states the fact asked about. With ``--baseline DIR`` (a checkout of
older code, e.g. ``git archive REV | tar -x -C DIR``) the same questions are answered by that code on the
same index in a child process first, and its wall and CPU times are printed beside this code's.
Prints a table; exits 1
when a target is missed (p50 < 5 ms, p99 < 20 ms, peak RSS < 200 MB). This is a script, never a timed test.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from bench import corpus
from core.store import open_store
from roles.answer.engine import AnswerEngine
from roles.index.library import RoleIndex

PROJECT = Path(__file__).resolve().parents[1]
P50_MS = 5.0
P99_MS = 20.0
MAX_RSS_MB = 200.0

ASPECT_WORDS = ("kpis", "metrics", "responsibilities", "day to day", "tools", "skills", "career path",
                "stakeholders", "what comes after", "red flags", "how is it measured", "deliverables")
HORIZONS = ("30-day goals", "first month", "60 day goals", "first 90 days", "3 months")
QUESTIONS = ("who {verb}s {object}", "which role {verb}s {object}", "who is responsible for {object}")
#: Questions about something one document alone states (bench.corpus facts): its role is the right answer.
FACT_QUESTIONS = ("who {verb} {thing}", "which role {verb} {thing}", "who is responsible for {thing}",
                  "{bare}", "who {verb} {word}", "{word} {last}")
#: Questions made of the corpus's made-up words, common or rare as the Zipf law draws them.
DOMAIN_QUESTIONS = ("who works on the {word} {noun}", "which role handles the {word} {noun}", "who uses {tool}",
                    "{word} {word2} {noun}", "who owns the {acronym} {noun}", "{tool} {noun} {word}")
KPI_QUESTIONS = ("target for {metric}", "which roles track {metric}", "how often is {metric} measured")
NO_MATCH = ("parental leave policy", "what's the weather in paris", "cosmetic hospitals", "lunch menu friday")
#: One cycle of the question mix (20 questions); the last slot alternates help/list and over-long questions.
MIX = (("role+aspect",) * 5 + ("goals",) * 3 + ("typo",) * 2 + ("abbreviation",)
       + ("free text, one role", "free text, one role, typo", "free text, domain words", "free text, generic")
       + ("kpi look-up",) * 2 + ("compare", "no match", "help/list or long"))


@dataclass(frozen=True)
class Fact:
    """Something only one generated document states, and that document's path."""

    path: str
    verb: str
    thing: str  # "the kelvarix reconciliation pipeline"


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 6:
        return word
    i = rng.randrange(1, len(word) - 2)
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


def load_facts(manifest: Path) -> list[Fact]:
    """The facts of a corpus manifest (``python -m bench.corpus … --manifest FILE``)."""
    docs = json.loads(manifest.read_text(encoding="utf-8"))
    return [Fact(d["path"], verb, thing) for d in docs for verb, thing in d.get("facts", [])]


def _fact_question(fact: Fact, rng: random.Random, typo: bool) -> str:
    words = fact.thing.split()
    word = words[1]  # the document's own word: "the <word> reconciliation pipeline"
    if typo:
        word = _typo(word, rng)
        words[1] = word
    return rng.choice(FACT_QUESTIONS).format(verb=fact.verb, thing=" ".join(words), bare=" ".join(words[1:]),
                                             word=word, last=words[-1])


def _domain_question(lexicon: corpus.Lexicon, rng: random.Random) -> str:
    return rng.choice(DOMAIN_QUESTIONS).format(
        word=lexicon.word(rng), word2=lexicon.word(rng), noun=rng.choice(corpus._NOUNS),
        tool=lexicon.tool(rng).lower(), acronym=lexicon.acronym(rng),
    )


def make_queries(
    titles: list[str], aliases: list[str], count: int, rng: random.Random,
    facts: list[Fact] | None = None, seed: int = 7,
) -> list[tuple[str, str, str]]:
    """``count`` (kind, query, expected) triples in a fixed mix (see ``MIX``).

    ``expected`` is the title asked about (lower case) for questions built from a title, the source path
    of the one right role for questions built from one of ``facts``, or "". Without ``facts`` the
    one-role free-text slots get domain-word questions. ``seed`` must be the corpus's, for its lexicon.
    """
    lexicon = corpus.Lexicon(seed)
    out = []
    for n in range(count):
        title = rng.choice(titles).lower()
        kind = MIX[n % len(MIX)]
        if kind == "help/list or long":
            kind = "help/list" if (n // len(MIX)) % 2 == 0 else "long"
        if kind.startswith("free text, one role") and not facts:
            kind = "free text, domain words"
        if kind == "role+aspect":
            out.append((kind, f"{title} {rng.choice(ASPECT_WORDS)}", title))
        elif kind == "goals":
            out.append((kind, f"what should a {title} do in the {rng.choice(HORIZONS)}", title))
        elif kind == "typo":
            typo = " ".join(_typo(w, rng) for w in title.split())
            out.append((kind, f"{typo} {rng.choice(ASPECT_WORDS)}", title))
        elif kind == "abbreviation":
            alias = rng.choice(aliases) if aliases else title
            out.append((kind, f"{alias.lower()} {rng.choice(HORIZONS)}", ""))
        elif kind.startswith("free text, one role"):
            fact = rng.choice(facts)
            out.append((kind, _fact_question(fact, rng, typo=kind.endswith("typo")), fact.path))
        elif kind == "free text, domain words":
            out.append((kind, _domain_question(lexicon, rng), ""))
        elif kind == "free text, generic":
            question = rng.choice(QUESTIONS).format(verb=rng.choice(corpus._VERBS), object=rng.choice(corpus._OBJECTS))
            out.append((kind, question, ""))
        elif kind == "kpi look-up":
            metric = rng.choice(corpus._METRICS).lower()
            out.append((kind, rng.choice(KPI_QUESTIONS).format(metric=metric), ""))
        elif kind == "compare":
            out.append((kind, f"compare {title} vs {rng.choice(titles).lower()} kpis", ""))
        elif kind == "no match":
            out.append((kind, rng.choice(NO_MATCH), ""))
        elif kind == "help/list":
            out.append((kind, rng.choice(("help", "", "roles")), ""))
        else:
            out.append((kind, f"{title} kpis " + "and also " * 500, ""))
    return out


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


#: Run in the baseline checkout: answers the questions of a JSON file, prints wall and CPU times (ms).
_BASELINE_RUNNER = """
import json, logging, sys, time
logging.basicConfig(level=logging.ERROR)
from roles.answer.engine import AnswerEngine
from roles.index.library import RoleIndex
from core.store import open_store
engine = AnswerEngine(RoleIndex(open_store(sys.argv[1])))
engine.ask("help"); engine.ask("kpis")
wall, cpu = [], []
for query in json.load(open(sys.argv[2])):
    start, start_cpu = time.perf_counter(), time.process_time()
    engine.ask(query)
    wall.append((time.perf_counter() - start) * 1e3); cpu.append((time.process_time() - start_cpu) * 1e3)
print(json.dumps({"wall": wall, "cpu": cpu}))
"""


def _baseline_timings(checkout: Path, db: Path, queries: list[str], tmp: Path) -> dict[str, list[float]]:
    """Wall and CPU time of each question answered by the baseline code (a child process run in it)."""
    questions = tmp / "questions.json"
    questions.write_text(json.dumps(queries), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(checkout.resolve())}
    done = subprocess.run([sys.executable, "-c", _BASELINE_RUNNER, str(db), str(questions)], check=True,
                          capture_output=True, text=True, cwd=checkout, env=env)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _summary(values: list[float]) -> str:
    return f"p50 {statistics.median(values):.2f} ms, p95 {_percentile(values, 95):.2f} ms, p99 {_percentile(values, 99):.2f} ms"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table; return 1 if a target is missed."""
    parser = argparse.ArgumentParser(description="Benchmark the answer engine.")
    parser.add_argument("--docs", type=int, default=1000, help="number of generated documents (default 1000)")
    parser.add_argument("--queries", type=int, default=3000, help="number of timed queries (default 3000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--misses", type=int, default=0, help="also print up to N questions whose right role was not first")
    parser.add_argument("--baseline", type=Path, default=None,
                        help="a checkout of the code to compare with (e.g. from `git archive REV`): it answers the "
                             "same questions on the same index in a child process, in turns with this code")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    rng = random.Random(args.seed)
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="rolebot-bench-ask-") as tmp:
        folder, db, manifest = Path(tmp) / "docs", Path(tmp) / "bench.db", Path(tmp) / "manifest.json"
        # Generate and index in child processes: the RSS measured below is that of a process that
        # only answers questions, as the Slack app does (indexing runs as its own command).
        started = time.perf_counter()
        for command in (["-m", "bench.corpus", str(folder), str(args.docs), "--seed", str(args.seed),
                         "--manifest", str(manifest)],
                        ["-m", "bot", "index", "--docs", str(folder), "--db", str(db)]):
            subprocess.run([sys.executable, *command], check=True, capture_output=True, cwd=PROJECT)
        index = RoleIndex(open_store(db))
        summaries = index.list_roles()
        titles = sorted({s.title for s in summaries})
        aliases = sorted({a for s in summaries for a in s.aliases if len(a) >= 3})
        queries = make_queries(titles, aliases, args.queries, rng, load_facts(manifest), seed=args.seed)

        engine = AnswerEngine(index)
        started_engine = time.perf_counter()
        engine.ask("help")
        engine.ask("kpis")  # loads the role list, resolver and vocabulary once
        warm_up = time.perf_counter() - started_engine
        rows.append(("corpus", f"{args.docs} documents, {len(summaries)} roles, {len(index.vocabulary())} distinct terms",
                     f"generated and indexed in {started_engine - started:.1f} s (child processes)"))
        rows.append(("engine warm-up", f"{warm_up * 1e3:.0f} ms",
                     "role list, resolver, vocabulary (once per index generation)"))

        baseline: dict[str, list[float]] = {"wall": [], "cpu": []}
        if args.baseline is not None:
            baseline = _baseline_timings(args.baseline, db, [q for _, q, _ in queries], Path(tmp))
        timings: list[float] = []
        cpu: list[float] = []
        by_kind: dict[str, list[float]] = defaultdict(list)
        kinds: dict[str, int] = defaultdict(int)
        right: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # kind -> [right first, asked]
        misses: list[str] = []
        for kind, query, expected in queries:
            start, start_cpu = time.perf_counter(), time.process_time()
            answer = engine.ask(query)
            took = (time.perf_counter() - start) * 1e3
            cpu.append((time.process_time() - start_cpu) * 1e3)
            timings.append(took)
            by_kind[kind].append(took)
            kinds[answer.kind] += 1
            if expected:
                # Built from one title (a role of that title must come first) or from one document's
                # fact (that very document's role must come first).
                first = answer.roles[0] if answer.roles else None
                hit = first is not None and expected in (first.title.lower(), first.source)
                right[kind][0] += hit
                right[kind][1] += 1
                if not hit and len(misses) < args.misses:
                    misses.append(f"{kind}: {query!r} -> {answer.kind} {first.title + ' ' + first.source if first else '-'}"
                                  f" (expected {expected})")
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    p50, p99 = statistics.median(timings), _percentile(timings, 99)
    ok = p50 < P50_MS and p99 < P99_MS and rss_mb < MAX_RSS_MB
    rows.append(("ask, all queries", f"p50 {p50:.2f} ms, p95 {_percentile(timings, 95):.2f} ms, p99 {p99:.2f} ms",
                 f"{'ok' if p50 < P50_MS and p99 < P99_MS else 'MISSED'} (target p50 < {P50_MS:.0f} ms, "
                 f"p99 < {P99_MS:.0f} ms; {len(timings)} queries, max {max(timings):.1f} ms)"))
    rows.append(("  CPU time of each ask", _summary(cpu), "less disturbed by other work on the machine than wall time"))
    if baseline["wall"]:
        rows.append(("baseline: ask, all queries", _summary(baseline["wall"]), f"{args.baseline} (same questions, same index)"))
        rows.append(("  baseline CPU time", _summary(baseline["cpu"]),
                     f"this code / baseline: p50 x{statistics.median(cpu) / statistics.median(baseline['cpu']):.2f}, "
                     f"p99 x{_percentile(cpu, 99) / _percentile(baseline['cpu'], 99):.2f}"))
    free = [t for kind, values in by_kind.items() if kind.startswith("free text") for t in values]
    if free:
        by_kind["free text (all kinds)"] = free
    for kind, values in sorted(by_kind.items()):
        rows.append((f"  {kind}", f"p50 {statistics.median(values):.2f} ms, p99 {_percentile(values, 99):.2f} ms",
                     f"{len(values)} queries, max {max(values):.1f} ms"))
    titled = [right[k] for k in ("role+aspect", "goals", "typo")]
    hits, asked = sum(r[0] for r in titled), sum(r[1] for r in titled)
    rows.append(("right role first, titles", f"{hits}/{asked} ({100 * hits / max(1, asked):.1f}%)",
                 "role+aspect, goal and typo questions (each built from one title)"))
    for kind in ("free text, one role", "free text, one role, typo"):
        hits, asked = right[kind]
        rows.append((f"right role first, {kind[11:]}", f"{hits}/{asked} ({100 * hits / max(1, asked):.1f}%)",
                     "free text about something only one document states" + (", a typo in its word" if "typo" in kind else "")))
    rows.append(("answer kinds", ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())), ""))
    rows.append(("peak RSS", f"{rss_mb:.0f} MB", f"{'ok' if rss_mb < MAX_RSS_MB else 'MISSED'} "
                 f"(target < {MAX_RSS_MB:.0f} MB; the answering process)"))
    print(f"rolebot ask benchmark (seed {args.seed}, load average {os.getloadavg()[0]:.1f})")
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    for miss in misses:
        print(f"miss: {miss}")
    print("all targets met" if ok else "A TARGET WAS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
