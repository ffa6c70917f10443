"""Arabic normalisation: what it folds, what it removes, and that offsets lead back to the original."""
import re

import pytest
from hypothesis import given, strategies as st

from arabic.normalize import _DROP, _DROP_RULES, _ONE_TO_ONE, name_key, normalize

CASES = [
    # (original, normalised): one behaviour per row
    ("مُحافَظَةُ", "محافظه"),                # diacritics, teh marbuta
    ("الانـــشقاق", "الانشقاق"),             # tatweel
    ("خسـ.ائر", "خساير"),                    # dot wedged into a word (and hamza on yeh)
    ("السـ,خط", "السخط"),                    # comma wedged into a word
    ("قتـ.لا", "قتلا"),
    ("الهـ.روب", "الهروب"),
    ("أإآٱ", "اااا"),                         # alef forms
    ("مستشفى", "مستشفي"),                    # alef maqsura
    ("٢٠١٩ و۳", "2019 و3"),                   # Eastern Arabic and Persian digits
    ("حل\u200fب\u200b", "حلب"),               # bidi and zero-width marks
    ("“الفتح” «المبين»", '"الفتح" "المبين"'),  # curly and angle quotes
    ("ﻻ", "لا"),                              # presentation-form ligature
    ("حماة. وقال", "حماه. وقال"),             # a real full stop stays
    ("3.5 كم", "3.5 كم"),                     # decimal point between digits stays
    ("إدلب،حلب.وقال", "ادلب،حلب.وقال"),       # punctuation missing its space is not a breaker
    ("قت.ـلا", "قتلا"),                        # breaker before the tatweel
]


@pytest.mark.parametrize("original,expected", CASES)
def test_normalises(original, expected):
    assert normalize(original).text == expected


@pytest.mark.parametrize("original,_", CASES)
def test_is_idempotent_on_cases(original, _):
    once = normalize(original).text
    assert normalize(once).text == once


def test_span_maps_back_to_the_original_word():
    original = "قصف على بلدة كفرنـ.ـبل اليوم"
    n = normalize(original)
    start = n.text.index("كفرنبل")
    s, e = n.span(start, start + len("كفرنبل"))
    assert original[s:e] == "كفرنـ.ـبل"


def test_name_key_collapses_spaces_and_case():
    assert name_key("  كَفْر   زيتا ") == "كفر زيتا"
    assert name_key("Abu al-Duhur") == "abu al duhur"


@given(st.text())
def test_idempotent_and_offsets_valid_for_any_text(text):
    n = normalize(text)
    assert normalize(n.text).text == n.text
    assert len(n.index) == len(n.text)
    assert all(0 <= i < len(text) for i in n.index)
    assert list(n.index) == sorted(n.index)


def test_the_one_to_one_replacements_are_one_translation():
    # normalize replaces them one after the other: that is one translation only while no
    # replacement is itself a character to replace
    assert not set(_ONE_TO_ONE.values()) & set(_ONE_TO_ONE)
    mixed = "".join(_ONE_TO_ONE) + " حلب"
    assert normalize(mixed).text == mixed.translate(str.maketrans(_ONE_TO_ONE))


def test_offsets_of_a_text_longer_than_the_precomputed_ones():
    original = "قصف على بلدة كفرنـ.ـبل " * 5000  # 115,000 characters
    n = normalize(original)
    start = n.text.rindex("كفرنبل")
    s, e = n.span(start, start + len("كفرنبل"))
    assert original[s:e] == "كفرنـ.ـبل" and len(n.index) == len(n.text)


@given(st.text(st.sampled_from(list("بحل ـ.,،*_ًٌa1\u200f"))))
def test_the_lookahead_of_first_characters_changes_no_match(text):
    assert [m.span() for m in _DROP.finditer(text)] == [m.span() for m in re.finditer(_DROP_RULES, text)]
