"""Share in channel recomputes the answer at the click: when the role has gone from the index since the
question, nothing is posted in the channel in the clicker's name; they see privately what changed."""

from __future__ import annotations

import shutil

from core.config import BUNDLED_EXAMPLES
from handlers.shared import SHARE_ACTION
from roles.index.library import RoleIndex
from tests.e2e.test_slack_http import answer_of, buttons, valid_blocks, visible_text


def test_sharing_an_answer_whose_role_was_removed_posts_nothing_in_the_channel(slack_app, tmp_path):
    message = answer_of(slack_app.command("site reliability engineer deliverables", user_id="U7"))
    share = buttons(message["blocks"])[SHARE_ACTION]

    docs = tmp_path / "docs"
    shutil.copytree(BUNDLED_EXAMPLES, docs)
    (docs / "site-reliability-engineer.yaml").unlink()
    RoleIndex(slack_app.store).index_folder(docs)  # the document was deleted and re-indexed meanwhile

    url = slack_app.slack.response_url("share")
    status, _ = slack_app.action(SHARE_ACTION, share["value"], user_id="U7", response_url=url)
    assert status == 200
    [call] = slack_app.slack.wait_for("/response/share")
    assert call.body["response_type"] == "ephemeral"
    blocks = valid_blocks(call.body["blocks"])
    assert "Shared by" not in visible_text(blocks)
    assert SHARE_ACTION not in buttons(blocks)
