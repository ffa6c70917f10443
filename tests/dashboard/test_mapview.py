"""The map's data: the events layer, the offline basemap, published files, the tile setting, assets."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

from datetime import timedelta

import pandas as pd
import pytest

from dashboard import mapview
from dashboard.filters import Filters
from tests.dashboard.conftest import event, store

EVIL = '<img src=x onerror="alert(1)">'
COMPONENT = Path(mapview.__file__).parent / "eventmap"


def located(n: int, places: int) -> list[dict]:
    return [event(event_id=f"e{i}", place_id=f"P{i % places}", latitude=33 + (i % places) * 0.01,
                  longitude=36 + (i % places) * 0.01, location_ar="قرية", location_en=f"Village {i % places}",
                  event_type="shelling" if i % 3 else "airstrike", count=i, admin1="Hama", admin2="Masyaf",
                  event_date=f"2015-06-{1 + i % 28:02d}")
            for i in range(n)]


def decoded(layer: dict, s, part: str = "points") -> dict[str, dict]:
    """The layer's columns back as one dict per marker (or feed line), by id, as the browser reads them."""
    cols, sites = layer[part], mapview.sites(s)["sites"]
    out = {}
    for i, eid in enumerate(cols["id"]):
        lat, lon, en, ar = sites[cols["site"][i]]
        label, colour = layer["types"][cols["t"][i]]
        row = {"lat": lat, "lon": lon, "en": en, "ar": ar, "type": label, "colour": colour}
        if "n" in cols:  # a place
            row |= {"n": cols["n"][i], "first": _day(cols["d0"][i]), "last": _day(cols["d1"][i])}
        else:
            row |= {"day": _day(cols["d"][i]), "count": cols["c"][i], "status": layer["statuses"][cols["s"][i]],
                    "count_of": layer["counts"][cols["k"][i]] if cols["k"][i] >= 0 else None}
        out[eid] = row
    return out


def _day(days: int | None) -> str | None:
    return None if days is None else (mapview.EPOCH + timedelta(days=days)).isoformat()


def test_one_point_per_located_event_below_the_threshold() -> None:
    s = store(*located(12, places=4), event(event_id="nowhere"))
    layer = mapview.layer(s, Filters(), "/sites.json")
    assert layer["mode"] == "events" and layer["located"] == 12 and layer["sites"] == "/sites.json"
    points = decoded(layer, s)
    assert sorted(points) == sorted(f"e{i}" for i in range(12))
    e4 = points["e4"]
    assert (e4["lat"], e4["lon"], e4["status"], e4["en"]) == (33.0, 36.0, "unreviewed", "Village 0")
    assert (e4["count"], e4["count_of"], e4["type"], e4["day"]) == (4, "killed", "Shelling", "2015-06-05")
    assert e4["colour"] == mapview.type_colour("shelling")


def test_one_bubble_per_place_above_the_threshold_opening_its_newest_event(monkeypatch) -> None:
    monkeypatch.setattr(mapview, "AGGREGATE_ABOVE", 10)
    s = store(*located(30, places=4))
    layer = mapview.layer(s, Filters(), "/sites.json")
    assert layer["mode"] == "places" and len(layer["points"]["id"]) == 4
    (p0_id, p0), = [(k, p) for k, p in decoded(layer, s).items() if p["en"] == "Village 0"]
    # P0 holds e0, e4, ... e28: i % 3 == 0 -> airstrike for e0, e12, e24 (3 of 8): shelling dominates
    assert p0["colour"] == mapview.type_colour("shelling") and p0["n"] == 8
    assert p0_id == "e24"  # 2015-06-25, the newest at P0
    assert (p0["first"], p0["last"]) == ("2015-06-01", "2015-06-25")
    feed = decoded(layer, s, "feed")  # the feed's types and counts are in the tables too
    assert feed["e29"]["type"] == "Shelling" and feed["e29"]["count_of"] == "killed"
    assert {f["type"] for f in feed.values()} == {"Shelling", "Airstrike"}


def test_feed_is_newest_first_with_one_line_of_evidence() -> None:
    long = "قصف " * 100
    rows = located(5, places=5) + [event(event_id="late", latitude=34.0, longitude=37.0, evidence=long,
                                         event_date="2020-01-01", count=None)]
    s = store(*rows)
    layer = mapview.layer(s, Filters(), "/sites.json")
    feed = layer["feed"]
    assert feed["id"] == ["late", "e4", "e3", "e2", "e1", "e0"]
    assert len(feed["line"][0]) == mapview.EVIDENCE_CHARS + 1 and feed["line"][0].endswith("…")
    lines = decoded(layer, s, "feed")
    assert lines["late"]["count"] is None and (lines["e4"]["count"], lines["e4"]["count_of"]) == (4, "killed")


def test_layer_has_no_null_words_and_keeps_untrusted_text_as_data() -> None:
    rows = [event(event_id="x", latitude=33.0, longitude=36.0, location_ar=EVIL, location_en=None,
                  event_type="other", event_date=None, evidence=EVIL)]
    s = store(*rows)
    layer = mapview.layer(s, Filters(), "/sites.json")
    text = json.dumps([layer, mapview.sites(s)], ensure_ascii=False)
    assert not re.search(r"\b(nan|NaN|None|NaT)\b", text)
    assert decoded(layer, s)["x"]["ar"] == EVIL and layer["feed"]["d"] == [None]  # the browser writes "undated"
    # the browser sets these with textContent: the component never assigns data to innerHTML
    script = (COMPONENT / "eventmap.js").read_text()
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script


def test_area_counts_per_governorate_and_district() -> None:
    s = store(*located(3, places=3), event(event_id="u", admin1="Idleb"))
    areas = mapview.layer(s, Filters(), "/sites.json")["areas"]
    assert areas == {"admin1": {"Hama": 3, "Idleb": 1}, "admin2": {"Masyaf": 3}}


def test_a_layer_of_many_places_is_compact(monkeypatch) -> None:
    """About 30 bytes a marker: the browser builds tooltips and colours from small tables."""
    monkeypatch.setattr(mapview, "AGGREGATE_ABOVE", 100)
    s = store(*located(2000, places=500))
    layer = mapview.layer(s, Filters(), "/sites.json")
    assert layer["mode"] == "places" and len(layer["points"]["id"]) == 500
    points = json.dumps(layer["points"], separators=(",", ":"))
    assert len(points) < 40 * 500, len(points)


def test_publish_names_files_by_content_and_prunes_old_ones(tmp_path, monkeypatch) -> None:
    url = mapview.publish({"a": "عربي"}, "layers", tmp_path)
    assert url == mapview.publish({"a": "عربي"}, "layers", tmp_path)
    assert url.startswith(mapview.STATIC_URL + "/layers/")
    path = tmp_path / "layers" / url.rsplit("/", 1)[1]
    assert json.loads(path.read_text(encoding="utf-8")) == {"a": "عربي"}
    monkeypatch.setattr(mapview, "KEEP_PUBLISHED", 3)
    for i in range(5):
        mapview.publish({"i": i}, "layers", tmp_path)
    assert len(list((tmp_path / "layers").glob("*.json"))) == 3


def test_a_file_in_use_outlives_pruning_and_a_pruned_one_is_known_gone(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(mapview, "KEEP_PUBLISHED", 3)
    first = mapview.publish({"view": "default"}, "layers", tmp_path)
    for i in range(5):  # other sessions publish more; the default view's file is kept in use meanwhile
        os.utime(tmp_path / first.removeprefix(mapview.STATIC_URL + "/"), (1, 1))  # made the oldest
        assert mapview.keep(first, tmp_path)
        mapview.publish({"i": i}, "layers", tmp_path)
    assert mapview.keep(first, tmp_path)
    gone = mapview.publish({"i": 0}, "layers", tmp_path)
    (tmp_path / gone.removeprefix(mapview.STATIC_URL + "/")).unlink()
    assert not mapview.keep(gone, tmp_path)


def test_pruning_survives_a_file_another_session_removed(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(mapview, "KEEP_PUBLISHED", 1)
    mapview.publish({"i": 0}, "layers", tmp_path)
    real_stat = Path.stat

    def vanishing(self, *args, **kwargs):  # the other session's prune lands between listing and stat
        if self.suffix == ".json" and self.parent.name == "layers" and "vanished" not in str(self):
            self.unlink(missing_ok=True)
        return real_stat(self, *args, **kwargs)

    monkeypatch.setattr(Path, "stat", vanishing)
    mapview.publish({"i": 1}, "layers", tmp_path)  # raised FileNotFoundError before


@pytest.mark.parametrize("environ, expected", [
    ({}, None),
    ({"EVENTS_MAP_TILES": "none"}, None),
    ({"EVENTS_MAP_TILES": "osm"}, mapview.Tiles(mapview.OSM_URL, mapview.OSM_ATTRIBUTION, public=True)),
    ({"EVENTS_MAP_TILES": "http://tiles.local/{z}/{x}/{y}.png", "EVENTS_MAP_TILES_ATTRIBUTION": "<b>Ours</b>"},
     mapview.Tiles("http://tiles.local/{z}/{x}/{y}.png", "&lt;b&gt;Ours&lt;/b&gt;", public=False)),
])
def test_tiles_are_off_unless_asked_for(environ, expected) -> None:
    assert mapview.tile_setting(environ) == expected


def test_a_tile_setting_that_is_no_template_is_an_error() -> None:
    with pytest.raises(ValueError, match="EVENTS_MAP_TILES"):
        mapview.tile_setting({"EVENTS_MAP_TILES": "http://tiles.local/"})


@pytest.mark.parametrize("kind, capital, prominence, zoom", [
    ("city", 1, 0.95, 6), ("city", None, 0.8, 8), ("town", 2, 0.6, 8), ("town", None, 0.5, 9),
    ("village", 3, 0.3, 9), ("airbase", None, 0.55, 10), ("village", None, 0.3, 11), ("village", None, 0.15, 12),
    ("neighbourhood", None, 0.35, 13), ("governorate", None, 0.98, None), ("district", 2, 0.6, None),
])
def test_label_zoom_ranks_places(kind, capital, prominence, zoom) -> None:
    assert mapview.label_zoom(kind, pd.NA if capital is None else capital, prominence) == zoom


def test_basemap_from_the_gazetteer_orders_labels_by_zoom_then_prominence() -> None:
    base = mapview.load_basemap()
    assert len(base["admin1"]["features"]) == 14 and len(base["admin2"]["features"]) >= 60
    assert {"name", "ar"} == set(base["admin1"]["features"][0]["properties"])
    zooms = [z for *_, z in base["labels"]]
    assert zooms == sorted(zooms) and zooms[0] == 6
    capitals = {en for en, _, _, _, z in base["labels"] if z == 6}
    assert {"Damascus", "Aleppo", "Homs", "Hama"} <= capitals


def test_component_loads_no_script_or_stylesheet_from_the_internet() -> None:
    page = (COMPONENT / "index.html").read_text()
    assets = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page)
    assert assets and all(a.startswith(mapview.STATIC_URL + "/") or "/" not in a for a in assets)
    assert "http" not in page + (COMPONENT / "eventmap.js").read_text() + (COMPONENT / "eventmap.css").read_text()


def test_install_assets_copies_every_linked_file(tmp_path) -> None:
    import xstatic.pkg.leaflet_markercluster as cluster

    mapview.install_assets(tmp_path)
    linked = re.findall(r'"/app/static/([^"]+)"', (COMPONENT / "index.html").read_text())
    for path in linked:
        assert (tmp_path / path).stat().st_size > 0
    copied = (tmp_path / "markercluster" / "MarkerCluster.css").read_bytes()
    assert copied == (Path(cluster.BASE_DIR) / "MarkerCluster.css").read_bytes()
    assert (tmp_path / "leaflet" / "images" / "layers.png").exists()
    before = (tmp_path / "leaflet" / "leaflet.js").stat().st_mtime_ns
    mapview.install_assets(tmp_path)  # idempotent: nothing rewritten
    assert (tmp_path / "leaflet" / "leaflet.js").stat().st_mtime_ns == before


@pytest.mark.parametrize("centre, zoom, moved", [
    (mapview.SYRIA_CENTRE, mapview.DEFAULT_ZOOM, False),
    ((mapview.SYRIA_CENTRE[0] + 0.006, mapview.SYRIA_CENTRE[1] - 0.002), mapview.DEFAULT_ZOOM, False),
    ((mapview.SYRIA_CENTRE[0] + 1, mapview.SYRIA_CENTRE[1]), mapview.DEFAULT_ZOOM, True),
    (mapview.SYRIA_CENTRE, mapview.DEFAULT_ZOOM + 1, True),
])
def test_moved(centre, zoom, moved) -> None:
    assert mapview.moved(centre, zoom) is moved


def test_marker_class_is_css_safe() -> None:
    assert mapview.marker_class('a b"<c>/d') == "ev-a_b__c__d"
