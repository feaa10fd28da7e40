"""CLI commands of the Teams bot: ``teams`` (serve /api/messages) and ``teams-manifest`` (the app package).

``rolebot serve --teams`` (in ``bot.cli_slack``) serves both platforms from one process with one poller;
:func:`start_teams` is the piece both use.
"""

from __future__ import annotations

import argparse
import logging
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.teams_server import TeamsServer
    from handlers.context import AppContext
    from handlers.teams.app import TeamsConfig
    from handlers.teams.sender import TeamsSender

logger = logging.getLogger(__name__)


#: The port Teams bots listen on by convention (``handlers.teams.app.DEFAULT_PORT``; not imported here,
#: so ``rolebot --help`` does not load the Teams handlers).
DEFAULT_PORT = 3978


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Register this module's commands."""
    teams = subparsers.add_parser("teams", help="run the Microsoft Teams bot at /api/messages")
    teams.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port to listen on (default: {DEFAULT_PORT})")
    teams.add_argument("--host", default="0.0.0.0", help="address to bind (default: 0.0.0.0)")
    teams.set_defaults(func=run_teams)

    manifest = subparsers.add_parser("teams-manifest", help="write the Teams app package (manifest.json + icons)")
    manifest.add_argument("--app-id", required=True, help="the bot's Microsoft app (client) id, a GUID")
    manifest.add_argument("--out", default="rolebot-teams.zip", help="zip file to write (default: rolebot-teams.zip)")
    manifest.add_argument("--name", default="rolebot", help="the app's short name in Teams (default: rolebot)")
    manifest.add_argument("--website", default="https://example.com/rolebot",
                          help="https URL of the app's web page (Teams requires one)")
    manifest.set_defaults(func=run_manifest)


def teams_config() -> TeamsConfig:
    """The Teams credentials from the environment; ConfigError when they cannot serve (checked before
    indexing, so a missing setting fails at once)."""
    from core.errors import ConfigError
    from handlers.teams.app import TeamsConfig

    try:
        config = TeamsConfig.from_env()
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    problem = config.problem()
    if problem:
        raise ConfigError(problem)
    return config


def start_teams(ctx: AppContext, host: str, port: int, config: TeamsConfig) -> tuple[TeamsServer, TeamsSender]:
    """Start the Teams bot in the background; its server and its sender for the poller."""
    from bot.teams_server import TeamsServer
    from handlers.teams.app import build_app
    from handlers.teams.sender import TeamsSender

    server = TeamsServer(lambda adapter: build_app(ctx, config, http_server_adapter=adapter), host, port).start()
    return server, TeamsSender(server.app, ctx.store, server.loop)


def run_teams(args: argparse.Namespace) -> int:
    """``teams``: the Teams bot and the outbox poller delivering Teams journeys."""
    from bot.app import prepare_context, start_background, warm_up
    from core.config import load_settings

    config = teams_config()
    settings = load_settings(config_path=args.config)
    ctx = prepare_context(settings)
    warm_up(ctx)
    server, sender = start_teams(ctx, args.host, args.port, config)
    stop_background = start_background(ctx, None, teams=sender)
    print(f"rolebot: serving Teams at http://{args.host}:{server.port}/api/messages", file=sys.stderr)
    try:
        server.wait()
    finally:
        stop_background()
        server.stop()
    return 0


def run_manifest(args: argparse.Namespace) -> int:
    """``teams-manifest``: write the app package to upload in Teams (or the Developer Portal)."""
    from core.errors import ConfigError
    from handlers.teams.manifest import write_package

    try:
        path = write_package(args.out, args.app_id, name=args.name, website=args.website)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    except OSError as exc:
        raise ConfigError(f"cannot write {args.out}: {exc.strerror}") from None
    print(f"rolebot: wrote {path} (upload it in Teams › Apps › Manage your apps › Upload an app)")
    return 0
