"""The follow-up memory: the last answer per user and conversation, in the database, for 15 minutes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.store import open_store
from roles.answer.conversation import FOLLOWUP_TTL, PURGE_EVERY, ConversationMemory, LastAnswer

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
PSE_GOALS = LastAnswer(7, "Post-Sales Engineer", "goals", "pse 30 day goals")


@pytest.fixture(params=["sqlite", "postgresql"])
def state(request: pytest.FixtureRequest, store):
    """The state store the memory lives in: the SQLite file, or PostgreSQL with DATABASE_URL."""
    return store if request.param == "sqlite" else request.getfixturevalue("pg_store")


def test_the_last_answer_is_recalled_for_the_same_user_and_conversation_only(state):
    memory = ConversationMemory(state)
    memory.remember("U1", "C1", PSE_GOALS, NOON)
    assert memory.recall("U1", "C1", NOON + timedelta(minutes=1)) == PSE_GOALS
    assert memory.recall("U1", "C2", NOON) is None  # another thread or channel
    assert memory.recall("U2", "C1", NOON) is None  # another user in the same channel


def test_a_newer_answer_replaces_the_older_one(state):
    memory = ConversationMemory(state)
    memory.remember("U1", "C1", PSE_GOALS, NOON)
    kpis = LastAnswer(9, "Principal Technical Consultant", "kpis", "ptc kpis", page=1)
    memory.remember("U1", "C1", kpis, NOON + timedelta(minutes=2))
    assert memory.recall("U1", "C1", NOON + timedelta(minutes=3)) == kpis


def test_the_memory_expires_after_fifteen_minutes_and_old_rows_are_dropped(state):
    memory = ConversationMemory(state)
    memory.remember("U1", "C1", PSE_GOALS, NOON)
    assert memory.recall("U1", "C1", NOON + FOLLOWUP_TTL) == PSE_GOALS
    assert memory.recall("U1", "C1", NOON + FOLLOWUP_TTL + timedelta(seconds=1)) is None
    memory.remember("U2", "C1", PSE_GOALS, NOON + timedelta(hours=1))
    rows = state.conn.execute("SELECT user_id FROM conversation_context").fetchall()
    assert [tuple(r) for r in rows] == [("U2",)]


def test_expired_rows_are_dropped_at_most_once_a_minute_and_never_recalled_meanwhile(state):
    memory = ConversationMemory(state)
    memory.remember("U1", "C1", PSE_GOALS, NOON)  # the first remember purges (nothing to drop yet)
    expired = NOON + FOLLOWUP_TTL + timedelta(seconds=1)
    memory.remember("U2", "C1", PSE_GOALS, expired)  # U1's row expired: dropped by this purge
    later = expired + PURGE_EVERY - timedelta(seconds=1)
    memory.remember("U3", "C1", PSE_GOALS, later - FOLLOWUP_TTL - timedelta(seconds=2))  # already expired
    memory.remember("U4", "C1", PSE_GOALS, later)  # within a minute of the last purge: no DELETE
    assert _users(state) == ["U2", "U3", "U4"]
    assert memory.recall("U3", "C1", later) is None  # expired rows are ignored before they are dropped
    memory.remember("U4", "C1", PSE_GOALS, expired + PURGE_EVERY)  # a minute on: the purge runs again
    assert _users(state) == ["U2", "U4"]


def _users(state) -> list[str]:
    return sorted(r[0] for r in state.conn.execute("SELECT user_id FROM conversation_context").fetchall())


def test_the_memory_survives_a_restart(tmp_path):
    path = tmp_path / "rolebot.db"
    ConversationMemory(open_store(path)).remember("U1", "C1", PSE_GOALS, NOON)
    reopened = ConversationMemory(open_store(path))
    assert reopened.recall("U1", "C1", NOON + timedelta(minutes=5)) == PSE_GOALS


def test_timestamps_are_stored_in_utc(state):
    from zoneinfo import ZoneInfo

    memory = ConversationMemory(state)
    memory.remember("U1", "C1", PSE_GOALS, NOON.astimezone(ZoneInfo("America/New_York")))
    [(answered_at,)] = state.conn.execute("SELECT answered_at FROM conversation_context").fetchall()
    assert answered_at == "2026-03-02T12:00:00.000000Z"
