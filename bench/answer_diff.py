"""Every answer of the bench question mix, written out in full, and the engine's CPU per answer, beside
another revision's in the same run: a speed change must leave every answer byte-identical.

Run from the project folder::

    .venv/bin/python -m bench.answer_diff [--size 1000] [--keep DIR] [--out FILE] [--rounds 3] [--baseline REV]

It generates and indexes the ``--size``-document corpus (``bench.bench_ask.prepare``, seed 7; kept in
``--keep DIR`` and reused), then, in a fresh process per revision, answers the 2,000 questions of
``bench.bench_ask.make_queries`` (seed 7) and a few follow-up chains through the asker's conversation
memory (``roles.answer.asking``), and writes every ``Answer`` as JSON (its whole dataclass content) one
line per question. Then it times ``--rounds`` more passes over the 2,000 questions (CPU time of the
process, the first pass's caches warm). With ``--baseline REV`` the code of git revision REV does the
same on the same documents, indexed by its own code (the stored form of a role may differ between
revisions), the two processes taking turns, and the answers are compared line by line.

Prints a table; exits 1 when the answers differ. This is a script, never a timed test.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

from bench.bench_ask import load_facts, make_queries, prepare
from bench.table import print_table

REPO = Path(__file__).resolve().parents[1]
#: Follow-ups asked after a role question, each continuing from the answer before it.
FOLLOWUPS = ("and the 60 day ones?", "what about kpis", "tools?", "more", "compare with {other}",
             "and the first 90 days", "principal kpis", "skills")
CHAINS = 40


def _answers(db: Path, manifest: Path, seed: int, rounds: int, out: Path) -> list[float]:
    """Write every answer to ``out``; return the CPU seconds of each of ``rounds`` timed passes."""
    # Imported here: in a baseline run they come from that revision's source tree (PYTHONPATH).
    from core.store import open_store
    from roles.answer.asking import Asker, ask_question, remember_shown
    from roles.answer.conversation import ConversationMemory
    from roles.answer.engine import AnswerEngine
    from roles.index.library import RoleIndex

    index = RoleIndex(open_store(db))
    summaries = index.list_roles()
    titles = sorted({s.title for s in summaries})
    aliases = sorted({a for s in summaries for a in s.aliases if len(a) >= 3})
    mix = make_queries(titles, aliases, 2000, random.Random(seed), load_facts(manifest), seed=seed)
    engine = AnswerEngine(index)
    rng = random.Random(seed)
    engine.ask("kpis")  # warm-up: the role list, resolver and vocabulary of this generation
    first = 0.0
    with out.open("w", encoding="utf-8") as handle, tempfile.TemporaryDirectory() as tmp:
        for n, (_kind, query, _expected) in enumerate(mix):
            start = time.process_time()
            answer = engine.ask(query)
            first += time.process_time() - start
            handle.write(f"{n} {_line(answer)}\n")
        memory = ConversationMemory(open_store(Path(tmp) / "state.db"))
        starts = [query for kind, query, _ in mix if kind == "role+aspect"][:CHAINS]
        for n, start in enumerate(starts):
            asker = Asker(f"U{n}", "C1")
            for query in (start, *FOLLOWUPS):
                asked = ask_question(engine, memory, query.format(other=rng.choice(titles).lower()), asker=asker)
                if asked.answer is not None:
                    remember_shown(memory, asker, asked.answer, asked.page)
                shown = _line(asked.answer) if asked.answer is not None else asked.kind
                handle.write(f"chain {n} page {asked.page} {shown}\n")
    seconds = [first]
    for _ in range(rounds):
        start = time.process_time()
        for _kind, query, _expected in mix:
            engine.ask(query)
        seconds.append(time.process_time() - start)
    return seconds


def _line(answer) -> str:
    return json.dumps(asdict(answer), sort_keys=True, ensure_ascii=False, default=str)


def _run(source: Path, db: Path, manifest: Path, args: argparse.Namespace, out: Path) -> list[float]:
    """One measuring process with the code in ``source``; its CPU seconds per pass."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", str(db), str(manifest), str(out),
               "--seed", str(args.seed), "--rounds", str(args.rounds)]
    done = subprocess.run(command, cwd=source, env={**os.environ, "PYTHONPATH": str(source)},
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.splitlines()[-1])


def _index_with(source: Path, docs: Path, db: Path) -> Path:
    """``docs`` indexed into ``db`` by the code in ``source``."""
    subprocess.run([sys.executable, "-m", "bot", "index", "--docs", str(docs), "--db", str(db)], cwd=source,
                   env={**os.environ, "PYTHONPATH": str(source)}, capture_output=True, check=True)
    return db


def _versus(times: dict[str, list[float]], name: str) -> str:
    if name == "this code":
        return ""
    return f" ({statistics.median(times[name]) / statistics.median(times['this code']):.2f}x this code)"


def _differences(ours: Path, theirs: Path) -> list[int]:
    mine, other = ours.read_text(encoding="utf-8").splitlines(), theirs.read_text(encoding="utf-8").splitlines()
    differ = [n for n, (a, b) in enumerate(zip(mine, other, strict=False)) if a != b]
    return differ + list(range(min(len(mine), len(other)), max(len(mine), len(other))))


def main(argv: list[str] | None = None) -> int:
    """Write the answers, time them (beside ``--baseline``) and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000, help="corpus documents (default 1000)")
    parser.add_argument("--keep", type=Path, help="keep the corpus and its database here and reuse them")
    parser.add_argument("--out", type=Path, help="write this code's answers here (default: a temporary file)")
    parser.add_argument("--rounds", type=int, default=3, help="timed passes over the questions per process")
    parser.add_argument("--turns", type=int, default=2, help="processes per revision, taking turns")
    parser.add_argument("--baseline", metavar="REV", help="git revision whose answers and CPU to compare with")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--child", nargs=3, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    if args.child:
        print(json.dumps(_answers(*args.child[:2], args.seed, args.rounds, args.child[2])))
        return 0
    with tempfile.TemporaryDirectory(prefix="rolebot-answer-diff-") as tmp:
        base = args.keep or Path(tmp)
        base.mkdir(parents=True, exist_ok=True)
        db, manifest = prepare(args.size, args.seed, base)
        sources = {"this code": REPO}
        databases = {"this code": db}
        if args.baseline:
            from bench.bench_index import _export

            sources[args.baseline] = _export(args.baseline, Path(tmp) / "baseline")
            databases[args.baseline] = _index_with(sources[args.baseline], db.parent / f"docs{args.size}",
                                                   Path(tmp) / "baseline.db")
        outs = {name: (args.out if name == "this code" and args.out else Path(tmp) / f"answers-{i}.txt")
                for i, name in enumerate(sources)}
        firsts: dict[str, list[float]] = {name: [] for name in sources}
        repeats: dict[str, list[float]] = {name: [] for name in sources}
        for _ in range(args.turns):
            for name, source in sources.items():
                first, *more = _run(source, databases[name], manifest, args, outs[name])
                firsts[name].append(first)
                repeats[name] += more
        print(f"{args.size} documents, 2,000 questions per pass, {args.turns} processes per revision taking turns, "
              f"load average {os.getloadavg()[0]:.1f}; CPU ms per answer, median over the processes / passes")
        rows = [("", "first pass after warm-up", f"{args.rounds} passes more (caches warm)")]
        for name in sources:
            rows.append((name, *(f"{statistics.median(times[name]) / 2:.3f}" + _versus(times, name)
                                 for times in (firsts, repeats) if times[name])))
        print_table("", rows)
        if args.out:
            print(f"answers of this code: {args.out}")
        if args.baseline:
            differ = _differences(outs["this code"], outs[args.baseline])
            print(f"answers identical to {args.baseline}: " + ("yes" if not differ else f"NO, {len(differ)} lines differ, "
                  f"first at line {differ[0] + 1}"))
            return 1 if differ else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
