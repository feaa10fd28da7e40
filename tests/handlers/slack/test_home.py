"""The App Home view: role browser within 100 blocks, paging, the role picker, a not-ready index."""

from __future__ import annotations

import json

import pytest
from slack_sdk.models.views import View

from core.config import load_settings
from handlers.context import AppContext
from handlers.shared import parse_button_value
from handlers.slack.home import role_options
from handlers.slack.home_view import ASPECT_ACTION, PAGE_ACTION, home_view
from roles.index.library import RoleIndex

ROLE_YAML = """title: {title}
sections:
  - heading: Core Responsibilities
    items: [Own the {word} roadmap, Review {word} incidents]
  - heading: KPIs
    kpis:
      - name: {word} uptime
        target: 99.9%
"""


@pytest.fixture
def many_roles(tmp_path, store):
    docs = tmp_path / "docs"
    docs.mkdir()
    for n in range(60):
        (docs / f"role{n:02d}.yaml").write_text(ROLE_YAML.format(title=f"Role {n:02d} Engineer", word=f"w{n}"))
    report = RoleIndex(store).index_folder(docs)
    assert report.roles == 60, report.failures
    return AppContext.build(load_settings(env={}), store)


def check(view: dict) -> dict:
    View(**view).validate_json()
    assert len(view["blocks"]) <= 100
    return view


def nav(view: dict) -> dict[str, str]:
    return {e["action_id"]: e["value"] for b in view["blocks"] if b.get("block_id") == "home_nav" for e in b["elements"]}


def test_many_roles_are_paged_and_every_role_is_reachable(many_roles):
    seen, page = [], 0
    while True:
        view = check(home_view(many_roles, "U1", page))
        seen += [b["text"]["text"].split("*")[1] for b in view["blocks"]
                 if b["type"] == "section" and b["text"]["text"].startswith("*Role ")]
        buttons = nav(view)
        if f"{PAGE_ACTION}:next" not in buttons:
            break
        page = int(buttons[f"{PAGE_ACTION}:next"])
    assert seen == [f"Role {n:02d} Engineer" for n in range(60)]
    assert f"{PAGE_ACTION}:prev" in nav(view)


def test_aspect_buttons_ask_about_that_role(many_roles):
    view = check(home_view(many_roles, "U1"))
    actions = next(b for b in view["blocks"] if b.get("block_id", "").startswith("role_"))
    labels = [e["text"]["text"] for e in actions["elements"]]
    assert labels == ["Overview", "Responsibilities", "KPIs"]
    assert all(e["action_id"].startswith(ASPECT_ACTION) for e in actions["elements"])
    assert parse_button_value(actions["elements"][2]["value"]) == ("Role 00 Engineer KPIs", 0)


def test_role_picker_filters_by_every_typed_word(many_roles):
    assert [o["text"]["text"] for o in role_options(many_roles, "role 07")] == ["Role 07 Engineer"]
    assert len(role_options(many_roles, "engineer")) == 60
    assert role_options(many_roles, "nothing like it") == []


def test_not_ready_index_says_so(store):
    ctx = AppContext.build(load_settings(env={}), store)
    view = check(home_view(ctx, "U1"))
    assert "not ready yet" in json.dumps(view)
