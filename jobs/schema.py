"""Schema migrations of onboarding journeys and the outbox. Append; never edit one that has shipped."""

from __future__ import annotations

import sqlite_utils


def _initial(db: sqlite_utils.Database) -> None:
    # Filled in by the onboarding work (issue 4).
    pass


MIGRATIONS = [("jobs-0001-initial", _initial)]
