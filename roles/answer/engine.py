"""The answer engine: a ``/role`` query in, an :class:`~roles.answer.result.Answer` out. Never raises.

A query is read in this order (Slack markup, HTML entities and emoji codes dropped first, misspelt
aspect words read as meant; see :mod:`roles.answer.query`):

1. empty, ``help`` or small talk ("thanks") -> help; the index not ready -> not_ready;
0. with the last answer of the conversation, a follow-up that names no role ("and the 60 day ones?")
   is read as a whole question about its role (:mod:`roles.answer.followup`);
2. ``list`` / ``roles`` -> every role; two levels of one career ladder compared, or what changes on
   promotion (:mod:`roles.answer.ladder`);
3. ``compare A and B [aspect]`` / ``A vs B`` (or several roles named in full, "ptpm and pse kpis")
   -> the roles, the aspect side by side;
4. a role named in it (:mod:`roles.answer.resolve`) -> the part of that role the rest asks for
   (:mod:`roles.answer.vocabulary`, :mod:`roles.answer.sections`); only words of role names ("principal",
   "L4") -> the roles that hold them;
5. otherwise a free-text search over every role (FTS5 bm25, typo-corrected terms, a relevance
   threshold on how much of the question a hit covers), which also serves KPI look-ups across roles;
6. nothing relevant -> no_match with suggestions, never a confident wrong answer; an answer that
   shows something near what was asked says what is missing.

Everything derived from the index (role list, resolver, per-role section finders, term corrector) is
cached and keyed by ``index.generation()``, so a typical ask costs a few rapidfuzz calls and at most one
FTS query.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import OSA

from core.errors import IndexNotReady, RolebotError, RoleNotFound
from roles.answer import memory
from roles.answer.conversation import LastAnswer
from roles.answer.examples import GENERIC_EXAMPLES, answered, candidates
from roles.answer.followup import read_followup
from roles.answer.ladder import ladder_answer, read_question
from roles.answer.levels import Ladders
from roles.answer.limits import HELP_WORDS, MAX_QUERY_CHARS
from roles.answer.query import (
    COMPARE_WORDS,
    SEPARATORS,
    WEAK_COMPARE_WORDS,
    compare_split,
    is_small_talk,
    leftover,
    named_apart,
    plain_text,
    unknown_title,
)
from roles.answer.render_text import join_lines, render_answer, role_line, shorten
from roles.answer.resolve import SENIORITY, Resolution, RoleMatch, RoleName, RoleResolver
from roles.answer.result import Answer, Choice, RoleRef
from roles.answer.search import SEARCH_LIMIT, TextSearch
from roles.answer.sections import SectionFinder, Target
from roles.answer.terms import Stemmer, TermCorrector, match_expression
from roles.answer.vocabulary import ASKER_WORDS, ASPECT_WORDS, STOPWORDS, AspectRequest, find_aspect, tokenize
from roles.model import Section

logger = logging.getLogger(__name__)

MAX_TOKENS = 40
#: At most this many roles are compared side by side.
MAX_COMPARED = 4
#: More equally good role matches than this are answered with a list to choose from.
MAX_TIED_ROLES = 3
#: Roles kept parsed in memory (a large role document takes a few hundred KB as objects, and every
#: object here is walked by each full garbage collection: 256 of them held 170 MB at 10k roles).
FINDER_CACHE = 64

LIST_WORDS = frozenset({"list", "roles", "role", "all", "show", "every", "available", "known", "index", "titles"})
QUESTION_WORDS = frozenset({"who", "which", "whose", "whom"})


@dataclass
class _State:
    generation: int
    roles: list[RoleRef]
    by_id: dict[int, RoleRef]
    resolver: RoleResolver
    finders: OrderedDict[int, SectionFinder] = field(default_factory=OrderedDict)
    corrector: TermCorrector | None = None
    #: The index's role summaries (aspects, goal horizons), in list order.
    summaries: list = field(default_factory=list)
    help_examples: list[str] | None = None
    #: The career ladders among the roles (levels of one job, ordered).
    ladders: Ladders | None = None
    #: How many roles have each (lower-case) title, for telling same-titled roles apart.
    title_counts: Counter[str] | None = None


class AnswerEngine:
    """Answers ``/role`` queries from a :class:`roles.index.library.RoleIndex` (thread-safe)."""

    def __init__(self, index, aliases: dict[str, str] | None = None):
        self.index = index
        self.aliases = dict(aliases or {})
        self._lock = threading.RLock()
        self._state: _State | None = None
        self._stemmer = Stemmer()
        self._text = TextSearch(index, self._stemmer, self._corrector, self._sections)

    # ------------------------------------------------------------------ entry point

    def ask(self, query: str, last: LastAnswer | None = None) -> Answer:
        """The answer to ``query``. Never raises: trouble becomes a not_ready or no_match answer.

        ``last`` is the last answer of the same conversation (see :mod:`roles.answer.conversation`): a
        follow-up that names no role ("and the 60 day ones?") continues from its role.
        """
        text = query if isinstance(query, str) else ("" if query is None else str(query))
        try:
            if last is not None:
                followed = self._followup(text, last)
                if followed is not None:
                    return followed
            return self._ask(text)
        except IndexNotReady as exc:
            return self._not_ready(text, exc.reason)
        except RoleNotFound:
            # A role vanished between listing and reading it: a re-index is under way.
            return self._not_ready(text, "the role index changed while answering")
        except sqlite3.OperationalError as exc:
            # "database is locked" or a missing table while a rebuild swaps things around.
            logger.warning("index not readable for %r: %s", text[:80], exc)
            return self._not_ready(text, "the role index is busy or incomplete")
        except sqlite3.DatabaseError as exc:
            # A damaged file ("database disk image is malformed"): a line per question, not a traceback.
            logger.error("role index unreadable for %r: %s", text[:80], exc)
            return self._not_ready(text, "its file is damaged and must be rebuilt")
        except Exception:
            logger.exception("answer engine failed on %r", text[:200])
            answer = Answer(kind="no_match", query=text, suggestions=["help", "roles"])
            answer.text = render_answer(
                answer, intro="Sorry, something went wrong while answering that. Try rephrasing it, or ask `help`."
            )
            return answer

    def _followup(self, query: str, last: LastAnswer) -> Answer | None:
        """The answer to a follow-up read as a whole question, saying which role it assumed."""
        tokens = tokenize(plain_text(query[:MAX_QUERY_CHARS]))[:MAX_TOKENS]
        if not tokens or not self.index.is_ready():
            return None
        state = self._current()
        if last.role_id not in state.by_id:
            return None  # the role left the index since
        whole = read_followup(tokens, last, state.resolver,
                              horizons=lambda role_id: [g.horizon_days for g in self._finder(state, role_id).role.goals()])
        if whole is None:
            return None
        answer = self._ask(whole)
        what = answer.section or (answer.aspect or "overview").replace("-", " ")
        # The role answered about: the last one, or the one a "what about pse?" named (the part is the last).
        role_title = answer.roles[0].title if answer.roles else last.role_title
        assumed = f"{role_title} \u2014 {what} (from your last question)"
        if answer.kind == "compare":
            assumed = f"Compared with {last.role_title} (from your last question)"
        answer.notes.insert(0, assumed)
        answer.text = f"{assumed}\n{answer.text}"
        return answer

    def _ask(self, query: str) -> Answer:
        tokens = tokenize(plain_text(query[:MAX_QUERY_CHARS]))[:MAX_TOKENS]
        note = ""
        if len(query) > MAX_QUERY_CHARS:
            note = f"That was a long question, so I read only its first {MAX_QUERY_CHARS} characters."
        if not tokens or (tokens[0] in HELP_WORDS and len(tokens) <= 2) or is_small_talk(tokens):
            return self._help(query)
        if not self.index.is_ready():
            return self._not_ready(query, "the role index is being built or has no roles yet")
        state = self._current()
        tokens = self._fix_aspect_words(tokens, state)
        if set(tokens) <= LIST_WORDS | STOPWORDS and set(tokens) & {"list", "roles", "titles"}:
            return self._list(query, state)
        ladder = read_question(tokens, state.ladders, state.resolver)
        if ladder is not None:
            # "senior vs lead …", "how do I get promoted from L3 to L4": levels of one ladder.
            return ladder_answer(query, ladder, lambda role_id: self._finder(state, role_id), note)
        explicit = bool(set(tokens) & (COMPARE_WORDS | {"vs", "versus"}))
        if explicit:
            answer = self._compare(query, tokens, state, note)
            if answer is not None:
                return answer
            # "compare ptpm", "ptpm vs": one role at most. Answer about it, and say how to compare.
            if set(tokens) & COMPARE_WORDS or tokens[0] in ("vs", "versus") or tokens[-1] in ("vs", "versus"):
                note = join_lines(note, "To compare, name two roles: \u201ccompare A and B [what]\u201d.")
                tokens = [t for t in tokens if t not in COMPARE_WORDS and t not in ("vs", "versus")]
                if not tokens:
                    return self._help(query)
        resolution = state.resolver.resolve(tokens)
        named = named_apart(resolution)
        if len(named) == 2:
            # "ptpm and pse kpis", "ptpm &amp; pse kpis", "ptpm pse kpis": two roles named in full.
            return self._compare_answer(query, tokens, named, state, note)
        if len(named) > 2:
            request = find_aspect(tokens)
            if request.aspect and request.strong and len(named) <= MAX_COMPARED:
                # "ptpm ptc pse kpis": the part asked for, of each.
                return self._compare_answer(query, tokens, named, state, note)
            return self._choose(query, [m.role for m in named], note, request)
        if resolution.best is None:
            by_name = self._title_words_only(query, tokens, state, note)
            if isinstance(by_name, Answer):
                return by_name
            resolution = by_name or resolution
        best = resolution.best
        asks_for_role = tokens[0] in QUESTION_WORDS
        if best is not None and not (asks_for_role and not best.complete):
            if not best.complete:
                # "target for onboarding time for new engineers": one word of many titles, the rest of
                # the question names something else; a strong full-text hit beats a guessed role.
                request = find_aspect(tokens, best.used)
                if leftover(tokens, best.used | request.used):
                    unknown = unknown_title(tokens, best, request, state.resolver)
                    if unknown:
                        # "principal security engineer kpis": passages that mention it are no answer
                        # about a role of that name; say that there is none.
                        unknown = (f"No role is called \u201c{unknown}\u201d; "
                                   "these passages of the documents match the question best.")
                    answer = self._text.answer(query, tokens, set(), find_aspect(tokens), state, join_lines(note, unknown))
                    if answer is not None:
                        return answer
            return self._role_answer(query, tokens, resolution, state, note)
        request = find_aspect(tokens)
        if request.aspect and request.strong and not leftover(tokens, request.used):
            return self._which_role(query, tokens, request, state, note)
        answer = self._text.answer(query, tokens, set(), request, state, note)
        if answer is not None:
            return answer
        return self._no_match(query, tokens, state, resolution, note)

    def _fix_aspect_words(self, tokens: list[str], state: _State) -> list[str]:
        """Misspelt aspect words read as meant: "ptc tols", "ptpm kpsi", "pse stakeholdrs".

        Only a word that the documents never use and that is no typo of a title word is compared
        with the aspect words: "slack" (a tool) stays "slack", "manger" stays a manager.
        """
        fixed = tokens
        vocabulary = self._corrector(state).vocabulary
        candidates = [w for w in tokens if len(w) >= 4 and w not in STOPWORDS and w not in ASPECT_WORDS
                      and not w.isdigit()]
        if not candidates:
            return tokens
        stems = self._stemmer.stem_many(candidates)  # one SQLite round trip for the new words
        for i, word in enumerate(tokens):
            if (word not in stems or vocabulary.get(stems[word])
                    or state.resolver.is_typo_of_title_word(word)):
                continue
            # One typo only: at two, a made-up product word ("milsiond") can pass for "mission".
            found = process.extractOne(word, ASPECT_WORDS, scorer=OSA.distance, score_cutoff=1)
            if found is not None and found[0][:1] == word[:1]:
                fixed = fixed[:i] + [found[0]] + fixed[i + 1:]
        return fixed

    def _real_words(self, words: list[str], state: _State) -> frozenset[str]:
        """The words the documents use as typed: no typos, so matched against headings only as they are."""
        vocabulary = self._corrector(state).vocabulary
        stems = self._stemmer.stem_many(words)
        return frozenset(w for w in words if vocabulary.get(stems[w]))

    # ------------------------------------------------------------------ state

    def _current(self) -> _State:
        generation = self.index.generation()
        state = self._state
        if state is not None and state.generation == generation:
            return state
        with self._lock:
            state = self._state
            if state is not None and state.generation == generation:
                return state
            summaries = self.index.list_roles()
            refs = [RoleRef(s.id, s.title, s.source_path, s.link) for s in summaries]
            names = [RoleName(s.id, s.title, tuple(s.aliases), s.source_path) for s in summaries]
            previous = self._state
            # An edit that renames no role (most of them) keeps the resolver of the previous generation.
            if previous is not None and previous.resolver.roles == names:
                resolver = previous.resolver
            else:
                resolver = RoleResolver(names, self.aliases)
            state = _State(generation, refs, {r.id: r for r in refs}, resolver, summaries=list(summaries),
                           ladders=Ladders(names))
            # Read the term vocabulary with the rest of the generation's warm-up, not in the first
            # free-text question a user asks; the typo tables change by the terms that did.
            state.corrector = TermCorrector(self.index.vocabulary(), self._stemmer,
                                            previous.corrector if previous is not None else None)
            self._state = state
            memory.settle()  # what warm-up built lives until the next index change: out of the GC's walk
            logger.info("answer engine loaded %d roles (generation %d)", len(refs), generation)
            return state

    def _finder(self, state: _State, role_id: int) -> SectionFinder:
        finder = state.finders.get(role_id)
        if finder is not None:
            return finder
        role = self.index.get_role(role_id)
        finder = SectionFinder(role, state.by_id[role_id])
        with self._lock:
            state.finders[role_id] = finder
            while len(state.finders) > FINDER_CACHE:
                state.finders.popitem(last=False)
        memory.keep_cached()
        return finder

    def _sections(self, state: _State, role_id: int, paths: set[tuple[int, ...]]) -> dict[tuple[int, ...], Section | None]:
        # A search answer shows a few sections of each role: read just those (a role already parsed for
        # this generation is used as it is), not the whole role into the caches.
        finder = state.finders.get(role_id)
        if finder is not None:
            return finder.role.sections_at(paths)
        return self.index.get_sections(role_id, paths)

    def _corrector(self, state: _State) -> TermCorrector:
        if state.corrector is None:
            state.corrector = TermCorrector(self.index.vocabulary(), self._stemmer)
        return state.corrector

    # ------------------------------------------------------------------ simple kinds

    def examples(self) -> list[str]:
        """Questions worth trying that this index answers (checked by asking them; cached per index
        generation), or generic ones while no role is indexed."""
        try:
            if not self.index.is_ready():
                return list(GENERIC_EXAMPLES)
            state = self._current()
            if state.help_examples is None:
                found = candidates(state.summaries, lambda role_id: self._first_kpi(state, role_id))
                state.help_examples = answered(found, self._ask) if found else list(GENERIC_EXAMPLES)
            return list(state.help_examples)
        except (RolebotError, sqlite3.Error):
            logger.debug("no roles for the help examples", exc_info=True)
            return list(GENERIC_EXAMPLES)

    def _first_kpi(self, state: _State, role_id: int) -> str:
        kpis = self._finder(state, role_id).role.kpis()
        return kpis[0].name if kpis else ""

    def _help(self, query: str) -> Answer:
        examples = self.examples()
        answer = Answer(kind="help", query=query, suggestions=examples)
        lines = [
            "Ask me about any role: its responsibilities, day-to-day work, KPIs, 30/60/90-day goals, skills, "
            "tools, stakeholders, career path and more. Typos and abbreviations are fine.",
            "",
            "Examples:",
            *(f"\u2022 {e}" for e in examples),
        ]
        answer.text = "\n".join(lines) + "\n"
        return answer

    def _not_ready(self, query: str, reason: str) -> Answer:
        answer = Answer(kind="not_ready", query=query)
        answer.text = (
            f"The role index is not ready ({reason}). Try again in a minute; "
            "an admin can build it with `rolebot index --docs DIR --db FILE`.\n"
        )
        return answer

    def _list(self, query: str, state: _State) -> Answer:
        answer = Answer(kind="list", query=query, roles=list(state.roles))
        summaries = {s.id: s for s in state.summaries}
        lines = [f"{len(state.roles)} roles:"]
        for ref in state.roles:
            lines.append(f"\u2022 {role_line(ref)}")
            summary = summaries.get(ref.id)
            if summary is not None:
                aspects = [a for a in summary.aspects if a != "other"]
                if aspects:
                    lines.append(f"    aspects: {', '.join(aspects)}")
                if summary.goals:
                    days = "/".join(str(d) for d in sorted(summary.goals))
                    lines.append(f"    KPIs: {summary.kpi_count}; goals for {days} days")
        answer.text = "\n".join(lines) + "\n"
        return answer

    def _which_role(self, query: str, tokens: list[str], request: AspectRequest, state: _State, note: str) -> Answer:
        """An aspect with no role ("kpis", "30 day goals"): the roles that have it, to pick from."""
        having = _having(state, request)
        if request.horizon is not None:
            what = f"{request.horizon}-day goals"
        else:
            what = request.aspect.replace("-", " ") if request.aspect else "that"
        # The aspect as asked ("30 day goals"), not the whole query ("compare all roles kpis").
        words = " ".join(tokens[i] for i in sorted(request.used)) or what
        answer = Answer(kind="list", query=query, aspect=request.aspect,
                        roles=[state.by_id[s.id] for s in having if s.id in state.by_id])
        answer.suggestions = [f"{s.title.lower()} {words}" for s in having[:5]]
        answer.choices = [Choice(s.title, f"{s.title} {_asked(request)}".strip()) for s in having]
        answer.notes = [note] if note else []
        lines = [note] if note else []
        if having:
            lines.append(f"Which role? {len(having)} roles have {what}; ask e.g. \u201c{answer.suggestions[0]}\u201d.")
            lines += [f"\u2022 {role_line(state.by_id[s.id])}" for s in having if s.id in state.by_id]
        else:
            lines.append(f"No role document has {what}. Ask `roles` to see what there is.")
        answer.text = "\n".join(lines) + "\n"
        return answer

    def _no_match(self, query: str, tokens: list[str], state: _State, resolution: Resolution, note: str) -> Answer:
        # Near-miss titles, else roles that have what was asked ("data scientist kpis" -> roles with
        # KPIs), each with the question's aspect words so that the suggestion answers it.
        request = find_aspect(tokens)
        asked = " ".join(tokens[i] for i in sorted(request.used)) if request.aspect and request.strong else ""
        titles = list(resolution.suggestions)
        if not titles and asked:
            titles = [s.title for s in _having(state, request)][:3]
        if not titles:
            titles, asked = [r.title for r in state.roles[:3]], ""
        suggestions = [f"{t} {asked}".strip() for t in titles] + ["roles", "help"]
        answer = Answer(kind="no_match", query=query, suggestions=suggestions)
        intro = (
            f"I couldn't find anything about \u201c{shorten(query)}\u201d in the role documents. "
            "Try a role title with what you want to know (e.g. KPIs, 30-day goals), or ask `roles`."
        )
        answer.text = render_answer(answer, intro=join_lines(note, intro))
        return answer

    # ------------------------------------------------------------------ one role

    def _role_answer(
        self, query: str, tokens: list[str], resolution: Resolution, state: _State, note: str
    ) -> Answer:
        best = resolution.matches[0]  # callers only come here with a match
        request = find_aspect(tokens, best.used)
        if not request.strong and all(tokens[i] in SENIORITY for i in request.used):
            # "lead sre": a rank next to the role, not the verb of "who leads incidents".
            request = AspectRequest(used=request.used)
        words = [w for w in leftover(tokens, best.used | request.used) if w not in ASKER_WORDS]
        # "csm kpis and goals": a second aspect that takes up the rest of the question is shown too.
        also = find_aspect(tokens, best.used | request.used)
        if (request.aspect and also.aspect and also.strong and also.aspect != request.aspect
                and not leftover(tokens, best.used | request.used | also.used)):
            words = []
        else:
            also = AspectRequest()
        tied = resolution.tied()
        if len(tied) > 1:
            tied = self._disambiguate(tied, tokens, best.used | request.used)
        if len({m.role.title.lower() for m in tied}) > 1:
            # "consultant", "principal kpis": several roles fit equally; let the user pick, not guess.
            # (Only documents with one title are shown together: they are the same role.)
            return self._choose(query, [m.role for m in tied], note, request)
        targets: list[tuple[RoleRef, SectionFinder, Target]] = []
        exact = self._real_words(words, state)
        aspect_words = [tokens[i] for i in sorted(request.used) if request.strong and not tokens[i].isdigit()]
        for match in tied:
            finder = self._finder(state, match.role.id)
            target = finder.find(request, words, exact, aspect_words)
            if target.kind == "role_overview" and words:
                # Words that name no part of the role (or of an aspect it lacks: "csm churn risk"):
                # look for them inside this role's text.
                found = self._text.answer(query, tokens, set(match.used), request, state, note, role_ids=[match.role.id])
                if found is not None and len(tied) == 1:
                    found.followups = finder.aspects()
                    return found
                if best.complete and not target.note:
                    # "pse salary": the summary is no answer to "salary"; say so rather than imply it.
                    target.note = (f"Nothing about \u201c{shorten(' '.join(words), 60)}\u201d in the document for "
                                   f"{match.role.title}; here is its overview.")
            if also.aspect:
                second = finder.find(also, [])
                if second.kind == "role_section":
                    target.parts = target.parts + second.parts
            targets.append((state.by_id[match.role.id], finder, target))
        ref, finder, target = targets[0]
        answer = Answer(
            kind=target.kind,
            query=query,
            roles=[t[0] for t in targets],
            aspect=target.aspect,
            section=target.heading,
            parts=[p for t in targets for p in t[2].parts],
            followups=[a for a in finder.aspects() if a != target.aspect],
        )
        intro_lines = [note] if note else []
        if len(targets) > 1:
            answer.suggestions = [_distinct_name(t[0], state) for t in targets]
            intro_lines.append(
                f"{len(targets)} roles match: {'; '.join(role_line(t[0]) for t in targets)}. "
                "Showing each; add a word from the one you mean to pick it."
            )
        else:
            heading = f": {target.heading}" if target.heading else ""
            intro_lines.append(f"{ref.title}{heading}")
            intro_lines.append(f"Source: {_source(ref)}")
        if not best.complete and words and len(targets) == 1:
            # Part of the question looked like a title we do not have ("principal security engineer").
            closest = (f"No role matches every word of \u201c{shorten(query)}\u201d; "
                       f"this is the closest: {ref.title}.")
            intro_lines.append(closest)
            answer.notes.append(closest)
        for _, _, t in targets:
            if t.note:
                intro_lines.append(t.note)
                answer.notes.append(t.note)
        if note:
            answer.notes.insert(0, note)
        outro = ""
        if answer.kind == "role_overview" and answer.followups:
            outro = "You can also ask about: " + ", ".join(a.replace("-", " ") for a in answer.followups)
        answer.text = render_answer(answer, intro="\n".join(intro_lines), outro=outro)
        return answer

    def _title_words_only(self, query: str, tokens: list[str], state: _State, note: str) -> Answer | Resolution | None:
        """A query made only of words from role names ("L4", "principal", "principal technical"),
        perhaps with an aspect: the role they all belong to, or the roles to choose from.

        One role comes back as a Resolution (answered as if named); several as a list to pick from.
        """
        request = find_aspect(tokens)
        content = [(i, t) for i, t in enumerate(tokens) if t not in STOPWORDS and i not in request.used]
        if not content:
            return None
        names = state.resolver.named_by(t for _, t in content)
        if not names:
            return None
        if len(names) == 1:
            match = RoleMatch(names[0], 1.0, frozenset(i for i, _ in content), True, True)
            return Resolution(matches=[match])
        return self._choose(query, names, note, request)

    def _choose(self, query: str, names: list[RoleName], note: str, request: AspectRequest | None = None) -> Answer:
        answer = Answer(kind="list", query=query, roles=[RoleRef(n.id, n.title, n.source) for n in names])
        # Each suggestion asks the same question of one role: "principal kpis" -> "<title> kpis".
        tokens = tokenize(query)
        asked = " ".join(tokens[i] for i in sorted(request.used)) if request is not None else ""
        answer.suggestions = [f"{n.title} {asked}".strip() for n in names[:10]]
        labels = [n.title if [m.title for m in names].count(n.title) == 1 else f"{n.title} ({n.source})"
                  for n in names]
        wanted = _asked(request) if request is not None else ""
        answer.choices = [Choice(label, f"{n.title} {wanted}".strip()) for label, n in zip(labels, names, strict=True)]
        answer.notes = [note] if note else []
        lines = [note] if note else []
        lines.append(f"{len(names)} roles match \u201c{shorten(query)}\u201d; which one do you mean?")
        lines += [f"\u2022 {n.title} ({n.source})" for n in names]
        answer.text = "\n".join(lines) + "\n"
        return answer

    def _disambiguate(self, tied: list[RoleMatch], tokens: list[str], used: frozenset[int]) -> list[RoleMatch]:
        """Roles the query names equally well: let its other words (source, content) decide."""
        words = leftover(tokens, used)
        if not words:
            return tied
        scores: dict[int, float] = {}
        for match in tied:
            source_words = set(tokenize(match.role.source))
            scores[match.role.id] = sum(1.0 for w in words if w in source_words)
        try:
            terms = self._corrector(self._current()).terms(words)
            expression = match_expression(terms)
            if expression:
                hits = self.index.search(expression, limit=SEARCH_LIMIT, role_ids=[m.role.id for m in tied])
                for hit in hits:
                    covered = self._text.coverage(terms, hit.heading + " " + hit.text)
                    scores[hit.role_id] = max(scores.get(hit.role_id, 0.0), covered + scores.get(hit.role_id, 0.0))
        except RolebotError:
            logger.debug("no content tie-break for %s", words, exc_info=True)
        top = max(scores.values(), default=0.0)
        if top <= 0:
            return tied
        return [m for m in tied if scores.get(m.role.id, 0.0) >= top - 1e-9]

    # ------------------------------------------------------------------ compare

    def _compare(self, query: str, tokens: list[str], state: _State, note: str) -> Answer | None:
        """Roles side by side, or None when the query does not name two roles around a separator.

        "compare ptc, pic and pse" names three roles in full: all three are compared.
        """
        cut = compare_split(tokens, state.resolver)
        rest = True
        if cut is not None:
            used = cut[0].used | cut[1].used
            rest = bool([w for w in leftover(tokens, used | find_aspect(tokens, used).used)
                         if w not in COMPARE_WORDS and w not in WEAK_COMPARE_WORDS and w not in SEPARATORS])
        if rest:
            # Words beyond the two roles and the aspect, or no separator, may name more roles (resolved
            # only then: a resolution of the whole query costs as much as the split).
            named = named_apart(state.resolver.resolve(tokens))
            if len(named) > 2 or (cut is None and named):
                if len(named) > MAX_COMPARED:
                    note = join_lines(note, f"I compare up to {MAX_COMPARED} roles at a time; these are the first "
                                       f"{MAX_COMPARED} you named.")
                return self._compare_answer(query, tokens, named[:MAX_COMPARED], state, note)
        if cut is None:
            return None
        return self._compare_answer(query, tokens, list(cut), state, note)

    def _compare_answer(
        self, query: str, tokens: list[str], matches: list[RoleMatch], state: _State, note: str
    ) -> Answer:
        """Each role's part for the aspect the rest of the query asks for, one after the other."""
        used = frozenset().union(*(m.used for m in matches))
        request = find_aspect(tokens, used)
        connectives = COMPARE_WORDS | WEAK_COMPARE_WORDS | set(SEPARATORS)
        # Rank words ("which is more senior, ptc or pse") name no part of a role.
        words = [w for w in leftover(tokens, used | request.used) if w not in connectives and w not in SENIORITY]
        refs, parts, headings, notes = [], [], [], []
        named: str | None = None  # the heading the question's own words found ("escalation" -> ...)
        finder = None
        exact = self._real_words(words, state)
        for match in matches:
            finder = self._finder(state, match.role.id)
            target = finder.find(request, words, exact)
            refs.append(state.by_id[match.role.id])
            parts += target.parts
            headings.append(target.heading)
            if target.kind == "role_overview" and words and not target.note:
                target.note = (f"Nothing about \u201c{shorten(' '.join(words), 60)}\u201d in the document for "
                               f"{match.role.title}; here is its overview.")
            elif target.kind != "role_overview" and named is None:
                named = target.heading
            if target.note:
                # "Senior Solutions Architect has no 90-day goals": else its summary looks like them.
                notes.append(target.note)
        aspect = request.aspect or "overview"
        answer = Answer(kind="compare", query=query, roles=refs, aspect=request.aspect, section=headings[0],
                        parts=parts)
        if finder is not None:
            answer.followups = [a for a in finder.aspects() if a != request.aspect]
        if request.horizon:
            what = f"{request.horizon}-day goals"
        elif request.hints:
            what = request.hints[0]
        elif words and not request.aspect and named:
            what = named  # "compare pse and pic escalation": the part shown, not "overview"
        else:
            what = aspect.replace("-", " ")
        titles = [r.title for r in refs]
        intro = f"Comparing {', '.join(titles[:-1])} and {titles[-1]}: {what}"
        answer.notes = [n for n in (note, *notes) if n]
        answer.text = render_answer(answer, intro=join_lines(note, intro, *notes))
        return answer

# ---------------------------------------------------------------------- helpers


def _having(state: _State, request: AspectRequest) -> list:
    """Summaries of the roles that have the asked aspect (any goals, for a goal horizon)."""
    if request.horizon is not None:
        return [s for s in state.summaries if s.goals]
    return [s for s in state.summaries if s.aspects.get(request.aspect) is not None]


def _asked(request: AspectRequest) -> str:
    """The part a request asks for, in words the engine reads back the same way ("first 90 days")."""
    if request.horizon is not None:
        return f"first {request.horizon} days" if request.plan else f"{request.horizon} day goals"
    if request.hints:
        return request.hints[0]
    if request.aspect and request.strong:
        return request.aspect.replace("-", " ")
    return ""


def _distinct_name(ref: RoleRef, state: _State) -> str:
    if state.title_counts is None:
        # Counted once per generation: scanning every role per answer costs milliseconds at 10k roles.
        state.title_counts = Counter(r.title.lower() for r in state.roles)
    return f"{ref.title} ({ref.source})" if state.title_counts[ref.title.lower()] > 1 else ref.title


def _source(ref: RoleRef) -> str:
    return " \u00b7 ".join(x for x in (ref.source, ref.link or "") if x) or "unknown"


__all__ = ["AnswerEngine"]
