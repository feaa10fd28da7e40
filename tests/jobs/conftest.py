"""Fixtures of the onboarding tests: a real role index of the bundled examples (plus a role with no
goals), settings with an admin, the fake Slack Web API and a SlackSender whose 429 waits are recorded."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from core.config import BUNDLED_EXAMPLES, load_settings
from core.store import open_store
from handlers.slack.sender import SlackSender, slack_client
from jobs.delivery import Pacer
from roles.index.library import RoleIndex
from tests.fakes.slack_api import FakeSlack

NO_GOALS_ROLE = """title: Office Greeter
summary: Welcomes visitors at the front desk.
sections:
  - heading: Core Responsibilities
    items:
      - Greet visitors and hand out badges.
"""

ADMIN, MANAGER, HIRE, OTHER = "UADMIN", "UMGR1", "UHIRE1", "UOTHER"


@pytest.fixture(scope="session")
def docs_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("docs")
    for path in BUNDLED_EXAMPLES.glob("*.yaml"):
        shutil.copy(path, folder / path.name)
    (folder / "office-greeter.yaml").write_text(NO_GOALS_ROLE)
    return folder


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request) -> str:
    """Every onboarding test runs with its state in SQLite and in PostgreSQL."""
    return request.param


@pytest.fixture
def store(backend, request):
    """The state store (journeys, outbox): in-memory SQLite, or a PostgreSQL schema."""
    return open_store(":memory:") if backend == "sqlite" else request.getfixturevalue("pg_store")


@pytest.fixture
def file_store(backend, request, tmp_path):
    """The state store for tests with several threads: a SQLite file, or a PostgreSQL schema."""
    return open_store(tmp_path / "rolebot.db") if backend == "sqlite" else request.getfixturevalue("pg_store")


def _index_store(state, tmp_path: Path):
    # With SQLite the role index shares the state's file (as `rolebot serve` runs); with PostgreSQL it
    # is a local SQLite file of its own.
    return state if state.dialect.name == "sqlite" else open_store(tmp_path / "index.db")


@pytest.fixture
def index(store, docs_dir, tmp_path) -> RoleIndex:
    idx = RoleIndex(_index_store(store, tmp_path))
    report = idx.index_folder(docs_dir)
    assert report.failed == 0, report.failures
    return idx


@pytest.fixture
def file_index(file_store, docs_dir, tmp_path) -> RoleIndex:
    idx = RoleIndex(_index_store(file_store, tmp_path))
    idx.index_folder(docs_dir)
    return idx


@pytest.fixture
def slack():
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def settings():
    return load_settings(env={}, admins=(ADMIN,), slack_bot_token="xoxb-test")


class VirtualClock:
    """Monotonic virtual time for the Pacer: sleeping advances it, nothing waits."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def vclock() -> VirtualClock:
    return VirtualClock()


@pytest.fixture
def pacer(vclock) -> Pacer:
    return Pacer(clock=vclock.clock, sleep=vclock.sleep)


@pytest.fixture
def retry_sleeps() -> list[float]:
    return []


@pytest.fixture
def sender(settings, slack, retry_sleeps) -> SlackSender:
    on_fake = replace(settings, slack_api_url=slack.api_url)
    return SlackSender(slack_client(on_fake, sleep=retry_sleeps.append))
