"""What every listener needs, built once per app: settings, store, role index and answer engine."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from core.config import Settings
from core.store import Store
from roles.answer.conversation import ConversationMemory
from roles.index.library import RoleIndex

if TYPE_CHECKING:
    from concurrent.futures import ThreadPoolExecutor

    from roles.answer.engine import AnswerEngine

#: Event IDs remembered to drop Slack's retries of events already handled.
SEEN_EVENTS = 2048


class SeenEvents:
    """A small thread-safe LRU of Events API ``event_id`` values, so a retried event runs once."""

    def __init__(self, size: int = SEEN_EVENTS):
        self._size = size
        self._ids: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()

    def first_time(self, event_id: str) -> bool:
        """True the first time an ID is seen (and remember it); False for a repeat."""
        with self._lock:
            if event_id in self._ids:
                self._ids.move_to_end(event_id)
                return False
            self._ids[event_id] = None
            if len(self._ids) > self._size:
                self._ids.popitem(last=False)
            return True


@dataclass
class AppContext:
    """Shared state of the Slack app. Listeners get it through their module's ``register(app, ctx)``."""

    settings: Settings
    store: Store
    index: RoleIndex
    engine: AnswerEngine
    seen_events: SeenEvents = field(default_factory=SeenEvents)
    #: The last answer per user and conversation, for follow-up questions (kept in ``store``).
    memory: ConversationMemory = field(init=False)

    def __post_init__(self) -> None:
        self.memory = ConversationMemory(self.store)

    #: The docs folder, when the index built from it at start-up holds no roles (see :meth:`not_ready_text`).
    empty_docs: str | None = None
    #: The pool that runs listeners after their ack (set by ``bot.app.create_app``); drained at shutdown.
    listener_executor: ThreadPoolExecutor | None = None

    def not_ready_text(self) -> str:
        """What to tell a user while the index has no roles: empty (an admin must act) or still being read."""
        if self.empty_docs is not None:
            return (f"The role index is empty: no role documents were found in {self.empty_docs}. "
                    "Ask an admin to add the role documents there and restart rolebot (or run `rolebot index`).")
        return "The role index is not ready yet (rolebot is reading the role documents); try again in a minute."

    @classmethod
    def build(cls, settings: Settings, store: Store, index_store: Store | None = None) -> AppContext:
        """The context over ``store`` (journeys, outbox) and the role index in ``index_store`` (default:
        the same SQLite file; with PostgreSQL state the index stays a local SQLite file)."""
        from roles.answer.engine import AnswerEngine

        index = RoleIndex(index_store or store)
        return cls(settings=settings, store=store, index=index, engine=AnswerEngine(index, dict(settings.aliases)))
