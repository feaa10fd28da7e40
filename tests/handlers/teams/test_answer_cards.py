"""Answers as Adaptive Cards: valid 1.5 cards under 28 KB, split into pages, and the same content as Slack."""

from __future__ import annotations

import re

import pytest

from handlers.slack.blocks.answer import render_answer
from handlers.slack.blocks.text import blocks_to_text
from handlers.teams.answer_cards import render_answer_cards
from roles.answer.engine import AnswerEngine
from roles.answer.result import Answer, AnswerPart, RoleRef
from roles.index.library import RoleIndex
from roles.model import Goal, Item, Kpi
from tests.handlers.teams.cards import assert_valid_card, texts_of, words

#: What only paging and buttons say (each platform pages by its own limits; Teams has no Share button),
#: and link targets (Slack links the source's name; Teams puts the link on an Open button).
CHROME = re.compile(r"Share in channel|Show more|\(continued\)|Page \d+ of \d+|https?://[^\s|>)]+")


@pytest.fixture
def engine(shared_docs, store):
    index = RoleIndex(store)
    index.index_folder(shared_docs)
    return AnswerEngine(index)


def queries(engine) -> list[str]:
    found = ["list", "compare post-sales engineer and principal implementation consultant kpis",
             "who owns reference architectures?", "which roles track time to first value", "zzqx blorp"]
    for role in engine.index.list_roles():
        found += [role.title] + [f"{role.title} {aspect}" for aspect in role.aspects]
    return found


def slack_words(answer: Answer) -> set[str]:
    count = render_answer(answer).count
    return set().union(*(words(CHROME.sub(" ", blocks_to_text(render_answer(answer, n).blocks)))
                         for n in range(count)))


def teams_words(answer: Answer) -> set[str]:
    return set().union(*(words(CHROME.sub(" ", " ".join(texts_of(page.card)))) for page in render_answer_cards(answer)))


def test_every_real_answer_is_valid_cards_under_the_message_limit(engine):
    pages = 0
    all_queries = queries(engine)
    for query in all_queries:
        for page in render_answer_cards(engine.ask(query)):
            assert_valid_card(page.card)
            pages += 1
    assert pages > len(all_queries), "some answers need more than one card"


def test_the_same_query_says_the_same_in_slack_and_teams(engine):
    for query in queries(engine):
        answer = engine.ask(query)
        slack, teams = slack_words(answer), teams_words(answer)
        assert slack == teams, (query, sorted(slack - teams)[:20], sorted(teams - slack)[:20])


def test_every_part_field_is_rendered_and_document_text_stays_text():
    role = RoleRef(1, "Data <at>Analyst</at>", "da.md")
    part = AnswerPart(role, "kpis", "KPIs", text="[click](https://evil.example)",
                      items=[Item("Owns *dashboards*", label="Reporting", fields={"Tool": "Looker"}, children=["weekly"])],
                      kpis=[Kpi("Time to insight", measures="days from ask to answer", why="speed", target="< 2 days",
                                frequency="weekly", type="lagging")],
                      goals=[Goal(30, "First 30 days", ["Meet the team"], ["Knows every stakeholder"])])
    [page] = render_answer_cards(Answer("role_section", "da kpis", [role], "kpis", "KPIs", [part]))
    assert_valid_card(page.card)
    shown = texts_of(page.card)
    for expected in ("[click](https://evil.example)", "Reporting", " — Owns *dashboards*", "Tool: ", "Looker",
                     "    ◦ weekly", "Time to insight", "days from ask to answer", "Target: < 2 days",
                     "☐ Meet the team", "✅ Knows every stakeholder"):
        assert expected in shown, expected
    assert "Data <at>Analyst</at>" in shown[0]
