"""Replay guards: a verified Slack request is accepted once; the same (timestamp, signature) again is not.

Slack's signature only proves who sent a request and roughly when, so anyone who captured one could send
it again within the 5-minute window (one *Share in channel* click replayed three times posted three
times). A guard remembers each accepted signature until its timestamp leaves the window:

- :class:`MemoryReplayGuard` for one serving process (the SQLite default): bounded, thread-safe;
- :class:`DatabaseReplayGuard` when several processes serve one database (PostgreSQL): a row per
  signature, and the primary key decides which process saw it first.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:

    from core.store import Store

logger = logging.getLogger(__name__)

#: Signatures remembered at most: 5 minutes at ~330 requests per second.
MAX_REMEMBERED = 100_000
#: The database guard deletes expired rows once every this many accepted requests.
PURGE_EVERY = 500


class ReplayGuard:
    """Remembers accepted signatures until they expire."""

    def first_time(self, signature: str, expires_at: float) -> bool:
        """True, and remember it until ``expires_at`` (epoch seconds), unless ``signature`` was seen."""
        raise NotImplementedError


class MemoryReplayGuard(ReplayGuard):
    """In-process memory, bounded: past ``size`` live entries the oldest is forgotten (and logged once)."""

    def __init__(self, size: int = MAX_REMEMBERED, clock: Callable[[], float] = time.time):
        self._size = size
        self._clock = clock
        self._expiry: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()
        self._warned = False

    def first_time(self, signature: str, expires_at: float) -> bool:
        with self._lock:
            self._forget_expired()
            if signature in self._expiry:
                return False
            self._expiry[signature] = expires_at
            if len(self._expiry) > self._size:
                self._expiry.popitem(last=False)
                if not self._warned:
                    self._warned = True
                    logger.warning("replay guard full (%d requests in 5 minutes): forgetting the oldest", self._size)
            return True

    def _forget_expired(self) -> None:
        # Insertion order is nearly expiry order (timestamps are within the window), so the expired
        # entries are at the front; stop at the first live one.
        now = self._clock()
        while self._expiry:
            signature, expires_at = next(iter(self._expiry.items()))
            if expires_at >= now:
                break
            del self._expiry[signature]

    def __len__(self) -> int:
        return len(self._expiry)


class DatabaseReplayGuard(ReplayGuard):
    """A table shared by every process that serves the same database."""

    def __init__(self, store: Store, clock: Callable[[], float] = time.time):
        self._store = store
        self._clock = clock
        self._accepted = 0
        self._lock = threading.Lock()

    def first_time(self, signature: str, expires_at: float) -> bool:
        # Every request writes here: one statement, its own transaction (see Store.execute_autocommit).
        cursor = self._store.execute_autocommit(
            "INSERT INTO replay_guard (signature, expires_at) VALUES (?, ?) ON CONFLICT (signature) DO NOTHING",
            [signature, expires_at],
        )
        if cursor.rowcount != 1:
            return False
        with self._lock:
            self._accepted += 1
            purge = self._accepted % PURGE_EVERY == 0
        if purge:
            self._store.execute_autocommit("DELETE FROM replay_guard WHERE expires_at < ?", [self._clock()])
        return True
