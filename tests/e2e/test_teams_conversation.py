"""The Teams bot end to end: Activity JSON as Teams sends it, to the real server, replies at the fake connector."""

from __future__ import annotations

from tests.e2e.teams_harness import HIRE, texts_of


def test_a_personal_question_is_answered_with_a_card(teams_app):
    status, _ = teams_app.send(teams_app.message("sre kpis"))
    assert status == 200
    cards = teams_app.cards_to(teams_app.personal_conversation(HIRE))
    assert len(cards) == 1
    text = " ".join(texts_of(cards[0]))
    assert "Site Reliability Engineer" in text
