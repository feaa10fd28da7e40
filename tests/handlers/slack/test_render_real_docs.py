"""Every answer about the real role documents renders into valid Slack messages, page by page."""

from __future__ import annotations

import json

import pytest
from slack_sdk.models.blocks import Block

from handlers.slack.blocks.answer import MAX_BLOCKS, render_answer
from roles.answer.engine import AnswerEngine
from roles.index.library import RoleIndex


@pytest.fixture
def engine(shared_docs, store):
    index = RoleIndex(store)
    index.index_folder(shared_docs)
    return AnswerEngine(index)


def test_every_role_and_aspect_renders_within_slacks_limits(engine):
    queries = ["list", "help", "compare post-sales engineer and principal implementation consultant kpis",
               "who owns reference architectures?", "which roles track time to first value"]
    for role in engine.index.list_roles():
        queries += [role.title] + [f"{role.title} {aspect}" for aspect in role.aspects]
    pages = 0
    for query in queries:
        answer = engine.ask(query)
        count = render_answer(answer).count
        for number in range(count):
            page = render_answer(answer, number)
            assert len(page.blocks) <= MAX_BLOCKS, query
            assert len(json.dumps(page.blocks, ensure_ascii=False)) < 12_000, query
            for block in page.blocks:
                Block.parse(block).validate_json()
            pages += 1
    assert pages > len(queries), "some answers need more than one message"
