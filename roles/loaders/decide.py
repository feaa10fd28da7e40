"""Applying the role decision to a loaded document: keep the roles the evidence supports, explain the rest.

Kept apart from :mod:`roles.loaders.evidence` (which weighs one candidate) because this is where the
page-level facts are gathered (how many sibling candidates, how much of the page is links), where an
admin's override wins (``rolebot: role`` / ``rolebot: not-a-role`` in front matter, ``roles:`` in config),
and where the one-line report of a document is written.
"""

from __future__ import annotations

import re

from roles.loaders.evidence import THRESHOLD, Context, Verdict, weigh
from roles.loaders.titles import page_kind_word
from roles.model import LoadedDocument

_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)|<a\b[^>]*>(.*?)</a>", re.IGNORECASE | re.DOTALL)
_OVERRIDE = re.compile(r"^rolebot:\s*['\"]?(role|not-a-role|not a role)['\"]?\s*$", re.IGNORECASE | re.MULTILINE)
_FRONT = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)


def front_matter_override(text: str) -> bool | None:
    """True / False when the page's front matter says ``rolebot: role`` / ``rolebot: not-a-role``."""
    match = _FRONT.match(text[:20000])
    if not match:
        return None
    found = _OVERRIDE.search(match.group(1))
    return None if found is None else found.group(1).lower() == "role"


def decide(document: LoadedDocument, text: str, override: bool | None = None) -> LoadedDocument:
    """Keep the candidates that are roles; record every verdict and the document's one-line decision."""
    candidates = document.roles + document.rejected
    if not candidates:
        return document
    forced = front_matter_override(text) if override is None else override
    links = _link_share(text)
    # The loader's roles are siblings of one ladder; what it already set aside (the rest of a ladder
    # page) is weighed on its own.
    # Posts of a blog export are separate pages, not parallel headings of one page.
    siblings = 1 if document.format == "blog-json" else len(document.roles)
    verdicts = _weigh(document.roles, Context(document.path, siblings, links, document.title), forced)
    if siblings > 1:
        _parallel(verdicts)
    verdicts += _weigh(document.rejected, Context(document.path, 1, links), forced)
    document.verdicts = verdicts
    document.roles = [r for r, v in zip(candidates, verdicts, strict=True) if v.is_role]
    document.rejected = [r for r, v in zip(candidates, verdicts, strict=True) if not v.is_role]
    if document.rejected and not document.text:
        document.text = text  # a page that is not (all) roles stays readable as a document
    document.decision = _decision(verdicts)
    return document


def _weigh(roles: list, context: Context, forced: bool | None) -> list[Verdict]:
    verdicts = []
    for role in roles:
        verdict = weigh(role, context)
        verdict.forced = forced
        verdicts.append(verdict)
    return verdicts


def _parallel(verdicts: list[Verdict]) -> None:
    """Sibling headings of one shape are read together: when most are roles, so are the others."""
    if len(verdicts) < 2:
        return
    roles = sum(1 for v in verdicts if v.is_role)
    if roles * 2 < len(verdicts) or roles == len(verdicts):
        return
    for verdict in verdicts:
        if not verdict.is_role and not verdict.placeholder and not page_kind_word(verdict.title):
            verdict.add(THRESHOLD - verdict.score, f"{roles} of its {len(verdicts)} parallel headings are roles")


def _decision(verdicts: list[Verdict]) -> str:
    kept = [v for v in verdicts if v.is_role]
    if not kept:
        if len(verdicts) == 1:
            return verdicts[0].summary()
        return f"not a role: none of {len(verdicts)} headings is a role, e.g. {verdicts[0].summary()}"
    borderline = [v for v in verdicts if v.borderline]
    if borderline:
        names = ", ".join(f"'{v.title}' ({'taken' if v.is_role else 'left out'}, score {v.score:.1f})"
                          for v in borderline[:3])
        return f"borderline: {names}"
    return ""


def _link_share(text: str) -> float:
    sample = text[:20000]
    words = len(sample.split())
    if not words:
        return 0.0
    linked = sum(len((m.group(1) or m.group(2) or "").split()) for m in _MD_LINK.finditer(sample))
    return linked / words
