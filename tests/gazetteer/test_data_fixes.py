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
