"""Governorate and district polygons: point -> admin unit, Syria's outline, and region points.

The polygons are OCHA's 2015 districts, coverage-simplified for a web map by `gazetteer.build`
(governorates are the union of their districts, so the two levels always agree).
Loads are cached: the first call reads two small GeoJSON files, later calls are free.
"""
from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # geometry libraries load on first use: geoparsing at run time needs none of them
    import geopandas as gpd
    from shapely.geometry import Point
    from shapely.geometry.base import BaseGeometry

DATA = Path(__file__).resolve().parent / "data"
ADMIN1_FILE = DATA / "admin1.geojson"
ADMIN2_FILE = DATA / "admin2.geojson"

# Direction words -> which side of the centroid to keep, as (x sign, y sign); 0 = that axis is not cut.
DIRECTIONS: dict[str, tuple[int, int]] = {
    "north": (0, 1), "south": (0, -1), "east": (1, 0), "west": (-1, 0),
    "northeast": (1, 1), "northwest": (-1, 1), "southeast": (1, -1), "southwest": (-1, -1),
}
CENTRE = {"centre", "center"}


@lru_cache(maxsize=1)
def governorates() -> gpd.GeoDataFrame:
    """The 14 governorates: admin1_pcode, admin1_en, admin1_ar, geometry (EPSG:4326)."""
    return _read(ADMIN1_FILE, "admin1_pcode")


@lru_cache(maxsize=1)
def districts() -> gpd.GeoDataFrame:
    """The 61 districts (2015): admin2_pcode/en/ar plus their governorate's admin1_* fields."""
    return _read(ADMIN2_FILE, "admin2_pcode")


def _read(path: Path, key: str) -> gpd.GeoDataFrame:
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: run `python -m gazetteer build --polygons RAW_ADMIN2`")
    import geopandas as gpd

    gdf = gpd.read_file(path)
    return gdf.sort_values(key).reset_index(drop=True)


@lru_cache(maxsize=1)
def syria_polygon() -> BaseGeometry:
    """Syria's outline as one (multi)polygon: the union of the governorates."""
    import shapely

    return shapely.union_all(governorates().geometry.values)


def admin_for_point(lat: float, lon: float) -> dict:
    """admin1/admin2 pcode, en and ar of the district containing the point.

    A point just outside every polygon (border villages, simplification, coastline) gets the
    nearest district; `inside` says which case it was and `distance_km` how far off it lies.
    """
    from shapely.geometry import Point

    d = districts()
    pt = Point(lon, lat)
    hits = d.sindex.query(pt, predicate="intersects")
    inside = len(hits) > 0
    if inside:
        i = int(hits[0])
    else:
        i = int(d.sindex.nearest(pt, return_all=False)[1][0])
    row = d.iloc[i]
    return {
        "admin1_pcode": row["admin1_pcode"], "admin1_en": row["admin1_en"], "admin1_ar": row["admin1_ar"],
        "admin2_pcode": row["admin2_pcode"], "admin2_en": row["admin2_en"], "admin2_ar": row["admin2_ar"],
        "inside": inside,
        "distance_km": 0.0 if inside else _degrees_to_km(row.geometry.distance(pt), lat),
    }


def _degrees_to_km(deg: float, lat: float) -> float:
    """Rough conversion, good enough to tell 'a few hundred metres off' from 'another country'."""
    return round(deg * 111.32 * max(math.cos(math.radians(lat)), 0.5), 3)


PART_CODES = {"north": "N", "south": "S", "east": "E", "west": "W", "northeast": "NE", "northwest": "NW",
              "southeast": "SE", "southwest": "SW", "centre": "C"}
CENTRE_KM = 25.0


def region_point(admin1_pcode: str, direction: str | None = None,
                 around: tuple[float, float] | None = None) -> tuple[float, float]:
    """(lat, lon) of a directional countryside (`ريف حماة الشمالي` -> SY05, north), as the gold defines it.

    The governorate polygon is clipped to the half-plane (north/south/east/west) or quadrant
    (northeast...) through `around` (lat, lon), the governorate's seat, else its centroid, and the
    part's representative point is returned. `centre` is the polygon within CENTRE_KM of the seat;
    None gives the whole governorate's point.
    """
    from shapely.geometry import Point

    g = governorates()
    match = g.loc[g["admin1_pcode"] == admin1_pcode]
    if match.empty:
        raise KeyError(f"unknown governorate pcode {admin1_pcode!r} (expected SY01..SY14)")
    poly = match.geometry.iloc[0]
    centre = Point(around[1], around[0]) if around is not None else None
    if direction in CENTRE:
        c = centre or poly.centroid
        near = poly.intersection(c.buffer(CENTRE_KM / 111.32))
        part = near if not near.is_empty else poly
    elif direction is None:
        part = poly
    else:
        part = _part(poly, direction, centre)
    p = part.representative_point()
    return (round(p.y, 5), round(p.x, 5))


def _part(poly: BaseGeometry, direction: str, centre: Point | None = None) -> BaseGeometry:
    if direction not in DIRECTIONS:
        raise ValueError(f"unknown direction {direction!r}; use one of {sorted(DIRECTIONS)} or 'centre'/None")
    from shapely.geometry import box

    sx, sy = DIRECTIONS[direction]
    minx, miny, maxx, maxy = poly.bounds
    c = centre or poly.centroid
    x0, x1 = (c.x, maxx) if sx > 0 else (minx, c.x) if sx < 0 else (minx, maxx)
    y0, y1 = (c.y, maxy) if sy > 0 else (miny, c.y) if sy < 0 else (miny, maxy)
    part = poly.intersection(box(x0, y0, x1, y1))
    return poly if part.is_empty else part
