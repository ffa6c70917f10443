"""Places v2, third part: the remaining error families, one table each, with sentences written for
these tests (none is taken from a gold set).

ANCHORS rows: a sentence, the phrase that must be found, and the place_id of the town it must be anchored
in (composed ids start with the town's id) or its own place_id.
"""
import pytest

from gazetteer import geoparse

HOMS, DAMASCUS, ALEPPO, HAMA = "C2528", "C1001", "C1007", "C2987"

ANCHORS = [
    # the town the phrase names after it, not the last town the article named
    ("قتل رجل في قصف على تلبيسة أمس. وقصفت المدفعية مسجد الفاروق في شارع الملعب في حمص", "مسجد الفاروق", HOMS),
    ("قتل رجل في قصف على تلبيسة أمس. وقصفت المدفعية مسجد الفاروق في شارع الملعب في حمص", "شارع الملعب", HOMS),
    # a street that shares a village's name lies in the town the text puts it in
    ("سقطت قذيفة على شارع الدبلان في حمص صباح اليوم", "شارع الدبلان", HOMS),
    # a base said to lie in a governorate anchors at its seat, not at a town named earlier
    ("قصفت الطائرات مطار خلخلة في السويداء، ومواقع اللواء 105 في ريف دمشق", "اللواء 105", DAMASCUS),
    # no town before it in its sentence: the town named later in the sentence
    ("ووقعت اشتباكات في حي الورود، بحسب ناشطين في حلب", "الورود", ALEPPO),
    # nor anywhere in its sentence: the town the article names most, not the last one named
    ("قصفت القوات حماة بالصواريخ. وقال ناشطون في حماة إن القصف طال أحياء عدة. ونزح كثيرون إلى السلمية. "
     "وخرجت دبابة من ثكنة عسكرية في حي الصابونية", "الصابونية", HAMA),
    # a camp is a cue for a city-sized community (the Yarmouk camp is a Damascus community)
    ("وتركز القتال في محيط مخيم اليرموك جنوب دمشق", "اليرموك", "C1002"),
]

# a phrase whose town is a directional countryside names no town: better no mention than a wrong one
NO_ANCHOR = [
    ("قتل رجل في درعا. وقصفت الطائرات مواقع اللواء 93 في ريف حماة الشمالي", "اللواء 93"),
]


@pytest.mark.parametrize("text,surface,town", ANCHORS)
def test_anchored_in_the_town_the_text_says(text, surface, town):
    found = {m.text: m for m in geoparse(text)}
    assert surface in found, f"{surface} not found in {list(found)}"
    assert found[surface].place_id.split("-")[0] == town, found[surface]


@pytest.mark.parametrize("text,surface", NO_ANCHOR)
def test_no_town_no_phrase(text, surface):
    assert surface not in [m.text for m in geoparse(text)]


# Ordinary words that are also place names, decided by grammar and context.
NOT_PLACES = [
    # a verb: an object follows (an indefinite plural, a number) or it is joined by و to another verb
    ("قال ناشطون إن قذائف النظام تدمر عشرات المنازل وإن الغارات تدمر مستودعات الحبوب", "تدمر"),
    ("وقال القائد إن المقاتلين صدوا الهجوم ودمر ثلاث آليات للقوات المهاجمة", "دمر"),
    ("حملة تريد أن تحرق وتدمر وتشعل الفتنة بين الأهالي", "تدمر"),
    # an indefinite common adjective right after a plural noun
    ("خسرت الفصائل مناطق هامة في ريف المحافظة", "هامة"),
    # a given name before `عبد X` / `بن X` is a person
    ("وقال الناطق باسم الفصيل رامي عبد الله إن الهجوم فشل", "رامي"),
    # the dual of a cue word counts places, it does not name one
    ("قصفت الطائرات قريتين قرب الحدود", "قريتين"),
    # a compass noun after a region cue is a bearing
    ("يتحدر معظم المنشقين من منطقة غرب النهر", "غرب"),
    # the head word of a longer name the gazetteer lacks
    ("سيطرت القوات على قرى وبلدات داعل وتلول حمدان", "تلول"),
    # a name + direction the gazetteer lacks, while it knows a twin (`القنية الشرقية`), is not the bare name
    # (`الغارية الغربية` was the example until OCHA's misspelling of it got its correct spelling as a variant)
    ("دخلت القوات بلدات نصيب والقنية الغربية في ريف درعا الشرقي", "القنية"),
    # a place name inside an outlet's name
    ("وقال مركز حمص الإعلامي إن القصف استمر", "حمص"),
]

STILL_PLACES = [
    # a name with a direction the gazetteer lacks is the base place when it knows no directional twin of it
    ("سيطرت القوات على بلدات صيدا والكرك الشرقي في ريف درعا", "الكرك", "C6047"),
    # the same names used as places
    ("سيطرت قوات النظام على مدينة تدمر الأثرية", "تدمر", "C2889"),
    ("وصلت تعزيزات عسكرية إلى تدمر قادمة من حمص", "تدمر", "C2889"),
    ("قتل ثلاثة مدنيين في بلدة داعل وتلول خليف بريف درعا", "داعل", "C6030"),
]

# Named regions against same-name villages and shortened names.
REGIONS = [
    # a plural settlement cue counts the villages of a region
    ("قصفت قوات النظام قرى وبلدات الحولة بقذائف الهاون", "الحولة", "X-region-houla"),
    # a region cue
    ("سقطت قذائف على منطقة الحولة في ريف حمص", "الحولة", "X-region-houla"),
]


@pytest.mark.parametrize("text,surface", NOT_PLACES)
def test_ordinary_words_are_not_places(text, surface):
    found = [m.text for m in geoparse(text)]
    assert not any(surface in t for t in found), found


@pytest.mark.parametrize("text,surface,place_id", STILL_PLACES + REGIONS)
def test_places_are_still_found(text, surface, place_id):
    found = {m.text: m.place_id for m in geoparse(text)}
    assert found.get(surface) == place_id, found


def test_a_shortened_region_name_is_the_region_the_article_named():
    text = ("تواصلت الضربات الجوية على الغوطة الشرقية أمس. وغادر مئات السكان "
            "الغوطة باتجاه دمشق يوم الأحد.")
    ids = {m.text: m.place_id for m in geoparse(text)}
    assert ids["الغوطة"] == ids["الغوطة الشرقية"] == "X-region-eastern-ghouta"


def test_a_square_named_after_a_neighbourhood_is_its_own_place():
    text = "استعاد المقاتلون دوار صلاح الدين في حلب بعد اشتباكات في حي صلاح الدين"
    found = {m.text: m for m in geoparse(text)}
    assert found["دوار صلاح الدين"].kind == "landmark"
    assert found["صلاح الدين"].kind == "neighbourhood"
