"""Schema migrations of the one database, in the order they must run: the role index's, the jobs', then
the follow-up memory's.

A migration is a unique, ordered name and a function that changes the schema; ``core.store.Store.migrate``
applies those not applied yet.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

from core.migrations.conversation import MIGRATIONS as CONVERSATION_MIGRATIONS
from core.migrations.index import MIGRATIONS as INDEX_MIGRATIONS
from core.migrations.jobs import MIGRATIONS as JOB_MIGRATIONS

#: A migration: a unique, ordered name and a function that changes the schema.
Migration = tuple[str, Callable[[sqlite_utils.Database], None]]


def all_migrations() -> list[Migration]:
    """Every migration of every package, in the order they must run."""
    return [*INDEX_MIGRATIONS, *JOB_MIGRATIONS, *CONVERSATION_MIGRATIONS]
