"""Word-level phrase matching on normalised Arabic, driven by the lexicons in events/data.

Arabic glues conjunctions, prepositions and the article to the word (`وبالبراميل`, `للانشقاق`)
and pronouns to its end (`قصفها`, `انشقاقهم`), so a plain substring or whole-word search either
misses forms or fires inside unrelated words. Here a phrase matches a run of tokens whose first
token equals the phrase's first word after removing clitic prefixes (and the article on both
sides), whose middle tokens are equal, and whose last token may carry a pronoun suffix.
Lexicons live in TSV files so that analysts can add words without touching code.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Generic, NamedTuple, TypeVar

from gazetteer.normalize import name_key

DATA = Path(__file__).parent / "data"
_WORD = re.compile(r"[\u0621-\u064a\u0671-\u06d3]+|\d+(?:[.,]\d+)*|%")
# Longest first: `وبال` must be tried before `و`.
_PREFIXES = sorted(
    ["و", "ف", "ب", "ل", "ك", "ال", "وال", "فال", "بال", "كال", "لل", "ولل", "فلل", "وب", "ول", "فب", "فل", "وك",
     "وبال", "فبال", "س", "وس"],
    key=len, reverse=True,
)
# Not a lone ه: after normalisation it is also the ta marbuta (مقتله "carnage" is not مقتل + ه).
_SUFFIXES = ["هما", "هم", "هن", "ها", "كم", "نا"]
P = TypeVar("P")


class Token(NamedTuple):
    """A word of the normalised text and its character span there (a tuple: texts have many)."""

    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """Arabic words, numbers and `%` of a normalised text, with their offsets."""
    make = Token._make  # a third faster than Token(...): this builds every token of every article
    return [make((m.group(), m.start(), m.end())) for m in _WORD.finditer(text)]


@lru_cache(maxsize=1 << 16)
def stems(word: str) -> frozenset[str]:
    """The word and what is left after removing one clitic prefix (kept >= 2 letters), article-free.
    Cached: news vocabulary repeats, and this runs for every token against every lexicon."""
    out = {word}
    for p in _PREFIXES:
        if word.startswith(p) and len(word) - len(p) >= 2:
            rest = word[len(p):]
            out.add(rest)
            if p.endswith("لل"):  # لل = ل + ال with the alef dropped
                out.add("ال" + rest)
    return frozenset(w[2:] if w.startswith("ال") and len(w) > 4 else w for w in out)


@lru_cache(maxsize=1 << 16)
def _suffix_free(word: str) -> frozenset[str]:
    out = {word}
    for s in _SUFFIXES:
        if word.endswith(s) and len(word) - len(s) >= 3:
            out.add(word[: -len(s)])
    return frozenset(out)


@lru_cache(maxsize=1 << 16)
def loose_forms(word: str) -> frozenset[str]:
    """The word without one clitic prefix and/or one pronoun suffix (`وطفلها` -> `طفل`)."""
    return frozenset(x for s in stems(word) for x in _suffix_free(s))


class Match(NamedTuple, Generic[P]):
    """A lexicon phrase found at tokens [first, last] (inclusive) and chars [start, end); a tuple,
    as texts have many and a frozen dataclass is several times slower to create."""

    first: int
    last: int
    start: int
    end: int
    payload: P


class PhraseMatcher(Generic[P]):
    """Finds lexicon phrases of several categories in one pass over the tokens; within a category,
    longest match first and without overlaps (categories may overlap each other)."""

    def __init__(self, phrases: list[tuple[str, str, P]]):
        self._by_head: dict[str, list[tuple[tuple[str, ...], str, P]]] = {}
        for phrase, category, payload in phrases:
            words = tuple(name_key(phrase).split())
            if not words:
                continue
            head = words[0][2:] if words[0].startswith("ال") and len(words[0]) > 4 else words[0]
            self._by_head.setdefault(head, []).append((words, category, payload))
        self._seen: dict[str, list[tuple[tuple[str, ...], str, P]]] = {}

    @staticmethod
    def _fits(words: tuple[str, ...], toks: list[Token], i: int) -> bool:
        if i + len(words) > len(toks):
            return False
        for k in range(1, len(words)):
            t = toks[i + k].text
            if k == len(words) - 1:
                if words[k] not in _suffix_free(t):
                    return False
            elif t != words[k]:
                return False
        return True

    def _candidates(self, word: str) -> list[tuple[tuple[str, ...], str, P]]:
        """Lexicon entries that may start at a token spelled `word`, longest first."""
        full = stems(word)
        found = [(words, category, payload) for head in loose_forms(word)
                 for words, category, payload in self._by_head.get(head, ())
                 if len(words) == 1 or head in full]  # only a phrase's last word carries a suffix
        found.sort(key=lambda e: len(e[0]), reverse=True)
        return found

    def find(self, toks: list[Token]) -> dict[str, list[Match[P]]]:
        """Category -> its phrase occurrences, left to right."""
        found: dict[str, list[Match[P]]] = {}
        free: dict[str, int] = {}  # per category, the first token not inside an earlier match
        seen = self._seen
        for word in {t.text for t in toks}.difference(seen):  # memoised per word: news vocabulary repeats
            seen[word] = self._candidates(word)
        for i in [i for i, t in enumerate(toks) if seen[t.text]]:  # the few tokens that may start a phrase
            tok = toks[i]
            done: set[str] = set()
            for words, category, payload in seen[tok.text]:  # longest first
                if category in done or free.get(category, 0) > i or len(words) > 1 and not self._fits(words, toks, i):
                    continue
                done.add(category)
                last = i + len(words) - 1
                found.setdefault(category, []).append(Match(i, last, tok.start, toks[last].end, payload))
                free[category] = last + 1
        return found


def read_tsv(name: str) -> list[dict[str, str]]:
    """Rows of a lexicon file in events/data (tab-separated, header line, `#` comments)."""
    with open(DATA / name, encoding="utf-8", newline="") as f:
        lines = [ln for ln in f if ln.strip() and not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


@dataclass(frozen=True, slots=True)
class Trigger:
    """An event cue: its type and strength (strong, generic or weak; see triggers.tsv)."""

    event_type: str
    strength: str

    @property
    def strong(self) -> bool:
        return self.strength != "weak"


@cache
def lexicon() -> PhraseMatcher:
    """Every lexicon in one matcher. Categories: `trigger` (triggers.tsv: event cues, payload a
    Trigger), `actor` (actors.tsv: payload the canonical name) and the context cues of cues.tsv
    by kind: `negation` before a trigger cancels it, `injury`/`subset` before a number say it is
    not the event's count, `near` before a place makes it approximate, `front` and `origin` mark
    places that are not where the incident happened."""
    phrases: list[tuple[str, str, object]] = [
        (r["phrase"], "trigger", Trigger(r["type"], r["strength"])) for r in read_tsv("triggers.tsv")]
    phrases += [(r["variant"], "actor", r["actor"]) for r in read_tsv("actors.tsv")]
    phrases += [(r["phrase"], r["kind"], r["kind"]) for r in read_tsv("cues.tsv")]
    return PhraseMatcher(phrases)


@cache
def person_nouns() -> dict[str, int]:
    """Nouns for people (events/data/person_nouns.tsv) -> grammatical number: 1, 2 (dual) or 3."""
    return {name_key(r["form"]): int(r["number"]) for r in read_tsv("person_nouns.tsv")}
