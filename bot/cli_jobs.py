"""CLI commands of onboarding journeys: ``enroll``, ``plan``, ``nudges run-due`` and ``import``.

The CLI acts as an admin (``jobs.journeys.SYSTEM_ACTOR``). Heavy imports stay inside the functions.
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from typing import Any

from bot.cli_common import add_db_option, settings_of
from core.errors import ConfigError


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Register this module's commands."""
    enroll = subparsers.add_parser("enroll", help="enrol a new hire in the onboarding journey of a role")
    add_db_option(enroll)
    enroll.add_argument("--user", required=True, metavar="ID", help="the hire's Slack user ID (U…)")
    _role_and_start(enroll)
    enroll.add_argument("--manager", metavar="ID", help="the manager's Slack user ID (gets summaries and digests)")
    enroll.add_argument("--tz", metavar="TZ", help="the hire's IANA time zone (default: Slack profile, else config)")
    enroll.add_argument("--platform", choices=("slack", "teams"), default="slack",
                        help="where the hire and manager are (Teams ids look like 29:…; default: slack)")
    enroll.set_defaults(func=run_enroll)

    plan = subparsers.add_parser("plan", help="preview the onboarding plan of a role (nothing is stored)")
    add_db_option(plan)
    _role_and_start(plan)
    plan.add_argument("--tz", required=True, metavar="TZ", help="IANA time zone, e.g. Europe/Berlin")
    plan.add_argument("--json", action="store_true", help="print JSON: due (UTC), local_due, kind, goals")
    plan.set_defaults(func=run_plan)

    nudges = subparsers.add_parser("nudges", help="onboarding messages: send what is due")
    actions = nudges.add_subparsers(dest="nudges_command", metavar="ACTION", required=True)
    run_due = actions.add_parser("run-due", help="send every message due now, once, and exit (for cron)")
    add_db_option(run_due)
    run_due.add_argument("--now", metavar="ISO", help="pretend it is this instant (ISO 8601; no offset = UTC)")
    run_due.set_defaults(func=run_nudges_due)

    imp = subparsers.add_parser("import", help="enrol hires from a CSV export (user, role, start, manager, tz)")
    add_db_option(imp)
    imp.add_argument("csv", metavar="CSV", help="the CSV file")
    imp.set_defaults(func=run_import)


def _role_and_start(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--role", required=True, metavar="ROLE", help="role title, alias or id")
    parser.add_argument("--start", required=True, metavar="DATE", help="first day, YYYY-MM-DD (hire's calendar)")


def _context(args: argparse.Namespace) -> tuple[Any, Any, Any]:
    from core.store import open_store
    from roles.index.library import RoleIndex

    settings = settings_of(args)
    store = open_store(settings.db_path, must_exist=True)
    return settings, store, RoleIndex(store)


def _tz_lookup(settings: Any):
    """users.info lookups when a bot token is configured, else None (the fallback zone applies)."""
    if not settings.slack_bot_token:
        return None
    from handlers.slack.sender import lookup_timezone, slack_client

    client = slack_client(settings)
    return lambda user_id: lookup_timezone(client, user_id)


def run_enroll(args: argparse.Namespace) -> int:
    """``enroll``: enrol one hire and print the journey and its first message."""
    from jobs import journeys, outbox

    settings, store, index = _context(args)
    tz = args.tz
    if not tz and args.platform == "teams":
        from jobs import addresses

        known = addresses.get(store, "teams", args.user)
        tz = known.tz if known else None
    elif not tz:
        lookup = _tz_lookup(settings)
        tz = lookup(journeys.normalize_user_id(args.user)) if lookup else None
    journey = journeys.enrol(
        store, index, settings, actor_id=journeys.SYSTEM_ACTOR, user_id=args.user, role=args.role,
        start=args.start, manager_id=args.manager, tz=tz, platform=args.platform,
    )
    pending = outbox.rows_for_journey(store, journey.id, (outbox.PENDING,))
    first = pending[0].due_utc.isoformat() if pending else "none"
    print(f"Enrolled {journey.user_id} as {journey.role_title} from {journey.start_date} ({journey.tz}), "
          f"journey {journey.id}: {len(pending)} message(s) planned, first due {first}.")
    return 0


def run_plan(args: argparse.Namespace) -> int:
    """``plan``: print the plan a hire starting on --start in --tz would get."""
    from jobs import journeys, plan
    from jobs.errors import RoleHasNoGoals
    from jobs.timeutil import parse_start_date, utcnow

    settings, store, index = _context(args)
    _role_id, role = journeys.resolve_role(index, settings, args.role)
    goals = plan.goals_of_role(role)
    if not any(g.kind == "goal" for g in goals):
        raise RoleHasNoGoals(f"The {role.title} document has no 30/60/90-day goals, so there is no plan to preview.")
    start = parse_start_date(args.start, utcnow().date())
    entries = plan.build_plan([g.horizon_days for g in goals], start, args.tz, settings.onboarding)
    if args.json:
        print(json.dumps(plan.plan_as_json(entries, goals), indent=2, ensure_ascii=False))
        return 0
    print(f"{role.title}: start {start} in {args.tz}, {len(entries)} message(s)")
    for entry in entries:
        carried = entry.introduces or entry.reminds or entry.reviews
        what = ", ".join(f"{h}-day" for h in carried) or "-"
        print(f"  day {entry.day:>3}  {entry.local_due.strftime('%a %Y-%m-%d %H:%M %z')}  "
              f"{entry.kind:<16} {entry.recipient:<8} goals: {what}")
    return 0


def _parse_now(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ConfigError(f"--now {text!r} is not an ISO 8601 instant, e.g. 2026-03-02T09:00:00Z") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def run_nudges_due(args: argparse.Namespace) -> int:
    """``nudges run-due``: one poll tick over every platform configured (Slack: SLACK_BOT_TOKEN; Teams:
    CLIENT_ID and CLIENT_SECRET); exit 1 if the tick had to stop (e.g. bad token)."""
    from contextlib import nullcontext

    from bot.teams_server import standalone_sender
    from handlers.slack.sender import SlackSender
    from handlers.teams.app import TeamsConfig
    from jobs.delivery import Senders
    from jobs.poller import run_due

    settings, store, _index = _context(args)
    try:
        teams = TeamsConfig.from_env()
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    with_teams = bool(teams.client_id and teams.client_secret)
    if not with_teams:
        settings.require("slack_bot_token")
    senders = Senders()
    if settings.slack_bot_token:
        senders["slack"] = SlackSender.from_settings(settings)
    with standalone_sender(store, teams) if with_teams else nullcontext() as teams_sender:
        if teams_sender is not None:
            senders["teams"] = teams_sender
        report = run_due(store, senders, settings, _parse_now(args.now))
    print(report.summary())
    return 1 if report.stopped else 0


def run_import(args: argparse.Namespace) -> int:
    """``import``: enrol every row of an HR export; exit 1 if any row failed."""
    from jobs.csv_import import import_csv

    settings, store, index = _context(args)
    report = import_csv(store, index, settings, args.csv, tz_lookup=_tz_lookup(settings))
    for line, journey in report.enrolled:
        print(f"line {line}: enrolled {journey.user_id} as {journey.role_title} (journey {journey.id})")
    for line, journey in report.existing:
        print(f"line {line}: {journey.user_id} already enrolled as {journey.role_title} (journey {journey.id})")
    for line, reason in report.errors:
        print(f"line {line}: error: {reason}")
    print(f"{len(report.enrolled)} enrolled, {len(report.existing)} already enrolled, {len(report.errors)} error(s)")
    return 1 if report.errors else 0
