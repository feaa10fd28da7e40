"""The plan of a journey, built from a role's goals: which message goes out on which day, and when.

Pure functions, no database: :func:`build_plan` is used at enrolment (its entries become outbox rows),
by ``rolebot plan`` (preview) and on reschedule.

Which goals a message carries: the role's goal horizons (30, 60, 90, 180 … days) are grouped by the
milestone (``settings.onboarding.milestones``, default 0/30/60/90) at which they are *reviewed*, the
first milestone on or after the horizon. Horizons beyond the last milestone form the "later" group,
never reviewed. Each group is *introduced* at the milestone that reviews the group before it (the
first group at the first milestone, the welcome). So with 30/60/90-day goals:

- day 0, ``welcome``: introduces the 30-day goals;
- day 30 / 60, ``milestone``: reviews the goals just ended, introduces the next ones;
- day 90, ``wrapup`` (to the hire): reviews the 90-day goals and shows the later ones;
  ``manager_summary`` (to the manager) on the same day;
- every ``reminder_every_days`` days in between, ``reminder``: the goals of the current period still
  open (a reminder that falls on the same local date as a milestone is dropped; at send time a reminder
  with nothing open is skipped).

Dates: day N is ``start + N`` days in the hire's calendar, moved to the next business day, at
``send_time`` in the hire's zone (see :mod:`jobs.timeutil` for DST).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from core.config import OnboardingSettings
from jobs.timeutil import local_instant, next_business_day, parse_hhmm, zone
from roles.model import Role

#: Kinds of plan messages (the outbox also holds checkin, digest, stale_notice, blocked_notice).
WELCOME, MILESTONE, REMINDER, WRAPUP, MANAGER_SUMMARY = (
    "welcome",
    "milestone",
    "reminder",
    "wrapup",
    "manager_summary",
)
PLAN_KINDS = (WELCOME, MILESTONE, REMINDER, WRAPUP, MANAGER_SUMMARY)


@dataclass(frozen=True)
class PlanGoal:
    """One goal or success indicator of a role, as copied into a journey."""

    horizon_days: int
    heading: str
    kind: str  # 'goal' or 'indicator'
    position: int
    text: str


@dataclass(frozen=True)
class HorizonSchedule:
    """When the goals of one horizon are introduced and reviewed (plan days; None = never reviewed)."""

    horizon_days: int
    introduced_on: int
    reviewed_on: int | None


@dataclass(frozen=True)
class PlannedMessage:
    """One message of a plan."""

    #: Days after the start date (before the move to a business day).
    day: int
    kind: str
    #: Key of the message within its journey (unique with ``kind``), e.g. 'day-30'.
    period: str
    #: 'hire' or 'manager'.
    recipient: str
    local_date: date
    due_utc: datetime
    local_due: datetime
    introduces: tuple[int, ...] = ()
    reviews: tuple[int, ...] = ()
    reminds: tuple[int, ...] = ()


def goals_of_role(role: Role) -> list[PlanGoal]:
    """The role's goals and success indicators, in horizon then document order (empty: no goals)."""
    found: list[PlanGoal] = []
    for goal in role.goals():
        for kind, texts in (("goal", goal.items), ("indicator", goal.success_indicators)):
            for text in texts:
                if text.strip():
                    found.append(PlanGoal(goal.horizon_days, goal.heading, kind, len(found), text.strip()))
    return found


def schedule_horizons(horizons: Iterable[int], milestones: Sequence[int]) -> list[HorizonSchedule]:
    """When each horizon is introduced and reviewed (see the module docstring)."""
    marks = sorted(set(milestones))
    groups: dict[int | None, list[int]] = {}
    for horizon in sorted(set(horizons)):
        review = next((m for m in marks if m >= horizon), None)
        groups.setdefault(review, []).append(horizon)
    order = sorted(groups, key=lambda r: (r is None, r or 0))
    result: list[HorizonSchedule] = []
    introduced = marks[0]
    for review in order:
        for horizon in groups[review]:
            result.append(HorizonSchedule(horizon, introduced, review))
        if review is not None:
            introduced = review
    return result


def build_plan(
    horizons: Iterable[int],
    start: date,
    tz: str,
    onboarding: OnboardingSettings,
    *,
    has_manager: bool = True,
    send_time: str | None = None,
) -> list[PlannedMessage]:
    """Every plan message for a journey starting on ``start`` (hire's local date) in zone ``tz``.

    Sorted by due time. ``send_time`` overrides ``onboarding.send_time`` ('HH:MM').
    """
    zone(tz)  # fail early, with UnknownTimezone
    at = parse_hhmm(send_time or onboarding.send_time)
    marks = sorted(set(onboarding.milestones))
    schedule = schedule_horizons(horizons, marks)
    last = marks[-1]

    def when(day: int) -> tuple[date, datetime]:
        local = next_business_day(start + timedelta(days=day), onboarding.business_days)
        return local, local_instant(local, at, tz)

    def entry(day: int, kind: str, period: str, recipient: str, **goals: tuple[int, ...]) -> PlannedMessage:
        local, due = when(day)
        return PlannedMessage(day, kind, period, recipient, local, due, due.astimezone(zone(tz)), **goals)

    plan: list[PlannedMessage] = []
    for day in marks:
        kind = WELCOME if day == marks[0] and day == 0 else WRAPUP if day == last else MILESTONE
        if len(marks) == 1:
            kind = WELCOME
        plan.append(
            entry(
                day,
                kind,
                f"day-{day}",
                "hire",
                introduces=tuple(s.horizon_days for s in schedule if s.introduced_on == day),
                reviews=tuple(s.horizon_days for s in schedule if s.reviewed_on == day),
            )
        )
    if has_manager and last > 0:
        plan.append(
            entry(last, MANAGER_SUMMARY, f"day-{last}", "manager", reviews=tuple(s.horizon_days for s in schedule))
        )
    milestone_dates = {when(day)[0] for day in marks}
    every = onboarding.reminder_every_days
    if every > 0:
        for day in range(marks[0] + every, last, every):
            if day in marks or when(day)[0] in milestone_dates:
                continue
            current = tuple(
                s.horizon_days
                for s in schedule
                if s.introduced_on <= day and s.reviewed_on is not None and day < s.reviewed_on
            )
            if current:
                plan.append(entry(day, REMINDER, f"reminder-{day}", "hire", reminds=current))
    plan.sort(key=lambda p: (p.due_utc, p.recipient != "hire", p.kind))
    return plan


def plan_as_json(plan: Sequence[PlannedMessage], goals: Sequence[PlanGoal]) -> list[dict]:
    """The plan as ``rolebot plan --json`` prints it: due (UTC), local_due (with offset), kind, goals."""

    def texts(horizons: tuple[int, ...], kinds: tuple[str, ...] = ("goal", "indicator")) -> list[dict]:
        return [
            {"horizon_days": g.horizon_days, "kind": g.kind, "text": g.text}
            for g in goals
            if g.horizon_days in horizons and g.kind in kinds
        ]

    return [
        {
            "day": p.day,
            "kind": p.kind,
            "recipient": p.recipient,
            "due": p.due_utc.isoformat().replace("+00:00", "Z"),
            "local_due": p.local_due.isoformat(),
            "goals": texts(p.introduces) + texts(p.reminds, ("goal",)),
            "reviews": texts(p.reviews, ("goal",)),
        }
        for p in plan
    ]
