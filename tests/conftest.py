"""Fixtures shared by every test package."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.store import Store, open_store

SHARED_DOCS = Path(__file__).resolve().parents[1].parent / "shared" / "role-docs"


@pytest.fixture
def store() -> Store:
    """A migrated in-memory database (single-threaded tests)."""
    return open_store(":memory:")


@pytest.fixture
def file_store(tmp_path: Path) -> Store:
    """A migrated database in a temporary file (tests that use several threads)."""
    return open_store(tmp_path / "rolebot.db")


@pytest.fixture
def shared_docs() -> Path:
    """The real role documents in ../shared/role-docs (skip if the folder is not beside the project)."""
    if not SHARED_DOCS.is_dir():
        pytest.skip("../shared/role-docs is not beside the project")
    return SHARED_DOCS
