"""Schema migrations of the role index. Append new migrations; never edit one that has shipped."""

from __future__ import annotations

import sqlite_utils


def _initial(db: sqlite_utils.Database) -> None:
    # Filled in by the index work (issue 2).
    pass


MIGRATIONS = [("roles-0001-initial", _initial)]
