"""One pass over a block's words: which of them can matter to which step of the geoparser.

Most words of an article are no place name, no cue, no countryside word and open no fixed
expression. Each step used to read every word; now each word's roles are worked out once per
distinct word (news reuses its vocabulary, so this is a dictionary lookup per word) and every step
visits only the words with its role. The steps keep their meaning word for word: a word without a
role was one on which they did nothing.
"""
from __future__ import annotations

from itertools import compress
from operator import attrgetter

from arabic.clitics import readings
from arabic.tokens import Token
from gazetteer.index import NameIndex
from gazetteer.lexicon import cue_of, expression_starts, expressions_by_first

EXACT = 1  # some reading is a place name or opens a multi-word one (NameIndex.readings)
REGION = 2  # a countryside word (`ريف`, `القطاع`) or a compass noun (`شمال`): it may open a region phrase
EXPRESSION = 4  # may open a fixed expression (`حزب البعث`)
CUE = 8  # a cue word (`بلدة`, `حي`), behind any clitics
FACILITY = 16  # a facility word (`مشفى`, `اللواء`)
KNOWN = 32  # may open a curated neighbourhood or landmark without coordinates

MEMO_MAX = 500_000


def _roles_of(word: str, idx: NameIndex, region_words: frozenset[str], facilities, known_firsts) -> int:
    stems = readings(word)
    r = EXACT if idx.readings(word) else 0
    if any(st in region_words for _, st in stems):
        r |= REGION
    if any(st in expressions_by_first() for st in expression_starts(word)):
        r |= EXPRESSION
    if cue_of(word) is not None:
        r |= CUE
    if any(st in facilities for _, st in stems):
        r |= FACILITY
    if any(st in known_firsts and (not off or word[:off] in ("و", "ب", "ف", "وب")) for off, st in stems):
        r |= KNOWN
    return r


def word_roles(words: list[Token], idx: NameIndex) -> list[int]:
    """The role bits of each word (memoised per index and word)."""
    memo = idx.__dict__.get("_roles")
    if memo is None:
        from gazetteer.candidates import REGION_WORDS
        from gazetteer.compose import facility_words, named_without_coordinates

        memo = idx.__dict__["_roles"] = {}
        idx.__dict__["_roles_args"] = (REGION_WORDS, facility_words(),
                                       frozenset(k[0] for k in named_without_coordinates()))
    out = list(map(memo.get, map(_text, words)))  # one dictionary probe a word, in C
    if None in out:  # words not seen before
        args = idx.__dict__["_roles_args"]
        for n, r in enumerate(out):
            if r is None:
                word = words[n].text
                r = out[n] = _roles_of(word, idx, *args)
                if len(memo) < MEMO_MAX:
                    memo[word] = r
    return out


_text = attrgetter("text")


def having(roles: list[int], bits: int, some: list[int] | None = None) -> list[int]:
    """Indices of the words with any of these role bits; `some`: the words with any role (`with_roles`),
    a shorter list to filter."""
    if some is None:
        return [i for i, r in enumerate(roles) if r & bits]
    return [i for i in some if roles[i] & bits]


def with_roles(roles: list[int]) -> list[int]:
    """Indices of the words with any role at all (about one word in five)."""
    return list(compress(range(len(roles)), roles))
