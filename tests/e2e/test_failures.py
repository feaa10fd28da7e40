"""Unexpected failures (here: a database table gone) reach the user as the one friendly line, in the
place they acted, and the failure is logged with its traceback."""

from __future__ import annotations

import json

from slack_sdk.models.views import View

from handlers.shared import FRIENDLY
from tests.e2e.test_onboarding_slack import _form, _submission, app, clock  # noqa: F401  (fixtures used by name)


def test_a_failed_modal_submission_pushes_the_apology_over_the_form(app, caplog):  # noqa: F811
    form = _form(app, tz="Asia/Tokyo")  # no users.info: the failure comes from the database alone
    with app.store.conn:
        app.store.conn.execute("DROP TABLE journeys")
    status, text = app.interaction(_submission(form))
    assert status == 200
    answer = json.loads(text)
    assert answer["response_action"] == "push"  # the form stays underneath, as typed
    View(**answer["view"]).validate_json()
    assert FRIENDLY in json.dumps(answer["view"])
    assert "listener failed on a view_submission request" in caplog.text
