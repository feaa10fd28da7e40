"""The local console: what a user types, what they read (the Slack blocks rendered as text)."""

from __future__ import annotations

import io
import sys

import pytest

from bot.cli import main
from bot.console import Console, run_console
from core.config import BUNDLED_EXAMPLES, load_settings
from handlers.context import AppContext
from roles.index.library import RoleIndex


@pytest.fixture
def ctx(store):
    RoleIndex(store).index_folder(BUNDLED_EXAMPLES)
    return AppContext.build(load_settings(env={}), store)


def session(ctx, text: str) -> tuple[int, str]:
    out = io.StringIO()
    status = run_console(ctx, io.StringIO(text), out, interactive=False)
    return status, out.getvalue()


def test_banner_counts_roles_and_suggests_questions(ctx):
    status, out = session(ctx, "")
    assert status == 0
    assert out.startswith("rolebot console: 3 roles indexed from ")
    assert "/role Customer Success Manager kpis" in out


def test_piped_queries_are_answered_as_slack_would_show_them(ctx):
    status, out = session(ctx, "/role sre kpis\ndata analyst first 30 days\nquit\nsre\n")
    assert status == 0
    assert "> /role sre kpis\nSite Reliability Engineer\n=========================" in out
    assert "Target: < 60 minutes for Sev1 | Frequency: Monthly" in out
    assert "☐ " in out and "✅ " in out
    assert "Source: site-reliability-engineer.yaml" in out.replace("`", "")
    assert "> sre\n" not in out, "nothing after quit is read"


def test_buttons_are_pressed_by_number(ctx):
    console = Console(ctx, io.StringIO())
    console.handle("sre kpis")
    labels = [b["text"]["text"] for b in console.buttons]
    number = labels.index("Goals") + 1
    console.out = io.StringIO()
    console.handle(str(number))
    assert "Goals" in console.out.getvalue() and "☐" in console.out.getvalue()
    console.out = io.StringIO()
    console.handle("1")  # Share in channel
    assert "(In Slack, this posts in the channel:)" in console.out.getvalue()
    assert "Shared by @you" in console.out.getvalue()


def test_a_superscript_digit_is_a_question_not_a_crash(ctx):
    console = Console(ctx, io.StringIO())
    console.handle("sre kpis")
    console.out = io.StringIO()
    assert console.handle("²") is True  # str.isdigit() is true for it, int() is not
    assert console.out.getvalue()


def test_more_without_a_next_page_and_onboarding_hint(ctx):
    _, out = session(ctx, "more\n/role onboard <@U1> sre\n<!channel> parental leave\n")
    assert "There is no next page." in out
    assert "Onboarding runs in Slack" in out
    # Escaped for Slack, shown as typed in the terminal.
    assert "“<!channel> parental leave”" in out


def test_cli_console_indexes_the_bundled_examples(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO("/role list\n"))
    for var in ("ROLEBOT_DB", "ROLEBOT_DOCS", "ROLEBOT_CONFIG", "SLACK_BOT_TOKEN"):
        monkeypatch.delenv(var, raising=False)
    db = tmp_path / "console.db"
    assert main(["console", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert f"3 roles indexed from {BUNDLED_EXAMPLES}" in out
    assert "Data Analyst" in out and db.is_file()


@pytest.mark.parametrize(("command", "env", "missing"), [
    ("serve", {}, "SLACK_BOT_TOKEN"),
    ("serve", {"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
    ("socket", {"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_APP_TOKEN"),
])
def test_runners_name_the_missing_setting(tmp_path, monkeypatch, capsys, command, env, missing):
    for var in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "ROLEBOT_CONFIG"):
        monkeypatch.delenv(var, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("ROLEBOT_DB", str(tmp_path / "x.db"))
    assert main([command]) == 2
    assert f"{missing} is not set" in capsys.readouterr().err
    assert not (tmp_path / "x.db").exists(), "settings are checked before any work"
