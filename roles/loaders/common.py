"""Assembling a :class:`Role` from a title heading and built sections (shared by every text format)."""

from __future__ import annotations

from roles.loaders.titles import defined_abbreviations, split_title, title_from_path
from roles.model import Role, Section, Source


def make_role(heading: str, sections: list[Section], path: str, fmt: str, link: str | None = None,
              body: str = "", extra_aliases: list[str] | None = None) -> Role:
    """A role titled from ``heading``; with none, from its first heading (unless that names an aspect)
    or else the file name.

    ``body`` is searched for the abbreviation the document defines for its title ("(PTPM)").
    """
    if not heading.strip():
        # A first heading that is itself an aspect ("Responsibilities") names a section, not the role.
        first = next((s.heading for s in sections if s.heading), "")
        heading = first if first and sections[0].aspect == "other" else title_from_path(path)
        if heading == first and _empty(sections[0]):
            # "**Warehouse Associate**" on the first line of loose Markdown is the title, not a section.
            sections = sections[1:]
    title, aliases = split_title(heading)
    aliases = list(extra_aliases or []) + aliases + defined_abbreviations(title, body)
    seen = {title.casefold()}
    unique = [a for a in aliases if not (a.casefold() in seen or seen.add(a.casefold()))]
    return Role(title=title, source=Source(path=path, format=fmt, link=link), aliases=unique, sections=sections)


def _empty(section: Section) -> bool:
    return not (section.text or section.items or section.kpis or section.goals or section.subsections)
