"""Reviewed data fixes, each with its own sentences: a region whose point is derived from its member
communities, and an OCHA misspelling whose correct spelling is a variant."""
from __future__ import annotations

import pytest

from gazetteer.curated_regions import read_regions, region_rows
from gazetteer.geoparser import geoparse


def _named(text: str, surface: str):
    return [m for m in geoparse(text) if m.text == surface]


@pytest.mark.parametrize("text", [
    "قصف مدفعي استهدف بلدة كنصفرة في جبل الزاوية جنوب إدلب.",
    "تحليق لطيران الاستطلاع في أجواء جبل الزاوية بريف إدلب الجنوبي.",
])
def test_jabal_al_zawiya_is_a_region_at_the_mean_of_its_member_communities(text):
    row = next(r for r in region_rows() if r["name_ar"] == "جبل الزاوية")
    found = _named(text, "جبل الزاوية")
    assert len(found) == 1
    m = found[0]
    assert m.kind == "region" and m.place_id == row["place_id"]
    assert (round(m.lat, 5), round(m.lon, 5)) == (float(row["lat"]), float(row["lon"]))


def test_jabal_al_zawiya_members_are_cited():
    r = next(r for r in read_regions() if r["name_ar"] == "جبل الزاوية")
    assert r["members"].split()[0] == "SY070501"  # the subdistrict Ehsem
    for source in ("SOHR", "SHRC", "Enab Baladi"):
        assert source in r["basis"]


@pytest.mark.parametrize("text, surface", [
    ("قصفت قوات النظام بلدة الغارية الغربية في ريف درعا الشرقي.", "الغارية الغربية"),  # the correct spelling
    ("سقطت قذائف على الغارية الغريبة شرق درعا.", "الغارية الغريبة"),  # OCHA's spelling still names it
])
def test_western_ghariyeh_is_found_in_both_spellings(text, surface):
    found = _named(text, surface)
    assert [m.place_id for m in found] == ["C6010"]


def test_every_added_spelling_is_reviewed_against_the_ocha_name():
    from gazetteer import build
    from gazetteer.index import get_index

    added = build.read_ocha_variants()
    assert added["C6010"] == [("الغارية الغريبة", "الغارية الغربية")]
    idx = get_index()
    for pcode, pairs in added.items():
        for ocha_name, spelling in pairs:
            assert idx.place_id.index(pcode) in idx.lookup(idx_key(spelling))


def idx_key(name: str) -> str:
    from arabic.normalize import name_key

    return name_key(name)


@pytest.mark.parametrize("name, bare", [
    ("الباغوز فوقاني", "الباغوز"),
    ("زور الحيصة الشرقية", "زور الحيصة"),
    ("حصوية فوقاني صغير", "حصوية"),  # two qualifiers
    ("Upper Baguz", "Baguz"),
    ("Big Arab Hasan", "Arab Hasan"),
    ("عرب حسن", None),  # nothing to drop
    ("دير شرقي", None),  # too short alone: a common word
    ("تب عيسى_شرقية وغربية", None),  # a compound: its parts are variants already
    ("Tab Issa - Eastern and Western", None),
])
def test_a_qualified_community_name_and_its_bare_form(name, bare):
    from gazetteer import build

    assert build.unqualified(name) == bare


@pytest.mark.parametrize("name, sayable", [
    ("الباغوز", True),
    ("أربعة", False),  # four (OCHA أربعة كبيرة / صغيرة)
    ("فلسطين", False),  # abroad (OCHA فلسطين الشرقية)
    ("عبد السلام", False),  # a man's name, far too common
])
def test_a_bare_name_that_is_a_number_abroad_or_a_common_word_is_not_added(name, sayable):
    from gazetteer import build

    assert build._sayable(name) == sayable


def test_the_bare_name_goes_to_the_twins_unless_a_place_is_called_that():
    from gazetteer import build

    twins = [{"variants": ["عرب حسن كبير"]}, {"variants": ["عرب حسن صغير"]}]
    own = [{"variants": ["الحيصة"]}, {"variants": ["الحيصة الشرقية"]}]
    build.add_unqualified_names(twins + own[1:], twins + own)
    assert [t["variants"][-1] for t in twins] == ["عرب حسن", "عرب حسن"]
    assert own[1]["variants"] == ["الحيصة الشرقية"]  # `الحيصة` is another village's name


@pytest.mark.parametrize("text, pcodes", [
    ("اشتباكات عنيفة في بلدة الباغوز آخر معاقل التنظيم شرق دير الزور.", {"C5184"}),  # Upper Baguz
    ("دارت اشتباكات قرب زور الحيصة شمال حماة ليل أمس.", {"C3023"}),  # Eastern Zor Elheisa
    ("انشق ثلاثة عناصر من قرية عرب حسن قرب منبج.", {"C1683", "C2256"}),  # Big or Little Arab Hasan
])
def test_news_names_a_community_without_its_qualifier(text, pcodes):
    found = [m for m in geoparse(text) if m.kind != "governorate" and m.place_id in pcodes]
    assert len(found) == 1
