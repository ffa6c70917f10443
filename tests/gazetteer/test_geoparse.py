"""The geoparser, behaviour by behaviour, on sentences written for these tests (not the seeds)."""
import pytest

from gazetteer import geoparse

# (sentence, surface text that must be found, accepted place ids, kind or None)
FINDS = [
    # clitics and the article glued to the name
    ("قصفت قوات النظام أحياء بدرعا بالبراميل المتفجرة", "درعا", {"C5993", "SY12"}, None),
    ("نزح مئات الأهالي من حمص والقنيطرة خلال الأسبوع", "القنيطرة", {"C6268", "SY14"}, None),
    ("عاد عشرات النازحين للرستن بعد توقف المعارك", "لرستن", {"C2870"}, "city"),
    # multi-word names, also written without their space
    ("سقطت قذائف على معرة النعمان مساء أمس", "معرة النعمان", {"C3985"}, None),
    ("دخلت دورية إلى خان أرنبة صباحا", "خان أرنبة", {"C6273"}, None),
    ("قصف مدفعي استهدف كفرزيتا بريف حماة", "كفرزيتا", {"C3463"}, None),
    # spelling variants (ه for ة) and one-letter typos
    ("دخلت قوات النظام حماه صباحا", "حماه", {"C2987", "SY05"}, None),
    ("سقط صاروخ في كنصفره وأصاب منزلا", "كنصفره", {"C4309"}, None),
    ("تقدمت القوات نحو الجبين وتل ملح في ريف حماة", "الجبين", {"C3466"}, None),
    ("غارات جوية على بلدة كفرزينا بريف حماة الشمالي", "كفرزينا", {"C3463"}, None),
    ("قصف طال قرية باتنتا في ريف إدلب", "باتنتا", {"C3939"}, None),
    # cue words: kind
    ("قصفت الفصائل مطار الثعلة بالصواريخ فجرا", "مطار الثعلة", {"X-airbase-thaala"}, "airbase"),
    ("اشتباكات عنيفة في جبل التركمان منذ الفجر", "جبل التركمان", {"X-mountain-jabal-turkman"}, "mountain"),
    ("حملة عسكرية على وادي بردى", "وادي بردى", {"X-valley-wadi-barada"}, "valley"),
    ("أعلن مجلس محافظة حماة عن خطة جديدة", "حماة", {"SY05"}, "governorate"),
    ("تجول الوفد في مدينة حماة القديمة", "حماة", {"C2987"}, "city"),
    # region phrases: the governorate's countryside, not the city
    ("تقدمت قوات النظام في ريف حماة الشمالي", "ريف حماة الشمالي", {"SY05-N"}, "region"),
    ("فر عشرة عناصر من حاجز قرب نوى في ريف درعا الغربي", "ريف درعا الغربي", {"SY12-W"}, "region"),
    ("قصفت المدفعية قرى في ريف دمشق", "ريف دمشق", {"SY03"}, "governorate"),
    ("تستمر المعارك في ريفي إدلب وحماة", "ريفي إدلب", {"SY07"}, "governorate"),
    ("تستمر المعارك في ريفي إدلب وحماة", "حماة", {"SY05"}, "governorate"),
    ("اعتقلت دورية شابين من مدينة داعل بريف درعا الأوسط", "ريف درعا الأوسط", {"SY12-C"}, "region"),
    # a plural cue covers every member of its list
    ("أعلن مجلسا محافظتي حمص وطرطوس عن خطة", "طرطوس", {"SY10"}, "governorate"),
    # disambiguation by the governorate named beside it
    ("اعتقلت دورية شابين من الهامة بريف دمشق", "الهامة", {"C2323"}, None),
    ("اعتقلت القوات شابين في الهامة بريف الحسكة", "الهامة", {"C4805"}, None),
    ("سيطرت القوات على الخالدية في حمص", "الخالدية", {"X-nbhd-homs-khalidiya", "C2522", "C2734"}, None),
    ("دارت اشتباكات في حي الخالدية بمدينة حلب", "الخالدية", {"X-nbhd-aleppo-khalidiya"}, "neighbourhood"),
    # a bare governorate name is the governorate or its capital, never a village elsewhere
    ("وصلت التعزيزات إلى القنيطرة", "القنيطرة", {"C6268", "SY14"}, None),
    # a name the gazetteer lacks does not hide the others
    ("قصف على قرية شمسقلون وعلى مدينة إدلب", "إدلب", {"C3871"}, "city"),
    # a common word that is also a town, with a cue word
    ("شهدت مدينة الباب اشتباكات عنيفة", "الباب", {"C1202"}, None),
    # على normalises like the name علي: it must not make the next word a person's surname
    ("أعلن قائد الفصيل عن هجوم على سراقب", "سراقب", None, None),
    # an alias in brackets, and an admin unit's alias resolved to the town it is named after
    ("ضربات على عين العرب (كوباني) ليلا", "كوباني", {"C1946"}, None),
    # a surname takes no conjunction: after a given name, و starts a new place
    ("قصف على عين عيسى وتل أبيض", "تل أبيض", {"C5792"}, None),
    # a foreign city's name that is also a Syrian place, with a governorate beside it
    ("اشتباكات في المنصورة بريف الرقة الغربي", "المنصورة", None, None),
    # punctuation without its space still separates names
    ("قصف على مدينة إدلب،حلب.وقال ناشطون", "حلب", {"C1007"}, None),
    # a given name before a dash is not a person's surname context
    ("استهدفت مسيرة سيارة على طريق عين عيسى - تل أبيض", "تل أبيض", {"C5792"}, None),
    # a two-letter first word behind a clitic
    ("قصف على رأس العين وتل تمر", "تل تمر", {"C4409"}, None),
]


def _found(text: str):
    return {m.text: m for m in geoparse(text)}


@pytest.mark.parametrize("text,surface,ids,kind", FINDS)
def test_finds_and_resolves(text, surface, ids, kind):
    found = _found(text)
    assert surface in found, f"{surface!r} not found in {list(found)}"
    m = found[surface]
    if ids is not None:
        assert m.place_id in ids
    if kind is not None:
        assert m.kind == kind
    assert text[m.start:m.end] == m.text
    assert 0.0 <= m.score <= 1.0


NOT_PLACES = [
    ("هناك مخاطر على سلامة المدنيين حفاظا على السلامة", ["على", "سلامة", "السلامة"]),
    ("خسائر بشرية كبيرة في صفوف القوات", ["بشرية"]),
    ("عاشت الذكرى العاشرة للثورة السورية", ["للثورة", "لثورة", "الثورة"]),
    ("عزفت الفرقة نشيد حماة الديار", ["حماة"]),
    ("أصدر حزب البعث بيانا", ["البعث"]),
    ("قال النقيب مصطفى إن الجيش الحر تقدم", ["مصطفى", "الحر"]),
    ("قال النقيب ناجي مصطفى إن الهجوم فشل", ["مصطفى"]),
    ("وصل العبد إلى مدينة", ["العبد", "مدينة"]),
    ("منذ فتح الباب أمام الحوار", ["الباب"]),
    ("قتل الشاب محمد الأحمد برصاص قناص", ["الأحمد"]),
    ("أعلن أبو محمد الجولاني عن هجوم جديد", ["الجولاني"]),
    ("أعلنت وزارة الداخلية ونقلت وكالات الأنباء", ["وزارة", "زارة", "كالات"]),
    ("انتشلت فرق الإنقاذ جثتين من تحت الأنقاض في المدينة", ["المدينة"]),  # a variant, not the name
    ("وصل الجنود إلى مناطق المعارضة في الشمال السوري", ["المعارضة", "الشمال"]),
    ("في ريف. حماة الشمالي", ["ريف. حماة الشمالي"]),  # a phrase does not run across a full stop
]


@pytest.mark.parametrize("text,words", NOT_PLACES)
def test_everyday_words_are_not_places(text, words):
    found = _found(text)
    assert not set(words) & set(found), f"wrongly found {set(words) & set(found)}"


def test_foreign_places_are_not_syrian_villages():
    text = "عقد اجتماع في القاهرة والدوحة وجنيف وموسكو وواشنطن، وزار الوفد تركيا ولبنان والعراق"
    assert geoparse(text) == []


def test_place_in_a_list_is_supported_by_its_neighbours():
    text = "قصف الطيران بلدات كنصفرة واحسم وبليون وكفرسجنة"
    found = {m.place_id for m in geoparse(text)}
    assert {"C4309", "C4295", "C4302", "C4110"} <= found


def test_article_geography_disambiguates_a_repeated_village_name():
    # نقير exists in Idlib and Hama; the article is about southern Idlib.
    text = "قصفت الطائرات معرة النعمان وكفرسجنة. وسقطت قذائف على نقير مساء"
    m = {m.text: m for m in geoparse(text)}["نقير"]
    assert m.admin1 == "Idleb"


def test_region_point_lies_in_the_named_part_of_the_governorate():
    north = {m.text: m for m in geoparse("معارك في ريف حماة الشمالي")}["ريف حماة الشمالي"]
    south = {m.text: m for m in geoparse("معارك في ريف حماة الجنوبي")}["ريف حماة الجنوبي"]
    assert north.lat > south.lat


def test_a_place_outside_the_stated_part_of_the_governorate_is_doubted():
    # كفرسجنة lies in southern Idlib: said to be in the north, it must be another, unknown village.
    south = {m.text for m in geoparse("قصفت المدفعية قرية كفرسجنة بريف إدلب الجنوبي")}
    north = {m.text for m in geoparse("قصفت المدفعية قرية كفرسجنة بريف إدلب الشمالي")}
    assert "كفرسجنة" in south
    assert "كفرسجنة" not in north


def test_countryside_point_is_the_part_of_the_governorate_through_its_seat():
    # ANNOTATION.md: the governorate polygon clipped to the half-plane through the seat, its
    # representative point: north of Homs city, inside Homs governorate.
    m = {m.text: m for m in geoparse("قصف على ريف حمص الشمالي")}["ريف حمص الشمالي"]
    homs_lat = 34.7227
    assert m.place_id == "SY04-N" and m.lat > homs_lat and m.admin1 == "Homs"


@pytest.mark.parametrize("governorate", ["حلب", "إدلب", "حماة", "حمص", "دمشق", "درعا", "السويداء", "القنيطرة",
                                          "اللاذقية", "طرطوس", "الرقة", "دير الزور", "الحسكة"])
def test_every_direction_of_every_countryside_is_a_region(governorate):
    from gazetteer.lexicon import _lines

    for line in _lines("directions.tsv"):
        adjective = line.split("\t")[0]
        phrase = f"ريف {governorate} {adjective}"
        found = {m.text: m for m in geoparse(f"اشتباكات في {phrase} اليوم")}
        assert phrase in found and found[phrase].kind == "region", (phrase, list(found))


def test_a_name_accepted_once_is_found_where_it_recurs():
    # The second النبك has no cue word of its own; حزب البعث stays a party however often البعث recurs.
    text = "انشق عشرات المجندين في مدينة النبك. وقال أحد مجندي النبك إن الأوامر صدرت. وقصفت بلدة البعث، وأصدر حزب البعث بيانا"
    found = [m.text for m in geoparse(text)]
    assert found.count("النبك") == 2
    assert found.count("البعث") == 1


def test_a_common_word_recurs_as_itself():
    found = [m.text for m in geoparse("شهدت مدينة الباب اشتباكات، ومنذ فتح الباب أمام الحوار")]
    assert found.count("الباب") == 1


def test_typos_are_only_read_where_a_place_is_expected():
    # كفرزينا is one letter from كفرزيتا: after a cue word it is the town, alone in a sentence it is not.
    assert [m.place_id for m in geoparse("غارات على بلدة كفرزينا بريف حماة")][:1] == ["C3463"]
    assert geoparse("قال إن كفرزينا كلمة") == []


def test_an_ambiguous_name_with_no_context_falls_back_to_prominence():
    # الرستن names a city and a district: alone, the city.
    assert [m.place_id for m in geoparse("عاد الهدوء إلى الرستن")] == ["C2870"]


def test_a_village_named_like_a_word_needs_context():
    # عقرب (scorpion) is a village: below the threshold alone, a place after a cue word.
    assert geoparse("لدغت عقرب طفلا في المنزل") == []
    assert [m.place_id for m in geoparse("اشتباكات في محيط بلدة عقرب بريف حماة")][:1] == ["C3049"]
