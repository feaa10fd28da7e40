"""Career ladders derived from the role list: which roles are levels of one job, and in what order.

Nothing here depends on how a loader names levels. Roles whose titles differ only by seniority words
or level codes ("Junior / (none) / Senior / Lead / Principal Field Service Technician", "L3 Data
Engineer" / "L4 Senior Data Engineer") form a ladder. Levels are ordered by their level codes when every
level of the ladder has one of the same kind ("IC1" … "IC7", "D1" … "D7"), else by the seniority words
of the title ("Junior < (none) < Senior < Lead < Staff < Principal < Senior Principal").
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from roles.answer.resolve import SHORT_FORMS, RoleName, is_level_code
from roles.answer.vocabulary import STOPWORDS, normalize, tokenize

#: Rank of each seniority word; a title with none of them is at NO_SENIORITY.
SENIORITY_RANK = {
    "intern": 0.0, "trainee": 0.2, "apprentice": 0.5, "entry": 0.8, "junior": 1.0, "associate": 1.0,
    "mid": 2.0, "intermediate": 2.0, "senior": 3.0, "lead": 4.0, "staff": 4.5, "principal": 5.0,
    "distinguished": 7.0, "fellow": 8.0,
}
NO_SENIORITY = 2.0
#: Roman numerals after a title ("Software Engineer II") order levels of one rank.
NUMERALS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6}
#: Numerals a question may name as levels ("i" and "v" are too often other words: "how do i …").
_ASKED_NUMERALS = frozenset({"ii", "iii", "iv", "vi"})
#: Two-word ranks, read before their single words.
COMPOUND_RANK = {("senior", "principal"): 6.0, ("senior", "staff"): 4.8}
_CODE = re.compile(r"^([a-z]+)(\d{1,2})$")
#: Where a title's qualifier starts: a spaced dash, bar or colon, or a bracket.
_QUALIFIER = re.compile(r"\s[-|:\u2013\u2014]\s|\(")


@dataclass(frozen=True)
class Level:
    """One role as a level of a ladder."""

    role: RoleName
    rank: float
    #: Level code kind and number ("ic", 4), when the role has one.
    code: tuple[str, int] | None
    #: The roman numeral that ends the title ("Engineer II" -> 2), else 0: orders levels of one rank.
    numeral: int = 0


@dataclass(frozen=True)
class Mention:
    """A level named in a question: a seniority rank or a level code, at a query position."""

    position: int
    rank: float | None = None
    code: tuple[str, int] | None = None
    #: A roman numeral ("ii"), matched against the numeral of a title.
    numeral: int | None = None
    #: Positions the mention takes ("senior principal" takes two).
    used: frozenset[int] = frozenset()


def rank_of(words: Sequence[str]) -> float:
    """The seniority rank a title's words give (NO_SENIORITY when they name none)."""
    for i in range(len(words) - 1):
        if (words[i], words[i + 1]) in COMPOUND_RANK:
            return COMPOUND_RANK[(words[i], words[i + 1])]
    ranks = [SENIORITY_RANK[_long(w)] for w in words if _long(w) in SENIORITY_RANK]
    return max(ranks) if ranks else NO_SENIORITY


def numeral_of(words: Sequence[str]) -> int:
    """The roman numeral that ends a title ("Software Engineer II" -> 2), else 0."""
    return NUMERALS.get(words[-1], 0) if len(words) > 1 else 0


def code_of(words: Iterable[str]) -> tuple[str, int] | None:
    """The first level code among ``words`` ("l4" -> ("l", 4))."""
    for word in words:
        match = _CODE.match(word)
        if match and is_level_code(word):
            return match.group(1), int(match.group(2))
    return None


def family_of(title: str) -> tuple[str, ...]:
    """The words of a title that are not about level: "Senior Field Service Technician" -> field service
    technician. A qualifier after a dash or in brackets is left out."""
    plain = _QUALIFIER.split(normalize(title))[0]
    return tuple(w for w in tokenize(plain) if w not in STOPWORDS and _long(w) not in SENIORITY_RANK
                 and not is_level_code(w) and w not in ("level", "i", "ii", "iii", "iv", "v"))


def mentions(tokens: Sequence[str]) -> list[Mention]:
    """The levels a question names, in order: seniority words and level codes."""
    found: list[Mention] = []
    skip: set[int] = set()
    for i, word in enumerate(tokens):
        if i in skip:
            continue
        pair = (_long(word), _long(tokens[i + 1])) if i + 1 < len(tokens) else None
        if pair in COMPOUND_RANK:
            found.append(Mention(i, rank=COMPOUND_RANK[pair], used=frozenset({i, i + 1})))
            skip.add(i + 1)
        elif _long(word) in SENIORITY_RANK:
            found.append(Mention(i, rank=SENIORITY_RANK[_long(word)], used=frozenset({i})))
        elif code_of([word]):
            found.append(Mention(i, code=code_of([word]), used=frozenset({i})))
        elif word == "level" and i + 1 < len(tokens) and tokens[i + 1].isdigit():
            # "level 3": the level of that number, whatever its code's letters.
            found.append(Mention(i, code=("level", int(tokens[i + 1])), used=frozenset({i, i + 1})))
            skip.add(i + 1)
        elif word in _ASKED_NUMERALS:
            found.append(Mention(i, numeral=NUMERALS[word], used=frozenset({i})))
    return found


class Ladders:
    """The ladders among a list of roles (rebuild when the roles change)."""

    def __init__(self, roles: Iterable[RoleName]):
        groups: dict[tuple[str, ...], list[Level]] = defaultdict(list)
        self._family: dict[int, tuple[str, ...]] = {}
        # Titles repeat in a large library (one "Senior Data Engineer" per team): read each one once.
        by_title: dict[str, tuple[tuple[str, ...], float, tuple[str, int] | None, int]] = {}
        for role in roles:
            known = by_title.get(role.title)
            if known is None:
                words = tokenize(role.title)
                known = by_title[role.title] = (family_of(role.title), rank_of(words), code_of(words), numeral_of(words))
            family, rank, code, numeral = known
            if not family:
                continue
            if code is None:
                code = code_of([w for alias in role.aliases for w in tokenize(alias)])
            groups[family].append(Level(role, rank, code, numeral))
            self._family[role.id] = family
        # Two documents with one title and no level code are the same role twice, not a ladder.
        self._ladders = {f: _ordered(levels) for f, levels in groups.items()
                         if len({(lv.role.title.lower(), lv.code) for lv in levels}) >= 2}
        #: Words of every job -> the ladders whose job they are a word of.
        self._title_words = {_singular(w) for family in groups for w in family}
        self._by_word: dict[str, set[tuple[str, ...]]] = defaultdict(set)
        for family in self._ladders:
            for word in family:
                self._by_word[_singular(word)].add(family)

    def could_name(self, words: Iterable[str]) -> bool:
        """False when ``words`` (as typed) cannot all be words of one ladder's job: a cheap test
        before resolving them. Unknown words (typos) leave it possible."""
        common: set[tuple[str, ...]] | None = None
        for word in words:
            if _singular(word) not in self._title_words:
                return True  # perhaps a typo: let the resolver decide
            families = self._by_word.get(_singular(word), set())
            common = set(families) if common is None else common & families
        return bool(common) if common is not None else bool(self._ladders)

    def ladder_of(self, role_id: int) -> list[Level]:
        """The levels of the ladder a role is on, lowest first ([] when it is on none)."""
        return self._ladders.get(self._family.get(role_id, ()), [])

    def with_codes(self, named: Sequence[Mention]) -> list[list[Level]]:
        """The ladders that have a level for each of the ``named`` level codes."""
        return [levels for levels in self._ladders.values()
                if all(self.level(levels, mention) is not None for mention in named)]

    @staticmethod
    def level(levels: list[Level], mention: Mention) -> Level | None:
        """The level of a ladder that a mention names."""
        for lv in levels:
            if mention.code is not None and lv.code is not None and (
                    lv.code == mention.code or (mention.code[0] == "level" and lv.code[1] == mention.code[1])):
                return lv
            if (mention.rank is not None and lv.rank == mention.rank) or (
                    mention.numeral is not None and lv.numeral == mention.numeral):
                return lv
        return None

    @staticmethod
    def base(levels: list[Level]) -> Level | None:
        """The level whose title has no seniority word ("Field Service Technician"), if any."""
        return next((lv for lv in levels if lv.rank == NO_SENIORITY), None)

    @staticmethod
    def above(levels: list[Level], level: Level) -> Level | None:
        """The next level up, or None at the top."""
        at = levels.index(level)
        return levels[at + 1] if at + 1 < len(levels) else None


def _ordered(levels: list[Level]) -> list[Level]:
    kinds = {lv.code[0] for lv in levels if lv.code}
    if len(kinds) == 1 and all(lv.code for lv in levels):
        return sorted(levels, key=lambda lv: (lv.code[1], lv.rank, lv.numeral))
    return sorted(levels, key=lambda lv: (lv.rank, lv.numeral, lv.code[1] if lv.code else 0))


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _long(word: str) -> str:
    """A short form read as its word ("sr" -> senior, "jr" -> junior)."""
    forms = SHORT_FORMS.get(word, ())
    return forms[0] if forms and forms[0] in SENIORITY_RANK else word
