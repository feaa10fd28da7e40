"""The list of loaders and the choice between them by sniffing content."""

from __future__ import annotations

import logging

from roles.loaders.base import BinaryLoader, Loader
from roles.loaders.blog_json import BlogJsonLoader
from roles.loaders.docx import DocxLoader
from roles.loaders.html_page import HtmlPageLoader
from roles.loaders.markdown import MarkdownLoader
from roles.loaders.pdf import PdfLoader
from roles.loaders.text import TextLoader
from roles.loaders.yaml_native import YamlLoader

logger = logging.getLogger(__name__)

#: A sniff score at or above this ends the search: the format is unambiguous (JSON, YAML by ending).
CERTAIN = 0.95

#: Every loader, most specific first (on equal confidence the earlier one wins).
LOADERS: list[Loader] = [BlogJsonLoader(), YamlLoader(), HtmlPageLoader(), MarkdownLoader(), TextLoader()]

#: Binary formats, recognised from their bytes before any decoding.
BINARY_LOADERS: list[BinaryLoader] = [DocxLoader(), PdfLoader()]


def binary_loader(data: bytes, path: str) -> BinaryLoader | None:
    """The binary loader whose format ``data`` is in, or None for text (and unknown binary) files."""
    return next((loader for loader in BINARY_LOADERS if loader.claims(data, path)), None)


def register(loader: Loader) -> None:
    """Add a loader for a new format (it competes with the others by its ``sniff`` confidence)."""
    LOADERS.insert(0, loader)


def choose(text: str, path: str) -> Loader:
    """The loader most confident that ``text`` is in its format."""
    best, best_score = LOADERS[-1], -1.0
    for loader in LOADERS:
        score = loader.sniff(text, path)
        if score > best_score:
            best, best_score = loader, score
        if score >= CERTAIN:
            break  # no other loader can be more sure; saves scanning large texts
    logger.debug("sniffed %s as %s (%.2f)", path, best.format, best_score)
    return best
