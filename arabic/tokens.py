"""Words of normalised Arabic text.

One tokenizer for the whole project: Arabic words, Latin words, numbers (with their decimal and
thousands separators, `25,4`), and `%`. Offsets index the normalised text.
"""
from __future__ import annotations

import re
from itertools import accumulate, repeat
from typing import NamedTuple

_WORD = re.compile(r"[\u0621-\u063a\u0641-\u064a\u0671-\u06d3]+|[A-Za-z]+|\d+(?:[.,]\d+)*|%")
_SPLIT = re.compile(f"({_WORD.pattern})")  # gap, word, gap, word, ..., gap


class Token(NamedTuple):
    """One word of the normalised text (a tuple: texts have many, and tuples are cheap)."""

    start: int
    end: int
    text: str


def tokenize(text: str) -> list[Token]:
    """The words of a normalised text, in order.

    Runs over every article, so no Python code runs per word: the regex splits the text into gaps
    and words, the running sum of their lengths gives the words' offsets, and the tuples are made
    in C (as `Token._make` does, without its call per word)."""
    parts = _SPLIT.split(text)
    bounds = list(accumulate(map(len, parts)))  # bounds[2k] is where word k starts, bounds[2k + 1] where it ends
    return list(map(tuple.__new__, repeat(Token), zip(bounds[0::2], bounds[1::2], parts[1::2])))


def gap_is_space(text: str, end: int, start: int) -> bool:
    """True when only blanks separate two words (so they may form one multi-word name)."""
    return start > end and text[end:start].isspace()
