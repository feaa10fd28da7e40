"""Storage faults are loud: a database file deleted, replaced or full while the app runs makes the next
write fail with a clear line to the user (never a false "Enrolled") and /healthz report not ok."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from jobs import journeys
from tests.e2e.test_onboarding_slack import HIRE, MANAGER, app, clock, reply_to  # noqa: F401  (fixtures used by name)


def health(app) -> tuple[int, dict]:  # noqa: F811
    url = app.url.replace("/slack/events", "/healthz")
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def enrol_reply(app) -> str:  # noqa: F811
    return reply_to(app, f"onboard <@{HIRE}> as Post-Sales Engineer starting 2026-12-01")["text"]


def test_healthz_is_ok_while_the_file_is_the_one_opened(app):  # noqa: F811
    assert health(app) == (200, {"ok": True, "index_ready": True})


def test_a_deleted_database_file_fails_the_next_write_and_healthz(app, caplog):  # noqa: F811
    os.remove(app.store.path)
    text = enrol_reply(app)
    assert "Could not save" in text and "nothing was changed" in text and "deleted" in text
    assert "Enrolled" not in text
    assert "database write refused" in caplog.text
    status, body = health(app)
    assert status == 503 and body["ok"] is False and "deleted" in body["error"]


def test_a_replaced_database_file_fails_the_next_write(app, tmp_path):  # noqa: F811
    # A restore or a deploy copied another file over the path: writes would go to the old, unlinked file.
    backup = tmp_path / "restored.db"
    shutil.copy(app.store.path, backup)
    os.replace(backup, app.store.path)
    text = enrol_reply(app)
    assert "Could not save" in text and "replaced" in text
    assert health(app)[0] == 503


def test_the_enrolment_is_stored_when_the_file_is_fine(app):  # noqa: F811
    assert "Could not save" not in enrol_reply(app)
    assert journeys.active_for_user(app.store, HIRE)


@pytest.fixture
def tiny_disk(tmp_path: Path):
    """A 16 MB tmpfs (needs root and mount); skipped with the reason elsewhere."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mount)], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs to fill up here: {result.stderr.strip() or result.returncode}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_answers_at_once_with_a_clear_failure(start_slack_app, shared_docs_db, tiny_disk, caplog):
    from tests.conftest import SHARED_DOCS

    harness = start_slack_app(shared_docs_db, SHARED_DOCS, db_dir=tiny_disk)
    harness.slack.users.update({HIRE: {"name": "ana", "tz": "Europe/Berlin"}})
    with open(tiny_disk / "filler", "wb") as filler:
        try:
            while True:
                filler.write(b"\0" * 65536)
                filler.flush()
        except OSError:
            pass
    url = harness.slack.response_url("full")
    status, _ = harness.command(f"onboard <@{HIRE}> as Post-Sales Engineer starting 2026-12-01", user_id=MANAGER,
                                response_url=url)
    assert status == 200
    [answer] = harness.slack.wait_for("/response/full", timeout=3)
    assert "Could not save" in answer.body["text"] and "disk is full" in answer.body["text"]
    assert "Enrolled" not in answer.body["text"]
    assert "database write failed: database or disk is full" in caplog.text


def test_a_database_on_a_disk_remounted_read_only_fails_the_next_write_and_healthz(start_slack_app, shared_docs_db,
                                                                                   tiny_disk):
    from tests.conftest import SHARED_DOCS

    harness = start_slack_app(shared_docs_db, SHARED_DOCS, db_dir=tiny_disk)
    harness.slack.users.update({HIRE: {"name": "ana", "tz": "Europe/Berlin"}})
    remount = subprocess.run(["mount", "-o", "remount,ro", str(tiny_disk)], capture_output=True, text=True)
    if remount.returncode != 0:
        pytest.skip(f"cannot remount the tmpfs read-only here: {remount.stderr.strip()}")
    text = enrol_reply(harness)
    assert "Could not save" in text and "read-only" in text and "Enrolled" not in text
    status, body = health(harness)
    assert status == 503 and "read-only" in body["error"]
