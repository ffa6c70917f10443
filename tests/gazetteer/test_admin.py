"""Admin polygons: sizes, point -> admin unit, Syria's outline and governorate region points."""
from __future__ import annotations

import pytest
from shapely.geometry import Point

from gazetteer import admin, places


def test_polygons_are_small_and_complete():
    size = admin.ADMIN1_FILE.stat().st_size + admin.ADMIN2_FILE.stat().st_size
    assert size < 1_000_000
    gov = admin.governorates()
    assert list(gov["admin1_pcode"]) == [f"SY{i:02d}" for i in range(1, 15)]
    assert len(admin.districts()) == 61
    assert gov.geometry.is_valid.all() and admin.districts().geometry.is_valid.all()
    assert gov["admin1_ar"].str.len().gt(0).all()


def test_governorates_are_the_union_of_their_districts():
    d = admin.districts().dissolve(by="admin1_pcode")
    for row in admin.governorates().itertuples():
        assert row.geometry.symmetric_difference(d.loc[row.admin1_pcode].geometry).area < 1e-9


def test_points_of_ocha_communities_fall_in_their_own_district():
    table = places.load()
    communities = table[table["place_id"].str.match(r"C\d+$")]
    agree = sum(admin.admin_for_point(r.lat, r.lon)["admin2_pcode"] == r.admin2_pcode
                for r in communities.itertuples())
    assert agree / len(communities) > 0.995


@pytest.mark.parametrize("lat, lon, admin1, admin2", [
    (36.2021, 37.1343, "SY02", "SY0200"),  # Aleppo citadel
    (33.5131, 36.2919, "SY01", "SY0100"),  # Umayyad Mosque, Damascus
    (35.5167, 35.7833, "SY06", "SY0600"),  # Latakia
    (32.6189, 36.1021, "SY12", "SY1200"),  # Daraa
])
def test_admin_for_point_inside(lat, lon, admin1, admin2):
    a = admin.admin_for_point(lat, lon)
    assert (a["admin1_pcode"], a["admin2_pcode"], a["inside"], a["distance_km"]) == (admin1, admin2, True, 0.0)
    assert a["admin1_ar"] and a["admin2_en"]


def test_admin_for_point_off_the_border_takes_the_nearest_district():
    a = admin.admin_for_point(34.4367, 35.8497)  # Tripoli, Lebanon: nearest is Tartous governorate
    assert not a["inside"] and a["admin1_pcode"] == "SY10"
    assert 10 < a["distance_km"] < 60


def test_syria_polygon_contains_cities_and_not_neighbours():
    syria = admin.syria_polygon()
    assert syria.contains(Point(37.1343, 36.2021))       # Aleppo
    assert syria.contains(Point(40.1417, 35.3359))       # Deir ez-Zor
    assert not syria.contains(Point(35.5018, 33.8938))   # Beirut
    assert not syria.contains(Point(35.9106, 31.9539))   # Amman


@pytest.mark.parametrize("direction, check", [
    ("north", lambda p, c: p[0] > c[0]),
    ("south", lambda p, c: p[0] < c[0]),
    ("east", lambda p, c: p[1] > c[1]),
    ("west", lambda p, c: p[1] < c[1]),
    ("northeast", lambda p, c: p[0] > c[0] and p[1] > c[1]),
    ("northwest", lambda p, c: p[0] > c[0] and p[1] < c[1]),
    ("southeast", lambda p, c: p[0] < c[0] and p[1] > c[1]),
    ("southwest", lambda p, c: p[0] < c[0] and p[1] < c[1]),
])
@pytest.mark.parametrize("pcode", ["SY05", "SY02", "SY03", "SY07"])
def test_region_point_lies_in_that_part_of_the_governorate(pcode, direction, check):
    gov = admin.governorates().set_index("admin1_pcode").loc[pcode].geometry
    centroid = (gov.centroid.y, gov.centroid.x)
    p = admin.region_point(pcode, direction)
    assert gov.contains(Point(p[1], p[0]))
    assert check(p, centroid)
    assert admin.admin_for_point(*p)["admin1_pcode"] == pcode


@pytest.mark.parametrize("direction", [None, "centre"])
def test_region_point_centre_is_inside(direction):
    p = admin.region_point("SY03", direction)  # Rural Damascus wraps around Damascus city
    assert admin.admin_for_point(*p)["admin1_pcode"] == "SY03"


def test_region_point_rejects_bad_input():
    with pytest.raises(ValueError, match="direction"):
        admin.region_point("SY05", "up")
    with pytest.raises(KeyError, match="SY99"):
        admin.region_point("SY99", "north")
