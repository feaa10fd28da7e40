"""The extension point of the loaders: one :class:`Loader` subclass per document format.

A new format is one module with one subclass, added to ``roles.loaders.registry.LOADERS``. The
registry asks every loader how confident it is that a text is in its format (:meth:`Loader.sniff`)
and hands the text to the most confident one, because file endings lie (blog exports saved as
``.txt``, ladders with no extension at all).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

from roles.model import LoadedDocument


class Loader(ABC):
    """Turns the text of one document in one format into a :class:`LoadedDocument`.

    Implementations receive text whose encoding has already been repaired, and must raise only
    :class:`core.errors.DocumentError` subclasses, with a one-line reason a person can act on.
    """

    #: Short format name, stored as ``Source.format`` and ``LoadedDocument.format``.
    format: ClassVar[str]

    @abstractmethod
    def sniff(self, text: str, path: str) -> float:
        """Confidence from 0.0 (certainly not this format) to 1.0 (certainly this format).

        Must be cheap (look at the start of the text and at obvious markers) and never raise.
        ``path`` is a hint only: its ending may be wrong or missing.
        """

    @abstractmethod
    def load(self, text: str, path: str) -> LoadedDocument:
        """Parse ``text`` (read from ``path``, relative to the documents folder) into roles.

        Returns a document with no roles for files that are not role documents (a README or
        LICENSE); raises a :class:`core.errors.DocumentError` subclass when the text is broken.
        """


class BinaryLoader(ABC):
    """Turns the bytes of a binary document format (Word, PDF) into a :class:`LoadedDocument`.

    Binary formats are recognised by their signature and file ending before any text decoding, and
    are converted to a form a text loader already reads (HTML, Markdown) rather than parsed twice.
    """

    format: ClassVar[str]

    @abstractmethod
    def claims(self, data: bytes, path: str) -> bool:
        """True when ``data`` is in this format (cheap: signature and ending only)."""

    @abstractmethod
    def load_bytes(self, data: bytes, path: str) -> tuple[LoadedDocument, str]:
        """The document and its plain text (for the role decision); raises a ``DocumentError`` subclass."""

    def as_own_format(self, document: LoadedDocument) -> LoadedDocument:
        """``document`` (read by the text loader this format converts to) labelled with this format."""
        document.format = self.format
        for role in document.roles + document.rejected:
            role.source.format = self.format
        return document
