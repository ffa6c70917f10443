"""Counts of people: digits, Eastern digits, number words, thousands, qualifiers, vague amounts."""
import pytest

from events.counts import find_counts
from arabic.tokens import tokenize
from arabic.normalize import normalize


def counts(sentence: str):
    norm = normalize(sentence)
    return [(c.value, sentence[slice(*norm.span(c.start, c.end))], c.person)
            for c in find_counts(tokenize(norm.text))]


@pytest.mark.parametrize("sentence, value, text", [
    ("قالت الشبكة إن 12 عنصرا انشقوا عن الكتيبة", 12, "12"),
    ("انشق ١٧ مجندا من اللواء", 17, "١٧"),
    ("اعتقلت الدورية ثلاثة شبان من الحي", 3, "ثلاثة"),
    ("أفرجت السلطات عن أحد عشر معتقلا", 11, "أحد عشر"),
    ("قتل خمسة وعشرون مقاتلا في الهجوم", 25, "خمسة وعشرون"),
    ("فر مائتا جندي من الثكنة", 200, "مائتا"),  # construct state (before a noun)
    ("قتل أكثر من مئتي مدني", 200, "أكثر من مئتي"),
    ("انشق نحو 300 عسكري عن الفرقة", 300, "نحو 300"),
    ("وصل قرابة 60 منشقا إلى الشمال", 60, "قرابة 60"),
    ("قضى ما لا يقل عن 23 مدنيا", 23, "ما لا يقل عن 23"),
    ("تجاوز عدد الفارين الـ 90 عنصرا", 90, "90"),
    ("فاق عدد الفارين الـ 90 عنصرا", 90, "90"),
    ("أعداد الفارين فاقت الـ 90 عنصرا", 90, "فاقت الـ 90"),
    ("وصل المنشقون وقاربوا الشمال وفاقت أعدادهم، وبلغ عددهم 40 عنصرا", 40, "وبلغ عددهم 40"),
    ("فر منه حتى الآن أكثر من 12 ألفا", 12000, "أكثر من 12 ألفا"),
    ("بلغ عدد القتلى مئة شخص", 100, "مئة"),
    ("ارتفع العدد إلى مائة وعشرين قتيلا", 120, "مائة وعشرين"),
    ("اعتقل ألف شاب خلال الحملة", 1000, "ألف"),
    ("قدر عددهم بسبعة عناصر", 7, "قدر عددهم بسبعة"),
])
def test_numbers_with_their_phrase(sentence, value, text):
    found = [(v, t) for v, t, _ in counts(sentence) if v is not None]
    if value is None:
        assert found == []
    else:
        assert found[0] == (value, text)


@pytest.mark.parametrize("sentence, text", [
    ("انشق عشرات الجنود عن اللواء", "عشرات"),
    ("فرت أعداد كبيرة من المجندين", "أعداد كبيرة"),
    ("اعتقلت القوات عددا من الشبان", "عددا من"),
    ("قتل مئات المدنيين في الحصار", "مئات"),
])
def test_vague_amounts_have_no_value_but_keep_text(sentence, text):
    found = counts(sentence)
    assert found and found[0][0] is None and found[0][1] == text and found[0][2]


@pytest.mark.parametrize("sentence, value", [
    ("قتل طفلان بقذيفة", 2),
    ("أصيب مدنيان وقتل شخص آخر", 1),
    ("قتل مدنيين اثنين في القصف", 2),
])
def test_duals_and_another_one(sentence, value):
    assert value in [v for v, _, _ in counts(sentence)]


def test_dead_is_not_two_hundred():
    assert [v for v, _, _ in counts("عثر على الشاب ميتا في منزله")] == []


def test_number_before_other_nouns_is_not_a_person_count():
    found = counts("زيادة قدرها 50 دولارا على الرواتب")
    assert found and found[0][0] == 50 and not found[0][2]
