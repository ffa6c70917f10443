"""Sentence splitting: the one-pass splitter cuts where the per-line definition cuts."""
from __future__ import annotations

import re
from bisect import bisect_left

from hypothesis import given, settings
from hypothesis import strategies as st

from arabic.sentences import Sentence, sentence_of_tokens, split_sentences
from arabic.tokens import tokenize

_STOP_RUN = re.compile(r"[.!?؟؛;]+(?=\s|$)")


def per_line(text: str) -> list[Sentence]:
    """The definition, line by line: cut after each run of stops followed by a blank or the line's end;
    a piece needs a character before its stops and a word; blanks around it are trimmed."""
    out, pos = [], 0
    for para, line in enumerate(text.split("\n")):
        start = 0
        for end in [m.end() for m in _STOP_RUN.finditer(line)] + [len(line)]:
            if end >= start + 2 or end == len(line) > start:
                chunk = line[start:end]
                s, e = end - len(chunk.lstrip()), start + len(chunk.rstrip())
                if e > s and re.search(r"\w", line[s:e]):
                    out.append(Sentence(para, pos + s, pos + e))
                start = end
        pos += len(line) + 1
    return out


def test_sentences_of_a_text_with_paragraphs():
    text = "قصف على حماة؛ وفي إدلب اشتباكات.\n\n  بلغ العدد 3.5 مليون... ثم هدأ القصف!\n. .\nخبر بلا نقطة"
    got = [(s.para, text[s.start:s.end]) for s in split_sentences(text)]
    assert got == [(0, "قصف على حماة؛"), (0, "وفي إدلب اشتباكات."), (2, "بلغ العدد 3.5 مليون..."),
                   (2, "ثم هدأ القصف!"), (4, "خبر بلا نقطة")]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(list(".!?؟؛; \n\t\u00a0a1حلب،,") + ["...", "\n\n", "  "]), max_size=20))
def test_split_equals_the_per_line_definition(pieces):
    text = "".join(pieces)
    assert split_sentences(text) == per_line(text)


@given(st.lists(st.sampled_from(list(".!? \nحلب") + ["...", "\n\n", " 1 "]), max_size=30))
def test_each_token_gets_the_first_sentence_ending_at_or_after_it(pieces):
    text = "".join(pieces)
    tokens, sentences = tokenize(text), split_sentences(text)
    ends = [s.end for s in sentences]
    assert sentence_of_tokens(tokens, sentences) == [bisect_left(ends, t.end) for t in tokens]
