"""Plain-text rendering of an :class:`~roles.answer.result.Answer`: every item, every KPI column, no truncation.

The console, the CLI and the scorer read this text; Slack renders the structured parts instead.
"""

from __future__ import annotations

from roles.answer.result import Answer, AnswerPart, RoleRef
from roles.model import Goal, Item, Kpi

BULLET = "\u2022"
INDENT = "    "


def render_item(item: Item) -> list[str]:
    """An item as bullet lines: its label and text, table fields, then nested children."""
    if item.label and item.text and not item.text.startswith(item.label):
        head = f"{item.label}: {item.text}"
    else:
        head = item.text or item.label
    extra = [f"{k}: {v}" for k, v in item.fields.items() if v and v not in head]
    if extra and not head:
        head, extra = extra[0], extra[1:]
    lines = [f"{BULLET} {head}".rstrip()]
    lines += [f"{INDENT}{field}" for field in extra]
    lines += [f"{INDENT}- {child}" for child in item.children]
    return lines


def render_kpi(kpi: Kpi) -> list[str]:
    """A KPI row with every column the document gives (what, why, target, frequency, type)."""
    name = f"{kpi.name} ({kpi.type})" if kpi.type else kpi.name
    lines = [f"{BULLET} {name}"]
    for label, value in (
        ("What it measures", kpi.measures),
        ("Why it matters", kpi.why),
        ("Target", kpi.target),
        ("Frequency", kpi.frequency),
    ):
        if value:
            lines.append(f"{INDENT}{label}: {value}")
    return lines


def render_goal(goal: Goal, with_heading: bool = True) -> list[str]:
    """One goal horizon: its heading, the goals and the success indicators."""
    lines = [goal.heading or f"{goal.horizon_days}-day goals"] if with_heading else []
    lines += [f"{BULLET} {text}" for text in goal.items]
    if goal.success_indicators:
        lines.append("Success indicators:")
        lines += [f"{BULLET} {text}" for text in goal.success_indicators]
    return lines


def render_part(part: AnswerPart, show_heading: bool = True) -> list[str]:
    """One section (or search hit) of one role."""
    lines: list[str] = []
    single_goal = len(part.goals) == 1 and part.goals[0].heading == part.heading
    if show_heading and part.heading:
        lines.append(part.heading)
    if part.text.strip():
        lines.append(part.text.strip())
    for item in part.items:
        lines += render_item(item)
    for kpi in part.kpis:
        lines += render_kpi(kpi)
    for goal in part.goals:
        lines += render_goal(goal, with_heading=not single_goal)
    return lines


def role_line(role: RoleRef) -> str:
    """"Title (source document, link)"."""
    where = ", ".join(x for x in (role.source, role.link or "") if x)
    return f"{role.title} ({where})" if where else role.title


def render_parts(parts: list[AnswerPart], by_role: bool) -> list[str]:
    """Parts in order; with ``by_role`` a role line starts each run of parts of one role."""
    lines: list[str] = []
    current: int | None = None
    for part in parts:
        if by_role and part.role.id != current:
            if lines:
                lines.append("")
            lines.append(f"== {role_line(part.role)} ==")
            current = part.role.id
        elif lines:
            lines.append("")
        lines += render_part(part)
    return lines


def render_answer(answer: Answer, intro: str = "", outro: str = "") -> str:
    """The full plain text of an answer: an intro line, every part, then an outro (suggestions etc.)."""
    lines: list[str] = []
    if intro:
        lines.append(intro)
    body = render_parts(answer.parts, by_role=len({p.role.id for p in answer.parts}) > 1 or answer.kind in (
        "search", "compare"))
    if body:
        if lines:
            lines.append("")
        lines += body
    if answer.suggestions and answer.kind not in ("help", "list"):
        lines += ["", "Did you mean: " + "; ".join(answer.suggestions)]
    if outro:
        lines += ["", outro]
    return "\n".join(lines).strip() + "\n"


def shorten(text: str, limit: int = 80) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def join_lines(*texts: str) -> str:
    """The non-empty ``texts``, one per line."""
    return "\n".join(t for t in texts if t)
