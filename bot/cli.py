"""``python -m bot`` / ``rolebot``: the command line.

Each group of commands lives in its own module with ``add_commands(subparsers)``; every command is a
function ``run(args) -> int``. Named errors become one-line messages here, at the edge.
"""

from __future__ import annotations

import argparse
import logging
import sys

from bot import cli_ask, cli_jobs, cli_roles, cli_slack, cli_teams
from core.errors import RolebotError

logger = logging.getLogger(__name__)

COMMAND_MODULES = (cli_roles, cli_ask, cli_slack, cli_teams, cli_jobs)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every command registered."""
    parser = argparse.ArgumentParser(
        prog="rolebot",
        description="Index role documents, answer /role questions and run onboarding journeys in Slack and Teams.",
    )
    parser.add_argument("--config", help="YAML config file (default: $ROLEBOT_CONFIG)")
    parser.add_argument("--log-level", default="WARNING", help="logging level (default: WARNING)")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.add_commands(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; return its exit status."""
    from bot.logs import setup_logging

    parser = build_parser()
    args = parser.parse_args(argv)
    setup_logging(args.log_level.upper())
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except RolebotError as exc:
        print(f"rolebot: {exc.reason}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`rolebot show … | head`): stop quietly, as other Unix tools do.
        sys.stderr.close()
        return 0
