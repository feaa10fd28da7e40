"""Reading a query: Slack and HTML clean-up, small talk, and the title a query names that no role has."""

from __future__ import annotations

import pytest

from roles.answer.query import is_small_talk, plain_text, unknown_title
from roles.answer.resolve import RoleName, RoleResolver
from roles.answer.vocabulary import find_aspect, tokenize


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("<@U123ABC> who owns reference architectures", ["who", "owns", "reference", "architectures"]),
        ("<!channel> sre kpis", ["sre", "kpis"]),
        ("<https://wiki.example.com/sre|sre> kpis", ["sre", "kpis"]),
        ("see https://example.com/x?y=1 sre", ["see", "sre"]),
        (":wave: sre kpis :pray:", ["sre", "kpis"]),
        ("ptpm &amp; pse kpis", ["ptpm", "and", "pse", "kpis"]),
        ("R&D lead", ["r", "and", "d", "lead"]),
        ("10:30 standup", ["10", "30", "standup"]),
    ],
)
def test_plain_text_keeps_only_what_was_typed(typed: str, words: list[str]) -> None:
    assert tokenize(plain_text(typed)) == words


@pytest.mark.parametrize(("query", "small"), [("thanks!", True), ("hello there", True), ("what can you do", True),
                                              ("good morning", True), ("the of and to", False),
                                              ("thanks, sre kpis", False), ("good to have skills", False)])
def test_small_talk(query: str, small: bool) -> None:
    assert is_small_talk(tokenize(query)) is small


def test_unknown_title_is_the_phrase_before_a_known_head_word() -> None:
    resolver = RoleResolver([RoleName(1, "Post-Sales Engineer"), RoleName(2, "Principal Technical Consultant")])
    tokens = tokenize("principal security engineer kpis")
    best = resolver.resolve(tokens).best
    assert unknown_title(tokens, best, find_aspect(tokens, best.used), resolver) == "principal security engineer"
    tokens = tokenize("post sales engineer kpis")
    best = resolver.resolve(tokens).best
    assert unknown_title(tokens, best, find_aspect(tokens, best.used), resolver) == ""
