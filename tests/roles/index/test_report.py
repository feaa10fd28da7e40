"""What `index` says about a real docs folder: binaries counted, config not failed, notes, borderline, scope."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from core.errors import ConfigError
from core.store import open_store
from roles.index.library import RoleIndex
from roles.index.scope import DocsScope, matches

SHAPES = Path(__file__).parents[1] / "data" / "shapes"


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    shutil.copytree(SHAPES, folder)
    (folder / "assets" / "fonts").mkdir(parents=True)
    for n in range(30):
        (folder / "assets" / "fonts" / f"face-{n}.woff2").write_bytes(b"wOF2\x00\x01\x00" + bytes(range(256)))
    (folder / "assets" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (folder / "assets" / "blob").write_bytes(bytes(range(256)) * 4)  # binary with no ending
    (folder / "broken.md").write_bytes(b"# Clerk\n\x00\x00\x00 binary in a Markdown file")
    return folder


def _index(tmp_path: Path) -> RoleIndex:
    return RoleIndex(open_store(tmp_path / "index.db"))


def test_binaries_are_counted_once_and_config_files_are_not_failures(tmp_path: Path, docs: Path) -> None:
    report = _index(tmp_path).index_folder(docs)
    assert report.skipped == 32  # 30 fonts, a PNG and a binary blob
    # A document rolebot should read and could not is the only failure.
    assert [path for path, _ in report.failures] == ["broken.md"]
    notes = dict(report.notes)
    assert notes["config/_config.yml"] == "not a role: site or editor configuration (_config.yml)"
    assert notes["config/CNAME"].startswith("not a role: site or editor configuration")
    assert notes["cloud/README.md"].startswith("not a role (score")
    assert "page chrome left out" in notes["site/ic3_software_engineer.html"]
    assert report.pages == 33 and report.role_pages == 24  # pages read without error


def test_borderline_pages_are_listed_on_every_run(tmp_path: Path, docs: Path) -> None:
    index = _index(tmp_path)
    first = index.index_folder(docs)
    again = index.index_folder(docs)
    assert again.notes == [] and again.unchanged == first.documents_seen - first.failed
    assert again.borderline == first.borderline and again.borderline
    assert all(decision.startswith("borderline: ") for _, decision in again.borderline)


def test_include_exclude_and_overrides(tmp_path: Path, docs: Path) -> None:
    index = _index(tmp_path)
    report = index.index_folder(docs, DocsScope(include=("**/handbook-shapes/**", "**/cloud/*"),
                                                exclude=("**/README.md",)))
    assert report.documents_seen == 6 and report.out_of_scope > 20
    sources = {r.source_path for r in index.list_roles()}
    assert "cloud/cloud-engineer.md" in sources and "codes/l4.md" not in sources
    # An admin's word beats the evidence, and changing it re-reads unchanged files.
    forced = index.index_folder(docs, DocsScope(include=("**/handbook-shapes/**",),
                                                always=("platform-team.md",), never=("**/product-levels.md",)))
    sources = {r.source_path for r in index.list_roles()}
    assert "handbook-shapes/platform-team.md" in sources
    assert "handbook-shapes/product-levels.md" not in sources
    assert forced.updated >= 2


@pytest.mark.parametrize(("glob", "path", "expected"), [
    ("**/roles/**", "handbook/roles/eng/se.md", True), ("**/roles/**", "roles/se.md", True),
    ("**/career*", "people/career-ladder.md", True), ("**/career*", "careers/x/y.md", False),
    ("*.md", "deep/down/page.md", True), ("docs/*.md", "docs/a/b.md", False), ("README.md", "x/readme.md", True),
])
def test_globs(glob: str, path: str, expected: bool) -> None:
    assert matches(glob, path) is expected


def test_an_empty_glob_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="non-empty"):
        DocsScope(include=("",))
