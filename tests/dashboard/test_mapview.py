"""Map building: offline assets, one feature per event or per place, escaping of tooltips/popups."""
from __future__ import annotations

import json
import re
from pathlib import Path

import folium
import pytest
import streamlit_folium

from dashboard import mapview
from tests.dashboard.conftest import event, table

EVIL = '<img src=x onerror="alert(1)">'


def located(n: int, places: int) -> list[dict]:
    return [event(event_id=f"e{i}", place_id=f"P{i % places}", latitude=33 + (i % places) * 0.01,
                  longitude=36 + (i % places) * 0.01, location_ar="قرية", location_en=f"Village {i % places}",
                  event_type="shelling" if i % 3 else "airstrike", count=i)
            for i in range(n)]


def layer(view) -> folium.FeatureGroup:
    features = mapview.marker_features(view)
    return mapview.markers_layer(mapview.features_json(features), len(features))


def test_one_feature_per_located_event_below_the_threshold() -> None:
    rows = located(12, places=4) + [event(event_id="nowhere")]
    features = mapview.marker_features(table(*rows))
    assert sorted(f["properties"]["id"] for f in features) == sorted(f"e{i}" for i in range(12))
    first = next(f for f in features if f["properties"]["id"] == "e4")
    assert first["geometry"]["coordinates"] == [36.0, 33.0]
    assert "ev-e4" in first["properties"]["cls"]


def test_one_bubble_per_place_above_the_threshold(monkeypatch) -> None:
    monkeypatch.setattr(mapview, "AGGREGATE_ABOVE", 10)
    features = mapview.marker_features(table(*located(30, places=4)))
    assert len(features) == 4
    by_place = {f["properties"]["place"]: f["properties"] for f in features}
    assert set(by_place) == {"P0", "P1", "P2", "P3"}
    # P0 holds e0, e4, ... e28: i % 3 == 0 -> airstrike for e0, e12, e24 (3 of 8): shelling dominates
    assert by_place["P0"]["c"] == mapview.type_colour("shelling")
    assert "8 events" in by_place["P0"]["tip"]


def test_clustering_only_when_dense(monkeypatch) -> None:
    monkeypatch.setattr(mapview, "CLUSTER_ABOVE", 5)
    few = layer(table(*located(5, places=5)))
    many = layer(table(*located(6, places=6)))
    kinds = lambda group: {type(c).__name__ for c in group._children.values()}
    assert kinds(few) == {"PointLayer"}
    assert kinds(many) == {"MarkerCluster"}


def test_tooltips_and_popups_are_escaped() -> None:
    rows = [event(event_id="x", place_id="P", latitude=33.0, longitude=36.0, location_ar=EVIL, location_en=EVIL,
                  source=EVIL, event_type=EVIL, event_date=None)]
    props = mapview.marker_features(table(*rows))[0]["properties"]
    for html in (props["tip"], props["pop"]):
        assert "<img" not in html and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html


def test_marker_class_is_css_safe() -> None:
    assert mapview.marker_class('a b"<c>/d') == "ev-a_b__c__d"


def test_base_map_loads_no_script_or_stylesheet_from_the_internet(tmp_path) -> None:
    m = mapview.base_map({"type": "FeatureCollection", "features": []})
    layer(table(*located(400, places=400))).add_to(m)
    page = m.get_root().render()
    assets = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page)
    assert assets and all(a.startswith(mapview.STATIC_URL + "/") for a in assets)
    assert {a.rsplit("/", 1)[1] for a in assets} >= {"leaflet.js", "leaflet.css", "leaflet.markercluster.js"}


def test_install_assets_copies_every_linked_file(tmp_path) -> None:
    import xstatic.pkg.leaflet_markercluster as cluster

    mapview.install_assets(tmp_path)
    for _, path in mapview.MAP_JS + mapview.MAP_CSS:
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


def test_governorate_layer_does_not_take_clicks() -> None:
    m = mapview.base_map({"type": "FeatureCollection", "features": []})
    layers = [c for c in m._children.values() if isinstance(c, folium.GeoJson)]
    assert len(layers) == 1 and layers[0].options["interactive"] is False


@pytest.mark.parametrize("text", ["</script><script>alert(1)</script>", "{{ 7*7 }}", "{% if x %}", "{# c #}",
                                  "a & b < c > d", "عربي"])
def test_features_json_is_inert_in_script_and_jinja_and_decodes_back(text) -> None:
    feature = {"type": "Feature", "geometry": None, "properties": {"tip": text}}
    encoded = mapview.features_json([feature])
    assert not re.search(r"[<>&]|\{[{%#]", encoded)
    assert json.loads(encoded)["features"][0]["properties"]["tip"] == text


def test_selected_event_gets_a_ring_outside_the_cluster_that_does_not_take_clicks(monkeypatch) -> None:
    monkeypatch.setattr(mapview, "CLUSTER_ABOVE", 5)
    view = table(*located(8, places=8))
    chosen = view[view["event_id"] == "e3"].iloc[0]
    features = mapview.marker_features(view)
    group = mapview.markers_layer(mapview.features_json(features), len(features), chosen)
    rings = [c for c in group._children.values() if isinstance(c, folium.CircleMarker)]
    assert len(rings) == 1  # a direct child of the group, not of the MarkerCluster
    assert rings[0].location == [chosen["latitude"], chosen["longitude"]]
    assert rings[0].options["className"] == "selected-marker" and rings[0].options["interactive"] is False
    script = streamlit_folium._get_feature_group_string(group, mapview.base_map(None))
    assert '"interactive": false' in script


def test_no_ring_without_a_selection_or_a_place() -> None:
    view = table(*located(3, places=3), event(event_id="nowhere"))
    features = mapview.marker_features(view)
    for selected in (None, view[view["event_id"] == "nowhere"].iloc[0]):
        group = mapview.markers_layer(mapview.features_json(features), len(features), selected)
        assert not any(isinstance(c, folium.CircleMarker) for c in group._children.values())
