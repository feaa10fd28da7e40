"""PDF role documents: pdfplumber's characters and tables rebuilt as Markdown for the Markdown loader.

A PDF has no headings or lists, only positioned characters. Lines set larger than the body text (or
bold and short) are headings, ranked by size; lines starting with a bullet glyph are list items; the
regions pdfplumber's table finder reports become tables. Writing that out as Markdown lets the one
Markdown parser build the sections, ladders and KPI tables, exactly as for a hand-written file.
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter

from core.errors import DocumentError, DocumentTooLarge, MalformedDocument, NoRoleContent
from roles.loaders.base import BinaryLoader
from roles.loaders.markdown import MarkdownLoader
from roles.model import LoadedDocument

logger = logging.getLogger(__name__)

#: Longer PDFs are handbooks or books, not role documents; reading one would hold up the whole index.
MAX_PAGES = 300
_BULLET = re.compile(r"^\s*([•◦▪▫●○■□‣⁃∙·*–-]|\d{1,2}[.)])\s+")
_HEADING_RATIO = 1.15


class EncryptedDocument(DocumentError):
    """The PDF is password-protected."""


class PdfLoader(BinaryLoader):
    """A PDF exported from a wiki, an HR system or a word processor."""

    format = "pdf"

    def claims(self, data: bytes, path: str) -> bool:
        return data[:1024].lstrip().startswith(b"%PDF") or (path.lower().endswith(".pdf") and b"%PDF" in data[:1024])

    def load_bytes(self, data: bytes, path: str) -> tuple[LoadedDocument, str]:
        markdown = pdf_markdown(data)
        return self.as_own_format(MarkdownLoader().load(markdown, path)), markdown


def pdf_markdown(data: bytes) -> str:
    """The PDF's text as Markdown (headings, bullets, tables); raises DocumentError for unusable PDFs."""
    # On first use: 45 ms of imports that a folder without PDFs never needs.
    import pdfplumber  # noqa: PLC0415
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect  # noqa: PLC0415
    from pdfminer.pdfparser import PDFSyntaxError  # noqa: PLC0415
    from pdfplumber.utils.exceptions import PdfminerException  # noqa: PLC0415

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = pdf.pages
            if len(pages) > MAX_PAGES:
                raise DocumentTooLarge(f"PDF has {len(pages)} pages; the limit is {MAX_PAGES}: split it into role documents")
            lines, sizes = [], Counter()
            for page in pages:
                lines.extend(_page_blocks(page, sizes))
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise EncryptedDocument("PDF is password-protected: export it without a password") from exc
    except PdfminerException as exc:
        if isinstance(exc.args[0] if exc.args else None, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise EncryptedDocument("PDF is password-protected: export it without a password") from exc
        raise MalformedDocument(f"PDF cannot be read ({_first_line(exc)})") from exc
    except (PDFSyntaxError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise MalformedDocument(f"PDF cannot be read ({type(exc).__name__})") from exc
    if not sizes:
        raise NoRoleContent("PDF has no text layer: export it with text, or add OCR")
    return "\n\n".join(_render(lines, sizes))


def _first_line(exc: Exception) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0][:120]


def _page_blocks(page, sizes: Counter) -> list[tuple]:
    """('line', text, size, bold) and ('table', rows) blocks of one page, top to bottom."""
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]
    blocks: list[tuple[float, tuple]] = [(t.bbox[1], ("table", t.extract())) for t in tables]
    for line in page.extract_text_lines(return_chars=True, keep_blank_chars=False):
        if any(_inside(line, box) for box in boxes):
            continue
        chars = [c for c in line["chars"] if c["text"].strip()]
        if not chars:
            continue
        size = round(max(c["size"] for c in chars), 1)
        bold = all("bold" in c.get("fontname", "").lower() for c in chars)
        sizes[size] += len(chars)
        blocks.append((line["top"], ("line", line["text"].strip(), size, bold)))
    return [block for _, block in sorted(blocks, key=lambda b: b[0])]


def _inside(line: dict, box: tuple) -> bool:
    x0, top, x1, bottom = box
    return line["top"] >= top - 1 and line["bottom"] <= bottom + 1 and line["x0"] >= x0 - 1 and line["x1"] <= x1 + 1


def _render(blocks: list[tuple], sizes: Counter) -> list[str]:
    body = sizes.most_common(1)[0][0]
    heading_sizes = sorted({b[2] for b in blocks if b[0] == "line" and b[2] >= body * _HEADING_RATIO}, reverse=True)
    out: list[str] = []
    for block in blocks:
        if block[0] == "table":
            out.append(_table(block[1]))
            continue
        _, text, size, bold = block
        if size in heading_sizes:
            out.append("#" * min(heading_sizes.index(size) + 1, 5) + " " + text)
        elif bold and len(text.split()) <= 10 and not text.endswith((".", ",")):
            out.append("#" * min(len(heading_sizes) + 1, 6) + " " + text)
        elif _BULLET.match(text):
            out.append("- " + _BULLET.sub("", text))
        elif out and not out[-1].startswith(("#", "|")) and not out[-1].endswith((".", ":", "!", "?")):
            out[-1] += " " + text  # a paragraph wrapped across lines
        else:
            out.append(text)
    return out


def _table(rows: list[list[str | None]]) -> str:
    cells = [[" ".join((cell or "").split()).replace("|", "/") for cell in row] for row in rows if row]
    if not cells:
        return ""
    width = max(len(row) for row in cells)
    cells = [row + [""] * (width - len(row)) for row in cells]
    lines = ["| " + " | ".join(cells[0]) + " |", "|" + "---|" * width]
    lines += ["| " + " | ".join(row) + " |" for row in cells[1:]]
    return "\n".join(lines)
