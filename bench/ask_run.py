"""One size of ``bench.bench_ask``, in a process of its own: warm-up, engine and baseline latency, memory.

``python -m bench.ask_run DB MANIFEST [--queries N] [--seed S] [--rss-questions N]`` prints one JSON
object (see :func:`run_size`); ``bench.bench_ask`` runs it once per corpus size and prints the table.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

from bench.baseline import Baseline
from bench.bench_ask import load_facts, make_queries
from bench.table import percentile
from core.store import open_store
from roles.answer.engine import AnswerEngine
from roles.index.library import RoleIndex

#: Question kinds whose right role is known (see bench_ask.make_queries), and the name each is shown with.
CHECKED = {"role+aspect": "titles", "goals": "titles", "typo": "titles",
           "free text, one role": "one document's fact", "free text, one role, typo": "one document's fact, typo"}


def rss_mb() -> float:
    """Resident memory of this process now (not its peak), in MB."""
    with open(f"/proc/{os.getpid()}/statm", encoding="ascii") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _percentiles(values: list[float]) -> dict[str, float]:
    return {"p50": percentile(values, 50), "p99": percentile(values, 99), "max": max(values)}


def _timed(func, query: str) -> tuple[object, float, float]:
    """The result, wall-clock ms and this thread's CPU ms of one call (CPU time ignores other processes)."""
    wall, cpu = time.perf_counter(), time.thread_time()
    result = func(query)
    return result, (time.perf_counter() - wall) * 1e3, (time.thread_time() - cpu) * 1e3


def _warm_up_after_an_edit(engine: AnswerEngine, docs: Path, db: Path) -> tuple[float, float]:
    """Re-save one document (a YAML comment added: no title or term changes), re-index it in another
    process, and time the first question of the new generation (wall and CPU seconds)."""
    path = min(docs.rglob("*.yaml"))
    with path.open("a", encoding="utf-8") as handle:
        handle.write("\n# re-saved by bench.ask_run\n")
    subprocess.run([sys.executable, "-m", "bot", "index", "--docs", str(docs), "--db", str(db)],
                   check=True, capture_output=True)
    wall, cpu = time.perf_counter(), time.process_time()
    engine.ask("kpis")
    return time.perf_counter() - wall, time.process_time() - cpu


def run_size(db: Path, manifest: Path, queries: int, seed: int, rss_questions: int, docs: Path | None = None) -> dict:
    """Measure one indexed corpus; see the module docstring of ``bench.bench_ask``."""
    index = RoleIndex(open_store(db))
    summaries = index.list_roles()
    titles = sorted({s.title for s in summaries})
    aliases = sorted({a for s in summaries for a in s.aliases if len(a) >= 3})
    facts = load_facts(manifest)
    mix = make_queries(titles, aliases, queries, random.Random(seed), facts, seed=seed)

    engine = AnswerEngine(index)
    wall, cpu = time.perf_counter(), time.process_time()
    engine.ask("help")
    engine.ask("kpis")  # the role list, resolver and vocabulary of this generation
    result: dict = {"roles": len(summaries), "warm_up_s": time.perf_counter() - wall,
                    "warm_up_cpu_s": time.process_time() - cpu, "rss_start_mb": rss_mb()}
    if rss_questions:
        # Before the baseline runs in this process: the memory measured is the answering engine's alone.
        steps = []
        more = make_queries(titles, aliases, rss_questions, random.Random(seed + 1), facts, seed=seed)
        for _ in range(2):
            for _kind, query, _expected in more:
                engine.ask(query)
            steps.append(rss_mb())
        result["rss_mb"] = steps
    baseline = Baseline(index.store.conn, [s.title for s in summaries])
    baseline.ask("kpis")
    times: dict[str, list[float]] = defaultdict(list)
    kinds: dict[str, int] = defaultdict(int)
    right: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for kind, query, expected in mix:
        answer, took, took_cpu = _timed(engine.ask, query)
        _, base, base_cpu = _timed(baseline.ask, query)
        for key, value in (("engine", took), ("engine_cpu", took_cpu), ("baseline", base), ("baseline_cpu", base_cpu)):
            times[key].append(value)
        kinds[answer.kind] += 1
        if expected and kind in CHECKED:
            first = answer.roles[0] if answer.roles else None
            right[CHECKED[kind]][0] += first is not None and expected in (first.title.lower(), first.source)
            right[CHECKED[kind]][1] += 1
    result.update({key: _percentiles(values) for key, values in times.items()})
    if docs is not None:
        result["rewarm_s"], result["rewarm_cpu_s"] = _warm_up_after_an_edit(engine, docs, db)
    result["kinds"], result["right_first"] = dict(kinds), dict(right)
    return result


def main(argv: list[str] | None = None) -> int:
    """Measure and print the JSON result."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("manifest", type=Path)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rss-questions", type=int, default=0)
    parser.add_argument("--docs", type=Path, help="the corpus folder: also time the warm-up after one document changes")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    print(json.dumps(run_size(args.db, args.manifest, args.queries, args.seed, args.rss_questions, args.docs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
