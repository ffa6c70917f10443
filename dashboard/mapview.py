"""The map: our own Leaflet component, its offline labelled basemap, and the events layer it fetches.

Offline by default. Leaflet and Leaflet.markercluster come from the XStatic PyPI packages, copied
into dashboard/static/ when the app starts (Streamlit serves it at /app/static/). The basemap is
built from the gazetteer (governorate and district borders, place labels ranked for zoom levels) and
served from the same folder: no request leaves the machine. A tile server is opt-in (`tile_setting`).

The events layer is not sent in the component's arguments but published as a JSON file named by its
content hash (`publish`) that the browser fetches once per filter setting: a pan or a click reruns
the page with a few hundred bytes of arguments, and the same view is never re-sent (browser cache).
The browser draws every string with textContent, so nothing from an article is parsed as HTML there.
"""
from __future__ import annotations

import hashlib
import html
import importlib
import json
import math
import re
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from dashboard.data import DATE, LOCATED, area_counts
from dashboard.theme import type_colour, type_label

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
STATIC_URL = "/app/static"
COMPONENT_DIR = HERE / "eventmap"
SYRIA_CENTRE = (35.0, 38.3)
DEFAULT_ZOOM = 6
AGGREGATE_ABOVE = 5000  # located events in view beyond which the layer holds one bubble per place
FEED_LIMIT = 300  # newest events the feed beside the map can list
EVIDENCE_CHARS = 140  # of evidence per feed line
KEEP_PUBLISHED = 200  # published layer files kept per folder (older ones are removed)
TILES_ENV, TILES_ATTRIBUTION_ENV = "EVENTS_MAP_TILES", "EVENTS_MAP_TILES_ATTRIBUTION"
OSM_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
# Place kinds that are administrative areas, not places on the ground: their seats carry the label.
AREA_KINDS = frozenset({"governorate", "district", "subdistrict"})
SITE_KINDS = frozenset({"airbase", "mountain", "crossing", "valley", "landmark", "region"})


@dataclass(frozen=True)
class Asset:
    package: str  # xstatic.pkg.<package>
    files: tuple[str, ...]  # paths under the package's BASE_DIR; folders are copied whole


ASSETS: dict[str, Asset] = {
    "leaflet": Asset("leaflet", ("leaflet.js", "leaflet.css", "images")),
    "markercluster": Asset("leaflet_markercluster",
                           ("leaflet.markercluster.js", "MarkerCluster.css", "MarkerCluster.Default.css")),
}


@dataclass(frozen=True)
class Tiles:
    """A raster tile layer under the basemap: URL template, attribution (HTML), and whether it is a
    public server (which then learns which area the analyst looks at)."""

    url: str
    attribution: str
    public: bool


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
                    _atomic_write(d, s.read_bytes())


def _atomic_write(path: Path, payload: bytes) -> None:
    """A private temporary name, then an atomic rename: sessions starting together never serve or
    clobber a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", delete=False) as tmp:
        tmp.write(payload)
    Path(tmp.name).replace(path)


def publish(payload: dict, folder: str, static_dir: Path = STATIC_DIR) -> str:
    """Write a JSON payload under the static folder, named by its content hash; its URL.

    The same payload is written once and keeps its URL, so the browser fetches it once.
    """
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    name = hashlib.sha1(text).hexdigest()[:20] + ".json"
    path = static_dir / folder / name
    if not path.exists():
        _atomic_write(path, text)
        old = sorted(path.parent.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)[KEEP_PUBLISHED:]
        for stale in old:
            stale.unlink(missing_ok=True)
    return f"{STATIC_URL}/{folder}/{name}"


def tile_setting(environ: Mapping[str, str]) -> Tiles | None:
    """The tile layer asked for in $EVENTS_MAP_TILES: unset or `none` (the default): none, the map is
    our offline basemap only; `osm`: OpenStreetMap's public servers (opt-in); otherwise a URL template
    with {z}, {x} and {y}, e.g. a local tile server, credited with $EVENTS_MAP_TILES_ATTRIBUTION."""
    value = environ.get(TILES_ENV, "").strip()
    if value.lower() in ("", "none"):
        return None
    if value.lower() == "osm":
        return Tiles(OSM_URL, OSM_ATTRIBUTION, public=True)
    if not all(part in value for part in ("{z}", "{x}", "{y}")):
        raise ValueError(f"{TILES_ENV}={value!r} is not a tile URL template with {{z}}, {{x}} and {{y}}")
    return Tiles(value, html.escape(environ.get(TILES_ATTRIBUTION_ENV, "")), public=False)


# ---------------------------------------------------------------- the basemap, from the gazetteer

def label_zoom(kind: str, capital_level: object, prominence: float) -> int | None:
    """The zoom from which a place's label is drawn: capitals first, then district and subdistrict
    seats and towns, then sites, then villages by prominence; None for administrative areas."""
    level = None if capital_level is None or pd.isna(capital_level) else int(capital_level)
    if kind in AREA_KINDS:
        return None
    if level is not None and level <= 1:
        return 6
    if level == 2 or kind == "city":
        return 8
    if level == 3 or kind == "town":
        return 9
    if kind in SITE_KINDS:
        return 10
    if kind == "village":
        return 11 if prominence > 0.15 else 12
    return 13


def basemap(places: pd.DataFrame, admin1: dict, admin2: dict) -> dict:
    """The basemap payload: governorate and district outlines (names only as properties) and the place
    labels [en, ar, lat, lon, min zoom], most prominent first (the browser draws the first that fit)."""
    zooms = [label_zoom(k, c, p) for k, c, p in zip(places["kind"], places["capital_level"], places["prominence"])]
    labelled = places.assign(z=zooms).dropna(subset=["z", "lat", "lon"])
    labelled = labelled.sort_values(["z", "prominence"], ascending=[True, False])
    labels = [[en or "", ar or "", round(lat, 4), round(lon, 4), int(z)] for en, ar, lat, lon, z in zip(
        labelled["name_en"], labelled["name_ar"], labelled["lat"], labelled["lon"], labelled["z"])]
    return {"admin1": _outlines(admin1, "admin1"), "admin2": _outlines(admin2, "admin2"), "labels": labels}


def _outlines(collection: dict, level: str) -> dict:
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": f["geometry"],
         "properties": {"name": f["properties"][f"{level}_en"], "ar": f["properties"][f"{level}_ar"]}}
        for f in collection["features"]]}


def load_basemap() -> dict | None:
    """The basemap from the gazetteer's files, or None (the map still works) when they are missing."""
    from gazetteer.admin import ADMIN1_FILE, ADMIN2_FILE
    from gazetteer.places import load

    try:
        admin1, admin2 = (json.loads(p.read_text(encoding="utf-8")) for p in (ADMIN1_FILE, ADMIN2_FILE))
        return basemap(load(), admin1, admin2)
    except FileNotFoundError:
        return None


# ---------------------------------------------------------------- the events layer

def layer(view: pd.DataFrame) -> dict:
    """What the map draws for a view: its points (one per located event, or one per place beyond
    AGGREGATE_ABOVE), the feed (newest located events first) and the events per area."""
    located = view[view[LOCATED]]
    aggregated = len(located) > AGGREGATE_ABOVE
    points = _place_points(located) if aggregated else [_event_point(e) for e in located.to_dict("records")]
    newest = located.sort_values(DATE, ascending=False, na_position="last").head(FEED_LIMIT)
    return {"mode": "places" if aggregated else "events", "points": points,
            "feed": [_feed_item(e) for e in newest.to_dict("records")], "areas": area_counts(view),
            "located": len(located)}


def _text(value: object) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _day(value: object) -> str:
    return "" if value is None or pd.isna(value) else value.date().isoformat()


def count_phrase(count: object, count_of: object) -> str:
    """`3 killed`, `700 defectors`; empty when no count was stated."""
    if count is None or pd.isna(count):
        return ""
    return f"{int(count):,} {_text(count_of)}".strip()


def _event_point(e: dict) -> dict:
    etype = _text(e["event_type"]) or "other"
    return {"id": str(e["event_id"]), "lat": round(e["latitude"], 5), "lon": round(e["longitude"], 5),
            "c": type_colour(etype), "r": radius(e["count"]), "t": type_label(etype), "d": _day(e[DATE]),
            "p": _text(e["location_en"]), "a": _text(e["location_ar"]), "n": count_phrase(e["count"], e["count_of"]),
            "cls": f'{marker_class(str(e["event_id"]))} {status_class(e)}', "s": reviewed_word(e)}


def _feed_item(e: dict) -> dict:
    etype = _text(e["event_type"]) or "other"
    line = " ".join(_text(e["evidence"]).split())
    return {"id": str(e["event_id"]), "lat": round(e["latitude"], 5), "lon": round(e["longitude"], 5),
            "c": type_colour(etype), "t": type_label(etype), "d": _day(e[DATE]) or "undated",
            "p": _text(e["location_en"]) or _text(e["location_ar"]), "n": count_phrase(e["count"], e["count_of"]),
            "line": line[:EVIDENCE_CHARS] + ("…" if len(line) > EVIDENCE_CHARS else ""), "s": reviewed_word(e)}


def _place_points(located: pd.DataFrame) -> list[dict]:
    """One bubble per place: size by number of events, colour of its most frequent type (vectorised);
    a click opens the place's newest event, whose panel lists the others."""
    key = located["place_id"].fillna(located["latitude"].astype(str) + "," + located["longitude"].astype(str))
    etype = located["event_type"].fillna("other").astype(str)
    dominant = (pd.DataFrame({"key": key, "type": etype}).groupby(["key", "type"]).size().rename("n")
                .reset_index().sort_values(["key", "n"], ascending=[True, False]).drop_duplicates("key")
                .set_index("key")["type"])
    newest = located.assign(key=key).sort_values(DATE, ascending=False, na_position="last")
    places = newest.groupby("key", sort=False).agg(
        lat=("latitude", "first"), lon=("longitude", "first"), ar=("location_ar", "first"),
        en=("location_en", "first"), first=(DATE, "min"), last=(DATE, "max"), n=("event_id", "size"),
        ev=("event_id", "first"))
    points = []
    for k, row in zip(places.index.tolist(), places.to_dict("records")):
        d0, d1 = _day(row["first"]), _day(row["last"])
        points.append({"id": str(row["ev"]), "lat": round(row["lat"], 5), "lon": round(row["lon"], 5),
                       "c": type_colour(dominant[k]), "r": round(min(6 + 3 * math.log2(row["n"]), 26), 1),
                       "t": f"{row['n']:,} events", "d": f"{d0} – {d1}" if d0 else "undated",
                       "p": _text(row["en"]), "a": _text(row["ar"]), "n": "", "cls": "place-marker"})
    return points


def radius(count: object) -> float:
    """5 px for an event without a count, growing with log2(count) to 18 px (700 defectors ~ 17 px)."""
    if count is None or pd.isna(count):
        return 5.0
    return round(min(5 + 1.3 * math.log2(1 + float(count)), 18), 1)


def reviewed_word(e: Mapping) -> str:
    """The review status shown beside an event (nothing for the unreviewed majority)."""
    status = _text(e.get("review_status"))
    return "" if status in ("", "unreviewed") else status


def status_class(e: Mapping) -> str:
    """CSS class of a marker's review status: a corrected or confirmed event is drawn with a ring."""
    return "rv-" + (_text(e.get("review_status")) or "unreviewed")


def marker_class(event_id: str) -> str:
    """CSS class of an event's marker (ids reduced to CSS-safe characters): lets tests find a marker."""
    return "ev-" + re.sub(r"[^A-Za-z0-9_-]", "_", event_id)


def moved(centre: tuple[float, float], zoom: int,
          before: tuple[tuple[float, float], int] = (SYRIA_CENTRE, DEFAULT_ZOOM)) -> bool:
    """Whether a map view differs from `before` by more than ~2 pixels (Leaflet's own rounding).

    Views within that tolerance count as the same, so a restored URL is not rewritten by a pixel.
    """
    (lat, lon), z = before
    tolerance = 2 * 360 / (256 * 2**zoom)
    return zoom != z or abs(centre[0] - lat) > tolerance or abs(centre[1] - lon) > tolerance


# ---------------------------------------------------------------- the component

_component: Callable[..., object] | None = None


def event_map(*, layer_url: str, basemap_url: str | None, tiles: Tiles | None, origin: tuple[tuple[float, float], int],
              selected: Mapping | None, key: str, on_change: Callable[[], None], pick: bool = False,
              picked: tuple[float, float] | None = None) -> object:
    """Draw the map; its value is {open, n, centre, zoom, pick} (the last click, the current view and,
    in `pick` mode, the point a click on the map dropped; `picked` is drawn as a pin).

    `origin` (centre, zoom) is used when the map is first drawn; after that the reader's pans stay.
    """
    global _component
    if _component is None:
        from streamlit.components.v1 import declare_component

        _component = declare_component("eventmap", path=str(COMPONENT_DIR))
    ring = None
    if selected is not None and pd.notna(selected["latitude"]) and pd.notna(selected["longitude"]):
        ring = {"id": str(selected["event_id"]), "lat": float(selected["latitude"]),
                "lon": float(selected["longitude"]), "r": radius(selected.get("count"))}
    return _component(
        layer_url=layer_url, basemap_url=basemap_url, static_url=STATIC_URL,
        tiles=None if tiles is None else {"url": tiles.url, "attribution": tiles.attribution},
        centre=list(origin[0]), zoom=origin[1], selected=ring, key=key, on_change=on_change, default=None,
        pick=pick, picked=list(picked) if picked else None)
