"""Career frameworks written as tables: one role per level row, or one role per level column.

Handbooks often give their levels as a table rather than headings: ``| Level | Description |`` with a
row per level (``IC1`` … ``IC4``, also as HTML ``<table>`` inside Markdown), or a competency matrix whose
columns are levels (``| Competency | Junior | Mid | Senior |``). Each level is a role of the job
family the page is about ("Engineer IC1", "Senior Engineer"); its row's cells (or its column's cells
under each competency row) are its content. A table whose levels are already headings of the page
(a ladder's overview table) is left to the headings.
"""

from __future__ import annotations

import re

from roles.aspects import clean_heading
from roles.loaders.builder import SectionBuilder
from roles.loaders.common import make_role
from roles.loaders.titles import is_job_title, level_code_in
from roles.model import Item, Role

# Seniority words that name a level on their own ("Junior", "Mid", "Senior", "Staff").
LEVEL_WORD = re.compile(
    r"^(apprentice|trainee|intern|graduate|entry[- ]level|junior|jr\.?|associate|intermediate|mid|mid[- ]level|"
    r"senior|sr\.?|staff|principal|distinguished|lead|head|fellow|expert|advanced|beginner|novice)$", re.IGNORECASE)
# What a page title says besides the job family's name ("Engineering career framework").
FAMILY_SUFFIX = re.compile(r"[\s:–-]*\b(career ladder|ladder|job family|family|levels|levelling|leveling|"
                           r"career framework|framework|career path|competency matrix|competencies|matrix|"
                           r"career levels|progression|roles|by level|matrix by level|expectations)\s*$", re.IGNORECASE)
# Disciplines named by their field; their levels are levels of the person who practises it.
_PERSON = {
    "engineering": "Engineer", "software engineering": "Software Engineer", "design": "Designer",
    "product design": "Product Designer", "marketing": "Marketer", "data science": "Data Scientist",
    "product": "Product Manager", "product management": "Product Manager", "research": "Researcher",
    "analytics": "Analyst", "data": "Data Analyst", "accounting": "Accountant", "recruiting": "Recruiter",
    "security": "Security Engineer", "qa": "QA Engineer", "devops": "DevOps Engineer", "infrastructure": "Infrastructure Engineer",
}
_PEOPLE = frozenset(person.casefold() for person in _PERSON.values())
_NAME_COLUMN = re.compile(r"^(title|name|role|job title|position)$", re.IGNORECASE)


def person_of(family: str) -> str:
    """The person a job family's levels describe: "Engineering career framework" -> "Engineer"."""
    name = FAMILY_SUFFIX.sub("", clean_heading(family)).strip() or clean_heading(family)
    return _PERSON.get(name.casefold(), name)


def family_person(headings: list[str], family: str) -> str:
    """The person whose levels a table lists: the nearest heading above it that names a job or a
    discipline ("## Engineering competencies" -> "Engineer"), else the page's family."""
    for heading in reversed(headings):
        person = person_of(heading)
        if person.casefold() in _PEOPLE or is_job_title(person):
            return person
    return person_of(family)


def is_level(cell: str) -> bool:
    """True for a cell that names a level: a level code ("IC3", "L1.0") or a seniority word."""
    text = clean_heading(cell)
    words = text.split()
    # "Senior", "Senior Staff", "Entry level": every word a seniority word.
    return bool(text) and (level_code_in(text) == text.upper() or (len(words) <= 3 and all(
        LEVEL_WORD.match(word) or word.lower() in ("entry", "level") for word in words)))


def level_title(level: str, person: str) -> str:
    """ "Senior" + "Engineer" -> "Senior Engineer"; "IC1" + "Engineer" -> "IC1 Engineer" (whose title is then
    "Engineer" with the alias "IC1", as for a ladder's "## IC1" headings)."""
    return f"{clean_heading(level)} {person}"


def table_roles(header: list[str], rows: list[list[str]], person: str, path: str, fmt: str,
                headed: set[str], least: int = 2, section: str = "") -> list[Role]:
    """The roles a level table gives, or [] when it is not a level table (or its levels are headings).

    ``headed`` holds the page's headings (upper case, and their level codes): a table whose levels or
    titles are also headings is an overview of roles described below. ``section`` names the part of a
    competency matrix this table is (the heading above it).
    """
    columns = [n for n, cell in enumerate(header) if n > 0 and is_level(cell)]
    if len(columns) >= 2 and len(columns) == len(header) - 1 and rows:
        return [_column_role(header, rows, n, person, path, fmt, section) for n in columns]
    levels = [row for row in rows if row and is_level(row[0])]
    if len(levels) >= least and len(levels) == len(rows) and len(header or rows[0]) >= 2:
        names = {clean_heading(cell).upper() for row in levels for cell in row[:2]}
        names |= {name.split(" / ")[0] for name in names}
        if names & headed:
            return []  # an overview of levels that have their own headings below
        return [_row_role(header, row, person, path, fmt) for row in levels]
    return []


def _column_role(header: list[str], rows: list[list[str]], column: int, person: str, path: str, fmt: str,
                 section: str) -> Role:
    builder = SectionBuilder()
    builder.heading(1, section or header[0] or "Competencies", aspect="competency")
    builder.items([Item(text=row[column], label=row[0]) for row in rows if column < len(row) and row[column].strip()])
    role = make_role(level_title(header[column], person), builder.sections, path, fmt)
    role.origin = f"column '{header[column]}' of the competency matrix under '{section or header[0]}'"
    return role


def _row_role(header: list[str], row: list[str], person: str, path: str, fmt: str) -> Role:
    names = [n for n, cell in enumerate(header) if n > 0 and _NAME_COLUMN.match(cell.strip())]
    title = row[names[0]] if names and names[0] < len(row) and is_job_title(row[names[0]]) else level_title(row[0], person)
    builder = SectionBuilder()
    builder.heading(1, "Summary", aspect="summary")
    for n, cell in enumerate(row[1:], start=1):
        if cell.strip() and not (names and n == names[0]):
            label = header[n] if n < len(header) and header[n] and header[n].lower() != "description" else ""
            builder.paragraph(cell, label=label)
    role = make_role(title, builder.sections, path, fmt)
    role.origin = f"row '{row[0]}' of a level table"
    return role
