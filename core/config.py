"""Settings from environment variables plus an optional YAML file.

Environment: SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_APP_TOKEN, SLACK_API_URL, ROLEBOT_DB,
ROLEBOT_DOCS, ROLEBOT_CONFIG (path of the YAML file), PORT, DATABASE_URL (PostgreSQL instead of the
SQLite file), SLACK_RESPONSE_URL_PREFIXES (comma-separated; tests point it at a fake Slack),
ROLEBOT_SHUTDOWN_SECONDS and ROLEBOT_WORKERS (serving processes). The YAML file holds what is not a
secret: role aliases, admins, onboarding defaults and check-in questions (see README).
"""

from __future__ import annotations

import os
import re
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import yaml

from core.errors import ConfigError

BUNDLED_EXAMPLES = Path(__file__).resolve().parent.parent / "roles" / "examples"
DEFAULT_API_URL = "https://slack.com/api/"
#: Where Slack's response URLs live; the app posts to no other (see bot.gate).
DEFAULT_RESPONSE_URL_PREFIXES = ("https://hooks.slack.com/",)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: A Slack member ID (what Slack's "Copy member ID" gives).
USER_ID = re.compile(r"^[UW][A-Z0-9]+$")
#: Check-in questions are the labels of the answer modal: at most 99 inputs and 2,000 characters each.
MAX_QUESTIONS = 99
MAX_QUESTION_CHARS = 2000


@dataclass(frozen=True)
class OnboardingSettings:
    """Defaults of onboarding journeys; each can be set under ``onboarding:`` in the YAML file."""

    #: Days after the start date that get a milestone message (0 = welcome).
    milestones: tuple[int, ...] = (0, 30, 60, 90)
    #: A reminder of open goals every this many days between milestones (0 = none).
    reminder_every_days: int = 7
    #: Local hour and minute at which messages go out.
    send_time: str = "09:00"
    #: Days on which messages may go out; others move to the next such day.
    business_days: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri")
    #: Time zone used when Slack gives none for the user.
    fallback_timezone: str = "UTC"
    #: Messages overdue by more than this many hours are skipped (and the manager told) after downtime.
    staleness_hours: int = 72
    #: Questions a hire answers at each manager check-in.
    checkin_questions: tuple[str, ...] = (
        "What went well since the last check-in?",
        "What is blocking you?",
        "What do you want to focus on next?",
    )


#: Serving processes at most: each holds its own warmed-up engine (~100 MB at 10,000 roles).
MAX_WORKERS = 32


@dataclass(frozen=True)
class Settings:
    """Everything rolebot needs to run. Build with :func:`load_settings`."""

    db_path: str = "rolebot.db"
    docs_dir: str = str(BUNDLED_EXAMPLES)
    #: ``docs:`` globs (relative to the docs folder): files to read, files to skip, files whose
    #: candidates are always / never roles whatever the evidence says.
    docs_include: tuple[str, ...] = ()
    docs_exclude: tuple[str, ...] = ()
    docs_always: tuple[str, ...] = ()
    docs_never: tuple[str, ...] = ()
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_api_url: str = DEFAULT_API_URL
    port: int = 3000
    #: ``postgresql://…``: journeys, outbox and the replay guard live there (the role index stays in db_path).
    database_url: str | None = None
    #: A request's response_url must start with one of these, or the request is refused.
    response_url_prefixes: tuple[str, ...] = DEFAULT_RESPONSE_URL_PREFIXES
    #: On SIGTERM, in-flight requests and the message being sent get this long to finish.
    shutdown_seconds: float = 20.0
    #: Processes serving HTTP (``rolebot serve``): one leader (indexing, the outbox poller) plus
    #: ``workers - 1`` that only answer requests on the same port.
    workers: int = 1
    #: Extra names for roles: alias -> role title.
    aliases: Mapping[str, str] = field(default_factory=dict)
    #: Slack user IDs allowed to enrol anyone and to administer rolebot.
    admins: tuple[str, ...] = ()
    #: Slack user IDs allowed to enrol hires as their manager. Empty: anyone may enrol a hire and becomes
    #: that hire's manager; changes to a journey stay limited to its manager and the admins.
    managers: tuple[str, ...] = ()
    onboarding: OnboardingSettings = field(default_factory=OnboardingSettings)

    def require(self, *names: str) -> None:
        """Raise ConfigError naming the first of the given settings that is missing or malformed."""
        prefixes = {"slack_bot_token": "xoxb-", "slack_app_token": "xapp-"}
        for name in names:
            value = getattr(self, name)
            env = name.upper()
            if not value:
                raise ConfigError(f"{env} is not set: export it (see README, 'Connect to Slack').")
            prefix = prefixes.get(name)
            if prefix and not str(value).startswith(prefix):
                raise ConfigError(f"{env} must start with '{prefix}' (got a value starting '{str(value)[:4]}…').")


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"ROLEBOT_CONFIG: cannot read {path}: {exc.strerror}") from None
    try:
        data = yaml.safe_load(text) or {}
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "unknown line"
        raise ConfigError(f"{path}: YAML error at {where}: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the top level must be a mapping of settings, not {type(data).__name__}")
    return data


def _onboarding(raw: Any, path: Path) -> OnboardingSettings:
    if raw is None:
        return OnboardingSettings()
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: 'onboarding' must be a mapping")
    known = {f.name for f in fields(OnboardingSettings)}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ConfigError(f"{path}: unknown onboarding setting(s): {', '.join(unknown)} (known: {', '.join(sorted(known))})")
    values = dict(raw)
    for key in ("milestones", "business_days", "checkin_questions"):
        if key in values:
            if not isinstance(values[key], list) or not values[key]:
                raise ConfigError(f"{path}: onboarding.{key} must be a non-empty list")
            values[key] = tuple(values[key])
    settings = OnboardingSettings(**values)
    if any(not isinstance(d, int) or d < 0 for d in settings.milestones):
        raise ConfigError(f"{path}: onboarding.milestones must be whole numbers of days, 0 or more")
    bad_days = [d for d in settings.business_days if str(d).lower()[:3] not in WEEKDAYS]
    if bad_days:
        raise ConfigError(f"{path}: onboarding.business_days has unknown day(s) {bad_days}; use mon..sun")
    settings = replace(settings, business_days=tuple(str(d).lower()[:3] for d in settings.business_days))
    try:
        hour, minute = (int(x) for x in str(settings.send_time).split(":"))
        if not (0 <= hour < 24 and 0 <= minute < 60):
            raise ValueError
    except ValueError:
        raise ConfigError(f"{path}: onboarding.send_time must be HH:MM, got {settings.send_time!r}") from None
    # Always two digits: Slack's timepicker (the enrolment modal's default) refuses "9:00".
    settings = replace(settings, send_time=f"{hour:02d}:{minute:02d}")
    questions = settings.checkin_questions
    if len(questions) > MAX_QUESTIONS or not all(isinstance(q, str) and q.strip() for q in questions):
        raise ConfigError(
            f"{path}: onboarding.checkin_questions must be 1 to {MAX_QUESTIONS} questions, each a line of text "
            "(quote a question that has a colon in it)"
        )
    too_long = next((q for q in questions if len(q) > MAX_QUESTION_CHARS), None)
    if too_long is not None:
        raise ConfigError(
            f"{path}: onboarding.checkin_questions: {too_long[:40]!r}… is longer than {MAX_QUESTION_CHARS} characters"
        )
    try:
        zoneinfo.ZoneInfo(settings.fallback_timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{path}: onboarding.fallback_timezone {settings.fallback_timezone!r} is not a known time zone") from None
    for key in ("reminder_every_days", "staleness_hours"):
        if not isinstance(getattr(settings, key), int) or getattr(settings, key) < 0:
            raise ConfigError(f"{path}: onboarding.{key} must be a whole number, 0 or more")
    return settings


def _docs(value: Any, path: Path) -> dict[str, Any]:
    """``docs:`` is a folder, or a mapping with ``path``, ``include``, ``exclude`` and ``roles: {always, never}``."""
    if isinstance(value, str):
        return {"docs_dir": value}
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: 'docs' must be a folder or a mapping with path, include, exclude and roles")
    unknown = sorted(set(value) - {"path", "include", "exclude", "roles"})
    if unknown:
        raise ConfigError(f"{path}: unknown docs setting(s): {', '.join(unknown)} (known: exclude, include, path, roles)")
    roles = value.get("roles") or {}
    if not isinstance(roles, dict) or set(roles) - {"always", "never"}:
        raise ConfigError(f"{path}: 'docs.roles' must map 'always' and/or 'never' to lists of globs")
    found: dict[str, Any] = {}
    if value.get("path") is not None:
        if not isinstance(value["path"], str):
            raise ConfigError(f"{path}: 'docs.path' must be a folder")
        found["docs_dir"] = value["path"]
    for key, source, name in (("include", value, "include"), ("exclude", value, "exclude"),
                              ("always", roles, "roles.always"), ("never", roles, "roles.never")):
        globs = source.get(key)
        globs = [globs] if isinstance(globs, str) else globs or []
        if not isinstance(globs, list) or not all(isinstance(g, str) and g.strip() for g in globs):
            raise ConfigError(f"{path}: 'docs.{name}' must be a list of globs such as \"**/roles/**\"")
        found[f"docs_{key}"] = tuple(globs)
    return found


def load_settings(env: Mapping[str, str] | None = None, config_path: str | Path | None = None, **overrides: Any) -> Settings:
    """Read settings from ``env`` (default: ``os.environ``) and the YAML file, then apply ``overrides``.

    Raises ConfigError, naming the setting (and for YAML the line) at fault.
    """
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    path_text = config_path or env.get("ROLEBOT_CONFIG")
    if path_text:
        path = Path(path_text)
        data = _read_yaml(path)
        known = {"aliases", "admins", "managers", "onboarding", "db", "docs"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(f"{path}: unknown setting(s): {', '.join(unknown)} (known: {', '.join(sorted(known))})")
        aliases = data.get("aliases") or {}
        if not isinstance(aliases, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in aliases.items()):
            raise ConfigError(f"{path}: 'aliases' must map alias text to a role title")
        for key in ("admins", "managers"):
            users = data.get(key) or []
            if not isinstance(users, list) or not all(isinstance(a, str) and USER_ID.match(a) for a in users):
                # A name ("ana", "@ana") would silently match nobody, leaving rolebot without admins.
                raise ConfigError(f"{path}: '{key}' must be a list of Slack member IDs like U012ABC (not names)")
            values[key] = tuple(users)
        values.update(aliases=dict(aliases), onboarding=_onboarding(data.get("onboarding"), path))
        if data.get("db"):
            values["db_path"] = str(data["db"])
        if data.get("docs"):
            values.update(_docs(data["docs"], path))
    env_map = {
        "ROLEBOT_DB": "db_path",
        "ROLEBOT_DOCS": "docs_dir",
        "SLACK_BOT_TOKEN": "slack_bot_token",
        "SLACK_SIGNING_SECRET": "slack_signing_secret",
        "SLACK_APP_TOKEN": "slack_app_token",
        "SLACK_API_URL": "slack_api_url",
        "DATABASE_URL": "database_url",
    }
    for var, name in env_map.items():
        if env.get(var):
            values[name] = env[var].strip()
    if env.get("PORT"):
        try:
            values["port"] = int(env["PORT"])
        except ValueError:
            raise ConfigError(f"PORT must be a number, got {env['PORT']!r}") from None
    if env.get("SLACK_RESPONSE_URL_PREFIXES"):
        values["response_url_prefixes"] = tuple(p.strip() for p in env["SLACK_RESPONSE_URL_PREFIXES"].split(",") if p.strip())
    if env.get("ROLEBOT_SHUTDOWN_SECONDS"):
        try:
            values["shutdown_seconds"] = float(env["ROLEBOT_SHUTDOWN_SECONDS"])
        except ValueError:
            raise ConfigError(f"ROLEBOT_SHUTDOWN_SECONDS must be a number, got {env['ROLEBOT_SHUTDOWN_SECONDS']!r}") from None
    if env.get("ROLEBOT_WORKERS"):
        try:
            values["workers"] = int(env["ROLEBOT_WORKERS"])
        except ValueError:
            raise ConfigError(f"ROLEBOT_WORKERS must be a whole number, got {env['ROLEBOT_WORKERS']!r}") from None
    values.update({k: v for k, v in overrides.items() if v is not None})
    settings = Settings(**values)
    if not 1 <= settings.workers <= MAX_WORKERS:
        raise ConfigError(f"ROLEBOT_WORKERS (or --workers) must be between 1 and {MAX_WORKERS}, got {settings.workers}")
    if not (1 <= settings.port <= 65535) and settings.port != 0:
        raise ConfigError(f"PORT must be between 1 and 65535, got {settings.port}")
    if not settings.slack_api_url.startswith(("http://", "https://")):
        raise ConfigError(f"SLACK_API_URL must be an http(s) URL, got {settings.slack_api_url!r}")
    if settings.database_url and not settings.database_url.startswith(("postgresql://", "postgres://")):
        # Never echo the URL: it carries the password.
        raise ConfigError("DATABASE_URL must be a postgresql:// URL")
    return settings
