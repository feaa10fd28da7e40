"""Migrations of the serving state: the replay guard (``bot.replay``), shared by every process when
the state lives in PostgreSQL. Never edit a migration that has shipped; append a new one."""

from __future__ import annotations

import sqlite_utils


def _replay_guard_table(db: sqlite_utils.Database) -> None:
    db.execute("CREATE TABLE replay_guard (signature TEXT PRIMARY KEY, expires_at REAL NOT NULL)")


MIGRATIONS = [("serving-0001-replay-guard", _replay_guard_table)]
