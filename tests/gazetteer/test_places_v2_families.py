"""Places v2, second part: one table per error family, with sentences written for these tests.

Each row: a sentence, the surface that must (or must not) be found, and for finds the place_id or kind.
"""
import pytest

from gazetteer import geoparse

FINDS = [
    # spelling variants through general mechanisms: a spaceless source name written with its space
    ("سيطرت القوات على بلدة بصر الحرير في ريف درعا الشرقي", "بصر الحرير", "C6105"),
    # a city written without the adverb's tanween, after a preposition
    ("تجددت الغارات على دوما بعد هدوء حذر", "دوما", "C2338"),
    # a curated neighbourhood without coordinates, in an article naming its town, at the town's point
    ("سقطت قذائف على حي العرضي في مدينة دير الزور", "العرضي", "neighbourhood"),
    # a risky neighbourhood name next to a listed one
    ("اشتباكات في أحياء مدينة دير الزور مثل العرضي والقصور", "القصور", "neighbourhood"),
    # `من شمال X`: a countryside, not a bearing
    ("انتقل المقاتلون من شمال حلب إلى غربها", "شمال حلب", "SY02-N"),
]

NOT_FOUND = [
    # function words and their spaceless joins
    ("سيطرت القوات على ثماني بلدات على الأقل في المنطقة", "على"),
    ("أكد الوزير على أنه لن يتراجع", "على أنه"),
    ("وقال مراسلنا في حلب إن القصف استمر", "حلب إن"),
    # tanween marks the adverb
    ("كان الوضع هادئاً دوماً في تلك الأيام", "دوماً"),
    # the tail of a longer name the gazetteer lacks
    ("تقدمت القوات من بلدة خربة المليحة باتجاه الشمال", "المليحة"),
    # a namesake tied to another country
    ("فرّ المقاتلون إلى سنجار العراقية", "سنجار"),
    ("عقدت القمة في مدينة الظهران السعودية", "الظهران"),
    ("صادق مجلس الدوما الروسي على القانون", "الدوما"),
    # a common word after a cue of another kind
    ("وصعد النظام قصفه على أحياء المدينة", "المدينة"),
    # a clitic reading that makes a common word (`ورقة`), not the capital's name
    ("سقطت ورقة التوت الأخيرة عن تلك المواقف", "ورقة"),
]


@pytest.mark.parametrize("text,surface,expected", FINDS)
def test_finds(text, surface, expected):
    found = {m.text: m for m in geoparse(text)}
    assert surface in found, f"{surface} not found in {list(found)}"
    m = found[surface]
    assert expected in (m.place_id, m.kind)


@pytest.mark.parametrize("text,surface", NOT_FOUND)
def test_must_not_find(text, surface):
    found = [m.text for m in geoparse(text)]
    assert not any(surface == t or surface.endswith(t) and len(t) > 2 for t in found), found


def test_a_bare_capital_is_the_province_in_an_article_that_calls_it_a_governorate():
    text = "قصفت الطائرات مواقع في محافظة إدلب. وقال ناشطون إن إدلب تتعرض لأعنف حملة."
    ids = [m.place_id for m in geoparse(text)]
    assert ids == ["SY07", "SY07"]


def test_a_governorate_is_placed_at_its_seat():
    m = next(m for m in geoparse("في محافظة درعا") if m.place_id == "SY12")
    seat = next(m for m in geoparse("في مدينة درعا") if m.place_id == "C5993")
    assert (round(m.lat, 3), round(m.lon, 3)) == (round(seat.lat, 3), round(seat.lon, 3))


def test_every_mention_explains_itself():
    for m in geoparse("قصفت الطائرات بلدة كفرنبل بريف إدلب الجنوبي وحي العرضي في دير الزور"):
        assert m.why, m
