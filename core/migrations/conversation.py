"""Migrations of the follow-up memory (``roles.answer.conversation``): the last answer per user and
conversation. Never edit a migration that has shipped; append a new one."""

from __future__ import annotations

import sqlite_utils


def _create(db: sqlite_utils.Database) -> None:
    db.execute(
        """CREATE TABLE conversation_context (
            user_id TEXT NOT NULL,
            conversation_id TEXT NOT NULL,
            role_id INTEGER NOT NULL,
            role_title TEXT NOT NULL,
            aspect TEXT,
            query TEXT NOT NULL,
            page INTEGER NOT NULL DEFAULT 0,
            answered_at TEXT NOT NULL,
            PRIMARY KEY (user_id, conversation_id)
        )"""
    )
    db.execute("CREATE INDEX conversation_context_answered ON conversation_context (answered_at)")


MIGRATIONS = [("conversation-0001-context", _create)]
