"""Onboarding journeys: enrol a hire in a role's plan, read progress, tick goals, pause/resume/cancel.

Public API (ONBOARDING-SLACK and the CLI call these; nobody else writes the journey tables):

- :func:`enrol` -> :class:`Journey` (raises PermissionDenied, AlreadyEnrolled(journey), RoleNotFound
  (with ``suggestions``), InvalidStartDate, UnknownTimezone, RoleHasNoGoals, InvalidUserId)
- :func:`resolve_role` (id or name through :func:`roles.answer.lookup.find_role`, else RoleNotFound with suggestions)
- :func:`get`, :func:`active_for_user`, :func:`managed_by`, :func:`goals`, :func:`progress`
- :func:`set_goal_done` (the hire, the manager or an admin)
- :func:`pause`, :func:`resume`, :func:`cancel`, :func:`reschedule` (the manager or an admin)
- :func:`can_manage`, :func:`can_enrol`
- :func:`normalize_user_id`: a Slack user id or mention -> the id

Permissions: admins (``settings.admins``, and the CLI as :data:`SYSTEM_ACTOR`) may do anything. Others
may enrol a hire only as that hire's manager (and only if listed in ``settings.managers`` when that list
is set); afterwards only the journey's manager and admins may change or cancel it.

Enrolling after the start date: plan messages already due at enrolment are stored as 'skipped', except
the latest welcome/milestone, which goes out at the next poll -- so a manager enrolling someone at
10:00 on their first day still gets them a welcome, and a late enrolment never floods the hire.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Protocol

from core import rows
from core.config import Settings
from core.store import Store
from jobs import cadence, outbox
from jobs.errors import (
    AlreadyEnrolled,
    GoalNotFound,
    InvalidUserId,
    JourneyNotActive,
    JourneyNotFound,
    PermissionDenied,
    RoleHasNoGoals,
)
from jobs.plan import PlanGoal, PlannedMessage, build_plan, goals_of_role
from jobs.timeutil import from_iso, parse_start_date, to_iso, utcnow, zone
from roles.answer.lookup import find_role
from roles.model import Role

if TYPE_CHECKING:
    from roles.index.library import RoleSummary

#: The actor id the CLI uses: treated as an admin.
SYSTEM_ACTOR = "rolebot:cli"
LIVE_STATUSES = ("active", "paused", "blocked")
_USER_ID = re.compile(r"^<?@?([UW][A-Z0-9]+)(?:\|[^>]*)?>?$")
#: A Teams user id as activities carry it (``29:`` + an opaque token) or an Entra object id (a GUID).
_TEAMS_USER_ID = re.compile(r"^(29:[A-Za-z0-9_\-.:]{1,200}|[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12})$")
PLATFORMS = ("slack", "teams")


class RoleSource(Protocol):
    """What enrolment needs from the role index (``roles.index.library.RoleIndex`` provides it)."""

    def list_roles(self) -> list[RoleSummary]: ...

    def get_role(self, role_id: int) -> Role: ...


@dataclass(frozen=True)
class Journey:
    """One hire's onboarding journey in one role."""

    id: int
    user_id: str
    manager_id: str | None
    role_id: int | None
    role_title: str
    start_date: date
    tz: str
    send_time: str
    #: active, paused, blocked, completed or cancelled.
    status: str
    blocked_reason: str | None
    enrolled_by: str
    created_at: datetime
    checkin_spec: str | None = None
    manager_tz: str | None = None
    #: 'slack' or 'teams': whose ids these are and which sender delivers the journey's messages.
    platform: str = "slack"

    @property
    def is_live(self) -> bool:
        """Active, paused or blocked (not completed or cancelled)."""
        return self.status in LIVE_STATUSES


@dataclass(frozen=True)
class JourneyGoal:
    """A goal or success indicator copied into a journey at enrolment."""

    id: int
    journey_id: int
    horizon_days: int
    heading: str
    #: 'goal' (can be ticked) or 'indicator'.
    kind: str
    position: int
    text: str
    done: bool
    done_at: datetime | None = None
    done_by: str | None = None


@dataclass(frozen=True)
class HorizonProgress:
    """Done and total goals of one horizon of a journey."""

    horizon_days: int
    heading: str
    done: int
    total: int


def normalize_user_id(text: str, platform: str = "slack") -> str:
    """'U123', '<@U123>' or '<@U123|ann>' -> 'U123'; on Teams a ``29:…`` user id or an Entra object id;
    InvalidUserId otherwise.

    The one reader of a user id or mention for journeys: the CLI, the CSV import and the handlers use it.
    """
    if platform == "teams":
        if not _TEAMS_USER_ID.match((text or "").strip()):
            raise InvalidUserId(f"{text!r} is not a Teams user id; mention the person instead.")
        return text.strip()
    match = _USER_ID.match((text or "").strip())
    if not match:
        raise InvalidUserId(f"{text!r} is not a Slack user ID (like U012AB3CD) or a mention.")
    return match[1]


def is_admin(settings: Settings, actor_id: str) -> bool:
    """True for the configured admins and the CLI."""
    return actor_id == SYSTEM_ACTOR or actor_id in settings.admins


def can_enrol(settings: Settings, actor_id: str) -> bool:
    """Whether ``actor_id`` may enrol hires at all (as admin, or as a manager)."""
    return is_admin(settings, actor_id) or not settings.managers or actor_id in settings.managers


def can_manage(settings: Settings, actor_id: str, journey: Journey) -> bool:
    """Whether ``actor_id`` may change or cancel ``journey``: an admin or its manager."""
    return is_admin(settings, actor_id) or (journey.manager_id is not None and actor_id == journey.manager_id)


def _require_manage(settings: Settings, actor_id: str, journey: Journey) -> None:
    if not can_manage(settings, actor_id, journey):
        raise PermissionDenied(
            f"Only <@{journey.manager_id}> (the manager) or an admin can change this journey."
            if journey.manager_id
            else "Only an admin can change this journey."
        )


def resolve_role(index: RoleSource, settings: Settings, role: str | int) -> tuple[int, Role]:
    """The one role called ``role``: an id, or a name as :func:`roles.answer.lookup.find_role` reads it (exact
    title, alias or configured alias, else a clear match despite typos, initials or level codes).

    Raises RoleNotFound with up to 3 suggestions, or naming the ids when the title is in several documents.
    """
    summary = find_role(index.list_roles(), str(role), settings.aliases)
    return summary.id, index.get_role(summary.id)


def _select(store: Store, where: str, params: list[Any]) -> list[Journey]:
    return [
        rows.build(Journey, row, start_date=date.fromisoformat, created_at=from_iso)
        for row in rows.query(store, f"SELECT * FROM journeys WHERE {where} ORDER BY id", params)
    ]


def get(store: Store, journey_id: int) -> Journey:
    """The journey with this id, or JourneyNotFound."""
    found = _select(store, "id = ?", [journey_id])
    if not found:
        raise JourneyNotFound(f"No onboarding journey has id {journey_id}.")
    return found[0]


def active_for_user(store: Store, user_id: str) -> list[Journey]:
    """The hire's live journeys (active, paused or blocked), oldest first."""
    return _select(store, "user_id = ? AND status IN ('active', 'paused', 'blocked')", [user_id])


def managed_by(store: Store, manager_id: str, include_ended: bool = False) -> list[Journey]:
    """Journeys this person manages (live only unless ``include_ended``)."""
    if include_ended:
        return _select(store, "manager_id = ?", [manager_id])
    return _select(store, "manager_id = ? AND status IN ('active', 'paused', 'blocked')", [manager_id])


def goals(store: Store, journey_id: int) -> list[JourneyGoal]:
    """The journey's goals and indicators, by horizon then document order."""
    rows = store.conn.execute(
        """SELECT id, journey_id, horizon_days, heading, kind, position, text, done_at, done_by
           FROM journey_goals WHERE journey_id = ? ORDER BY horizon_days, position""",
        [journey_id],
    ).fetchall()
    return [
        JourneyGoal(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7] is not None, from_iso(r[7]) if r[7] else None, r[8])
        for r in rows
    ]


def progress(store: Store, journey_id: int) -> list[HorizonProgress]:
    """Done/total goals (not indicators) per horizon, in horizon order."""
    per: dict[int, HorizonProgress] = {}
    for goal in goals(store, journey_id):
        if goal.kind != "goal":
            continue
        old = per.get(goal.horizon_days, HorizonProgress(goal.horizon_days, goal.heading, 0, 0))
        per[goal.horizon_days] = HorizonProgress(
            goal.horizon_days, old.heading, old.done + goal.done, old.total + 1
        )
    return [per[h] for h in sorted(per)]


def set_goal_done(
    store: Store,
    settings: Settings,
    journey_id: int,
    goal_id: int,
    done: bool,
    actor_id: str,
    *,
    now: datetime | None = None,
) -> JourneyGoal:
    """Tick (or untick) one goal. Allowed for the hire, the manager and admins; returns the goal."""
    journey = get(store, journey_id)
    if actor_id != journey.user_id and not can_manage(settings, actor_id, journey):
        raise PermissionDenied("Only the hire, their manager or an admin can tick goals in this journey.")
    now = now or utcnow()
    with store.conn:
        cursor = store.conn.execute(
            "UPDATE journey_goals SET done_at = ?, done_by = ? WHERE id = ? AND journey_id = ?",
            [to_iso(now) if done else None, actor_id if done else None, goal_id, journey_id],
        )
    if cursor.rowcount == 0:
        raise GoalNotFound(f"Goal {goal_id} is not part of journey {journey_id}.")
    return next(g for g in goals(store, journey_id) if g.id == goal_id)


def _past_due_rule(plan: list[PlannedMessage], now: datetime) -> dict[str, tuple[str, datetime]]:
    """Status and due time per (kind, period) key: past-due rows skipped except the latest milestone."""
    past = [p for p in plan if p.due_utc < now]
    keep_day = max((p.day for p in past if p.kind != "reminder"), default=None)
    result: dict[str, tuple[str, datetime]] = {}
    for p in plan:
        key = f"{p.kind}/{p.period}"
        if p.due_utc >= now:
            result[key] = (outbox.PENDING, p.due_utc)
        elif p.day == keep_day and p.kind != "reminder":
            result[key] = (outbox.PENDING, now)
        else:
            result[key] = (outbox.SKIPPED, p.due_utc)
    return result


def _plan_for(settings: Settings, journey: Journey, horizons: list[int], start: date) -> list[PlannedMessage]:
    return build_plan(
        horizons, start, journey.tz, settings.onboarding,
        has_manager=journey.manager_id is not None, send_time=journey.send_time,
    )


def enrol(
    store: Store,
    index: RoleSource,
    settings: Settings,
    *,
    actor_id: str,
    user_id: str,
    role: str | int,
    start: str | date,
    manager_id: str | None = None,
    tz: str | None = None,
    send_time: str | None = None,
    platform: str = "slack",
    now: datetime | None = None,
) -> Journey:
    """Enrol ``user_id`` in ``role`` starting on ``start`` (the hire's local date, YYYY-MM-DD).

    ``tz`` is the hire's IANA zone (the caller takes it from Slack ``users.info``; default: the configured
    fallback). A non-admin actor becomes the manager. Copies the role's goals into the journey and puts
    every plan message in the outbox, in one transaction. See the module docstring for permissions and
    late enrolment.
    """
    now = now or utcnow()
    if platform not in PLATFORMS:
        raise ValueError(f"unknown platform {platform!r}")
    user_id = normalize_user_id(user_id, platform)
    manager_id = normalize_user_id(manager_id, platform) if manager_id else None
    if not can_enrol(settings, actor_id):
        raise PermissionDenied("Only admins and the managers configured in rolebot can enrol new hires.")
    if not is_admin(settings, actor_id):
        if manager_id and manager_id != actor_id:
            raise PermissionDenied("You can enrol hires only as their manager; ask an admin to name someone else.")
        if user_id == actor_id:
            raise PermissionDenied("You cannot enrol yourself; ask your manager or an admin.")
        manager_id = actor_id
    tz = tz or settings.onboarding.fallback_timezone
    zone(tz)
    send_time = send_time or settings.onboarding.send_time
    start_date = parse_start_date(start, now.date())
    role_id, role_obj = resolve_role(index, settings, role)
    plan_goals = goals_of_role(role_obj)
    if not any(g.kind == "goal" for g in plan_goals):
        raise RoleHasNoGoals(
            f"The {role_obj.title} document has no 30/60/90-day goals, so there is no plan to follow. "
            "Add a goals section to the document, re-index, and enrol again."
        )
    existing = [j for j in active_for_user(store, user_id) if j.role_title.casefold() == role_obj.title.casefold()]
    if existing:
        raise _already(existing[0])
    try:
        with store.conn:
            journey_id = _insert(store, user_id, manager_id, role_id, role_obj.title, start_date, tz, send_time,
                                 actor_id, now, plan_goals, platform)
            journey = get(store, journey_id)
            plan = _plan_for(settings, journey, [g.horizon_days for g in plan_goals], start_date)
            rules = _past_due_rule(plan, now)
            for p in plan:
                status, due = rules[f"{p.kind}/{p.period}"]
                recipient = user_id if p.recipient == "hire" else manager_id
                outbox.enqueue(store, journey_id, p.kind, p.period, recipient or user_id, due,
                               day=p.day, status=status, now=now,
                               payload={"reason": "due before enrolment"} if status == outbox.SKIPPED else None)
    except sqlite3.IntegrityError:
        # Another enrolment of the same hire and role won the race: report it like the check above.
        again = [j for j in active_for_user(store, user_id) if j.role_title.casefold() == role_obj.title.casefold()]
        if again:
            raise _already(again[0]) from None
        raise
    return get(store, journey_id)


def _already(journey: Journey) -> AlreadyEnrolled:
    return AlreadyEnrolled(
        f"<@{journey.user_id}> is already enrolled as {journey.role_title} (journey {journey.id}, "
        f"started {journey.start_date.isoformat()}, {journey.status}).",
        journey,
    )


def _insert(
    store: Store, user_id: str, manager_id: str | None, role_id: int, title: str, start: date, tz: str,
    send_time: str, actor_id: str, now: datetime, plan_goals: list[PlanGoal], platform: str,
) -> int:
    cursor = store.conn.execute(
        """INSERT INTO journeys (user_id, manager_id, role_id, role_title, role_key, start_date, tz, send_time,
                                 status, enrolled_by, created_at, updated_at, platform)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?, ?)
           RETURNING id""",
        [user_id, manager_id, role_id, title, title.casefold(), start.isoformat(), tz, send_time, actor_id,
         to_iso(now), to_iso(now), platform],
    )
    journey_id = int(cursor.fetchone()[0])
    store.conn.executemany(
        """INSERT INTO journey_goals (journey_id, horizon_days, heading, kind, position, text)
           VALUES (?, ?, ?, ?, ?, ?)""",
        [(journey_id, g.horizon_days, g.heading, g.kind, g.position, g.text) for g in plan_goals],
    )
    return journey_id


def _set_status(
    store: Store, journey_id: int, status: str, expect: tuple[str, ...], now: datetime, reason: str | None = None
) -> bool:
    """Move the journey to ``status`` only if it is still in one of ``expect`` (checked by the UPDATE
    itself, so a change made meanwhile by another thread or process is never overwritten)."""
    cursor = store.conn.execute(
        f"""UPDATE journeys SET status = ?, blocked_reason = ?, updated_at = ?
            WHERE id = ? AND status IN ({','.join('?' * len(expect))})""",
        [status, reason, to_iso(now), journey_id, *expect],
    )
    return cursor.rowcount == 1


def _changed_meanwhile(store: Store, journey_id: int) -> JourneyNotActive:
    return JourneyNotActive(f"This journey has just become {get(store, journey_id).status}; nothing was changed.")


def pause(store: Store, settings: Settings, journey_id: int, actor_id: str, *, now: datetime | None = None) -> Journey:
    """Pause an active journey: its pending messages wait (status 'paused') until :func:`resume`."""
    journey = get(store, journey_id)
    _require_manage(settings, actor_id, journey)
    if journey.status != "active":
        raise JourneyNotActive(f"This journey is {journey.status}; only an active journey can be paused.")
    now = now or utcnow()
    with store.conn:
        if not _set_status(store, journey_id, "paused", ("active",), now):
            raise _changed_meanwhile(store, journey_id)
        outbox.pause_journey(store, journey_id)
    return get(store, journey_id)


def resume(store: Store, settings: Settings, journey_id: int, actor_id: str, *, now: datetime | None = None) -> Journey:
    """Resume a paused or blocked journey: future messages go out as planned, those missed meanwhile are skipped."""
    journey = get(store, journey_id)
    _require_manage(settings, actor_id, journey)
    if journey.status not in ("paused", "blocked"):
        raise JourneyNotActive(f"This journey is {journey.status}; only a paused or blocked journey can be resumed.")
    now = now or utcnow()
    with store.conn:
        if not _set_status(store, journey_id, "active", ("paused", "blocked"), now):
            raise _changed_meanwhile(store, journey_id)
        outbox.resume_journey(store, journey_id, now)
    return get(store, journey_id)


def cancel(store: Store, settings: Settings, journey_id: int, actor_id: str, *, now: datetime | None = None) -> Journey:
    """Cancel a journey for good: nothing more is sent (a new enrolment is then possible)."""
    journey = get(store, journey_id)
    _require_manage(settings, actor_id, journey)
    if not journey.is_live:
        raise JourneyNotActive(f"This journey is already {journey.status}.")
    now = now or utcnow()
    with store.conn:
        if not _set_status(store, journey_id, "cancelled", LIVE_STATUSES, now):
            raise _changed_meanwhile(store, journey_id)
        outbox.cancel_journey(store, journey_id)
    return get(store, journey_id)


def reschedule(
    store: Store, settings: Settings, journey_id: int, actor_id: str, new_start: str | date | None = None,
    *, tz: str | None = None, now: datetime | None = None,
) -> Journey:
    """Move the start date and/or the hire's time zone: every plan message and check-in not sent yet moves.

    Same rules as enrolment (past-due messages skipped except the latest milestone). ``new_start=None``
    keeps the date (e.g. the hire's Slack time zone changed: pass the new ``tz``).
    """
    journey = get(store, journey_id)
    _require_manage(settings, actor_id, journey)
    if not journey.is_live:
        raise JourneyNotActive(f"This journey is {journey.status}; it cannot be rescheduled.")
    now = now or utcnow()
    start = journey.start_date if new_start is None else parse_start_date(new_start, now.date())
    if tz is not None:
        zone(tz)
        journey = replace(journey, tz=tz)
    horizons = [g.horizon_days for g in goals(store, journey_id)]
    plan = _plan_for(settings, journey, horizons, start)
    rules = _past_due_rule(plan, now)
    waiting = "paused" if journey.status != "active" else "pending"
    with store.conn:
        store.conn.execute(
            "UPDATE journeys SET start_date = ?, tz = ?, updated_at = ? WHERE id = ?",
            [start.isoformat(), journey.tz, to_iso(now), journey_id],
        )
        for p in plan:
            status, due = rules[f"{p.kind}/{p.period}"]
            outbox.replan_row(store, journey_id, p.kind, p.period, due, p.day,
                              waiting if status == outbox.PENDING else status,
                              None if status == outbox.PENDING else "due before the new start")
        cadence.replan(store, settings, get(store, journey_id), now)
    return get(store, journey_id)


def block(store: Store, journey_id: int, reason: str, *, now: datetime | None = None) -> bool:
    """Mark the journey blocked (the hire cannot be reached): hire messages wait, the manager is told.

    Returns False when it was already blocked (no second notice) or has ended (completed or cancelled:
    a late post, e.g. a check-in on the wrap-up day, must not revive it). Called by the poller.
    """
    now = now or utcnow()
    journey = get(store, journey_id)
    with store.conn:
        if not _set_status(store, journey_id, "blocked", ("active", "paused"), now, reason):
            return False
        outbox.pause_journey(store, journey_id, journey.user_id)
        if journey.manager_id:
            outbox.enqueue(store, journey_id, "blocked_notice", f"blocked-{to_iso(now)}", journey.manager_id, now,
                           payload={"reason": reason}, now=now)
    return True


def complete(store: Store, journey_id: int, *, now: datetime | None = None) -> None:
    """Mark an active journey completed (after its wrap-up went out). Called by the poller."""
    with store.conn:
        store.conn.execute(
            "UPDATE journeys SET status = 'completed', updated_at = ? WHERE id = ? AND status = 'active'",
            [to_iso(now or utcnow()), journey_id],
        )
