"""``rolebot index --explain FILE``, the index report lines and the ``docs:`` config, run as a user would."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.cli import main
from core.config import load_settings
from core.errors import ConfigError

SHAPES = Path(__file__).resolve().parents[1] / "roles" / "data" / "shapes"


def test_explain_shows_roles_evidence_chrome_and_coverage(capsys) -> None:
    file = SHAPES / "site" / "ic3_software_engineer.html"
    assert main(["index", "--docs", str(SHAPES), "--explain", str(file)]) == 0
    out = capsys.readouterr().out
    assert "File: site/ic3_software_engineer.html" in out and "Format: html" in out
    assert "  - Software Engineer (aliases: IC3, IC3 Software Engineer)" in out
    assert "started by: <h1> of the page body" in out
    assert "for: level code 'IC3' (+1.5)" in out
    assert "section 'Responsibilities': responsibilities, 2 entries" in out
    assert "left out as page chrome: <nav.sidebar>" in out
    assert "Words placed: " in out and "(100%)" in out


def test_explain_says_why_a_page_is_not_a_role(capsys) -> None:
    assert main(["index", "--docs", str(SHAPES), "--explain", str(SHAPES / "handbook-shapes" / "incident-response.md")]) == 0
    out = capsys.readouterr().out
    assert "Decision: not a role: none of 3 headings is a role" in out
    assert "against: named inside the page 'Incident response process' (incident)" in out
    assert "against: the title names a kind of page ('incident'), not a job (-3)" in out
    assert "Roles found: 0" in out and "Not taken as roles: 3" in out


def test_explain_names_the_heading_or_table_row_that_started_each_role(capsys) -> None:
    file = SHAPES / "handbook-shapes" / "engineering-career-framework.md"
    assert main(["index", "--docs", str(SHAPES), "--explain", str(file)]) == 0
    out = capsys.readouterr().out
    assert "started by: heading '## Team Lead'" in out and "started by: row 'IC2' of a level table" in out
    assert "against: no content (a placeholder) (-4)" in out  # the TBD level


def test_explain_of_an_unreadable_file_is_one_line(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "role.docx"
    bad.write_bytes(b"PK\x03\x04 this is not really a zip")
    assert main(["index", "--docs", str(tmp_path), "--explain", str(bad)]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[1].startswith("Failed: not a Word document")


def test_index_prints_skipped_notes_and_borderline(tmp_path: Path, capsys) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(SHAPES, docs)
    (docs / "font.ttf").write_bytes(b"\x00\x01\x00\x00")
    assert main(["index", "--docs", str(docs), "--db", str(tmp_path / "r.db"), "--roles-never", "cloud/*"]) == 0
    out = capsys.readouterr().out
    assert "  skipped (not documents): 1" in out
    assert "  config/CNAME: not a role: site or editor configuration (CNAME)" in out
    assert "  cloud/cloud-engineer.md: not a role (set by configuration or front matter)" in out
    assert "  borderline: family/backend-engineer.md: 'Intermediate Backend Engineer' (taken, score 2.5)" in out
    assert "failed" not in out.split("Documents:", 1)[1].split("\n", 1)[1]


def test_docs_config_mapping(tmp_path: Path) -> None:
    config = tmp_path / "rolebot.yml"
    config.write_text("docs:\n  path: handbook\n  include: ['**/roles/**', '**/career*']\n  exclude: '**/archive/**'\n"
                      "  roles:\n    always: [people/levels.md]\n    never: ['**/README.md']\n", encoding="utf-8")
    settings = load_settings(env={}, config_path=config)
    assert settings.docs_dir == "handbook"
    assert settings.docs_include == ("**/roles/**", "**/career*") and settings.docs_exclude == ("**/archive/**",)
    assert settings.docs_always == ("people/levels.md",) and settings.docs_never == ("**/README.md",)


@pytest.mark.parametrize(("text", "message"), [
    ("docs: [a, b]\n", "'docs' must be a folder or a mapping"),
    ("docs:\n  paths: x\n", "unknown docs setting(s): paths"),
    ("docs:\n  include: [3]\n", "'docs.include' must be a list of globs"),
    ("docs:\n  roles: {sometimes: [x]}\n", "'docs.roles' must map 'always' and/or 'never'"),
])
def test_bad_docs_config_is_named(tmp_path: Path, text: str, message: str) -> None:
    config = tmp_path / "rolebot.yml"
    config.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_settings(env={}, config_path=config)
