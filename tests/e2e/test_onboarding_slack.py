"""Onboarding in Slack end to end: the real app behind waitress on loopback, requests signed like Slack,
the fake Slack Web API recording what the app sends, and the jobs API's poll tick for delivery.

The clock is frozen (time-machine, ticking) on Monday 2026-11-23 08:00 UTC unless a test moves it.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from slack_sdk import WebClient
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from handlers.slack.onboarding.views import CHECKIN_CALLBACK, ENROL_CALLBACK, ROLE_PICK
from handlers.slack.sender import SlackSender
from jobs import journeys, messages, outbox
from jobs.delivery import Pacer
from jobs.poller import run_due

MANAGER, HIRE, OTHER = "UMGR", "UHIRE", "UOTHER"
NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request) -> str:
    """Journeys and the outbox in SQLite, then in PostgreSQL."""
    return request.param


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture
def app(clock, start_slack_app, shared_docs_db):
    from tests.conftest import SHARED_DOCS

    harness = start_slack_app(shared_docs_db, SHARED_DOCS)
    harness.slack.users.update({
        HIRE: {"name": "ana", "tz": "Europe/Berlin"},
        MANAGER: {"name": "max", "tz": "America/New_York"},
        OTHER: {"name": "oli", "tz": "UTC"},
    })
    return harness


def valid_blocks(blocks: list[dict[str, Any]], limit: int = 50) -> list[dict[str, Any]]:
    assert 0 < len(blocks) <= limit
    for block in blocks:
        Block.parse(block).validate_json()
    return blocks


def valid_view(view: dict[str, Any]) -> dict[str, Any]:
    View(**view).validate_json()
    valid_blocks(view["blocks"], limit=100)
    return view


def text_of(blocks: list[dict[str, Any]]) -> str:
    found = []
    for block in blocks:
        for obj in [block.get("text"), *block.get("elements", []), block.get("accessory")]:
            if isinstance(obj, dict) and isinstance(obj.get("text"), str):
                found.append(obj["text"])
    return "\n".join(found)


def reply_to(app, text: str, user_id: str = MANAGER) -> dict[str, Any]:
    """Send ``/role <text>`` and return the one message the app posted to its response_url."""
    url = app.slack.response_url(app.next_id("cmd"))
    status, _ = app.command(text, user_id=user_id, response_url=url)
    assert status == 200
    [call] = app.slack.wait_for(url.split(app.slack.base_url)[-1])
    assert call.body.get("response_type") == "ephemeral"
    valid_blocks(call.body["blocks"])
    return call.body


def enrol(app, start: str = "2026-11-23") -> journeys.Journey:
    message = reply_to(app, f"onboard <@{HIRE}|ana> post-sales engineer start {start}")
    assert "Enrolled" in message["text"], message
    [journey] = journeys.active_for_user(app.store, HIRE)
    return journey


def tick(app, now: datetime) -> None:
    """One poll tick at ``now``, sending through the fake Slack (what the poller does every minute)."""
    sender = SlackSender(WebClient(base_url=app.slack.api_url, token="xoxb-e2e-token"))
    run_due(app.store, sender, app.settings, now=now, pacer=Pacer(interval=0))


def posted_to(app, user_id: str) -> list[Any]:
    return [c for c in app.slack.calls_to("chat.postMessage") if c.body.get("channel") == user_id]


def goal_buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [b["accessory"] for b in blocks if (b.get("accessory") or {}).get("action_id") == messages.GOAL_TOGGLE]


def container_of(row: outbox.OutboxRow) -> dict[str, Any]:
    """Where a sent message lives, as a block action on it carries it."""
    return {"type": "message", "channel_id": row.slack_channel, "message_ts": row.slack_ts, "is_ephemeral": False}


# -- enrolment by command ------------------------------------------------------------------------------


def test_manager_enrols_with_the_command_and_gets_the_plan(app):
    message = reply_to(app, f"onboard <@{HIRE}|ana> post-sales engineer start 2026-12-01")
    text = text_of(message["blocks"])
    assert f"Enrolled <@{HIRE}> as *Post-Sales Engineer*" in text
    assert "Europe/Berlin" in text and "Plan:" in text and "day 30" in text
    [journey] = journeys.active_for_user(app.store, HIRE)
    assert (journey.manager_id, journey.tz, journey.start_date.isoformat()) == (MANAGER, "Europe/Berlin", "2026-12-01")
    rows = outbox.rows_for_journey(app.store, journey.id)

    again = reply_to(app, f"onboard <@{HIRE}> post-sales engineer start 2026-12-01")
    assert "already enrolled" in again["text"]
    assert len(journeys.active_for_user(app.store, HIRE)) == 1
    assert len(outbox.rows_for_journey(app.store, journey.id)) == len(rows)


def test_someone_else_cannot_change_the_journey(app):
    journey = enrol(app)
    refused = reply_to(app, f"onboard cancel <@{HIRE}>", user_id=OTHER)
    assert ":no_entry:" in refused["text"] and f"<@{MANAGER}>" in refused["text"]
    assert journeys.get(app.store, journey.id).status == "active"
    done = reply_to(app, f"onboard cancel <@{HIRE}>")
    assert "Cancelled" in done["text"]
    assert journeys.get(app.store, journey.id).status == "cancelled"


def test_pause_resume_and_reschedule(app):
    journey = enrol(app, start="2026-12-01")
    assert "Paused" in reply_to(app, f"onboard pause <@{HIRE}>")["text"]
    assert journeys.get(app.store, journey.id).status == "paused"
    assert "Resumed" in reply_to(app, f"onboard resume <@{HIRE}>")["text"]
    moved = reply_to(app, f"onboard reschedule <@{HIRE}> 2026-12-07")
    assert "2026-12-07" in moved["text"]
    assert journeys.get(app.store, journey.id).start_date.isoformat() == "2026-12-07"


@pytest.mark.parametrize(
    "text, expected",
    [
        (f"onboard <@{HIRE}> <!channel> wizard", "&lt;!channel&gt;"),
        (f"onboard <@{HIRE}> senior solutions architect", "no 30/60/90-day goals"),
        (f"onboard <@{HIRE}> post-sales engineer start 2028-01-01", "more than a year"),
        ("onboard @ana post-sales engineer", "@-mention menu"),
        ("onboard <@UNOBODY> post-sales engineer", "does not know"),
        (f"checkin <@{HIRE}> daily thu 10:00", "not a cadence"),
    ],
)
def test_bad_input_gets_one_clear_line(app, text, expected):
    message = reply_to(app, text)
    assert expected in message["text"]
    assert "<!channel>" not in json.dumps(message)
    assert journeys.active_for_user(app.store, HIRE) == []


def test_unknown_role_is_answered_with_suggestions(app):
    message = reply_to(app, f"onboard <@{HIRE}> post sales enginer wizard")
    assert "Did you mean" in message["text"] and "Post-Sales Engineer" in message["text"]


# -- the enrolment modal -------------------------------------------------------------------------------


def test_onboard_alone_opens_the_modal_and_the_role_picker_searches(app):
    status, _ = app.command("onboard", user_id=MANAGER, trigger_id="1337.42.abcd")
    assert status == 200
    [call] = app.slack.wait_for("views.open")
    assert call.body["trigger_id"] == "1337.42.abcd"
    assert valid_view(call.body["view"])["callback_id"] == ENROL_CALLBACK

    status, text = app.interaction({
        "type": "block_suggestion", "user": {"id": MANAGER}, "team": {"id": "T1"}, "api_app_id": "A1",
        "action_id": ROLE_PICK, "block_id": "role", "value": "post sales", "container": {"type": "view"},
        "view": {"id": "V1", "callback_id": ENROL_CALLBACK},
    })
    assert status == 200
    options = json.loads(text)["options"]
    assert options[0]["text"]["text"] == "Post-Sales Engineer"


def _submission(values: dict[str, Any], user_id: str = MANAGER, callback_id: str = ENROL_CALLBACK,
                private_metadata: str = "") -> dict[str, Any]:
    return {
        "type": "view_submission", "team": {"id": "T1"}, "user": {"id": user_id}, "api_app_id": "A1",
        "view": {"id": "V1", "type": "modal", "callback_id": callback_id, "private_metadata": private_metadata,
                 "state": {"values": values}},
    }


def _form(app, role: str = "Post-Sales Engineer", start: str = "2026-12-01", tz: str | None = None,
          cadence: str = "none") -> dict[str, Any]:
    role_id = next(r.id for r in app.ctx.index.list_roles() if r.title == role)
    return {
        "hire": {"user": {"type": "users_select", "selected_user": HIRE}},
        "role": {ROLE_PICK: {"type": "external_select", "selected_option": {"value": str(role_id)}}},
        "start": {"date": {"type": "datepicker", "selected_date": start}},
        "send_time": {"time": {"type": "timepicker", "selected_time": "08:30"}},
        "tz": {"tz": {"type": "plain_text_input", "value": tz}},
        "checkin_cadence": {"cadence": {"type": "static_select", "selected_option": {"value": cadence}}},
        "checkin_day": {"day": {"type": "static_select", "selected_option": {"value": "thu"}}},
        "checkin_time": {"time": {"type": "timepicker", "selected_time": "10:00"}},
    }


def test_modal_submission_with_bad_fields_returns_field_errors(app):
    status, text = app.interaction(_submission(_form(app, start="2028-02-01", tz="Mars/Olympus")))
    assert status == 200
    answer = json.loads(text)
    assert answer["response_action"] == "errors"
    assert set(answer["errors"]) == {"start", "tz"}

    status, text = app.interaction(_submission(_form(app, role="Senior Solutions Architect")))
    assert json.loads(text)["errors"]["role"].startswith("The Senior Solutions Architect document has no")
    assert journeys.active_for_user(app.store, HIRE) == []


def test_modal_submission_enrols_sets_checkins_and_tells_the_manager(app):
    status, text = app.interaction(_submission(_form(app, tz="Asia/Tokyo", cadence="weekly")))
    assert status == 200 and text in ("", "{}")
    [dm] = app.slack.wait_for("chat.postMessage")  # check-ins are set after the ack, then the DM goes out
    [journey] = journeys.active_for_user(app.store, HIRE)
    assert (journey.tz, journey.send_time, journey.manager_tz) == ("Asia/Tokyo", "08:30", "America/New_York")
    assert journey.checkin_spec == "weekly thu 10:00"
    assert dm.body["channel"] == MANAGER
    assert "Check-ins: *weekly thu 10:00*" in text_of(valid_blocks(dm.body["blocks"]))

    status, text = app.interaction(_submission(_form(app)))
    answer = json.loads(text)
    assert answer["response_action"] == "errors"
    assert answer["errors"]["hire"].startswith("Already enrolled as Post-Sales Engineer")


# -- goals, snooze and check-ins on the DMs -------------------------------------------------------------


def _sent(app, journey_id: int, kind: str) -> outbox.OutboxRow:
    rows = [r for r in outbox.rows_for_journey(app.store, journey_id, (outbox.SENT,)) if r.kind == kind]
    assert rows, f"no {kind} was sent"
    return rows[-1]


def test_hire_ticks_a_goal_in_the_welcome_and_the_message_updates_in_place(app):
    journey = enrol(app, start="2026-11-23")
    tick(app, datetime.now(UTC))
    [welcome] = posted_to(app, HIRE)
    first = goal_buttons(valid_blocks(welcome.body["blocks"]))[0]
    assert first["text"]["text"] == "Mark done"
    row = _sent(app, journey.id, "welcome")

    status, _ = app.action(messages.GOAL_TOGGLE, first["value"], user_id=HIRE, container=container_of(row))
    assert status == 200
    [update] = app.slack.wait_for("chat.update")
    assert (update.body["channel"], update.body["ts"]) == (row.slack_channel, row.slack_ts)
    blocks = valid_blocks(update.body["blocks"])
    assert "✅" in text_of(blocks)
    assert goal_buttons(blocks)[0]["text"]["text"] == "Undo"
    _, goal_id, _ = messages.parse_goal_value(first["value"])
    assert next(g for g in journeys.goals(app.store, journey.id) if g.id == goal_id).done

    url = app.slack.response_url(app.next_id("act"))
    app.action(messages.GOAL_TOGGLE, goal_buttons(blocks)[0]["value"], user_id=OTHER, container=container_of(row),
               response_url=url)
    [refusal] = app.slack.wait_for(url.split(app.slack.base_url)[-1])
    assert ":no_entry:" in refusal.body["text"] and refusal.body["response_type"] == "ephemeral"
    assert next(g for g in journeys.goals(app.store, journey.id) if g.id == goal_id).done
    assert len(app.slack.calls_to("chat.update")) == 1


def test_snooze_on_a_reminder_moves_it_a_day_and_says_so(app, clock):
    journey = enrol(app, start="2026-11-23")
    tick(app, datetime.now(UTC))
    clock.move_to(datetime(2026, 11, 30, 8, 1, tzinfo=UTC))
    tick(app, datetime.now(UTC))
    reminder = _sent(app, journey.id, "reminder")
    url = app.slack.response_url(app.next_id("act"))
    app.action(messages.SNOOZE, str(reminder.id), user_id=OTHER, container=container_of(reminder), response_url=url)
    assert ":no_entry:" in app.slack.wait_for(url.split(app.slack.base_url)[-1])[0].body["text"]

    app.action(messages.SNOOZE, str(reminder.id), user_id=HIRE, container=container_of(reminder))
    [update] = app.slack.wait_for("chat.update")
    blocks = valid_blocks(update.body["blocks"])
    assert "Snoozed until Tue 01 Dec at 09:00 (Europe/Berlin)" in text_of(blocks)
    assert messages.SNOOZE not in json.dumps(blocks)
    [again] = [r for r in outbox.rows_for_journey(app.store, journey.id) if r.period == f"snooze-{reminder.id}"]
    assert (again.status, again.due_utc) == ("pending", datetime(2026, 12, 1, 8, 0, tzinfo=UTC))

    # Ticking a goal on the snoozed reminder keeps the note (and no Snooze button comes back).
    toggle = goal_buttons(blocks)[0]
    app.action(messages.GOAL_TOGGLE, toggle["value"], user_id=HIRE, container=container_of(reminder))
    later = app.slack.wait_for("chat.update", count=2)[-1]
    assert "Snoozed until" in text_of(later.body["blocks"]) and messages.SNOOZE not in json.dumps(later.body)


def test_checkin_cadence_prompt_modal_and_digest_to_the_manager(app, clock):
    journey = enrol(app, start="2026-11-23")
    message = reply_to(app, f"checkin <@{HIRE}> weekly thu 10:00")
    assert "weekly thu 10:00" in message["text"] and "America/New_York" in message["text"]
    prompt_row = next(r for r in outbox.rows_for_journey(app.store, journey.id) if r.kind == "checkin")
    assert prompt_row.due_utc == datetime(2026, 11, 26, 15, 0, tzinfo=UTC)  # 10:00 in New York

    clock.move_to(prompt_row.due_utc)
    tick(app, prompt_row.due_utc)
    prompt = _sent(app, journey.id, "checkin")
    [button] = [e for b in posted_to(app, HIRE)[-1].body["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert button["action_id"] == messages.CHECKIN_OPEN

    url = app.slack.response_url(app.next_id("act"))
    app.action(messages.CHECKIN_OPEN, button["value"], user_id=OTHER, container=container_of(prompt), response_url=url)
    assert "Only the person" in app.slack.wait_for(url.split(app.slack.base_url)[-1])[0].body["text"]
    app.action(messages.CHECKIN_OPEN, button["value"], user_id=HIRE, container=container_of(prompt))
    [opened] = app.slack.wait_for("views.open")
    view = valid_view(opened.body["view"])
    assert view["callback_id"] == CHECKIN_CALLBACK
    assert [b["label"]["text"] for b in view["blocks"] if b["type"] == "input"] == list(app.settings.onboarding.checkin_questions)

    posts_before = len(app.slack.calls_to("chat.postMessage"))
    values = {f"q{i}": {"answer": {"type": "plain_text_input", "value": text}}
              for i, text in enumerate(["Shipped the demo <!channel>", "Waiting for VPN access", ""])}
    status, text = app.interaction(_submission(values, user_id=HIRE, callback_id=CHECKIN_CALLBACK,
                                               private_metadata=view["private_metadata"]))
    assert status == 200 and text in ("", "{}")
    # After the ack: the prompt is updated in place, then the digest goes out at once (not at the next poll).
    [update] = app.slack.wait_for("chat.update")
    assert update.body["ts"] == prompt.slack_ts and "Answered" in text_of(update.body["blocks"])
    digest = app.slack.wait_for("chat.postMessage", count=posts_before + 1)[-1]
    assert digest.body["channel"] == MANAGER
    digest_text = text_of(valid_blocks(digest.body["blocks"]))
    assert "Check-in digest" in digest_text
    assert "Shipped the demo &lt;!channel&gt;" in digest_text and "Waiting for VPN access" in digest_text

    status, text = app.interaction(_submission(values, user_id=HIRE, callback_id=CHECKIN_CALLBACK,
                                               private_metadata=view["private_metadata"]))
    assert "already answered" in json.loads(text)["errors"]["q0"]


# -- progress: /role onboarding and the Home tab ---------------------------------------------------------


def test_onboarding_shows_the_hire_their_plan_and_the_manager_their_reports(app):
    enrol(app, start="2026-11-23")
    own = reply_to(app, "onboarding", user_id=HIRE)
    text = text_of(own["blocks"])
    assert "*Post-Sales Engineer* · day 0" in text and "30-day goals" in text
    assert len(goal_buttons(own["blocks"])) >= 1
    team = reply_to(app, "onboarding", user_id=MANAGER)
    assert "Your new hires" in json.dumps(team) and f"<@{HIRE}>" in text_of(team["blocks"])
    nobody = reply_to(app, "onboarding", user_id=OTHER)
    assert "no onboarding journey" in nobody["text"]


def test_home_tab_shows_the_checklist_within_the_block_limit(app):
    enrol(app, start="2026-11-23")
    app.event({"type": "app_home_opened", "user": HIRE, "tab": "home"})
    [call] = app.slack.wait_for("views.publish")
    view = call.body["view"]
    View(**view).validate_json()
    valid_blocks(view["blocks"], limit=100)
    assert "Your onboarding" in json.dumps(view)
    assert goal_buttons(view["blocks"])
    # The hire's checklist comes before the role browser.
    texts = [json.dumps(block) for block in view["blocks"]]
    checklist = next(i for i, t in enumerate(texts) if "Your onboarding" in t)
    browser = next(i for i, t in enumerate(texts) if "*Roles* (" in t)
    assert checklist < browser


def test_ticking_a_goal_in_the_onboarding_reply_replaces_that_reply(app):
    enrol(app, start="2026-11-23")
    own = reply_to(app, "onboarding", user_id=HIRE)
    first = goal_buttons(own["blocks"])[0]
    url = app.slack.response_url(app.next_id("act"))
    app.action(messages.GOAL_TOGGLE, first["value"], user_id=HIRE, response_url=url)
    [replaced] = app.slack.wait_for(url.split(app.slack.base_url)[-1])
    assert replaced.body["replace_original"] is True
    assert "✅" in text_of(valid_blocks(replaced.body["blocks"]))


def test_ticking_a_goal_on_the_home_tab_republishes_it(app):
    enrol(app, start="2026-11-23")
    first = goal_buttons(reply_to(app, "onboarding", user_id=HIRE)["blocks"])[0]
    app.action(messages.GOAL_TOGGLE, first["value"], user_id=HIRE, response_url="",
               container={"type": "view", "view_id": "V1"})
    [call] = app.slack.wait_for("views.publish")
    assert call.body["user_id"] == HIRE
    blocks = valid_blocks(call.body["view"]["blocks"], limit=100)
    assert "✅" in text_of(blocks)


def test_manager_pauses_and_resumes_from_the_onboarding_reply(app):
    journey = enrol(app, start="2026-11-23")
    team = reply_to(app, "onboarding", user_id=MANAGER)
    buttons = {e["action_id"]: e for b in team["blocks"] if b["type"] == "actions" for e in b["elements"]}
    pause = buttons["onboarding_manage:pause"]
    assert "confirm" in buttons["onboarding_manage:cancel"]

    url = app.slack.response_url(app.next_id("act"))
    app.action(pause["action_id"], pause["value"], user_id=OTHER, response_url=url)
    assert ":no_entry:" in app.slack.wait_for(url.split(app.slack.base_url)[-1])[0].body["text"]
    assert journeys.get(app.store, journey.id).status == "active"

    url = app.slack.response_url(app.next_id("act"))
    app.action(pause["action_id"], pause["value"], user_id=MANAGER, response_url=url)
    [replaced] = app.slack.wait_for(url.split(app.slack.base_url)[-1])
    assert journeys.get(app.store, journey.id).status == "paused"
    assert "*paused*" in text_of(valid_blocks(replaced.body["blocks"]))
    resume = {e["action_id"]: e for b in replaced.body["blocks"] if b["type"] == "actions" for e in b["elements"]}
    assert "onboarding_manage:resume" in resume


def test_only_configured_managers_may_enrol_when_the_list_is_set(app):
    app.ctx.settings = replace(app.ctx.settings, managers=(MANAGER,))
    refused = reply_to(app, f"onboard <@{HIRE}> post-sales engineer", user_id=OTHER)
    assert refused["text"].startswith(":no_entry: Only admins and the managers")
    refused = reply_to(app, "onboard", user_id=OTHER)
    assert ":no_entry:" in refused["text"]
    assert app.slack.calls_to("views.open") == []
    assert journeys.active_for_user(app.store, HIRE) == []
    assert "Enrolled" in reply_to(app, f"onboard <@{HIRE}> post-sales engineer")["text"]
