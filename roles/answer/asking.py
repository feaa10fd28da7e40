"""One question asked on any surface, answered the same way: help words, the length limit, "more" and
follow-ups from the asker's last answer in the same conversation (``roles.answer.conversation``).

Surfaces (Slack's ``/role``, a Teams message, the console) call :func:`ask_question`, render what it
returns in their own format, then call :func:`remember_shown` with the page they showed, so the next
"more" or "and the 60 day ones?" continues from it. Nothing here knows a platform: an :class:`Asker` is a
pair of platform-neutral ids.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal

from core.errors import StorageError
from roles.answer.conversation import ConversationMemory, LastAnswer
from roles.answer.followup import last_answer
from roles.answer.limits import HELP_WORDS, MAX_QUERY_CHARS, MORE_WORDS
from roles.answer.result import Answer

if TYPE_CHECKING:
    from roles.answer.engine import AnswerEngine

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Asker:
    """Who asks and where: a user id and a conversation id (a Slack user and channel, a Teams user and
    conversation, the console), so follow-ups continue from this user's last answer there."""

    user_id: str
    conversation_id: str


@dataclass(frozen=True)
class Asked:
    """What a question calls for: ``help``, ``too_long`` (``length`` characters, over
    :data:`~roles.answer.limits.MAX_QUERY_CHARS`), or ``answer`` (page ``page`` of ``answer``)."""

    kind: Literal["help", "too_long", "answer"]
    answer: Answer | None = None
    page: int = 0
    length: int = 0


def ask_question(engine: AnswerEngine, memory: ConversationMemory | None, text: str, page: int = 0,
                 asker: Asker | None = None) -> Asked:
    """Read ``text`` as a question from ``asker`` and answer it (page ``page``)."""
    query = " ".join(text.split())
    if query.lower() in HELP_WORDS:
        return Asked("help")
    if len(query) > MAX_QUERY_CHARS:
        return Asked("too_long", length=len(query))
    last = _recall(memory, asker)
    if last is not None and query.lower() in MORE_WORDS:
        # "more": the next page of the last answer.
        query, page = last.query, last.page + 1
        last = None
    answer = engine.ask(query, last)
    if answer.kind == "help":
        return Asked("help")
    return Asked("answer", answer, page)


def remember_shown(memory: ConversationMemory | None, asker: Asker | None, answer: Answer, page: int) -> None:
    """Make page ``page`` of ``answer`` the last answer of ``asker`` (nothing for answers about no role)."""
    last = last_answer(answer, page)
    if memory is None or asker is None or last is None:
        return
    try:
        memory.remember(asker.user_id, asker.conversation_id, last, datetime.now(UTC))
    except (sqlite3.Error, StorageError) as exc:
        logger.warning("could not remember the last answer of %s: %s", asker.user_id, exc)


def _recall(memory: ConversationMemory | None, asker: Asker | None) -> LastAnswer | None:
    if memory is None or asker is None:
        return None
    try:
        return memory.recall(asker.user_id, asker.conversation_id, datetime.now(UTC))
    except (sqlite3.Error, StorageError) as exc:
        # Follow-ups are a convenience: without the memory the question is answered as it stands.
        logger.warning("could not read the last answer of %s: %s", asker.user_id, exc)
        return None
