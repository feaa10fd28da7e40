"""Role names grouped by shape, so that a query scores each distinct name once, however many roles share it.

A large library repeats its titles: 10,000 generated roles have about 1,700 distinct titles, and a real
organisation has many "Senior Software Engineer" documents, one per team. How well a query matches a
name depends only on the name's words and their weights (see :class:`roles.answer.resolve.RoleResolver`),
so names with the same words, weights and core are one *shape*: the resolver scores the shape once and
hands the result to every role that has it. The word and abbreviation tables point at shapes, so the
candidate set of a query is the distinct names that share a word with it, not every role that does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


class TitleIndex:
    """Shapes of a resolver's names and the word / abbreviation tables over them.

    ``names`` are the resolver's per-role names (objects with ``words``, ``weights``, ``core`` and
    ``head``); ``by_word`` maps a title word to (name index, word position) pairs and ``acronyms`` an
    abbreviation to (name index, covered positions) pairs, as the resolver builds them.
    """

    def __init__(
        self,
        names: Sequence[Any],
        by_word: Mapping[str, list[tuple[int, int]]],
        acronyms: Mapping[str, list[tuple[int, frozenset[int]]]],
    ):
        #: Shape -> indices of the names that have it, in name order.
        self.members: list[list[int]] = []
        shape_of_key: dict[tuple, int] = {}
        shape_of_name: list[int] = []
        for index, name in enumerate(names):
            key = (name.words, name.weights, name.core, name.head, getattr(name, "whole_only", False))
            shape = shape_of_key.setdefault(key, len(self.members))
            if shape == len(self.members):
                self.members.append([])
            self.members[shape].append(index)
            shape_of_name.append(shape)
        #: One name of each shape (they all score alike).
        self.first = [names[members[0]] for members in self.members]
        shapes_of_word = {word: _distinct((shape_of_name[i], pos) for i, pos in entries)
                          for word, entries in by_word.items()}
        self.acronyms = {word: _distinct((shape_of_name[i], covered) for i, covered in entries)
                         for word, entries in acronyms.items()}
        #: Title word -> (shape -> the word's positions in it, the shapes that hold the word twice or more):
        #: the resolver tells the shapes several query words match from the rest with set operations.
        self.word_shapes: dict[str, tuple[dict[int, tuple[int, ...]], frozenset[int]]] = {}
        for word, entries in shapes_of_word.items():
            positions: dict[int, list[int]] = {}
            for shape, pos in entries:
                positions.setdefault(shape, []).append(pos)
            self.word_shapes[word] = ({shape: tuple(p) for shape, p in positions.items()},
                                      frozenset(shape for shape, p in positions.items() if len(p) > 1))


def _distinct(entries) -> list:
    # Every name of a shape adds the same (shape, position) entries: keep each once, in order.
    return list(dict.fromkeys(entries))
