"""The Slack app factory: one Bolt ``App`` per call, no module globals, used by every way to run it.

``create_app`` builds the shared :class:`~handlers.context.AppContext` (or takes one), registers every
``handlers`` module, then the fallbacks (unknown actions are acknowledged and logged). The runners
(``bot.server`` for HTTP, Socket Mode in ``bot.cli_slack``) add :func:`index_docs` at start and
:func:`start_background` for background work.
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.config import Settings
from core.errors import ConfigError
from core.store import Store
from handlers.context import AppContext
from handlers.slack import answer_actions, errors, home, role_command
from handlers.slack.onboarding import listeners as onboarding

if TYPE_CHECKING:
    from slack_bolt import App
    from slack_sdk import WebClient

    from jobs.delivery import Sender
    from roles.index.library import IndexReport

logger = logging.getLogger(__name__)

#: Threads that run listeners after ``ack`` (Bolt's default is min(32, CPUs + 4), too few under load).
LISTENER_THREADS = 32

#: Timeout of every outbound call made while handling a request (Slack's Web API, response URLs).
OUTBOUND_TIMEOUT_SECONDS = 5

#: Every module with listeners, in registration order (Bolt runs the first listener that matches).
HANDLER_MODULES = (role_command, answer_actions, home, onboarding, errors)


def make_client(settings: Settings) -> WebClient:
    """A Web API client for ``SLACK_API_URL`` that waits and retries when Slack rate-limits (HTTP 429)."""
    from slack_sdk import WebClient
    from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

    base_url = settings.slack_api_url if settings.slack_api_url.endswith("/") else settings.slack_api_url + "/"
    return WebClient(
        token=settings.slack_bot_token,
        base_url=base_url,
        # slack_sdk waits 30 s by default; a request thread must never be held that long.
        timeout=OUTBOUND_TIMEOUT_SECONDS,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=2)],
    )


def create_app(settings: Settings, store: Store, client: WebClient | None = None, ctx: AppContext | None = None) -> App:
    """A Bolt app for ``settings`` over ``store``'s role index.

    The factory makes no network call: ``token_verification_enabled=False`` skips Bolt's eager
    ``auth.test`` (the first request does it, against ``SLACK_API_URL``); the runners call
    :func:`verify_token` to fail fast on a wrong token. Raises ConfigError without SLACK_BOT_TOKEN.
    A ``client`` given must carry the bot token (:func:`make_client` builds one from the settings).
    """
    from slack_bolt import App

    settings.require("slack_bot_token")
    ctx = ctx or AppContext.build(settings, store)
    ctx.listener_executor = ThreadPoolExecutor(max_workers=LISTENER_THREADS, thread_name_prefix="bolt")
    app = App(
        # Socket Mode needs no signing secret, but Bolt would verify HTTP requests with an empty key,
        # which anyone can sign with: without a secret, use a random one so no HTTP request verifies.
        signing_secret=settings.slack_signing_secret or secrets.token_hex(32),
        client=client or make_client(settings),
        token_verification_enabled=False,
        listener_executor=ctx.listener_executor,
    )
    app.use(_drop_event_retries(ctx))
    for module in HANDLER_MODULES:
        module.register(app, ctx)
    errors.register_fallbacks(app)
    return app


def _drop_event_retries(ctx: AppContext) -> Callable[..., Any]:
    """Middleware: an Events API delivery whose ``event_id`` was handled already is acked and dropped.

    Slack retries an event (``X-Slack-Retry-Num``) when our ack was slow or lost; handling it twice
    would publish or post twice.
    """
    from slack_bolt import BoltResponse

    def drop_event_retries(body: dict[str, Any], next: Callable[[], None], logger: logging.Logger) -> Any:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not ctx.seen_events.first_time(event_id):
            logger.info("dropping repeated delivery of event %s", event_id)
            return BoltResponse(status=200, body="")
        return next()

    return drop_event_retries


def verify_token(client: WebClient) -> dict[str, Any]:
    """Call ``auth.test``: a rejected token fails start-up with a message naming SLACK_BOT_TOKEN.

    An unreachable Slack only logs a warning (the app retries on its first request), so a deploy does
    not fail because of a network blip.
    """
    from slack_sdk.errors import SlackApiError

    try:
        response = client.auth_test()
    except SlackApiError as exc:
        error = exc.response.get("error", "unknown_error")
        raise ConfigError(f"SLACK_BOT_TOKEN was rejected by Slack ({error}): check the bot token") from None
    except OSError as exc:
        logger.warning("could not reach Slack at %s to check the token: %s", client.base_url, exc)
        return {}
    logger.info("connected to workspace %s as %s", response.get("team"), response.get("user_id"))
    return dict(response.data) if isinstance(response.data, dict) else {}


def index_docs(settings: Settings, store: Store) -> IndexReport:
    """Index ``settings.docs_dir`` into the store at start-up (unchanged files are skipped).

    A missing or empty folder is a warning naming it, not a failure: the app starts and says the index
    is empty (``AppContext.empty_docs``) until documents are added.
    """
    from roles.index.library import IndexReport, RoleIndex

    folder = Path(settings.docs_dir)
    if not folder.is_dir():
        logger.warning("docs folder %s does not exist: no roles to answer about (set ROLEBOT_DOCS)", folder)
        return IndexReport()
    report = RoleIndex(store).index_folder(folder)
    if report.roles == 0:
        logger.warning("docs folder %s holds no role documents: /role will say the index is empty", folder)
    logger.info(
        "indexed %s: %d added, %d updated, %d unchanged, %d removed, %d failed; %d roles",
        settings.docs_dir, report.added, report.updated, report.unchanged, report.removed, report.failed, report.roles,
    )
    for path, reason in report.failures:
        logger.warning("could not index %s: %s", path, reason)
    return report


def warm_up(ctx: AppContext) -> None:
    """Build the engine's per-generation caches before the first user asks, then freeze the heap.

    ``gc.freeze()`` moves everything alive now (the role list, resolver, vocabulary) out of the garbage
    collector's sight, so later full collections, the cause of the engine's rare slow answers, have
    less to walk.
    """
    import gc

    for query in ("help", "list", "kpis"):
        ctx.engine.ask(query)
    gc.collect()
    gc.freeze()


def start_background(ctx: AppContext, client: WebClient | None, teams: Sender | None = None) -> Callable[[], None]:
    """Start background work for ``serve``, ``socket`` and ``teams``: the onboarding outbox poller, with
    the sender of each platform this process serves (Slack on ``client``, Teams with ``teams``); return a stop.

    The single place where long-running background work starts, so each process starts it once (one
    scheduler per database: never run two ``serve`` processes on one file).
    """
    from handlers.slack.sender import SlackSender
    from jobs import poller
    from jobs.delivery import Senders

    senders = Senders()
    if client is not None:
        senders["slack"] = SlackSender(client)
    if teams is not None:
        senders["teams"] = teams
    scheduler = poller.start(ctx.store, ctx.settings, senders)
    return lambda: scheduler.shutdown(wait=True)


def prepare_context(settings: Settings, *, index_now: bool = True) -> AppContext:
    """Open the databases and build the app context (``rolebot serve``, ``socket``, ``teams`` and
    ``console`` all start this way). With ``index_now`` the docs folder is indexed first; ``serve`` passes
    False and calls :func:`index_in_background` once it listens, so ``/healthz`` answers at once (not
    ready) instead of after indexing a large folder cold."""
    from core.store import open_store
    from core.store_pg import open_state_store
    from handlers.context import AppContext

    store = open_store(settings.db_path)
    ctx = AppContext.build(settings, open_state_store(settings.database_url, store), index_store=store)
    if index_now:
        _index_into(ctx, settings)
    return ctx


def index_in_background(ctx: AppContext, settings: Settings,
                        on_ready: Callable[[int], object] | None = None) -> threading.Thread:
    """Index the docs folder and warm the engine up in a thread of its own, and return the thread;
    ``on_ready`` gets the number of roles once answers can use them.

    Until it ends, answers say the index is not ready yet (or, for an empty folder, that it is empty),
    and ``/healthz`` reports ``index_ready: false``.
    """

    def run() -> None:
        try:
            _index_into(ctx, settings)
            warm_up(ctx)
            roles = len(ctx.index.list_roles())
            logger.info("role index ready: %d roles from %s", roles, settings.docs_dir)
            if on_ready is not None:
                on_ready(roles)
        except Exception:
            logger.exception("indexing %s at start-up failed; answers stay 'not ready' until it is re-indexed",
                             settings.docs_dir)

    thread = threading.Thread(target=run, name="rolebot-index", daemon=True)
    thread.start()
    return thread


def _index_into(ctx: AppContext, settings: Settings) -> None:
    report = index_docs(settings, ctx.index.store)
    ctx.empty_docs = settings.docs_dir if report.roles == 0 else None
