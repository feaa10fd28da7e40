"""Schema migrations of the one database, in the order they must run: the role index's, then the jobs'."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.migrations.index import MIGRATIONS as INDEX_MIGRATIONS
from core.migrations.jobs import MIGRATIONS as JOB_MIGRATIONS

if TYPE_CHECKING:
    from core.store import Migration


def all_migrations() -> list[Migration]:
    """Every migration of every package, in the order they must run."""
    return [*INDEX_MIGRATIONS, *JOB_MIGRATIONS]
