"""``rolebot ask``: text and JSON answers, one JSON line per stdin query, a missing database, fast start."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from core.config import BUNDLED_EXAMPLES

PROJECT = Path(__file__).resolve().parents[2]


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("ROLEBOT_CONFIG", raising=False)
    path = tmp_path / "roles.db"
    assert main(["index", "--docs", str(BUNDLED_EXAMPLES), "--db", str(path)]) == 0
    return path


def test_text_answer(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["ask", "--db", str(db), "sre", "first", "month"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Site Reliability Engineer: 30-day goals")
    assert "Success indicators:" in out


def test_json_answer(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["ask", "--db", str(db), "--json", "site reliability enginer kpis"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["kind"] == "role_section"
    assert data["roles"][0] == "Site Reliability Engineer"
    assert data["section"]
    assert "Target:" in data["text"]
    assert isinstance(data["suggestions"], list)


def test_stdin_gives_one_json_object_per_line(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    queries = ["roles", "", "parental leave policy", "compare sre vs data analyst 30 day goals", "x" * 4000]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(queries) + "\n"))
    capsys.readouterr()
    assert main(["ask", "--db", str(db), "--json", "-"]) == 0
    lines = capsys.readouterr().out.splitlines()
    answers = [json.loads(line) for line in lines]
    assert [a["query"] for a in answers] == queries
    assert [a["kind"] for a in answers[:4]] == ["list", "help", "no_match", "compare"]
    assert answers[4]["kind"] == "no_match"


def test_missing_database_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.db"
    assert main(["ask", "--db", str(missing), "kpis"]) == 2
    err = capsys.readouterr().err
    assert "no index at" in err and "rolebot index" in err
    assert not missing.exists()


def test_ask_does_not_import_slack(db: Path) -> None:
    code = (
        "import sys; from bot.cli import main; main(['ask', '--db', sys.argv[1], 'sre']); "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('slack_bolt', 'slack_sdk', 'apscheduler', 'waitress')]; "
        "print('IMPORTED', bad)"
    )
    result = subprocess.run([sys.executable, "-c", code, str(db)], capture_output=True, text=True, cwd=PROJECT,
                            timeout=60)
    assert "IMPORTED []" in result.stdout, result.stdout + result.stderr


def test_a_file_that_is_not_a_database_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "notes.db"
    bad.write_text("these are my notes, not a database\n" * 20, encoding="utf-8")
    assert main(["ask", "--db", str(bad), "kpis"]) == 2
    assert capsys.readouterr().err == f"rolebot: cannot use the database {bad}: file is not a database\n"
