"""Bytes to clean text, once, before any parser sees the document.

Decoding order: a BOM if there is one (UTF-8, UTF-16), then strict UTF-8, then BOM-less UTF-16,
then UTF-8 with a few stray single-byte characters, then cp1252 and Latin-1 for old Windows exports.
Repair then undoes mojibake: the UTF-8-read-as-Mac-Roman double encoding seen in exported Markdown
ladders (``ü¶â Domain expertise``), which ftfy does not recognise in every case, and the common
UTF-8-read-as-cp1252 cases, which ftfy does.
"""

from __future__ import annotations

import codecs
import math
import re
import unicodedata

import ftfy

from core.errors import BinaryDocument, DocumentTooLarge, EmptyDocument, UnreadableEncoding

#: Largest document accepted, in bytes (and characters for text handed in directly).
MAX_BYTES = 5 * 1024 * 1024



def check_size(size: int) -> None:
    """Reject a document larger than :data:`MAX_BYTES` before reading it."""
    if size > MAX_BYTES:
        # Rounded up: a file just over the limit must not read "5.0 MB; the limit is 5 MB".
        megabytes = math.ceil(size / 1024 / 1024 * 10) / 10
        raise DocumentTooLarge(f"file is {megabytes:.1f} MB; the limit is {MAX_BYTES // 1024 // 1024} MB")


def decode_bytes(data: bytes) -> str:
    """Decode a document's bytes to text, or raise Empty/Binary/TooLarge/UnreadableEncoding."""
    check_size(len(data))
    if not data.strip():
        raise EmptyDocument("file is empty")
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise UnreadableEncoding(f"file starts with a {encoding} byte-order mark but is not valid {encoding}") from exc
    head = data[:8192]
    if b"\x00" in head:
        utf16 = _try_bomless_utf16(data)
        if utf16 is not None:
            return utf16
        raise BinaryDocument("file holds binary data (NUL bytes), not text")
    # Only C0 controls count here: bytes 0x80-0x9F are ordinary UTF-8 continuation bytes.
    if _control_ratio(head.decode("latin-1"), c1=False) > 0.05:
        raise BinaryDocument("file holds binary data (control bytes), not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    mostly_utf8 = _utf8_with_stray_bytes(data)
    if mostly_utf8 is not None:
        return mostly_utf8
    for encoding in ("cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        # Western text in a legacy code page is mostly ASCII with a few accented letters; bytes that
        # decode to mostly high or control characters are in some other encoding we cannot guess.
        if _plausible_legacy(text):
            return text
    raise UnreadableEncoding("file is not UTF-8, UTF-16 or a Western code page (cannot decode its bytes)")


#: Invalid bytes tolerated in a UTF-8 file (one Latin-1 character pasted into it), per 1,000 bytes.
STRAY_BYTES_PER_1000 = 2


def _utf8_with_stray_bytes(data: bytes) -> str | None:
    """UTF-8 text with a few stray single-byte characters (a pasted "\\xa0" or "é" from a Windows editor).

    Each invalid byte is read as cp1252 (Latin-1 where cp1252 has no character), so the rest of the
    document keeps its UTF-8 punctuation and emoji instead of the whole file turning into mojibake or
    being rejected. Too many invalid bytes mean the file is in another encoding: None.
    """
    stray = data.decode("utf-8", errors="replace").count("\ufffd") - data.count("\ufffd".encode())
    if stray > max(3, len(data) * STRAY_BYTES_PER_1000 // 1000):
        return None
    # surrogateescape keeps every invalid byte as one lone surrogate (U+DC80-U+DCFF) to map back.
    return data.decode("utf-8", errors="surrogateescape").translate(_STRAY)


_STRAY = {0xDC00 + byte: bytes([byte]).decode("cp1252", errors="ignore") or chr(byte) for byte in range(0x80, 0x100)}


def _try_bomless_utf16(data: bytes) -> str | None:
    even_nuls = data[0:4096:2].count(0)
    odd_nuls = data[1:4096:2].count(0)
    half = min(len(data), 4096) / 2
    if half == 0:
        return None
    encoding = "utf-16-le" if odd_nuls > 0.4 * half else "utf-16-be" if even_nuls > 0.4 * half else None
    if encoding is None:
        return None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    return text if _control_ratio(text[:4096]) < 0.01 else None


_C0 = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
_C0_C1 = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def _control_ratio(text: str, c1: bool = True) -> float:
    if not text:
        return 0.0
    return len((_C0_C1 if c1 else _C0).findall(text)) / len(text)


def _plausible_legacy(text: str) -> bool:
    sample = text[:20000]
    high = sum(1 for ch in sample if ord(ch) > 127)
    return high / max(len(sample), 1) < 0.3 and _control_ratio(sample) < 0.01


def check_text(text: str) -> None:
    """Reject text that is empty, binary or too large (for text handed to ``load_text`` directly)."""
    if len(text) > MAX_BYTES:
        raise DocumentTooLarge(f"text has {len(text)} characters; the limit is {MAX_BYTES}")
    if not text.strip():
        raise EmptyDocument("document is empty")
    if "\x00" in text[:8192]:
        raise BinaryDocument("document holds binary data (NUL characters), not text")
    if _control_ratio(text[:8192]) > 0.05:
        raise BinaryDocument("document holds binary data (control characters), not text")


# --- repair --------------------------------------------------------------------------------------

# Every character Mac Roman maps the bytes 0x80-0xFF to: mojibake of that kind consists of runs of them.
_MAC_HIGH = bytes(range(0x80, 0x100)).decode("mac_roman")
_MAC_RUN = re.compile("[" + re.escape(_MAC_HIGH) + "]{2,}")
# Characters that start a cp1252/Latin-1 mojibake sequence, or are C1 controls: lines holding none of
# them cannot be fixed by ftfy, so we skip it there (ftfy costs ~20 ms on an 80 KB document).
_SUSPECT = re.compile("[\u0080-\u009f\u00c2\u00c3\u00c5\u00ce\u00cf\u00d0\u00d1\u00e2\u00f0\ufffd]")


def repair_text(text: str) -> str:
    """Undo mojibake and normalise line ends: the one repair step before parsing."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if text.isascii():
        return text
    # Line by line, and only the lines that are not ASCII: every character either repair looks for is
    # outside ASCII and none is a line end. Scanning the whole text with the two patterns took 0.45 ms a
    # bench document, most of which is ASCII lines around a few accented words.
    lines = text.split("\n")
    for number, line in enumerate(lines):
        if not line.isascii():
            lines[number] = _fix_line(_MAC_RUN.sub(_fix_mac_run, line))
    return "\n".join(lines)


def _fix_line(line: str) -> str:
    if not _SUSPECT.search(line):
        return line
    return ftfy.fix_text(line, uncurl_quotes=False, fix_line_breaks=False)


def _fix_mac_run(match: re.Match[str]) -> str:
    """Reverse UTF-8 bytes that were decoded as Mac Roman, one character at a time.

    ftfy fixes some of these runs (🏆) but not others (🦉 read as "\\uf8ffü¶â"), because its detector is
    tuned for cp1252. A run is only rewritten where it forms a UTF-8 sequence whose result is plausible:
    3- and 4-byte sequences (punctuation such as ’ – and emoji) and 2-byte sequences led by "√"/"¬"
    (accented Latin letters). Shorter legitimate pairs such as “é are left alone.
    """
    run = match.group(0)
    raw = run.encode("mac_roman")
    out: list[str] = []
    i = 0
    while i < len(raw):
        lead = raw[i]
        size = 4 if 0xF0 <= lead <= 0xF4 else 3 if 0xE0 <= lead <= 0xEF else 2 if 0xC2 <= lead <= 0xDF else 0
        if size and i + size <= len(raw):
            try:
                char = raw[i:i + size].decode("utf-8")
            except UnicodeDecodeError:
                char = ""
            if char and _plausible_fix(char, size, run[i]):
                out.append(char)
                i += size
                continue
        out.append(run[i])
        i += 1
    return "".join(out)


def _plausible_fix(char: str, size: int, lead_char: str) -> bool:
    category = unicodedata.category(char)
    if category[0] in ("C", "M"):
        return False
    if size == 2:
        return lead_char in "√¬" and category[0] == "L"
    return True
