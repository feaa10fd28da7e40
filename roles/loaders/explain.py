"""How one file was read, for ``rolebot index --explain FILE``: every decision with its evidence.

Lists the format and title, each role found with its aliases, sections and aspects and the evidence
that made it a role, the candidates not taken as roles and why (borderline ones marked), what was left
out as page chrome, and the lines whose words ended up nowhere (with the coverage figure).
"""

from __future__ import annotations

from pathlib import Path

from roles.loaders import load_file
from roles.loaders.coverage import coverage
from roles.loaders.decode import decode_bytes, repair_text
from roles.model import LoadedDocument, Role

_MAX_LINES = 40


def explain(path: Path, root: Path, override: bool | None = None) -> list[str]:
    """Lines describing how ``path`` is read (raises DocumentError for a file that cannot be read)."""
    document = load_file(path, root, override)
    lines = [f"File: {document.path}", f"Format: {document.format}", f"Title: {document.title}"]
    lines.append(f"Decision: {document.decision or f'{len(document.roles)} role(s)'}")
    verdicts = {id(role): verdict for role, verdict in zip(document.roles + document.rejected, document.verdicts,
                                                           strict=False)}
    lines.append(f"Roles found: {len(document.roles)}")
    for role in document.roles:
        lines += _role_lines(role, verdicts.get(id(role)))
    if document.rejected:
        lines.append(f"Not taken as roles: {len(document.rejected)}")
        for role in document.rejected:
            lines += _role_lines(role, verdicts.get(id(role)), sections=False)
    if document.notes:
        lines.append("Left out as page chrome:")
        lines += [f"  - {_clip(note)}" for note in document.notes]
    lines += _unplaced(document, path)
    return lines


def _role_lines(role: Role, verdict, sections: bool = True) -> list[str]:  # noqa: ANN001 - Verdict or None
    aliases = f" (aliases: {', '.join(role.aliases)})" if role.aliases else ""
    lines = [f"  - {role.title}{aliases}"]
    if role.origin:
        lines.append(f"      started by: {_clip(role.origin, 120)}")
    if verdict is not None:
        mark = " BORDERLINE" if verdict.borderline else ""
        lines.append(f"      score {verdict.score:.1f}{mark}")
        lines += [f"      for: {reason}" for reason in verdict.reasons_for]
        lines += [f"      against: {reason}" for reason in verdict.reasons_against]
    if sections:
        for section in role.walk():
            size = len(section.items) + len(section.kpis) + sum(len(g.items) for g in section.goals)
            lines.append(f"      section {section.heading!r}: {section.aspect}" + (f", {size} entries" if size else ""))
    return lines


def _unplaced(document: LoadedDocument, path: Path) -> list[str]:
    if not document.roles and not document.rejected:
        return ["Unplaced text: none (the whole document is not a role, see Decision)"]
    data = path.read_bytes()
    text = document.text if document.format in ("pdf", "docx") else repair_text(decode_bytes(data))
    found = coverage(document, text)
    lines = [f"Words placed: {found.placed} of {found.words} ({found.share:.0%})"]
    if found.unplaced_lines:
        lines.append("Unplaced text:")
        lines += [f"  | {_clip(line)}" for line in found.unplaced_lines[:_MAX_LINES]]
        if len(found.unplaced_lines) > _MAX_LINES:
            lines.append(f"  … and {len(found.unplaced_lines) - _MAX_LINES} more lines")
    return lines


def _clip(text: str, width: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"
