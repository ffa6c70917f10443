"""Dates: explicit Gregorian/Levantine months, ordinal days, and expressions relative to publication."""
import datetime as dt

import pytest

from events.dates import find_dates, publication_date
from arabic.normalize import normalize

PUB = dt.date(2020, 3, 12)  # a Thursday


def first(sentence: str, pub=PUB):
    hits = find_dates(normalize(sentence).text, pub)
    return (hits[0].date, hits[0].precision, hits[0].since) if hits else None


@pytest.mark.parametrize("sentence, date, precision", [
    ("وقع الانفجار في 3 شباط 2020 قرب السوق", dt.date(2020, 2, 3), 1),
    ("في الخامس من آذار مارس الجاري شنت الطائرات غارات", dt.date(2020, 3, 5), 1),
    ("جرت المعارك في 14 أغسطس 2016", dt.date(2016, 8, 14), 1),
    ("يوم الحادي والعشرين من كانون الثاني الماضي", dt.date(2020, 1, 21), 1),
    ("اعتقل الشاب في الـ9 من تشرين الأول", dt.date(2019, 10, 9), 1),
    ("وصل المنشقون اليوم إلى المدينة", PUB, 1),
    ("قصفت المدفعية البلدة أمس", dt.date(2020, 3, 11), 1),
    ("انفجرت العبوة أول من أمس", dt.date(2020, 3, 10), 1),
    ("انفجرت العبوة أمس الأول", dt.date(2020, 3, 10), 1),
    ("وقعت الاشتباكات يوم السبت الماضي", dt.date(2020, 3, 7), 1),
    ("اعتقل يوم الخميس الفائت", dt.date(2020, 3, 5), 1),
    ("فروا منذ يومين", dt.date(2020, 3, 10), 1),
    ("قتل منذ ثلاثة أيام", dt.date(2020, 3, 9), 2),
    ("اعتقلته الدورية قبل 10 أيام", dt.date(2020, 3, 2), 2),
    ("انشق منذ ستة أيام", dt.date(2020, 3, 6), 2),
    ("فقد الاتصال به منذ ثلاثة أسابيع", dt.date(2020, 2, 20), 3),
    ("قصفت الطائرات البلدة قبل أسبوعين", dt.date(2020, 2, 27), 2),
    ("داهمت الدورية الحي يوم الأحد الماضي", dt.date(2020, 3, 8), 1),
    ("شهدت المدينة الأسبوع الماضي عمليات دهم", dt.date(2020, 3, 5), 2),
    ("انشق أواخر الشهر الماضي عشرات", dt.date(2020, 2, 25), 3),
    ("في مطلع شهر نيسان 2018", dt.date(2018, 4, 5), 3),
    ("خلال الأيام القليلة الماضية", dt.date(2020, 3, 9), 2),
    ("في عام 2013", dt.date(2013, 7, 1), 4),
    ("في الخامس من الشهر الجاري", dt.date(2020, 3, 5), 1),
    ("في 28 من الشهر الماضي", dt.date(2020, 2, 28), 1),
    ("ارتفعت حالات الفرار خلال العام الجاري", PUB, 4),
    ("2020-02-29 بيان", dt.date(2020, 2, 29), 1),
])
def test_dates(sentence, date, precision):
    assert first(sentence)[:2] == (date, precision)


def test_since_marks_a_span_start():
    assert first("ومنذ العاشر من شباط الماضي صعدت القوات عملياتها")[2] is True
    assert first("فروا منذ يومين")[2] is False


@pytest.mark.parametrize("sentence", ["مارس الجيش ضغوطا", "قال الأب إن ابنه", "سيزور الوفد المدينة الخميس المقبل"])
def test_words_that_look_like_dates_are_not(sentence):
    assert first(sentence) is None


def test_relative_dates_need_a_publication_date():
    assert first("قصفت المدفعية البلدة أمس", pub=None) is None
    assert first("في 3 شباط 2020", pub=None)[0] == dt.date(2020, 2, 3)


def test_publication_date_prefers_the_date_after_the_headline_to_a_banner():
    text = "السبت 4 مايو 2024\nقائمة\nعشرات المجندين يفرون من ثكنة في ريف المدينة الشرقي\nالثلاثاء 12 مارس 2019\nنص الخبر."
    norm = normalize(text).text
    title_end = text.index("\nالثلاثاء")
    assert publication_date(norm, title_end) == dt.date(2019, 3, 12)
    assert publication_date("نص بلا تاريخ", 0) is None
