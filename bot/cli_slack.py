"""CLI commands of the Slack app: ``serve`` (HTTP), ``socket`` (Socket Mode) and ``console`` (local).

All three index the docs folder into the database first (unchanged files are skipped), so a fresh
deploy answers at once. Heavy imports (slack_bolt, waitress) stay inside the functions.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from bot.cli_common import add_db_option

if TYPE_CHECKING:
    from slack_bolt import App
    from slack_sdk import WebClient

    from bot.replay import SharedReplayGuard
    from bot.workers import WorkerPool
    from core.config import Settings
    from handlers.context import AppContext

logger = logging.getLogger(__name__)


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Register this module's commands."""
    serve = subparsers.add_parser("serve", help="run the Slack app over HTTP at /slack/events (production server)")
    serve.add_argument("--port", type=int, help="port to listen on (default: $PORT or 3000)")
    serve.add_argument("--host", default="0.0.0.0", help="address to bind (default: 0.0.0.0)")
    serve.add_argument("--threads", type=int, default=None, help="request threads of each serving process (default: 4)")
    serve.add_argument("--workers", type=int, default=None,
                       help="processes serving the port, to use several cores (default: $ROLEBOT_WORKERS or 1)")
    serve.add_argument("--teams", action="store_true", help="also serve the Teams bot, one poller delivering both")
    serve.add_argument("--teams-port", type=int, default=3978, help="port of the Teams bot (default: 3978)")
    serve.set_defaults(func=run_serve)

    socket = subparsers.add_parser("socket", help="run the Slack app over Socket Mode (no public URL needed)")
    socket.set_defaults(func=run_socket)

    console = subparsers.add_parser("console", help="ask /role questions in a local console, no Slack needed")
    add_db_option(console)
    console.add_argument("--docs", metavar="DIR", help="folder of role documents (default: $ROLEBOT_DOCS or the bundled examples)")
    console.set_defaults(func=run_console)


def _start(settings: Settings, token: str, *, index_now: bool = True) -> tuple[AppContext, App, WebClient]:
    """Check the tokens (SLACK_BOT_TOKEN and ``token``) and build the app; with ``index_now`` also index
    the docs and warm up (else the caller starts ``bot.app.index_in_background`` when it serves)."""
    from bot.app import create_app, make_client, prepare_context, verify_token, warm_up

    settings.require("slack_bot_token", token)
    client = make_client(settings)
    verify_token(client)
    ctx = prepare_context(settings, index_now=index_now)
    app = create_app(settings, ctx.store, client, ctx=ctx)
    if index_now:
        warm_up(ctx)
    return ctx, app, client


def _run(ctx: AppContext, client: WebClient, banner: str, serve: Callable[[], object], teams: object = None,
         then: Callable[[], object] | None = None) -> int:
    """Run ``serve`` until it returns, with the background work (the outbox poller) around it.

    After ``serve`` returns (SIGTERM drained the server): the poller finishes the message it is sending
    and gives back the rest of its claim, listener work acknowledged before the signal (an enrolment
    being saved and confirmed) finishes, then the database closes.

    ``teams``: a started ``(TeamsServer, TeamsSender)`` served beside Slack; the one poller delivers both.
    ``then`` runs right after the banner (``serve`` starts indexing there, so its "index ready" line
    always follows the banner).
    """
    from bot.app import start_background

    stop_background = start_background(ctx, client, teams=teams[1] if teams else None)  # type: ignore[index]
    # One write: print() writes the line and its newline separately, and the poller's first log line
    # (another thread) could land between them, in the middle of the line a supervisor reads.
    sys.stderr.write(f"rolebot: {banner}\n")
    sys.stderr.flush()
    if then is not None:
        then()
    try:
        serve()
    finally:
        stop_background()
        if teams:
            teams[0].stop()  # type: ignore[index]
        if ctx.listener_executor is not None:
            ctx.listener_executor.shutdown(wait=True)
        ctx.store.close()
        ctx.index.store.close()
        logger.info("stopped")
    return 0


def run_serve(args: argparse.Namespace) -> int:
    """``serve``: the HTTP app behind waitress; needs SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET."""
    from bot.app import index_in_background
    from bot.cli_teams import start_teams, teams_config
    from bot.server import THREADS, check_port_free, create_server, serve_until_signalled, server_url
    from core.config import load_settings

    teams_settings = teams_config() if args.teams else None
    settings = load_settings(config_path=args.config, port=args.port, workers=args.workers)
    check_port_free(args.host, settings.port)
    ctx, app, client = _start(settings, "slack_signing_secret", index_now=False)
    threads = args.threads or THREADS
    replays = _shared_replay_guard(ctx, settings)
    server = create_server(app, host=args.host, port=settings.port, ctx=ctx, threads=threads, replays=replays)
    pool = _start_workers(server, settings, threads, args, replays)
    teams = start_teams(ctx, args.host, args.teams_port, teams_settings) if teams_settings else None

    def serve() -> None:
        serve_until_signalled(server, settings.shutdown_seconds, on_shutdown=pool and pool.terminate)
        if pool is not None:
            pool.wait(settings.shutdown_seconds + 5)

    def index_ready(roles: int) -> None:
        if pool is not None:
            pool.notify(roles=roles, empty_docs=ctx.empty_docs)
        # A line for the operator (and for supervisors and tests that wait for it), like the banner.
        sys.stderr.write(f"rolebot: role index ready: {roles} roles\n")
        sys.stderr.flush()

    workers = f" by {settings.workers} processes" if pool else ""
    return _run(ctx, client, f"serving Slack requests at {server_url(server)}/slack/events{workers}"
                + (f" and Teams at port {teams[0].port}/api/messages" if teams else ""), serve, teams,
                # The server listens from here on: /healthz answers (not ready) while the docs are indexed.
                then=lambda: index_in_background(ctx, settings, on_ready=index_ready))


def _shared_replay_guard(ctx: AppContext, settings: Settings) -> SharedReplayGuard | None:
    """The replay guard the processes of ``--workers`` share on this host (SQLite; on PostgreSQL,
    replicas may run anywhere and the guard stays in the database)."""
    if settings.workers <= 1 or ctx.store.dialect.name == "postgresql":
        return None
    from bot.replay import SharedReplayGuard

    return SharedReplayGuard.create()


def _start_workers(server: object, settings: Settings, threads: int, args: argparse.Namespace,
                   replays: SharedReplayGuard | None) -> WorkerPool | None:
    """With more than one serving process, start the others on the leader's listening socket."""
    if settings.workers <= 1:
        return None
    from bot.workers import WorkerPool

    pool = WorkerPool(server.socket, settings.workers - 1, threads, config=args.config,  # type: ignore[attr-defined]
                      log_level=logging.getLevelName(logging.getLogger().level),
                      replay_fd=replays.fileno() if replays is not None else None)
    pool.leader_accepts_fairly(server)
    pool.start()
    return pool


def run_socket(args: argparse.Namespace) -> int:
    """``socket``: the app over Socket Mode; needs SLACK_BOT_TOKEN and SLACK_APP_TOKEN."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from core.config import load_settings

    settings = load_settings(config_path=args.config)
    ctx, app, client = _start(settings, "slack_app_token")
    handler = SocketModeHandler(app, app_token=settings.slack_app_token, web_client=client)
    return _run(ctx, client, "connecting to Slack over Socket Mode", handler.start)


def run_console(args: argparse.Namespace) -> int:
    """``console``: a local REPL that shows answers as the Slack app would render them."""
    from bot.app import prepare_context
    from bot.console import run_console as console
    from core.config import load_settings

    settings = load_settings(config_path=args.config, db_path=args.db, docs_dir=args.docs)
    ctx = prepare_context(settings)
    return console(ctx, sys.stdin, sys.stdout, interactive=sys.stdin.isatty())
