"""Benchmark of the answer engine: ``AnswerEngine.ask`` latency in-process and resident memory.

Run from the project folder::

    .venv/bin/python -m bench.bench_ask [--docs 1000] [--queries 3000] [--seed 7]

Generates the corpus with :mod:`bench.corpus`, indexes it into a fresh database file, then times a mix
of queries (role + aspect with typos and abbreviations, goal horizons, free-text questions, KPI
look-ups, compares, lists, help, no-match and over-long questions) through one engine, each query
timed on its own. Prints a table; exits 1 when a target is missed (p50 < 5 ms, p99 < 20 ms, peak RSS
< 200 MB). This is a script, never a timed test.
"""

from __future__ import annotations

import argparse
import logging
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from bench import corpus
from roles.engine import AnswerEngine
from roles.index import RoleIndex
from roles.store import open_store

PROJECT = Path(__file__).resolve().parents[1]
P50_MS = 5.0
P99_MS = 20.0
MAX_RSS_MB = 200.0

ASPECT_WORDS = ("kpis", "metrics", "responsibilities", "day to day", "tools", "skills", "career path",
                "stakeholders", "what comes after", "red flags", "how is it measured", "deliverables")
HORIZONS = ("30-day goals", "first month", "60 day goals", "first 90 days", "3 months")
QUESTIONS = ("who {verb}s {object}", "which role {verb}s {object}", "who is responsible for {object}")
KPI_QUESTIONS = ("target for {metric}", "which roles track {metric}", "how often is {metric} measured")
NO_MATCH = ("parental leave policy", "what's the weather in paris", "cosmetic hospitals", "lunch menu friday")


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 6:
        return word
    i = rng.randrange(1, len(word) - 2)
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


def make_queries(
    titles: list[str], aliases: list[str], count: int, rng: random.Random
) -> list[tuple[str, str, str]]:
    """``count`` (kind, query, title asked about or "") triples in a fixed mix."""
    out = []
    for n in range(count):
        title = rng.choice(titles).lower()
        slot = n % 20
        if slot < 6:
            out.append(("role+aspect", f"{title} {rng.choice(ASPECT_WORDS)}", title))
        elif slot < 9:
            out.append(("goals", f"what should a {title} do in the {rng.choice(HORIZONS)}", title))
        elif slot < 11:
            typo = " ".join(_typo(w, rng) for w in title.split())
            out.append(("typo", f"{typo} {rng.choice(ASPECT_WORDS)}", title))
        elif slot < 12:
            alias = rng.choice(aliases) if aliases else title
            out.append(("abbreviation", f"{alias.lower()} {rng.choice(HORIZONS)}", ""))
        elif slot < 14:
            question = rng.choice(QUESTIONS).format(verb=rng.choice(corpus._VERBS), object=rng.choice(corpus._OBJECTS))
            out.append(("free text", question, ""))
        elif slot < 16:
            metric = rng.choice(corpus._METRICS).lower()
            out.append(("kpi look-up", rng.choice(KPI_QUESTIONS).format(metric=metric), ""))
        elif slot < 17:
            out.append(("compare", f"compare {title} vs {rng.choice(titles).lower()} kpis", ""))
        elif slot < 18:
            out.append(("no match", rng.choice(NO_MATCH), ""))
        elif slot < 19:
            out.append(("help/list", rng.choice(("help", "", "roles")), ""))
        else:
            out.append(("long", f"{title} kpis " + "and also " * 500, ""))
    return out


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table; return 1 if a target is missed."""
    parser = argparse.ArgumentParser(description="Benchmark the answer engine.")
    parser.add_argument("--docs", type=int, default=1000, help="number of generated documents (default 1000)")
    parser.add_argument("--queries", type=int, default=3000, help="number of timed queries (default 3000)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    rng = random.Random(args.seed)
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="rolebot-bench-ask-") as tmp:
        folder, db = Path(tmp) / "docs", Path(tmp) / "bench.db"
        # Generate and index in child processes: the RSS measured below is that of a process that
        # only answers questions, as the Slack app does (indexing runs as its own command).
        started = time.perf_counter()
        for command in (["-m", "bench.corpus", str(folder), str(args.docs), "--seed", str(args.seed)],
                        ["-m", "bot", "index", "--docs", str(folder), "--db", str(db)]):
            subprocess.run([sys.executable, *command], check=True, capture_output=True, cwd=PROJECT)
        index = RoleIndex(open_store(db))
        rows.append(("corpus", f"{args.docs} documents, {len(index.list_roles())} roles indexed",
                     f"generated and indexed in {time.perf_counter() - started:.1f} s (child processes)"))
        summaries = index.list_roles()
        titles = sorted({s.title for s in summaries})
        aliases = sorted({a for s in summaries for a in s.aliases if len(a) >= 3})
        queries = make_queries(titles, aliases, args.queries, rng)

        engine = AnswerEngine(index)
        started = time.perf_counter()
        engine.ask("help")
        engine.ask("kpis")  # loads the role list, resolver and vocabulary once
        rows.append(("engine warm-up", f"{(time.perf_counter() - started) * 1e3:.0f} ms",
                     "role list, resolver, vocabulary (once per index generation)"))

        timings: list[float] = []
        by_kind: dict[str, list[float]] = defaultdict(list)
        kinds: dict[str, int] = defaultdict(int)
        named, right = 0, 0
        for kind, query, asked in queries:
            start = time.perf_counter()
            answer = engine.ask(query)
            took = (time.perf_counter() - start) * 1e3
            timings.append(took)
            by_kind[kind].append(took)
            kinds[answer.kind] += 1
            if asked:
                # The query was built from one title: did the answer put a role of that title first?
                named += 1
                right += bool(answer.roles) and answer.roles[0].title.lower() == asked
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    p50, p99 = statistics.median(timings), _percentile(timings, 99)
    ok = p50 < P50_MS and p99 < P99_MS and rss_mb < MAX_RSS_MB
    rows.append(("ask, all queries", f"p50 {p50:.2f} ms, p95 {_percentile(timings, 95):.2f} ms, p99 {p99:.2f} ms",
                 f"{'ok' if p50 < P50_MS and p99 < P99_MS else 'MISSED'} (target p50 < {P50_MS:.0f} ms, "
                 f"p99 < {P99_MS:.0f} ms; {len(timings)} queries, max {max(timings):.1f} ms)"))
    for kind, values in sorted(by_kind.items()):
        rows.append((f"  {kind}", f"p50 {statistics.median(values):.2f} ms, p99 {_percentile(values, 99):.2f} ms",
                     f"{len(values)} queries"))
    rows.append(("right role first", f"{right}/{named} ({100 * right / max(1, named):.1f}%)",
                 "role+aspect, goal and typo questions (each built from one title)"))
    rows.append(("answer kinds", ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())), ""))
    rows.append(("peak RSS", f"{rss_mb:.0f} MB", f"{'ok' if rss_mb < MAX_RSS_MB else 'MISSED'} "
                 f"(target < {MAX_RSS_MB:.0f} MB; the answering process)"))
    print(f"rolebot ask benchmark (seed {args.seed})")
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    print("all targets met" if ok else "A TARGET WAS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
