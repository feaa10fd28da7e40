"""``/role onboard`` with role titles that hold ``&``, ``<`` or ``>``: the text Slack sends is read as
typed (Slack escapes those characters), and a title quoted back from a document never becomes markup.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jobs import journeys
from roles.index.library import RoleIndex
from tests.e2e.test_onboarding_slack import HIRE, MANAGER, reply_to, text_of

GOALS = """
sections:
  - heading: Goals
    goals:
      - horizon_days: 30
        heading: 30-day goals
        items:
          - Ship a first prototype.
"""
NO_GOALS = """
sections:
  - heading: Core Responsibilities
    items:
      - Keep spirits up.
"""


@pytest.fixture
def app(start_slack_app, tmp_path: Path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "rnd.yaml").write_text("title: R&D Engineer\nsummary: Builds prototypes.\n" + GOALS)
    (docs / "sd.yaml").write_text("title: S&D Engineer\nsummary: Builds prototypes too.\n" + GOALS)
    (docs / "chief.yaml").write_text("title: Chief <!channel> Officer\nsummary: Cheers.\n" + NO_GOALS)
    harness = start_slack_app(None, docs)
    RoleIndex(harness.store).index_folder(docs)
    harness.slack.users.update({HIRE: {"name": "ana", "tz": "Europe/Berlin"}, MANAGER: {"name": "max", "tz": "UTC"}})
    return harness


def test_a_title_with_an_ampersand_is_read_as_typed(app):
    # Slack sends "R&D Engineer" typed in /role as "R&amp;D Engineer".
    message = reply_to(app, f"onboard <@{HIRE}|ana> R&amp;D Engineer")
    assert f"Enrolled <@{HIRE}> as *R&amp;D Engineer*" in text_of(message["blocks"])
    assert [j.role_title for j in journeys.active_for_user(app.store, HIRE)] == ["R&D Engineer"]


@pytest.mark.parametrize(
    "text, placeholder",
    [(f"onboard <@{HIRE}>", "&lt;role&gt;"), ("onboarding", "&lt;role&gt;"), ("checkin", "&lt;day&gt;"),
     (f"onboard pause <@{HIRE}>", "&lt;role&gt;")],
)
def test_usage_placeholders_are_shown_not_read_as_links(app, text, placeholder):
    message = json.dumps(reply_to(app, text))
    assert placeholder in message
    assert "<role>" not in message and "<day>" not in message


def test_help_shows_the_onboarding_usage_placeholder(app):
    status, body = app.command("help")
    assert status == 200
    assert "&lt;role&gt;" in body and "<role>" not in body


def test_a_title_quoted_from_a_document_is_not_markup(app):
    message = reply_to(app, f"onboard <@{HIRE}> chief <!channel> officer")
    assert "The Chief &lt;!channel&gt; Officer document has no 30/60/90-day goals" in message["text"]
    assert "<!channel>" not in json.dumps(message)
    assert journeys.active_for_user(app.store, HIRE) == []
