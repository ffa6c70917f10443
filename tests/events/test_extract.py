"""Event extraction on my own sentences, with place mentions built by hand (the geoparser is tested
in tests/gazetteer): types, counts, dates, actors, place linking, one event per place, ids."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from events.corpus import Article, article_id
from events.extract import extract
from events.schema import COLUMNS
from events.places import geo_precision
from gazetteer.mention import Mention
from tests.events.fixed_mentions import fixed_mentions

# name: (place_id, kind, admin1, lat, lon)
PLACES = {
    "كفرنبل": ("P1", "town", "Idleb", 35.61, 36.56),
    "حيش": ("P2", "village", "Idleb", 35.55, 36.64),
    "معرشورين": ("P3", "village", "Idleb", 35.58, 36.70),
    "ريف إدلب الجنوبي": ("R1", "region", "Idleb", 35.60, 36.60),
    "محافظة إدلب": ("G1", "governorate", "Idleb", 35.90, 36.60),
    "تلبيسة": ("P4", "town", "Homs", 34.84, 36.73),
    "الرستن": ("P5", "city", "Homs", 34.92, 36.73),
    "ريف حمص الشمالي": ("R2", "region", "Homs", 34.90, 36.75),
    "سراقب": ("Q1", "city", "Idleb", 35.86, 36.80),
    "أريحا": ("Q2", "city", "Idleb", 35.81, 36.61),
    "جسر الشغور": ("Q3", "city", "Idleb", 35.81, 36.32),
    "دوما": ("Q4", "city", "Rural Damascus", 33.57, 36.40),
    "الباب": ("Q5", "city", "Aleppo", 36.37, 37.52),
    "ريف درعا الغربي": ("R3", "region", "Dar'a", 32.75, 36.00),
    "الميادين": ("Q6", "city", "Deir-ez-Zor", 35.02, 40.45),
    "الشحيل": ("Q7", "town", "Deir-ez-Zor", 35.12, 40.38),
    "ريف حماة الشمالي": ("R4", "region", "Hama", 35.30, 36.65),
    "طفس": ("Q8", "town", "Dar'a", 32.74, 36.07),
}


def mentions(text: str) -> list[Mention]:
    return fixed_mentions(text, PLACES)


def run(text: str, published: str | None = "2020-03-12", title: str = ""):
    article = Article("doc.txt", text, title, "Outlet", None, published, "day" if published else None,
                      article_id(text))
    return extract(article, mentions=mentions(text))


def brief(rows):
    return [(r["event_type"], r["location_ar"], r["count"]) for r in rows]


@pytest.mark.parametrize("sentence, etype", [
    ("أعلن ضابط برتبة نقيب انشقاقه عن قوات النظام في كفرنبل.", "defection"),
    ("قالت مصادر إن عناصر من اللواء فروا من حواجزهم قرب كفرنبل.", "desertion"),
    ("استهدفت راجمات الصواريخ بلدة كفرنبل.", "shelling"),
    ("شن الطيران الحربي الروسي غارات على كفرنبل.", "airstrike"),
    ("قصف الطيران المروحي بالبراميل المتفجرة بلدة كفرنبل.", "airstrike"),
    ("دارت اشتباكات عنيفة في محيط كفرنبل.", "clashes"),
    ("انفجرت عبوة ناسفة في سوق كفرنبل.", "bombing"),
    ("عثر على جثة شاب قتل برصاص مجهولين في كفرنبل.", "killing"),
    ("شنت قوات الأمن حملة اعتقالات في كفرنبل.", "arrest"),
    ("انفجرت سيارة مفخخة في كفرنبل ما أسفر عن مقتل سبعة مدنيين.", "bombing"),
    ("قتل مدنيان إثر قصف مدفعي على كفرنبل.", "shelling"),
    ("شنت الطائرات غارات على كفرنبل، ما أدى لمقتل طفلين في حيش.", "airstrike"),
    ("داهمت دورية منازل ذوي المنشقين في كفرنبل واعتقلت ثلاثة من أقاربهم.", "arrest"),
    ("تجاوز عدد المنشقين من كفرنبل 40 عنصرا، بعد مقتل عدد من رفاقهم.", "defection"),
])
def test_event_types(sentence, etype):
    rows = run(sentence)
    assert {r["event_type"] for r in rows} == {etype}


# Whole reports as news write them (monitor reports, security branches, car bombs, numbers in words,
# relative dates): every field that matters, with publication on Thursday 2020-03-12.
# (type, place, count, count_text, event_date, time_precision, geo_precision, actors)
@pytest.mark.parametrize("sentence, expected", [
    (("وثّق المرصد السوري لحقوق الإنسان مقتل خمسة مدنيين، بينهم طفلان، جراء غارات نفذتها طائرات حربية روسية صباح "
      "اليوم على بلدات سراقب وأريحا وجسر الشغور بريف إدلب."),
     # five killed across three towns: each town's event keeps the phrase, none claims the five as its own
     [("airstrike", place, None, "خمسة", "2020-03-12", 1, 1, "الطيران الروسي") for place in ("سراقب", "أريحا", "جسر الشغور")]),
    ("داهمت دورية تابعة لفرع الأمن العسكري منازل في مدينة دوما، واعتقلت سبعة شبان بينهم طالب جامعي، يوم الأحد الماضي.",
     [("arrest", "دوما", 7, "سبعة", "2020-03-08", 1, 1, "قوات النظام")]),
    ("ارتفعت حصيلة ضحايا انفجار السيارة المفخخة في مدينة الباب إلى 14 قتيلا، وفق ما أفاد الدفاع المدني.",
     [("bombing", "الباب", 14, "14", "2020-03-12", 2, 1, None)]),
    ("أعلن أحد عشر عنصرا من قوات النظام انشقاقهم والتحاقهم بصفوف فصائل المعارضة في ريف درعا الغربي منذ ثلاثة أيام.",
     [("defection", "ريف درعا الغربي", 11, "أحد عشر", "2020-03-09", 2, 2, "قوات النظام;فصائل المعارضة")]),
    ("انشق ثلاثة وعشرون مجندا عن الفرقة الرابعة في الميادين أمس.",
     [("defection", "الميادين", 23, "ثلاثة وعشرون", "2020-03-11", 1, 1, "قوات النظام")]),
    ("قتل مدني وجرح آخرون جراء سقوط قذائف صاروخية أطلقتها قوات النظام على مدينة سراقب مساء الأحد الماضي.",
     [("shelling", "سراقب", 1, "مدني", "2020-03-08", 1, 1, "قوات النظام")]),
    (("اندلعت اشتباكات عنيفة بين قوات سوريا الديمقراطية وعناصر تنظيم داعش في محيط بلدة الشحيل، أسفرت عن مقتل ثمانية "
      "عناصر من الطرفين."),
     [("clashes", "الشحيل", 8, "ثمانية", "2020-03-12", 2, 2, "قسد;داعش")]),
    ("فرّ نحو ثلاثين عنصرا من الدفاع الوطني من مواقعهم في ريف حماة الشمالي خلال الأسبوع الماضي.",
     [("desertion", "ريف حماة الشمالي", 30, "نحو ثلاثين", "2020-03-05", 2, 2, "الدفاع الوطني")]),
    ("اغتيل قيادي سابق في فصائل المعارضة بعبوة ناسفة زرعها مجهولون في سيارته ببلدة طفس.",
     [("bombing", "طفس", 1, "قيادي", "2020-03-12", 2, 1, "فصائل المعارضة")]),
    ("قصفت مدفعية النظام بلدتي سراقب وأريحا بعشرات القذائف، ما أدى إلى مقتل امرأة وطفلها في سراقب.",
     [("shelling", "سراقب", 2, "امرأة وطفلها", "2020-03-12", 2, 1, "قوات النظام"),
      ("shelling", "أريحا", None, None, "2020-03-12", 2, 1, "قوات النظام")]),
    (("سقط خمسة قتلى مدنيين بينهم ثلاثة أطفال في قصف صاروخي استهدف سوقا شعبيا في مدينة أريحا، فيما قتل شخصان بغارة "
      "روسية على جسر الشغور."),
     [("shelling", "أريحا", 5, "خمسة", "2020-03-12", 2, 1, None),
      ("airstrike", "جسر الشغور", 2, "شخصان", "2020-03-12", 2, 1, None)]),
    ("قتل خمسة مدنيين بغارات روسية على مدينة سراقب وبلدتي كفرنبل وحيش.",
     [("airstrike", place, None, "خمسة", "2020-03-12", 2, 1, None) for place in ("سراقب", "كفرنبل", "حيش")]),
    ("وكان مجهولون قد اغتالوا مختار بلدة طفس برصاص مسدس حربي أمام منزله يوم الأربعاء الماضي.",
     [("killing", "طفس", 1, "مختار", "2020-03-11", 1, 1, None)]),
    ("شنت الأجهزة الأمنية التابعة للنظام حملة اعتقالات طالت 30 شخصا على الأقل في مدينة دوما.",
     [("arrest", "دوما", 30, "30", "2020-03-12", 2, 1, "قوات النظام")]),
    # "وفي X،" names the area the report turns to, not where the incident was
    ("وفي الرستن، تمكن 12 مجندا من الفرار من ثكنة عسكرية في بلدة تلبيسة أول أمس.",
     [("desertion", "تلبيسة", 12, "12", "2020-03-10", 1, 1, None)]),
    ("قتل أكثر من مئتي مدني في سراقب منذ مطلع العام الجاري.",  # since: an ongoing toll, dated by publication
     [("killing", "سراقب", 200, "أكثر من مئتي", "2020-03-12", 3, 1, None)]),
])
def test_news_reports(sentence, expected):
    fields = ["event_type", "location_ar", "count", "count_text", "event_date", "time_precision", "geo_precision",
              "actors"]
    assert [tuple(r[f] for f in fields) for r in run(sentence)] == expected


@pytest.mark.parametrize("sentence", [
    "حذر ناشطون من احتمال قصف بلدة سراقب خلال الأيام المقبلة.",
    "أفرجت السلطات عن 15 معتقلا من أبناء مدينة دوما.",
])
def test_warnings_and_releases_are_not_events(sentence):
    assert run(sentence) == []


@pytest.mark.parametrize("sentence", [
    "يستعد عناصر من اللواء للانشقاق عن قوات النظام في كفرنبل.",
    "رفض الأهالي الاعتقال التعسفي في كفرنبل.",
    "زار وفد أممي بلدة كفرنبل والتقى بالأهالي.",
])
def test_no_event_without_a_real_cue(sentence):
    assert run(sentence) == []


def test_noise_dots_inside_words_do_not_hide_triggers():
    rows = run("أعلن عشرون عنصرا الانـ.شقاق عن قوات النظام في كفرنبل.")
    assert brief(rows) == [("defection", "كفرنبل", 20)]


def test_one_event_per_place_of_a_list_and_containers_dropped():
    rows = run("شن الطيران الحربي غارات على كفرنبل وحيش ومعرشورين في ريف إدلب الجنوبي.")
    assert brief(rows) == [("airstrike", "كفرنبل", None), ("airstrike", "حيش", None), ("airstrike", "معرشورين", None)]
    assert len({r["event_id"] for r in rows}) == 3


def test_each_place_gets_the_count_reported_with_it():
    rows = run("قتل ثلاثة مدنيين بقصف على كفرنبل وطفلان بقصف طال حيش إضافة لمدني آخر في معرشورين.")
    assert brief(rows) == [("shelling", "كفرنبل", 3), ("shelling", "حيش", 2), ("shelling", "معرشورين", 1)]


@pytest.mark.parametrize("sentence, count", [
    ("قتل متظاهر برصاص الأمن في كفرنبل.", 1),
    ("انشق ضابط عن قوات النظام في كفرنبل.", 1),
    ("عثر على جثة شاب في كفرنبل.", 1),
    ("قتل مدنيان في كفرنبل.", 2),
    ("قتل 7 أشخاص بينهم طفلان وأصيب 12 آخرون في كفرنبل.", 7),
    ("قتل شخص وأصيب 12 في كفرنبل.", 1),
    ("قتل في كفرنبل 9 عناصر.", 9),
])
def test_counts_of_an_event(sentence, count):
    assert run(sentence)[0]["count"] == count


def test_a_place_after_a_direction_is_a_reference_point():
    rows = run("انفجرت عبوة ناسفة على الطريق بين حيش ومعرشورين شرقي الرستن، ما أدى لمقتل شخصين.")
    assert brief(rows) == [("bombing", "حيش", None), ("bombing", "معرشورين", None)]


def test_an_arrest_elsewhere_in_an_attack_clause_stays_an_arrest():
    rows = run("قصفت المدفعية بلدة كفرنبل واعتقلت قوات الأمن خمسة شبان في تلبيسة.")
    assert brief(rows) == [("shelling", "كفرنبل", None), ("arrest", "تلبيسة", 5)]


def test_clauses_with_other_incidents_are_typed_separately():
    rows = run("قصفت الطائرات الحربية بلدة كفرنبل، في حين دارت اشتباكات في محيط تلبيسة.")
    assert brief(rows) == [("airstrike", "كفرنبل", None), ("clashes", "تلبيسة", None)]
    assert [r["geo_precision"] for r in rows] == [1, 2]  # "in the surroundings of" is approximate


def test_battle_fronts_are_not_where_the_defection_happened():
    rows = run("انشق عشرة عناصر في تلبيسة بعد زجهم في معارك كفرنبل.")
    assert brief(rows) == [("defection", "تلبيسة", 10)]
    rows = run("قتل خمسة عناصر في معارك كفرنبل.")  # only a front is named: it is the place
    assert brief(rows) == [("clashes", "كفرنبل", 5)]  # deaths in battles are the battles' toll


def test_places_of_origin_give_one_approximate_event():
    rows = run("انشق عشرة عناصر من أبناء كفرنبل وحيش ومعرشورين أمس.")
    assert brief(rows) == [("defection", "كفرنبل", 10)] and rows[0]["geo_precision"] == 2


def test_sweeping_mentions_of_several_regions_without_number_or_date_are_background():
    assert run("واصلت الطائرات الحربية قصفها على ريف إدلب الجنوبي وريف حمص الشمالي.") == []
    rows = run("واصلت الطائرات الحربية قصفها على ريف إدلب الجنوبي وريف حمص الشمالي أمس.")
    assert brief(rows) == [("airstrike", "ريف إدلب الجنوبي", None), ("airstrike", "ريف حمص الشمالي", None)]


def test_a_demonstrative_points_back_to_a_reported_event():
    rows = run("انشق ثلاثون عنصرا في كفرنبل أمس.\nوتأتي هذه الانشقاقات بعد معارك في تلبيسة.")
    assert brief(rows) == [("defection", "كفرنبل", 30)]


def test_place_falls_back_to_the_paragraph_then_the_headline_else_unlocated():
    text = ("اشتباكات عنيفة في محيط الرستن وتلبيسة بريف حمص الشمالي\n"
            "شهدت بلدة حيش توترا أمنيا. واعتقلت الدورية خمسة شبان.\n"
            "وأفادت مصادر بمقتل أربعة عناصر في كمين.")
    rows = run(text, title="اشتباكات عنيفة في محيط الرستن وتلبيسة بريف حمص الشمالي")
    assert brief(rows) == [("arrest", "حيش", 5), ("clashes", "الرستن", 4)]  # deaths in an ambush: a fight's
    rows = run("وأفادت مصادر بمقتل أربعة عناصر في كمين.")
    assert brief(rows) == [("clashes", None, 4)]
    assert rows[0]["latitude"] is None and rows[0]["geo_precision"] is None


def test_repeated_reports_of_one_incident_are_merged_and_a_follow_up_fills_the_count():
    text = ("انشق عشرات العناصر عن قوات النظام في كفرنبل أمس.\n"
            "وأكدت المصادر أن عدد المنشقين بلغ 35 عنصرا.")
    rows = run(text)
    assert brief(rows) == [("defection", "كفرنبل", 35)]
    assert rows[0]["count_text"] == "بلغ 35" and rows[0]["event_date"] == "2020-03-11"


def test_a_report_at_a_town_right_after_one_at_its_countryside_locates_it():
    text = "قتل أربعة عناصر بهجوم على حاجز في ريف إدلب الجنوبي أمس. وقالت مصادر إن الهجوم استهدف حاجزا قرب حيش."
    rows = run(text)
    assert [(r["event_type"], r["location_ar"], r["count"], r["event_date"], r["geo_precision"]) for r in rows] == \
        [("clashes", "حيش", 4, "2020-03-11", 2)]
    rows = run("قتل أربعة عناصر بهجوم في ريف إدلب الجنوبي. وقصفت المدفعية حيش.")  # another incident: kept apart
    assert brief(rows) == [("clashes", "ريف إدلب الجنوبي", 4), ("shelling", "حيش", None)]


def test_deaths_reported_at_the_place_of_an_attack_are_its_toll():
    text = "قصفت المدفعية بلدة كفرنبل صباح اليوم.\nوانتشل الدفاع المدني جثتين من تحت الأنقاض في كفرنبل."
    assert brief(run(text)) == [("shelling", "كفرنبل", 2)]


def test_an_article_that_is_only_a_headline_is_read():
    text = "انشق عشرون عنصرا عن قوات النظام في كفرنبل"
    assert brief(run(text, title=text)) == [("defection", "كفرنبل", 20)]


def test_a_placeless_new_report_is_its_own_event():
    text = "انشق عشرات العناصر عن قوات النظام في كفرنبل أمس.\nوأعلن ضابط برتبة نقيب انشقاقه في تسجيل مصور."
    assert brief(run(text)) == [("defection", "كفرنبل", None), ("defection", None, None)]
    text = "انشق عشرات العناصر عن قوات النظام في كفرنبل أمس.\nوتأتي الانشقاقات في ظل تراجع الرواتب."
    assert brief(run(text)) == [("defection", "كفرنبل", None)]


def test_dates_precision_and_default_to_publication():
    rows = run("قصفت المدفعية كفرنبل يوم الثلاثاء الماضي. واعتقلت الدورية ثلاثة شبان في تلبيسة.")
    assert [(r["event_date"], r["time_precision"]) for r in rows] == [("2020-03-10", 1), ("2020-03-12", 2)]
    rows = run("قصفت المدفعية كفرنبل يوم الثلاثاء الماضي.", published=None)
    assert rows[0]["event_date"] is None and rows[0]["time_precision"] is None


def test_actors_are_canonical_and_ordered():
    rows = run("اندلعت اشتباكات بين قوات الأسد وهيئة تحرير الشام في كفرنبل بدعم من الطيران الروسي.")
    assert rows[0]["actors"] == "قوات النظام;هيئة تحرير الشام;الطيران الروسي"


def test_evidence_is_the_original_sentence_with_its_offsets():
    text = "مقدمة الخبر هنا.\nقصـ.فت المدفعية بلدة كفرنبل صباحا. وانتهى الأمر."
    row = run(text)[0]
    assert row["evidence"] == "قصـ.فت المدفعية بلدة كفرنبل صباحا."
    assert text[row["evidence_start"]:row["evidence_end"]] == row["evidence"]
    assert list(row) == COLUMNS


def test_event_ids_are_stable_and_distinct():
    text = "شن الطيران الحربي غارات على كفرنبل وحيش."
    assert [r["event_id"] for r in run(text)] == [r["event_id"] for r in run(text)]


@pytest.mark.parametrize("kind, near, precision", [
    ("village", False, 1), ("village", True, 2), ("airbase", False, 1), ("region", False, 2),
    ("governorate", False, 3), ("country", False, 3),
])
def test_geo_precision(kind, near, precision):
    assert geo_precision(kind, near) == precision


WORDS = ["قصف", "الطيران", "الحربي", "انشق", "الانـ.شقاق", "عشرات", "ستة", "12", "٣٠", "عنصرا", "مدنيين", "أمس",
         "يوم", "الاثنين", "الماضي", "في", "على", "و", "كفرنبل", "حيش", "ريف إدلب الجنوبي", "تلبيسة", "اشتباكات",
         "،", ".", "\n", "؟", "هذه", "خوفا من", "من أبناء", "معارك", "قتل", "شخص", "آخر", "طفلين", "بلغ"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=60), st.sampled_from([None, "2019-07-10"]))
def test_any_text_gives_well_formed_rows(words, published):
    text = " ".join(words)
    for row in run(text, published=published):
        assert list(row) == COLUMNS
        assert text[row["evidence_start"]:row["evidence_end"]] == row["evidence"]
        assert row["event_type"] in {"defection", "desertion", "shelling", "airstrike", "clashes", "bombing",
                                     "killing", "arrest", "other"}
        assert row["count"] is None or row["count"] >= 1
        assert (row["latitude"] is None) == (row["place_id"] is None)
        assert row["count_text"] is None or row["count_text"] in text
