"""The folium map: an offline-capable base map, and the event markers as one cheap layer.

Offline: Leaflet, jQuery and Leaflet.markercluster come from the XStatic PyPI packages. They are
copied into dashboard/static/ when the app starts (Streamlit serves that folder at /app/static/ with
server.enableStaticServing) and the map points at those absolute URLs instead of folium's CDNs.
Copying at run time rather than committing copies keeps one source of truth: the versions are the
ones pip installed, upgraded with the rest of the environment, with their licences in the packages.

Markers: one GeoJSON layer rendered by a few lines of Leaflet JS, not one folium object per event,
so building the layer stays linear and cheap. Beyond AGGREGATE_ABOVE events the layer holds one
bubble per place instead of one circle per event; beyond CLUSTER_ABOVE features it is clustered.
Every string that reaches Leaflet's HTML (tooltips, popups) is escaped here.
"""
from __future__ import annotations

import html
import importlib
import json
import math
import re
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import folium
import folium.plugins
import pandas as pd
from branca.element import Element, MacroElement
from jinja2 import Template

from dashboard.data import DATE, LOCATED
from dashboard.escape import esc
from dashboard.theme import ARABIC_FONT, type_colour

STATIC_DIR = Path(__file__).resolve().parent / "static"
STATIC_URL = "/app/static"
SYRIA_CENTRE = (35.0, 38.3)
DEFAULT_ZOOM = 6
AGGREGATE_ABOVE = 2000
CLUSTER_ABOVE = 300
OSM_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'


@dataclass(frozen=True)
class Asset:
    package: str  # xstatic.pkg.<package>
    files: tuple[str, ...]  # paths under the package's BASE_DIR; folders are copied whole


ASSETS: dict[str, Asset] = {
    "leaflet": Asset("leaflet", ("leaflet.js", "leaflet.css", "images")),
    "jquery": Asset("jquery", ("jquery.min.js",)),
    "markercluster": Asset("leaflet_markercluster",
                           ("leaflet.markercluster.js", "MarkerCluster.css", "MarkerCluster.Default.css")),
}
MAP_JS = [("leaflet", "leaflet/leaflet.js"), ("jquery", "jquery/jquery.min.js"),
          ("markercluster", "markercluster/leaflet.markercluster.js")]
MAP_CSS = [("leaflet_css", "leaflet/leaflet.css"), ("markercluster_css", "markercluster/MarkerCluster.css"),
           ("markercluster_default_css", "markercluster/MarkerCluster.Default.css")]


def install_assets(static_dir: Path = STATIC_DIR) -> None:
    """Copy the XStatic files into the static folder (idempotent; only missing or changed files)."""
    for name, asset in ASSETS.items():
        base = Path(importlib.import_module(f"xstatic.pkg.{asset.package}").BASE_DIR)
        for rel in asset.files:
            src, dst = base / rel, static_dir / name / rel
            sources = [p for p in src.rglob("*") if p.is_file()] if src.is_dir() else [src]
            for s in sources:
                d = dst / s.relative_to(src) if src.is_dir() else dst
                if not d.exists() or d.stat().st_size != s.stat().st_size:
                    d.parent.mkdir(parents=True, exist_ok=True)
                    # a private temporary name, then an atomic rename: sessions starting together
                    # never serve or clobber a half-copied file
                    with s.open("rb") as source, tempfile.NamedTemporaryFile(
                            dir=d.parent, prefix=f".{d.name}.", delete=False) as tmp:
                        shutil.copyfileobj(source, tmp)
                    Path(tmp.name).replace(d)


def _local(links: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(name, f"{STATIC_URL}/{path}") for name, path in links]


def base_map(governorates_geojson: dict | None, centre: tuple[float, float] = SYRIA_CENTRE,
             zoom: int = DEFAULT_ZOOM) -> folium.Map:
    """Syria with governorate outlines (drawn even offline) under OpenStreetMap tiles (when online).

    Built the same on every rerun of a session (its view is where the session started), so
    streamlit-folium keeps the map mounted; the markers are passed to st_folium separately.
    keyboard=False: Leaflet's keyboard handler focuses the map on mousedown, which scrolls the page
    when the map is partly off-screen, so the mouseup lands elsewhere and the marker click is lost.
    """
    m = folium.Map(location=centre, zoom_start=zoom, tiles=None, control_scale=True, keyboard=False)
    m.default_js = _local(MAP_JS)
    m.default_css = _local(MAP_CSS)
    folium.TileLayer("OpenStreetMap", attr=OSM_ATTRIBUTION, name="OpenStreetMap").add_to(m)
    if governorates_geojson:
        folium.GeoJson(
            governorates_geojson, name="Governorates", interactive=False,
            style_function=lambda _: {"color": "#555", "weight": 1.2, "fillColor": "#f2efe6", "fillOpacity": 0.35},
        ).add_to(m)
    m.get_root().header.add_child(Element(
        f"<style>.leaflet-tooltip, .leaflet-popup-content {{ font-family: {ARABIC_FONT}; }}"
        " .ar { direction: rtl; text-align: right; }</style>"))
    return m


class PointLayer(MacroElement):
    """A GeoJSON FeatureCollection of points drawn as circle markers styled by their properties.

    Properties read by the JS: r (radius px), c (colour), cls (CSS class), tip and pop (HTML,
    already escaped). One Leaflet layer for all points: adding it costs one element, not thousands.
    The collection arrives serialised (see `features_json`), so a rerun does not re-encode it.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.geoJson({{ this.features_json }}, {
            pointToLayer: function (feature, latlng) {
                var p = feature.properties;
                return L.circleMarker(latlng, {radius: p.r, color: p.c, weight: 1, fillColor: p.c,
                                               fillOpacity: 0.7, className: p.cls});
            },
            onEachFeature: function (feature, layer) {
                layer.bindTooltip(feature.properties.tip, {direction: "top"});
                layer.bindPopup(feature.properties.pop, {maxWidth: 320});
            }
        });
        {{ this._parent.get_name() }}.addLayer({{ this.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, features_json: str):
        super().__init__()
        self._name = "PointLayer"
        self.features_json = features_json

    def render(self, **kwargs) -> None:
        """Nothing to add to a folium Figure: st_folium takes the script macro directly.

        folium's default would wrap the rendered script in a new Jinja template, i.e. compile
        megabytes of data as a template on every rerun.
        """


def features_json(features: list[dict]) -> str:
    """The FeatureCollection as a JS literal that is safe inside <script> and inert for Jinja.

    <, > and & become \\u escapes (no `</script>` can end the block); a `{` that would open a
    Jinja tag (`{{`, `{%`, `{#`) can only occur inside a string value and becomes \\u007b.
    """
    text = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False,
                      separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return _JINJA_OPEN.sub(r"\\u007b", text)


_JINJA_OPEN = re.compile(r"\{(?=[{%#])")


def marker_features(view: pd.DataFrame) -> list[dict]:
    """GeoJSON features for the located events of a view: one per event, or one per place when many."""
    located = view[view[LOCATED]]
    if len(located) > AGGREGATE_ABOVE:
        return _place_features(located)
    return [_event_feature(row) for row in located.to_dict("records")]


def markers_layer(features_js: str, n_features: int, selected: Mapping | None = None) -> folium.FeatureGroup:
    """The feature group handed to st_folium (`feature_group_to_add`): swapped without remounting the map.

    `selected` (an event row) adds a ring around that event's marker.
    """
    group = folium.FeatureGroup(name="Events")
    parent: MacroElement = group
    if n_features > CLUSTER_ABOVE:
        parent = folium.plugins.MarkerCluster(
            options={"maxClusterRadius": 40, "disableClusteringAtZoom": 12, "spiderfyOnMaxZoom": True})
        parent.default_js, parent.default_css = _local(MAP_JS[2:]), _local(MAP_CSS[1:])
        group.add_child(parent)
    parent.add_child(PointLayer(features_js))
    if selected is not None and pd.notna(selected["latitude"]) and pd.notna(selected["longitude"]):
        group.add_child(selection_ring(selected))
    return group


def selection_ring(event: Mapping) -> folium.CircleMarker:
    """A dark ring around the open event's marker, so the map shows which one the panel describes.

    It sits outside any cluster (visible even when its marker is clustered or is a per-place
    bubble) and is not interactive, so a click on it reaches the marker underneath.
    """
    ring = folium.CircleMarker((float(event["latitude"]), float(event["longitude"])),
                               radius=_radius(event.get("count")) + 5, color="#111111", weight=3, opacity=0.9,
                               fill=False, class_name="selected-marker")
    ring.options["interactive"] = False  # folium drops this Leaflet option from its keyword arguments
    return ring


def moved(centre: tuple[float, float], zoom: int,
          before: tuple[tuple[float, float], int] = (SYRIA_CENTRE, DEFAULT_ZOOM)) -> bool:
    """Whether a map view differs from `before` by more than ~2 pixels (Leaflet's own rounding).

    Views within that tolerance count as the same, so a restored URL is not rewritten by a pixel.
    """
    (lat, lon), z = before
    tolerance = 2 * 360 / (256 * 2**zoom)
    return zoom != z or abs(centre[0] - lat) > tolerance or abs(centre[1] - lon) > tolerance


def marker_class(event_id: str) -> str:
    """CSS class of an event's marker (ids reduced to CSS-safe characters): lets tests find a marker."""
    return "ev-" + re.sub(r"[^A-Za-z0-9_-]", "_", event_id)


def _point(lat: float, lon: float, props: dict) -> dict:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]},
            "properties": props}


def _event_feature(e: dict) -> dict:
    place = _place_label(e)
    when = e[DATE].date().isoformat() if pd.notna(e[DATE]) else "undated"
    count = "" if pd.isna(e["count"]) else f" · {int(e['count'])}"
    etype = str(e["event_type"] or "other")
    tip = f"{place}<br>{html.escape(when)}"
    pop = (f"<b>{html.escape(etype)}</b> · {html.escape(when)}{html.escape(count)}<br>{place}"
           f"<br><small>{esc(e['source'])}</small>")
    props = {"id": str(e["event_id"]), "r": _radius(e["count"]), "c": type_colour(etype),
             "cls": f"ev-marker {marker_class(str(e['event_id']))}", "tip": tip, "pop": pop}
    return _point(e["latitude"], e["longitude"], props)


def _place_features(located: pd.DataFrame) -> list[dict]:
    """One bubble per place: size by number of events, colour of its most frequent type (vectorised)."""
    key = located["place_id"].fillna(located["latitude"].astype(str) + "," + located["longitude"].astype(str))
    etype = located["event_type"].fillna("other").astype(str)
    by_type = located.groupby([key.rename("key"), etype.rename("type")]).size().rename("n").reset_index()
    by_type = by_type.sort_values(["key", "n"], ascending=[True, False])
    summaries: dict[str, str] = {}
    for k, t, n in by_type.itertuples(index=False):
        summaries[k] = f"{summaries[k]}, {t} {n}" if k in summaries else f"{t} {n}"
    first_rows = by_type.drop_duplicates("key")
    dominant = dict(zip(first_rows["key"].tolist(), first_rows["type"].tolist()))
    places = located.assign(key=key).groupby("key", sort=False).agg(
        lat=("latitude", "first"), lon=("longitude", "first"), ar=("location_ar", "first"),
        en=("location_en", "first"), first=(DATE, "min"), last=(DATE, "max"), n=("event_id", "size"),
        ev=("event_id", "first"))
    first = [None if pd.isna(d) else d.date().isoformat() for d in places["first"]]
    last = [None if pd.isna(d) else d.date().isoformat() for d in places["last"]]
    features = []
    for k, lat, lon, ar, en, n, ev, d0, d1 in zip(
            places.index.tolist(), places["lat"].tolist(), places["lon"].tolist(), places["ar"].tolist(),
            places["en"].tolist(), places["n"].tolist(), places["ev"].tolist(), first, last):
        when = "undated" if d0 is None else f"{d0} – {d1}"
        label = _place_label({"location_ar": ar, "location_en": en})
        props = {"place": str(k), "id": str(ev), "r": round(min(6 + 3 * math.log2(n), 26), 1),
                 "c": type_colour(dominant[k]), "cls": "place-marker",
                 "tip": f"{label}<br>{n} events · {html.escape(when)}",
                 "pop": f"{label}<br>{html.escape(summaries[k])}"}
        features.append(_point(lat, lon, props))
    return features


def _place_label(e) -> str:
    ar, en = esc(e["location_ar"]), esc(e["location_en"])
    return f'<span class="ar" dir="rtl">{ar}</span> {en}'.strip()


def _radius(count: object) -> float:
    """5 px for an event without a count, growing with log2(count) to 18 px (700 defectors ~ 17 px)."""
    if count is None or pd.isna(count):
        return 5.0
    return round(min(5 + 1.3 * math.log2(1 + float(count)), 18), 1)
