"""The ranked matches of a resolution, the long tail of them worked out only when someone reads that far.

A question that names a role ("senior data engineer kpis") also shares one word with many other titles:
at 1,000 roles about 90 titles share "engineer" or "data" alone, against some 30 that share two words
of it. Every match named by two or more query words ranks before every match named by one (see
``roles.answer.resolve._key``), and nearly every question is decided by the first matches: the best,
the ties with it, whether two roles are named apart. So the resolver ranks the matches of two or more
words at once and leaves the one-word ones (the *rest*) to a function called the first time a caller
reads past them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from roles.answer.resolve import RoleMatch


class RankedMatches(Sequence["RoleMatch"]):
    """Matches best first: ``head``, then what ``rest()`` returns, called once when first needed.

    ``rest_positions`` are the query positions that the matches of the rest use (each uses one of them).
    Without ``rest`` the head is every match.
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
            assert self._rest is not None
            self._every = self.head + self._rest()
            self._rest = None
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
