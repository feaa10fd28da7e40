"""Aspect vocabulary: everyday phrases to canonical aspects, goal horizons and sub-section hints."""

from __future__ import annotations

import pytest

from roles.answer.vocabulary import SYNONYMS, find_aspect, find_horizon, normalize, tokenize
from roles.model import ASPECTS, LONG_TERM_DAYS


@pytest.mark.parametrize(
    ("query", "aspect", "horizon"),
    [
        ("pse first month", "goals", 30),
        ("pse 30 days", "goals", 30),
        ("pse 30-day goals", "goals", 30),
        ("first 90 days", "goals", 90),
        ("3 months", "goals", 90),
        ("6 month milestones", "goals", 180),
        ("12 month objectives", "goals", 365),
        ("first year", "goals", 365),
        ("long term goals", "goals", LONG_TERM_DAYS),
        ("how is it measured", "kpis", None),
        ("metrics", "kpis", None),
        ("targets", "kpis", None),
        ("kpi", "kpis", None),
        ("day to day", "day-to-day", None),
        ("what does it do day to day", "day-to-day", None),
        ("what do they do", "responsibilities", None),
        ("tools", "tools", None),
        ("tech stack", "tech-stack", None),
        ("soft skills", "soft-skills", None),
        ("skills", "skills", None),
        ("who do they work with", "stakeholders", None),
        ("what comes after", "career-path", None),
        ("ai impact", "ai-impact", None),
        ("automation", "ai-impact", None),
        ("red flags", "hiring", None),
        ("certs", "experience", None),
        ("who do they report to", "stakeholders", None),
        ("the weather in paris", None, None),
        ("which role tracks churn", "kpis", None),
        ("how is it evaluated", "kpis", None),
        ("how do i know if they are doing well", "kpis", None),
        ("how well do they need to know sql", "skills", None),
        ("why does it exist", "mission", None),
        ("how do i become one", "career-path", None),
        ("in a year", None, None),
    ],
)
def test_find_aspect(query: str, aspect: str | None, horizon: int | None) -> None:
    request = find_aspect(tokenize(query))
    assert (request.aspect, request.horizon) == (aspect, horizon)


def test_narrow_phrases_carry_hints() -> None:
    assert "red flags" in find_aspect(tokenize("red flags")).hints
    assert any("certification" in h for h in find_aspect(tokenize("certifications")).hints)
    assert any("report" in h for h in find_aspect(tokenize("reporting line")).hints)


def test_the_aspect_named_most_wins_and_the_other_aspect_words_stay_in_the_question() -> None:
    tokens = tokenize("which kpis are measured quarterly")
    request = find_aspect(tokens)
    assert request.aspect == "kpis"
    assert tokens.index("quarterly") not in request.used


def test_skipped_positions_are_not_read() -> None:
    tokens = tokenize("product manager kpis")
    assert find_aspect(tokens, skip={0, 1}).used == frozenset({2})
    assert find_aspect(tokenize("manager"), skip={0}).aspect is None


def test_used_positions_cover_the_phrase() -> None:
    tokens = tokenize("ptpm first 90 days goals")
    request = find_aspect(tokens)
    assert request.used == frozenset({1, 2, 3, 4})


def test_no_horizon_without_a_unit() -> None:
    assert find_horizon(tokenize("l4 solutions architect")) == (None, set())
    assert find_horizon(tokenize("top 10 kpis")) == (None, set())


def test_every_synonym_names_a_known_aspect() -> None:
    assert {s.aspect for s in SYNONYMS} <= set(ASPECTS)


def test_tokenize_normalises_quotes_dashes_and_case() -> None:
    assert tokenize("What\u2019s the Post\u2013Sales  ENGINEER's 30-day plan?") == [
        "what", "s", "the", "post", "sales", "engineer", "s", "30", "day", "plan"]


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("Senior DATA Engineer", "senior data engineer"),  # ASCII: only lower-cased
        ("Post\u2013Sales Engineer\u2019s", "post-sales engineer's"),  # typographic dash and quote
        ("R\u00e9sum\u00e9 of a Na\u00efve Caf\u00e9 \u2014 M\u00fcller", "resume of a naive cafe - muller"),
        ("\u00c5ngstr\u00f6m \u4e2d\u6587 \u00df", "angstrom \u4e2d\u6587 \u00df"),  # letters without accents stay
        (None, ""),
    ],
)
def test_normalize_strips_accents_and_typography_only(text: str | None, plain: str) -> None:
    assert normalize(text) == plain
