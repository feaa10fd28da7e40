"""Recover table columns from plain text where each row was collapsed into one line.

Scraped pages turn ``<table>`` rows into lines whose cells are separated by single spaces:

    Metric name What it measures Why it matters Example target / benchmark Frequency
    Error budget burn rate Burn relative to error budget policy Links reliability to ... Weekly

The header line tells how many columns there are. In a row, a new cell starts at a token that begins
with an uppercase letter, a digit or a symbol such as % # ≥ ≤ < > + ~ (cells are written as phrases
starting with a capital or a number), never after a word that needs a complement ("by", "of", "or"),
a comma or a slash; starts at acronyms ("SLOs") or inside a run of capitalised words ("Onboarding
Cycle Time") are possible but weaker. The last column often comes from a small vocabulary
(frequencies such as "Weekly/Monthly", or "Common / Optional"), which fixes it first. Among the
remaining candidate starts every combination is scored (with a few priors per KPI column, e.g. targets
start with a number or a comparison) and the best is kept only if it clearly beats the runner-up;
otherwise the row is reported as unrecoverable and the caller keeps its whole text. Tables without
KPI columns are trusted only when there was no choice at all.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

_FREQ_WORD = (r"(?:daily|weekly|bi-?weekly|fortnightly|monthly|bi-?monthly|quarterly|semi-?annual(?:ly)?|"
              r"bi-?annual(?:ly)?|annual(?:ly)?|yearly|ongoing|continuous(?:ly)?|real-time|ad hoc|"
              r"per [a-z-]+(?:/[a-z-]+)?|each [a-z-]+|every [a-z-]+(?: [a-z-]+)?|after [a-z-]+)")
FREQUENCY = re.compile(rf"^{_FREQ_WORD}(?:\s*(?:/|,|or|and|&)\s*{_FREQ_WORD})*$", re.IGNORECASE)
_STATUS_WORD = r"(?:common|optional|context-specific|required|critical|important|nice-to-have|rare)"
STATUS = re.compile(rf"^{_STATUS_WORD}(?:\s*(?:/|,|or)\s*{_STATUS_WORD})*$", re.IGNORECASE)
_WEIGHT = re.compile(r"^~?\d{1,3}(\.\d+)?\s?%$")

_SYMBOL_START = tuple("%#≥≤<>+~±$€£")
# First words of a "what it measures" cell.
_MEASURE_WORDS = frozenset("""number time share percentage count rate average days ratio usage mean median total
coverage proportion amount frequency volume""".split())
# Words after which a cell cannot end: the next token completes them ("by 20%", "of Sev1", "per API").
_BINDING = frozenset("""a an the of to by for with in on at from into over under within than or and nor but
per via as vs vs. versus e.g. i.e. maintain maintaining reduce improve increase is are be""".split())
_TARGET_VERBS = frozenset("""reduce improve increase decrease maintain stable trend trending evidence at within
achieve zero no all sustain keep positive context-specific targets""".split())


@dataclass
class SplitResult:
    """Cells of a row, and whether the split is certain enough to trust."""

    cells: list[str]
    confident: bool


def split_header(line: str) -> list[str]:
    """Header cells: each starts with a capital word not joined to the previous one by "/" or "&"."""
    tokens = line.split()
    cells: list[list[str]] = []
    for n, token in enumerate(tokens):
        joined = n > 0 and (tokens[n - 1] in ("/", "&", "-", "–") or tokens[n - 1].endswith(("/", "&")))
        if cells and (joined or token in ("/", "&") or not _starts_upper(token)):
            cells[-1].append(token)
        else:
            cells.append([token])
    return [" ".join(cell) for cell in cells]


def split_row(line: str, columns: int, fields: list[str | None] | None = None) -> SplitResult:
    """Split one collapsed row into ``columns`` cells; ``fields`` are KPI field names per column."""
    tokens = line.split()
    if columns <= 1:
        return SplitResult([line.strip()], True)
    if len(tokens) < columns:
        return SplitResult([line.strip()], False)
    last_kind = (fields[-1] if fields else None) or ""
    tail = _vocabulary_tail(tokens, last_kind)
    if tail:
        body, last = tokens[:-tail], [" ".join(tokens[-tail:])]
        needed = columns - 1
    else:
        body, last = tokens, []
        needed = columns
    if needed == 1:
        return SplitResult([" ".join(body)] + last, bool(body))
    if len(body) < needed:
        return SplitResult([line.strip()], False)
    weights = {i: w for i in range(1, len(body)) if (w := _weight(body, i)) is not None}
    candidates = sorted(weights)
    if len(candidates) < needed - 1:
        return SplitResult([line.strip()], False)
    if len(candidates) > 14:
        # Rows with a capital on every word (lists of product names) have too many ways to split.
        return SplitResult([line.strip()], False)
    kinds = (fields or [None] * columns)[: needed]
    scored = sorted(((_score(body, combo, kinds) + sum(weights[i] for i in combo), combo)
                     for combo in itertools.combinations(candidates, needed - 1)), reverse=True)
    best_score, best = scored[0]
    margin = best_score - scored[1][0] if len(scored) > 1 else 99.0
    cuts = (0, *best, len(body))
    cells = [" ".join(body[a:b]) for a, b in itertools.pairwise(cuts)] + last
    # Certain when there was no choice, or the winner is clearly better than any other split.
    confident = len(scored) == 1 or margin >= 1.0
    if confident and fields is None:
        # Without column priors (tools, scorecards) only a split with no weaker alternative at all is
        # trusted: a start after another capitalised word ("Google Docs", "Top 10") or at an acronym
        # ("PRDs") leaves real doubt.
        confident = all(weight == 0.0 for weight in weights.values()) and len(weights) == needed - 1
    return SplitResult(cells, confident)


def _starts_upper(token: str) -> bool:
    token = token.lstrip("(“\"'")
    return bool(token) and (token[0].isupper() or token[0].isdigit())


def _vocabulary_tail(tokens: list[str], kind: str) -> int:
    """How many trailing tokens form the last column when it comes from a known vocabulary."""
    for size in range(min(5, len(tokens) - 1), 0, -1):
        tail = " ".join(tokens[-size:])
        if kind in ("frequency", "") and FREQUENCY.match(tail):
            return size
        if kind in ("", None) and (STATUS.match(tail) or _WEIGHT.match(tail)):
            return size
    return 0


def _is_acronym(token: str) -> bool:
    """API, SLOs, QoQ, (DORA), CSAT/NPS, FinOps: two or more capitals in the token's first word."""
    word = re.split(r"[/-]", token.strip("()“”\"',.;:"), maxsplit=1)[0]
    return sum(ch.isupper() for ch in word) >= 2


def _weight(tokens: list[str], i: int) -> float | None:
    """How plausible a new cell starting at token ``i`` is: None when impossible, else 0 or a penalty."""
    token, previous = tokens[i], tokens[i - 1]
    if previous.lower().rstrip(",;:") in _BINDING or previous.endswith((",", ";", ":", "/", "&", "(", "-", "–")):
        return None
    if token in ("/", "&", "-", "–") or previous in ("/", "&"):
        return None
    if len(previous) == 1 and previous in _SYMBOL_START:
        return None  # "≥ 95%": a comparison sign written apart from its number
    if len(token) == 1 and token in _SYMBOL_START and _is_acronym(previous):
        return None  # "CSAT ≥ 4.5/5": the measure named before its comparison belongs to it
    # Inside a run of capitalised words ("Onboarding Cycle Time", "Positive 360") a cell boundary is
    # possible but less likely than after a lower-case word.
    # Acronyms often end a cell ("... aging WIP"), so they weaken the next start less than a word does.
    after_capital = -0.25 if _is_acronym(previous) else -0.75 if previous[:1].isupper() else 0.0
    if token.startswith(_SYMBOL_START):
        return 0.0
    if token.startswith("(") or token.startswith(("“", '"')):
        return None
    first = token[0]
    if first.isdigit():
        return after_capital
    if not first.isupper():
        return None
    # Acronyms (API, SLOs, QoQ) and product names sit inside cells more often than they start one.
    return after_capital - (1.0 if _is_acronym(token) else 0.0)


def _score(tokens: list[str], cuts: tuple[int, ...], kinds: list[str | None]) -> float:
    bounds = (0, *cuts, len(tokens))
    score = 0.0
    for column, (start, end) in enumerate(itertools.pairwise(bounds)):
        cell = tokens[start:end]
        kind = kinds[column] if column < len(kinds) else None
        first = cell[0]
        lower = first.lower().strip("“\"(")
        size = len(cell)
        if kind == "name":
            score += 1.0 if size <= 9 else -1.0
            # A Title Case name ("Onboarding Cycle Time") is not cut inside its run of capitals.
            if end < len(tokens) and _title_run(tokens) > end:
                score -= 1.0
        elif kind == "target":
            if first.startswith(_SYMBOL_START) or first[0].isdigit() or lower in _TARGET_VERBS:
                score += 1.5
        elif kind == "measures":
            if first.startswith(("%", "#")) or lower in _MEASURE_WORDS:
                score += 1.0
        elif kind == "why":
            if lower.endswith("s") and not lower.endswith("ss"):
                score += 0.5
        # Cells of a sentence-like column are rarely a single word.
        if size == 1 and kind in ("measures", "why"):
            score -= 1.0
        # A digit-led cell that is only a number glued to the previous phrase ("Sev1", "2") is suspect,
        # and so is a cell led by a lone capital letter ("within last N months").
        if column > 0 and first[0].isdigit() and size == 1 and kind != "target":
            score -= 0.5
        if column > 0 and len(first) == 1 and first.isalpha():
            score -= 1.0
    return score


def _title_run(tokens: list[str]) -> int:
    """Length of the run of capitalised words a row starts with (1 for a sentence-case name)."""
    run = 0
    for token in tokens:
        if not token[:1].isupper():
            break
        run += 1
    return run
