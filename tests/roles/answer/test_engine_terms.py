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
