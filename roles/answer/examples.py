"""Questions worth trying, built from the index and checked against it.

Help texts, the console's "Try:" and the Home tab all show these. Each candidate is asked of the
engine before it is offered: one that would answer "no section about …", find nothing or ask the user
to pick is left out, so an example never demonstrates a miss.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from roles.answer.result import Answer

#: Examples when no role is indexed (or the index cannot be read): they show the shapes of questions.
GENERIC_EXAMPLES = ("sre kpis", "what should a data analyst do in the first 30 days?", "L4 solutions architect",
                    "who owns reference architectures?", "roles")
#: At most this many examples are offered.
MAX_EXAMPLES = 7
#: Kinds of answer that show what rolebot knows (a list of roles is only "roles").
_GOOD_KINDS = frozenset({"role_section", "role_overview", "compare", "search"})


def candidates(summaries: Sequence, first_kpi: Callable[[int], str]) -> list[str]:
    """Questions about the indexed roles: one role's parts, a KPI across roles, two roles compared.

    ``summaries`` are the index's role summaries; ``first_kpi(role_id)`` names a KPI of a role.
    """
    if not summaries:
        return []
    # A role with KPIs and goals shows the most; the second role is the one to compare it with.
    first = next((s for s in summaries if s.kpi_count and s.goals), summaries[0])
    title = first.title
    examples = [f"{title} kpis", f"what should a {title.lower()} do in the first 90 days?",
                f"what does a {title.lower()} do day to day", f"who does the {title.lower()} report to"]
    if first.kpi_count:
        name = re.sub(r"\s*\([^)]*\)", "", first_kpi(first.id)).strip().lower()
        if name:
            examples.append(f"which roles track {name}")
    other = next((s for s in summaries if s.title != first.title), None)
    if other is not None:
        examples.append(f"compare {title} and {other.title} kpis" if first.kpi_count and other.kpi_count
                        else f"compare {title} and {other.title}")
    return examples


def answered(examples: Sequence[str], ask: Callable[[str], Answer]) -> list[str]:
    """The examples whose answer shows something without a note about what is missing, plus "roles"."""
    kept = []
    for example in examples:
        answer = ask(example)
        if answer.kind in _GOOD_KINDS and not answer.notes:
            kept.append(example)
    return [*kept[:MAX_EXAMPLES - 1], "roles"]
