"""CLI commands: slack. Filled in by its issue."""

from __future__ import annotations

import argparse


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Register this module's commands."""
