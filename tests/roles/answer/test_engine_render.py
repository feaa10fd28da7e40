"""Plain-text rendering of answers: every item, every KPI column, goals with success indicators."""

from __future__ import annotations

from roles.answer.render_text import render_answer
from roles.answer.result import Answer, AnswerPart, RoleRef
from roles.model import Goal, Item, Kpi


def test_every_column_and_item_is_rendered() -> None:
    ref = RoleRef(1, "Data Analyst", "analyst.yaml", "https://example.test/da")
    part = AnswerPart(
        ref, "kpis", "KPIs", text="Measured quarterly.",
        items=[Item("Dashboards for Finance", label="Reporting", fields={"Tool": "Looker"}, children=["weekly"])],
        kpis=[Kpi("Data freshness", "Hours since load", "Trust", "< 2 hours", "Daily", "Quality")],
        goals=[Goal(30, "30-day goals", ["Ship one dashboard"], ["Used by Finance"])],
    )
    answer = Answer(kind="role_section", query="q", roles=[ref], parts=[part], suggestions=["data analyst kpis"])
    text = render_answer(answer, intro="Data Analyst: KPIs", outro="You can also ask about: tools")
    for expected in ("Data Analyst: KPIs", "Measured quarterly.", "\u2022 Reporting: Dashboards for Finance",
                     "Tool: Looker", "- weekly", "\u2022 Data freshness (Quality)", "What it measures: Hours since load",
                     "Why it matters: Trust", "Target: < 2 hours", "Frequency: Daily", "30-day goals",
                     "\u2022 Ship one dashboard", "Success indicators:", "\u2022 Used by Finance",
                     "Did you mean: data analyst kpis", "You can also ask about: tools"):
        assert expected in text, expected
    assert text.endswith("\n")


def test_parts_of_several_roles_get_a_line_each() -> None:
    a, b = RoleRef(1, "A", "a.md"), RoleRef(2, "B", "b.md", "https://example.test/b")
    answer = Answer(kind="compare", query="a vs b", roles=[a, b],
                    parts=[AnswerPart(a, "tools", "Tools", items=[Item("Jira")]),
                           AnswerPart(b, "tools", "Tools", items=[Item("Linear")])])
    text = render_answer(answer)
    assert "== A (a.md) ==" in text and "== B (b.md, https://example.test/b) ==" in text
    assert text.index("Jira") < text.index("== B") < text.index("Linear")
