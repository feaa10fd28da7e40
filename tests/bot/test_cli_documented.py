"""Every command the CLI registers is documented in README's ``## Commands`` (one ``### rolebot NAME`` each)."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from bot.cli import build_parser

README = Path(__file__).resolve().parents[2] / "README.md"


def registered_commands() -> set[str]:
    """Names of the sub-commands of ``rolebot``."""
    parser = build_parser()
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return {name for action in actions for name in action.choices}


def documented_commands(readme: str) -> set[str]:
    """Command names from the ``### rolebot NAME`` headings of the ``## Commands`` section."""
    match = re.search(r"^## Commands[ \t]*\n(.*?)(?=^## |\Z)", readme, re.M | re.S)
    assert match, "README has no '## Commands' section"
    return set(re.findall(r"^### `?rolebot ([a-z][\w-]*)", match.group(1), re.M))


def test_documented_commands_parses_only_the_commands_section():
    readme = "## Commands\n\n### rolebot index\ntext\n### `rolebot show` ROLE\n\n## Other\n### rolebot nope\n"
    assert documented_commands(readme) == {"index", "show"}


def test_every_registered_command_is_documented_in_the_readme():
    documented = documented_commands(README.read_text(encoding="utf-8"))
    missing = sorted(registered_commands() - documented)
    assert not missing, f"add a '### rolebot NAME' entry under '## Commands' in README.md for: {missing}"


def test_the_readme_documents_no_command_that_does_not_exist():
    documented = documented_commands(README.read_text(encoding="utf-8"))
    stale = sorted(documented - registered_commands())
    assert not stale, f"README documents commands the CLI does not have: {stale}"
