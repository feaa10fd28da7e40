"""Free-text questions answered from the full-text index, for the answer engine.

FTS5 is asked in stages (the question's phrase, then every key word, then all but one: never one big
OR, since bm25 scores every matching row), hits are ranked by how much of the question they cover
(corrected typos count less, adjacent words more, a role that says it owns the thing more still), and
the best roles' hits become answer parts, read back as structured KPI rows, items and goals.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from core.errors import RoleNotFound
from roles.answer.query import OWNERSHIP_WORDS, states_ownership
from roles.answer.render_text import join_lines, render_answer, shorten
from roles.answer.result import Answer, AnswerPart, RoleRef
from roles.answer.terms import Stemmer, Term, TermCorrector, staged_expressions
from roles.answer.vocabulary import STOPWORDS, AspectRequest, tokenize
from roles.model import Goal, Item, Section

if TYPE_CHECKING:
    from roles.answer.engine import _State

#: At most this many words go into one full-text search.
MAX_SEARCH_WORDS = 10
#: A search hit must contain at least this share of the question's (weighted) words to count.
MIN_COVERAGE = 0.6
#: Hits this far below the best coverage are dropped from a search answer.
COVERAGE_SPREAD = 0.2
SEARCH_LIMIT = 40
#: A search stage whose rarest word is in more rows than this is too broad to rank within the latency
#: budget (bm25 scores every matching row); such a question gets a "too general" answer.
MAX_RANKED_ROWS = 4000
#: After hits for the words as typed, at most this many broader stages are tried for other roles.
MAX_EXTRA_STAGES = 1
#: Search answers show the hits of this many best roles as structured KPI rows / items / goals.
STRUCTURED_ROLES = 5
#: Added to a hit's coverage for each pair of adjacent query words that are adjacent in the hit too.
PHRASE_BONUS = 0.08
#: How much a typo-corrected word counts towards a hit's coverage.
CORRECTED = 0.8
#: Added to a hit's coverage when the question asks who owns something and the hit says its role does.
OWNERSHIP_BONUS = 0.15
MAX_SEARCH_ROLES = 5
MAX_HITS_PER_ROLE = 6


class TextSearch:
    """Answers a question from the index's full text (see the module docstring).

    ``corrector_of(state)`` gives the typo corrector of an index generation and
    ``read_sections(state, id, paths)`` sections of a role by path (:meth:`roles.model.Role.section_at`);
    ``state`` is the engine's generation state.
    """

    def __init__(self, index: Any, stemmer: Stemmer, corrector_of: Callable[[_State], TermCorrector],
                 read_sections: Callable[[_State, int, set[tuple[int, ...]]], dict[tuple[int, ...], Section | None]]):
        self.index = index
        self._stemmer = stemmer
        self._corrector_of = corrector_of
        self._read_sections = read_sections

    def answer(
        self, query: str, tokens: list[str], skip: set[int], request: AspectRequest, state: _State, note: str,
        role_ids: list[int] | None = None,
    ) -> Answer | None:
        horizon_words = set()
        if request.horizon is not None:
            horizon_words = {tokens[i] for i in request.used if tokens[i].isdigit()}
        words = [w for i, w in enumerate(tokens)
                 if i not in skip and w not in STOPWORDS and len(w) > 1 and w not in horizon_words]
        words = list(dict.fromkeys(words))[:MAX_SEARCH_WORDS]
        if not words:
            return None
        light = {tokens[i] for i in request.used}
        corrector = self._corrector_of(state)
        terms = corrector.terms(words, light=light)
        total = sum(t.weight for t in terms) or 1.0
        if sum(t.weight for t in terms if t.known) / total < MIN_COVERAGE:
            return None  # words the index has never seen carry the question: no hit could count
        hits, broad = self._staged(terms, role_ids, _phrase(tokens, skip, terms))
        if broad:
            return self._broad(query, terms, state, note)
        scored = []
        owning = bool(set(tokens) & OWNERSHIP_WORDS)
        for order, hit in enumerate(hits):
            if hit.kind == "role":
                continue
            coverage = self.coverage(terms, hit.heading + " " + hit.text)
            if owning and self.owns(terms, hit.text):
                # "who is responsible for X": the role whose document says it owns X, not one that
                # merely mentions X.
                coverage += OWNERSHIP_BONUS
            if request.aspect and (hit.aspect == request.aspect or (request.aspect == "kpis" and hit.kind == "kpi")):
                coverage += 0.05
            scored.append((coverage, order, hit))
        if not scored:
            return None
        top = max(c for c, _, _ in scored)
        if top < MIN_COVERAGE:
            return None
        kept = sorted((s for s in scored if s[0] >= top - COVERAGE_SPREAD), key=lambda s: (-s[0], s[1]))
        role_order: list[int] = []
        per_role: dict[int, list] = {}
        for _, _, hit in kept:
            if hit.role_id not in per_role:
                if len(role_order) >= MAX_SEARCH_ROLES:
                    continue
                role_order.append(hit.role_id)
                per_role[hit.role_id] = []
            if len(per_role[hit.role_id]) < MAX_HITS_PER_ROLE:
                per_role[hit.role_id].append(hit)
        parts: list[AnswerPart] = []
        for rank, role_id in enumerate(role_order):
            ref = state.by_id.get(role_id)
            if ref is None:
                continue
            # Reading a role costs a JSON parse (then cached): roles beyond STRUCTURED_ROLES that are
            # not in the cache yet are shown from the hit text alone.
            structured = rank < STRUCTURED_ROLES or role_id in state.finders
            parts += self._hit_parts(ref, per_role[role_id], state, structured=structured)
        if not parts:
            return None
        refs = [state.by_id[r] for r in role_order if r in state.by_id]
        answer = Answer(kind="search", query=query, roles=refs, aspect=parts[0].aspect, section=parts[0].heading,
                        parts=parts)
        fixed = [f"{t.word} \u2192 {t.corrected}" for t in terms if t.corrected]
        intro = f"Best match: {refs[0].title} ({parts[0].heading})"
        if len(refs) > 1:
            intro += f"; also {', '.join(r.title for r in refs[1:])}"
        if fixed:
            intro += f"\n(read as: {', '.join(fixed)})"
        answer.notes = [note] if note else []
        answer.text = render_answer(answer, intro=join_lines(note, intro))
        return answer

    def _staged(self, terms: list[Term], role_ids: list[int] | None, phrase: tuple[list[Term], str]):
        """Hits of the first stage that has any (see ``staged_expressions``), and whether stages were
        skipped because their words are in too many rows to rank within the latency budget."""
        broad = False
        stages = staged_expressions(terms, MIN_COVERAGE, *phrase)
        phrased = bool(phrase[1]) and len(phrase[0]) >= 2  # stage 0 is then the words as typed
        for number, stage in enumerate(stages):
            if stage.bound > MAX_RANKED_ROWS and role_ids is None:
                broad = True
                continue
            hits = self.index.search(stage.expression, limit=SEARCH_LIMIT, role_ids=role_ids)
            if hits:
                if phrased and number == 0 and len(hits) < SEARCH_LIMIT:
                    hits = self._beyond_phrase(hits, stages[1:], role_ids)
                return hits, False
        return [], broad

    def _beyond_phrase(self, hits: list, stages: list, role_ids: list[int] | None) -> list:
        """Phrase hits (fewer than a full page) plus those of the first broader stage that finds another
        role.

        "which role owns the product roadmap": only one document says "product roadmap", but the
        role that owns "multi-horizon roadmaps" must still be weighed (coverage ranks them after).
        """
        roles = {h.role_id for h in hits}
        seen = {(h.role_id, h.section_path, h.kind, h.position, h.text) for h in hits}
        for stage in stages[:MAX_EXTRA_STAGES]:
            if stage.bound > MAX_RANKED_ROWS and role_ids is None:
                continue
            more = self.index.search(stage.expression, limit=SEARCH_LIMIT, role_ids=role_ids)
            if any(h.role_id not in roles for h in more):
                return hits + [h for h in more if (h.role_id, h.section_path, h.kind, h.position, h.text) not in seen]
        return hits

    def _broad(self, query: str, terms: list[Term], state: _State, note: str) -> Answer:
        """The question's words are in so many places that no role stands out: say so, suggest how."""
        words = " ".join(t.word for t in terms if not t.light) or " ".join(t.word for t in terms)
        example = state.roles[0].title.lower() if state.roles else "a role"
        answer = Answer(kind="no_match", query=query,
                        suggestions=[f"{example} {words}", "roles", "help"])
        intro = (f"\u201c{shorten(words)}\u201d comes up in many role documents, so no role stands out. "
                 "Add a role title or more specific words.")
        answer.text = render_answer(answer, intro=join_lines(note, intro))
        return answer

    def coverage(self, terms: list[Term], text: str) -> float:
        """Weighted share of the search terms that ``text`` contains (after stemming like the index).

        Query words that stand next to each other in the text too ("technical discovery workshops")
        add a little: a phrase match says more than the same words scattered.
        """
        total = sum(t.weight for t in terms) or 1.0
        sequence = self._stemmer.stems_of([w for w in tokenize(text) if w not in STOPWORDS])
        present = set(sequence)
        # A corrected typo is a guess: it counts, but less than a word found as typed.
        covered = sum(t.weight * (CORRECTED if t.corrected else 1.0) for t in terms if t.known and t.stem in present) / total
        if len(terms) > 1 and covered:
            pairs = set(zip(sequence, sequence[1:], strict=False))
            wanted = zip(terms, terms[1:], strict=False)
            covered += PHRASE_BONUS * sum(1 for a, b in wanted if (a.stem, b.stem) in pairs)
        return covered

    def owns(self, terms: list[Term], text: str) -> bool:
        """True when the text puts an ownership verb before one of the question's key words."""
        words = [w for w in tokenize(text) if w not in STOPWORDS or w in OWNERSHIP_WORDS]
        wanted = {t.stem for t in terms if t.known and not t.light and t.word not in OWNERSHIP_WORDS}
        return bool(wanted) and states_ownership(words, self._stemmer.stems_of(words), wanted)

    def _hit_parts(self, ref: RoleRef, hits, state: _State, structured: bool = True) -> list[AnswerPart]:
        """Search hits of one role as parts, hits of the same section merged.

        With ``structured`` the hits' sections are read so that KPI rows, items and goals come out as
        such; otherwise each hit is shown as its indexed text (every column of a KPI row, in one line).
        """
        sections: dict[tuple[int, ...], Section | None] = {}
        if structured:
            try:
                sections = self._read_sections(state, ref.id, {hit.section_path for hit in hits})
            except RoleNotFound:
                return []
        parts: dict[tuple, AnswerPart] = {}
        for hit in hits:
            section = sections.get(hit.section_path)
            key = (hit.section_path, hit.heading)
            part = parts.get(key)
            if part is None:
                part = AnswerPart(ref, hit.aspect, hit.heading)
                parts[key] = part
            if section is None:
                part.items.append(Item(hit.text))
            elif hit.kind == "kpi" and 0 <= hit.position < len(section.kpis):
                part.kpis.append(section.kpis[hit.position])
            elif hit.kind == "item" and 0 <= hit.position < len(section.items):
                part.items.append(section.items[hit.position])
            elif hit.kind in ("goal", "indicator") and 0 <= hit.position < len(section.goals):
                goal = section.goals[hit.position]
                shown = next((g for g in part.goals if g.heading == goal.heading), None)
                if shown is None:
                    shown = Goal(goal.horizon_days, goal.heading)
                    part.goals.append(shown)
                (shown.items if hit.kind == "goal" else shown.success_indicators).append(hit.text)
            else:
                part.text = join_lines(part.text, hit.text)
        return list(parts.values())


def _phrase(tokens: list[str], skip: set[int], terms: list[Term]) -> tuple[list[Term], str]:
    """The key terms and the run of query words from the first key word to the last, as typed.

    Empty when a key word was a corrected typo or is unknown: the phrase could then never match.
    """
    key = [t for t in terms if not t.light]
    if len(key) < 2 or any(t.corrected or not t.known for t in key):
        return [], ""
    wanted = {t.word for t in key}
    positions = [i for i, w in enumerate(tokens) if w in wanted and i not in skip]
    if not positions:
        return [], ""
    return key, " ".join(tokens[positions[0]: positions[-1] + 1])
