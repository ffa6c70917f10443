"""Places, fourth part: quarters and sites inside towns (issue 11), one table per family, with sentences
written for these tests (none is taken from a gold set). Each family has rows that must be found and
rows that must not."""
import pytest

from gazetteer import geoparse
from gazetteer.mention import anchor_of

HOMS, ALEPPO, HAMA, DEIR, AFRIN, IDLEB, QAMISHLI = "C2528", "C1007", "C2987", "C5086", "C1366", "C3871", "C4564"


def _ids(text: str) -> list[tuple[str, str]]:
    return [(m.text, m.place_id) for m in geoparse(text)]


# A capital's name is the city, not the province, where a quarter or site is said to lie in it, or where a
# distance is measured from it, even in an article that speaks of the province (`محافظة X`) elsewhere.
CITY_BY_CONTEXT = [
    ("تسيطر القوات على محافظة حمص. وسقطت قذائف على حي الإنشاءات في حمص مساء أمس", HOMS),
    ("قصفت الطائرات محافظة حلب. وسقطت قذائف على عدة أحياء بحلب", ALEPPO),
    ("وقتل ثلاثة في قرية تقع على بعد 30 كلم شرق حماة، في محافظة حماة", HAMA),
    ("تأزم الوضع في محافظة حمص، وقصفت المدفعية مسجد الفاروق في شارع الملعب في حمص", HOMS),
]
# A military unit need not lie in the city: `اللواء 47 في حماة` keeps the article's province.
PROVINCE_KEPT = [
    ("استهدف القصف مواقع اللواء 47 في حماة، في محافظة حماة", "SY05"),
]


@pytest.mark.parametrize("text,city", CITY_BY_CONTEXT)
def test_the_town_of_a_quarter_is_the_city(text, city):
    assert city in [pid for _, pid in _ids(text)], _ids(text)


@pytest.mark.parametrize("text,gov", PROVINCE_KEPT)
def test_a_unit_in_a_capital_is_not_the_city(text, gov):
    ids = [pid for _, pid in _ids(text)]
    assert gov in ids and not [pid for pid in ids if pid == "C2987"], ids


# Quarters in a list: two risky names of one town's quarters side by side name each other's town; a risky
# name beside an ordinary word stays a word. Quoted names after a quarter cue are names; a generic head
# word and a word with the article (`كرم X`, `باب X`) make a quarter's name.
QUARTERS = [
    ("قالت مصادر في دير الزور إن القصف طال القصور والحويقة", "القصور", DEIR),
    ('قال شاهد إن قذيفة سقطت في حي "الزيدية" في عفرين', "الزيدية", AFRIN),
    ("استهدف الطيران حيي الفردوس وكرم الرمان في حلب", "كرم الرمان", ALEPPO),
]
NOT_QUARTERS = [
    ("وزار الوفد القصور والمتاحف في دير الزور", "القصور"),
    ('قال سكان حي "إننا نعيش في خوف دائم" في عفرين', "إننا"),
    ("في حي الفردوس وباب منزله مغلق في حلب", "باب منزله"),
    # the class word with the article is the town itself: `أحياء المدينة` are the city's quarters
    ("صعد النظام قصفه على أحياء المدينة اليوم في حلب", "المدينة"),
    ("وانتشرت الحواجز في أحياء البلدة قرب عفرين", "البلدة"),
]


@pytest.mark.parametrize("text,surface,town", QUARTERS)
def test_quarters_are_found_in_their_town(text, surface, town):
    found = dict(_ids(text))
    assert surface in found, found
    assert found[surface].split("-")[0] == town, found


@pytest.mark.parametrize("text,surface", NOT_QUARTERS)
def test_words_beside_quarters_stay_words(text, surface):
    assert not [t for t, _ in _ids(text) if surface in t], _ids(text)


# Facility phrases: a building serving a unit (`مبنى محافظة X`), a tower (`برج X`), a café or street named
# after a place abroad. Not: a لل- phrase says what a facility is for (`مدرسة للأطفال`), and a gazetteer
# name that begins with a facility word (`برج القاص`) is that place.
SITES = [
    ("سيطر المقاتلون على مبنى محافظة إدلب", "مبنى محافظة إدلب", IDLEB),
    ("سقطت قذيفة على برج حماة", "برج حماة", HAMA),
    ("انفجرت سيارة أمام مقهى روما في القامشلي", "مقهى روما", QAMISHLI),
]
NOT_SITES = [
    ("استهدفت الغارة مدرسة للأطفال في مدينة إدلب", "مدرسة للأطفال", None),
    ("قصفت المدفعية برج القاص ومعرة النعمان", "برج القاص", "C1648"),
]


@pytest.mark.parametrize("text,surface,town", SITES)
def test_sites_are_found_in_their_town(text, surface, town):
    found = dict(_ids(text))
    assert surface in found, found
    assert found[surface].split("-")[0] == town and "-lm-" in found[surface], found


@pytest.mark.parametrize("text,surface,own_id", NOT_SITES)
def test_not_sites(text, surface, own_id):
    found = dict(_ids(text))
    assert found.get(surface) == own_id, found


# A town's class word, then its name in quotes: the name is the town (`دوما` is also "always").
@pytest.mark.parametrize("text,surface,place", [
    ('وكانت مدينة "دوما" شهدت ظهر اليوم قصفا بالصواريخ', "دوما", "C2338"),
    ("وكانت مدينة «دوما» شهدت قصفا", "دوما", "C2338"),
])
def test_a_quoted_name_after_a_class_word_is_the_place(text, surface, place):
    assert (surface, place) in _ids(text), _ids(text)


def test_a_quoted_phrase_after_a_class_word_is_still_no_place():
    assert _ids('قال سكان المدينة "نعيش في خوف دائم"') == []


def test_a_composed_site_names_its_town_in_its_id():
    site = next(m for m in geoparse("اعتقلت قوات الأمن خمسة شبان في محيط ساحة عربين الكبرى") if m.kind == "landmark")
    assert anchor_of(site.place_id) == "C2321" and anchor_of("C2321") is None and anchor_of(None) is None


# A plural cue before a bracket, and a list whose names are parted by dashes, are a cue and a list
# like `بلدات الشجرة وعابدين`.
BRACKETED_LISTS = [
    ("طوقت الدوريات بلدات (المزيريب – اليادودة) منذ الصباح", {"C6039", "C6032"}),
    ("قصفت المدفعية قرى (كفرنبل — حاس) جنوب إدلب", {"C4068", "C4058"}),
]


@pytest.mark.parametrize("text,ids", BRACKETED_LISTS)
def test_a_bracketed_or_dashed_list_after_a_plural_cue(text, ids):
    assert ids <= {pid for _, pid in _ids(text)}, _ids(text)


# A minor place said to lie in a governorate it is far from is a namesake the gazetteer lacks: no marker
# at the wrong one. A border village told of its neighbour, or a well-known site with the wrong
# governorate (the writer's slip), is kept.
ELSEWHERE = [
    ("نزح سكان هداج بريف الحسكة بعد المعارك", "C3331", False),  # the gazetteer's Hdaj is in Hama
    ("سقطت قذائف على بلدة كفرزيتا بريف إدلب الجنوبي", "C3463", True),  # a Hama town 9 km from Idlib's
    ("قالت وسائل إعلام إن صواريخ سقطت على مطار الثعلة في محافظة حمص", "X-airbase-thaala", True),  # in Sweida
    # a distance from a named place the gazetteer's namesake does not lie at
    ("تضررت منازل في قرية الجبين (90 كلم شرق دير الزور) بعد القصف", "C3466", False),  # Jbine is in Hama
    ("تضررت منازل في قرية الجبين (30 كلم شمال غرب حماة) بعد القصف", "C3466", True),
]


# Common words after a cue that are the phrase's own noun, not a village's name; and a cue word of towns
# (`بلدة`) said of a city: no marker at a small namesake.
COMMON_NOUNS = [
    ("تعاني مناطق الصراع من نقص الدواء", "C4022", False),  # the conflict
    ("عاد الهدوء إلى معظم مناطق المدينة بعد الظهر", "C4337", False),  # the city
    ("تضررت كل بلدة على الطريق الدولي", "C5097", False),  # on the road
    ("داهمت الدورية قرية على في ريف دير الزور", "C5097", True),  # the village Ali
    ("تراجع عدد العالقين عند الحدود إلى مئة", "C6084", False),  # the stranded
    ("توجه الوفد إلى الظهران لحضور المؤتمر", "C4645", False),  # Saudi Arabia's Dhahran
    ("وصل المفتشون إلى بلدة دوما صباح اليوم", "C2338", True),  # Douma near Damascus, not a village of Hama
    ("تقدمت القوات في منطقة اللجاة شمال شرق درعا", "X-region-lajat", True),
    ("اعتقلت دورية عشرة شبان في بلدة الشجرة غرب درعا", "C6021", True),
    ("أصيب نحو أربعين طالبا بحالات تسمم", "C3462", False),  # forty, not the village الأربعين
    ("سقطت قذائف على قرية الأربعين في ريف حماة", "C3462", True),  # a village, not Hama's quarter of that name
    ("سقطت قذائف على حي الأربعين في مدينة حماة", "C2987-nb-e0b08dea", True),
    # after a given name (عيسى), a word with a preposition or a countryside is no family name
    ("فر ثلاثة عناصر من مواقعهم قرب بلدة عين عيسى بريف الرقة", "SY11", True),
    ("قصفت الطائرات بلدة عين عيسى بالرقة", "C5710", True),
]


# A nationality after a base names who runs it; after a town, the country it lies in.
OPERATED_OR_ABROAD = [
    ("وصل وفد عسكري إلى قاعدة حميميم الروسية صباح الاثنين", "X-airbase-hmeimim", True),
    ("أطلقت صواريخ على مطار حميميم الروسي قرب جبلة", "X-airbase-hmeimim", True),
    ("زار الوفد مدينة سنجار العراقية أمس", "C4024", False),
]


@pytest.mark.parametrize("text,pid,found", ELSEWHERE + COMMON_NOUNS + OPERATED_OR_ABROAD)
def test_a_place_the_words_around_a_name_rule_in_or_out(text, pid, found):
    assert (pid in [p for _, p in _ids(text)]) == found, _ids(text)


# Words of ordinary phrases that are also small villages' names: no marker.
ORDINARY_PHRASES = [
    ("عاد مقاتلون عراقيون إلى الأنبار بعد انتهاء المهمة", "C1549"),  # Iraq's Anbar, not a village of Afrin
    ("كان الفريق في طليعة المنافسين على اللقب", "C4826"),  # in the vanguard
    ("نشأ الكاتب في قرية صغيرة على ضفاف النهر", "C1735"),  # a small village
    ("اشترى المستثمرون أراضي ومزارع في الساحل", "C5366"),  # farms
    ("لم يعلق المتحدث على القرار في حينه", "C2477"),  # at the time
    ("أشاد المدرب بأداء اللاعب تيسير الجاسم في المباراة", "C6111"),  # a footballer's family name
    ("أقيمت فعاليات بمناسبة عيد الجلاء في نيسان", "C5178"),  # Evacuation Day
]


@pytest.mark.parametrize("text,pid", ORDINARY_PHRASES)
def test_a_word_of_an_ordinary_phrase_is_no_village(text, pid):
    assert pid not in [p for _, p in _ids(text)], _ids(text)


# A site joined by و right after a village is the village's sibling in a list, not a building in it: its
# town is not guessed. After a town it is that town's (`مدينة كفرنبل ومشفى الأمل`).
@pytest.mark.parametrize("text,anchored", [
    ("سيطرت الفصائل على قرى كرناز والحماميات ومدرسة الزراعة", None),
    ("قصفت الطائرات مدينة كفرنبل ومشفى الأمل صباح اليوم", "C4068"),
])
def test_a_site_listed_after_a_village_is_not_put_in_it(text, anchored):
    sites = [pid for _, pid in _ids(text) if "-lm-" in pid]
    assert [anchor_of(pid) for pid in sites] == ([anchored] if anchored else []), _ids(text)
