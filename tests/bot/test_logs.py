"""Secrets never reach the logs: Slack tokens and a database URL's password are masked."""

from __future__ import annotations

import logging

from bot.app import create_app
from bot.logs import TokenFilter, setup_logging
from core.config import load_settings


def _masked(message: str, *args: object) -> str:
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, message, args, None)
    TokenFilter().filter(record)
    return record.getMessage()


def test_tokens_and_database_passwords_are_masked():
    assert _masked("token xoxb-123-abc rejected") == "token xoxb-*** rejected"
    text = _masked("cannot connect to %s", "postgresql://rolebot:s3cr%et@db.internal:5432/rolebot")
    assert "s3cr" not in text and text.endswith("postgresql://rolebot:***@db.internal:5432/rolebot")
    assert _masked("postgres://u:p@h/d and xapp-1-X") == "postgres://u:***@h/d and xapp-***"


def test_bolts_false_alarm_about_the_token_is_not_logged(monkeypatch, file_store):
    # Bolt reads SLACK_BOT_TOKEN itself and warns that it is unused when the app passes its client.
    class Collect(logging.Handler):
        def __init__(self) -> None:
            super().__init__()
            self.messages: list[str] = []

        def emit(self, record: logging.LogRecord) -> None:
            self.messages.append(record.getMessage())

    root, bolt, collect = logging.getLogger(), logging.getLogger("slack_bolt.App"), Collect()
    handlers, level = root.handlers[:], root.level
    try:
        setup_logging()
        bolt.addHandler(collect)
        monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
        create_app(load_settings(env={"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}), file_store)
        bolt.warning("another Bolt warning")
    finally:
        bolt.removeHandler(collect)
        root.handlers[:], root.level = handlers, level
    assert collect.messages == ["another Bolt warning"]
