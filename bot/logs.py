"""Logging set-up for the CLI and servers. Tokens never reach the logs (see TokenFilter)."""

from __future__ import annotations

import logging
import re

_TOKEN = re.compile(r"\b(xox[abpors]-|xapp-)[A-Za-z0-9-]+")


class TokenFilter(logging.Filter):
    """Masks anything that looks like a Slack token in a log record's message and arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = _TOKEN.sub(r"\1***", record.msg)
        if record.args:
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            record.args = tuple(_TOKEN.sub(r"\1***", a) if isinstance(a, str) else a for a in args)
        return True


def setup_logging(level: str = "INFO") -> None:
    """Log to stderr with a compact format and the token filter on the root handler."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(TokenFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
