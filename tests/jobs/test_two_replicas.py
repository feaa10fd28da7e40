"""Two replicas' schedulers on one PostgreSQL database, one killed mid-send: every message goes out,
at most one twice (the row the dead one was posting). Real processes, a real server, the fake Slack."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from jobs import journeys, outbox
from tests.fakes.slack_api import FakeSlack
from tests.postgres import drop_schema, schema_options

PROJECT = Path(__file__).resolve().parents[2]
ROWS = 200


class SlowSlack(FakeSlack):
    """Each post takes a few milliseconds, so a replica is killed while it is sending, not after."""

    def _answer(self, method: str, body: dict[str, Any], headers: dict[str, str]) -> tuple[int, dict, dict]:
        if method == "chat.postMessage":
            time.sleep(0.005)
        return super()._answer(method, body, headers)


def _due_rows(store, settings, index_store_path: Path) -> None:
    from core.store import open_store
    from roles.index.library import RoleIndex

    index = RoleIndex(open_store(index_store_path))
    index.index_folder(Path(settings.docs_dir))
    now = datetime.now(UTC)
    journey = journeys.enrol(store, index, settings, actor_id="UADMIN", user_id="UHIRE", role="Data Analyst",
                             start=(now + timedelta(days=30)).date().isoformat(), tz="UTC", now=now)
    with store.conn:
        for n in range(ROWS):  # one journey, 200 distinct recipients: no per-channel pacing
            outbox.enqueue(store, journey.id, "welcome", f"replica-{n}", f"U{n:04d}", now - timedelta(minutes=1), now=now)


def test_two_schedulers_one_killed_mid_send_every_row_sent_at_most_one_twice(postgres_url, tmp_path, settings):
    from core.store_pg import open_postgres

    schema, options = schema_options(postgres_url)
    store = open_postgres(postgres_url, options=options, max_size=2)
    try:
        _due_rows(store, settings, tmp_path / "index.db")
        with SlowSlack() as slack:
            env = dict(os.environ)
            replicas = {
                token: subprocess.Popen([sys.executable, "-m", "tests.jobs.replica", postgres_url, options,
                                         slack.api_url, token], cwd=PROJECT, env=env, stderr=subprocess.DEVNULL)
                for token in ("xoxb-replica-a", "xoxb-replica-b")
            }
            killed = threading.Event()

            def kill_a_mid_send() -> None:
                deadline = time.monotonic() + 60
                while time.monotonic() < deadline:
                    by_a = [c for c in slack.calls_to("chat.postMessage") if "replica-a" in c.headers.get("Authorization", "")]
                    if len(by_a) >= 20:
                        replicas["xoxb-replica-a"].send_signal(signal.SIGKILL)
                        killed.set()
                        return
                    time.sleep(0.002)

            watcher = threading.Thread(target=kill_a_mid_send)
            watcher.start()
            assert replicas["xoxb-replica-b"].wait(timeout=90) == 0
            watcher.join()
            replicas["xoxb-replica-a"].wait(timeout=30)
            posted = Counter(c.body["channel"] for c in slack.calls_to("chat.postMessage"))
        assert killed.is_set(), "replica A finished before it could be killed mid-send"
        statuses = Counter(row[0] for row in store.conn.execute("SELECT status FROM outbox WHERE period LIKE 'replica-%'"))
        assert statuses == {"sent": ROWS}
        assert set(posted) == {f"U{n:04d}" for n in range(ROWS)}  # every message went out...
        assert sum(posted.values()) - ROWS <= 1  # ...and at most one of them twice
    finally:
        store.close()
        drop_schema(postgres_url, schema)
