"""Named exceptions of rolebot. Each is turned into a friendly message at the edge (CLI or Slack)."""

from __future__ import annotations


class RolebotError(Exception):
    """Base class of every error rolebot raises on purpose."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason

    def __str__(self) -> str:
        return self.reason


class ConfigError(RolebotError):
    """A setting is missing or wrong; the message names the setting."""


class DocumentError(RolebotError):
    """A role document could not be read; ``reason`` is one line a person can act on."""


class EmptyDocument(DocumentError):
    """The file is empty or holds only white space."""


class BinaryDocument(DocumentError):
    """The file holds binary data, not text."""


class DocumentTooLarge(DocumentError):
    """The file is larger than the indexer accepts."""


class UnreadableEncoding(DocumentError):
    """The bytes cannot be decoded as text in any encoding we try."""


class MalformedDocument(DocumentError):
    """The file claims a format (JSON, YAML, HTML) but is broken, e.g. truncated."""


class NoRoleContent(DocumentError):
    """The file parses but holds nothing that can be indexed (e.g. HTML with no headings or text)."""


class IndexNotReady(RolebotError):
    """The role index is missing, empty or being rebuilt."""


class RoleNotFound(RolebotError):
    """No role matches the name given."""

    def __init__(self, reason: str, suggestions: list[str] | None = None):
        super().__init__(reason)
        self.suggestions = suggestions or []


class InvalidCommand(RolebotError):
    """A command's arguments are malformed; ``reason`` says what to type instead."""


class SearchQueryError(RolebotError):
    """A full-text search expression is malformed (FTS5 syntax error)."""


class StorageError(RolebotError):
    """The database cannot be written (file deleted, replaced or read-only, disk full): nothing was saved.

    ``reason`` is the line for the user; ``problem`` the storage fault alone (for start-up and logs).
    """

    def __init__(self, reason: str, problem: str = ""):
        super().__init__(reason)
        self.problem = problem or reason
