"""Role titles and aliases as people will type them.

A document's heading is rarely the bare title: "Principal Technical Consultant: Role Blueprint,
Responsibilities, Skills, KPIs, and Career Path", "L4 Senior Solutions Architect - Technical Account
Management". The title is the role name; the level code ("L4") and the full heading become aliases, and
so does the abbreviation the document defines for itself ("The Principal Technical Product Manager
(PTPM)"). Initials are added by the answer engine, not here.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from roles.aspects import clean_heading

# Level codes that ladders put in front of a title: L4, IC3, M2, P5, E6, "Level 3".
_LEVEL = re.compile(r"^\s*((?:L|IC|M|P|E|T|SE|IM)\d{1,2}|Level\s+\d{1,2})\b\s*[-:–—|.]?\s*", re.IGNORECASE)
_SEPARATOR = re.compile(r"\s*(?::|\s\|\s|\s-\s|\s–\s|\s—\s)\s*")
_TRAILING_ABBR = re.compile(r"\s*\(([A-Z][A-Za-z0-9&/.\-]{1,9})\)$")
# Words that mark the rest of a heading as a description of the page, not part of the role name.
_DESCRIPTOR = re.compile(
    r"\b(role blueprint|blueprint|job description|responsibilities|skills|kpis?|career path|overview|"
    r"profile|expectations|role guide|competenc)", re.IGNORECASE)


def split_title(heading: str) -> tuple[str, list[str]]:
    """The role title in a heading, and the aliases it implies (level code, full qualified heading)."""
    text = clean_heading(heading)
    aliases: list[str] = []
    level = _LEVEL.match(text)
    if level and len(text) > level.end():
        code = re.sub(r"\s+", " ", level.group(1)).strip()
        aliases.append(code.upper() if not code.lower().startswith("level") else code.title())
        text = text[level.end():].strip()
        # "L4 Senior Engineer" as a whole is what many people will type.
        aliases.append(f"{aliases[0]} {_SEPARATOR.split(text, maxsplit=1)[0]}")
    parts = _SEPARATOR.split(text, maxsplit=1)
    title = parts[0].strip() or text
    abbreviation = _TRAILING_ABBR.search(title)
    if abbreviation and abbreviation.start() > 0 and _abbreviates(abbreviation.group(1), title[:abbreviation.start()]):
        # "Junior Identity Consultant (JIC)": the abbreviation is a name for the role, not part of it.
        aliases.append(abbreviation.group(1))
        title = title[:abbreviation.start()].strip()
    if len(parts) == 2 and parts[1] and not _DESCRIPTOR.search(parts[1]):
        # A qualifier such as a team name ("- Technical Account Management") narrows the role: keep
        # the qualified name as an alias so both spellings find it.
        aliases.append(text)
    return title, _unique(aliases, title)


def _abbreviates(abbreviation: str, title: str) -> bool:
    """True when the capitals of ``abbreviation`` are initials of the title's words, in order ("JIC")."""
    capitals = [ch for ch in abbreviation if ch.isupper()]
    initials = iter(word[0].upper() for word in re.findall(r"[A-Za-z][\w'-]*", title))
    return len(capitals) >= 2 and all(any(ch == initial for initial in initials) for ch in capitals)


def has_level_code(heading: str) -> bool:
    """True when a heading starts with a level code ("L3 Engineer", "IC4 - Staff Engineer")."""
    text = clean_heading(heading)
    match = _LEVEL.match(text)
    return bool(match) and len(text) > match.end()


def defined_abbreviations(title: str, text: str) -> list[str]:
    """Abbreviations a document defines for its role: "The Principal Technical Product Manager (PTPM)"."""
    if not title:
        return []
    pattern = re.compile(re.escape(title) + r"\s*\(([A-Z][A-Za-z0-9&/.\-]{1,11})\)")
    found = [m.group(1) for m in pattern.finditer(text[:20000])]
    return [abbr for abbr in _unique(found, title) if sum(ch.isupper() for ch in abbr) >= 2]


def title_from_path(path: str) -> str:
    """A readable title from a file name, for documents that give none ("senior_data-engineer.md")."""
    stem = PurePosixPath(path).name
    stem = re.sub(r"\.(md|markdown|txt|html?|json|ya?ml)$", "", stem, flags=re.IGNORECASE)
    words = re.sub(r"[_\-.]+", " ", stem).strip()
    if not words:
        return "Untitled document"
    return words if any(ch.isupper() for ch in words) else words.title()


def _unique(values: list[str], title: str) -> list[str]:
    seen = {title.casefold()}
    out = []
    for value in values:
        key = value.casefold()
        if value and key not in seen:
            seen.add(key)
            out.append(value)
    return out
