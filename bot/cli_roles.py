"""CLI commands of the role library: ``index``, ``roles`` and ``show``."""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

from bot.cli_common import add_db_option, settings_of
from core.config import Settings
from core.errors import ConfigError, InvalidCommand
from roles.model import ASPECTS, Role, Section

#: The first bytes of every SQLite database file.


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Register this module's commands."""
    index = subparsers.add_parser("index", help="index a folder of role documents into the database")
    index.add_argument("--docs", metavar="DIR", help="folder of role documents (default: $ROLEBOT_DOCS or the bundled examples)")
    index.add_argument("--include", metavar="GLOB", action="append", default=[],
                       help="read only files matching GLOB (relative to DIR; repeatable; adds to docs.include)")
    index.add_argument("--exclude", metavar="GLOB", action="append", default=[], help="skip files matching GLOB (repeatable)")
    index.add_argument("--roles-always", metavar="GLOB", action="append", default=[],
                       help="files matching GLOB hold roles whatever the evidence says (repeatable)")
    index.add_argument("--roles-never", metavar="GLOB", action="append", default=[],
                       help="files matching GLOB hold no roles (repeatable)")
    index.add_argument("--explain", metavar="FILE", help="show how one file is read (format, roles, evidence, "
                       "left-out text) instead of indexing")
    _db_and_json(index)
    index.set_defaults(func=run_index)

    roles = subparsers.add_parser("roles", help="list the indexed roles")
    _db_and_json(roles)
    roles.set_defaults(func=run_roles)

    show = subparsers.add_parser("show", help="show one role, or one aspect of it")
    show.add_argument("role", metavar="ROLE", help="role title, alias or id (typos are forgiven)")
    show.add_argument("aspect", metavar="ASPECT", nargs="?", help=f"one of: {', '.join(ASPECTS)}")
    _db_and_json(show)
    show.set_defaults(func=run_show)


def _db_and_json(parser: argparse.ArgumentParser) -> None:
    add_db_option(parser)
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


def _open_index(settings: Settings, must_exist: bool):
    from core.store import open_store
    from roles.index.library import RoleIndex

    with _database_errors(settings.db_path):
        return RoleIndex(open_store(settings.db_path, must_exist=must_exist))


@contextmanager
def _database_errors(db: str) -> Iterator[None]:
    """Turn SQLite failures (not a database, locked, read-only, disk full) into a one-line message."""
    try:
        yield
    except sqlite3.DatabaseError as exc:
        raise ConfigError(f"cannot use the database {db}: {exc}") from None


def _scope(args: argparse.Namespace, settings: Settings):
    from roles.index.scope import DocsScope

    return DocsScope(include=(*settings.docs_include, *args.include), exclude=(*settings.docs_exclude, *args.exclude),
                     always=(*settings.docs_always, *args.roles_always), never=(*settings.docs_never, *args.roles_never))


def run_index(args: argparse.Namespace) -> int:
    """``index``: bring the database in line with the docs folder and print what was found."""
    settings = settings_of(args)
    docs = args.docs or settings.docs_dir
    scope = _scope(args, settings)
    if args.explain:
        return _run_explain(Path(args.explain), Path(docs), scope)
    if not Path(docs).is_dir():
        raise ConfigError(f"docs folder {docs} does not exist (give --docs DIR or set ROLEBOT_DOCS)")
    index = _open_index(settings, must_exist=False)
    with _database_errors(settings.db_path):
        report = index.index_folder(Path(docs), scope)
    if args.json:
        print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
        return 0
    print(
        f"Indexed {docs}: {report.roles} roles, {report.sections} sections, {report.kpis} KPIs, "
        f"{report.goals} goals ({report.goal_items} goal items)"
    )
    print(
        f"Documents: {report.documents_seen} seen, {report.added} added, {report.updated} updated, "
        f"{report.unchanged} unchanged, {report.removed} removed, {report.failed} failed"
    )
    print(f"Pages: {report.pages} read, {report.role_pages} taken as roles, {len(report.borderline)} borderline")
    if report.skipped:
        print(f"  skipped (not documents): {report.skipped}")
    if report.out_of_scope:
        print(f"  left out by include/exclude: {report.out_of_scope}")
    for path, note in report.notes:
        print(f"  {path}: {note}")
    for path, decision in report.borderline:
        detail = decision.removeprefix("borderline: ")
        print(f"  borderline: {path}: {detail} (confirm with docs.roles always/never)")
    for path, reason in report.failures:
        print(f"  failed: {path}: {reason}")
    return 0


def _run_explain(file: Path, docs: Path, scope) -> int:  # noqa: ANN001 - a DocsScope
    from core.errors import DocumentError
    from roles.index.library import printable
    from roles.loaders.explain import explain

    if not file.is_file():
        raise ConfigError(f"--explain: {file} is not a file")
    root = docs if docs.is_dir() and file.resolve().is_relative_to(docs.resolve()) else file.parent
    rel = file.resolve().relative_to(root.resolve()).as_posix()
    try:
        lines = explain(file, root, scope.override(rel))
    except DocumentError as exc:
        print(f"File: {printable(rel)}\nFailed: {exc.reason}")
        return 1
    print("\n".join(printable(line) for line in lines))
    return 0


def run_roles(args: argparse.Namespace) -> int:
    """``roles``: one entry per indexed role."""
    from roles.index.library import printable

    settings = settings_of(args)
    index = _open_index(settings, must_exist=True)
    with _database_errors(settings.db_path):
        roles = index.list_roles()
    if args.json:
        entries = [
            {
                "title": r.title,
                "aliases": r.aliases,
                "source": r.source_path,
                "aspects": r.aspects,
                "kpis": r.kpi_count,
                "goals": {str(days): count for days, count in r.goals.items()},
            }
            for r in roles
        ]
        print(json.dumps(entries, indent=2, ensure_ascii=False))
        return 0
    if not roles:
        print("No roles indexed yet: run `rolebot index --docs DIR` first.")
        return 0
    for r in roles:
        aliases = f" ({', '.join(r.aliases)})" if r.aliases else ""
        goals = ", ".join(f"{days}d: {count}" for days, count in r.goals.items()) or "none"
        print(f"{r.title}{aliases}  [{printable(r.source_path)}]  {r.kpi_count} KPIs; goals {goals}")
    return 0


def run_show(args: argparse.Namespace) -> int:
    """``show``: one role (or one aspect of it) as text or JSON."""
    from roles.answer.lookup import find_roles
    from roles.index.library import printable

    aspect = _aspect(args.aspect) if args.aspect else None
    settings = settings_of(args)
    index = _open_index(settings, must_exist=True)
    with _database_errors(settings.db_path):
        matches = find_roles(index.list_roles(), args.role, settings.aliases)
    if len(matches) > 1:
        listing = "; ".join(f"id {m.id}: {m.title} from {printable(m.source_path)}" for m in matches)
        print(
            f"{len(matches)} roles match {args.role!r} ({listing}); showing all. "
            f"Pick one with `rolebot show ID`.",
            file=sys.stderr,
        )
    shown = []
    for match in matches:
        role = index.get_role(match.id)
        sections = role.sections_for(aspect) if aspect else role.sections
        if aspect and not sections:
            have = sorted({s.aspect for s in role.walk()}, key=ASPECTS.index)
            print(f"{role.title} ({printable(role.source.path)}) has no {aspect!r} section; it has: {', '.join(have)}", file=sys.stderr)
            continue
        shown.append((match.id, role, sections))
    if not shown:
        return 1
    if args.json:
        data = [_role_json(role_id, role, sections, aspect) for role_id, role, sections in shown]
        print(json.dumps(data[0] if len(data) == 1 else data, indent=2, ensure_ascii=False))
    else:
        print("\n\n".join(_role_text(role, sections) for _id, role, sections in shown))
    return 0


def _aspect(text: str) -> str:
    """The canonical aspect for what was typed ("KPI", "day to day", "goal")."""
    from rapidfuzz import process

    wanted = "-".join(text.casefold().replace("_", " ").split())
    for candidate in (wanted, wanted + "s", wanted.removesuffix("s")):
        if candidate in ASPECTS:
            return candidate
    best = process.extractOne(wanted, ASPECTS, score_cutoff=80)
    if best:
        return best[0]
    raise InvalidCommand(f"unknown aspect {text!r}: use one of {', '.join(ASPECTS)}")


def _role_json(role_id: int, role: Role, sections: list[Section], aspect: str | None) -> dict:
    data = {"id": role_id, "title": role.title, "aliases": role.aliases, "source": asdict(role.source)}
    if aspect:
        data["aspect"] = aspect
    data["sections"] = [asdict(s) for s in sections]
    return data


def _role_text(role: Role, sections: list[Section]) -> str:
    lines = [role.title]
    if role.aliases:
        lines.append(f"aliases: {', '.join(role.aliases)}")
    source = f"source: {role.source.path} ({role.source.format})"
    lines.append(f"{source} {role.source.link}" if role.source.link else source)
    for section in sections:
        _section_text(section, 0, lines)
    return "\n".join(lines)


def _section_text(section: Section, depth: int, lines: list[str]) -> None:
    pad = "  " * depth
    lines.append("")
    lines.append(f"{pad}{'#' * (depth + 2)} {section.heading}  [{section.aspect}]")
    if section.text:
        lines.extend(f"{pad}{line}" for line in section.text.splitlines())
    for item in section.items:
        head = f"{item.label}: {item.text}" if item.label and item.label not in item.text else item.text
        lines.append(f"{pad}- {head}")
        lines.extend(f"{pad}    {key}: {value}" for key, value in item.fields.items())
        lines.extend(f"{pad}    - {child}" for child in item.children)
    for kpi in section.kpis:
        details = [kpi.measures, f"target {kpi.target}" if kpi.target else "", kpi.frequency]
        extra = "; ".join(d for d in details if d)
        lines.append(f"{pad}- KPI {kpi.name}" + (f" ({extra})" if extra else ""))
    for goal in section.goals:
        lines.append(f"{pad}{goal.horizon_days} days: {goal.heading}")
        lines.extend(f"{pad}  - {text}" for text in goal.items)
        lines.extend(f"{pad}  ✓ {text}" for text in goal.success_indicators)
    for sub in section.subsections:
        _section_text(sub, depth + 1, lines)
