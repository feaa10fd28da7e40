"""The one place that turns a stream of document blocks into role sections.

Every text format (blog HTML, scraped text, Markdown) is reduced by its loader to the same few block
events: a heading with a level, a paragraph (maybe with a bold lead-in label), a list of items, a
table. :class:`SectionBuilder` nests sections by heading level, gives each its canonical aspect, turns
"30-day goals" headings into :class:`Goal` objects (with the "Success indicators" that follow them),
and KPI tables into :class:`Kpi` rows, so these rules exist once for all formats.
"""

from __future__ import annotations

import re

from roles.aspects import aspect_for_heading, clean_heading, is_goal_heading, parse_horizon
from roles.model import Goal, Item, Kpi, Section

# Inline bullets: an en dash after a line start or white space, followed by a space ("– a – b").
# En dashes between digits ("3–4 weeks") have no spaces and stay; em dashes are prose, not bullets.
_INLINE_BULLET = re.compile(r"(?:^|(?<=\s))–\s+")
_INDICATORS = re.compile(r"\bsuccess (indicators?|criteria|measures|signals|metrics)\b|\bhow (we|you)'?ll know\b",
                         re.IGNORECASE)
_TIMELINE = re.compile(r"\b(timeline|time ?frame|period|phase|when|horizon|milestone|stage)s?\b", re.IGNORECASE)
_INDICATOR_COLUMN = re.compile(r"success|indicator|measur|signal|how (we|you)'?ll know|evidence", re.IGNORECASE)
_LABEL = re.compile(r"^([^:.;!?]{2,70}?):\s+(\S.*)$", re.DOTALL)

#: KPI table columns, in the order a header cell is tested against them (first unused match wins).
_KPI_FIELDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("name", re.compile(r"\bmetric\b|\bkpis?\b|\bindicator\b|\bmeasure name\b|^name$", re.IGNORECASE)),
    ("type", re.compile(r"^(type|category|kind|dimension)$", re.IGNORECASE)),
    ("measures", re.compile(r"\bmeasures?\b|\bdefinition\b|\bdescription\b|\bwhat\b", re.IGNORECASE)),
    ("why", re.compile(r"\bwhy\b|\brationale\b|\bimportance\b|\bmatters\b", re.IGNORECASE)),
    ("target", re.compile(r"\btarget\b|\bbenchmark\b|\bgoal\b|\bthreshold\b", re.IGNORECASE)),
    ("frequency", re.compile(r"\bfrequency\b|\bcadence\b|\bhow often\b|\breview(ed)?\b|\breporting period\b",
                             re.IGNORECASE)),
)


def norm(text: str) -> str:
    """Text with runs of white space collapsed to one space, trimmed."""
    return " ".join(text.split())


def split_inline_bullets(text: str) -> tuple[str, list[str]]:
    """Split "Lead: – a – b" into ("Lead:", ["a", "b"]); text without such a run comes back whole.

    One dash is a bullet only after a colon or at the start ("Success indicators: – a"); otherwise
    two or more are needed, so a single parenthetical dash in prose does not split a sentence.
    """
    if "–" not in text:
        return norm(text), []
    parts = _INLINE_BULLET.split(text)
    if len(parts) < 2:
        return norm(text), []
    intro = norm(parts[0])
    bullets = [norm(part) for part in parts[1:] if norm(part)]
    if not bullets:
        return norm(text), []
    if len(bullets) == 1 and intro and not intro.endswith(":"):
        return norm(text), []
    if len(bullets) >= 2 and len(intro) > 160 and not intro.endswith(":"):
        return norm(text), []
    return intro, bullets


def split_label(text: str) -> tuple[str, str]:
    """("Key", "value") for "Key: value" entries with a short key; ("", text) otherwise."""
    match = _LABEL.match(text)
    if not match:
        return "", text
    label = match.group(1).strip()
    if len(label.split()) > 7 or label[-1:].isdigit():
        return "", text
    return label, match.group(2).strip()


def kpi_columns(header: list[str]) -> list[str | None] | None:
    """Map a table header to Kpi fields, or None when the table is not a KPI table."""
    used: set[str] = set()
    fields: list[str | None] = []
    for cell in header:
        found = None
        for name, pattern in _KPI_FIELDS:
            if name not in used and pattern.search(cell.strip()):
                found = name
                break
        if found:
            used.add(found)
        fields.append(found)
    if "name" not in used and fields and fields[0] == "measures":
        # "Measure | Goal | Frequency": a first column that names what is measured is the KPI's name.
        fields[0] = "name"
        used = (used - {"measures"}) | {"name"}
    # The name column may come anywhere ("Target | KPI | Cadence"), but it must be there.
    if "name" in used and ({"target", "frequency", "measures"} & used):
        return fields
    return None


def kpi_from_cells(fields: list[str | None], cells: list[str]) -> Kpi:
    """A Kpi from one row whose cells line up with ``kpi_columns`` fields."""
    values = {name: norm(cell) for name, cell in zip(fields, cells, strict=False) if name}
    return Kpi(**values) if values.get("name") else Kpi(name=norm(" ".join(cells)), structured=False)


def item_text(item: Item) -> str:
    """One line for an item: "Label: text" (or just the text when there is no distinct label)."""
    if item.label and item.text != item.label:
        return f"{item.label}: {item.text}"
    return item.text


def group_under_labels(items: list[Item]) -> list[Item]:
    """Nest flattened sub-lists: a label-only entry ("Startup / scale-up:") owns the plain entries after it.

    Exported pages often lose list nesting, leaving the group title as an entry of its own followed by
    its members at the same level; we restore the nesting when a label-only entry leads such a run.
    """
    if not any(_label_only(item) for item in items):
        return items
    grouped: list[Item] = []
    owner: Item | None = None
    for item in items:
        if _label_only(item):
            owner = item
            grouped.append(item)
        elif owner is not None and not item.label:
            owner.children.append(item.text)
        else:
            owner = None
            grouped.append(item)
    return grouped


def _label_only(item: Item) -> bool:
    return bool(item.label) and item.text == item.label and not item.children


class SectionBuilder:
    """Receives block events in document order and builds the section tree of one role."""

    def __init__(self) -> None:
        self.sections: list[Section] = []
        self._stack: list[tuple[int, Section]] = []
        self._goal: Goal | None = None
        self._indicators_for: Goal | None = None
        self._pending_label = ""
        #: True while content goes to ``_indicators_for`` because a "Success indicators" heading opened it.
        self._indicators_open = False

    @property
    def current(self) -> Section:
        """The section that content goes into (a "Summary" section for content before any heading)."""
        if not self._stack:
            self.heading(1, "Summary")
        return self._stack[-1][1]

    def has_content(self) -> bool:
        """True once any heading or content has been added."""
        return bool(self.sections)

    def heading(self, level: int, text: str, aspect: str | None = None) -> Section:
        """Open a section at ``level`` (1 = top-level section) and make it current.

        ``aspect`` overrides the aspect the heading implies (for sections a loader synthesises, such
        as the "Facts" of a ladder page).
        """
        heading = clean_heading(text) or norm(text)
        found = self._indicators_heading(level, heading) if aspect is None else None
        if found is not None:
            # "#### Success indicators" (or a sibling "**Success indicators**") after a goal heading holds
            # that goal's indicators: everything under it goes there, not into a section of its own.
            section, self._indicators_for = found
            self._goal, self._pending_label, self._indicators_open = None, "", True
            return section
        self._indicators_open = False
        while self._stack and self._stack[-1][0] >= level:
            self._stack.pop()
        parent = self._stack[-1][1] if self._stack else None
        aspect = aspect or aspect_for_heading(heading, parent.aspect if parent else None)
        section = Section(aspect=aspect, heading=heading)
        self._goal = None
        self._indicators_for = None
        self._pending_label = ""
        if aspect == "goals" and is_goal_heading(heading):
            horizon = parse_horizon(heading)
            if horizon is not None:
                self._goal = Goal(horizon_days=horizon, heading=heading)
                section.goals.append(self._goal)
        if parent is None:
            self.sections.append(section)
        else:
            parent.subsections.append(section)
        self._stack.append((level, section))
        return section

    def paragraph(self, text: str, label: str = "") -> None:
        """A paragraph; ``label`` is its bold lead-in ("Core mission:") when the format marks one."""
        intro, bullets = split_inline_bullets(text)
        label = norm(label).rstrip(":").strip()
        if not label and bullets and intro.endswith(":"):
            label, intro = intro.rstrip(":").strip(), ""
        if not label and not intro and not bullets:
            return
        if self._indicators_open and self._indicators_for is not None:
            lead = f"{label}: {intro}" if label and intro else label or intro
            self._indicators_for.success_indicators.extend([lead, *bullets] if lead else bullets)
            return
        goal = self._goal_for(label or intro)
        if goal is not None:
            if bullets:
                goal.success_indicators.extend(bullets)
                self._indicators_for = None
            else:
                rest = intro if label else ""
                if rest:
                    goal.success_indicators.append(rest)
                else:
                    self._indicators_for = goal
            return
        if self._goal is not None and not label:
            if bullets:
                self._goal.items.extend(bullets)
            elif intro:
                self._append_text(intro)
            return
        if self._pending_label and not label:
            label, self._pending_label = self._pending_label, ""
        if bullets:
            if label or intro:
                # A short lead ("Strategy and planning – a – b") names the group; a long one is its text.
                if not label and len(intro.split()) <= 8:
                    label = intro
                self.current.items.append(Item(text=intro or label, label=label, children=bullets))
            else:
                self.current.items.extend(self._bullet_item(b) for b in bullets)
        elif label and intro:
            self.current.items.append(Item(text=intro, label=label))
        elif label:
            # A lead-in on its own ("Core mission:") labels what follows it.
            self._pending_label = label
        else:
            self._append_text(intro)

    def items(self, items: list[Item]) -> None:
        """A list's entries, in order."""
        items = group_under_labels([item for item in items if item.text or item.children])
        if not items:
            return
        if self._indicators_for is not None:
            self._indicators_for.success_indicators.extend(item_text(i) for i in items)
            if not self._indicators_open:
                self._indicators_for = None
            return
        if self._goal is not None:
            self._goal.items.extend(item_text(i) for i in items)
            return
        goals = self._goal_items(items)
        if goals:
            self.current.goals.extend(goals)
            return
        if self._pending_label:
            label, self._pending_label = self._pending_label, ""
            self.current.items.append(Item(text=label, label=label, children=[item_text(i) for i in items]))
            return
        self.current.items.extend(items)

    def table(self, header: list[str], rows: list[list[str]]) -> None:
        """A table: KPI rows when the header names KPI columns, otherwise items with ``fields``."""
        header = [norm(cell) for cell in header]
        if not any(header) and rows and kpi_columns([norm(cell) for cell in rows[0]]) is not None:
            # Tables written without a header row (HTML with only <td>, Markdown with an empty header)
            # often carry their column names in the first row.
            header, rows = [norm(cell) for cell in rows[0]], rows[1:]
        goals = self._goal_rows(header, rows)
        if goals:
            self.current.goals.extend(goals)
            return
        fields = kpi_columns(header) if header else None
        if fields is not None:
            self.kpis([kpi_from_cells(fields, row) for row in rows if any(c.strip() for c in row)])
            return
        items = []
        for row in rows:
            cells = [norm(cell) for cell in row]
            if not any(cells):
                continue
            if header and len(header) == len(cells):
                mapping = {h or f"Column {n + 1}": c for n, (h, c) in enumerate(zip(header, cells, strict=True))}
                others = [(h, c) for h, c in list(mapping.items())[1:] if c]
                # Two-column tables ("Category | Summary") read best as label and value.
                rest = others[0][1] if len(others) == 1 else "; ".join(f"{h}: {c}" for h, c in others)
                items.append(Item(text=rest or cells[0], label=cells[0], fields=mapping))
            else:
                items.append(Item(text=" | ".join(c for c in cells if c)))
        self.items(items)

    def _goal_items(self, items: list[Item]) -> list[Goal]:
        """Goals from a list in a goals section whose every entry names a horizon.

        "- **30 days:** Learn the product" (a labelled entry) or "- First 30 days" with nested entries.
        """
        # The pending label first: asking for ``current`` may open a "Summary" section, which clears it.
        if self._pending_label or self.current.aspect != "goals":
            return []
        goals = []
        for item in items:
            if item.label and parse_horizon(item.label) is not None:
                rest = [item.text] if item.text and item.text != item.label else []
                goals.append(Goal(parse_horizon(item.label), item.label, rest + item.children))
            elif not item.label and item.children and parse_horizon(item.text) is not None and len(item.text.split()) <= 6:
                goals.append(Goal(parse_horizon(item.text), item.text, list(item.children)))
            else:
                return []
        return goals

    def _goal_rows(self, header: list[str], rows: list[list[str]]) -> list[Goal]:
        """Goals from a plan table ("Timeline | Goals | Success indicators") whose rows each name a horizon.

        Only in a goals section or under a first column named like a timeline, so that a table of, say,
        review cadences elsewhere is not read as goals.
        """
        rows = [[norm(cell) for cell in row] for row in rows if any(cell.strip() for cell in row)]
        first = header[0] if header else ""
        if not rows or not (self.current.aspect == "goals" or _TIMELINE.search(first)):
            return []
        horizons = [parse_horizon(row[0]) for row in rows]
        if any(h is None for h in horizons):
            return []
        goals = []
        for horizon, row in zip(horizons, rows, strict=True):
            goal = Goal(horizon_days=horizon, heading=row[0])
            for n, cell in enumerate(row[1:], start=1):
                name = header[n] if n < len(header) else ""
                if cell:
                    (goal.success_indicators if _INDICATOR_COLUMN.search(name) else goal.items).append(cell)
            goals.append(goal)
        return goals

    def kpis(self, kpis: list[Kpi]) -> None:
        """KPI rows recovered by a loader (e.g. from a collapsed plain-text table)."""
        self.current.kpis.extend(kpis)

    def attach(self, heading: str, items: list[Item], text: str = "") -> None:
        """A sub-section that stands apart from the flow, such as a Markdown ``<details>`` block."""
        parent = self.current
        section = Section(aspect=aspect_for_heading(heading, parent.aspect), heading=clean_heading(heading) or heading,
                          text=norm(text), items=items)
        parent.subsections.append(section)

    def _goal_for(self, lead: str) -> Goal | None:
        """The goal a "Success indicators (30 days):" lead-in belongs to, if it is one."""
        if not lead or not _INDICATORS.search(lead):
            return None
        horizon = parse_horizon(lead)
        if self._goal is not None and (horizon is None or horizon == self._goal.horizon_days):
            return self._goal
        for _, section in reversed(self._stack):
            for goal in section.goals:
                if horizon is None or goal.horizon_days == horizon:
                    return goal
        return None

    def _indicators_heading(self, level: int, heading: str) -> tuple[Section, Goal] | None:
        """The open section and goal a "Success indicators" heading belongs to, if any.

        Only a heading at the goal's level or below belongs to it: a higher one (a role-level "Success
        metrics" after the goals section) is about the role as a whole.
        """
        if not _INDICATORS.search(heading):
            return None
        horizon = parse_horizon(heading)
        for goal_level, section in reversed(self._stack):
            if level < goal_level:
                continue
            for goal in reversed(section.goals):
                if horizon is None or goal.horizon_days == horizon:
                    return section, goal
        return None

    def _append_text(self, text: str) -> None:
        section = self.current
        section.text = f"{section.text}\n\n{text}" if section.text else text

    @staticmethod
    def _bullet_item(text: str) -> Item:
        label, rest = split_label(text)
        return Item(text=rest, label=label)
