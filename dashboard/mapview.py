"""The map: our own Leaflet component, its offline labelled basemap, and the events layer it fetches.

Offline by default. Leaflet and Leaflet.markercluster come from the XStatic PyPI packages, copied
into dashboard/static/ when the app starts (Streamlit serves it at /app/static/). The basemap is
built from the gazetteer (governorate and district borders, place labels ranked for zoom levels) and
served from the same folder: no request leaves the machine. A tile server is opt-in (`tile_setting`).

The events layer is not sent in the component's arguments but published as a JSON file named by its
content hash (`publish`) that the browser fetches once per filter setting: a pan or a click reruns
the page with a few hundred bytes of arguments, and the same view is never re-sent (browser cache).
The layer is computed by the query layer (`dashboard.query`: one marker per event up to
AGGREGATE_ABOVE located events in view, one bubble per place beyond, grouped by the query) and kept
compact: columns of numbers that point into small tables (types, counts, statuses) and into the
store's sites (`sites`: every distinct point and place name, published once per store version), from
which the browser builds the markers, tooltips and feed lines. The browser draws every string with
textContent, so nothing from an article is parsed as HTML there.
"""
from __future__ import annotations

import hashlib
import html
import importlib
import json
import math
import os
import re
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from dashboard.theme import type_colour, type_label
from events.review import STATUSES

if TYPE_CHECKING:
    from dashboard.filters import Filters
    from dashboard.query import Store

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
EPOCH = date(1970, 1, 1)  # days in the layer count from here (the browser's Date does the same)
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
        old = sorted(path.parent.glob("*.json"), key=_mtime, reverse=True)[KEEP_PUBLISHED:]
        for stale in old:
            stale.unlink(missing_ok=True)
    return f"{STATIC_URL}/{folder}/{name}"


def _mtime(path: Path) -> float:
    """A published file's time; 0 for one another session's pruning removed meanwhile (sessions share
    the folder, so a file may vanish between the listing and its stat)."""
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return 0.0


def keep(url: str, static_dir: Path = STATIC_DIR) -> bool:
    """Mark a published file as in use (its time now, so pruning keeps it); whether it still exists.
    A URL cached by the server can outlive its file when others publish many more."""
    try:
        os.utime(static_dir / url.removeprefix(STATIC_URL + "/"))
    except FileNotFoundError:
        return False
    return True


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

def sites(store: Store) -> dict:
    """Every distinct point of the store's located events with its place names: [lat, lon, en, ar],
    in the order the layer's `site` numbers point into."""
    return {"sites": [[round(lat, 5), round(lon, 5), _text(en), _text(ar)] for _, lat, lon, en, ar in store.sites()]}


def site_numbers(store: Store) -> dict[int, int]:
    """The query layer's site keys -> their place in `sites`."""
    return store.memo("site-numbers", lambda: {site[0]: i for i, site in enumerate(store.sites())})


class _Table(dict):
    """Strings numbered in order of first use: the layer's small tables (types, what counts count)."""

    def __call__(self, value: object) -> int:
        return self.setdefault(value, len(self))


def layer(store: Store, f: Filters, sites_url: str) -> dict:
    """What the map draws for the view `f`, as columns: one marker per located event (`mode` events) or,
    beyond AGGREGATE_ABOVE of them, one bubble per place, opening its newest event (`mode` places); the
    feed (the newest located events); the events per area; and the tables the columns point into."""
    located = store.located(f)
    number = site_numbers(store)
    types, counts = _Table(), _Table()
    status = {s: i for i, s in enumerate(STATUSES)}

    def site(e: dict) -> int:
        return number[e["_site"]]

    def etype(e: dict) -> int:
        return types(_text(e["event_type"]) or "other")

    def count_of(e: dict) -> int:
        return -1 if e["count_of"] is None else counts(str(e["count_of"]))

    if located > AGGREGATE_ABOVE:
        rows = store.places(f)
        points = {"id": [str(p["event_id"]) for p in rows], "site": [site(p) for p in rows],
                  "n": [int(p["n"]) for p in rows], "t": [types(p["event_type"]) for p in rows],
                  "d0": [_days(p["first"]) for p in rows], "d1": [_days(p["last"]) for p in rows]}
    else:
        rows = store.points(f)
        points = _event_columns(rows, site, etype, count_of, status)
    rows = store.feed(f, FEED_LIMIT)
    feed = _event_columns(rows, site, etype, count_of, status) | {"line": [_line(e["evidence"]) for e in rows]}
    return {"mode": "places" if located > AGGREGATE_ABOVE else "events", "located": located, "sites": sites_url,
            "types": [[type_label(t), type_colour(t)] for t in types], "counts": list(counts),  # complete by now
            "statuses": list(STATUSES), "points": points, "feed": feed, "areas": store.areas(f)}


def _event_columns(rows: list[dict], site, etype, count_of, status: dict[str, int]) -> dict[str, list]:
    return {"id": [str(e["event_id"]) for e in rows], "site": [site(e) for e in rows], "t": [etype(e) for e in rows],
            "c": [None if e["count"] is None else int(e["count"]) for e in rows], "k": [count_of(e) for e in rows],
            "d": [_days(e["_date"]) for e in rows], "s": [status.get(e["review_status"], 0) for e in rows]}


def _days(day: date | None) -> int | None:
    return None if day is None else (day - EPOCH).days


def _line(evidence: object) -> str:
    """One line of evidence for the feed, cut at EVIDENCE_CHARS."""
    line = " ".join(_text(evidence).split())
    return line[:EVIDENCE_CHARS] + ("…" if len(line) > EVIDENCE_CHARS else "")


def _text(value: object) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def radius(count: object) -> float:
    """5 px for an event without a count, growing with log2(count) to 18 px (700 defectors ~ 17 px); the
    ring of the open event. The browser sizes markers with the same formula (eventmap.js `radius`)."""
    if count is None or pd.isna(count):
        return 5.0
    return round(min(5 + 1.3 * math.log2(1 + float(count)), 18), 1)


def marker_class(event_id: str) -> str:
    """CSS class of an event's marker (ids reduced to CSS-safe characters): lets tests find a marker. The
    browser gives markers the same class (eventmap.js `markerClass`)."""
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
              picked: tuple[float, float] | None = None, sites_url: str | None = None) -> object:
    """Draw the map; its value is {open, n, centre, zoom, pick} (the last click, the current view and,
    in `pick` mode, the point a click on the map dropped; `picked` is drawn as a pin).

    `origin` (centre, zoom) is used when the map is first drawn; after that the reader's pans stay.
    `sites_url` (the layer's sites) lets the browser fetch them beside the first layer, not after it.
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
        layer_url=layer_url, sites_url=sites_url, basemap_url=basemap_url, static_url=STATIC_URL,
        tiles=None if tiles is None else {"url": tiles.url, "attribution": tiles.attribution},
        centre=list(origin[0]), zoom=origin[1], selected=ring, key=key, on_change=on_change, default=None,
        pick=pick, picked=list(picked) if picked else None)
