"""A section read back from the index whose content is built on first use (see ``roles.index.codec``).

An answer about one role shows one or two of its ~30 sections, yet reading the role built every item,
KPI row and goal of all of them (and a cache evicting the role freed them all again): two thirds of the
time of reading a role of the bench corpus. A :class:`StoredSection` has its aspect, heading and
sub-sections at once, and keeps the rest (text, items, KPI rows, goals) as the JSON text it was stored
as, parsed the first time one of them is read. The stored flags say which of them are empty, so asking
a section for its goals (``Role.goals()`` walks every section) parses only the sections that have some.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import orjson

from roles.model import Goal, Item, Kpi, Section

#: Bits of the stored flags: which content fields are not empty.
HAS_TEXT, HAS_ITEMS, HAS_KPIS, HAS_GOALS = 1, 2, 4, 8
_PARTS = "_content_parts"


def unpack_content(text: str, items: list, kpis: list, goals: list) -> list[Any]:
    """A section's text, items, KPI rows and goals from their packed arrays (``roles.index.codec``'s
    field order), as [text, items, kpis, goals]."""
    return [text, [Item(*i) for i in items], [Kpi(*k) for k in kpis], [Goal(*g) for g in goals]]


def content_flags(section: Section) -> int:
    """The flags stored beside a section's content."""
    return ((HAS_TEXT if section.text else 0) | (HAS_ITEMS if section.items else 0)
            | (HAS_KPIS if section.kpis else 0) | (HAS_GOALS if section.goals else 0))


class StoredSection(Section):
    """A :class:`~roles.model.Section` (equal to the section it was stored from) whose text, items, KPI
    rows and goals are parsed from ``content`` when first read.

    Safe to share between threads: the first parse to finish is the one every reader sees, so the same
    item is the same object for everyone.
    """

    def __init__(self, aspect: str, heading: str, content: str, flags: int, subsections: list[Section]):
        # Section.__init__ is not called: it would set the fields that are parsed later.
        self.aspect = aspect
        self.heading = heading
        self.subsections = subsections
        self._content = content
        self._flags = flags

    @property
    def parsed(self) -> bool:
        """Whether the content has been parsed (a section with no content never needs to be)."""
        return _PARTS in self.__dict__

    def _built(self) -> list[Any]:
        parts = self.__dict__.get(_PARTS)
        if parts is None:
            built = unpack_content(*orjson.loads(self._content))
            # setdefault is atomic: two threads parsing at once both keep the first one's objects.
            parts = self.__dict__.setdefault(_PARTS, built)
        return parts

    def _get(self, index: int, flag: int, empty: Any) -> Any:
        if not self._flags & flag and _PARTS not in self.__dict__:
            return empty()
        return self._built()[index]

    def _set(self, index: int, value: Any) -> None:
        self._built()[index] = value

    text = property(lambda self: self._get(0, HAS_TEXT, str), lambda self, value: self._set(0, value))
    items = property(lambda self: self._get(1, HAS_ITEMS, list), lambda self, value: self._set(1, value))
    kpis = property(lambda self: self._get(2, HAS_KPIS, list), lambda self, value: self._set(2, value))
    goals = property(lambda self: self._get(3, HAS_GOALS, list), lambda self, value: self._set(3, value))

    def __eq__(self, other: object) -> bool:
        # The dataclass's __eq__ wants the very same class: a stored section equals the section it was
        # stored from. (Python asks this subclass first, whichever side of == it is on.)
        if not isinstance(other, Section):
            return NotImplemented
        return _fields(self) == _fields(other)

    __hash__ = None  # type: ignore[assignment]  (mutable, like Section)

    def __repr__(self) -> str:
        return Section.__repr__(self).replace(type(self).__qualname__, "Section", 1)


#: Section's fields, as its dataclass __eq__ compares them: a field added to the model is compared too.
_SECTION_FIELDS = tuple(f.name for f in fields(Section) if f.compare)


def _fields(section: Section) -> tuple:
    return tuple(getattr(section, name) for name in _SECTION_FIELDS)
