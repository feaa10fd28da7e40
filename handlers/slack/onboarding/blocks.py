"""Slack's rendering of the platform-neutral onboarding messages (``jobs.message_parts``) as Block Kit.

Plain text spans are escaped (``&<>``), so text from documents or people can never ping ``<!channel>``
or a user; a :class:`~jobs.message_parts.Mention` becomes ``<@U…>``. Messages stay under Slack's
50-block limit: past :data:`MAX_GOAL_BUTTONS` goals (20 per list when a message carries two, like a
milestone's review and next goals) the rest are listed as text. Goal sections get the block id
``rolebot_goal_<goal_id>``; button rows and notes keep their key as block id.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from handlers.slack.blocks.parts import clip, context, escape, section
from jobs.message_parts import (
    Actions,
    Button,
    Code,
    Command,
    Emphasis,
    GoalList,
    Header,
    Mention,
    Message,
    Note,
    Paragraph,
    Spans,
    Strong,
)

#: Goals shown with a button; more are listed as text (Slack allows 50 blocks per message).
MAX_GOAL_BUTTONS = 30
#: Per list when a message carries two lists of goals (a milestone's review and next goals).
HALF_GOAL_BUTTONS = 20


@dataclass
class SlackMessage:
    """A message ready for ``chat.postMessage``: fallback ``text`` (notifications) and ``blocks``."""

    text: str
    blocks: list[dict[str, Any]]


def mrkdwn_of(spans: Spans) -> str:
    """The spans as Slack mrkdwn, every plain piece escaped."""
    out = []
    for span in spans:
        if isinstance(span, str):
            out.append(escape(span))
        elif isinstance(span, Strong):
            out.append(f"*{escape(span.text)}*")
        elif isinstance(span, Emphasis):
            out.append(f"_{escape(span.text)}_")
        elif isinstance(span, Code):
            out.append(f"`{escape(span.text)}`")
        elif isinstance(span, Command):
            out.append(f"`/role {escape(span.text)}`")
        elif isinstance(span, Mention):
            out.append(f"<@{escape(span.user_id)}>")
    return "".join(out)


def _button(button: Button) -> dict[str, Any]:
    rendered = {"type": "button", "text": {"type": "plain_text", "text": button.label[:75]},
                "action_id": button.action, "value": button.value}
    if button.primary:
        rendered["style"] = "primary"
    return rendered


def goal_blocks(goals: GoalList, max_buttons: int = MAX_GOAL_BUTTONS) -> list[dict[str, Any]]:
    """One section per goal (✅ done / ⬜ open) with its button; indicators as one list.

    At most ``max_buttons`` + 2 blocks: goals past ``max_buttons`` are listed as text."""
    blocks: list[dict[str, Any]] = []
    extra: list[str] = []
    for goal in goals.goals:
        line = f"✅ ~{escape(goal.text)}~" if goal.done else f"⬜ {escape(goal.text)}"
        if goal.button is None or len(blocks) >= max_buttons:
            extra.append(line)
            continue
        blocks.append(section(line, block_id=f"rolebot_goal_{goal.goal_id}", accessory=_button(goal.button)))
    if extra:
        blocks.append(section("\n".join(extra)))
    if goals.indicators:
        blocks.append(section("*Success looks like:*\n" + "\n".join(f"• {escape(i)}" for i in goals.indicators)))
    return blocks


def to_slack(message: Message) -> SlackMessage:
    """The message as Block Kit."""
    lists = sum(isinstance(part, GoalList) for part in message.parts)
    budget = MAX_GOAL_BUTTONS if lists <= 1 else HALF_GOAL_BUTTONS
    blocks: list[dict[str, Any]] = []
    for part in message.parts:
        if isinstance(part, Header):
            blocks.append({"type": "header", "text": {"type": "plain_text", "text": clip(part.text, 150), "emoji": True}})
        elif isinstance(part, Paragraph):
            blocks.append(section(mrkdwn_of(part.spans)))
        elif isinstance(part, Note):
            note = context(mrkdwn_of(part.spans))
            blocks.append({**note, "block_id": part.key} if part.key else note)
        elif isinstance(part, GoalList):
            blocks += goal_blocks(part, budget)
        elif isinstance(part, Actions):
            blocks.append({"type": "actions", "block_id": part.key, "elements": [_button(b) for b in part.buttons]})
    return SlackMessage(escape(message.text), blocks)
