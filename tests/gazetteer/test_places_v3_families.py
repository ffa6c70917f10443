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
