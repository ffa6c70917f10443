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
from functools import lru_cache
from pathlib import Path
from typing import Generic, Iterator, TypeVar

from gazetteer.normalize import name_key

DATA = Path(__file__).parent / "data"
_WORD = re.compile(r"[\u0621-\u064a\u0671-\u06d3]+|\d+(?:[.,]\d+)*|%")
# Longest first: `وبال` must be tried before `و`.
_PREFIXES = sorted(
    ["و", "ف", "ب", "ل", "ك", "ال", "وال", "فال", "بال", "كال", "لل", "ولل", "فلل", "وب", "ول", "فب", "فل", "وك",
     "وبال", "ولل", "فبال", "س", "وس"],
    key=len, reverse=True,
)
# Not a lone ه: after normalisation it is also the ta marbuta (مقتله "carnage" is not مقتل + ه).
_SUFFIXES = ["هما", "هم", "هن", "ها", "كم", "نا"]
P = TypeVar("P")


@dataclass(frozen=True, slots=True)
class Token:
    """A word of the normalised text and its character span there."""

    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """Arabic words, numbers and `%` of a normalised text, with their offsets."""
    return [Token(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]


def stems(word: str) -> set[str]:
    """The word and what is left after removing one clitic prefix (kept >= 2 letters), article-free."""
    out = {word}
    for p in _PREFIXES:
        if word.startswith(p) and len(word) - len(p) >= 2:
            rest = word[len(p):]
            out.add(rest)
            if p.endswith("لل"):  # لل = ل + ال with the alef dropped
                out.add("ال" + rest)
    return {w[2:] if w.startswith("ال") and len(w) > 4 else w for w in out}


def _suffix_free(word: str) -> set[str]:
    out = {word}
    for s in _SUFFIXES:
        if word.endswith(s) and len(word) - len(s) >= 3:
            out.add(word[: -len(s)])
    return out


@dataclass(frozen=True, slots=True)
class Match(Generic[P]):
    """A lexicon phrase found at tokens [first, last] (inclusive) and chars [start, end)."""

    first: int
    last: int
    start: int
    end: int
    payload: P


class PhraseMatcher(Generic[P]):
    """Finds lexicon phrases in token lists, longest match first, without overlaps."""

    def __init__(self, phrases: list[tuple[str, P]]):
        self._by_head: dict[str, list[tuple[tuple[str, ...], P]]] = {}
        for phrase, payload in phrases:
            words = tuple(name_key(phrase).split())
            if not words:
                continue
            head = words[0][2:] if words[0].startswith("ال") and len(words[0]) > 4 else words[0]
            self._by_head.setdefault(head, []).append((words, payload))
        for entries in self._by_head.values():
            entries.sort(key=lambda e: len(e[0]), reverse=True)

    def _fits(self, words: tuple[str, ...], toks: list[Token], i: int) -> bool:
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

    def find(self, toks: list[Token]) -> Iterator[Match[P]]:
        """Every phrase occurrence, left to right; at each position the longest phrase wins."""
        i = 0
        while i < len(toks):
            full = stems(toks[i].text)
            loose = {x for s in full for x in _suffix_free(s)}
            best: tuple[tuple[str, ...], P] | None = None
            for head in loose:
                for words, payload in self._by_head.get(head, ()):
                    if len(words) > 1 and head not in full:
                        continue  # only a phrase's last word carries a pronoun suffix
                    if best is not None and len(words) <= len(best[0]):
                        break
                    if self._fits(words, toks, i):
                        best = (words, payload)
                        break
            if best is None:
                i += 1
                continue
            last = i + len(best[0]) - 1
            yield Match(i, last, toks[i].start, toks[last].end, best[1])
            i = last + 1


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


@lru_cache(maxsize=None)
def triggers() -> PhraseMatcher[Trigger]:
    """Event cues by type (events/data/triggers.tsv)."""
    return PhraseMatcher([(r["phrase"], Trigger(r["type"], r["strength"])) for r in read_tsv("triggers.tsv")])


@lru_cache(maxsize=None)
def actors() -> PhraseMatcher[str]:
    """Actor names and their variants, each mapped to one canonical name (events/data/actors.tsv)."""
    return PhraseMatcher([(r["variant"], r["actor"]) for r in read_tsv("actors.tsv")])


@lru_cache(maxsize=None)
def cues(kind: str) -> PhraseMatcher[str]:
    """Context cues (events/data/cues.tsv): `negation` before a trigger cancels it, `injury`
    before a number says it counts the wounded, `near` before a place makes it approximate."""
    return PhraseMatcher([(r["phrase"], r["kind"]) for r in read_tsv("cues.tsv") if r["kind"] == kind])


@lru_cache(maxsize=None)
def person_nouns() -> dict[str, int]:
    """Nouns for people (events/data/person_nouns.tsv) -> grammatical number: 1, 2 (dual) or 3."""
    return {name_key(r["form"]): int(r["number"]) for r in read_tsv("person_nouns.tsv")}
