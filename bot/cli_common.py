"""What the CLI command modules share: the ``--db`` option and the settings a command runs with."""

from __future__ import annotations

import argparse

from core.config import Settings, load_settings


def add_db_option(parser: argparse.ArgumentParser) -> None:
    """The ``--db FILE`` option; :func:`settings_of` makes it override ``ROLEBOT_DB`` and the config file."""
    parser.add_argument("--db", metavar="FILE", help="SQLite database file (default: $ROLEBOT_DB or rolebot.db)")


def settings_of(args: argparse.Namespace) -> Settings:
    """Settings from the environment and ``--config``, with ``--db`` (when given) as ``db_path``."""
    return load_settings(config_path=args.config, db_path=getattr(args, "db", None) or None)
