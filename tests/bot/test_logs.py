"""Secrets never reach the logs: Slack tokens and a database URL's password are masked."""

from __future__ import annotations

import logging

from bot.logs import TokenFilter


def _masked(message: str, *args: object) -> str:
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, message, args, None)
    TokenFilter().filter(record)
    return record.getMessage()


def test_tokens_and_database_passwords_are_masked():
    assert _masked("token xoxb-123-abc rejected") == "token xoxb-*** rejected"
    text = _masked("cannot connect to %s", "postgresql://rolebot:s3cr%et@db.internal:5432/rolebot")
    assert "s3cr" not in text and text.endswith("postgresql://rolebot:***@db.internal:5432/rolebot")
    assert _masked("postgres://u:p@h/d and xapp-1-X") == "postgres://u:***@h/d and xapp-***"
