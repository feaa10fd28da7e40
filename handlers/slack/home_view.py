"""The App Home view: usage examples, the onboarding part (a hire's checklist, a manager's new hires)
first, then a role browser (every role with its aspects as buttons) a page at a time.

A Home view holds at most 100 blocks, so roles are shown a page at a time (Previous / Next) with a
type-ahead picker (``external_select``) that reaches every role. Building the view is apart from the
listeners (``handlers.slack.home``) so onboarding actions can republish Home without importing them.
"""

from __future__ import annotations

import logging
from typing import Any

from handlers.context import AppContext
from handlers.shared import aspect_label, button_value
from handlers.slack.blocks.parts import escape, mrkdwn, plain
from handlers.slack.onboarding.render import home_blocks
from roles.model import ASPECTS

#: Slack's limit of blocks in a Home view.
MAX_HOME_BLOCKS = 100
ROLES_PER_PAGE = 15
#: Aspect buttons per role (an actions block takes up to 25 elements; 10 keeps the row readable).
MAX_ASPECT_BUTTONS = 10
#: Aspects not worth a button of their own.
HIDDEN_ASPECTS = frozenset({"other", "facts"})
#: The type-ahead picker returns at most this many roles (Slack's limit for options).
MAX_OPTIONS = 100

ASPECT_ACTION = "home_aspect"
PAGE_ACTION = "home_page"
PICK_ACTION = "home_role_pick"


def _onboarding_blocks(ctx: AppContext, user_id: str, logger: logging.Logger) -> list[dict[str, Any]]:
    try:
        return list(home_blocks(ctx, user_id))
    except Exception:  # the role browser still shows when the onboarding part fails
        logger.exception("onboarding home blocks failed for user %s", user_id)
        return []


def _role_blocks(role: Any) -> list[dict[str, Any]]:
    aspects = [a for a in ASPECTS if role.aspects.get(a) and a not in HIDDEN_ASPECTS][:MAX_ASPECT_BUTTONS]
    facts = [f"`{escape(role.source_path)}`"]
    if role.kpi_count:
        facts.append(f"{role.kpi_count} KPIs")
    if role.goals:
        facts.append("goals for " + ", ".join(f"{d} days" for d in sorted(role.goals)))
    section = mrkdwn(f"*{escape(role.title)}*\n" + " · ".join(facts))
    buttons = [
        {"type": "button", "text": plain("Overview"), "action_id": f"{ASPECT_ACTION}:0", "value": button_value(role.title)}
    ]
    for number, aspect in enumerate(aspects, start=1):
        buttons.append({
            "type": "button",
            "text": plain(aspect_label(aspect)),
            "action_id": f"{ASPECT_ACTION}:{number}",
            "value": button_value(f"{role.title} {aspect_label(aspect)}"),
        })
    return [section, {"type": "actions", "block_id": f"role_{role.id}", "elements": buttons}]


def home_view(ctx: AppContext, user_id: str, page: int = 0, logger: logging.Logger | None = None) -> dict[str, Any]:
    """The Home view for ``user_id`` showing page ``page`` of the role browser."""
    logger = logger or logging.getLogger(__name__)
    roles = ctx.index.list_roles() if ctx.index.is_ready() else []
    examples = "\n".join(f"• `/role {escape(e)}`" for e in ctx.engine.examples())
    intro = [
        {"type": "header", "text": plain("rolebot: every role, one command away")},
        mrkdwn("Ask about any role with `/role` in any channel; answers are private until you share them.\n"
               + examples),
        {"type": "divider"},
    ]
    # A hire's checklist (or a manager's new hires) is what they open Home for: it comes first.
    journey = _onboarding_blocks(ctx, user_id, logger)
    if journey:
        journey = [*journey, {"type": "divider"}]
    # Room left for roles after the intro, the onboarding part and the browser's own 3 blocks.
    room = MAX_HOME_BLOCKS - len(intro) - len(journey) - 3
    per_page = max(1, min(ROLES_PER_PAGE, room // 2))
    pages = max(1, -(-len(roles) // per_page))
    page = min(max(page, 0), pages - 1)
    shown = roles[page * per_page:(page + 1) * per_page]

    browser: list[dict[str, Any]] = []
    if not roles:
        browser.append(mrkdwn("*Roles*\nThe role index is not ready yet: rolebot is still reading the role documents."))
    else:
        pick = {
            "type": "external_select",
            "action_id": PICK_ACTION,
            "placeholder": plain("Find a role…"),
            "min_query_length": 1,
        }
        browser.append({
            "type": "section",
            "text": {"type": "mrkdwn", "text": f"*Roles* ({len(roles)}) · page {page + 1} of {pages}"},
            "accessory": pick,
        })
        for role in shown:
            browser.extend(_role_blocks(role))
        nav = []
        if page > 0:
            nav.append({"type": "button", "text": plain("◀ Previous"), "action_id": f"{PAGE_ACTION}:prev",
                        "value": str(page - 1)})
        if page + 1 < pages:
            nav.append({"type": "button", "text": plain("Next ▶"), "action_id": f"{PAGE_ACTION}:next",
                        "value": str(page + 1)})
        if nav:
            browser.append({"type": "actions", "block_id": "home_nav", "elements": nav})
    blocks = [*intro, *journey, *browser][:MAX_HOME_BLOCKS]
    return {"type": "home", "blocks": blocks}
