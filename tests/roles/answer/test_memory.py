"""Garbage-collection settings after warm-up, and the caches that keep answering memory bounded."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

import pytest

from core.store import Store
from roles.answer import engine as engine_module
from roles.answer import memory
from roles.answer.engine import AnswerEngine
from tests.roles.answer.engine_roles import build_index


@pytest.fixture
def gc_state():
    """The process's collector settings, restored after the test (settle() changes them for good)."""
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


def test_warm_up_freezes_what_it_built_and_raises_the_young_threshold(store: Store, tmp_path: Path, gc_state):
    gc.unfreeze()
    gc.set_threshold(700, 10, 10)
    engine = AnswerEngine(build_index(store, tmp_path))
    assert gc.get_freeze_count() == 0
    engine.ask("post-sales engineer kpis")
    assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == (memory.YOUNG_THRESHOLD, *memory.OLDER_THRESHOLDS)


def test_settle_never_lowers_a_threshold_set_higher(gc_state):
    gc.set_threshold(50_000, 5, 5)
    memory.settle()
    assert gc.get_threshold() == (50_000, 5, 5)


def test_parsed_roles_are_cached_within_their_bounds(store: Store, tmp_path: Path, monkeypatch):
    monkeypatch.setattr(engine_module, "FINDER_CACHE", 2)
    index = build_index(store, tmp_path)
    index._cache_size = 3
    engine = AnswerEngine(index)
    titles = [s.title.lower() for s in index.list_roles()]
    assert len(titles) > 3
    for title in titles * 2:
        assert engine.ask(f"{title} kpis").roles
    assert len(engine._state.finders) == 2
    assert len(index._roles) == 3


def test_answering_leaves_no_reference_cycles_of_its_own(store: Store, tmp_path: Path, gc_state):
    # A cycle keeps what it holds (sections of a role the caches already let go of) until a collection,
    # which then has to walk it: recursive closures in Role.sections_for and the section finder made one
    # per lookup. Only objects of rolebot's own modules count: the test process may hold other garbage.
    index = build_index(store, tmp_path)
    engine = AnswerEngine(index)
    titles = [s.title.lower() for s in index.list_roles()]
    gc.unfreeze()  # garbage of earlier tests, frozen by their answers, is not this test's
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        for title in titles:
            for question in (f"{title} kpis", f"{title} 30 day goals", f"{title} red flags", f"{title} escalation"):
                engine.ask(question)
        gc.unfreeze()  # answering freezes what it caches (memory.keep_cached): a frozen cycle counts too
        gc.collect()
        ours = [o for o in gc.garbage if (getattr(o, "__module__", None) or type(o).__module__).startswith("roles.")]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert ours == []


def test_a_role_read_for_an_answer_is_frozen_with_the_caches(store: Store, tmp_path: Path, gc_state):
    # Young collections would otherwise walk every cached role's objects until they grow old.
    engine = AnswerEngine(build_index(store, tmp_path))
    title = engine.index.list_roles()[0].title.lower()
    engine.ask(f"{title} kpis")
    finder = next(iter(engine._state.finders.values()))
    walked = {id(o) for o in gc.get_objects()}  # every generation the collector walks (not the frozen)
    assert gc.is_tracked(finder) and gc.is_tracked(finder.role)
    assert id(finder) not in walked and id(finder.role) not in walked
    assert not {id(section) for section in finder.role.sections} & walked


def test_a_generation_replaced_by_a_re_index_is_freed_without_the_collector(store: Store, tmp_path: Path, gc_state):
    # What warm-up and answers froze is never collected, only freed by reference counting: a reference
    # cycle in an engine generation would keep the whole generation after each re-index.
    index = build_index(store, tmp_path)
    engine = AnswerEngine(index)
    title = index.list_roles()[0].title.lower()
    engine.ask(f"{title} kpis")
    replaced, generation = weakref.ref(engine._state), engine._state.generation
    edited = sorted(tmp_path.iterdir())[0]
    edited.write_text("edited", encoding="utf-8")
    index.index_folder(tmp_path)
    engine.ask(f"{title} kpis")
    assert engine._state.generation != generation
    assert replaced() is None
