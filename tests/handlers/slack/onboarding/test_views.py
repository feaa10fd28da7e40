"""Onboarding modals: they validate as Slack views, and submissions read back with field errors."""

from __future__ import annotations

from datetime import date, time

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from core.config import Settings
from handlers.slack.onboarding.views import (
    B_DAY,
    B_ROLE,
    B_START,
    B_TZ,
    CHECKIN_CALLBACK,
    ENROL_CALLBACK,
    EnrolForm,
    checkin_modal,
    enrol_modal,
    read_checkin_answers,
    read_enrol_form,
)

TODAY = date(2026, 11, 21)


def valid(view: dict) -> View:
    parsed = View(**view)
    parsed.validate_json()
    for block in view["blocks"]:  # View.validate_json does not descend into blocks
        Block.parse(block).validate_json()
    return parsed


def submitted(start="2026-12-01", tz=None, role="7", cadence="weekly", day="tue", checkin_time="11:30") -> dict:
    values = {
        "hire": {"user": {"type": "users_select", "selected_user": "U2"}},
        "role": {"onboarding_role_pick": {"type": "external_select", "selected_option": role and {"value": role}}},
        "start": {"date": {"type": "datepicker", "selected_date": start}},
        "send_time": {"time": {"type": "timepicker", "selected_time": "08:30"}},
        "tz": {"tz": {"type": "plain_text_input", "value": tz}},
        "checkin_cadence": {"cadence": {"type": "static_select", "selected_option": {"value": cadence}}},
        "checkin_day": {"day": {"type": "static_select", "selected_option": {"value": day}}},
        "checkin_time": {"time": {"type": "timepicker", "selected_time": checkin_time}},
    }
    return values


def test_enrol_modal_is_a_valid_view():
    view = enrol_modal(Settings(), TODAY, initial_user="U2")
    parsed = valid(view)
    assert parsed.callback_id == ENROL_CALLBACK
    assert len(parsed.title.text) <= 24
    blocks = {b["block_id"]: b for b in view["blocks"] if "block_id" in b}
    assert blocks["hire"]["element"]["initial_user"] == "U2"
    assert blocks["start"]["element"]["initial_date"] == "2026-11-21"
    assert blocks["send_time"]["element"]["initial_time"] == "09:00"
    assert blocks[B_ROLE]["element"]["type"] == "external_select"


def test_read_valid_form():
    form, errors = read_enrol_form(submitted(tz=" Europe/Berlin "), TODAY)
    assert errors == {}
    assert form == EnrolForm("U2", "7", date(2026, 12, 1), time(8, 30), "Europe/Berlin", "weekly", "tue", time(11, 30))


def test_empty_optional_fields_take_defaults():
    values = submitted()
    values[B_DAY] = {"day": {"type": "static_select", "selected_option": None}}
    values["checkin_time"] = {"time": {"type": "timepicker", "selected_time": None}}
    form, _ = read_enrol_form(values, TODAY)
    assert (form.tz, form.checkin_day, form.checkin_time) == (None, "thu", time(10, 0))


def test_field_errors():
    form, errors = read_enrol_form(submitted(start="2028-01-01", tz="Mars/Olympus", role=None), TODAY)
    assert form is None
    assert set(errors) == {B_START, B_TZ, B_ROLE}
    assert "within a year" in errors[B_START]
    assert "Unknown time zone" in errors[B_TZ]


def test_start_long_ago_is_refused():
    _, errors = read_enrol_form(submitted(start="2025-01-01"), TODAY)
    assert B_START in errors


def test_checkin_modal_round_trip():
    questions = ("What went well?", "What is blocking you?")
    view = checkin_modal(questions, 42, hire_hint="Week 2 of your journey")
    parsed = valid(view)
    assert parsed.callback_id == CHECKIN_CALLBACK
    view["state"] = {
        "values": {
            "q0": {"answer": {"type": "plain_text_input", "value": " Shipped the demo "}},
            "q1": {"answer": {"type": "plain_text_input", "value": None}},
        }
    }
    assert read_checkin_answers(view, questions) == (42, ["Shipped the demo", ""])
