"""Schema migrations of the one database, in the order they must run: the role index's, then the
state's (jobs, follow-up memory, replay guard).

A migration is a unique, ordered name and a function that changes the schema; ``core.store.Store.migrate``
applies those not applied yet.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

from core.migrations.conversation import MIGRATIONS as CONVERSATION_MIGRATIONS
from core.migrations.index import MIGRATIONS as INDEX_MIGRATIONS
from core.migrations.jobs import MIGRATIONS as JOB_MIGRATIONS
from core.migrations.serving import MIGRATIONS as SERVING_MIGRATIONS

#: A migration: a unique, ordered name and a function that changes the schema.
Migration = tuple[str, Callable[[sqlite_utils.Database], None]]


def all_migrations() -> list[Migration]:
    """Every migration of every package, in the order they must run (the SQLite file holds all)."""
    return [*INDEX_MIGRATIONS, *state_migrations()]


def state_migrations() -> list[Migration]:
    """Migrations of the state that must outlive the process (journeys, outbox, check-ins, follow-up
    memory, replay guard): the tables a PostgreSQL ``DATABASE_URL`` holds. The role index is rebuilt
    from the documents instead."""
    return [*JOB_MIGRATIONS, *CONVERSATION_MIGRATIONS, *SERVING_MIGRATIONS]
