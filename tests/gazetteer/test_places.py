"""The committed places table: contents, reproducibility, and lookups of names news uses."""
from __future__ import annotations

import csv
import json

import pandas as pd
import pytest

from gazetteer import admin, build, places
from arabic.normalize import name_key

# OCHA's own points sit up to 3.4 km outside OCHA's own border (Mazraet Deir al-Ashayer, on the
# Lebanese frontier); anything farther off must be a curated place with a stated reason.
OCHA_BORDER_KM = 3.5


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return places.load()


def test_build_reproduces_the_committed_table(tmp_path):
    df, report = build.build_table()
    build.write_table(df, tmp_path)
    rebuilt = pd.read_parquet(tmp_path / build.PLACES_NAME)
    committed = pd.read_parquet(places.PLACES_FILE)
    pd.testing.assert_frame_equal(rebuilt, committed)
    assert report["rows"] == len(committed)


def test_columns_and_unique_ids(table):
    assert list(table.columns) == build.COLUMNS
    assert table["place_id"].is_unique
    assert table["place_id"].notna().all() and table["name_ar"].str.len().gt(0).all()


@pytest.mark.parametrize("kind, prefix, expected", [
    ("governorate", "SY", 14),
    ("subdistrict", "SY", 272),
])
def test_admin_unit_counts(table, kind, prefix, expected):
    rows = table[table["kind"] == kind]
    assert len(rows) == expected
    assert rows["place_id"].str.startswith(prefix).all()


def test_districts_cover_ocha_2015_and_later(table):
    districts = set(table.loc[table["kind"] == "district", "place_id"])
    assert len(districts) >= 61
    assert set(admin.districts()["admin2_pcode"]) <= districts


def test_every_ocha_community_is_present(table):
    raw = json.loads(build.OCHA_POINTS.read_bytes().decode("utf-8", errors="replace"))
    pcodes = {f["properties"]["PCODE"] for f in raw["features"]}
    assert len(pcodes) == 5251
    assert pcodes <= set(table["place_id"])
    communities = table[table["place_id"].isin(pcodes)]
    assert set(communities["kind"]) <= {"city", "town", "village"}


def test_truncated_arabic_names_are_repaired(table):
    fixes = build.read_name_fixes()
    assert len(fixes) == 6
    assert not table["name_ar"].str.contains("\ufffd").any()
    for pcode, (truncated, fixed) in fixes.items():
        row = places.get(pcode)
        assert row["name_ar"] == fixed
        kept = truncated.rstrip("\ufffd")
        assert fixed.startswith(kept) and len(fixed) > len(kept) and "\ufffd" not in fixed


def test_kinds_and_value_ranges(table):
    assert set(table["kind"]) <= build.KINDS
    assert table["prominence"].between(0, 1).all()
    assert table["variants"].map(len).gt(0).all()
    for row in table.itertuples():
        assert row.name_ar in row.variants


def test_prominence_orders_capitals_above_villages(table):
    damascus = places.get("C1001")
    assert damascus["kind"] == "city" and damascus["prominence"] >= 0.9
    villages = table[table["kind"] == "village"]["prominence"]
    assert villages.max() < damascus["prominence"]
    assert places.get("SY05")["prominence"] > places.get("SY0501")["prominence"]


def _curated_notes() -> dict[str, str]:
    if not build.CURATED.exists():
        return {}
    with build.CURATED.open(encoding="utf-8-sig", newline="") as f:
        return {r["place_id"]: (r.get("note") or "").strip() for r in csv.DictReader(f)}


def test_every_row_lies_in_syria(table):
    notes = _curated_notes()
    for row in table.itertuples():
        off = admin.admin_for_point(row.lat, row.lon)["distance_km"]
        if row.source == "curated":
            assert off <= build.BORDER_SLACK_KM or notes.get(row.place_id), (row.place_id, off)
        else:
            assert off <= OCHA_BORDER_KM, (row.place_id, row.name_en, off)


def test_admin_fields_are_filled(table):
    assert table["admin1_pcode"].notna().all()
    below_governorate = table[table["kind"] != "governorate"]
    assert below_governorate["admin2_pcode"].notna().all()
    assert below_governorate["admin1_pcode"].str.fullmatch(r"SY\d\d").all()


def test_geonames_names_are_merged_by_distance():
    # 'Taftanāz' is only GeoNames' spelling: it must have landed on the OCHA community in Idleb.
    found = [c for c in places.candidates("Taftanāz") if c["place_id"].startswith("C")]
    assert found and found[0]["admin1_pcode"] == "SY07" and "geonames" in found[0]["source"]
    # GeoNames has a second 'Qabbāsīn' 60 km east of the real one (Khirbat as-Sawda, pop 12,000):
    # a name alone must not merge it into the OCHA Qabasin.
    assert places.get("C1209")["population"] != 12000


CURATED_HEADER = "place_id,name_ar,name_en,variants,kind,lat,lon,parent_place_id,coord_source,note\n"


@pytest.mark.parametrize("line, message", [
    ("X-a,مكان,Place,,airport,35.0,37.0,,a map,", "kind 'airport'"),
    ("X-a,مكان,Place,,landmark,35.0,37.0,,,", "empty coord_source"),
    ("X-a,مكان,Place,,landmark,35.0,east,,a map,", "bad coordinates"),
    ("X-a,مكان,Place,,landmark,33.9,35.5,,a map,", "outside Syria"),
    ("X-a,مكان,Place,,landmark,35.0,37.0,C9999999,a map,", "parent_place_id 'C9999999'"),
    ("C4309,مكان,Place,,landmark,35.0,37.0,,a map,", "duplicate place_id 'C4309'"),
])
def test_curated_csv_errors_name_the_row(tmp_path, line, message):
    path = tmp_path / "curated.csv"
    path.write_text(CURATED_HEADER + "X-ok,مكان,Place,,landmark,35.0,37.0,,a map,\n" + line + "\n", encoding="utf-8")
    with pytest.raises(build.CuratedError) as err:
        build.read_curated(path, {"C4309": places.get("C4309")})
    assert "curated.csv line 3" in str(err.value) and message in str(err.value)
    assert "line 2" not in str(err.value)


def test_curated_rows_get_admin_from_polygons(tmp_path):
    path = tmp_path / "curated.csv"
    path.write_text(CURATED_HEADER + "X-a,مكان,Place,بقعة|Spot,landmark,35.6588,36.4828,C4309,a map,\n"
                    "X-b,بحر,Sea,,landmark,35.5,35.5,,a map,offshore: a ship off Latakia\n", encoding="utf-8")
    rows = build.read_curated(path, {"C4309": places.get("C4309")})
    assert rows[0]["admin1_pcode"] == "SY07" and rows[0]["admin3_pcode"] == places.get("C4309")["admin3_pcode"]
    assert rows[0]["variants"] == ["مكان", "Place", "بقعة", "Spot"]
    assert rows[1]["admin1_pcode"] == "SY06"  # nearest governorate for the stated offshore point


@pytest.mark.parametrize("name, place_id, kind, admin1", [
    ("القرداحة", None, "town", "SY06"),
    ("الصنمين", None, "town", "SY12"),
    ("كنصفرة", "C4309", "village", "SY07"),
    ("كنصفره", "C4309", "village", "SY07"),
    ("Kansafra", "C4309", "village", "SY07"),
    ("خان أرنبة", None, "town", "SY14"),
    ("خان ارنبه", None, "town", "SY14"),
    ("البعث", "C6275", None, "SY14"),
    ("الهامة", "C2323", None, "SY03"),
    ("رسم العبود", "C1313", None, "SY02"),
    ("مطار الثعلة", None, "airbase", "SY13"),
    ("جبل التركمان", None, "mountain", "SY06"),
    ("وادي بردى", None, "valley", "SY03"),
    ("الخالدية", None, "neighbourhood", "SY02"),
    ("الشهباء", None, "region", "SY02"),
])
def test_lookup_finds_the_place_news_means(name, place_id, kind, admin1):
    found = places.candidates(name)
    assert found, name
    match = [c for c in found if c["admin1_pcode"] == admin1 and (kind is None or c["kind"] == kind)
             and (place_id is None or c["place_id"] == place_id)]
    assert match, [(c["place_id"], c["kind"], c["admin1_pcode"]) for c in found]


@pytest.mark.parametrize("query, same_as", [
    ("هامة", "الهامة"),          # article optional when absent from the query
    ("رسم عبود", "رسم العبود"),  # and when present in it, on any word
    ("Al-Qardaha", "القرداحة"),
    ("Qardaha", "القرداحة"),
])
def test_article_and_script_variants_find_the_same_places(query, same_as):
    ids = {c["place_id"] for c in places.candidates(query)}
    ids_ref = {c["place_id"] for c in places.candidates(same_as)}
    assert ids & ids_ref


def test_governorate_and_its_capital_are_both_candidates():
    found = places.candidates("حماة")
    kinds = {c["place_id"]: c["kind"] for c in found}
    assert kinds.get("SY05") == "governorate"
    assert "city" in kinds.values()
    assert found[0]["prominence"] >= found[-1]["prominence"]


def test_unknown_names_and_ids():
    assert places.candidates("لا يوجد مكان بهذا الاسم") == []
    assert places.candidates("") == []
    assert places.get("C0000000") is None


def test_by_key_indexes_every_name_and_article_free_form(table):
    index = places.by_key()
    positions = {i for v in index.values() for i in v}
    assert positions == set(range(len(table)))
    assert "قرداحه" in index and "القرداحه" in index
    # Arabic keys are exactly normalize.name_key, so the geoparser can match them in running text.
    for row in table.itertuples():
        assert name_key(row.name_ar) in index


@pytest.mark.parametrize("latin, arabic", [("Ḩamāh", "حماة"), ("‘Ayn al Fījah", "عين الفيجة")])
def test_latin_diacritics_and_ayn_marks_fold(latin, arabic):
    assert {c["place_id"] for c in places.candidates(latin)} & {c["place_id"] for c in places.candidates(arabic)}


def test_compound_names_are_split_but_not_on_qualifiers():
    row = places.get("C1325")  # 'الحجلية- الباب': Hjeileh of al-Bab, not al-Bab itself
    assert "الحجلية" in row["variants"]
    assert all(places.key(v) not in ("الباب", "bab", "al bab") for v in row["variants"])
    assert "C1325" not in {c["place_id"] for c in places.candidates("الباب")}


def test_community_kind_rule():
    assert build.community_kind(1, None) == "city"
    assert build.community_kind(None, 80_000) == "city"
    assert build.community_kind(3, 1_000) == "town"
    assert build.community_kind(None, 6_000) == "town"
    assert build.community_kind(None, None) == "village"
