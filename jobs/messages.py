"""Every onboarding message as platform-neutral data, built from the database at the moment it is needed.

:func:`render` builds the :class:`~jobs.message_parts.Message` of an outbox row from the journey's
*current* state (goals ticked so far), so the same function serves the first post and the in-place
update after the hire ticks a goal. A platform renders it: ``handlers.slack.onboarding.blocks`` for Slack,
``handlers.teams.cards`` for Teams. Nothing here knows either.

Button actions and their values (stable; the platform handlers route these ids):

- :data:`GOAL_TOGGLE`, one per goal, value ``"<journey_id>:<goal_id>:<1|0>"`` = the state to set (parse
  with :func:`parse_goal_value`).
- :data:`SNOOZE` on reminders, value = the outbox row id (pass to ``outbox.snooze``).
- :data:`CHECKIN_OPEN` on check-in prompts, value = the check-in id (its outbox row id).

Text from documents and people (goal texts, role titles, check-in answers) is kept in plain ``str``
spans, which every renderer escapes, so it can never mention or link anyone.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from core.store import Store
from jobs import journeys, outbox
from jobs.journeys import Journey, JourneyGoal
from jobs.message_parts import (
    Actions,
    Button,
    Code,
    Command,
    Emphasis,
    GoalItem,
    GoalList,
    Header,
    Mention,
    Message,
    Note,
    Paragraph,
    Part,
    Strong,
)
from jobs.outbox import OutboxRow
from jobs.plan import schedule_horizons
from jobs.timeutil import zone

if TYPE_CHECKING:
    from core.config import Settings

__all__ = ["Message", "render", "open_goals", "goal_value", "parse_goal_value", "horizon_label"]

GOAL_TOGGLE = "rolebot_goal_toggle"
SNOOZE = "rolebot_snooze_1d"
CHECKIN_OPEN = "rolebot_checkin_open"
#: Keys of the rows of buttons (a handler drops the reminder's after a snooze).
REMINDER_ACTIONS = "rolebot_reminder_actions"
CHECKIN_ACTIONS = "rolebot_checkin_actions"


def goal_value(journey_id: int, goal_id: int, done: bool) -> str:
    """The value of a :data:`GOAL_TOGGLE` button that sets the goal to ``done``."""
    return f"{journey_id}:{goal_id}:{1 if done else 0}"


def parse_goal_value(value: str) -> tuple[int, int, bool]:
    """``(journey_id, goal_id, done)`` from a :data:`GOAL_TOGGLE` button value; ValueError if malformed."""
    journey_id, goal_id, done = value.split(":")
    if done not in ("0", "1"):
        raise ValueError(f"bad goal toggle value {value!r}")
    return int(journey_id), int(goal_id), done == "1"


def _button(text: str, action: str, value: str, primary: bool = False) -> Button:
    return Button(text[:75], action, value, primary)


def horizon_label(horizon: int) -> str:
    """"30-day" for a goal horizon in days; "long-term" for the open-ended one."""
    return f"{horizon}-day" if horizon < 1000 else "long-term"


def goal_list(journey: Journey, goals: Iterable[JourneyGoal], interactive: bool = True) -> GoalList:
    """The goals (with a Mark done / Undo button each when ``interactive``) and the success indicators."""
    items: list[GoalItem] = []
    indicators: list[str] = []
    for goal in goals:
        if goal.kind == "indicator":
            indicators.append(goal.text)
            continue
        button = _button("Undo" if goal.done else "Mark done", GOAL_TOGGLE, goal_value(journey.id, goal.id, not goal.done),
                         not goal.done) if interactive else None
        items.append(GoalItem(goal.id, goal.text, goal.done, button))
    return GoalList(tuple(items), tuple(indicators), interactive)


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


def _progress_lines(store: Store, journey: Journey) -> tuple[str, ...]:
    lines = [f"{horizon_label(p.horizon_days)} goals: {p.done}/{p.total} done" for p in journeys.progress(store, journey.id)]
    return _bullets(lines or ["no goals"])


def open_goals(store: Store, settings: Settings, journey: Journey, day: int) -> list[JourneyGoal]:
    """Goals of the period current at ``day`` that are not done (what a reminder carries)."""
    all_goals = journeys.goals(store, journey.id)
    _, _, current = _horizon_sets(settings, all_goals, day)
    return [g for g in _of(all_goals, current, ("goal",)) if not g.done]


def _bullets(lines: Iterable[str]) -> tuple[str, ...]:
    return tuple(f"\n• {line}" for line in lines)


def _welcome(store: Store, settings: Settings, journey: Journey, row: OutboxRow) -> Message:
    all_goals = journeys.goals(store, journey.id)
    introduced, _, _ = _horizon_sets(settings, all_goals, row.day or 0)
    title = journey.role_title
    first = ", ".join(horizon_label(h) for h in introduced) or "first"
    parts = [
        Header(f"Welcome aboard, {title}!"),
        Paragraph(("Hi ", Mention(journey.user_id), f"! Here are your {first} goals as ", Strong(title),
                   f". Mark them done as you go.{_reminder_promise(settings)}")),
        goal_list(journey, _of(all_goals, introduced)),
        Note((f"Your plan comes from the {title} role document. ", Command("onboarding"),
              " shows all of it any time.")),
    ]
    if journey.manager_id:
        # Say who sees the hire's progress and check-in answers: whoever enrolled them does.
        parts.append(Note((Mention(journey.manager_id), " is your manager for this plan and sees your progress "
                           "and check-in answers.")))
    return Message(f"Welcome aboard! Your {first} goals as {title} are here.", parts)


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
    title = journey.role_title
    wrapup = row.kind == "wrapup"
    parts: list[Part] = [Header(f"Day {day}: {'you made it!' if wrapup else 'checkpoint'}")]
    review = _of(all_goals, reviewed, ("goal",))
    opening = (Mention(journey.user_id), f", {day} days in as ", Strong(title), ". ")
    if review:
        done = sum(g.done for g in review)
        parts.append(Paragraph((*opening, f"You finished {done} of {len(review)} goals of the period just ended:")))
        parts.append(goal_list(journey, review))
    else:
        parts.append(Paragraph((*opening, "Here is where you stand.")))
    if wrapup:
        parts.append(Paragraph((Strong(f"Your first {day} days:"), *_progress_lines(store, journey))))
        later = _of(all_goals, introduced)
        if later:
            parts.append(Paragraph((Strong("Looking further ahead:"),)))
            parts.append(goal_list(journey, later, interactive=False))
        parts.append(Note(("This is the last scheduled message of your onboarding journey. Congratulations!",)))
        return Message(f"Day {day}: you made it! Your onboarding as {title} is wrapped up.", parts)
    nxt = _of(all_goals, introduced)
    if nxt:
        parts.append(Paragraph((Strong(f"Next up: your {', '.join(horizon_label(h) for h in introduced)} goals"),)))
        parts.append(goal_list(journey, nxt))
    return Message(f"Day {day} checkpoint: review your goals and see what's next as {title}.", parts)


def _reminder(store: Store, settings: Settings, journey: Journey, row: OutboxRow) -> Message:
    still_open = open_goals(store, settings, journey, row.day or 0)
    parts = [
        Paragraph((Strong("Weekly reminder"), ", ", Mention(journey.user_id),
                   f": {len(still_open)} goal(s) still open.")),
        goal_list(journey, still_open),
        Actions(REMINDER_ACTIONS, (_button("Snooze 1 day", SNOOZE, str(row.id)),)),
    ]
    return Message(f"Reminder: {len(still_open)} onboarding goal(s) still open.", parts)


def _manager_summary(store: Store, settings: Settings, journey: Journey, row: OutboxRow) -> Message:
    all_goals = journeys.goals(store, journey.id)
    missing = [g for g in all_goals if g.kind == "goal" and not g.done and g.horizon_days <= (row.day or 0)]
    parts: list[Part] = [
        Header("Onboarding summary"),
        Paragraph((Mention(journey.user_id), f" has finished {row.day} days as ", Strong(journey.role_title), ".",
                   *_progress_lines(store, journey))),
    ]
    if missing:
        parts.append(Paragraph((Strong("Not done yet:"), *_bullets(g.text for g in missing[:40]))))
    return Message(f"Onboarding summary for {journey.role_title}: {row.day} days done.", parts)


def _checkin(store: Store, settings: Settings, journey: Journey, row: OutboxRow) -> Message:
    from jobs.checkins import answers_for, questions

    who = (Mention(journey.manager_id),) if journey.manager_id else ("your manager",)
    parts: list[Part] = [Paragraph((Strong("Check-in time"), ", ", Mention(journey.user_id), "! A few questions from ",
                              *who, ":", *_bullets(questions(settings))))]
    if answers_for(store, row.id) is None:
        parts.append(Actions(CHECKIN_ACTIONS, (_button("Answer check-in", CHECKIN_OPEN, str(row.id), True),)))
    else:
        parts.append(Note(("✅ Answered. Thanks! Your manager has your answers.",)))
    return Message("Check-in time: a few quick questions from your manager.", parts)


def _digest(store: Store, settings: Settings, journey: Journey, row: OutboxRow) -> Message:
    from jobs.checkins import answers_for

    pairs = answers_for(store, int(row.payload.get("checkin_id", 0))) or []
    parts: list[Part] = [Header("Check-in digest"),
                   Paragraph((Mention(journey.user_id), f" ({journey.role_title}) answered their check-in:"))]
    for question, answer in pairs[:20]:
        parts.append(Paragraph((Strong(question), "\n", answer or Emphasis("(no answer)"))))
    parts.append(Paragraph((Strong("Goal progress:"), *_progress_lines(store, journey))))
    return Message(f"Check-in digest from a new {journey.role_title}.", parts)


def _stale_notice(store: Store, settings: Settings, journey: Journey, row: OutboxRow) -> Message:
    skipped = row.payload.get("skipped", [])
    listed = _bullets(f"{s.get('kind', '?')} due {s.get('due', '?')}" for s in skipped[:20])
    spans = (f"rolebot was unavailable and skipped {len(skipped)} onboarding message(s) to ", Mention(journey.user_id),
             f" that were more than {settings.onboarding.staleness_hours} hours overdue:", *listed)
    return Message(f"Skipped {len(skipped)} stale onboarding message(s).", [Paragraph(spans)])


#: How a manager makes a hire reachable again, per platform.
_REACH_HINTS = {
    "teams": "Install rolebot for them in Teams (or add it to your organisation's app setup policy), "
             "then resume it from ",
}


def _blocked_notice(store: Store, settings: Settings, journey: Journey, row: OutboxRow) -> Message:
    reason = row.payload.get("reason", "unknown")
    platform = journey.platform.capitalize() if journey.platform != "teams" else "Teams"
    hint = _REACH_HINTS.get(journey.platform, "When they can get messages again, resume it from ")
    spans = ("I can't reach ", Mention(journey.user_id), f" ({platform} said ", Code(reason),
             "), so their onboarding journey as ", Strong(journey.role_title), f" is on hold. {hint}",
             Command("onboarding"), ".")
    return Message("An onboarding journey is blocked: the hire can't be reached.", [Paragraph(spans)])


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
    message = _BUILDERS[row.kind](store, settings, journey, row)
    message.row_id = row.id
    return message


#: Key of the note that replaces a snoozed reminder's Snooze button.
SNOOZED_NOTE = "rolebot_snoozed"


def render_current(store: Store, settings: Settings, row: OutboxRow) -> Message:
    """A sent message as it should look now: :func:`render`, and for a snoozed reminder the Snooze
    button replaced by "Snoozed until …" in the hire's zone (so a later goal tick keeps the note)."""
    message = render(store, settings, row)
    snoozed = next((r for r in outbox.rows_for_journey(store, row.journey_id) if r.period == f"snooze-{row.id}"), None)
    if snoozed is None:
        return message
    journey = journeys.get(store, row.journey_id)
    when = snoozed.due_utc.astimezone(zone(journey.tz)).strftime("%a %d %b at %H:%M")
    message.parts = [p for p in message.parts if not (isinstance(p, Actions) and p.key == REMINDER_ACTIONS)]
    message.parts.append(Note((f"💤 Snoozed until {when} ({journey.tz}).",), key=SNOOZED_NOTE))
    message.text = f"Snoozed until {when}."
    return message
