"""User places: read next to a table, laid over the name index without touching it, resolved by name."""
from __future__ import annotations

import json

import pytest

from gazetteer import geoparse, user_places
from gazetteer.index import get_index
from gazetteer.user_places import UserPlace

TEXT = "اشتباكات عنيفة في ديربو بين الجيش الحر وقوات النظام يوم 5 آذار 2014."
DIRBU = UserPlace("ديربو", 34.62, 37.35, "rima", "2024-01-01T00:00:00+00:00", name_en="Dirbu", aliases=["ديربوه"])


def write(path, *lines: str) -> None:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def test_a_user_place_resolves_by_its_names_and_the_shared_index_is_untouched(tmp_path) -> None:
    assert not any(m.place_id.startswith("U-") for m in geoparse(TEXT))
    path = user_places.path_for(tmp_path / "events.parquet")
    assert path.name == "events.parquet.places.jsonl"
    write(path, json.dumps(DIRBU.to_json(), ensure_ascii=False), "{cut by a kil")
    places, problems = user_places.load(path)
    assert places == [DIRBU] and len(problems) == 1 and "line 2" in problems[0]
    base_rows = len(get_index().place_id)
    user_places.use(path)
    (m,) = [m for m in user_places.geoparse(TEXT) if m.text == "ديربو"]
    assert (m.place_id, m.lat, m.lon, m.kind, m.admin1) == (DIRBU.place_id, 34.62, 37.35, "village", "Homs")
    assert [m.place_id for m in user_places.geoparse("قصف على ديربوه")] == [DIRBU.place_id]
    assert len(get_index().place_id) == base_rows and geoparse(TEXT) == []  # the default geoparser is as before
    user_places.use(tmp_path / "none.places.jsonl")
    assert not any(m.place_id.startswith("U-") for m in user_places.geoparse(TEXT))


@pytest.mark.parametrize("bad", [dict(name_ar=" ", name_en=""), dict(lat=float("nan")), dict(lon=200.0),
                                 dict(kind="castle"), dict(who=" ")])
def test_a_user_place_says_what_is_wrong_with_it(bad) -> None:
    with pytest.raises(ValueError):
        UserPlace(**{**DIRBU.to_json(), "place_id": "", **bad})


def test_ids_are_stable_for_the_same_name_and_point() -> None:
    again = UserPlace("ديربو", 34.62, 37.35, "omar", "2025-01-01T00:00:00+00:00", name_en="Dirbu")
    assert again.place_id == DIRBU.place_id and again.place_id.startswith("U-") and DIRBU.source == "user"
