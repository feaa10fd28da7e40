"""Bad input: every file that cannot be indexed fails with a specific one-line DocumentError."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from core.errors import (
    BinaryDocument,
    DocumentError,
    DocumentTooLarge,
    EmptyDocument,
    MalformedDocument,
    NoRoleContent,
    UnreadableEncoding,
)
from roles.loaders import load_file, load_text
from roles.loaders.decode import MAX_BYTES


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("data", "error", "words"),
    [
        (b"", EmptyDocument, "empty"),
        (b"  \n\t\n", EmptyDocument, "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", BinaryDocument, "binary"),
        (bytes(range(1, 32)) * 20, BinaryDocument, "binary"),
        (bytes(range(0x80, 0x100)) * 40, UnreadableEncoding, "cannot decode"),
        (codecs.BOM_UTF8 + b"\xff\xfe broken", UnreadableEncoding, "utf-8"),
        (b'{"title": {"rendered": "Engineer"}, "content": {"rendered": "<h2>Ro', MalformedDocument, "JSON"),
        (b"<html><body><p>Just a paragraph, no headings.</p></body></html>", NoRoleContent, "headings"),
    ],
)
def test_bad_files_raise_specific_one_line_errors(tmp_path: Path, data: bytes, error: type, words: str) -> None:
    path = _write(tmp_path, "doc.txt", data)
    with pytest.raises(error) as caught:
        load_file(path, tmp_path)
    reason = str(caught.value)
    assert words.lower() in reason.lower()
    assert reason and "\n" not in reason


def test_huge_file_is_rejected_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.md"
    with path.open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)  # sparse: no 5 MB written to disk
    with pytest.raises(DocumentTooLarge, match=r"file is 5\.1 MB; the limit is 5 MB"):
        load_file(path, tmp_path)


def test_huge_text_is_rejected() -> None:
    with pytest.raises(DocumentTooLarge):
        load_text("# Role\n" + "x" * MAX_BYTES, "big.md")


def test_missing_file_is_a_document_error(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="cannot read"):
        load_file(tmp_path / "gone.md", tmp_path)


def test_legacy_and_utf16_encodings_are_decoded(tmp_path: Path) -> None:
    text = "title: Café Manager\nsections:\n  - heading: Responsibilities\n    items: [Crème brûlée]\n"
    for encoding, name in (("cp1252", "a.yaml"), ("utf-16", "b.yaml"), ("utf-8-sig", "c.yaml"),
                           ("utf-16-le", "d.yaml")):
        document = load_file(_write(tmp_path, name, text.encode(encoding)), tmp_path)
        role = document.roles[0]
        assert role.title == "Café Manager", encoding
        assert role.sections[0].items[0].text == "Crème brûlée", encoding


@pytest.mark.parametrize(
    "text",
    [
        "<html><body>" + "<div>" * 3000 + "<h2>Responsibilities</h2>" + "</div>" * 3000 + "</body></html>",
        "<html><body><h2>Responsibilities</h2>" + "<ul><li>" * 1500 + "deep" + "</li></ul>" * 1500 + "</body></html>",
        '{"content": {"rendered": "<h2>Goals</h2>' + "<ol><li>" * 1500 + '"}}',
        "[" * 5000 + "]" * 5000,
        "# Role\n\n" + ">" * 2000 + " quote\n\n" + "".join("  " * i + "- item\n" for i in range(200)),
    ],
)
def test_deeply_nested_input_never_exhausts_recursion(text: str) -> None:
    try:
        document = load_text(text, "deep")
    except DocumentError as exc:
        assert "\n" not in str(exc)
    else:
        assert document.path == "deep"


def test_a_symlinked_file_is_named_by_its_own_path(tmp_path: Path) -> None:
    # The index knows the link by its path under the folder; the roles must say the same source.
    (tmp_path / "ladder.md").write_text("# Clerk\n\n## Responsibilities\n\n- File\n", encoding="utf-8")
    (tmp_path / "team").mkdir()
    (tmp_path / "team" / "link.md").symlink_to(tmp_path / "ladder.md")
    document = load_file(tmp_path / "team" / "link.md", tmp_path)
    assert (document.path, document.roles[0].source.path) == ("team/link.md", "team/link.md")


def test_utf8_file_with_a_stray_windows_byte_keeps_its_utf8_text(tmp_path: Path) -> None:
    # One non-breaking space pasted from a Windows editor made the whole file unreadable (its emoji do
    # not decode as cp1252) or, without emoji, turned every dash and quote into mojibake.
    text = "# Café Manager – Lyon 🏆\n\n## Responsibilities\n\n- Crème brûlée “daily”\n- Open at 7 am\n"
    data = text.encode("utf-8").replace(b"7 am", b"7\xa0am")
    (role,) = load_file(_write(tmp_path, "cafe.md", data), tmp_path).roles
    assert role.title == "Café Manager"
    assert [i.text for i in role.sections[0].items] == ["Crème brûlée “daily”", "Open at 7 am"]
    # Many invalid bytes are another encoding, decoded as such.
    legacy = ("# Café Manager\n\n## Responsibilities\n\n" + "- Crème brûlée à la carte\n" * 20).encode("cp1252")
    (role,) = load_file(_write(tmp_path, "legacy.md", legacy), tmp_path).roles
    assert role.sections[0].items[0].text == "Crème brûlée à la carte"
