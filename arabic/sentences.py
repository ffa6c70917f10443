"""Paragraphs, sentences and clauses of a normalised text.

A paragraph is a line. A sentence ends after `. ! ? ؟ ؛ ;` followed by a space or the end of the
line, so `3.5` and `...` inside a word do not end it; the Arabic semicolon ends a sentence
(`قصف على حماة؛ وفي إدلب` reports two things). A clause starts at a connective that opens
another incident (فيما، في حين، بينما…: `arabic/data/connectives.txt`).
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import cache
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple

from arabic.tokens import Token

# `[…][…]*` rather than `[…]+`: the same matches, but a pattern that opens with a character set lets the
# regex engine skip to the next stop character instead of trying a match at every position.
_STOPS = re.compile(r"[.!?؟؛;][.!?؟؛;]*(?=\s|$)")
_RUN = re.compile(r"\w+")
_end = itemgetter(1)  # a Token's end
DATA = Path(__file__).parent / "data"


class Sentence(NamedTuple):
    """A sentence: its paragraph number and its span in the normalised text."""

    para: int
    start: int
    end: int


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of a normalised text, in order (a sentence holds at least one word).

    Each line is cut after its stops; a piece needs a character before its stops (`. .` is no
    sentence) and a word. The stops of the whole text are found in one regex pass (none spans a line
    break) and dealt out to the lines, which costs far less than a pass per line."""
    out: list[Sentence] = []
    stops = [m.end() for m in _STOPS.finditer(text)]
    stops.append(len(text) + 1)  # past every line's end
    make, find, has_word = Sentence._make, text.find, _RUN.search
    k = para = pos = 0
    while True:
        nl = find("\n", pos)
        line_end = len(text) if nl < 0 else nl
        start = pos
        while True:  # the line's stops, then its end
            end = stops[k]
            if end <= line_end:
                k += 1
            else:
                end = line_end
            if end >= start + 2 or end == line_end > start:
                chunk = text[start:end]
                s, e = end - len(chunk.lstrip()), start + len(chunk.rstrip())
                if e > s and has_word(text, s, e):
                    out.append(make((para, s, e)))
                start = end
            if end == line_end and stops[k] > line_end:
                break
        if nl < 0:
            return out
        pos, para = nl + 1, para + 1


def sentence_of_tokens(tokens: list[Token], sentences: list[Sentence]) -> list[int]:
    """For each token, the number of the sentence it lies in (or the next one, between sentences): the
    first sentence ending at or after the token's end. Work a sentence, not a token: sentence k gets
    the tokens ending after sentence k - 1 and up to its own end."""
    ends = list(map(_end, tokens))
    out: list[int] = []
    lo = 0
    for k, sentence in enumerate(sentences):
        hi = bisect_right(ends, sentence.end, lo)
        out += [k] * (hi - lo)
        lo = hi
    out += [len(sentences)] * (len(tokens) - lo)
    return out


@cache
def connectives() -> tuple[dict[str, tuple[tuple[str, ...], ...]], frozenset[tuple[str, str]]]:
    """First word -> the connectives starting with it (a one-word one also with و glued on), and the
    (word, next word) pairs where that word is no connective."""
    heads: dict[str, list[tuple[str, ...]]] = {}
    not_cuts: set[tuple[str, str]] = set()
    for line in (DATA / "connectives.txt").read_text(encoding="utf-8").splitlines():
        words = tuple(line.lstrip("-").split())
        if not words or line.startswith("#"):
            continue
        if line.startswith("-"):
            not_cuts.update({(words[0], words[1]), ("و" + words[0], words[1])})
            continue
        heads.setdefault(words[0], []).append(words)
        if len(words) == 1:
            heads.setdefault("و" + words[0], []).append(words)
    return {k: tuple(v) for k, v in heads.items()}, frozenset(not_cuts)


def connective_starts(tokens: list[Token]) -> list[int]:
    """Start offsets of the connectives of a text (where a new clause begins)."""
    heads, not_cuts = connectives()
    out = []
    for i in [i for i, t in enumerate(tokens) if t.text in heads]:  # a cheap pass, then the few
        if i + 1 < len(tokens) and (tokens[i].text, tokens[i + 1].text) in not_cuts:
            continue
        for conn in heads[tokens[i].text]:
            if len(conn) == 1 or tuple(x.text for x in tokens[i:i + len(conn)]) == conn:
                out.append(tokens[i].start)
                break
    return out


def clauses(cuts: list[int], start: int, end: int) -> list[tuple[int, int]]:
    """Cut the span [start, end) at the connective offsets `cuts` (sorted) inside it."""
    inner = cuts[bisect_right(cuts, start):bisect_left(cuts, end)]
    bounds = [start, *inner, end]
    return [(a, b) for a, b in zip(bounds, bounds[1:]) if b > a]
