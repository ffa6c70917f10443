"""One event per reported incident, where it happened, of the right type and size.

Report sentences written for these tests, one table per family of error seen on real news: what
must be extracted (type, place, count) and what must give no event (or only a background one).
Places are given as fixed mentions so that the extractor, not the geoparser, is under test.
"""
import pytest

from events.corpus import Article, article_id
from events.counts import find_counts
from events.extract import extract
from arabic import analyse
from gazetteer.mention import Mention
from tests.events.fixed_mentions import fixed_mentions

PLACES = {  # name: (id, kind, admin1, lat, lon)
    "كفرنبل": ("T1", "town", "Idleb", 35.61, 36.56),
    "طفس": ("T2", "town", "Dar'a", 32.74, 36.07),
    "عربين": ("T3", "town", "Rural Damascus", 33.54, 36.36),
    "دمشق": ("C1", "city", "Damascus", 33.51, 36.29),
    "محردة": ("T4", "town", "Hama", 35.25, 36.57),
    "درعا": ("C2", "city", "Dar'a", 32.62, 36.10),
    "حماة": ("G5", "governorate", "Hama", 35.13, 36.75),
    "السقيلبية": ("T5", "town", "Hama", 35.37, 36.38),
    "حوران": ("R1", "region", "Dar'a", 32.70, 36.10),
    "معسكر جورين": ("L1", "landmark", "Hama", 35.58, 36.38),
    "خان شيخون": ("T6", "town", "Idleb", 35.44, 36.65),
    "ريف إدلب الجنوبي": ("SY07-S", "region", "Idleb", 35.55, 36.62),
    "إدلب": ("G7", "governorate", "Idleb", 35.93, 36.63),
    "حلب": ("C3", "city", "Aleppo", 36.20, 37.16),
    "سهل الغاب": ("R2", "region", "Hama", 35.65, 36.35),
    "ريف حماة الشمالي": ("SY05-N", "region", "Hama", 35.35, 36.65),
    "الصالحين": ("N1", "neighbourhood", "Aleppo", 36.18, 37.15),
}


def mentions(text: str) -> list[Mention]:
    return fixed_mentions(text, PLACES)


def run(text: str, published: str = "2020-03-12"):
    article = Article("doc.txt", text, "", "Outlet", None, published, "day", article_id(text))
    return extract(article, mentions=mentions(text))


def shown(rows):
    """What the map shows: (type, place, count) of the events that are not background."""
    return [(r["event_type"], r["location_ar"], r["count"]) for r in rows if not r["background"]]


NON_EVENTS = [
    # past or stopped action
    "بعدما كانت الغارات على بلدة طفس قد توقفت منذ أيام، عاد الأهالي إلى منازلهم.",
    # idioms: "snatched a prize / the spotlight"
    "خطف اللاعب جائزة أفضل هداف في بطولة حلب.",
    "خطفت الفرقة الأضواء في مهرجان دمشق.",
    # plotted, prepared
    "قالت الشرطة إن خلية كانت تدبر تفجيرات في بلدة طفس قبل كشفها.",
    # released, not arrested
    "أفرجت السلطات عن 20 معتقلا من سجن بلدة طفس.",
    "طالب الأهالي بالإفراج عن المعتقلين في بلدة طفس.",
    # about to happen
    "أصبحت الفصائل على وشك اقتحام بلدة طفس بحسب قادتها.",
    # aircraft dropping leaflets
    "ألقت مروحيات حربية تابعة للنظام مناشير على بلدة طفس.",
    # threats, plans, demands, hypotheticals
    "هددت روسيا بشن غارات على بلدة كفرنبل إذا لم تنسحب الفصائل.",
    "طالبت المعارضة بوقف القصف على بلدة طفس.",
    "قد يؤدي أي هجوم على خان شيخون إلى كارثة إنسانية.",
    "تخشى الأمم المتحدة من هجوم وشيك على إدلب.",
    # words that contain a cue without being one
    "وقال أهالي كفرنبل إن الأوضاع هادئة بعد سفر الوفد إلى دمشق.",
    # civilians fleeing are not deserters
    "فر آلاف المدنيين من بلدة طفس خلال الأيام الماضية.",
]


@pytest.mark.parametrize("text", NON_EVENTS)
def test_no_event(text):
    assert shown(run(text)) == []


BACKGROUND = [
    # what happened again and again is the background of the news, not one incident
    "وقصفت الطائرات أطراف بلدة طفس مرات عدة خلال الشتاء.",
    "كانت الصواريخ تسقط أكثر من مرة على مزارع بلدة طفس.",
    "ومنذ بدء الجيش حملته على بلدة طفس في الخريف، قتل نحو 240 مدنيا.",  # a campaign's total
    "ويتزامن هذا في ظل اشتباكات متقطعة حول بلدة طفس.",  # the circumstance of what is reported
    "منذ سنوات يشن الطيران غارات على بلدة كفرنبل.",
    "انشق نحو 21 ألف عنصر عن قوات النظام منذ بداية الثورة.",
    "وكانت قوات النظام قد قصفت بلدة طفس في أيار من عام 2015.",
]


@pytest.mark.parametrize("text", BACKGROUND)
def test_history_and_totals_are_background(text):
    rows = run(text)
    assert rows and all(r["background"] for r in rows), rows


ONE_PLACE = [
    # the place a strike was launched from
    ("قصفت قوات النظام بلدة كفرنبل بالمدفعية من مواقعها في معسكر جورين.", [("shelling", "كفرنبل", None)]),
    ("قصفت قوات النظام بلدة طفس من مواقع تمركزها في حواجز كفرنبل وخان شيخون، ما أسفر عن مقتل مدني.",
     [("shelling", "طفس", 1)]),
    # a reference point is not a second scene
    ("قتل ثلاثة مدنيين بغارة جوية على مدينة عربين قرب دمشق.", [("airstrike", "عربين", 3)]),
    ("استهدف قصف مدفعي مدينة خان شيخون، شمال غربي حماة.", [("shelling", "خان شيخون", None)]),
    # "وسط سوريا" is central Syria, not "amid": no clause of its own to place at the last town named
    ("أمطرت المدفعية بلدة كفرنبل، شمال غربي حماة وسط سوريا، بنحو 80 قذيفة صاروخية أوقعت قتلى.",
     [("shelling", "كفرنبل", None)]),
    ("تستمر حملة القصف على بلدة طفس والأحياء القريبة منها جنوب درعا.", [("shelling", "طفس", None)]),
    # ... but not a near cue of its own in the list: `A وأطراف B` names two scenes
    ("قصفت المدفعية بلدة طفس وأطراف مدينة درعا.", [("shelling", "طفس", None), ("shelling", "درعا", None)]),
    # ... also after an apposition that describes the place
    ("قتل ثمانية مدنيين بغارات جوية على بلدة عربين، أكبر مدن الغوطة قرب دمشق، يوم السبت.",
     [("airstrike", "عربين", 8)]),
    # the governorate or countryside a town lies in
    ("شنت الطائرات الروسية غارات على بلدة كفرنبل في ريف إدلب الجنوبي.", [("airstrike", "كفرنبل", None)]),
    ("قصفت المدفعية سهل الغاب بريف حماة الشمالي.", [("shelling", "سهل الغاب", None)]),
    # ... but a countryside listed with an area in it is a second scene
    ("طالت قذائف المدفعية ظهر اليوم قرى في سهل الغاب وريف حماة الشمالي.",
     [("shelling", "سهل الغاب", None), ("shelling", "ريف حماة الشمالي", None)]),
    # Damascus as the government
    ("واتهمت دمشق الفصائل بقصف بلدة محردة بالصواريخ.", [("shelling", "محردة", None)]),
    ("قصفت الفصائل بلدة محردة بالصواريخ، وفق ما أعلن نظام دمشق.", [("shelling", "محردة", None)]),
    ("وقالت صحف موالية لدمشق إن قذائف سقطت على بلدة طفس.", [("shelling", "طفس", None)]),  # a clitic on the place
    # the reporter's or an organisation's place
    ("وقالت مصادر محلية في مدينة درعا إن قذائف سقطت على بلدة طفس.", [("shelling", "طفس", None)]),
    ("وقال مراسل وكالة الأنباء على أطراف مدينة درعا إن قذائف سقطت على بلدة طفس.", [("shelling", "طفس", None)]),
    ("ونقل ناشطون عن اعتقال قوات النظام ناشطين في بلدة طفس.", [("arrest", "طفس", None)]),
    ("وقالت مديرية صحة حماة إن ثلاثة مدنيين قتلوا بقصف على بلدة السقيلبية.", [("shelling", "السقيلبية", 3)]),
    ("ونقل تجمع أحرار حوران أن قوات النظام اعتقلت خمسة شبان في بلدة طفس.", [("arrest", "طفس", 5)]),
    # a place told as context of the operation, words away and with no cue of its own
    ("تستمر حملة القصف على بلدة طفس سعيا لاستعادة المنطقة كلها بعد سيطرة القوات على بلدة كفرنبل.",
     [("shelling", "طفس", None)]),
    # ... but a plural of settlements there lists more targets of the same attack
    ("استهدف المسلحون بلدة طفس من محورين هما الريف الغربي للمحافظة في قرى كفرنبل وخان شيخون.",
     [("shelling", "طفس", None), ("shelling", "كفرنبل", None), ("shelling", "خان شيخون", None)]),
    # several places under one trigger stay one event each
    ("قصفت المدفعية بلدات كفرنبل وخان شيخون.", [("shelling", "كفرنبل", None), ("shelling", "خان شيخون", None)]),
]


@pytest.mark.parametrize("text,expected", ONE_PLACE)
def test_the_scene_is_the_place_the_trigger_hit(text, expected):
    assert shown(run(text)) == expected


TYPES = [
    ("قتل 20 مدنيا في هجوم كيماوي على بلدة خان شيخون.", [("other", "خان شيخون", 20)]),
    ("أدت الضربات الجوية على بلدة كفرنبل إلى مقتل طفلين.", [("airstrike", "كفرنبل", 2)]),
    ("طال القصف الجوي بلدة طفس صباح اليوم.", [("airstrike", "طفس", None)]),
    # "also targeted": the weapon named just before types it
    ("أغار الطيران على بلدة طفس، كما استهدف بلدة كفرنبل.", [("airstrike", "طفس", None), ("airstrike", "كفرنبل", None)]),
    # ... but never a rebels' shelling: they have no aircraft
    ("أغار الطيران الحربي على بلدة طفس صباح اليوم. وقتل مدنيان إثر قصف فصائل المعارضة على مدينة محردة.",
     [("airstrike", "طفس", None), ("shelling", "محردة", 2)]),
    # ... but not across "whereas": another actor's targeting
    ("ألقى الطيران المروحي البراميل على بلدة طفس، في حين استهدفت الفصائل بلدة كفرنبل.",
     [("airstrike", "طفس", None), ("shelling", "كفرنبل", None)]),
    # the indefinite accusative (`قصفا مدفعيا`) and an overflight that strikes nothing
    ("شهدت بلدة طفس قصفا مدفعيا مكثفا، وسط تحليق لطائرات الاستطلاع.", [("shelling", "طفس", None)]),
    ("ألقت المروحيات براميل متفجرة على بلدة كفرنبل.", [("airstrike", "كفرنبل", None)]),
    ("سقطت قذائف صاروخية على بلدة محردة دون وقوع إصابات.", [("shelling", "محردة", 0)]),
    ("فرّ خمسة مجندين من ثكنتهم في بلدة طفس.", [("desertion", "طفس", 5)]),
    ("مسلحون استهدفوا بلدة طفس بقذائف الهاون.", [("shelling", "طفس", None)]),  # a plural verb
    # gunmen "targeting" with no weapon named: an armed attack
    ("قال ناشطون إن مسلحين استهدفوا قرى كفرنبل وخان شيخون فجر اليوم.",
     [("clashes", "كفرنبل", None), ("clashes", "خان شيخون", None)]),
    ("احتجزت مجموعات محلية خمسة من عناصر الشرطة في بلدة طفس.", [("arrest", "طفس", 5)]),
    ("انفجرت عبوة ناسفة بسيارة في بلدة طفس ما أدى لمقتل شخصين.", [("bombing", "طفس", 2)]),
    ("داهمت قوات الأمن منازل في بلدة طفس دون أن تعتقل أحدا.", [("other", "طفس", None)]),
    # destruction is what a raid or a strike caused, not a fight of its own
    ("داهمت قوات الأمن منزلا في بلدة كفرنبل واعتقلت من فيه بعد تدمير محتوياته.", [("arrest", "كفرنبل", None)]),
    ("دمرت الفصائل دبابة لقوات النظام على أطراف بلدة طفس.", [("clashes", "طفس", None)]),
    # a defection the arrest is about is not the news
    ("داهمت قوات الأمن منازل في بلدة طفس واعتقلت خمسة عناصر بتهمة التورط في عملية الانشقاق.", [("arrest", "طفس", 5)]),
    # the words of suicide bombings, ambushes, snipers and barrels in their plural and verb forms
    ("فجر انتحاريون أنفسهم في بلدة طفس صباح اليوم.", [("bombing", "طفس", None)]),
    ("فجرت امرأة نفسها بحزام ناسف في بلدة طفس.", [("bombing", "طفس", None)]),
    ("وقع رتل للجيش في كمين محكم عند مدخل بلدة طفس مساء الخميس.", [("clashes", "طفس", None)]),
    ("قتل شاب برصاص قناص في مدينة محردة.", [("killing", "محردة", 1)]),
    ("قوات الأمن تعتقل عشرة شبان في بلدة طفس.", [("arrest", "طفس", 10)]),
    ("قصف النظام بلدة كفرنبل بالبراميل صباحا.", [("airstrike", "كفرنبل", None)]),
    # an unspecific strike after "whereas" is another actor's: neither its sentence's nor earlier raids type it
    ("شنت مقاتلات غارتين على بلدة كفرنبل ظهرا.\nورمت مروحيات براميل متفجرة فوق بلدة طفس، في حين استهدفت المعارضة مواقع في مدينة محردة.",
     [("airstrike", "كفرنبل", None), ("airstrike", "طفس", None), ("shelling", "محردة", None)]),
]


@pytest.mark.parametrize("text,expected", TYPES)
def test_types(text, expected):
    assert shown(run(text)) == expected


COUNTS = [
    # residents and displaced people are not the incident's people
    ("تتعرض بلدة طفس التي يقطنها 30 ألف نسمة لقصف مدفعي.", [("shelling", "طفس", None)]),
    # the wounded are not the killed
    ("أصيب 12 مدنيا بقصف على بلدة طفس.", [("shelling", "طفس", None)]),
    ("قتل 3 مدنيين وأصيب 12 آخرون بقصف على بلدة طفس.", [("shelling", "طفس", 3)]),
    # a range or a qualifier gives its lower bound
    ("لقي ما لا يقل عن 17 مدنيا حتفهم بغارات على بلدة كفرنبل.", [("airstrike", "كفرنبل", 17)]),
    # a count told in the next sentence of the same incident
    ("استهدف قصف مدفعي بلدة طفس صباح اليوم. وأسفر القصف عن مقتل أربعة مدنيين.", [("shelling", "طفس", 4)]),
    # ... or in a later sentence that names no place but the number the report lacked
    ("انشق عدد من عناصر قوات النظام في بلدة طفس.\nوأكد المصدر انشقاق سبعة عناصر بينهم ضابط.",
     [("defection", "طفس", 7)]),
    # survivors are not victims, and a unit's number is its name
    ("دوى انفجار عبوة ناسفة في بلدة طفس. وأخرج المسعفون سبعة أشخاص على قيد الحياة من تحت الركام.",
     [("bombing", "طفس", None)]),
    ("استهدف قصف صاروخي اللواء 47 قرب بلدة محردة.", [("shelling", "محردة", None)]),
    # a campaign's total told after a report is not that report's toll
    ("قتل 3 عناصر في اشتباكات في بلدة طفس اليوم.\nوقتل 40 عنصرا منذ بدء الهجوم.", [("clashes", "طفس", 3)]),
    # a toll told for a list of places is no place's own (the map would add it up once per place)
    ("قتل ستة مدنيين بغارات جوية على بلدات كفرنبل وخان شيخون.",
     [("airstrike", "كفرنبل", None), ("airstrike", "خان شيخون", None)]),
    # the number right after the cue of the event's type is its count ("others" count people)
    # ... and killings told with an arrest, each with its own number, are a second incident
    ("أعلنت الشرطة أن عناصرها قتلت اثنين من المسلحين واعتقلت ستة آخرين في بلدة طفس.",
     [("arrest", "طفس", 6), ("killing", "طفس", 2)]),
    # "death" (مصرع) counts the dead of the fight it is told with
    ("اندلعت مواجهات حادة في بلدة طفس، مع أنباء عن مصرع 4 جنود.", [("clashes", "طفس", 4)]),
    ("لقي اثنان من قادة الجيش مصرعهما في المعارك الدائرة في بلدة طفس.", [("clashes", "طفس", 2)]),
    # people named one by one after "each of" are counted
    ("اعتقلت الدورية كلًّا من سامر العلي، ونبيل حمدان، وعمر النجار، وماهر شعبان، وفادي السعدي، "
     "الذين يعملون في الزراعة ببلدة طفس.", [("arrest", "طفس", 5)]),
    ("اعتقلت قوات الأمن كلا من أحمد، وخالد في بلدة طفس.", [("arrest", "طفس", 2)]),
    ("اعتقلت قوات الأمن كل من شارك في المظاهرة في بلدة طفس.", [("arrest", "طفس", None)]),
    # the detainees counted after a campaign
    ("أفاد موقع محلي بأن عدد المعتقلين وصل إلى 9 شبان، إثر حملة في بلدة طفس.", [("arrest", "طفس", 9)]),
    # one named person killed
    ("أقدم مجهولون على اغتيال “أحمد الزعبي” القيادي السابق في بلدة طفس.", [("killing", "طفس", 1)]),
    # the wounded are no part of the toll told with them
    ("انهالت القذائف على بلدة طفس مخلفة ستة ضحايا وأحد عشر مصابا.", [("shelling", "طفس", 6)]),
    # people counted in parts are one number
    ("قضى ثلاثة أطفال وامرأتان بقصف على بلدة طفس.", [("shelling", "طفس", 5)]),
    # nobody hurt
    ("وصلت قذائف الهاون إلى بلدة طفس، واقتصرت الأضرار على المادية.", [("shelling", "طفس", 0)]),
    ("أغارت طائرات حربية على بلدة طفس، حيث اقتصرت الأضرار على المادية.", [("airstrike", "طفس", 0)]),
    # "after a calm" is not "the strikes stopped"
    ("قتل 40 مدنيا إثر استئناف الغارات على بلدة كفرنبل بعد هدوء استمر أسبوعا.", [("airstrike", "كفرنبل", 40)]),
    # two days, two tolls at one place are two incidents
    ("قتل 40 مدنيا يوم الجمعة بغارات على بلدة كفرنبل. وقتل 8 مدنيين يوم السبت بغارات على بلدة كفرنبل.",
     [("airstrike", "كفرنبل", 40), ("airstrike", "كفرنبل", 8)]),
    # an area's toll, then a town's share of it: both stand
    ("قتل 36 مدنيا بقصف على ريف إدلب الجنوبي. وقتل 13 مدنيا بغارات على بلدة كفرنبل.",
     [("shelling", "ريف إدلب الجنوبي", 36), ("airstrike", "كفرنبل", 13)]),
    # a toll too large for one incident is a total: kept as background (phrase, no number), off the map
    ("قتل أكثر من 500 ألف شخص في المعارك في حلب.", []),
    # a singular or dual that is itself a death: one, two
    ("خلّفت قذائف المدفعية على بلدة طفس قتيلا وثلاثة جرحى.", [("shelling", "طفس", 1)]),
    ("أوقعت راجمات الصواريخ قتيلين في بلدة طفس عصر اليوم.", [("shelling", "طفس", 2)]),
    ("نعى الأهالي شهيدا سقط بقذيفة هاون على بلدة طفس.", [("shelling", "طفس", 1)]),
    ("سقط 30 قتيلا بقصف مدفعي على بلدة طفس.", [("shelling", "طفس", 30)]),  # the noun after a number adds no one
]


@pytest.mark.parametrize("text,expected", COUNTS)
def test_counts(text, expected):
    assert shown(run(text)) == expected


@pytest.mark.parametrize("text,value", [("يحتاج 13,1 مليون شخص إلى المساعدة", 13_100_000),
                                        ("نزح 25,4 مليون", 25_400_000), ("قتل 1,500 شخص", 1500),
                                        ("قتل 3.5 ألف", 3500)])
def test_arabic_decimal_and_thousands_separators(text, value):
    assert [c.value for c in find_counts(analyse(text).tokens)] == [value]


def test_a_past_incident_keeps_its_own_date():
    rows = run("وكانت غارات قد استهدفت بلدة طفس يوم 3 آذار الماضي، ما أدى لمقتل شخصين.")
    assert [(r["event_date"], r["background"]) for r in rows] == [("2020-03-03", False)]
    old = run("وكانت غارات قد استهدفت بلدة طفس في 3 آذار 2019.")
    assert [(r["event_date"], r["background"]) for r in old] == [("2019-03-03", True)]


def test_an_article_about_one_town_places_its_unplaced_reports_there():
    text = ("تشهد بلدة طفس حملة اعتقالات منذ أسبوع، وقد ودعت طفس خيرة شبابها.\n"
            "ويوم الخميس اعتقل الشاب أحمد من أمام محله.")
    assert ("arrest", "طفس", 1) in shown(run(text))
    two = "قصفت المدفعية كفرنبل ثم طفس.\nوفي اليوم التالي اعتقل الأمن الشاب أحمد."
    assert [r["location_ar"] for r in run(two) if r["event_type"] == "arrest"] == [None]


def test_each_event_says_which_words_tied_its_place_to_its_trigger():
    rows = run("قصفت المدفعية بلدة كفرنبل، وفي وقت لاحق أغارت الطائرات على بلدة طفس.")
    assert [r["explain"] for r in rows] == ["«كفرنبل» named in the same clause as «قصفت، المدفعية»",
                                            "«طفس» named in the same clause as «أغارت، الطائرات»"]
    later = run("قصفت المدفعية بلدة كفرنبل.\nوفي وقت لاحق قتل مدنيان بغارة جوية.")
    assert later[1]["explain"] == "no place is named for «قتل، بغارة»"
    history = run("منذ سنوات يشن الطيران غارات على بلدة كفرنبل.")
    assert history[0]["explain"].endswith("background: told as history, a total or context")


def test_a_summary_that_refers_back_is_not_a_second_incident():
    rows = run("قصفت المدفعية بلدة كفرنبل صباح اليوم.\nوخلف القصف أضرارا مادية كبيرة في ريف إدلب الجنوبي.")
    assert shown(rows) == [("shelling", "كفرنبل", None)]


def test_a_summary_completes_every_event_it_recalls_but_not_with_its_own_date():
    rows = run("قصفت المدفعية بلدتي كفرنبل وخان شيخون يوم 10 آذار.\n"
               "ولفت إلى أن القصف خلف أضرارا مادية في ريف إدلب الجنوبي دون وقوع إصابات.")
    assert [(r["location_ar"], r["count"], r["event_date"]) for r in rows] == \
        [("كفرنبل", 0, "2020-03-10"), ("خان شيخون", 0, "2020-03-10")]


def test_a_report_that_refers_back_in_a_sentence_with_no_place_is_not_put_at_the_headline_place():
    title = "قصف على طفس وكفرنبل"
    text = title + "\n\nقصفت المدفعية بلدة كفرنبل صباح اليوم.\n\nوقال مصدر إن القصف المدفعي خلف أضرارا كبيرة."
    article = Article("doc.txt", text, title, "Outlet", None, "2020-03-12", "day", article_id(text))
    assert shown(extract(article, mentions=mentions(text))) == [("shelling", "كفرنبل", None)]


def test_as_for_opens_another_incident_in_the_same_sentence():
    rows = run("قصفت المدفعية بلدة طفس يوم 8 آذار، أما يوم 9 آذار فقد اعتقل الأمن ثلاثة شبان في بلدة كفرنبل.")
    assert [(r["event_type"], r["location_ar"], r["event_date"]) for r in rows] == \
        [("shelling", "طفس", "2020-03-08"), ("arrest", "كفرنبل", "2020-03-09")]


def test_the_circumstance_after_a_report_does_not_make_it_background():
    rows = run("تدور اشتباكات عنيفة في بلدة طفس، في ظل أنباء عن معركة كبرى في حلب.")
    assert [(r["location_ar"], r["background"]) for r in rows] == [("طفس", False), ("حلب", True)]


def test_the_fiercest_since_the_start_of_a_campaign_is_news_not_history():
    rows = run("كانت الليلة الأعنف قصفا على بلدة طفس منذ بدء الهجوم.")
    assert [(r["location_ar"], r["background"]) for r in rows] == [("طفس", False)]


def test_what_a_sentence_says_comes_amid_is_no_new_incident():
    rows = run("قتل ثلاثة مدنيين بقصف على بلدة طفس اليوم.\nويأتي هروب عناصر النظام من بلدة كفرنبل بعد أيام من المعارك.")
    assert shown(rows) == [("shelling", "طفس", 3)]


def test_a_subheading_restates_and_is_not_read_for_events():
    rows = run("قصفت المدفعية بلدة طفس صباح اليوم.\n\nقصف متواصل على كفرنبل\n\nوقال ناشطون إن القصف استمر حتى المساء.")
    assert shown(rows) == [("shelling", "طفس", None)]


def test_a_class_word_with_the_article_points_back_to_the_last_place_of_its_kind():
    rows = run("قصفت طائرات حربية حي الصالحين في حلب فجر اليوم.\n"
               "وذكر مسعفون أن أربعة مدنيين قضوا بعد استهداف الحي بالصواريخ.")
    assert [(r["location_ar"], r["count"]) for r in rows] == [("الصالحين", None), ("الصالحين", 4)]
    assert rows[1]["explain"].startswith("«الصالحين» the place the class word refers to")


def test_the_incident_told_at_a_town_then_at_a_site_in_it_is_one_event_at_the_site():
    # with the real geoparser: `ساحة عربين` is composed as a site of Arbin
    text = ("دهمت دوريات الأمن مدينة عربين بريف دمشق واعتقلت عددا من الشبان.\n"
            "وأحصى ناشطون 12 معتقلا، بعد حملة تركزت قرب ساحة عربين الكبرى.")
    rows = extract(Article("doc.txt", text, "", "Outlet", None, "2021-03-08", "day", article_id(text)))
    assert [(r["event_type"], r["place_id"].split("-lm-")[0], r["kind"], r["count"]) for r in rows] == \
        [("arrest", "C2321", "landmark", 12)]


def test_a_cue_governs_only_its_own_sentence():
    rows = run("لم يعرف سبب الحادث.\nأغار الطيران على بلدة طفس.")
    assert shown(rows) == [("airstrike", "طفس", None)]


def test_the_campaign_named_again_with_the_article_is_located_by_the_places_it_names():
    # the campaign is reported at a countryside, then named again (`الحملة`) with its towns and a number
    rows = run("بدأت دوريات الأمن فجر أمس حملة اعتقالات واسعة في ريف إدلب الجنوبي.\n"
               "وبحسب شهود، فإن الحملة شملت بلدتي كفرنبل وخان شيخون، وطاولت ما يقارب 20 شابا.")
    assert shown(rows) == [("arrest", "كفرنبل", None), ("arrest", "خان شيخون", None)]  # 20: the list's total
    assert rows[0]["explain"].startswith("«كفرنبل»")  # why it is where it now is, not the countryside's words
    # ... or with a day of its own, at a town of its own
    rows = run("أطلقت قوات الأمن حملة اعتقالات في مدينة درعا يوم الأحد.\n"
               "ووصلت الحملة بعد ظهر اليوم إلى بلدة طفس.")
    assert [place for _, place, _ in shown(rows)] == ["درعا", "طفس"]


@pytest.mark.parametrize("text", [
    # no number or day of its own: the campaign is only talked about
    "نفذت المخابرات حملة اعتقالات في بلدة طفس أول أمس.\nويصف الأهالي الحملة بأنها الأقسى في بلدة كفرنبل.",
    # a campaign word without the article is no reference back
    "نفذت المخابرات حملة اعتقالات في بلدة طفس أول أمس.\nوجمعت حملة تبرعات 20 متطوعا في كفرنبل.",
])
def test_a_campaign_word_alone_is_no_new_incident(text):
    assert [place for _, place, _ in shown(run(text))] == ["طفس"]


@pytest.mark.parametrize("text", [
    "أردت قوات الشرطة اثنين من المطلوبين قتلى في بلدة طفس يوم أمس.\nوأضاف بيان للشرطة أن عناصرها دهموا بيتين في البلدة.",
    # the raid told first, the deaths after it
    "دهمت قوات الشرطة بيتين في بلدة طفس يوم أمس.\nوأضاف بيان للشرطة أن عناصرها قتلوا اثنين من المطلوبين في بلدة طفس.",
])
def test_deaths_told_with_a_raid_are_a_killing_not_the_raid(text):
    assert shown(run(text)) == [("killing", "طفس", 2)]


def test_the_place_a_town_is_said_to_lie_south_of_is_no_scene():
    rows = run("هز انفجار سيارة ملغمة مركز مدينة درعا في الصباح.\n"
               "وتعرضت المدينة التي تقع جنوب العاصمة دمشق لهجمات أخرى بعد الظهر.\n"
               "كما هاجم مسلحون قرى شمال المدينة.")
    assert "دمشق" not in [r["location_ar"] for r in rows]


def test_a_place_said_to_lie_south_of_another_does_not_swallow_the_next_one_listed():
    rows = run("قصفت الطائرات خان شيخون الواقعة جنوب إدلب وبلدة كفرنبل مساء أمس.")
    assert [place for _, place, _ in shown(rows)] == ["خان شيخون", "كفرنبل"]


def test_a_lead_that_names_no_place_is_located_by_the_next_report_of_it():
    rows = run("لقي تسعة أشخاص حتفهم ليلة أمس بغارة على تجمع سكني في شمال غرب البلاد.\n"
               "وذكرت مصادر طبية أن الغارة أصابت منازل في ريف إدلب الجنوبي ما أدى لمقتل تسعة أشخاص.")
    assert shown(rows) == [("airstrike", "ريف إدلب الجنوبي", 9)]


def test_a_total_with_no_place_is_no_town_s_toll():
    rows = run("قتل 30 مدنيا يوم الأحد في غارات طالت مناطق عدة.\nكما شنت الطائرات غارة على بلدة طفس.")
    assert ("airstrike", "طفس", None) in shown(rows) and ("airstrike", "طفس", 30) not in shown(rows)


def test_a_total_since_its_outbreak_is_background():
    rows = run("قصفت الطائرات بلدة طفس.\nوقتل في الحرب منذ بدايتها نحو نصف مليون إنسان.")
    assert shown(rows) == [("airstrike", "طفس", None)]


def test_what_has_run_since_a_day_well_before_is_background():
    # published on Thursday 12 March 2020: "since Sunday" runs over days, a total
    rows = run("أغار الطيران على بلدة كفرنبل صباح اليوم.\n"
               "ومنذ الأحد، أدت الغارات على بلدة طفس إلى مقتل أكثر من 50 مدنيا.")
    assert shown(rows) == [("airstrike", "كفرنبل", None)]
    assert [(r["location_ar"], r["count"], r["background"]) for r in rows][1:] == [("طفس", 50, True)]


def test_deaths_in_a_battle_going_on_since_a_day_are_the_days_news():
    rows = run("سقط 11 عنصرا من الجيش خلال المعارك الدائرة منذ 20 شباط حول بلدة طفس.")
    assert shown(rows) == [("clashes", "طفس", 11)]
    assert rows[0]["event_date"] == "2020-03-12"  # the report's day, not the battle's first
    rows = run("سقط 11 عنصرا خلال المعارك الدائرة يوم الاثنين حول بلدة طفس.")  # no منذ: Monday is its day
    assert rows[0]["event_date"] == "2020-03-09"


def test_a_toll_until_a_day_is_the_news():
    rows = run("ارتفع عدد ضحايا القصف على بلدة طفس حتى مساء الأحد إلى 12 قتيلا.")
    assert shown(rows) == [("shelling", "طفس", 12)]


def test_the_town_a_village_is_said_to_be_close_to_is_no_scene():
    rows = run("استهدفت غارة منزلا في كفرنبل القريبة من خان شيخون فقتلت خمسة مدنيين من أسرة واحدة.")
    assert shown(rows) == [("airstrike", "كفرنبل", 5)]
    rows = run("سقطت قذيفة في المنطقة القريبة من بلدة طفس.")  # near a town, no other place: the town it is
    assert shown(rows) == [("shelling", "طفس", None)]


def test_a_number_no_single_incident_of_its_type_reaches_is_a_total_not_an_incident():
    rows = run("أغار الطيران على بلدة كفرنبل صباح اليوم.\nوبلغ عدد المنشقين من أبناء بلدة طفس نحو خمسة آلاف عنصر.")
    assert shown(rows) == [("airstrike", "كفرنبل", None)]
    total = [r for r in rows if r["background"]]
    assert [(r["event_type"], r["count"], r["count_text"]) for r in total] == [("defection", None, "نحو خمسة آلاف")]
