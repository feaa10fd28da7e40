"""The report of one ``RoleIndex.index_folder`` run, and the per-document lines it carries.

Besides the counts, the report says for each document read in the run that gave no role why (in one
line), and for each that left headings or page chrome out how much; borderline decisions are read
back from the index on every run so an admin sees them until they are confirmed.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import asdict, dataclass, field

from roles.index.scope import DocsScope
from roles.model import LoadedDocument


@dataclass
class IndexReport:
    """What one :meth:`RoleIndex.index_folder` run did, plus totals of the index after it."""

    documents_seen: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    failed: int = 0
    #: Totals in the index after the run (not only what this run touched).
    roles: int = 0
    sections: int = 0
    kpis: int = 0
    goals: int = 0
    goal_items: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    #: Files that are not documents at all (fonts, images, spreadsheets, binaries), counted, not listed.
    skipped: int = 0
    #: Files left out by the include/exclude globs.
    out_of_scope: int = 0
    #: Totals after the run: documents in the index and how many of them hold roles.
    pages: int = 0
    role_pages: int = 0
    #: Documents read in this run that gave no role, or left content out as chrome: (path, what happened).
    notes: list[tuple[str, str]] = field(default_factory=list)
    #: Every document whose role decision is within the margin (whenever it was read): (path, decision).
    borderline: list[tuple[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict:
        """The report as plain JSON-able data."""
        data = asdict(self)
        data["failures"] = [{"path": path, "reason": reason} for path, reason in self.failures]
        data["notes"] = [{"path": path, "note": note} for path, note in self.notes]
        data["borderline"] = [{"path": path, "decision": note} for path, note in self.borderline]
        return data



#: Endings of text formats: binary data in such a file is a broken document, not "not a document".
TEXT_ENDINGS = frozenset({".md", ".markdown", ".mdx", ".erb", ".txt", ".text", ".html", ".htm", ".json", ".yaml",
                           ".yml", ".docx", ".pdf", ".rst", ".adoc"})


def note_document(report: IndexReport, rel: str, doc: LoadedDocument) -> None:
    """What the report says about a document just read: no role (and why), or content left out."""
    if not doc.roles:
        report.notes.append((printable(rel), printable(doc.decision or "not a role")))
    elif doc.notes or doc.rejected:
        parts = []
        if doc.rejected:
            parts.append(f"{len(doc.rejected)} heading(s) not taken as roles")
        if doc.notes:
            parts.append(f"{len(doc.notes)} piece(s) of page chrome left out")
        report.notes.append((printable(rel), f"{len(doc.roles)} role(s); {', '.join(parts)} (see index --explain)"))


def overrides_changed(conn: sqlite3.Connection, scope: DocsScope) -> bool:
    """Remember the always/never globs of this run; True when they differ from the last run's."""
    current = json.dumps([sorted(scope.always), sorted(scope.never)])
    row = conn.execute("SELECT value FROM meta WHERE key = 'role_overrides'").fetchone()
    if row is not None and row[0] == current:
        return False
    with conn:
        conn.execute("INSERT INTO meta (key, value) VALUES ('role_overrides', ?) "
                     "ON CONFLICT (key) DO UPDATE SET value = excluded.value", [current])
    return row is not None or bool(scope.always or scope.never)



_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def printable(path: str) -> str:
    """A file path safe to show on one line: control characters (a newline, a terminal escape) and
    undecodable bytes escaped as ``\\n``, ``\\x1b``, ``\\udcff``; everything else as it is."""
    return _UNPRINTABLE.sub(lambda m: ascii(m.group(0))[1:-1], path)
