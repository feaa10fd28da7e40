"""Logging set-up for the CLI and servers. Tokens never reach the logs (see TokenFilter)."""

from __future__ import annotations

import logging
import re

_TOKEN = re.compile(r"\b(xox[abpors]-|xapp-)[A-Za-z0-9-]+")
#: The password of a database URL (DATABASE_URL) that a driver's message might quote.
_URL_PASSWORD = re.compile(r"\b(postgres(?:ql)?://[^:/@\s]+:)[^@\s]+@")


def _mask(text: str) -> str:
    return _URL_PASSWORD.sub(r"\1***@", _TOKEN.sub(r"\1***", text))


class TokenFilter(logging.Filter):
    """Masks anything that looks like a Slack token or a database URL's password in a log record's
    message and arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = _mask(record.msg)
        if record.args:
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            record.args = tuple(_mask(a) if isinstance(a, str) else a for a in args)
        return True


class BoltTokenNotice(logging.Filter):
    """Drops Bolt's "As you gave `client` as well, `token` will be unused": Bolt reads SLACK_BOT_TOKEN
    from the environment and warns when an app also passes a client, which rolebot always does (the
    client carries that same token), so every start of every serving process logged a false alarm."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (isinstance(record.msg, str) and record.msg.startswith("As you gave `client` as well"))


def setup_logging(level: str = "INFO") -> None:
    """Log to stderr with a compact format and the token filter on the root handler."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(TokenFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # waitress warns once per request that waits for a worker: under load, a line per request. The
    # server's own back-pressure (bot.server) reports overload instead, at most once a second.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    bolt = logging.getLogger("slack_bolt.App")
    if not any(isinstance(f, BoltTokenNotice) for f in bolt.filters):
        bolt.addFilter(BoltTokenNotice())
