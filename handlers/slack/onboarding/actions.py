"""Interactive onboarding: goal buttons, "Snooze 1 day", the check-in button, and the two modals'
submissions. Each listener acknowledges within Slack's 3 seconds; a modal submission is checked before
its ack because field errors travel in the ack (``response_action: errors``). The one Slack call an
enrolment needs first (``users.info`` for the hire's zone) gets :data:`PROFILE_WAIT_SECONDS`; when Slack
is slower, the modal is acknowledged anyway and the outcome goes to the manager's DM.
"""

from __future__ import annotations

import logging
import re
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Any

from core.errors import InvalidCommand, RolebotError, RoleNotFound
from handlers.context import AppContext
from handlers.shared import whole_number
from handlers.slack.blocks.parts import section
from handlers.slack.home_view import home_view
from handlers.slack.onboarding.args import VerbArgs
from handlers.slack.onboarding.blocks import to_slack
from handlers.slack.onboarding.commands import journey_verb, overview, reason_text, user_timezone
from handlers.slack.onboarding.render import enrolled_reply, existing_reply
from handlers.slack.onboarding.roles import find_role_by_id
from handlers.slack.onboarding.views import (
    B_CADENCE,
    B_HIRE,
    B_ROLE,
    B_START,
    B_TZ,
    EnrolForm,
    checkin_modal,
    read_checkin_answers,
    read_enrol_form,
)
from jobs import checkins, journeys, messages, outbox
from jobs.errors import (
    AlreadyEnrolled,
    InvalidCadence,
    InvalidStartDate,
    InvalidUserId,
    PermissionDenied,
    RoleHasNoGoals,
    UnknownTimezone,
)
from jobs.journeys import Journey
from jobs.timeutil import local_date, utcnow

logger = logging.getLogger(__name__)

#: Which modal field a named error of enrolment belongs to.
ENROL_ERROR_FIELDS: dict[type[RolebotError], str] = {
    AlreadyEnrolled: B_HIRE,
    PermissionDenied: B_HIRE,
    InvalidUserId: B_HIRE,
    InvalidCommand: B_HIRE,
    InvalidStartDate: B_START,
    UnknownTimezone: B_TZ,
    RoleHasNoGoals: B_ROLE,
    RoleNotFound: B_ROLE,
    InvalidCadence: B_CADENCE,
}
_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
SNOOZED_CONTEXT = messages.SNOOZED_NOTE
#: How long an enrolment submission waits for the hire's Slack profile before it is acknowledged
#: anyway: Slack shows the manager an error when a modal's ack takes more than 3 seconds.
PROFILE_WAIT_SECONDS = 1.5


def plain(text: str) -> str:
    """Mrkdwn mentions as plain ``@U123`` (modal field errors are plain text)."""
    return _MENTION.sub(r"@\1", text)


def tell(body: dict[str, Any], respond: Any, client: Any, text: str) -> None:
    """Say something only the clicking person sees: an ephemeral reply where possible, else a DM."""
    user_id = body["user"]["id"]
    if body.get("response_url"):
        respond(text=text, response_type="ephemeral", replace_original=False)
        return
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
    if channel:
        client.chat_postEphemeral(channel=channel, user=user_id, text=text)
    else:
        client.chat_postMessage(channel=user_id, text=text)


def _message_location(body: dict[str, Any]) -> tuple[str | None, str | None, bool]:
    container = body.get("container") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
    return channel, container.get("message_ts"), bool(container.get("is_ephemeral"))


def _sent_row(ctx: AppContext, journey_id: int, ts: str | None) -> outbox.OutboxRow | None:
    if not ts:
        return None
    return next((r for r in outbox.rows_for_journey(ctx.store, journey_id, (outbox.SENT,)) if r.slack_ts == ts), None)


def refresh_after_goal(ctx: AppContext, body: dict[str, Any], respond: Any, client: Any, journey: Journey) -> None:
    """Re-render whatever the goal button sat on: the DM (``chat.update``), the ephemeral reply, or Home."""
    actor = body["user"]["id"]
    container = body.get("container") or {}
    if container.get("type") == "view":
        client.views_publish(user_id=actor, view=home_view(ctx, actor))
        return
    channel, ts, ephemeral = _message_location(body)
    if ephemeral:
        message = overview(ctx, actor) if actor == journey.user_id else journey_verb(ctx, actor, VerbArgs("status", journey.user_id))
        respond(replace_original=True, text=message["text"], blocks=message["blocks"])
        return
    row = _sent_row(ctx, journey.id, ts)
    if row is None or channel is None:
        logger.warning("goal toggled on a message rolebot has no record of (journey %s, ts %s)", journey.id, ts)
        return
    text, blocks = render_row(ctx, row, journey)
    client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)


def on_goal_toggle(ctx: AppContext, ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any, client: Any) -> None:
    """Tick or untick a goal (the hire, their manager or an admin) and update the message in place."""
    ack()
    try:
        journey_id, goal_id, done = messages.parse_goal_value(str(action.get("value", "")))
    except ValueError:
        logger.warning("goal button with a malformed value %r", action.get("value"))
        return
    try:
        journeys.set_goal_done(ctx.store, ctx.settings, journey_id, goal_id, done, body["user"]["id"])
        journey = journeys.get(ctx.store, journey_id)
    except RolebotError as exc:
        tell(body, respond, client, reason_text(exc))
        return
    refresh_after_goal(ctx, body, respond, client, journey)


def on_snooze(ctx: AppContext, ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any, client: Any) -> None:
    """"Snooze 1 day" on a reminder: a new reminder tomorrow (next business day), shown on the message."""
    ack()
    row_id = whole_number(action.get("value"))
    if row_id is None:
        logger.warning("snooze button with a malformed value %r", action.get("value"))
        return
    try:
        row = outbox.get_row(ctx.store, row_id)
        again = outbox.snooze(ctx.store, row.id, body["user"]["id"], business_days=ctx.settings.onboarding.business_days)
        journey = journeys.get(ctx.store, row.journey_id)
    except RolebotError as exc:
        tell(body, respond, client, reason_text(exc))
        return
    text, blocks = render_row(ctx, row, journey)
    channel, ts, _ = _message_location(body)
    if channel and ts:
        client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)
    logger.info("outbox %s snoozed by %s until %s", row.id, journey.user_id, again.due_utc.isoformat())


def render_row(ctx: AppContext, row: outbox.OutboxRow, journey: Journey) -> tuple[str, list[dict[str, Any]]]:
    """A sent message as it should look now (``jobs.messages.render_current``), as Block Kit."""
    message = to_slack(messages.render_current(ctx.store, ctx.settings, row))
    return message.text, message.blocks


def on_manage(ctx: AppContext, ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any, client: Any) -> None:
    """A manager's Pause / Resume / Cancel button: change the journey, say so, refresh the view."""
    ack()
    verb, _, number = str(action.get("value", "")).partition(":")
    changes = {"pause": journeys.pause, "resume": journeys.resume, "cancel": journeys.cancel}
    journey_id = whole_number(number)
    if verb not in changes or journey_id is None:
        logger.warning("manage button with a malformed value %r", action.get("value"))
        return
    actor = body["user"]["id"]
    try:
        journey = changes[verb](ctx.store, ctx.settings, journey_id, actor)
    except RolebotError as exc:
        tell(body, respond, client, reason_text(exc))
        return
    container = body.get("container") or {}
    if container.get("type") == "view":
        client.views_publish(user_id=actor, view=home_view(ctx, actor))
    else:
        message = overview(ctx, actor)
        respond(replace_original=True, text=message["text"], blocks=message["blocks"])
    logger.info("journey %s %s by %s (now %s)", journey.id, verb, actor, journey.status)


def on_checkin_open(ctx: AppContext, ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any, client: Any) -> None:
    """The check-in button: open the questions modal (only for the hire, once)."""
    ack()
    row_id = whole_number(action.get("value"))
    actor = body["user"]["id"]
    try:
        row = outbox.get_row(ctx.store, row_id) if row_id is not None else None
    except RolebotError:
        row = None
    if row is None or row.kind != checkins.CHECKIN:
        tell(body, respond, client, "That check-in no longer exists.")
        return
    journey = journeys.get(ctx.store, row.journey_id)
    if actor != journey.user_id:
        tell(body, respond, client, ":no_entry: Only the person this check-in is for can answer it.")
        return
    if checkins.answers_for(ctx.store, row.id) is not None:
        tell(body, respond, client, "You have already answered this check-in; your manager has your answers.")
        return
    hint = f"For <@{journey.manager_id}>" if journey.manager_id else ""
    client.views_open(trigger_id=body["trigger_id"], view=checkin_modal(checkins.questions(ctx.settings), row.id, hint))


def on_checkin_submit(ctx: AppContext, ack: Any, body: dict[str, Any], view: dict[str, Any], client: Any) -> None:
    """Record the answers (errors shown in the modal), then update the prompt and send the digest."""
    questions = checkins.questions(ctx.settings)
    checkin_id, answers = read_checkin_answers(view, questions)
    try:
        checkins.record_answers(ctx.store, checkin_id or 0, body["user"]["id"], list(zip(questions, answers, strict=True)))
    except RolebotError as exc:
        ack(response_action="errors", errors={"q0": plain(str(exc))})
        return
    ack()
    row = outbox.get_row(ctx.store, checkin_id or 0)
    if row.slack_channel and row.slack_ts:
        message = to_slack(messages.render(ctx.store, ctx.settings, row))
        client.chat_update(channel=row.slack_channel, ts=row.slack_ts, text=message.text, blocks=message.blocks)
    deliver_now(ctx, client)


def deliver_now(ctx: AppContext, client: Any) -> None:
    """Send what is due now (the digest just queued) instead of waiting for the next poll.

    The running poller is woken so that its thread sends; only where none runs in this process does
    this request thread run the tick itself. The outbox claim is atomic either way: no double send.
    """
    from handlers.slack.sender import SlackSender
    from jobs.poller import run_due, wake

    if wake(ctx.store):
        return
    try:
        run_due(ctx.store, SlackSender(client), ctx.settings)
    except Exception:  # the poller sends it on its next tick anyway
        logger.exception("immediate delivery failed; the poller will retry")


def _hire_timezone(client: Any, form: EnrolForm) -> Future[str | None]:
    """The hire's zone, pending: the form's override at once, else ``users.info`` in its own thread."""
    if form.tz:
        done: Future[str | None] = Future()
        done.set_result(form.tz)
        return done
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="users-info")
    try:
        return executor.submit(user_timezone, client, form.user_id)
    finally:
        executor.shutdown(wait=False)


def enrol_from_form(ctx: AppContext, actor: str, form: EnrolForm, tz: str | None) -> Journey:
    """Enrol from a valid form in zone ``tz`` (the override, else the hire's Slack profile's)."""
    role = find_role_by_id(ctx.index.list_roles(), form.role_value)
    if role is None:
        raise RoleNotFound("That role is no longer in the index; pick another.")
    return journeys.enrol(
        ctx.store, ctx.index, ctx.settings, actor_id=actor, user_id=form.user_id, role=role.id, start=form.start,
        tz=tz, send_time=form.send_time.strftime("%H:%M") if form.send_time else None,
    )


def on_enrol_submit(ctx: AppContext, ack: Any, body: dict[str, Any], view: dict[str, Any], client: Any) -> None:
    """Validate and enrol; field errors go back in the ack, the plan summary to the manager's DM."""
    actor = body["user"]["id"]
    form, errors = read_enrol_form((view.get("state") or {}).get("values") or {}, local_date(utcnow(), "UTC"))
    if form is None:
        ack(response_action="errors", errors=errors)
        return
    tz = _hire_timezone(client, form)
    if not wait([tz], timeout=PROFILE_WAIT_SECONDS).done:
        # Slack is slow to answer users.info: close the modal within the 3 s, finish after the ack.
        ack()
        enrol_late(ctx, client, actor, form, tz)
        return
    try:
        journey = enrol_from_form(ctx, actor, form, tz.result())
    except AlreadyEnrolled as exc:
        from handlers.slack.onboarding.render import existing_journey_text

        ack(response_action="errors", errors={B_HIRE: existing_journey_text(exc.journey)})
        return
    except RolebotError as exc:
        block = next((b for kind, b in ENROL_ERROR_FIELDS.items() if isinstance(exc, kind)), B_HIRE)
        ack(response_action="errors", errors={block: plain(str(exc))[:2000]})
        return
    ack()
    confirm_enrolment(ctx, client, actor, form, journey)


def enrol_late(ctx: AppContext, client: Any, actor: str, form: EnrolForm, tz: Future[str | None]) -> None:
    """Finish an enrolment acknowledged before Slack's profile answer: success or refusal go to the DM."""
    try:
        journey = enrol_from_form(ctx, actor, form, tz.result())
    except AlreadyEnrolled as exc:
        message = existing_reply(ctx.store, exc.journey)
        client.chat_postMessage(channel=actor, text=message["text"], blocks=message["blocks"])
        return
    except RolebotError as exc:
        text = f":warning: I could not enrol <@{form.user_id}>: {reason_text(exc)}"
        client.chat_postMessage(channel=actor, text=text, blocks=[section(text)])
        return
    confirm_enrolment(ctx, client, actor, form, journey)


def confirm_enrolment(ctx: AppContext, client: Any, actor: str, form: EnrolForm, journey: Journey) -> None:
    """After the ack: set the form's check-in cadence, then DM the manager the plan summary."""
    note = None
    if form.cadence != "none":
        spec = f"{form.cadence} {form.checkin_day} {form.checkin_time.strftime('%H:%M')}"
        try:
            cadence = checkins.set_cadence(ctx.store, ctx.settings, journey.id, actor, spec, manager_tz=user_timezone(client, actor))
            note = f"Check-ins: *{cadence}* in your time zone."
        except RolebotError as exc:
            note = f"Check-ins were not set: {reason_text(exc)}"
    message = enrolled_reply(ctx.store, journey)
    if note:
        message["blocks"].insert(1, section(note))
    client.chat_postMessage(channel=actor, text=message["text"], blocks=message["blocks"])
