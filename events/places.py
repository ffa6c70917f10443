"""Place arithmetic on mentions and event rows: which place contains which, and how precise a place is.

The geoparser gives each mention a kind and its admin1/admin2; that is enough to tell that a
governorate, district or countryside contains a town of it (never that one town contains another,
except a city its neighbourhoods), which is how the extractor keeps the most specific place.
"""
from __future__ import annotations

from gazetteer.mention import Mention

CONTAINERS = {"country": 0, "governorate": 1, "district": 2, "region": 3, "subdistrict": 3}
PRECISION = {"country": 3, "governorate": 3, "district": 3, "subdistrict": 2, "region": 2}
PLACE_FIELDS = ["place_id", "location_ar", "location_en", "kind", "admin1", "admin2", "latitude", "longitude",
                "geo_precision"]


def contains(a: Mention, b: Mention) -> bool:
    """Whether place `a` is a container of `b` (the governorate, district or countryside it lies
    in, or the city of a neighbourhood); towns and villages never contain each other."""
    return _contains(a.kind, a.admin1, a.admin2, b.kind, b.admin1, b.admin2)


def row_contains(a: dict, b: dict) -> bool:
    """`contains` for two event rows."""
    return _contains(a["kind"], a["admin1"], a["admin2"], b["kind"], b["admin1"], b["admin2"])


def _contains(ak: str | None, a1: str | None, a2: str | None, bk: str | None, b1: str | None, b2: str | None) -> bool:
    if ak == "city":
        return bk == "neighbourhood" and bool(a1) and a1 == b1
    ra, rb = CONTAINERS.get(ak or ""), CONTAINERS.get(bk or "", 9)
    if ra is None or ra >= rb:
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
