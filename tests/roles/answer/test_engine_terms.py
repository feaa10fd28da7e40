"""Typo correction of free-text words against the index vocabulary, and when the engine reads that vocabulary."""

from __future__ import annotations

from pathlib import Path

from core.store import Store
from roles.answer.engine import AnswerEngine
from roles.answer.terms import Stemmer, TermCorrector
from tests.roles.answer.engine_roles import build_index


def _corrector(vocabulary: dict[str, int]) -> TermCorrector:
    return TermCorrector(vocabulary, Stemmer())


def test_a_typo_is_read_as_the_nearest_term_with_the_same_first_letter() -> None:
    # Many terms one edit away that start with another letter must not crowd out the right one.
    vocabulary = {f"{letter}alvorx": 500 for letter in "bcdfghjklmnprstvwz"}
    vocabulary["qalvorex"] = 1
    [term] = _corrector(vocabulary).terms(["qalvorx"])
    assert (term.corrected, term.known) == ("qalvorex", True)


def test_among_equally_near_terms_the_most_common_wins() -> None:
    [term] = _corrector({"kelvarix": 3, "kelvarox": 40, "kelvara": 900}).terms(["kelvarux"])
    assert term.corrected == "kelvarox"


def test_a_word_whose_typo_changes_its_stem_is_read_as_the_stem_it_starts_with() -> None:
    # "refrence" does not stem like "reference"; the stem "refer" is a prefix of it, give or take the typo.
    [term] = _corrector({"refer": 12, "refund": 30, "architectur": 5}).terms(["refrence"])
    assert term.corrected == "refer"


def test_a_short_word_is_not_read_as_a_stem_it_nearly_starts_with() -> None:
    # "travel" is one letter off "trade" + "l"; a word this short is a different word, not a typo.
    [term] = _corrector({"trade": 40}).terms(["travel"])
    assert (term.known, term.corrected) == (False, None)


def test_a_word_far_from_every_term_stays_unknown() -> None:
    [term] = _corrector({"kelvarix": 3, "pipelin": 40}).terms(["zzyzzogram"])
    assert (term.known, term.corrected) == (False, None)


def test_the_vocabulary_is_read_with_the_rest_of_a_generation_not_by_the_first_free_text_question(
    store: Store, tmp_path: Path
) -> None:
    index = build_index(store, tmp_path)
    reads = []
    read_vocabulary = index.vocabulary
    index.vocabulary = lambda: reads.append(1) or read_vocabulary()
    engine = AnswerEngine(index)
    engine.ask("help")
    assert reads == [1]
    answer = engine.ask("who owns reference architectures")
    assert answer.kind == "search"
    assert reads == [1]


def _tables(corrector: TermCorrector) -> tuple[dict, dict]:
    """The typo tables without empty lists (a table changed by a difference may keep some)."""
    first = {k: v for k, v in corrector._by_first.items() if v}
    start = {k: {n: v for n, v in by.items() if v} for k, by in corrector._by_start.items()}
    return first, {k: v for k, v in start.items() if v}


def test_after_an_index_change_the_typo_tables_change_by_the_difference_only() -> None:
    before = {"alpha": 3, "alpine": 2, "beta": 5, "betamax": 1, "gamma": 4, "zulu": 1}
    after = {"alpha": 4, "alpina": 1, "beta": 5, "betamax": 1, "delta": 2, "gamma": 4}
    stemmer = Stemmer()
    previous = TermCorrector(dict(sorted(before.items())), stemmer)
    old_tables = _tables(previous)
    changed = TermCorrector(dict(sorted(after.items())), stemmer, previous)
    assert _tables(changed) == _tables(TermCorrector(dict(sorted(after.items())), stemmer))
    assert _tables(previous) == old_tables  # still serving answers of the old generation: untouched
    [term] = changed.terms(["alpinq"])
    assert term.corrected == "alpina"


def test_an_edit_that_renames_no_role_keeps_the_resolver_and_answers_as_a_fresh_engine(store: Store, tmp_path: Path) -> None:
    import copy

    from tests.roles.answer.engine_roles import all_roles

    roles = all_roles()
    index = build_index(store, tmp_path, roles)
    engine = AnswerEngine(index)
    engine.ask("kpis")
    resolver = engine._state.resolver
    name, role = next(iter(roles.items()))
    edited = copy.deepcopy(role)
    edited.sections[0].text += " Runs the quokkalation drills."
    roles[name] = edited
    (tmp_path / name).write_text(f"{name} edited", encoding="utf-8")
    index.index_folder(tmp_path)
    answer = engine.ask("who runs quokkalaton drills")
    assert engine._state.resolver is resolver
    assert answer.roles and answer.roles[0].title == role.title
    assert answer.to_json() == AnswerEngine(index).ask("who runs quokkalaton drills").to_json()
