"""Word-level phrase matching on normalised Arabic, for lexicons kept in data files.

A phrase matches a run of tokens whose first token equals the phrase's first word once clitic
prefixes (and the article, on both sides) are removed, whose later tokens are equal but for the
article, and whose last token may carry a pronoun suffix: `وبالبراميل`, `للانشقاق` and `قصفها` are found, and a
phrase never fires inside an unrelated word, as a substring search would.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Generic, NamedTuple, TypeVar

from arabic.clitics import loose_forms, stems, strip_article, suffix_free
from arabic.normalize import name_key
from arabic.tokens import Token

P = TypeVar("P")


class Match(NamedTuple, Generic[P]):
    """A phrase found at tokens [first, last] (inclusive) and chars [start, end); a tuple, as texts
    have many and a frozen dataclass is several times slower to create."""

    first: int
    last: int
    start: int
    end: int
    payload: P


@lru_cache(maxsize=1 << 16)
def _inner_forms(word: str) -> frozenset[str]:
    """A later word of a phrase as written or without its article: an adjective agrees in
    definiteness with its noun (`الغارات الجوية` is `غارات جويه`)."""
    return frozenset((word, strip_article(word)))


@lru_cache(maxsize=1 << 16)
def _last_forms(word: str) -> frozenset[str]:
    """The last word of a phrase: as a later word, and also without a pronoun suffix (`قصفها`)."""
    return frozenset(f for x in _inner_forms(word) for f in suffix_free(x))


class PhraseMatcher(Generic[P]):
    """Finds phrases of several categories in one pass over the tokens; within a category, longest
    match first and without overlaps (categories may overlap each other)."""

    def __init__(self, phrases: list[tuple[str, str, P]]):
        self._by_head: dict[str, list[tuple[tuple[str, ...], str, P]]] = {}
        for phrase, category, payload in phrases:
            words = tuple(name_key(phrase).split())
            if words:
                self._by_head.setdefault(strip_article(words[0]), []).append((words, category, payload))
        self._seen: dict[str, list[tuple[tuple[str, ...], str, P]]] = {}

    def categories(self) -> set[str]:
        """Every category the matcher was given."""
        return {c for entries in self._by_head.values() for _, c, _ in entries}

    def payloads(self, category: str) -> list[P]:
        """Every payload of a category (e.g. every trigger), for registry checks."""
        return [p for entries in self._by_head.values() for _, c, p in entries if c == category]

    @staticmethod
    def _fits(words: tuple[str, ...], toks: list[Token], i: int) -> bool:
        if i + len(words) > len(toks):
            return False
        last = len(words) - 1
        for k in range(1, len(words)):
            t = toks[i + k].text
            if words[k] not in (_last_forms(t) if k == last else _inner_forms(t)):
                return False
        return True

    def _candidates(self, word: str) -> list[tuple[tuple[str, ...], str, P]]:
        """Entries that may start at a token spelled `word`, longest first."""
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
            # the next token's forms, to drop most longer phrases before a full check
            second = _last_forms(toks[i + 1].text) if i + 1 < len(toks) else frozenset()
            for words, category, payload in seen[tok.text]:  # longest first
                if category in done or free.get(category, 0) > i or len(words) > 1 and (
                        words[1] not in second or not self._fits(words, toks, i)):
                    continue
                done.add(category)
                last = i + len(words) - 1
                found.setdefault(category, []).append(Match(i, last, tok.start, toks[last].end, payload))
                free[category] = last + 1
        return found
