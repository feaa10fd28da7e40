"""The ``index``, ``roles`` and ``show`` commands, run through ``bot.cli.main`` as a user would."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from core.store import open_store
from roles.index.library import RoleIndex
from tests.roles.index.test_index import JsonLoader, make_role, write_doc


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A database indexed from test documents: two same-titled roles, one other role, a LICENSE."""
    docs = tmp_path / "docs"
    write_doc(docs, "blog/pm.json", make_role("Product Manager"))
    write_doc(docs, "ladder/pm.json", make_role("Product Manager", marker="ladder version"))
    write_doc(docs, "de.json", make_role("Data Engineer"))
    write_doc(docs, "LICENSE", title="MIT License", text="Permission is hereby granted")
    path = tmp_path / "rolebot.db"
    RoleIndex(open_store(path), loader=JsonLoader()).index_folder(docs)
    return path


def test_index_of_a_missing_folder_exits_2_with_a_clear_message(tmp_path, capsys):
    assert main(["index", "--docs", str(tmp_path / "nope"), "--db", str(tmp_path / "r.db")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("rolebot: docs folder ") and "does not exist" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("command", [["roles"], ["show", "Data Engineer"]])
def test_roles_and_show_without_a_database_say_how_to_create_it(tmp_path, capsys, command):
    db = tmp_path / "missing.db"
    assert main([*command, "--db", str(db)]) == 2
    assert capsys.readouterr().err.strip() == (
        f"rolebot: no index at {db}: run `rolebot index --docs DIR --db {db}` first"
    )
    assert not db.exists()


def test_roles_json_has_exactly_the_documented_fields(db, capsys):
    assert main(["roles", "--db", str(db), "--json"]) == 0
    entries = json.loads(capsys.readouterr().out)
    assert [(e["title"], e["source"]) for e in entries] == [
        ("Data Engineer", "de.json"),
        ("Product Manager", "blog/pm.json"),
        ("Product Manager", "ladder/pm.json"),
    ]
    for entry in entries:
        assert set(entry) == {"title", "aliases", "source", "aspects", "kpis", "goals"}
    assert entries[0]["aliases"] == ["DAT", "L4"]
    assert entries[0]["aspects"]["goals"] == 6
    assert entries[0]["kpis"] == 2
    assert entries[0]["goals"] == {"30": 2, "60": 1, "90": 3}


def test_roles_text_lists_one_line_per_role(db, capsys):
    assert main(["roles", "--db", str(db)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("Data Engineer (DAT, L4)  [de.json]  2 KPIs; goals 30d: 2, 60d: 1, 90d: 3")


def test_roles_uses_rolebot_db_from_the_environment(db, capsys, monkeypatch):
    monkeypatch.setenv("ROLEBOT_DB", str(db))
    assert main(["roles", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 3


def test_show_one_aspect_as_json(db, capsys):
    assert main(["show", "data engineer", "KPI", "--db", str(db), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["title"], data["aspect"], data["source"]["path"]) == ("Data Engineer", "kpis", "de.json")
    [section] = data["sections"]
    assert [k["name"] for k in section["kpis"]] == ["Release résumé quality", "Cycle time median 12 days Weekly"]
    assert section["kpis"][0]["target"] == "< 2"


def test_show_whole_role_as_text(db, capsys):
    assert main(["show", "Data Engineer", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Data Engineer\naliases: DAT, L4\nsource: de.json (json-test) https://example.test/Data-Engineer")
    assert "## Core responsibilities  [responsibilities]" in out
    assert "  ### Daily rhythm  [day-to-day]" in out
    assert "- KPI Release résumé quality (defects; target < 2; Monthly)" in out
    assert "30 days: First 30 days\n  - Meet the team" in out
    assert "  ✓ Knows every owner" in out


def test_show_resolves_alias_id_and_typos(db, capsys):
    assert main(["show", "dat", "--db", str(db), "--json"]) == 0
    role_id = json.loads(capsys.readouterr().out)["id"]
    assert main(["show", str(role_id), "--db", str(db), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "Data Engineer"
    assert main(["show", "data enginer", "--db", str(db), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "Data Engineer"


def test_show_knows_the_configured_aliases(db, tmp_path, capsys):
    config = tmp_path / "rolebot.yaml"
    config.write_text("aliases:\n  pipeline person: Data Engineer\n", encoding="utf-8")
    assert main(["--config", str(config), "show", "Pipeline Person", "--db", str(db), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "Data Engineer"
    assert main(["show", "Pipeline Person", "--db", str(db)]) == 2
    assert capsys.readouterr().err.startswith("rolebot: No role called 'Pipeline Person'.")


def test_show_a_title_held_by_two_documents_says_so_and_shows_both(db, capsys):
    assert main(["show", "Product Manager", "summary", "--db", str(db), "--json"]) == 0
    captured = capsys.readouterr()
    assert "2 roles match 'Product Manager'" in captured.err
    assert "blog/pm.json" in captured.err and "ladder/pm.json" in captured.err
    shown = json.loads(captured.out)
    assert [r["source"]["path"] for r in shown] == ["blog/pm.json", "ladder/pm.json"]


def test_show_unknown_role_suggests_close_titles(db, capsys):
    assert main(["show", "Data Scientist", "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert err == "rolebot: No role called 'Data Scientist'. Did you mean: Data Engineer?\n"


def test_show_unknown_or_absent_aspect(db, capsys):
    assert main(["show", "Data Engineer", "wizardry", "--db", str(db)]) == 2
    assert "unknown aspect 'wizardry'" in capsys.readouterr().err
    assert main(["show", "Data Engineer", "tools", "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert "has no 'tools' section; it has: summary, responsibilities, day-to-day, goals, kpis" in err


def test_index_the_bundled_examples_then_again_with_json(tmp_path, capsys):
    from core.config import BUNDLED_EXAMPLES

    db = tmp_path / "r.db"
    assert main(["index", "--docs", str(BUNDLED_EXAMPLES), "--db", str(db)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"Indexed {BUNDLED_EXAMPLES}: 3 roles, ")
    assert lines[1] == "Documents: 3 seen, 3 added, 0 updated, 0 unchanged, 0 removed, 0 failed"
    assert main(["index", "--docs", str(BUNDLED_EXAMPLES), "--db", str(db), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["unchanged"], report["roles"], report["failures"]) == (3, 3, [])


def test_index_reports_bad_files_and_still_exits_0(tmp_path, capsys):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "empty.md").write_text("", encoding="utf-8")
    (docs / "role.yaml").write_text("title: Data Engineer\nsummary: Builds pipelines.\n", encoding="utf-8")
    assert main(["index", "--docs", str(docs), "--db", str(tmp_path / "r.db")]) == 0
    out = capsys.readouterr().out
    assert "1 roles" in out and "1 failed" in out
    [failure] = [line for line in out.splitlines() if "failed:" in line]
    assert failure.startswith("  failed: empty.md: ")



@pytest.mark.parametrize("notes", ["not a database, just notes " * 100, "x"])  # SQLite would take "x" for a database
@pytest.mark.parametrize("command", [["roles"], ["show", "Data Engineer"], ["index", "--docs", "."]])
def test_a_file_that_is_not_a_database_is_a_one_line_error_and_stays_untouched(tmp_path, capsys, command, notes):
    db = tmp_path / "notes.txt"
    db.write_text(notes, encoding="utf-8")
    assert main([*command, "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert err == f"rolebot: cannot use the database {db}: file is not a database\n"
    assert db.read_text(encoding="utf-8") == notes


@pytest.mark.parametrize("command", [["roles"], ["show", "Data Engineer"]])
def test_an_empty_file_is_no_index_and_is_not_turned_into_one(tmp_path, capsys, command):
    db = tmp_path / "empty.db"
    db.touch()
    assert main([*command, "--db", str(db)]) == 2
    assert capsys.readouterr().err.startswith(f"rolebot: no index at {db}: ")
    assert db.stat().st_size == 0


def test_index_of_the_shared_documents_finds_exactly_five_roles(shared_docs, tmp_path, capsys):
    db = tmp_path / "r.db"
    assert main(["index", "--docs", str(shared_docs), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Indexed {shared_docs}: 5 roles, ")
    assert "0 failed" in out
    assert main(["roles", "--db", str(db), "--json"]) == 0
    entries = json.loads(capsys.readouterr().out)
    assert len(entries) == 5
    titles = {e["title"] for e in entries}
    assert {
        "Principal Technical Consultant",
        "Principal Implementation Consultant",
        "Post-Sales Engineer",
        "Principal Technical Product Manager",
    } <= titles
    assert any("Solutions Architect" in t for t in titles)
    for entry in entries:
        assert set(entry) == {"title", "aliases", "source", "aspects", "kpis", "goals"}
        assert all(isinstance(k, str) and k.isdigit() for k in entry["goals"])
    blogs = [e for e in entries if e["source"].startswith(("000_", "001_", "002_"))]
    assert all(e["kpis"] > 0 and {"30", "60", "90"} <= set(e["goals"]) for e in blogs)


def test_roles_of_an_index_without_roles(tmp_path, capsys):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "LICENSE").write_text("MIT License\n\nPermission is hereby granted, free of charge, to any person\n", encoding="utf-8")
    db = tmp_path / "r.db"
    assert main(["index", "--docs", str(docs), "--db", str(db)]) == 0
    capsys.readouterr()
    assert main(["roles", "--db", str(db), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["roles", "--db", str(db)]) == 0
    assert capsys.readouterr().out == "No roles indexed yet: run `rolebot index --docs DIR` first.\n"


def test_roles_text_escapes_control_characters_in_file_names(tmp_path, capsys):
    # A newline would split the listing; a terminal escape would recolour the user's terminal.
    docs = tmp_path / "docs"
    write_doc(docs, "evil\n\x1b[31mname.json", make_role("Data Engineer"))
    path = tmp_path / "rolebot.db"
    RoleIndex(open_store(path), loader=JsonLoader()).index_folder(docs)
    assert main(["roles", "--db", str(path)]) == 0
    [line] = capsys.readouterr().out.splitlines()
    assert "[evil\\n\\x1b[31mname.json]" in line and "\x1b" not in line
