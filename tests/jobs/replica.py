"""One replica's scheduler for the two-process test: ticks ``run_due`` on a PostgreSQL database until no
message is left to send. Run as ``python -m tests.jobs.replica URL OPTIONS SLACK_API_URL TOKEN``."""

from __future__ import annotations

import sys
import time
from datetime import timedelta

from core.config import load_settings
from core.store_pg import PostgresStore
from handlers.slack.sender import SlackSender, slack_client
from jobs.poller import run_due
from jobs.timeutil import to_iso, utcnow

#: Short, so the surviving replica takes back a dead one's claims within the test.
LEASE = timedelta(seconds=1)


def main(url: str, options: str, api_url: str, token: str) -> int:
    settings = load_settings(env={}, slack_api_url=api_url, slack_bot_token=token)
    store = PostgresStore(url, options=options, max_size=2)
    sender = SlackSender(slack_client(settings))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        run_due(store, sender, settings, lease=LEASE)
        left = store.conn.execute("SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending') AND available_utc <= ?",
                                  [to_iso(utcnow())]).fetchone()[0]
        if left == 0:
            return 0
        time.sleep(0.05)  # (a real poller ticks every minute; here: until the dead replica's lease ends)
    return 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:5]))
