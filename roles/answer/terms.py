"""Search terms for free-text questions: stemming like the index, typo correction, safe MATCH expressions.

The index's FTS5 table stems with the porter tokenizer, and its vocabulary lists stems. To compare a
query word with that vocabulary (and to tell which query words a hit contains) the engine stems words
with the very same tokenizer, in a private in-memory SQLite database, and caches the result.
"""

from __future__ import annotations

import bisect
import math
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

TOKENIZER = "porter unicode61 remove_diacritics 2"
_CACHE_LIMIT = 100_000


class Stemmer:
    """Porter stems exactly as the index's FTS5 tokenizer makes them; thread-safe, cached."""

    def __init__(self) -> None:
        self._conn = sqlite3.connect(":memory:", check_same_thread=False)
        self._conn.execute(f"CREATE VIRTUAL TABLE words USING fts5 (w, tokenize='{TOKENIZER}')")
        self._conn.execute("CREATE VIRTUAL TABLE stems USING fts5vocab (words, 'instance')")
        self._lock = threading.Lock()
        self._cache: dict[str, str] = {}

    def stem(self, word: str) -> str:
        """The stem of one lower-case word (the word itself when the tokenizer drops it)."""
        cached = self._cache.get(word)
        if cached is None:
            self.stem_many([word])
            cached = self._cache.get(word, word)
        return cached

    def stems_of(self, words: list[str]) -> list[str]:
        """The stem of each of ``words``, in order (:meth:`stem_many` for the ones not cached yet).

        For a hit's text on every search answer: no dictionary of the distinct words is built when all
        of them are cached, as nearly all are.
        """
        cache = self._cache
        found = [cache.get(w) for w in words]
        if None in found:
            stems = self.stem_many(words)
            return [stems[w] for w in words]
        return found

    def stem_many(self, words: Iterable[str]) -> dict[str, str]:
        """Stems of several words at once (one SQLite round trip for the uncached ones)."""
        wanted = list(dict.fromkeys(words))
        missing = [w for w in wanted if w not in self._cache]
        if missing:
            with self._lock:
                if len(self._cache) > _CACHE_LIMIT:
                    self._cache.clear()
                conn = self._conn
                # One row per word: the instance table then maps each row id back to its word.
                conn.executemany("INSERT INTO words (rowid, w) VALUES (?, ?)", list(enumerate(missing, 1)))
                found = dict(conn.execute("SELECT doc, term FROM stems").fetchall())
                conn.execute("DELETE FROM words")
                for rowid, word in enumerate(missing, 1):
                    self._cache[word] = found.get(rowid, word)
        return {w: self._cache.get(w, w) for w in wanted}


@dataclass
class Term:
    """One word of a question as searched: the stem to look for and how much it counts."""

    word: str
    stem: str
    weight: float
    #: The indexed term used instead of a misspelt word, or None.
    corrected: str | None = None
    #: False when neither the word nor any near spelling is indexed.
    known: bool = True
    #: An aspect or question word ("metrics", "owns"): it adds to a hit's score but is not required.
    light: bool = False
    #: Number of indexed rows holding the (corrected) stem.
    df: int = 0

    @property
    def query_word(self) -> str:
        """What to put in the MATCH expression."""
        return self.corrected or self.word


class TermCorrector:
    """Maps query words onto the index vocabulary (stems), fixing typos with an edit-distance search."""

    def __init__(self, vocabulary: dict[str, int], stemmer: Stemmer, previous: TermCorrector | None = None):
        self.vocabulary = vocabulary
        self.stemmer = stemmer
        self._rows = max(vocabulary.values(), default=1) * 4
        self._corrections: dict[str, str | None] = {}
        #: Terms by first letter, and by first two letters then length (see _correct, _prefix_options),
        #: each list in vocabulary (sorted) order.
        self._by_first: dict[str, list[str]] = {}
        self._by_start: dict[str, dict[int, list[str]]] = {}
        if previous is not None and len(previous.vocabulary) > 2 * abs(len(vocabulary) - len(previous.vocabulary)):
            # After an index change most terms are the same: change the previous generation's tables by
            # the difference (copying only the lists that change; the previous corrector may still be in use).
            self._by_first, self._by_start = dict(previous._by_first), dict(previous._by_start)
            self._update(previous.vocabulary.keys() - vocabulary.keys(), vocabulary.keys() - previous.vocabulary.keys())
            return
        for term in vocabulary:
            self._by_first.setdefault(term[:1], []).append(term)
            self._by_start.setdefault(term[:2], {}).setdefault(len(term), []).append(term)

    def _update(self, removed: set[str], added: set[str]) -> None:
        """Take ``removed`` out of the tables and put ``added`` in, in order, on copies of the lists touched."""
        copied: set = set()

        def own(table: dict, key, make):
            # The first change to a list (or dict) of the previous generation works on a copy of it.
            if (id(table), key) not in copied:
                copied.add((id(table), key))
                table[key] = make(table.get(key, ()))
            return table[key]

        for term in sorted(removed | added):
            by_length = own(self._by_start, term[:2], dict)
            for terms in (own(self._by_first, term[:1], list), own(by_length, len(term), list)):
                if term in removed:
                    terms.remove(term)
                else:
                    bisect.insort(terms, term)

    def idf(self, df: int) -> float:
        """Inverse row frequency of a term present in ``df`` rows (unknown terms count as rarest)."""
        return math.log(1.0 + self._rows / max(1, df))

    def terms(self, words: list[str], light: Iterable[str] = ()) -> list[Term]:
        """Search terms for the words; words in ``light`` (aspect words such as "metrics") count half."""
        light = set(light)
        stems = self.stemmer.stem_many(words)
        out: list[Term] = []
        seen: set[str] = set()
        for word in words:
            stem = stems[word]
            if stem in seen:
                continue
            seen.add(stem)
            is_light = word in light
            factor = 0.5 if is_light else 1.0
            df = self.vocabulary.get(stem, 0)
            if df:
                out.append(Term(word, stem, self.idf(df) * factor, light=is_light, df=df))
                continue
            fixed = self._correct(stem)
            if fixed:
                out.append(Term(word, fixed, self.idf(self.vocabulary[fixed]) * factor, corrected=fixed,
                                light=is_light, df=self.vocabulary[fixed]))
            elif not is_light:
                # An unknown aspect word ("target" where tables only hold values) is no content word.
                out.append(Term(word, stem, self.idf(1) * factor, known=False, light=is_light))
        return out

    def _correct(self, stem: str) -> str | None:
        if stem in self._corrections:
            return self._corrections[stem]
        # A stem is shorter than its word: allow one typo up to 7 letters, two from 8.
        edits = 0 if len(stem) < 4 else 1 if len(stem) < 8 else 2
        best: str | None = None
        if edits and not stem.isdigit():
            # Typos rarely hit the first letter: comparing only with terms that share it is also ~20x
            # cheaper than scanning a vocabulary of tens of thousands of terms.
            found = process.extract(stem, self._by_first.get(stem[:1], ()), scorer=OSA.distance,
                                    score_cutoff=edits, limit=10)
            # Prefer the fewest edits, then the most common term.
            options = [(dist, -self.vocabulary[t], t) for t, dist, _ in found]
            if not options:
                options = self._prefix_options(stem)
            if options:
                best = min(options)[2]
        if len(self._corrections) > _CACHE_LIMIT:
            self._corrections.clear()
        self._corrections[stem] = best
        return best


    def _prefix_options(self, word: str) -> list[tuple[int, int, str]]:
        """Stems that a misspelt word starts with, give or take a typo ("refrence" -> "refer").

        A typo can change how a word stems, so the whole-word comparison misses; a stem is a prefix of
        its words, so compare it with the word's beginning instead.
        """
        options: list[tuple[int, int, str]] = []
        if len(word) < 7:
            # Shorter words are too near other words' stems: "travel" is not a misspelt "trade".
            return options
        # One rapidfuzz call per term length (the word cut to that length) rather than one per term.
        for length, terms in self._by_start.get(word[:2], {}).items():
            if length < 5 or length < 0.6 * len(word) or len(word) < length:
                continue
            for term, dist, _ in process.extract(word[:length], terms, scorer=OSA.distance, score_cutoff=1, limit=None):
                options.append((dist + 1, -self.vocabulary[term], term))
        return options


def quote(word: str) -> str:
    """An FTS5 string literal: double quotes doubled, so no query text can change the expression."""
    return '"' + word.replace('"', '""') + '"'


def match_expression(terms: list[Term], columns: tuple[str, ...] = ("heading", "body")) -> str | None:
    """``{heading body} : ("a" OR "b")`` for the known terms, or None when there is nothing to search."""
    words = [quote(t.query_word) for t in terms if t.known]
    if not words:
        return None
    return "{" + " ".join(columns) + "} : (" + " OR ".join(words) + ")"


@dataclass(frozen=True)
class Stage:
    """One MATCH expression to try, and at most how many rows it can match (from the vocabulary)."""

    expression: str
    bound: int


def staged_expressions(
    terms: list[Term], min_share: float = 0.0, phrase: list[Term] | None = None, phrase_text: str = "",
    columns: tuple[str, ...] = ("heading", "body"),
) -> list[Stage]:
    """MATCH expressions to try in turn, each narrower than an OR of every word.

    0. rows with the question's words as typed (``phrase_text``: "technical discovery workshops");
    1. rows with every known word (light ones too: "who *owns* reference architectures");
    2. rows with every key word (light aspect or question words such as "metrics", "owns" dropped);
    3. rows missing one key word, for the drops that leave at least ``min_share`` of the question's
       weight, since a hit with less could never count.

    Requiring words keeps each query to the few rows that can be relevant, instead of ranking every
    row that shares one common word with the question. Each stage's bound is the row count of its
    rarest required word, so a caller can skip stages too broad to rank quickly.
    """
    known = [t for t in terms if t.known]
    key = [t for t in known if not t.light] or known
    if not key:
        return []
    scope = "{" + " ".join(columns) + "} : "

    def all_of(chosen: list[Term]) -> Stage:
        return Stage("(" + " AND ".join(quote(t.query_word) for t in chosen) + ")", min(t.df for t in chosen))

    stages = []
    if phrase and len(phrase) >= 2 and phrase_text:
        stages.append(Stage(quote(phrase_text), min(t.df for t in phrase)))
    if len(known) > len(key):
        stages.append(all_of(known))
    stages.append(all_of(key))
    total = sum(t.weight for t in terms) or 1.0
    if 2 <= len(key) <= 6:
        drops = [key[:i] + key[i + 1:] for i in range(len(key))
                 if (sum(t.weight for t in key) - key[i].weight) / total >= min_share]
        if drops:
            parts = [all_of(chosen) for chosen in drops]
            stages.append(Stage(" OR ".join(p.expression for p in parts), sum(p.bound for p in parts)))
    return [Stage(scope + "(" + stage.expression + ")", stage.bound) for stage in stages]
