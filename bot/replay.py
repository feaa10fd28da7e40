"""Replay guards: a verified Slack request is accepted once; the same (timestamp, signature) again is not.

Slack's signature only proves who sent a request and roughly when, so anyone who captured one could send
it again within the 5-minute window (one *Share in channel* click replayed three times posted three
times). A guard remembers each accepted signature until its timestamp leaves the window:

- :class:`MemoryReplayGuard` for one serving process (the SQLite default): bounded, thread-safe;
- :class:`SharedReplayGuard` for the processes of ``serve --workers`` on one host: a table in a file
  every process maps, under a lock;
- :class:`DatabaseReplayGuard` when several processes serve one database from anywhere (PostgreSQL): a
  row per signature, and the primary key decides which process saw it first.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import mmap
import os
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import IO, TYPE_CHECKING

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


class SharedReplayGuard(ReplayGuard):
    """A fixed table in a file that every serving process on the host maps (``serve --workers``).

    Why not the database: with several processes the guard had been a row written per request, 0.10-0.15
    ms of each request and ~20 ms of p99 at 50 clients (processes waiting for SQLite's write lock). Here
    a request costs a hash, two ``fcntl`` calls and a few probes. Written by hand: no library shares a
    set between processes that are not forks of one another (the workers are started afresh and
    inherit only the file).

    Each slot holds a 64-bit fingerprint of the signature and its expiry; a signature's slot is found by
    linear probing from its fingerprint, over at most :data:`PROBES` slots. An expired slot is free
    again. With :data:`SLOTS` 2.6 times :data:`MAX_REMEMBERED`, all probes of a signature are live only
    when far more requests arrive than Slack sends; then the one expiring first is forgotten (and that
    logged once), as the memory guard does.
    """

    SLOTS = 1 << 18  # 4 MB
    PROBES = 64

    def __init__(self, file: IO[bytes] | None, fd: int, clock: Callable[[], float] = time.time):
        self._file = file  # the creator keeps the file open while the processes use it
        self._fd = fd
        self._map = mmap.mmap(fd, self.SLOTS * 16)
        self._table = memoryview(self._map).cast("Q")  # fingerprint, expiry; fingerprint 0: never used
        self._clock = clock
        self._lock = threading.Lock()  # fcntl locks exclude other processes, not this one's threads
        self._warned = False

    @classmethod
    def create(cls, clock: Callable[[], float] = time.time) -> SharedReplayGuard:
        """A new, empty table in an unnamed temporary file (pass :meth:`fileno` to the workers)."""
        file = tempfile.TemporaryFile(prefix="rolebot-replays-")
        os.ftruncate(file.fileno(), cls.SLOTS * 16)
        return cls(file, file.fileno(), clock)

    @classmethod
    def attach(cls, fd: int, clock: Callable[[], float] = time.time) -> SharedReplayGuard:
        """The table another process created, in the inherited file ``fd``."""
        return cls(None, fd, clock)

    def fileno(self) -> int:
        return self._fd

    def first_time(self, signature: str, expires_at: float) -> bool:
        fingerprint = int.from_bytes(hashlib.blake2b(signature.encode(), digest_size=8).digest(), "big") or 1
        with self._lock:
            fcntl.lockf(self._fd, fcntl.LOCK_EX)
            try:
                return self._insert(fingerprint, int(expires_at), self._clock())
            finally:
                fcntl.lockf(self._fd, fcntl.LOCK_UN)

    def _insert(self, fingerprint: int, expires_at: int, now: float) -> bool:
        table, slots = self._table, self.SLOTS
        start = fingerprint % slots
        free = None
        oldest = None
        for probe in range(self.PROBES):
            slot = (start + probe) % slots
            held, expiry = table[2 * slot], table[2 * slot + 1]
            if held == 0:  # never used: no copy of this signature lies further on
                free = slot if free is None else free
                break
            if expiry < now:
                free = slot if free is None else free
                continue
            if held == fingerprint:
                return False
            if oldest is None or expiry < table[2 * oldest + 1]:
                oldest = slot
        if free is None:
            free = oldest
            if not self._warned:
                self._warned = True
                logger.warning("replay guard full around one signature: forgetting the one expiring first")
        table[2 * free], table[2 * free + 1] = fingerprint, expires_at
        return True

    def close(self) -> None:
        self._table.release()
        self._map.close()
        if self._file is not None:
            self._file.close()
