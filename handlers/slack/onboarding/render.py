"""Block Kit for the Slack side of onboarding: a hire's checklist, a manager's view of their reports,
the plan summary after enrolment, replies, and the onboarding part of the Home tab. Goal rows reuse
``handlers.slack.onboarding.blocks.goal_blocks`` so a goal
looks (and toggles) the same in a DM, in ``/role onboarding`` and on the Home tab.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from core.config import Settings
from core.store import Store
from handlers.context import AppContext
from handlers.shared import MANAGE
from handlers.slack.blocks.parts import context, escape, section
from handlers.slack.onboarding.blocks import goal_blocks
from jobs import journeys, messages, outbox
from jobs.journeys import Journey, JourneyGoal
from jobs.plan import schedule_horizons
from jobs.timeutil import local_date, utcnow, zone

#: Goals with a Mark done button per journey in a checklist; the rest are counted.
GOAL_ROWS = 8
#: Reports listed in a manager's view.
MAX_REPORTS = 10
_BAR = 10


def reply(text: str, blocks: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """An ephemeral reply (``respond``/``ack`` arguments); ``text`` is the notification fallback."""
    return {"response_type": "ephemeral", "text": text, "blocks": blocks or [section(text)]}


def bar(done: int, total: int) -> str:
    """A text progress bar such as ``▓▓▓░░░░░░░ 3/10``."""
    filled = int(_BAR * done / total + 0.5) if total else 0  # half up, not banker's rounding
    return f"{'▓' * filled}{'░' * (_BAR - filled)} {done}/{total}"


def journey_day(journey: Journey, today: date | None = None) -> int:
    """Days since the journey's start in the hire's zone (negative before the start)."""
    today = today or local_date(utcnow(), journey.tz)
    return (today - journey.start_date).days


def current_horizons(settings: Settings, goals: list[JourneyGoal], day: int) -> list[int]:
    """Horizons whose period runs on plan day ``day``: the first before the start, the last after the end."""
    schedule = schedule_horizons({g.horizon_days for g in goals}, settings.onboarding.milestones)
    if not schedule:
        return []
    running = [s.horizon_days for s in schedule if s.introduced_on <= day and (s.reviewed_on is None or day < s.reviewed_on)]
    if running:
        return running
    if day < schedule[0].introduced_on:
        return [schedule[0].horizon_days]
    return [schedule[-1].horizon_days]


def progress_text(store: Store, journey: Journey) -> str:
    """One line per horizon: bar and done/total goals."""
    lines = [f"`{bar(p.done, p.total)}` {messages.horizon_label(p.horizon_days)} goals" for p in journeys.progress(store, journey.id)]
    return "\n".join(lines) or "_no goals_"


def _headline(journey: Journey, day: int, with_hire: bool) -> str:
    who = f"<@{journey.user_id}> · " if with_hire else ""
    when = f"starts {journey.start_date.isoformat()}" if day < 0 else f"day {day} (started {journey.start_date.isoformat()})"
    state = "" if journey.status == "active" else f" · *{journey.status}*"
    return f"{who}*{escape(journey.role_title)}* · {when}{state}"


def hire_blocks(store: Store, settings: Settings, journey: Journey, *, goal_rows: int = GOAL_ROWS) -> list[dict[str, Any]]:
    """A hire's checklist for one journey: progress per period and the current period's goals."""
    day = journey_day(journey)
    goals = journeys.goals(store, journey.id)
    current = set(current_horizons(settings, goals, day))
    now_goals = [g for g in goals if g.horizon_days in current and g.kind == "goal"]
    shown = sorted(now_goals, key=lambda g: g.done)[:goal_rows]  # open goals first
    blocks = [section(_headline(journey, day, with_hire=False) + "\n" + progress_text(store, journey))]
    if shown:
        blocks.append(section(f"*Now: your {', '.join(messages.horizon_label(h) for h in sorted(current))} goals*"))
        blocks += goal_blocks(messages.goal_list(journey, shown))
    if len(now_goals) > len(shown):
        blocks.append(context(f"…and {len(now_goals) - len(shown)} more: `/role onboarding` lists them all."))
    upcoming = next_message(store, journey)
    if upcoming:
        blocks.append(context(upcoming))
    return blocks


_KIND_NAMES = {"welcome": "welcome", "milestone": "day {day} checkpoint", "wrapup": "day {day} wrap-up",
               "reminder": "reminder", "checkin": "check-in"}


def next_message(store: Store, journey: Journey) -> str | None:
    """"Next: day 30 checkpoint on Mon 28 Dec at 09:00" for the hire's next pending message, if any."""
    pending = [r for r in outbox.rows_for_journey(store, journey.id, (outbox.PENDING,))
               if r.recipient == journey.user_id and r.kind in _KIND_NAMES]
    if not pending:
        return None
    row = pending[0]
    when = row.due_utc.astimezone(zone(journey.tz)).strftime("%a %d %b at %H:%M")
    return f"Next: {_KIND_NAMES[row.kind].format(day=row.day)} on {when} ({escape(journey.tz)})."


def manager_blocks(store: Store, manager_id: str, *, limit: int = MAX_REPORTS) -> list[dict[str, Any]]:
    """One section per live journey ``manager_id`` manages: hire, role, day, status and progress."""
    reports = journeys.managed_by(store, manager_id)
    blocks = []
    for journey in reports[:limit]:
        text = _headline(journey, journey_day(journey), with_hire=True) + "\n" + progress_text(store, journey)
        if journey.checkin_spec:
            text += f"\nCheck-ins: {escape(journey.checkin_spec)} ({escape(journey.manager_tz or '')})"
        if journey.status == "blocked" and journey.blocked_reason:
            text += f"\n:warning: Blocked: {escape(journey.blocked_reason)}"
        blocks.append(section(text))
        blocks.append(manage_buttons(journey))
    if len(reports) > limit:
        blocks.append(context(f"…and {len(reports) - limit} more. `/role onboard status @person` shows one."))
    return blocks


def manage_buttons(journey: Journey) -> dict[str, Any]:
    """Pause or Resume, and Cancel (with a confirmation), for a manager's report."""
    verb = "resume" if journey.status in ("paused", "blocked") else "pause"
    buttons: list[dict[str, Any]] = [
        {"type": "button", "action_id": f"{MANAGE}:{verb}", "value": f"{verb}:{journey.id}",
         "text": {"type": "plain_text", "text": verb.capitalize()}},
        {"type": "button", "action_id": f"{MANAGE}:cancel", "value": f"cancel:{journey.id}", "style": "danger",
         "text": {"type": "plain_text", "text": "Cancel journey"},
         "confirm": {"title": {"type": "plain_text", "text": "Cancel this journey?"},
                     "text": {"type": "plain_text", "text": "Nothing more will be sent to the hire. This cannot be undone."},
                     "confirm": {"type": "plain_text", "text": "Cancel journey"},
                     "deny": {"type": "plain_text", "text": "Keep it"}}},
    ]
    return {"type": "actions", "block_id": f"onboarding_manage_{journey.id}", "elements": buttons}


def plan_summary(store: Store, journey: Journey) -> str:
    """What the plan will send, in the hire's local dates: milestones, reminders, manager messages."""
    rows = [r for r in outbox.rows_for_journey(store, journey.id) if r.status in (outbox.PENDING, outbox.PAUSED)]
    skipped = [r for r in outbox.rows_for_journey(store, journey.id, (outbox.SKIPPED,))]
    counts = Counter(r.kind for r in rows)
    milestones = [r for r in rows if r.kind in ("welcome", "milestone", "wrapup")]
    listed = " · ".join(
        f"{'welcome' if r.kind == 'welcome' else f'day {r.day}'} {local_date(r.due_utc, journey.tz).strftime('%a %d %b')}"
        for r in milestones
    )
    parts = [f"*Plan:* {listed or 'no milestone left'}"]
    extra = []
    if counts["reminder"]:
        extra.append(f"{counts['reminder']} weekly reminders of open goals")
    if counts["checkin"]:
        extra.append(f"{counts['checkin']} check-ins")
    if counts["manager_summary"]:
        extra.append("a summary for the manager at the end")
    if extra:
        parts.append("Also " + ", ".join(extra) + ".")
    if skipped:
        parts.append(f"{len(skipped)} message(s) already in the past were skipped.")
    goal_counts = " · ".join(f"{messages.horizon_label(p.horizon_days)}: {p.total}" for p in journeys.progress(store, journey.id))
    parts.append(f"*Goals:* {goal_counts}")
    return "\n".join(parts)


def _journey_reply(journey: Journey, opening: str, rest: str, detail: str, hint: str, icon: str = "") -> dict[str, Any]:
    """A reply about one hire's journey: "``opening`` *Role*``rest``", a ``detail`` section and a ``hint``
    context line; the notification text is "``opening`` Role."."""
    role = escape(journey.role_title)
    return reply(f"{opening} {role}.", [section(f"{icon}{opening} *{role}*{rest}"), section(detail), context(hint)])


def enrolled_reply(store: Store, journey: Journey) -> dict[str, Any]:
    """The manager's confirmation after enrolment, with the plan summary."""
    return _journey_reply(
        journey, f"Enrolled <@{journey.user_id}> as",
        f", starting {journey.start_date.strftime('%a %d %b %Y')} "
        f"(messages at {journey.send_time} {escape(journey.tz)}).",
        plan_summary(store, journey),
        "The welcome goes out on day 0 at the send time. `/role onboard status @person` shows progress.",
        icon=":white_check_mark: ",
    )


def existing_reply(store: Store, journey: Journey) -> dict[str, Any]:
    """The answer to a second enrolment: the journey that exists, unchanged."""
    return _journey_reply(
        journey, f"<@{journey.user_id}> is already enrolled as",
        f" (journey {journey.id}, started {journey.start_date.isoformat()}, {journey.status}). Nothing was changed.",
        progress_text(store, journey), "To start over: `/role onboard cancel @person`, then enrol again.",
    )


def existing_journey_text(journey: Journey) -> str:
    """One plain-text line about a journey (modal errors cannot show mentions)."""
    return (
        f"Already enrolled as {journey.role_title} (journey {journey.id}, started "
        f"{journey.start_date.isoformat()}, {journey.status}); nothing was changed."
    )


#: Blocks the onboarding part may add to the Home view (the role browser shares its 100).
MAX_HOME_BLOCKS = 40


def home_blocks(ctx: AppContext, user_id: str) -> list[dict[str, Any]]:
    """The onboarding part of ``user_id``'s Home tab (at most :data:`MAX_HOME_BLOCKS` blocks; [] if none)."""
    blocks: list[dict[str, Any]] = []
    own = journeys.active_for_user(ctx.store, user_id)
    if own:
        blocks.append({"type": "header", "text": {"type": "plain_text", "text": "Your onboarding"}})
        for journey in own:
            blocks += hire_blocks(ctx.store, ctx.settings, journey, goal_rows=10)
    reports = manager_blocks(ctx.store, user_id)
    if reports:
        blocks.append({"type": "header", "text": {"type": "plain_text", "text": "Your new hires"}})
        blocks += reports
    if len(blocks) > MAX_HOME_BLOCKS:
        blocks = [*blocks[: MAX_HOME_BLOCKS - 1], context("More in `/role onboarding`.")]
    return blocks
