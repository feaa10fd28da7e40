"""Keeping garbage-collection pauses off the answer path.

After warm-up the engine holds a few hundred thousand long-lived objects (the role list, the resolver's
names, the term vocabulary). CPython's full collections walk every tracked object, so with the default
thresholds a full collection every few hundred questions paused an answer by 170-300 ms at 10,000 roles.
:func:`settle` moves what is alive after a warm-up into the permanent generation (``gc.freeze``: never
walked again; freed by reference counting as usual when a re-index replaces it) and makes young
collections rarer.

:func:`keep_cached` does the same each time a role is read into the caches. A decoded role is ~1,500
tracked objects, and the collector's count of allocations stays low while the caches swap roles (each
eviction frees as many objects as the new role allocated), so the young generation filled with cached
roles: at 1,000 roles a young collection walked 80,000-90,000 objects, 22 ms, every ~85 questions
(0.28 ms a question). Freezing is O(1), and a frozen object that dies is freed by reference counting as
any other; only garbage in reference cycles would stay, and answering makes none (tests hold it to that,
with the collector looking at frozen objects too).
"""

from __future__ import annotations

import gc
import logging

logger = logging.getLogger(__name__)

#: Allocations between young collections (CPython's default is 700): an answer allocates tens of
#: thousands of short-lived objects, which reference counting frees; few survive to be walked.
YOUNG_THRESHOLD = 10_000
#: Young collections per middle one, and middle ones per full one (CPython's defaults are 10 and 10).
OLDER_THRESHOLDS = (20, 20)


def settle() -> None:
    """Freeze the objects alive now and raise the collection thresholds (once; never lowers them)."""
    gc.freeze()
    current = gc.get_threshold()
    if current[0] < YOUNG_THRESHOLD:
        gc.set_threshold(YOUNG_THRESHOLD, *OLDER_THRESHOLDS)
        logger.debug("gc thresholds %s -> %s", current, gc.get_threshold())


def keep_cached() -> None:
    """Freeze what is alive now, a role just read into the caches among it (see the module doc)."""
    gc.freeze()
