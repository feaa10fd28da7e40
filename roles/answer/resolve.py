"""Which role(s) a query is about: typo-tolerant matching of titles, aliases, abbreviations and levels.

Every role has one or more *names*: its title and any multi-word alias. A name's words are weighted by
how rare they are among all titles, and seniority words ("senior", "principal") or a qualifier after a
dash ("… - Technical Account Management") weigh less, so that "implementation consultant" finds the
Principal Implementation Consultant and "principal technical consultant" never settles for the
Principal Technical Product Manager. Abbreviations come from the document ("PTPM") and from the
initials of a title or its tail ("SRE", "lead sre", "pse"). Stop words never match.
"""

from __future__ import annotations

import logging
import math
import re
import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import OSA

from roles.answer.matches import RankedMatches
from roles.answer.title_index import TitleIndex
from roles.answer.vocabulary import STOPWORDS, normalize, tokenize

logger = logging.getLogger(__name__)

#: Words that only say how senior a role is; they help pick a role but never identify one alone.
SENIORITY = frozenset(
    "senior sr principal lead staff junior jr associate chief head distinguished entry mid level "
    "i ii iii iv v vp director".split()
)
_LEVEL = re.compile(r"^(?:l|ic|m|e|p|t|d|lvl|level)\d{1,2}$")
_LOW_WEIGHT = 0.35
#: Short forms people type for title words; each is read as the words it stands for when it is no
#: title word itself ("principal tech consultant", "sr eng", "eng mgr").
SHORT_FORMS: dict[str, tuple[str, ...]] = {
    "tech": ("technical", "technology", "technician"),
    "eng": ("engineer", "engineering"),
    "engr": ("engineer",),
    "mgr": ("manager",),
    "mngr": ("manager",),
    "sr": ("senior",),
    "snr": ("senior",),
    "jr": ("junior",),
    "mgmt": ("management",),
    "dev": ("developer", "development"),
    "ops": ("operations",),
    "arch": ("architect",),
    "assoc": ("associate",),
    "dir": ("director",),
}
#: Query words whose title-word matches a resolver remembers (then it starts again).
WORD_CACHE = 20_000
#: Shapes matched by several query words whose score a resolver remembers (then it starts again):
#: 2,000 bench questions at 1,000 roles need ~6,500 (about 0.6 KB each), 89% of lookups then hit.
SCORE_CACHE = 8_192
_UNKNOWN = object()
#: A query word's match of a title word: (similarity, query position, shape -> the title word's positions
#: in it, the shapes that hold the title word twice or more); see TitleIndex.word_shapes.
Hit = tuple[float, int, dict[int, tuple[int, ...]], frozenset[int]]
#: Two-letter initials common enough to stand for the last two words of a title ("pm", "em").
TWO_LETTER_INITIALS = frozenset({"pm", "em", "sa", "se"})


@dataclass(frozen=True)
class RoleName:
    """A role as the resolver sees it: index id, title, aliases (document-defined or configured), source."""

    id: int
    title: str
    aliases: tuple[str, ...] = ()
    source: str = ""


@dataclass(slots=True)
class RoleMatch:
    """One role a query matched, with the query positions that named it."""

    role: RoleName
    score: float
    used: frozenset[int]
    #: Every identifying word of the name (or an abbreviation of it) was in the query.
    complete: bool
    #: Every word of the name, seniority included, was in the query.
    exact: bool = False


@dataclass
class Resolution:
    """The roles a query names, best first. ``ambiguous`` when the top ones matched the same words.

    Read-only for callers: the resolver hands the same one out again for the same words. ``matches``
    may work out the matches after the best's number of words only when read that far (:class:`~roles.answer.matches.RankedMatches`).
    """

    matches: RankedMatches = field(default_factory=lambda: RankedMatches([]))
    ambiguous: bool = False
    #: Near misses worth offering as "did you mean" when nothing matched well enough.
    suggestions: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not isinstance(self.matches, RankedMatches):
            self.matches = RankedMatches(list(self.matches))

    @property
    def best(self) -> RoleMatch | None:
        """The best match, or None."""
        return self.matches[0] if self.matches else None

    def tied(self) -> list[RoleMatch]:
        """The matches that the query does not tell apart from the best one."""
        if not self.matches:
            return []
        top = self.matches[0]
        level = _key(top)[:3]
        tied = []
        # Matches are sorted by _key, so the ones equal to the best in its first three fields come first;
        # all of them are in the head (the rest use fewer words: see RankedMatches).
        for match in self.matches.head:
            if _key(match)[:3] != level:
                break
            if match.used == top.used:
                tied.append(match)
        return tied


@dataclass
class _Name:
    role: RoleName
    words: tuple[str, ...]
    weights: tuple[float, ...]
    #: Positions that identify the role (not seniority or qualifier words).
    core: frozenset[int]
    head: int
    #: A name the role gives itself after a dash: it names the role only when typed whole (or as its
    #: initials), so that one of its words ("technical") does not make the role a "technical" one.
    whole_only: bool = False


def allowed_edits(word: str) -> int:
    """How many typos a word of this length may carry and still match (OSA distance)."""
    if len(word) <= 3:
        return 0
    if len(word) <= 5:
        return 1
    return 2


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def is_level_code(word: str) -> bool:
    """True for level codes such as "l4", "ic5", "m2"."""
    return bool(_LEVEL.match(word))


class RoleResolver:
    """Resolves role names in queries against a fixed list of roles (rebuild when the roles change)."""

    def __init__(self, roles: Iterable[RoleName], aliases: dict[str, str] | None = None):
        self.roles = list(roles)
        self._names: list[_Name] = []
        self._by_word: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self._acronyms: dict[str, list[tuple[int, frozenset[int]]]] = defaultdict(list)
        self._levels: dict[str, set[int]] = defaultdict(set)
        extra = self._configured_aliases(aliases or {})
        raw_names: list[tuple[RoleName, str]] = []
        for role in self.roles:
            raw_names.append((role, role.title))
            for alias in (*role.aliases, *extra.get(role.id, ())):
                words = tokenize(alias)
                if len(words) == 1 and is_level_code(words[0]):
                    self._levels[words[0]].add(role.id)
                elif words:
                    raw_names.append((role, alias))
        # Titles repeat in a large library (one "Senior Data Engineer" per team): read each text once.
        splits: dict[str, tuple[list[str], list[str]]] = {}
        split = [(role, splits.get(text) or splits.setdefault(text, _split(text))) for role, text in raw_names]
        # A name the document gives itself after a dash ("Senior Solutions Architect - Technical Account
        # Management") is a name of the role on its own, with its initials ("TAM").
        subtitles = [(role, qualifier) for role, (_main, qualifier) in split if len(qualifier) >= 2]
        df: dict[str, int] = defaultdict(int)
        for _, (main, _qualifier) in split:
            for word in set(main):
                df[word] += 1
        total = max(1, len(self.roles))
        shapes: dict[tuple, tuple] = {}
        for role, (main, qualifier) in split:
            if main:
                self._add_name(role, main, qualifier, df, total, shapes)
        for role, subtitle in subtitles:
            self._add_name(role, subtitle, [], df, total, shapes, whole_only=True)
        self._vocab = list(self._by_word)
        # A query is scored against each distinct name once (see roles.answer.title_index).
        self._titles = TitleIndex(self._names, self._by_word, self._acronyms)
        self._order = {role.id: n for n, role in enumerate(self.roles)}
        self._matches_of: dict[str, tuple[tuple[str, float], ...]] = {}
        self._several_scores: dict[tuple, tuple | None] = {}
        #: Shape -> the roles that have a name of that shape, in name order.
        self._shape_roles = [[self._names[i].role for i in members] for members in self._titles.members]
        #: (shape, word position, similarity) -> _one_word's result; at most a few per title word.
        self._one_word_scores: dict[tuple[int, int, float], tuple[bool, float, bool, bool]] = {}
        #: Each thread's last resolution: a question with a conversation behind it is read as a possible
        #: follow-up, then (naming a role) as a question of its own, and both resolve the same words.
        self._last = threading.local()

    def _add_name(
        self, role: RoleName, main: list[str], qualifier: list[str], df: dict[str, int], total: int,
        shapes: dict[tuple, tuple], whole_only: bool = False,
    ) -> None:
        # ``shapes`` remembers the weights of the names already seen: same words, same weights.
        key = (*main, "|", *qualifier)
        known = shapes.get(key)
        if known is None:
            known = shapes[key] = self._weigh(main, qualifier, df, total)
        words, weights, core, keys, initials = known
        index = len(self._names)
        self._names.append(_Name(role, words, weights, core, max(core), whole_only))
        for word_key, pos in keys:
            self._by_word[word_key].append((index, pos))
        for letters, covered in initials:
            self._acronyms[letters].append((index, covered))

    @staticmethod
    def _weigh(main: list[str], qualifier: list[str], df: dict[str, int], total: int) -> tuple:
        """Words, weights, core positions, word keys and abbreviations of one name."""
        words = tuple(main + qualifier)
        weights = []
        core = set()
        for pos, word in enumerate(words):
            idf = 1.0 + math.log(total / max(1, df.get(word, 1)))
            if pos >= len(main) or word in SENIORITY or is_level_code(word):
                weights.append(_LOW_WEIGHT * idf)
            else:
                weights.append(idf)
                core.add(pos)
        if not core:
            # A title made only of seniority words ("Lead") still needs something to match.
            core = set(range(len(main)))
        keys = [(_singular(word), pos) for pos, word in enumerate(words)]
        # Initials of the title and of each tail of it: "ptpm", "tpm"; "sre" (so "lead sre" works).
        acronyms = []
        for start in range(len(main)):
            tail = main[start:]
            initials = "".join(w[0] for w in tail)
            if len(tail) >= 2 and (len(initials) >= 3 or initials in TWO_LETTER_INITIALS) and initials not in STOPWORDS:
                acronyms.append((initials, frozenset(range(start, len(main)))))
        return words, tuple(weights), frozenset(core), keys, acronyms

    def named_by(self, words: Iterable[str]) -> list[RoleName] | None:
        """Roles whose title, alias or level holds every one of ``words`` (typos allowed).

        For a query made only of such words ("principal", "l4", "principal technical"): None when a
        word is in no role name at all, so the query is about something else.
        """
        common: set[int] | None = None
        for word in words:
            ids = set(self._levels.get(word, ()))
            for cand, _sim in self._word_matches(word):
                # A qualifier ("... - Technical Account Management") does not make a role "technical".
                ids |= {self._names[index].role.id for index, pos in self._by_word[cand]
                        if not self._names[index].whole_only
                        and (pos in self._names[index].core or cand in SENIORITY or is_level_code(cand))}
            if not ids:
                return None
            common = ids if common is None else common & ids
        return [r for r in self.roles if common and r.id in common]

    def _configured_aliases(self, aliases: dict[str, str]) -> dict[int, list[str]]:
        if not aliases:
            return {}
        by_title: dict[str, list[int]] = defaultdict(list)
        for role in self.roles:
            by_title[" ".join(tokenize(role.title))].append(role.id)
        out: dict[int, list[str]] = defaultdict(list)
        for alias, title in aliases.items():
            ids = by_title.get(" ".join(tokenize(title)), ())
            if not ids:
                logger.warning("configured alias %r names %r, which is no indexed role title", alias, title)
            for role_id in ids:
                out[role_id].append(alias)
        return out

    def is_typo_of_title_word(self, word: str) -> bool:
        """True when ``word`` is a title or alias word, or within typo distance of one."""
        return bool(self._word_matches(word))

    def is_title_word(self, word: str) -> bool:
        """True when ``word`` (or its singular) is a word of some role's title or alias, as typed."""
        return _singular(word) in self._by_word

    def _word_matches(self, word: str) -> tuple[tuple[str, float], ...]:
        """Title words within typo distance of a query word, with a similarity in (0, 1]."""
        # Remembered: the same words come back in question after question ("kpis", "goals" are no
        # title words, and each costs a typo search over every title word).
        found = self._matches_of.get(word)
        if found is None:
            if len(self._matches_of) >= WORD_CACHE:
                self._matches_of.clear()
            found = self._matches_of[word] = tuple(self._typo_matches(word))
        return found

    def _typo_matches(self, word: str) -> list[tuple[str, float]]:
        key = _singular(word)
        if key in self._by_word:
            return [(key, 1.0)]
        expanded = [w for w in SHORT_FORMS.get(key, ()) if w in self._by_word]
        if expanded:
            return [(w, 1.0) for w in expanded]
        edits = allowed_edits(key)
        if not edits:
            return []
        found = process.extract(key, self._vocab, scorer=OSA.distance, score_cutoff=edits, limit=8)
        # Typos rarely hit the first letter; requiring it keeps "paris" away from "pairs"-like titles.
        # A title word too short to carry that many typos itself is no match either: "cost" is not a
        # misspelt "COS", nor "schema" a misspelt "SCSEM".
        return [(cand, 1.0 - 0.15 * dist) for cand, dist, _ in found
                if cand[:1] == key[:1] and dist <= allowed_edits(cand)]

    def resolve(self, tokens: Sequence[str], skip: Iterable[int] = ()) -> Resolution:
        """The roles named by the query ``tokens`` (positions in ``skip`` are ignored), best first."""
        key = (tuple(tokens), frozenset(skip))
        last = getattr(self._last, "resolved", None)
        if last is None or last[0] != key:
            last = self._last.resolved = (key, self._resolve(key[0], key[1]))
        return last[1]

    def _resolve(self, tokens: Sequence[str], skip: frozenset[int]) -> Resolution:
        hits: list[Hit] = []
        acronym_hits: dict[int, list[tuple[int, frozenset[int]]]] = defaultdict(list)
        level_hits: dict[int, set[int]] = defaultdict(set)
        matched: set[int] = set()  # query positions that match some title word or abbreviation
        titles = self._titles
        for qpos, word in enumerate(tokens):
            if qpos in skip or word in STOPWORDS or len(word) < 2:
                continue
            if is_level_code(word):
                for role_id in self._levels.get(word, ()):
                    level_hits[role_id].add(qpos)
            for shape, covered in titles.acronyms.get(word, ()):
                acronym_hits[shape].append((qpos, covered))
                matched.add(qpos)
            if word.isdigit():
                continue
            for cand, sim in self._word_matches(word):
                matched.add(qpos)
                hits.append((sim, qpos, *titles.word_shapes[cand]))
        matches, rejected = self._rank_shapes(hits, acronym_hits, level_hits, matched)
        result = Resolution(matches=matches)
        result.ambiguous = len(result.tied()) > 1
        if not matches.head and rejected:  # no match at all (every shape was scored)
            result.suggestions = self._near_misses(rejected, level_hits)
        return result

    def _rank_shapes(
        self, hits: list[Hit], acronym_hits: dict[int, list[tuple[int, frozenset[int]]]], level_hits: dict[int, set[int]], matched: set[int],
    ) -> tuple[RankedMatches, list[tuple[int, float]]]:
        """The matches of the shapes the query words ``hits``, and the shapes rejected (scored, not accepted).

        A match uses at most as many query words as match its shape, and every match of fewer words
        than the best ranks after it (see _key). So shapes are scored most words first, and those that
        cannot reach the best's number of words are left to the matches' rest, scored only if a caller
        reads that far (``roles.answer.matches``). Most candidate shapes share one word with the query
        (every "... Engineer" for "engineer"): they are told apart from the others with set operations on
        the title words' shape tables, and not even listed while a match of several words is the best.
        A level code adds its word to the matches of the roles it names: then every shape is scored.
        """
        several_shapes: set[int] = set(acronym_hits)
        seen: set[int] = set()
        for _sim, _qpos, shapes, twice in hits:
            several_shapes |= shapes.keys() & seen
            several_shapes |= twice  # titles that hold the word twice ("Product Product Manager")
            seen.update(shapes)
        per_shape: dict[int, list[tuple[float, int, int]]] = {shape: [] for shape in several_shapes}
        for sim, qpos, shapes, _twice in hits:
            for shape in shapes.keys() & several_shapes:
                per_shape[shape] += [(sim, qpos, pos) for pos in shapes[shape]]
        several = []  # (-query words matching the shape, shape)
        for shape in several_shapes:
            words = {qpos for _, qpos, _ in per_shape[shape]}
            if acronym_hits:
                words.update(qpos for qpos, _ in acronym_hits.get(shape, ()))
            several.append((-len(words), shape))
        several.sort()
        scored: list[tuple[int, tuple]] = []
        rest: list[tuple[int, tuple | None]] = []  # (shape, None: scored when read, or its score)
        top = 0  # the most query words an accepted match uses, so far
        for words, shape in several:
            if -words < top and not level_hits:
                rest.append((shape, None))
                continue
            found = self._several_words(shape, per_shape[shape], acronym_hits.get(shape, []))
            if found is not None:
                scored.append((shape, found))
                if found[0]:
                    top = max(top, len(found[2]))
        singles_now = bool(level_hits) or top <= 1  # else they cannot reach the best's number of words
        if singles_now:
            scored += [(shape, self._pair_match(shape, pair)) for shape, pair in _singles(hits, several_shapes)]
            top = max([top, *(len(found[2]) for _, found in scored if found[0])])
        best_by_role: dict[int, RoleMatch] = {}
        rejected: list[tuple[int, float]] = []
        # In shape order: of a role's names that match alike, the first one's match is kept.
        for shape, found in sorted(scored, key=_first):
            if not found[0]:
                rejected.append((shape, found[1]))
            elif len(found[2]) < top and not level_hits:
                rest.append((shape, found))
            else:
                self._offer(shape, found, level_hits, best_by_role)
        head = self._ranked(best_by_role)
        if not rest and singles_now:
            return RankedMatches(head), rejected
        named = set(best_by_role)

        def read_rest() -> list[RoleMatch]:
            later = rest if singles_now else rest + list(_singles(hits, several_shapes))
            return self._rest(later, per_shape, acronym_hits, named)

        return RankedMatches(head, read_rest, frozenset(matched)), rejected

    def _pair_match(self, shape: int, pair: tuple[float, int, int]) -> tuple[bool, float, frozenset[int], bool, bool]:
        """(accepted, score, used, complete, exact) of a shape that one query word matches once."""
        # Most candidate shapes share one word with the query: their score is a constant.
        sim, qpos, pos = pair
        known = self._one_word_scores.get((shape, pos, sim)) or self._one_word(shape, pos, sim)
        accepted, score, complete, exact = known
        return accepted, score, frozenset((qpos,)), complete, exact

    def _rest(self, later: list[tuple[int, tuple | None]], per_shape: dict[int, list[tuple[float, int, int]]],
              acronym_hits: dict[int, list[tuple[int, frozenset[int]]]], named: set[int]) -> list[RoleMatch]:
        """The matches of the shapes ``_rank_shapes`` left, for roles no better match ``named``, ranked.

        ``later`` holds (shape, what is known of it): None (a shape of several words not scored yet),
        its one (similarity, query position, word position) pair, or its score.
        """
        best_by_role: dict[int, RoleMatch] = {}
        for shape, known in sorted(later, key=_first):
            if known is None:
                found = self._several_words(shape, per_shape[shape], acronym_hits.get(shape, []))
            elif len(known) == 3:
                found = self._pair_match(shape, known)
            else:
                found = known
            if found is not None and found[0]:
                self._offer(shape, found, {}, best_by_role, named)
        return self._ranked(best_by_role)

    def _offer(self, shape: int, found: tuple, level_hits: dict[int, set[int]], best_by_role: dict[int, RoleMatch],
               named: set[int] = frozenset()) -> None:
        """The match of a shape, for each role that has a name of that shape and is not in ``named``."""
        _accepted, score, used, complete, exact = found
        for role in self._shape_roles[shape]:
            if role.id in named:
                continue
            match = RoleMatch(role, score, used, complete, exact)
            extra = level_hits.get(role.id) if level_hits else None
            if extra:
                match.used = match.used | frozenset(extra)
                match.score += 0.5
            current = best_by_role.get(role.id)
            if current is None or _key(match) > _key(current):
                best_by_role[role.id] = match

    def _ranked(self, best_by_role: dict[int, RoleMatch]) -> list[RoleMatch]:
        # Best _key first; equal matches keep the order of the role list, whichever of their names
        # matched first. (Tuples, not a key function: at 10k roles ~900 roles share a word with a query.)
        order = self._order
        ranked = sorted([(-len(m.used), not m.exact, not m.complete, -m.score, order[role_id], m)
                         for role_id, m in best_by_role.items()])  # (the role order is unique: m never compared)
        return [entry[-1] for entry in ranked]

    def _near_misses(self, rejected: list[tuple[int, float]], level_hits: dict[int, set[int]]) -> list[str]:
        """Titles of the best five roles among the rejected shapes' (score, role list order)."""
        near: dict[int, float] = {}
        for shape, score in rejected:
            for role in self._shape_roles[shape]:
                found = score + 0.5 if level_hits.get(role.id) else score
                near[role.id] = max(near.get(role.id, 0.0), found)
        order = self._order
        titles_by_id = {r.id: r.title for r in self.roles}
        ranked = sorted(near.items(), key=lambda kv: (-kv[1], order[kv[0]]))[:5]
        return [titles_by_id[role_id] for role_id, _ in ranked]

    def _several_words(
        self, shape: int, pairs: list[tuple[float, int, int]], acronyms: list[tuple[int, frozenset[int]]],
    ) -> tuple[bool, float, frozenset[int], bool, bool] | None:
        """:meth:`_score` of a shape that several query words (or an abbreviation) match: (accepted,
        score, used, complete, exact), or None.

        Remembered by the words' order rather than their positions: "senior data engineer kpis" and
        "what does a senior data engineer do" match the shape alike, and _score reads positions only
        to order them and to say which were used.
        """
        if len(pairs) == 2 and not acronyms and pairs[0][1] < pairs[1][1]:
            # The usual case (85% of calls on the bench mix): two words, each matching one word of the
            # name; the same key as below, built without the general bookkeeping.
            (sim0, qpos0, pos0), (sim1, qpos1, pos1) = pairs
            positions = [qpos0, qpos1]
            key = (shape, ((sim0, 0, pos0), (sim1, 1, pos1)), ())
        else:
            positions = sorted({qpos for _, qpos, _ in pairs} | {qpos for qpos, _ in acronyms})
            rank = {qpos: n for n, qpos in enumerate(positions)}
            key = (shape, tuple((sim, rank[qpos], pos) for sim, qpos, pos in pairs),
                   tuple((rank[qpos], covered) for qpos, covered in acronyms))
        known = self._several_scores.get(key, _UNKNOWN)
        if known is _UNKNOWN:
            if len(self._several_scores) >= SCORE_CACHE:
                self._several_scores.clear()
            scored = self._score(self._titles.first[shape], list(key[1]), list(key[2]))
            known = self._several_scores[key] = None if scored is None else (
                scored[0], scored[1].score, scored[1].used, scored[1].complete, scored[1].exact)
        if known is None:
            return None
        accepted, score, used, complete, exact = known
        return accepted, score, frozenset(positions[n] for n in used), complete, exact

    def _one_word(self, shape: int, pos: int, sim: float) -> tuple[bool, float, bool, bool]:
        """What :meth:`_score` makes of one query word matching word ``pos`` of a shape with similarity
        ``sim`` (accepted, score, complete, exact), worked out once per resolver and remembered."""
        key = (shape, pos, sim)
        known = self._one_word_scores.get(key)
        if known is None:
            accepted, match = self._score(self._titles.first[shape], [(sim, 0, pos)], [])
            known = self._one_word_scores[key] = (accepted, match.score, match.complete, match.exact)
        return known

    def _score(
        self,
        name: _Name,
        pairs: list[tuple[float, int, int]],
        acronyms: list[tuple[int, frozenset[int]]],
    ) -> tuple[bool, RoleMatch] | None:
        # One query word per name word and one name word per query word, best similarity first (so a
        # title that repeats a word, "Product Product Manager", needs it twice in the query too).
        claims: dict[int, tuple[int, float]] = {}
        taken: set[int] = set()
        for sim, qpos, pos in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
            if qpos in claims or pos in taken:
                continue
            claims[qpos] = (pos, sim)
            taken.add(pos)
        matched: dict[int, float] = {pos: sim for qpos, (pos, sim) in claims.items()}
        used = set(claims)
        via_acronym = False
        for qpos, covered in acronyms:
            for pos in covered:
                matched[pos] = max(matched.get(pos, 0.0), 1.0)
            used.add(qpos)
            via_acronym = True
        if not matched:
            return None
        weight = sum(name.weights[p] * s for p, s in matched.items())
        missing = sum(w for p, w in enumerate(name.weights) if p not in matched)
        core_hits = [p for p in name.core if p in matched]
        complete = all(p in matched for p in range(len(name.words)))
        main_complete = all(p in matched for p in name.core)
        accepted = via_acronym or name.head in matched or len(core_hits) >= 2 or main_complete
        if name.whole_only:
            accepted = via_acronym or main_complete
        if not core_hits:
            accepted = False
        score = weight - 0.25 * missing + (0.5 if main_complete else 0.0)
        return accepted, RoleMatch(name.role, score, frozenset(used), main_complete, complete)


def _split(text: str) -> tuple[list[str], list[str]]:
    """Title words and qualifier words (after a spaced dash, bar or colon, or in brackets)."""
    plain = normalize(text)
    cut = re.search(r"\s[-|:]\s|\(|,", plain)
    main_text, qualifier = (plain[:cut.start()], plain[cut.end():]) if cut else (plain, "")
    main = [w for w in tokenize(main_text) if w not in STOPWORDS]
    qual = [w for w in tokenize(qualifier) if w not in STOPWORDS]
    if not main:
        main, qual = qual, []
    return main, qual


def _first(entry: tuple) -> Any:
    return entry[0]


def _singles(hits: list[Hit], several: set[int]) -> Iterable[tuple[int, tuple[float, int, int]]]:
    """(shape, its one pair) of each shape that one query word matches once."""
    for sim, qpos, shapes, _twice in hits:
        for shape in shapes.keys() - several:
            yield shape, (sim, qpos, shapes[shape][0])


def _key(match: RoleMatch) -> tuple[int, bool, bool, float]:
    # More query words naming the role first, then a fully named title, then the weighted score.
    return (len(match.used), match.exact, match.complete, match.score)

