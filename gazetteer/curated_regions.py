"""Points of named regions derived from their member communities (gazetteer/data/regions.tsv).

A region such as `الغوطة الغربية` or `حوض اليرموك` has no published point of its own. Its point is the
plain mean of the OCHA 2015 community points of its members, listed with the reason for choosing them in
regions.tsv (an admin3 code stands for every community of that subdistrict). `region_rows()` returns
rows in the curated-CSV format; `python -m gazetteer.curated_regions` prints them, and with `--write`
replaces the rows of the same place_id in curated_places.csv (or appends them).

Self-contained on purpose: it reads only the OCHA point file and the TSV.
"""
from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
REGIONS = DATA / "regions.tsv"
OCHA_POINTS = DATA / "sources" / "ocha-cod-syria-2015" / "syr_admin4_point.geojson"
CURATED = DATA / "curated_places.csv"
COLUMNS = ["place_id", "name_ar", "name_en", "variants", "kind", "lat", "lon",
           "parent_place_id", "coord_source", "note"]


def read_regions(path: Path = REGIONS) -> list[dict]:
    """The region definitions (comment lines starting with # skipped)."""
    with path.open(encoding="utf-8") as f:
        lines = [ln for ln in f if ln.strip() and not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def _communities(path: Path = OCHA_POINTS) -> list[dict]:
    with path.open(encoding="utf-8", errors="replace") as f:
        return [feat["properties"] for feat in json.load(f)["features"]]


def members_of(codes: str, communities: list[dict]) -> list[dict]:
    """The communities named by space-separated C-codes and admin3 (SYxxxxxx) codes, in file order."""
    wanted = set(codes.split())
    out = [c for c in communities if c["PCODE"] in wanted or c["ADMIN3_COD"] in wanted]
    found = {c["PCODE"] for c in out} | {c["ADMIN3_COD"] for c in out}
    missing = wanted - found
    if missing:
        raise ValueError(f"unknown member code(s): {sorted(missing)}")
    return out


def region_rows(regions: Path = REGIONS, ocha: Path = OCHA_POINTS) -> list[dict]:
    """One curated-CSV row per region, kind `region`, point = mean of the member points (5 decimals)."""
    communities = _communities(ocha)
    rows = []
    for r in read_regions(regions):
        ms = members_of(r["members"], communities)
        lat = sum(float(m["LATITUDE"]) for m in ms) / len(ms)
        lon = sum(float(m["LONGITUDE"]) for m in ms) / len(ms)
        codes = " ".join(m["PCODE"] for m in ms)
        rows.append({
            "place_id": r["place_id"], "name_ar": r["name_ar"], "name_en": r["name_en"],
            "variants": r["variants"], "kind": "region", "lat": f"{lat:.5f}", "lon": f"{lon:.5f}",
            "parent_place_id": r.get("parent_place_id", ""),
            "coord_source": (f"derived: mean of the OCHA COD Syria 2015 community points of {len(ms)} members "
                             f"({r['members']}) listed in gazetteer/data/regions.tsv: {codes}"),
            "note": f"derived region point; members: {r['basis']}",
        })
    return rows


def write_into(curated: Path = CURATED, rows: list[dict] | None = None) -> int:
    """Replace rows of the same place_id in the curated CSV (append new ones); returns rows written."""
    rows = region_rows() if rows is None else rows
    by_id = {r["place_id"]: r for r in rows}
    with curated.open(encoding="utf-8", newline="") as f:
        old = list(csv.DictReader(f))
    out, seen = [], set()
    for r in old:
        if r["place_id"] in by_id:
            out.append(by_id[r["place_id"]])
            seen.add(r["place_id"])
        else:
            out.append(r)
    out += [r for pid, r in by_id.items() if pid not in seen]
    with curated.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS)
        w.writeheader()
        w.writerows(out)
    return len(rows)


if __name__ == "__main__":
    if "--write" in sys.argv[1:]:
        print(f"{write_into()} region rows written to {CURATED}")
    else:
        w = csv.DictWriter(sys.stdout, fieldnames=COLUMNS)
        w.writeheader()
        w.writerows(region_rows())
