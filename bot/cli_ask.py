"""CLI command ``ask``: answer ``/role`` questions from the index, as text or JSON (one object per line).

``rolebot ask --db FILE QUERY...`` prints the answer text; ``--json`` prints ``Answer.to_json()``.
With ``-`` as the query it reads one query per line from stdin and writes one line per answer (JSON
with ``--json``), which is how the evaluation scorer drives the engine. No Slack imports on this path.
"""

from __future__ import annotations

import argparse
import json
import sys

from bot.cli_common import add_db_option, settings_of


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Register this module's commands."""
    ask = subparsers.add_parser(
        "ask",
        help="answer a /role question from the index",
        description="Answer a /role question. Use '-' to read one question per line from stdin.",
    )
    ask.add_argument("query", metavar="QUERY", nargs="*", help="the question, or '-' for one per stdin line")
    add_db_option(ask)
    ask.add_argument("--json", action="store_true", help="print Answer JSON (one object per line)")
    ask.set_defaults(func=run_ask)


def _engine(args: argparse.Namespace):
    from core.store import open_store
    from roles.answer.engine import AnswerEngine
    from roles.index.library import RoleIndex

    settings = settings_of(args)
    store = open_store(settings.db_path, must_exist=True)
    return AnswerEngine(RoleIndex(store), dict(settings.aliases))


def _emit(answer, as_json: bool) -> None:
    if as_json:
        print(json.dumps(answer.to_json(), ensure_ascii=False), flush=True)
    else:
        print(answer.text.rstrip("\n"), flush=True)


def run_ask(args: argparse.Namespace) -> int:
    """``ask``: print the answer to QUERY, or to every stdin line when QUERY is '-'."""
    engine = _engine(args)
    if args.query == ["-"]:
        first = True
        for line in sys.stdin:
            query = line.rstrip("\r\n")
            if not args.json and not first:
                print("---")
            _emit(engine.ask(query), args.json)
            first = False
        return 0
    _emit(engine.ask(" ".join(args.query)), args.json)
    return 0
