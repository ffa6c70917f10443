"""Invariants of geoparse on arbitrary input: it never raises, spans index the original text,
spans never overlap, scores stay in [0, 1]."""
import random

from hypothesis import HealthCheck, given, settings, strategies as st

from gazetteer import geoparse

ARABIC_BITS = ["حماة", "ريف", "إدلب", "بلدة", "كفرزيتا", "و", "ب", "ال", "ـ", ".", "،", " ", "\u200f",
               "ً", "٣", "قرية", "الهامة", "بريف دمشق", "\n", "ريفي", "الشمالي", "لل", "خان أرنبة",
               "الأوسط", "الجنوبي الغربي", "درعا", "محافظتي", "بلدات", "(", "،", "حي", "مطار",
               "ﷺ", "ﷲ", "ﻻ", ")", "كفرزينا", "النقيب", "عيسى"]


def _check(text: str) -> None:
    mentions = geoparse(text)
    last_end = -1
    for m in mentions:
        assert text[m.start:m.end] == m.text
        assert m.start >= last_end, "mentions overlap or are out of order"
        assert 0.0 <= m.score <= 1.0
        last_end = m.end


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.text())
def test_any_unicode_text(text):
    _check(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(ARABIC_BITS), max_size=40))
def test_place_like_arabic_soup(parts):
    _check("".join(parts))


def test_empty_non_arabic_and_binary_looking_inputs():
    assert geoparse("") == []
    assert geoparse("The Syrian army shelled Idlib, Reuters reported.") == []
    rng = random.Random(7)
    _check("".join(chr(rng.randrange(0, 0x3000)) for _ in range(50_000)))


def test_ten_megabyte_input_returns():
    text = ("\x00\x01binary\ufffd" * 700_000)[:10_000_000] + " قصف على مدينة إدلب"
    mentions = geoparse(text)
    assert [m.place_id for m in mentions] == ["C3871"]


def test_long_text_is_read_in_blocks_with_offsets_into_the_whole_text():
    filler = "خبر عادي بلا أماكن.\n" * 15_000  # about 300,000 characters: three blocks
    text = "قصف على مدينة إدلب.\n" + filler + "اشتباكات في مدينة حمص.\n" + filler + "غارة على سراقب."
    found = geoparse(text)
    assert [m.place_id for m in found] == ["C3871", "C2528", "C3916"]
    for m in found:
        assert text[m.start:m.end] == m.text
