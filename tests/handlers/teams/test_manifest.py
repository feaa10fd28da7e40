"""The Teams app package: manifest fields Teams checks on upload, and the two generated icons."""

from __future__ import annotations

import json
import struct
import zipfile
import zlib

import pytest

from bot.cli import main
from handlers.teams.manifest import MANIFEST_VERSION, manifest

APP_ID = "00000000-0000-4000-8000-00000000a99d"


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and RGBA rows of a PNG written by handlers.teams.manifest (filter 0 rows)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    assert (depth, colour) == (8, 6)
    chunks, offset = {}, 8
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        body = data[offset + 8:offset + 8 + length]
        assert struct.unpack(">I", data[offset + 8 + length:offset + 12 + length])[0] == zlib.crc32(kind + body)
        chunks[kind] = chunks.get(kind, b"") + body
        offset += 12 + length
    raw = zlib.decompress(chunks[b"IDAT"])
    stride = width * 4 + 1
    return width, height, [raw[y * stride + 1:(y + 1) * stride] for y in range(height)]


def test_the_package_has_the_manifest_and_both_icons(tmp_path, capsys):
    out = tmp_path / "app.zip"
    assert main(["teams-manifest", "--app-id", APP_ID, "--out", str(out)]) == 0
    with zipfile.ZipFile(out) as package:
        assert sorted(package.namelist()) == ["color.png", "manifest.json", "outline.png"]
        data = json.loads(package.read("manifest.json"))
        colour = png_pixels(package.read("color.png"))
        outline = png_pixels(package.read("outline.png"))
    assert data["manifestVersion"] == MANIFEST_VERSION and data["id"] == APP_ID
    [bot] = data["bots"]
    assert bot["botId"] == APP_ID and set(bot["scopes"]) == {"personal", "team", "groupChat"}
    for commands in bot["commandLists"]:
        assert len(commands["scopes"]) == 1 and len(commands["commands"]) <= 10
        assert all(len(c["title"]) <= 32 and len(c["description"]) <= 128 for c in commands["commands"])
    assert len(data["description"]["short"]) <= 80 and len(data["name"]["short"]) <= 30
    # 192×192 colour: opaque everywhere; 32×32 outline: white or fully transparent pixels only, some of each.
    assert colour[:2] == (192, 192) and all(row[3::4] == b"\xff" * 192 for row in colour[2])
    assert outline[:2] == (32, 32)
    pixels = {bytes(row[x:x + 4]) for row in outline[2] for x in range(0, 128, 4)}
    assert pixels == {b"\xff\xff\xff\xff", b"\x00\x00\x00\x00"}


@pytest.mark.parametrize(("args", "message"), [
    (["--app-id", "not-a-guid"], "a GUID"),
    (["--app-id", APP_ID, "--website", "http://plain.example"], "https://"),
    (["--app-id", APP_ID, "--out", "/nonexistent-dir/app.zip"], "cannot write"),
])
def test_bad_arguments_get_one_line(args, message, capsys):
    assert main(["teams-manifest", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_a_command_list_never_exceeds_teams_limits():
    data = manifest(APP_ID, name="x" * 50)
    assert len(data["name"]["short"]) <= 30


@pytest.mark.parametrize("command", [["teams"], ["serve", "--teams"]])
def test_serving_teams_without_credentials_exits_with_one_line(command, monkeypatch, capsys):
    for name in ("CLIENT_ID", "CLIENT_SECRET", "TENANT_ID", "ROLEBOT_TEAMS_ALLOW_ANONYMOUS"):
        monkeypatch.delenv(name, raising=False)
    assert main(command) == 2
    err = capsys.readouterr().err
    assert "CLIENT_ID" in err and "ROLEBOT_TEAMS_ALLOW_ANONYMOUS" in err and err.count("\n") == 1


def test_an_unclear_anonymous_flag_is_refused(monkeypatch, capsys):
    monkeypatch.setenv("ROLEBOT_TEAMS_ALLOW_ANONYMOUS", "1")
    assert main(["teams"]) == 2
    assert "must be true or false" in capsys.readouterr().err
