"""Documents that sit beside role documents but are not roles: licences, changelogs, family READMEs.

They are indexed as documents (their text is searchable) but never listed as roles. The decision is
made from content; the file name only tips the balance for a README whose content is ambiguous.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from roles.model import Role

_LICENSE = re.compile(
    r"permission is hereby granted|gnu (lesser |affero )?general public license|apache license|"
    r"mozilla public license|redistribution and use in source and binary forms|creative commons|"
    r"the software is provided \"?as is\"?|licensed under the apache|this is free and unencumbered software",
    re.IGNORECASE,
)
# Version headings of a changelog: "## [1.2.0] - 2024-05-01", "v2.1", "## Unreleased".
_VERSION_LINE = re.compile(r"^\s{0,3}(#{1,4}\s*)?\[?(v?\d+\.\d+(\.\d+)?|unreleased)\]?(\s*[-–(]|\s*$)",
                           re.IGNORECASE | re.MULTILINE)
_CHANGELOG_TITLE = re.compile(r"^\s{0,3}#*\s*(change\s?log|changes|release notes|history)\b",
                              re.IGNORECASE | re.MULTILINE)

#: Aspects that only role documents have; a "role" with none of them is an introduction, not a role.
ROLE_ASPECTS = frozenset({
    "responsibilities", "day-to-day", "deliverables", "goals", "kpis", "skills", "soft-skills", "tools",
    "tech-stack", "stakeholders", "decision-rights", "experience", "career-path", "hiring", "scorecard",
    "competency", "facts", "mission",
})


def non_role_kind(text: str) -> str | None:
    """"license" or "changelog" when the text is one of those, else None (decided from content)."""
    head = text[:3000]
    # A page footer may quote licence words too, so the rest of the text must not read like a role.
    if _LICENSE.search(head) and _few_role_words(text[:20000]):
        return "license"
    # A changelog starts as one (its title or its first version); a role document that ends with a
    # "Version history" of its own is still a role.
    first = next((line for line in head.splitlines() if line.strip()), "")
    if _CHANGELOG_TITLE.match(first) or _VERSION_LINE.match(first):
        versions = sum(1 for _, _ in zip(_VERSION_LINE.finditer(text[:20000]), range(2), strict=False))
        if versions >= 2 or (versions >= 1 and _CHANGELOG_TITLE.match(first)):
            return "changelog"
    return None


def _few_role_words(text: str) -> bool:
    return len(re.findall(r"\b(responsibilit|kpis?\b|onboarding|30-day|skills|career path|stakeholders)", text,
                          re.IGNORECASE)) < 3


def is_role(role: Role, path: str) -> bool:
    """True when a parsed role has role structure (responsibilities, goals, skills, ladder areas …).

    A README that introduces a job family has headings such as "Levels" or "How to use this ladder":
    none of them map to a role aspect. A file named README needs two such sections, because such a
    file often mentions "responsibilities" once in passing.
    """
    aspects = {section.aspect for section in role.walk()}
    found = len(aspects & ROLE_ASPECTS)
    if PurePosixPath(path).name.lower().startswith(("readme", "index", "contributing")):
        return found >= 2
    return found >= 1
