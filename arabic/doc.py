"""The analysed document: one per article, built once and handed to every stage.

It holds the original text, its normalisation with the offset map back, the tokens, the
sentences (with the sentence of each token) and the clause cuts. The geoparser and the event
extractor both read it; nothing re-normalises or re-tokenises an article, and nothing hides a
Doc in a cache: a worker process needs nothing but its inputs.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right

from arabic.normalize import Normalized, normalize
from arabic.sentences import Sentence, connective_starts, sentence_of_tokens, split_sentences
from arabic.tokens import Token, tokenize


class cached_property:
    """functools.cached_property without Python 3.11's lock, which every Doc's first read of each part took
    (one lock per class; 3.12 dropped it): made once per Doc, kept in the instance's dict."""

    def __init__(self, func):
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.func(instance)
        return value


class Doc:
    """An article's text analysed once; offsets of tokens and sentences index `norm.text`.

    The reader normalises (it needs the normalised text for the article's id); the words, sentences
    and clauses are made the first time a stage asks for them, in the process that runs that stage.
    So a build with worker processes ships only the normalised text to a worker (a pickled list of
    tokens costs more than making it), and every article is still normalised and tokenised once.
    """

    def __init__(self, norm: Normalized):
        self.norm = norm

    def __reduce__(self):
        return Doc, (self.norm,)

    @cached_property
    def tokens(self) -> list[Token]:
        """The words of the normalised text."""
        return tokenize(self.norm.text)

    @cached_property
    def starts(self) -> list[int]:
        """Where each token starts: what `tok_index` and `tok_at` bisect (in C, where a key function
        would be called at every step)."""
        return [t.start for t in self.tokens]

    @cached_property
    def sentences(self) -> list[Sentence]:
        return split_sentences(self.norm.text)

    @cached_property
    def sentence_of(self) -> list[int]:
        """For each token, the number of its sentence."""
        return sentence_of_tokens(self.tokens, self.sentences)

    @cached_property
    def clause_cuts(self) -> list[int]:
        """Normalised offsets where a connective opens a new clause (made on first use: the geoparser needs none)."""
        return connective_starts(self.tokens)

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
        return bisect_left(self.starts, char)

    def tok_at(self, char: int) -> int:
        """Index of the token that holds normalised offset `char` (a name after its clitic, `لدمشق`,
        is in the token that starts with the clitic)."""
        return bisect_right(self.starts, char) - 1

    def orig(self, start: int, end: int) -> tuple[int, int]:
        """A non-empty normalised span -> the span of the original text it came from."""
        return self.norm.span(start, end)

    def to_norm(self, offset: int) -> int:
        """An original offset -> the offset of the same character (or the next kept one) in the normalised text."""
        return bisect_left(self.norm.index, offset)


def analyse(text: str) -> Doc:
    """The analysed document of `text` (normalised now, split into words when first asked)."""
    return Doc(normalize(text))
