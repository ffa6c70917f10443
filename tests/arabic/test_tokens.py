"""The tokenizer: every match of the word pattern, with its offsets."""
from hypothesis import given, strategies as st

from arabic.tokens import _WORD, Token, tokenize

LETTERS = st.sampled_from(list("حلب قصف 12,5 3.4 % ab\n،.-") + ["\u0640", "é"])


@given(st.text(LETTERS) | st.text())
def test_tokens_are_the_matches_of_the_word_pattern(text):
    toks = tokenize(text)
    assert toks == [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
    assert all(type(t) is Token for t in toks)


def test_offsets_and_numbers():
    assert tokenize("قتل 25,4% في حلب.") == [Token(0, 3, "قتل"), Token(4, 8, "25,4"), Token(8, 9, "%"),
                                            Token(10, 12, "في"), Token(13, 16, "حلب")]
    assert tokenize("") == [] and tokenize(" .، ") == []
