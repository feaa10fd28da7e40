"""Word documents (.docx): mammoth turns them into semantic HTML, which the HTML page loader reads.

mammoth maps Word's paragraph styles to real headings, lists and tables and drops the visual noise,
so a Word role description is read by the same code as a saved web page (one parser, not two).
"""

from __future__ import annotations

import io
import logging
import zipfile

from core.errors import MalformedDocument, NoRoleContent
from roles.loaders.base import BinaryLoader
from roles.loaders.html_blocks import node_text, parse_html
from roles.loaders.html_page import HtmlPageLoader
from roles.model import LoadedDocument

logger = logging.getLogger(__name__)

# Word's "Title" style is the document's name: make it the page's <h1> like a web page's.
_STYLE_MAP = "p[style-name='Title'] => h1:fresh\np[style-name='Subtitle'] => p:fresh"


class DocxLoader(BinaryLoader):
    """A Word document holding one role (or a ladder, when its headings say so)."""

    format = "docx"

    def claims(self, data: bytes, path: str) -> bool:
        """A zip (``PK``) named .docx, or any zip whose first entries are Word's."""
        if not data.startswith(b"PK"):
            return False
        return path.lower().endswith((".docx", ".docm")) or b"word/document.xml" in data[:4096]

    def load_bytes(self, data: bytes, path: str) -> tuple[LoadedDocument, str]:
        html = _to_html(data)
        text = node_text(parse_html(html).body) if html.strip() else ""
        if not text.strip():
            raise NoRoleContent("Word document has no text")
        return self.as_own_format(HtmlPageLoader().load(f"<html><body>{html}</body></html>", path)), text


def _to_html(data: bytes) -> str:
    import mammoth  # noqa: PLC0415 - on first use: 40 ms of imports that a folder without Word files never needs

    try:
        result = mammoth.convert_to_html(io.BytesIO(data), style_map=_STYLE_MAP)
    except zipfile.BadZipFile as exc:
        raise MalformedDocument(f"not a Word document: the zip is broken ({exc})") from exc
    except (KeyError, OSError) as exc:
        # A zip without word/document.xml: some other zip saved with a .docx name.
        raise MalformedDocument("not a Word document: the zip holds no word/document.xml") from exc
    except (ValueError, AttributeError, TypeError) as exc:
        raise MalformedDocument(f"Word document cannot be read ({type(exc).__name__})") from exc
    for message in result.messages[:3]:
        logger.debug("mammoth: %s", message)
    return result.value
