"""The analysed document: one per article, built once and handed to every stage.

It holds the original text, its normalisation with the offset map back, the tokens, the
sentences (with the sentence of each token) and the clause cuts. The geoparser and the event
extractor both read it; nothing re-normalises or re-tokenises an article, and nothing hides a
Doc in a cache: a worker process needs nothing but its inputs.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from arabic.normalize import Normalized, normalize
from arabic.sentences import Sentence, connective_starts, sentence_of_tokens, split_sentences
from arabic.tokens import Token, tokenize


@dataclass(frozen=True, slots=True)
class Doc:
    """An article's text analysed once; offsets of tokens and sentences index `norm.text`."""

    norm: Normalized
    tokens: list[Token]
    sentences: list[Sentence]
    sentence_of: list[int]  # per token
    clause_cuts: list[int]  # normalised offsets where a connective opens a new clause

    @property
    def text(self) -> str:
        """The original text."""
        return self.norm.original

    @property
    def ntext(self) -> str:
        """The normalised text."""
        return self.norm.text

    def tok_index(self, char: int) -> int:
        """Index of the first token that starts at or after normalised offset `char`."""
        return bisect_left(self.tokens, char, key=_start)

    def orig(self, start: int, end: int) -> tuple[int, int]:
        """A non-empty normalised span -> the span of the original text it came from."""
        return self.norm.span(start, end)

    def to_norm(self, offset: int) -> int:
        """An original offset -> the offset of the same character (or the next kept one) in the normalised text."""
        return bisect_left(self.norm.index, offset)


def _start(t: Token) -> int:
    return t.start


def analyse(text: str) -> Doc:
    """Normalise, tokenise and split `text` once."""
    norm = normalize(text)
    tokens = tokenize(norm.text)
    sentences = split_sentences(norm.text)
    return Doc(norm, tokens, sentences, sentence_of_tokens(tokens, sentences), connective_starts(tokens))
