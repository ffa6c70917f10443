"""Place arithmetic on mentions and event rows: which place contains which, and how precise a place is.

The geoparser gives each mention a kind and its admin1/admin2; that is enough to tell that a
governorate, district or countryside contains a town of it (never that one town contains another,
except a city its neighbourhoods), which is how the extractor keeps the most specific place.
"""
from __future__ import annotations

import re

from gazetteer.admin import PART_CODES
from gazetteer.mention import Mention

CONTAINERS = {"country": 0, "governorate": 1, "district": 2, "region": 3, "subdistrict": 3}
COUNTRYSIDE_RANK = 2  # a directional countryside (`ريف حمص الشمالي`) holds the named regions of its part
_COUNTRYSIDE_ID = re.compile(rf"SY\d\d-(?:{'|'.join(PART_CODES.values())})")  # DESIGN.md: `SYxx-D`
PRECISION = {"country": 3, "governorate": 3, "district": 3, "subdistrict": 2, "region": 2}
PLACE_FIELDS = ["place_id", "location_ar", "location_en", "kind", "admin1", "admin2", "latitude", "longitude",
                "geo_precision"]


def contains(a: Mention, b: Mention) -> bool:
    """Whether place `a` is a container of `b` (the governorate, district or countryside it lies
    in, or the city of a neighbourhood); towns and villages never contain each other."""
    return _contains((a.kind, a.place_id, a.admin1, a.admin2), (b.kind, b.place_id, b.admin1, b.admin2))


def row_contains(a: dict, b: dict) -> bool:
    """`contains` for two event rows."""
    return _contains(*((r["kind"], r["place_id"], r["admin1"], r["admin2"]) for r in (a, b)))


def _rank(kind: str | None, place_id: str | None) -> int | None:
    """How wide a container is (smaller is wider), None for a place that contains nothing."""
    if kind == "region" and place_id and _COUNTRYSIDE_ID.fullmatch(place_id):
        return COUNTRYSIDE_RANK
    return CONTAINERS.get(kind or "")


_Where = tuple[str | None, str | None, str | None, str | None]  # kind, place id, admin1, admin2


def _contains(a: _Where, b: _Where) -> bool:
    (ak, aid, a1, a2), (bk, bid, b1, b2) = a, b
    if ak == "city":
        return bk == "neighbourhood" and bool(a1) and a1 == b1
    ra, rb = _rank(ak, aid), _rank(bk, bid)
    if ra is None or ra >= (9 if rb is None else rb):
        return False
    if ak == "country":
        return True
    if ak in ("district", "subdistrict") and a2 and b2:
        return a2 == b2
    return bool(a1) and a1 == b1


def geo_precision(kind: str, near: bool) -> int:
    """1 a named town/village/site, 2 part of or near a place or a countryside, 3 governorate or wider."""
    base = PRECISION.get(kind, 1)
    return 2 if near and base == 1 else base
