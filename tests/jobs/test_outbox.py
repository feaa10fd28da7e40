import threading
from datetime import UTC, datetime, timedelta

import pytest

from jobs import journeys, outbox
from jobs.errors import JourneyNotActive, PermissionDenied
from tests.jobs.conftest import ADMIN, HIRE, MANAGER

NOW = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


def _journey(store, index, settings, user=HIRE):
    return journeys.enrol(store, index, settings, actor_id=ADMIN, user_id=user, role="Data Analyst",
                          start="2026-03-02", manager_id=MANAGER, tz="UTC", now=NOW - timedelta(days=5))


def test_two_pollers_never_claim_the_same_row(file_store, file_index, settings):
    journey = _journey(file_store, file_index, settings)
    with file_store.conn:
        for n in range(300):
            outbox.enqueue(file_store, journey.id, "digest", f"p{n}", MANAGER, NOW - timedelta(minutes=n), now=NOW)
    due = {r.id for r in outbox.rows_for_journey(file_store, journey.id) if r.due_utc <= NOW}
    seen: list[list[int]] = [[], []]
    barrier = threading.Barrier(2)

    def poll(slot: int) -> None:
        store = file_store.reopen()  # a second process would open its own connection
        barrier.wait()
        while rows := outbox.claim_due(store, NOW, 7):
            seen[slot].extend(r.id for r in rows)
        store.close()

    threads = [threading.Thread(target=poll, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not set(seen[0]) & set(seen[1])
    assert set(seen[0]) | set(seen[1]) == due
    assert len(seen[0]) + len(seen[1]) == len(due)


def test_claim_is_oldest_first_and_limited(store, index, settings):
    journey = _journey(store, index, settings)
    rows = outbox.claim_due(store, NOW, 1)
    assert [r.kind for r in rows] == ["welcome"] and rows[0].status == "sending" and rows[0].attempts == 1
    assert outbox.claim_due(store, NOW, 10) == []  # nothing else due yet
    assert outbox.get_row(store, rows[0].id).claimed_at == NOW
    assert journey.id == rows[0].journey_id


def test_stale_claims_are_recovered_after_the_lease_only(store, index, settings):
    _journey(store, index, settings)
    [row] = outbox.claim_due(store, NOW, 5)
    assert outbox.recover_stale_claims(store, NOW + timedelta(minutes=5), timedelta(minutes=10)) == 0
    assert outbox.recover_stale_claims(store, NOW + timedelta(minutes=11), timedelta(minutes=10)) == 1
    assert outbox.get_row(store, row.id).status == "pending"
    assert [r.id for r in outbox.claim_due(store, NOW + timedelta(minutes=11), 5)] == [row.id]


def test_failures_back_off_then_give_up(store, index, settings):
    _journey(store, index, settings)
    moment = NOW
    for attempt in range(1, outbox.MAX_ATTEMPTS + 1):
        [row] = outbox.claim_due(store, moment, 5)
        status = outbox.mark_failed(store, row.id, "internal_error", moment, timedelta(minutes=2))
        assert status == ("failed" if attempt == outbox.MAX_ATTEMPTS else "pending")
        moment += timedelta(minutes=3)
    assert outbox.get_row(store, row.id).attempts == outbox.MAX_ATTEMPTS


def test_enqueue_is_idempotent(store, index, settings):
    journey = _journey(store, index, settings)
    first = outbox.enqueue(store, journey.id, "digest", "x", MANAGER, NOW)
    again = outbox.enqueue(store, journey.id, "digest", "x", MANAGER, NOW + timedelta(days=1))
    assert first.id == again.id and again.due_utc == NOW


def test_snooze_rules(store, index, settings):
    journey = _journey(store, index, settings)
    row = outbox.rows_for_journey(store, journey.id)[1]
    with pytest.raises(PermissionDenied):
        outbox.snooze(store, row.id, MANAGER, now=NOW)
    journeys.pause(store, settings, journey.id, MANAGER, now=NOW)
    with pytest.raises(JourneyNotActive):
        outbox.snooze(store, row.id, HIRE, now=NOW)


def test_a_row_whose_claims_keep_dying_is_given_up_not_retried_forever(store, index, settings):
    # A message that kills its process each time (and may have been posted each time) must not go
    # round the lease forever: after MAX_ATTEMPTS claims it is failed, like any other failing row.
    _journey(store, index, settings)
    moment = NOW
    for _ in range(outbox.MAX_ATTEMPTS):
        [row] = outbox.claim_due(store, moment, 1)
        moment += outbox.DEFAULT_LEASE + timedelta(minutes=1)
        assert outbox.recover_stale_claims(store, moment) == 1
    final = outbox.get_row(store, row.id)
    assert final.status == "failed" and final.attempts == outbox.MAX_ATTEMPTS
    assert "stopped" in final.last_error
    assert outbox.claim_due(store, moment, 5) == []
