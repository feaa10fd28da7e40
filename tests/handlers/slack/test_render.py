"""The Block Kit renderer on hand-built answers: structure, Slack's limits, pagination and escaping."""

from __future__ import annotations

import json

import pytest
from slack_sdk.models.blocks import Block

from handlers.shared import MORE_ACTION, SHARE_ACTION, button_value, parse_button_value
from handlers.slack.blocks.answer import MAX_BLOCKS, help_message, render_answer
from handlers.slack.blocks.parts import escape
from handlers.slack.blocks.text import blocks_to_text, buttons_of
from roles.answer.result import Answer, AnswerPart, RoleRef
from roles.model import Goal, Item, Kpi

ROLE = RoleRef(id=1, title="Principal Technical Project Manager", source="ptpm.md", link="https://example.com/ptpm")


def assert_valid(blocks: list[dict]) -> None:
    """Every block parses with slack_sdk and passes its validation; the message fits Slack's limits."""
    assert len(blocks) <= MAX_BLOCKS
    for block in blocks:
        Block.parse(block).validate_json()
        texts = [block.get("text", {}).get("text", "")] + [f["text"] for f in block.get("fields", [])]
        assert all(len(t) <= 3000 for t in texts)
        assert all(len(f["text"]) <= 2000 for f in block.get("fields", []))
        assert len(block.get("fields", [])) <= 10
    assert len(json.dumps(blocks, ensure_ascii=False)) < 12_000


def all_text(blocks: list[dict]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


def kpi_answer() -> Answer:
    part = AnswerPart(
        role=ROLE,
        aspect="kpis",
        heading="KPIs & Metrics",
        kpis=[
            Kpi(name="Go-live success rate", measures="Launches without rollback", target="95%", frequency="Quarterly"),
            Kpi(name="Time to first value", target="< 30 days", frequency="Monthly", type="Lagging"),
            Kpi(name="Go-live success rate 95% quarterly", structured=False),
        ],
    )
    return Answer(kind="role_section", query="ptpm kpis", roles=[ROLE], aspect="kpis", section="KPIs & Metrics",
                  parts=[part], text="...", followups=["goals", "career-path", "responsibilities"])


def test_kpi_answer_has_header_fields_source_and_buttons():
    page = render_answer(kpi_answer())
    blocks = page.blocks
    assert_valid(blocks)
    assert blocks[0] == {"type": "header", "text": {"type": "plain_text", "text": ROLE.title, "emoji": True}}
    kpi = next(b for b in blocks if "Go-live success rate*" in b.get("text", {}).get("text", ""))
    assert {"type": "mrkdwn", "text": "*Target*\n95%"} in kpi["fields"]
    assert {"type": "mrkdwn", "text": "*Frequency*\nQuarterly"} in kpi["fields"]
    # "<" in a target is escaped; the unstructured row is kept whole as a bullet.
    assert "&lt; 30 days" in all_text(blocks)
    assert "• Go-live success rate 95% quarterly" in all_text(blocks)
    context = next(b for b in blocks if b["type"] == "context")
    assert "<https://example.com/ptpm|ptpm.md> › KPIs &amp; Metrics" in context["elements"][0]["text"]
    actions = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert [e["text"]["text"] for e in actions] == ["Share in channel", "Goals", "Career path", "Responsibilities"]
    assert parse_button_value(actions[2]["value"]) == (f"{ROLE.title} Career path", 0)
    assert len({e["action_id"] for e in actions}) == len(actions)
    assert not page.has_more


def test_goals_render_as_checklists_with_success_indicators():
    goal = Goal(horizon_days=30, heading="First 30 days", items=["Meet the team", "Ship one fix"],
                success_indicators=["Owns a backlog"])
    answer = Answer(kind="role_section", query="ptpm 30 days", roles=[ROLE], aspect="goals",
                    parts=[AnswerPart(role=ROLE, aspect="goals", heading="30/60/90", goals=[goal])])
    blocks = render_answer(answer).blocks
    assert_valid(blocks)
    text = "\n".join(b["text"]["text"] for b in blocks if b["type"] == "section")
    assert "*First 30 days*\n☐ Meet the team\n☐ Ship one fix\n_Success indicators_\n✅ Owns a backlog" in text


def big_answer(items: int = 300, item_chars: int = 120) -> Answer:
    part = AnswerPart(role=ROLE, aspect="responsibilities", heading="Responsibilities",
                      items=[Item(text=f"item-{i:04d} " + "x" * item_chars) for i in range(items)],
                      kpis=[Kpi(name=f"kpi-{i:03d}", target="1", frequency="weekly") for i in range(80)])
    return Answer(kind="role_section", query="ptpm responsibilities", roles=[ROLE], parts=[part],
                  followups=["kpis"])


def test_long_answers_are_paged_within_limits_and_lose_nothing():
    answer = big_answer()
    first = render_answer(answer)
    assert first.count > 2
    seen = ""
    for number in range(first.count):
        page = render_answer(answer, number)
        assert_valid(page.blocks)
        seen += all_text(page.blocks)
        more = [e for b in page.blocks if b["type"] == "actions" for e in b["elements"] if e["action_id"] == MORE_ACTION]
        if number + 1 < first.count:
            assert parse_button_value(more[0]["value"]) == ("ptpm responsibilities", number + 1)
            assert f"Page {number + 1} of {first.count}" in all_text(page.blocks)
        else:
            assert more == []
    for i in range(300):
        assert seen.count(f"item-{i:04d} ") == 1
    for i in range(80):
        assert seen.count(f"*kpi-{i:03d}*") == 1
    # A page past the end shows the last one (content may shrink between clicks).
    assert render_answer(answer, 999).number == first.count - 1


def test_one_huge_item_is_split_under_3000_chars():
    part = AnswerPart(role=ROLE, aspect="summary", heading="Summary", text="word " * 3000)
    answer = Answer(kind="role_overview", query="ptpm", roles=[ROLE], parts=[part])
    pages = [render_answer(answer, n) for n in range(render_answer(answer).count)]
    for page in pages:
        assert_valid(page.blocks)
    assert sum(all_text(p.blocks).count("word") for p in pages) == 3000


def test_many_small_blocks_respect_50_blocks():
    part = AnswerPart(role=ROLE, aspect="kpis", heading="KPIs", kpis=[Kpi(name=f"k{i}", target="1") for i in range(200)])
    answer = Answer(kind="role_section", query="q", roles=[ROLE], parts=[part], followups=["goals"])
    first = render_answer(answer)
    assert first.count >= 200 // (MAX_BLOCKS - 4)
    assert len(first.blocks) == MAX_BLOCKS


@pytest.mark.parametrize("query", ["<!channel> & <@U123ABC> <!here>", "<https://evil.example|click>"])
def test_echoed_query_is_escaped(query):
    answer = Answer(kind="no_match", query=query, text="Nothing matched.", suggestions=["Site Reliability Engineer"])
    blocks = render_answer(answer).blocks
    assert_valid(blocks)
    text = all_text(blocks)
    assert escape(query) in text
    assert "<!" not in text and "<@" not in text and "<https://evil" not in text
    suggestion = buttons_of(blocks)[0]
    assert suggestion["action_id"].startswith("role_suggest")
    assert parse_button_value(suggestion["value"]) == ("Site Reliability Engineer", 0)
    # No Share button on a no-match answer.
    assert SHARE_ACTION not in text


def test_document_text_cannot_ping_either():
    part = AnswerPart(role=RoleRef(id=2, title="SRE <!everyone>", source="s.md"), aspect="summary",
                      heading="<!here>", text="Ping <!channel> & <@U1>", items=[Item(text="<@U2>", label="<!here>")])
    answer = Answer(kind="role_overview", query="sre", roles=[part.role], parts=[part])
    blocks = render_answer(answer).blocks
    # plain_text (the header) is never parsed for mentions; every mrkdwn text must be escaped.
    assert blocks[0]["text"]["type"] == "plain_text"
    text = all_text(blocks[1:])
    assert "<!" not in text and "<@" not in text


def test_links_that_could_break_mrkdwn_are_not_linked():
    role = RoleRef(id=3, title="X", source="x.md", link="https://a.example/x|<!channel>")
    answer = Answer(kind="role_overview", query="x", roles=[role],
                    parts=[AnswerPart(role=role, aspect="summary", heading="Summary", text="t")])
    context = next(b for b in render_answer(answer).blocks if b["type"] == "context")
    assert context["elements"][0]["text"] == "📄 Source: `x.md` › Summary"


def test_shared_page_has_attribution_and_no_buttons():
    blocks = render_answer(kpi_answer(), shared_by="U42").blocks
    assert_valid(blocks)
    assert not [b for b in blocks if b["type"] == "actions"]
    assert "Shared by <@U42> · `/role ptpm kpis`" in all_text(blocks)


def test_share_can_be_left_out():
    blocks = render_answer(kpi_answer(), share=False).blocks
    assert SHARE_ACTION not in all_text(blocks)


def test_not_ready_and_help():
    blocks = render_answer(Answer(kind="not_ready", query="ptpm", text="Indexing 3 of 40 documents.")).blocks
    assert_valid(blocks)
    assert "The role index is not ready yet" in all_text(blocks)
    message = help_message(["Data Analyst kpis", "compare <Data Analyst> and SRE"])
    assert_valid(message["blocks"])
    text = all_text(message["blocks"])
    assert "`/role Data Analyst kpis`" in text
    assert "`/role compare &lt;Data Analyst&gt; and SRE`" in text
    assert "`/role sre kpis`" in all_text(help_message()["blocks"])


def test_button_values():
    assert parse_button_value(button_value("ptpm kpis", 2)) == ("ptpm kpis", 2)
    for bad in (None, "", "x", "{}", '{"q": 1}', '{"q": "a", "p": -1}', '{"q": "a", "p": "z"}'):
        assert parse_button_value(bad) is None
    with pytest.raises(ValueError):
        button_value("x" * 2100)


def test_blocks_to_text_reads_like_slack():
    text = blocks_to_text(render_answer(kpi_answer()).blocks, numbered_buttons=True)
    assert text.splitlines()[0] == ROLE.title
    assert "Target: 95% | Frequency: Quarterly" in text
    assert "Source: ptpm.md (https://example.com/ptpm) › KPIs & Metrics" in text
    assert "[1] Share in channel\n  [2] Goals  [3] Career path" in text
    assert "*" not in text
    assert "< 30 days" in text


def test_sources_line_names_three_sources_and_counts_the_rest():
    roles = [RoleRef(id=i, title=f"R{i}", source=f"r{i}.md") for i in range(5)]
    parts = [AnswerPart(role=r, aspect="summary", heading="Summary", text="t") for r in roles]
    answer = Answer(kind="search", query="q", roles=roles, parts=parts)
    context = next(b for b in render_answer(answer).blocks if b["type"] == "context")["elements"][0]["text"]
    assert context == "📄 Source: `r0.md` › Summary · `r1.md` › Summary · `r2.md` › Summary · and 2 more"


def test_long_kpi_cells_become_text_so_a_kpi_block_stays_small():
    kpi = Kpi(name="Adoption", target="t" * 1500, frequency="Monthly")
    answer = Answer(kind="role_section", query="q", roles=[ROLE],
                    parts=[AnswerPart(role=ROLE, aspect="kpis", heading="KPIs", kpis=[kpi])])
    blocks = render_answer(answer).blocks
    assert_valid(blocks)
    assert not any(b.get("fields") for b in blocks)
    assert "• Adoption · *Target:* ttt" in all_text(blocks)


def test_notes_come_first_and_escaped_above_whatever_is_offered_instead():
    answer = kpi_answer()
    answer.notes = ["Nothing about \u201csalary <!channel>\u201d in the document for Principal Technical Project Manager; "
                    "here is its overview."]
    blocks = render_answer(answer).blocks
    assert_valid(blocks)
    assert blocks[1]["type"] == "section"
    assert blocks[1]["text"]["text"].startswith("Nothing about \u201csalary &lt;!channel&gt;\u201d")
    assert "KPIs &amp; Metrics" in all_text(blocks[2:])
    console = blocks_to_text(blocks)
    assert console.index("Nothing about") < console.index("Go-live success rate")


def test_a_choice_is_one_button_per_role_numbered_in_the_console():
    from roles.answer.result import Choice

    roles = [RoleRef(i, f"Principal Role {i}", f"file_{i}_x.md") for i in range(3)]
    answer = Answer(kind="list", query="principal kpis", roles=roles,
                    choices=[Choice(r.title, f"{r.title} kpis") for r in roles])
    blocks = render_answer(answer).blocks
    assert_valid(blocks)
    picks = [b for b in buttons_of(blocks) if b["action_id"].startswith("role_suggest")]
    assert [b["text"]["text"] for b in picks] == [r.title for r in roles]
    assert [parse_button_value(b["value"]) for b in picks] == [(f"{r.title} kpis", 0) for r in roles]
    text = blocks_to_text(blocks, numbered_buttons=True)
    assert "[2] Principal Role 0" in text and "[4] Principal Role 2" in text
    assert "_(" not in text and "file_0_x.md" not in text  # no raw markup, no file names to parse


def test_a_choice_of_more_roles_than_buttons_lists_the_rest():
    from handlers.slack.blocks.answer import MAX_FOLLOWUPS
    from roles.answer.result import Choice

    roles = [RoleRef(i, f"Consultant {i}", "c.md") for i in range(MAX_FOLLOWUPS + 3)]
    answer = Answer(kind="list", query="consultant", roles=roles, choices=[Choice(r.title, r.title) for r in roles])
    blocks = render_answer(answer).blocks
    assert_valid(blocks)
    assert len([b for b in buttons_of(blocks) if b["action_id"].startswith("role_suggest")]) == MAX_FOLLOWUPS
    assert f"Consultant {MAX_FOLLOWUPS + 2}" in blocks_to_text(blocks)


def _plan(goal_chars: int) -> Answer:
    parts = [AnswerPart(ROLE, "goals", f"{days}-day goals",
                        goals=[Goal(days, f"{days}-day goals", [f"Goal {days}.{n} " + "x" * goal_chars for n in range(8)],
                                    [f"Indicator {days}"])])
             for days in (30, 60, 90)]
    return Answer(kind="role_section", query="ptpm first 90 days", roles=[ROLE], aspect="goals",
                  section="30/60/90-day plan", parts=parts)


def test_a_plan_that_fits_is_one_message():
    page = render_answer(_plan(40))
    assert page.count == 1
    text = blocks_to_text(page.blocks)
    assert text.index("30-day goals") < text.index("60-day goals") < text.index("90-day goals")


def test_a_plan_too_long_for_one_message_is_one_message_per_period():
    answer = _plan(450)
    pages = [render_answer(answer, n) for n in range(3)]
    assert pages[0].count == 3
    for page, days in zip(pages, (30, 60, 90), strict=True):
        assert_valid(page.blocks)
        text = blocks_to_text(page.blocks)
        assert f"Goal {days}.0" in text and f"Goal {days}.7" in text and f"Indicator {days}" in text
        assert all(f"Goal {other}." not in text for other in (30, 60, 90) if other != days)


@pytest.mark.parametrize("text, expected", [
    ("plain words", "plain words"),
    ("a\x07b\x00c", "abc"),
    ("evil\u202eexe.pdf & <x>", "evilexe.pdf &amp; &lt;x&gt;"),
    ("tab\tand\nnewline kept", "tab\tand\nnewline kept"),
    ("\u2066isolate\u2069 \x7f\x9f", "isolate "),
])
def test_escape_drops_control_and_bidi_characters_and_escapes_markup(text, expected):
    assert escape(text) == expected
