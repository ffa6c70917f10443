"""Words of normalised Arabic text, and the clitics that can be glued to their front.

Arabic writes the conjunctions و ف, the prepositions ب ل ك and the article ال as part of the
next word (`وبالقنيطرة`, `للرستن`), so a place name can start anywhere inside a word. `stems`
lists the readings of a word, the bare word first, each with how many letters the clitics took.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

_WORD = re.compile(r"[\u0621-\u063a\u0641-\u064a\u0671-\u06d3A-Za-z0-9]+")

# Proclitic sequences without the article, longest first; the article is handled separately.
_PROCLITICS = ("وب", "ول", "وك", "فب", "فل", "و", "ف", "ب", "ل", "ك")
MIN_STEM = 2  # `وتل تمر`: a two-letter first word of a multi-word name


class Token(NamedTuple):
    """One word of the normalised text; start/end index the normalised text."""

    start: int
    end: int
    text: str


def tokenize(text: str) -> list[Token]:
    """The words of a normalised text, in order."""
    return [Token(*m.span(), m.group()) for m in _WORD.finditer(text)]


@lru_cache(maxsize=200_000)
def stems(word: str) -> tuple[tuple[int, str], ...]:
    """Readings of `word` as (letters taken by clitics, stem), the bare word first.

    `للرستن` is ل + الرستن with the article's alef dropped: its stem is `الرستن` and the
    span starts at the second ل, which belongs to the name.
    """
    out = [(0, word)]
    for p in _PROCLITICS:
        if not word.startswith(p):
            continue
        rest = word[len(p):]
        if p.endswith("ل") and rest.startswith("ل") and len(rest) > MIN_STEM:
            out.append((len(p), "ا" + rest))
        elif len(rest) >= MIN_STEM:
            out.append((len(p), rest))
    return tuple(out)


def gap_is_space(text: str, end: int, start: int) -> bool:
    """True when only blanks separate two words (so they may form one multi-word name)."""
    return start > end and text[end:start].isspace()
