"""Places v2 families (issue 11), on sentences written for these tests: finds and must-not-finds."""
import pytest

from gazetteer import geoparse


def _found(text):
    return {m.text: m for m in geoparse(text)}


# (sentence, surface, accepted ids or None, kind or None)
REGIONS = [
    ("سقطت قذائف على قرى في ريف إدلب الجنوبي أمس", "ريف إدلب الجنوبي", {"SY07-S"}, "region"),
    ("نزحت عائلات من ريف حلب الشمالي الغربي", "ريف حلب الشمالي الغربي", {"SY02-NW"}, "region"),
    ("تصعيد على ريفي حماة الشمالي والغربي منذ يومين", "ريفي حماة الشمالي", {"SY05-N"}, "region"),
    ("تصعيد على ريفي حماة الشمالي والغربي منذ يومين", "الغربي", {"SY05-W"}, "region"),
    ("غارات على الريف الشرقي لحمص ليلا", "الريف الشرقي لحمص", {"SY04-E"}, "region"),
    ("تقدم في القطاع الجنوبي من ريف القنيطرة", "القطاع الجنوبي من ريف القنيطرة", {"SY14-S"}, "region"),
    ("اشتباكات في ريف محافظة حمص الغربي", "ريف محافظة حمص الغربي", {"SY04-W"}, "region"),
    ("قصف مدفعي على ريف منبج الغربي", "ريف منبج الغربي", {"SY0205"}, "region"),
    ("معارك عنيفة بشمال حماة منذ الصباح", "شمال حماة", {"SY05-N"}, "region"),
]
CITY_OR_GOVERNORATE = [
    ("أعلن مجلس محافظة حمص خطة للإعمار", "حمص", {"SY04"}, "governorate"),
    ("تجول الصحفيون في مدينة حمص القديمة", "حمص", {"C2528"}, "city"),
    ("انفجرت عبوة في حمص صباح اليوم", "حمص", {"C2528"}, "city"),
]
NEIGHBOURHOODS = [
    # a neighbourhood the gazetteer lacks still resolves to its town's point, as a neighbourhood
    ("سقطت قذيفة على حي البساتين في مدينة حماة", "البساتين", None, "neighbourhood"),
    ("قصفت المدفعية أحياء الفردوس والمنصورة بحلب", "الفردوس", None, "neighbourhood"),
]
LANDMARKS = [
    ("استهدفت غارة مستشفى الرحمة في مدينة إدلب", "مستشفى الرحمة", None, "landmark"),
    ("سقطت قذائف قرب دوار الساعة في حمص", "دوار الساعة", None, "landmark"),
    ("هاجم مقاتلون مقر اللواء 93 قرب الرقة", "اللواء 93", None, "landmark"),
    ("تجمع المحتجون في ساحة سراقب", "ساحة سراقب", None, "landmark"),
]


@pytest.mark.parametrize("text,surface,ids,kind", REGIONS + CITY_OR_GOVERNORATE + NEIGHBOURHOODS + LANDMARKS)
def test_finds(text, surface, ids, kind):
    found = _found(text)
    assert surface in found, f"{surface!r} not in {list(found)}"
    m = found[surface]
    if ids is not None:
        assert m.place_id in ids, m.place_id
    if kind is not None:
        assert m.kind == kind, m.kind
    assert text[m.start:m.end] == m.text


def test_composed_places_are_at_the_town_point_with_precision_2():
    city = {m.text: m for m in geoparse("انفجرت سيارة في حماة")}["حماة"]
    m = _found("سقطت قذيفة على حي البساتين في مدينة حماة")["البساتين"]
    assert (m.lat, m.lon) == (city.lat, city.lon) and m.geo_precision == 2
    assert m.place_id != city.place_id and m.place_id.startswith(city.place_id)
    again = _found("قصف على حي البساتين في حماة مجددا")["البساتين"]
    assert again.place_id == m.place_id  # stable id: the town and the phrase


def test_two_directions_of_one_governorate_are_two_referents():
    ids = {m.place_id for m in geoparse("تصعيد على ريفي حماة الشمالي والغربي، وفي محافظة حماة")}
    assert {"SY05-N", "SY05-W", "SY05"} <= ids


NOT_PLACES = [
    ("يعيش في حي شعبي مكتظ بالسكان", ["شعبي"]),  # an adjective after حي
    ("عقد اجتماع لجامعة الدول العربية في القاهرة", ["جامعة الدول", "الدول العربية"]),
    ("قتل عشرة جنود على بعد 20 كلم غرب الرقة", ["غرب الرقة"]),  # a bearing, not a countryside
    ("انتقل إلى مستشفى ميداني", ["مستشفى ميداني"]),  # no town named: nowhere to anchor
]


@pytest.mark.parametrize("text,words", NOT_PLACES)
def test_must_not_find(text, words):
    assert not set(words) & set(_found(text)), _found(text)
