"""The hand-curated supplement (gazetteer/data/curated_places.csv) and its companion data files.

Every row cites where its coordinates come from, lies in Syria (or says why not), has a known kind and
parent, and a unique id; derived region points match regions.tsv; the names kept without coordinates
point at real towns.
"""
from __future__ import annotations

import csv
import json
from functools import lru_cache

import pytest

from gazetteer import admin, build, curated_regions

DATA = build.DATA
NO_COORDS = DATA / "named_without_coordinates.tsv"


@lru_cache(maxsize=1)
def rows() -> list[dict]:
    with build.CURATED.open(encoding="utf-8-sig", newline="") as f:
        return [{k: (v or "").strip() for k, v in r.items()} for r in csv.DictReader(f)]


@lru_cache(maxsize=1)
def ocha_codes() -> set[str]:
    with build.OCHA_POINTS.open(encoding="utf-8", errors="replace") as f:
        return {feat["properties"]["PCODE"] for feat in json.load(f)["features"]}


def test_columns_and_unique_ids():
    with build.CURATED.open(encoding="utf-8-sig", newline="") as f:
        assert csv.DictReader(f).fieldnames == build.CURATED_COLUMNS
    ids = [r["place_id"] for r in rows()]
    assert len(ids) == len(set(ids))
    assert all(i.startswith("X-") for i in ids)
    assert not set(ids) & ocha_codes()


def test_every_row_cites_its_coordinates_and_has_a_known_kind():
    for r in rows():
        assert r["coord_source"], r["place_id"]
        assert r["kind"] in build.KINDS, r["place_id"]
        assert r["name_ar"], r["place_id"]


def test_parents_exist():
    known = ocha_codes() | {r["place_id"] for r in rows()}
    for r in rows():
        assert not r["parent_place_id"] or r["parent_place_id"] in known, r["place_id"]


def test_points_lie_in_syria_unless_the_note_says_why():
    for r in rows():
        a = admin.admin_for_point(float(r["lat"]), float(r["lon"]))
        assert a["distance_km"] <= build.BORDER_SLACK_KM or r["note"], (r["place_id"], a["distance_km"])
        assert a["distance_km"] < 2.0, (r["place_id"], a["distance_km"])  # even the offshore naval base


def test_neighbourhoods_and_landmarks_are_near_their_town():
    by_id = {}
    with build.OCHA_POINTS.open(encoding="utf-8", errors="replace") as f:
        for feat in json.load(f)["features"]:
            p = feat["properties"]
            by_id[p["PCODE"]] = (p["LATITUDE"], p["LONGITUDE"])
    limits = {"neighbourhood": 8.0, "landmark": 15.0}
    for r in rows():
        if r["kind"] in limits and r["parent_place_id"] in by_id:
            lat, lon = by_id[r["parent_place_id"]]
            km = admin._degrees_to_km(((float(r["lat"]) - lat) ** 2 + (float(r["lon"]) - lon) ** 2) ** 0.5,
                                      lat)
            assert km <= limits[r["kind"]], (r["place_id"], round(km, 1))


def test_region_rows_match_their_derivation():
    derived = {r["place_id"]: r for r in curated_regions.region_rows()}
    assert derived, "regions.tsv defines no region"
    current = {r["place_id"]: r for r in rows()}
    for pid, d in derived.items():
        assert pid in current, f"{pid} not written: run python -m gazetteer.curated_regions --write"
        c = current[pid]
        assert c["kind"] == "region"
        assert (c["lat"], c["lon"]) == (d["lat"], d["lon"]), pid
        assert "regions.tsv" in c["coord_source"]


def test_region_members_must_exist():
    with pytest.raises(ValueError):
        curated_regions.members_of("C1001 SY999999", [{"PCODE": "C1001", "ADMIN3_COD": "SY010000"}])


def test_names_without_coordinates_point_at_real_towns_and_carry_no_coordinates():
    with NO_COORDS.open(encoding="utf-8") as f:
        table = list(csv.DictReader([ln for ln in f if not ln.startswith("#")], delimiter="\t"))
    assert table
    for r in table:
        assert set(r) == {"name_ar", "variants", "kind", "town_place_id", "town", "risky", "note"}
        assert r["kind"] in {"neighbourhood", "landmark"}
        assert not r["town_place_id"] or r["town_place_id"] in ocha_codes(), r["name_ar"]
        assert r["risky"] in ("", "yes")
