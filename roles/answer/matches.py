"""The ranked matches of a resolution, the long tail of them worked out only when someone reads that far.

A question that names a role ("senior data engineer kpis") also shares words with many other titles: at
1,000 roles some 30 titles share two of its words ("Senior Platform Engineer") and 90 more one
("... Engineer"). Every match of fewer query words ranks after every match of more (see
``roles.answer.resolve._key``), and nearly every question is decided by the first matches: the best,
the ties with it, whether two roles are named apart. So the resolver ranks the matches that use as many
words as the best at once (the *head*) and leaves the others (the *rest*, most of them not even scored)
to a function called the first time a caller reads past the head.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from roles.answer.resolve import RoleMatch


class RankedMatches(Sequence["RoleMatch"]):
    """Matches best first: ``head``, then what ``rest()`` returns, called once when first needed.

    ``rest_positions`` holds every query position that a match of the rest can use: a caller that has
    taken them all (``roles.answer.query.named_apart``) need not read on. Without ``rest`` the head is
    every match.
    """

    def __init__(self, head: list[RoleMatch], rest: Callable[[], list[RoleMatch]] | None = None,
                 rest_positions: frozenset[int] = frozenset()):
        self.head = head
        self.rest_positions = rest_positions
        self._rest = rest
        self._every: list[RoleMatch] | None = None if rest is not None else head

    @property
    def worked_out(self) -> bool:
        """Whether every match is known (the rest was worked out, or there was none to put off)."""
        return self._every is not None

    def every(self) -> list[RoleMatch]:
        """All the matches (the rest worked out now if it was not before)."""
        if self._every is None:
            rest, self._rest = self._rest, None
            self._every = self.head + (rest() if rest is not None else [])
        return self._every

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, int) and 0 <= index < len(self.head):
            return self.head[index]
        return self.every()[index]

    def __len__(self) -> int:
        return len(self.every())

    def __bool__(self) -> bool:
        return bool(self.head) or bool(self.every())

    def __iter__(self) -> Iterator[RoleMatch]:
        yield from self.head
        yield from self.every()[len(self.head):]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence):
            return self.every() == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(self.every())
