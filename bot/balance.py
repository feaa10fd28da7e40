"""Evening out connections among the processes of ``serve --workers`` (see :mod:`bot.workers`).

The processes share one listening socket, and whichever polls first accepts a new connection. Slack
and load balancers keep connections alive, so that first split lasts: with 50 keep-alive clients on two
processes it was measured at 42/8, 36/14 and 28/22, and the busy process's queue set the tail.

Each process publishes how many connections it holds in a small shared table (one 8-byte slot per
process in a file every process maps), and a process accepts only while it holds at most one more than
the least loaded one; the least loaded always accepts, so no connection waits for long. A process that
holds back for :data:`HOLD_BACK_SECONDS` in a row accepts anyway: a peer that is stuck or gone must not
leave connections waiting. The kernel's ``SO_REUSEPORT`` would split by hash instead, but it binds a
connection to one process's queue even when that process is stuck.

Written by hand: waitress has no hook for this, and the table is three lines of ``struct``.
"""

from __future__ import annotations

import mmap
import os
import struct
import time
from collections.abc import Callable
from typing import Any

#: The most a process holds back from accepting while its peers do not.
HOLD_BACK_SECONDS = 0.2
#: What a slot says when its process is not serving (not started yet, or exited): never the least.
ABSENT = 2**62
_SLOT = struct.Struct("q")


class ConnectionShares:
    """The shared table: slot ``i`` holds the open connections of process ``i``."""

    def __init__(self, table: mmap.mmap | bytearray, processes: int):
        self._table = table
        self.processes = processes

    @classmethod
    def create(cls, fd: int, processes: int) -> ConnectionShares:
        """A new table in the file ``fd`` (sized here; every slot absent)."""
        os.ftruncate(fd, processes * _SLOT.size)
        shares = cls.attach(fd, processes)
        for slot in range(processes):
            shares.set(slot, ABSENT)
        return shares

    @classmethod
    def attach(cls, fd: int, processes: int) -> ConnectionShares:
        """The table another process created, in the inherited file ``fd``."""
        return cls(mmap.mmap(fd, processes * _SLOT.size), processes)

    def set(self, slot: int, connections: int) -> None:
        _SLOT.pack_into(self._table, slot * _SLOT.size, connections)

    def get(self, slot: int) -> int:
        return _SLOT.unpack_from(self._table, slot * _SLOT.size)[0]

    def least(self) -> int:
        return min(self.get(slot) for slot in range(self.processes))


class FairAccept:
    """Decides, each time the server's loop asks, whether process ``slot`` should accept now."""

    def __init__(self, shares: ConnectionShares, slot: int, clock: Callable[[], float] = time.monotonic):
        self._shares = shares
        self._slot = slot
        self._clock = clock
        self._holding_since: float | None = None

    def allows(self, connections: int) -> bool:
        self._shares.set(self._slot, connections)
        if connections <= self._shares.least() + 1:
            self._holding_since = None
            return True
        now = self._clock()
        if self._holding_since is None:
            self._holding_since = now
        return now - self._holding_since >= HOLD_BACK_SECONDS

    def leave(self) -> None:
        """This process stops serving: its slot no longer counts."""
        self._shares.set(self._slot, ABSENT)


def accept_fairly(server: Any, fair: FairAccept) -> None:
    """Make waitress ``server`` accept only when ``fair`` allows (it asks ``readable()`` every turn)."""
    readable = server.readable

    def fair_readable() -> bool:
        return readable() and fair.allows(len(server.active_channels))

    server.readable = fair_readable
