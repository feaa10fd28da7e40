"""``rolebot enroll | plan | nudges run-due | import`` end to end, against the fake Slack Web API."""

import json
from datetime import UTC, datetime

import pytest
import time_machine

from bot.cli import main
from core.store import open_store
from jobs import journeys, outbox

FROZEN = datetime(2026, 2, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
def db(tmp_path, docs_dir, monkeypatch):
    for var in ("ROLEBOT_CONFIG", "ROLEBOT_DB", "SLACK_BOT_TOKEN", "SLACK_API_URL"):
        monkeypatch.delenv(var, raising=False)
    path = str(tmp_path / "rolebot.db")
    assert main(["index", "--docs", str(docs_dir), "--db", path]) == 0
    return path


@pytest.fixture
def frozen():
    with time_machine.travel(FROZEN, tick=False):
        yield


def test_enroll_and_duplicate(db, frozen, capsys):
    assert main(["enroll", "--db", db, "--user", "U1", "--role", "sre", "--start", "2026-03-02", "--tz", "Asia/Kolkata",
                 "--manager", "UM"]) == 0
    assert "Enrolled U1 as Site Reliability Engineer" in capsys.readouterr().out
    assert main(["enroll", "--db", db, "--user", "U1", "--role", "SRE", "--start", "2026-03-02"]) == 2
    assert "already enrolled" in capsys.readouterr().err


def test_enroll_a_teams_hire_uses_the_zone_their_client_reported(db, frozen, capsys):
    from core.store import open_store
    from jobs import addresses, journeys
    from jobs.addresses import Address

    store = open_store(db)
    addresses.save(store, Address("teams", "29:hire", "a:hire", "https://smba.example/emea/", tz="Asia/Tokyo"))
    assert main(["enroll", "--db", db, "--user", "29:hire", "--role", "sre", "--start", "2026-03-02",
                 "--platform", "teams", "--manager", "29:boss"]) == 0
    assert "(Asia/Tokyo)" in capsys.readouterr().out
    [journey] = journeys.active_for_user(store, "29:hire")
    assert (journey.platform, journey.manager_id) == ("teams", "29:boss")
    assert main(["enroll", "--db", db, "--user", "U1", "--role", "sre", "--start", "2026-03-02", "--platform", "teams"]) == 2
    assert "not a Teams user id" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "Data Scientist", "--start", "2026-03-02"], "No role called 'Data Scientist'. Did you mean: Data Analyst?"),
        (["--role", "Data Analyst", "--start", "2026-13-02"], "not a date"),
        (["--role", "Data Analyst", "--start", "2028-03-02"], "more than a year"),
        (["--role", "Data Analyst", "--start", "2026-03-02", "--tz", "Europe/Nowhere"], "Unknown time zone"),
        (["--role", "Office Greeter", "--start", "2026-03-02"], "no 30/60/90-day goals"),
    ],
)
def test_enroll_bad_input_is_one_line(db, frozen, capsys, args, message):
    assert main(["enroll", "--db", db, "--user", "U1", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and err.count("\n") == 1


def test_plan_json(db, frozen, capsys):
    assert main(["plan", "--db", db, "--role", "Data Analyst", "--start", "2026-03-07", "--tz", "America/New_York",
                 "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data[0]["kind"] == "welcome"
    assert data[0]["due"] == "2026-03-09T13:00:00Z"  # Saturday start -> Monday 09:00 EDT
    assert data[0]["local_due"] == "2026-03-09T09:00:00-04:00"
    assert [g["text"] for g in data[0]["goals"] if g["kind"] == "goal"][0].startswith("Get access to the warehouse")
    assert {d["kind"] for d in data} == {"welcome", "reminder", "milestone", "wrapup", "manager_summary"}
    assert main(["plan", "--db", db, "--role", "Data Analyst", "--start", "2026-03-07", "--tz", "UTC"]) == 0
    assert "welcome" in capsys.readouterr().out


def test_run_due_twice_sends_once(db, frozen, capsys, slack, monkeypatch):
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_API_URL", slack.api_url)
    assert main(["enroll", "--db", db, "--user", "U1", "--role", "Data Analyst", "--start", "2026-03-02",
                 "--tz", "Europe/Berlin"]) == 0
    # The hire's zone comes from --tz here; without it, from users.info:
    slack.users["U2"] = {"tz": "Asia/Kolkata"}
    assert main(["enroll", "--db", db, "--user", "U2", "--role", "Data Analyst", "--start", "2026-03-02"]) == 0
    store = open_store(db)
    assert journeys.active_for_user(store, "U2")[0].tz == "Asia/Kolkata"
    capsys.readouterr()
    assert main(["nudges", "run-due", "--db", db, "--now", "2026-03-02T09:00:00Z"]) == 0
    assert capsys.readouterr().out.startswith("sent 2,")
    assert main(["nudges", "run-due", "--db", db, "--now", "2026-03-02T09:00:00Z"]) == 0
    assert capsys.readouterr().out.startswith("sent 0,")
    assert len(slack.calls_to("chat.postMessage")) == 2


def test_run_due_needs_a_token(db, frozen, capsys):
    assert main(["nudges", "run-due", "--db", db]) == 2
    assert "SLACK_BOT_TOKEN" in capsys.readouterr().err


def run_import(db, tmp_path, text, encoding="utf-8"):
    """``rolebot import`` of a CSV file holding ``text``; its exit code."""
    csv_path = tmp_path / "hires.csv"
    csv_path.write_text(text, encoding=encoding)
    return main(["import", "--db", db, str(csv_path)])


def test_import_reports_rows_and_is_idempotent(db, frozen, capsys, tmp_path):
    hires = (
        "User,Role,Start Date,Manager,Timezone\n"
        "U10,Data Analyst,2026-03-02,UM,Europe/Berlin\n"
        "U11,Chief Vibes Officer,2026-03-02,UM,UTC\n"
        "U12,SRE,2026-03-02,,Mars/Base\n"
        "U13,Customer Success Manager,2026-03-09,UM,\n"
        "U14,SRE,,UM,UTC\n"
    )
    assert run_import(db, tmp_path, hires, encoding="utf-8-sig") == 1
    out = capsys.readouterr().out
    assert "line 2: enrolled U10" in out and "line 5: enrolled U13" in out
    assert "line 3: error: No role called 'Chief Vibes Officer'" in out
    assert "line 4: error: Unknown time zone 'Mars/Base'" in out
    assert "line 6: error: empty start" in out
    assert "2 enrolled, 0 already enrolled, 3 error(s)" in out
    assert run_import(db, tmp_path, hires, encoding="utf-8-sig") == 1
    assert "0 enrolled, 2 already enrolled, 3 error(s)" in capsys.readouterr().out
    store = open_store(db)
    assert store.conn.execute("SELECT COUNT(*) FROM journeys").fetchone()[0] == 2
    assert len(outbox.rows_for_journey(store, 1)) == len(outbox.rows_for_journey(store, 1, ("pending",)))


def test_import_missing_column(db, frozen, capsys, tmp_path):
    assert run_import(db, tmp_path, "name,role\nAnn,SRE\n") == 2
    assert "missing column(s) user, start" in capsys.readouterr().err


def test_plan_of_a_role_without_goals(db, frozen, capsys):
    assert main(["plan", "--db", db, "--role", "Office Greeter", "--start", "2026-03-02", "--tz", "UTC"]) == 2
    assert "no 30/60/90-day goals" in capsys.readouterr().err


def test_import_a_quote_left_open_is_reported_not_swallowing_the_rows_after_it(db, frozen, capsys, tmp_path):
    text = 'user,role,start\nU20,Data Analyst,2026-03-02\nU21,"Data Analyst,2026-03-02\nU22,SRE,2026-03-02\n'
    assert run_import(db, tmp_path, text + "U23,SRE,2026-03-02\n") == 1
    out = capsys.readouterr().out
    assert "line 2: enrolled U20" in out
    assert "line 3: error: a quote opened on this line is never closed" in out
    assert "1 enrolled, 0 already enrolled, 1 error(s)" in out


def test_import_an_oversized_field_is_one_line_not_a_traceback(db, frozen, capsys, tmp_path):
    oversized = 'U21,"' + "x" * 200_000 + '",2026-03-02\n'
    assert run_import(db, tmp_path, "user,role,start\nU20,Data Analyst,2026-03-02\n" + oversized) == 1
    out = capsys.readouterr().out
    assert "line 2: enrolled U20" in out and "line 3: error: unreadable CSV" in out


@pytest.mark.parametrize(
    ("now", "sent"),
    [("2026-03-02T07:59:00Z", 0), ("2026-03-02T09:00:00+01:00", 1), ("2026-03-02T08:00", 1), ("2026-03-02", 0)],
)
def test_run_due_now_is_an_instant_with_or_without_an_offset(db, frozen, capsys, slack, monkeypatch, now, sent):
    # The welcome is due 2026-03-02 09:00 Berlin = 08:00 UTC; no offset means UTC, a date means its midnight.
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_API_URL", slack.api_url)
    assert main(["enroll", "--db", db, "--user", "U1", "--role", "Data Analyst", "--start", "2026-03-02",
                 "--tz", "Europe/Berlin"]) == 0
    capsys.readouterr()
    assert main(["nudges", "run-due", "--db", db, "--now", now]) == 0
    assert capsys.readouterr().out.startswith(f"sent {sent},")


def test_run_due_bad_now_is_one_line(db, frozen, capsys, monkeypatch):
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    assert main(["nudges", "run-due", "--db", db, "--now", "next tuesday"]) == 2
    err = capsys.readouterr().err
    assert "is not an ISO 8601 instant" in err and "Traceback" not in err and err.count("\n") == 1
