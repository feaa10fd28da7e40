"""Every onboarding message as text + Block Kit, built from the database at the moment it is needed.

:func:`render` builds the message of an outbox row from the journey's *current* state (goals ticked so
far), so the same function serves the first post and the in-place update after the hire clicks a goal:

    row = outbox.get_row(store, outbox_id)
    message = messages.render(store, settings, row)
    client.chat_update(channel=row.slack_channel, ts=row.slack_ts, text=message.text, blocks=message.blocks)

Interactive elements and their values (stable; ONBOARDING-SLACK registers handlers for these ids):

- :data:`GOAL_TOGGLE` buttons, one per goal, value ``"<journey_id>:<goal_id>:<1|0>"`` = the state to
  set (parse with :func:`parse_goal_value`); block ids ``rolebot_goal_<goal_id>``.
- :data:`SNOOZE` button on reminders, value = the outbox row id (pass to ``outbox.snooze``).
- :data:`CHECKIN_OPEN` button on check-in prompts, value = the check-in id (its outbox row id).

User-provided text (goal text from documents, check-in answers, role titles) is escaped (``&<>``) so it
can never ping ``<!channel>`` or a user. Messages stay under Slack's 50-block limit: past
:data:`MAX_GOAL_BUTTONS` goals (20 per list on a milestone, which carries two) the rest are listed as text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from core.config import Settings
from core.store import Store
from handlers.slack.blocks.parts import clip, context, escape, section
from jobs import journeys
from jobs.journeys import Journey, JourneyGoal
from jobs.outbox import OutboxRow
from jobs.plan import schedule_horizons

GOAL_TOGGLE = "rolebot_goal_toggle"
SNOOZE = "rolebot_snooze_1d"
CHECKIN_OPEN = "rolebot_checkin_open"
#: Goals shown with a button; more are listed as text (Slack allows 50 blocks per message).
MAX_GOAL_BUTTONS = 30
#: Per list when a message carries two lists of goals (a milestone's review and next goals).
_HALF_GOAL_BUTTONS = 20


@dataclass
class Message:
    """A message ready for ``chat.postMessage``: fallback ``text`` (notifications) and ``blocks``."""

    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)


def goal_value(journey_id: int, goal_id: int, done: bool) -> str:
    """The value of a :data:`GOAL_TOGGLE` button that sets the goal to ``done``."""
    return f"{journey_id}:{goal_id}:{1 if done else 0}"


def parse_goal_value(value: str) -> tuple[int, int, bool]:
    """``(journey_id, goal_id, done)`` from a :data:`GOAL_TOGGLE` button value; ValueError if malformed."""
    journey_id, goal_id, done = value.split(":")
    if done not in ("0", "1"):
        raise ValueError(f"bad goal toggle value {value!r}")
    return int(journey_id), int(goal_id), done == "1"


def _header(text: str) -> dict[str, Any]:
    return {"type": "header", "text": {"type": "plain_text", "text": clip(text, 150), "emoji": True}}


def _button(text: str, action_id: str, value: str, style: str | None = None) -> dict[str, Any]:
    button = {"type": "button", "text": {"type": "plain_text", "text": text[:75]}, "action_id": action_id, "value": value}
    if style:
        button["style"] = style
    return button


def horizon_label(horizon: int) -> str:
    """"30-day" for a goal horizon in days; "long-term" for the open-ended one."""
    return f"{horizon}-day" if horizon < 1000 else "long-term"


def goal_blocks(
    journey: Journey, goals: Iterable[JourneyGoal], interactive: bool = True, max_buttons: int = MAX_GOAL_BUTTONS
) -> list[dict[str, Any]]:
    """One section per goal (✅ done / ⬜ open) with a Mark done / Undo button; indicators as one list.

    At most ``max_buttons`` + 2 blocks: goals past ``max_buttons`` are listed as text."""
    blocks: list[dict[str, Any]] = []
    extra: list[str] = []
    indicators: list[str] = []
    for goal in goals:
        if goal.kind == "indicator":
            indicators.append(f"• {escape(goal.text)}")
            continue
        line = f"✅ ~{escape(goal.text)}~" if goal.done else f"⬜ {escape(goal.text)}"
        if not interactive or len(blocks) >= max_buttons:
            extra.append(line)
            continue
        button = _button("Undo" if goal.done else "Mark done", GOAL_TOGGLE, goal_value(journey.id, goal.id, not goal.done),
                         None if goal.done else "primary")
        blocks.append(section(line, block_id=f"rolebot_goal_{goal.id}", accessory=button))
    if extra:
        blocks.append(section("\n".join(extra)))
    if indicators:
        blocks.append(section("*Success looks like:*\n" + "\n".join(indicators)))
    return blocks


def _horizon_sets(settings: Settings, all_goals: list[JourneyGoal], day: int) -> tuple[list[int], list[int], list[int]]:
    """(introduced on ``day``, reviewed on ``day``, current at ``day``) horizons of the journey."""
    schedule = schedule_horizons({g.horizon_days for g in all_goals}, settings.onboarding.milestones)
    introduced = [s.horizon_days for s in schedule if s.introduced_on == day]
    reviewed = [s.horizon_days for s in schedule if s.reviewed_on == day]
    current = [s.horizon_days for s in schedule
               if s.introduced_on <= day and s.reviewed_on is not None and day < s.reviewed_on]
    return introduced, reviewed, current


def _of(goals: list[JourneyGoal], horizons: Iterable[int], kinds: tuple[str, ...] = ("goal", "indicator")) -> list[JourneyGoal]:
    wanted = set(horizons)
    return [g for g in goals if g.horizon_days in wanted and g.kind in kinds]


def _progress_lines(store: Store, journey: Journey) -> str:
    lines = [f"• {horizon_label(p.horizon_days)} goals: {p.done}/{p.total} done" for p in journeys.progress(store, journey.id)]
    return "\n".join(lines) or "• no goals"


def open_goals(store: Store, settings: Settings, journey: Journey, day: int) -> list[JourneyGoal]:
    """Goals of the period current at ``day`` that are not done (what a reminder carries)."""
    all_goals = journeys.goals(store, journey.id)
    _, _, current = _horizon_sets(settings, all_goals, day)
    return [g for g in _of(all_goals, current, ("goal",)) if not g.done]


def _welcome(store: Store, settings: Settings, journey: Journey, row: OutboxRow) -> Message:
    all_goals = journeys.goals(store, journey.id)
    introduced, _, _ = _horizon_sets(settings, all_goals, row.day or 0)
    title = escape(journey.role_title)
    first = ", ".join(horizon_label(h) for h in introduced) or "first"
    blocks = [
        _header(f"Welcome aboard, {journey.role_title}!"),
        section(f"Hi <@{journey.user_id}>! Here are your {first} goals as *{title}*. "
                 f"Mark them done as you go.{_reminder_promise(settings)}"),
        *goal_blocks(journey, _of(all_goals, introduced)),
        context(f"Your plan comes from the {title} role document. `/role onboarding` shows all of it any time."),
    ]
    if journey.manager_id:
        # Say who sees the hire's progress and check-in answers: whoever enrolled them does.
        blocks.append(context(f"<@{journey.manager_id}> is your manager for this plan and sees your progress "
                               "and check-in answers."))
    return Message(f"Welcome aboard! Your {first} goals as {title} are here.", blocks)


def _reminder_promise(settings: Settings) -> str:
    every = settings.onboarding.reminder_every_days
    if not every:
        return ""
    period = "week" if every == 7 else f"{every} days"
    return f" I'll remind you of what's open every {period}."


def _milestone(store: Store, settings: Settings, journey: Journey, row: OutboxRow) -> Message:
    all_goals = journeys.goals(store, journey.id)
    day = row.day or 0
    introduced, reviewed, _ = _horizon_sets(settings, all_goals, day)
    title = escape(journey.role_title)
    wrapup = row.kind == "wrapup"
    blocks = [_header(f"Day {day}: {'you made it!' if wrapup else 'checkpoint'}")]
    review = _of(all_goals, reviewed, ("goal",))
    if review:
        done = sum(g.done for g in review)
        blocks.append(section(f"<@{journey.user_id}>, {day} days in as *{title}*. "
                               f"You finished {done} of {len(review)} goals of the period just ended:"))
        blocks += goal_blocks(journey, review, max_buttons=_HALF_GOAL_BUTTONS)
    else:
        blocks.append(section(f"<@{journey.user_id}>, {day} days in as *{title}*. Here is where you stand."))
    if wrapup:
        blocks.append(section("*Your first " + str(day) + " days:*\n" + _progress_lines(store, journey)))
        later = _of(all_goals, introduced)
        if later:
            blocks.append(section("*Looking further ahead:*"))
            blocks += goal_blocks(journey, later, interactive=False)
        blocks.append(context("This is the last scheduled message of your onboarding journey. Congratulations!"))
        return Message(f"Day {day}: you made it! Your onboarding as {title} is wrapped up.", blocks)
    nxt = _of(all_goals, introduced)
    if nxt:
        blocks.append(section(f"*Next up: your {', '.join(horizon_label(h) for h in introduced)} goals*"))
        blocks += goal_blocks(journey, nxt, max_buttons=_HALF_GOAL_BUTTONS)
    return Message(f"Day {day} checkpoint: review your goals and see what's next as {title}.", blocks)


def _reminder(store: Store, settings: Settings, journey: Journey, row: OutboxRow) -> Message:
    still_open = open_goals(store, settings, journey, row.day or 0)
    blocks = [
        section(f"*Weekly reminder*, <@{journey.user_id}>: {len(still_open)} goal(s) still open."),
        *goal_blocks(journey, still_open),
        {"type": "actions", "block_id": "rolebot_reminder_actions",
         "elements": [_button("Snooze 1 day", SNOOZE, str(row.id))]},
    ]
    return Message(f"Reminder: {len(still_open)} onboarding goal(s) still open.", blocks)


def _manager_summary(store: Store, settings: Settings, journey: Journey, row: OutboxRow) -> Message:
    all_goals = journeys.goals(store, journey.id)
    missing = [g for g in all_goals if g.kind == "goal" and not g.done and g.horizon_days <= (row.day or 0)]
    blocks = [
        _header("Onboarding summary"),
        section(f"<@{journey.user_id}> has finished {row.day} days as *{escape(journey.role_title)}*.\n"
                 + _progress_lines(store, journey)),
    ]
    if missing:
        blocks.append(section("*Not done yet:*\n" + "\n".join(f"• {escape(g.text)}" for g in missing[:40])))
    return Message(f"Onboarding summary for {journey.role_title}: {row.day} days done.", blocks)


def _checkin(store: Store, settings: Settings, journey: Journey, row: OutboxRow) -> Message:
    from jobs.checkins import answers_for, questions

    who = f"<@{journey.manager_id}>" if journey.manager_id else "your manager"
    listed = "\n".join(f"• {escape(q)}" for q in questions(settings))
    blocks = [section(f"*Check-in time*, <@{journey.user_id}>! A few questions from {who}:\n{listed}")]
    if answers_for(store, row.id) is None:
        blocks.append({"type": "actions", "block_id": "rolebot_checkin_actions",
                       "elements": [_button("Answer check-in", CHECKIN_OPEN, str(row.id), "primary")]})
    else:
        blocks.append(context("✅ Answered. Thanks! Your manager has your answers."))
    return Message("Check-in time: a few quick questions from your manager.", blocks)


def _digest(store: Store, settings: Settings, journey: Journey, row: OutboxRow) -> Message:
    from jobs.checkins import answers_for

    pairs = answers_for(store, int(row.payload.get("checkin_id", 0))) or []
    blocks = [_header("Check-in digest"),
              section(f"<@{journey.user_id}> ({escape(journey.role_title)}) answered their check-in:")]
    for question, answer in pairs[:20]:
        blocks.append(section(f"*{escape(question)}*\n{escape(answer) or '_(no answer)_'}"))
    blocks.append(section("*Goal progress:*\n" + _progress_lines(store, journey)))
    return Message(f"Check-in digest from a new {journey.role_title}.", blocks)


def _stale_notice(store: Store, settings: Settings, journey: Journey, row: OutboxRow) -> Message:
    skipped = row.payload.get("skipped", [])
    listed = "\n".join(f"• {escape(s.get('kind', '?'))} due {escape(s.get('due', '?'))}" for s in skipped[:20])
    text = (f"rolebot was unavailable and skipped {len(skipped)} onboarding message(s) to <@{journey.user_id}> "
            f"that were more than {settings.onboarding.staleness_hours} hours overdue:\n{listed}")
    return Message(f"Skipped {len(skipped)} stale onboarding message(s).", [section(text)])


def _blocked_notice(store: Store, settings: Settings, journey: Journey, row: OutboxRow) -> Message:
    reason = escape(row.payload.get("reason", "unknown"))
    text = (f"I can't reach <@{journey.user_id}> (Slack said `{reason}`), so their onboarding journey as "
            f"*{escape(journey.role_title)}* is on hold. When they can get messages again, resume it from "
            "`/role onboarding`.")
    return Message("An onboarding journey is blocked: the hire can't be reached.", [section(text)])


_BUILDERS = {
    "welcome": _welcome,
    "milestone": _milestone,
    "wrapup": _milestone,
    "reminder": _reminder,
    "manager_summary": _manager_summary,
    "checkin": _checkin,
    "digest": _digest,
    "stale_notice": _stale_notice,
    "blocked_notice": _blocked_notice,
}


def render(store: Store, settings: Settings, row: OutboxRow) -> Message:
    """The message of ``row`` as of now (goal states read from the journey)."""
    journey = journeys.get(store, row.journey_id)
    return _BUILDERS[row.kind](store, settings, journey, row)
