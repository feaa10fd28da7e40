"""Property test: no query text makes the engine fall back to its catch-all error answer."""

from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from core.store import open_store
from roles.answer.engine import AnswerEngine
from roles.answer.result import KINDS
from tests.roles.answer.engine_roles import build_index

WORDS = ["ptpm", "kpis", "compare", "vs", "and", "30", "day", "goals", "who", "owns", "principal", "consultnat",
         "red", "flags", "\"", "*", "(", ")", "NEAR", "OR", "AND", "NOT", "{", "}", ":", "^", "-", "L4", "roles"]


@cache
def _engine() -> AnswerEngine:
    folder = Path(tempfile.mkdtemp(prefix="rolebot-fuzz-"))
    return AnswerEngine(build_index(open_store(":memory:"), folder))


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.text(max_size=300), st.lists(st.sampled_from(WORDS), max_size=12).map(" ".join)))
def test_any_text_gets_a_real_answer(query: str) -> None:
    answer = _engine().ask(query)
    assert answer.kind in KINDS
    assert answer.text.strip()
    assert not answer.text.startswith("Sorry, something went wrong"), query
