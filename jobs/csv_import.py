"""Enrol hires from an HR export (CSV): columns user, role, start, and optionally manager and tz.

Header names are matched case-insensitively, with a few common synonyms (``user_id``/``slack_id``,
``start_date``, ``manager_id``, ``timezone``/``time_zone``). Each row is enrolled on its own: a bad row is
reported with its line number and reason and the others still go in. A row the CSV reader cannot read
(a quote never closed, a value over the csv module's field limit) is reported and ends the import there,
since the rows after it cannot be told apart. Re-importing the same file is safe: rows already enrolled
are reported as such and nothing is duplicated.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from core.config import Settings
from core.errors import RolebotError
from core.store import Store
from jobs import journeys
from jobs.errors import AlreadyEnrolled, InvalidCsv
from jobs.journeys import SYSTEM_ACTOR, Journey, RoleSource

_COLUMNS = {
    "user": ("user", "user_id", "slack_id", "slack_user", "hire"),
    "role": ("role", "role_title", "title", "job_title"),
    "start": ("start", "start_date", "startdate", "first_day"),
    "manager": ("manager", "manager_id", "manager_slack_id"),
    "tz": ("tz", "timezone", "time_zone"),
}
REQUIRED = ("user", "role", "start")
MAX_BYTES = 5_000_000


@dataclass
class ImportReport:
    """Per-line outcome of an import (line numbers count the header as line 1)."""

    enrolled: list[tuple[int, Journey]] = field(default_factory=list)
    existing: list[tuple[int, Journey]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


def _read(source: str | Path) -> str:
    path = Path(source)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidCsv(f"Cannot read {path}: {exc.strerror}.") from None
    if len(data) > MAX_BYTES:
        raise InvalidCsv(f"{path} is larger than {MAX_BYTES // 1_000_000} MB; split it.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _unreadable(exc: csv.Error) -> str:
    if "unexpected end of data" in str(exc):
        return "a quote opened on this line is never closed; this row and the rows after it were not imported"
    return f"unreadable CSV ({exc}); this row and the rows after it were not imported"


def import_csv(
    store: Store,
    index: RoleSource,
    settings: Settings,
    source: str | Path,
    *,
    actor_id: str = SYSTEM_ACTOR,
    tz_lookup: Callable[[str], str | None] | None = None,
    now: datetime | None = None,
) -> ImportReport:
    """Enrol every row of the CSV file ``source``; ``tz_lookup(user_id)`` fills a missing tz (Slack users.info)."""
    text = _read(source)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    # strict: a quote left open raises at the end of the file instead of swallowing every row after it.
    reader = csv.reader(io.StringIO(text), dialect, strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise InvalidCsv(f"{source}: line 1: {_unreadable(exc)}.") from None
    if not header:
        raise InvalidCsv(f"{source} is empty: expected a header row with {', '.join(REQUIRED)}.")
    names = [h.strip().lower().replace(" ", "_") for h in header]
    where = {key: next((names.index(n) for n in synonyms if n in names), None) for key, synonyms in _COLUMNS.items()}
    missing = [key for key in REQUIRED if where[key] is None]
    if missing:
        raise InvalidCsv(f"{source}: missing column(s) {', '.join(missing)} (found: {', '.join(header)}).")
    report = ImportReport()
    while True:
        line = reader.line_num + 1  # the file line the next row starts on (a quoted value may span lines)
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            report.errors.append((line, _unreadable(exc)))
            break
        if not any(c.strip() for c in cells):
            continue

        def cell(key: str, cells: list[str] = cells) -> str:
            pos = where[key]
            return cells[pos].strip() if pos is not None and pos < len(cells) else ""

        try:
            if any("\n" in cell(key) or "\r" in cell(key) for key in _COLUMNS):
                raise InvalidCsv("a quoted value runs over several lines: check the quotes on this line")
            missing_cells = [key for key in REQUIRED if not cell(key)]
            if missing_cells:
                raise InvalidCsv(f"empty {', '.join(missing_cells)}")
            user = journeys.normalize_user_id(cell("user"))
            tz = cell("tz") or (tz_lookup(user) if tz_lookup else None)
            journey = journeys.enrol(
                store, index, settings, actor_id=actor_id, user_id=user, role=cell("role"), start=cell("start"),
                manager_id=cell("manager") or None, tz=tz, now=now,
            )
            report.enrolled.append((line, journey))
        except AlreadyEnrolled as exc:
            report.existing.append((line, exc.journey))
        except RolebotError as exc:
            report.errors.append((line, exc.reason))
    return report
