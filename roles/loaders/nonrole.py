"""Documents that sit beside role documents but are not roles: licences, changelogs, family READMEs.

They are indexed as documents (their text is searchable) but never listed as roles. The decision is
made from content; the file name only tips the balance for a README whose content is ambiguous.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

_LICENSE = re.compile(
    r"permission is hereby granted|gnu (lesser |affero )?general public license|apache license|"
    r"mozilla public license|redistribution and use in source and binary forms|creative commons|"
    r"the software is provided \"?as is\"?|licensed under the apache|this is free and unencumbered software",
    re.IGNORECASE,
)
# Words of which every _LICENSE phrase holds one: a case-insensitive search of alternatives costs 0.23 ms
# on the 3,000 characters it reads, 40 times what looking for these in the case-folded text costs, and
# nearly every document holds none of them.
_LICENSE_WORDS = ("permission", "license", "redistribution", "creative commons", "as is", "unencumbered")
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


# Site and editor configuration that sits in a docs folder: never a role and never a failure.
_CONFIG_NAMES = frozenset({
    "_config.yml", "_config.yaml", "_config.toml", "config.toml", "hugo.toml", "mkdocs.yml", "mkdocs.yaml",
    "cname", "gemfile", "gemfile.lock", "makefile", "dockerfile", "procfile", "netlify.toml", "vercel.json",
    "package.json", "package-lock.json", "yarn.lock", "tsconfig.json", "settings.json", "robots.txt",
    "book.toml", "_data.yml", "docusaurus.config.js", "sidebars.js", "_redirects", "codeowners",
    "requirements.txt", "pyproject.toml", "setup.cfg", "tox.ini", "_sidebar.md", "_navbar.md", "summary.md",
})
_CONFIG_ENDINGS = (".toml", ".ini", ".cfg", ".lock", ".conf", ".properties", ".env")
# Top-level keys of static-site configuration (a YAML file made of these is not a role).
_SITE_KEYS = re.compile(r"^(title|description|theme|baseurl|url|plugins|markdown|remote_theme|exclude|"
                        r"include|collections|defaults|permalink|author|lang|nav|site_name|repo_url)\s*:",
                        re.MULTILINE)
_ROLE_KEYS = re.compile(r"^(responsibilities|kpis|goals|skills|roles?|aspects|sections)\s*:", re.MULTILINE)


def config_kind(path: str, text: str) -> str | None:
    """"site or editor configuration (NAME)" for configuration files beside the documents, else None."""
    name = PurePosixPath(path).name.lower()
    if name in _CONFIG_NAMES or name.endswith(_CONFIG_ENDINGS) or name.startswith("."):
        return f"site or editor configuration ({PurePosixPath(path).name})"
    if name.endswith((".yml", ".yaml")) and len(_SITE_KEYS.findall(text[:5000])) >= 2 \
            and not _ROLE_KEYS.search(text[:20000]):
        return f"site configuration ({PurePosixPath(path).name})"
    return None


def non_role_kind(text: str) -> str | None:
    """"license" or "changelog" when the text is one of those, else None (decided from content)."""
    head = text[:3000]
    # A page footer may quote licence words too, so the rest of the text must not read like a role.
    if _may_be_license(head) and _LICENSE.search(head) and _few_role_words(text[:20000]):
        return "license"
    # A changelog starts as one (its title or its first version); a role document that ends with a
    # "Version history" of its own is still a role.
    first = next((line for line in head.splitlines() if line.strip()), "")
    if _CHANGELOG_TITLE.match(first) or _VERSION_LINE.match(first):
        versions = sum(1 for _, _ in zip(_VERSION_LINE.finditer(text[:20000]), range(2), strict=False))
        if versions >= 2 or (versions >= 1 and _CHANGELOG_TITLE.match(first)):
            return "changelog"
    return None


def _may_be_license(head: str) -> bool:
    folded = head.casefold()
    return any(word in folded for word in _LICENSE_WORDS)


def _few_role_words(text: str) -> bool:
    return len(re.findall(r"\b(responsibilit|kpis?\b|onboarding|30-day|skills|career path|stakeholders)", text,
                          re.IGNORECASE)) < 3
