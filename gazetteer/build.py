"""Build the places table from the source copies in gazetteer/data/sources/ (see each SOURCE.md).

Rows, by id:
- `SY01`..`SY14`, `SY####`, `SY######`: governorates, districts, subdistricts. Names from OCHA
  2015 (what the communities reference), every OpenSyria name and alias as a variant.
- `C####`: the 5,251 OCHA 2015 communities, six truncated Arabic names repaired from the
  reviewed table data/ocha_name_fixes.csv, misspelt ones given their correct spelling as a variant
  (data/ocha_variants.csv); GeoNames cities500 names merged in by name AND distance; a name
  qualified against its twin (`الباغوز فوقاني`, `عرب حسن كبير`) also answers to its bare form
  (`الباغوز`, as the news writes it) unless another place has that name.
- `G<geonameid>`: GeoNames places that match no community and have none within GEONAMES_ALONE_KM.
- curated ids (`X-...`): data/curated_places.csv, validated, admin1/admin2 from the polygons.

The output is deterministic (sorted by place_id), so a rebuild reproduces the committed table.
"""
from __future__ import annotations

import csv
import json
import math
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from rapidfuzz import fuzz
from wordfreq import zipf_frequency

from arabic.numbers import number_word
from gazetteer import admin
from gazetteer.foreign import foreign_keys
from gazetteer.places import key, keys, strip_articles

DATA = Path(__file__).resolve().parent / "data"
SOURCES = DATA / "sources"
OCHA_POINTS = SOURCES / "ocha-cod-syria-2015" / "syr_admin4_point.geojson"
OPENSYRIA = SOURCES / "opensyria-data-geography"
GEONAMES = SOURCES / "geonames-cities500-sy" / "cities500_SY.json"
NAME_FIXES = DATA / "ocha_name_fixes.csv"
OCHA_VARIANTS = DATA / "ocha_variants.csv"
CURATED = DATA / "curated_places.csv"
PLACES_NAME = "places.parquet"

KINDS = frozenset({
    "country", "governorate", "district", "subdistrict", "city", "town", "village", "neighbourhood",
    "region", "airbase", "mountain", "valley", "crossing", "landmark",
})
COLUMNS = [
    "place_id", "name_ar", "name_en", "variants", "kind",
    "admin1_pcode", "admin1_en", "admin1_ar", "admin2_pcode", "admin2_en", "admin2_ar",
    "admin3_pcode", "admin3_en", "admin3_ar", "lat", "lon", "population", "capital_level",
    "prominence", "source",
]
CURATED_COLUMNS = ["place_id", "name_ar", "name_en", "variants", "kind", "lat", "lon",
                   "parent_place_id", "coord_source", "note"]

# GeoNames -> community matching (see merge_geonames).
GEONAMES_NAME_KM = 10.0   # same normalised name within this distance
GEONAMES_FUZZY_KM = 3.0   # or the nearest community within this distance with a similar name
GEONAMES_FUZZY_MIN = 80   # rapidfuzz ratio (0..100) between name keys
GEONAMES_ALONE_KM = 3.0   # an unmatched GeoNames place becomes a row only if no community is this near
# Curated points up to this far outside the (simplified) border pass without a note.
BORDER_SLACK_KM = 1.0

# Parts of compound OCHA names ('تب عيسى_شرقية وغربية') that are not names on their own.
_GENERIC_WORDS = frozenset({
    "شرقي", "شرقيه", "غربي", "غربيه", "شمالي", "شماليه", "جنوبي", "جنوبيه", "فوقاني", "تحتاني",
    "وسطاني", "كبير", "كبيره", "صغير", "صغيره", "قبلي", "قبليه", "و", "وغربيه", "وشرقيه",
})
KIND_PROMINENCE = {
    "country": 1.0, "governorate": 0.9, "district": 0.6, "subdistrict": 0.4, "city": 0.7,
    "town": 0.4, "village": 0.15, "neighbourhood": 0.35, "region": 0.6, "airbase": 0.55,
    "mountain": 0.5, "valley": 0.5, "crossing": 0.5, "landmark": 0.4,
}
# OCHA CAPIT_LVL: 1 governorate capital, 2 district centre, 3 subdistrict centre. The one 0
# (Sur, Deir ez-Zor) is not a documented level and is treated as unknown.
CAPITAL_PROMINENCE = {1: 0.95, 2: 0.7, 3: 0.5}
ADMIN_KINDS = frozenset({"governorate", "district", "subdistrict"})


class CuratedError(ValueError):
    """The curated CSV has rows that cannot go into the table; the message names each one."""


def community_kind(capital_level: int | None, population: int | None) -> str:
    """city / town / village for an OCHA community (OCHA itself does not say).

    Rule: a governorate capital (CAPIT_LVL 1) or any place of 50,000+ people (GeoNames) is a
    city; a district or subdistrict centre (CAPIT_LVL 2, 3) or a place of 5,000+ is a town;
    everything else is a village. Population is only known for GeoNames-matched places.
    """
    pop = population or 0
    if capital_level == 1 or pop >= 50_000:
        return "city"
    if capital_level in (2, 3) or pop >= 5_000:
        return "town"
    return "village"


def prominence(kind: str, capital_level: int | None, population: int | None) -> float:
    """0..1, so that the geoparser can prefer the place a reader most likely means.

    Places: the highest of the kind's base, the capital level's score and a log-population
    score (100 people -> 0, 5,000 -> 0.36, 50,000 -> 0.57, 1.6 million -> 0.9).
    Admin units: the kind's base plus up to 0.1 for population, because a district's head
    count is its whole area's and must not lift it above its capital town.
    """
    logpop = math.log10(population) if population and population > 100 else 2.0
    if kind in ADMIN_KINDS:
        return round(KIND_PROMINENCE[kind] + 0.1 * min(1.0, max(0.0, (logpop - 3) / 4)), 3)
    pop_score = min(1.0, (logpop - 2) / 4.5) * 0.95
    cap = CAPITAL_PROMINENCE.get(capital_level or -1, 0.0)
    return round(max(KIND_PROMINENCE[kind], cap, pop_score), 3)


def _unique(names) -> list[str]:
    """Non-empty names in first-seen order, exact duplicates dropped."""
    out: list[str] = []
    for n in names:
        n = " ".join(str(n).split()) if n is not None else ""
        if n and n not in out:
            out.append(n)
    return out


def _compound_parts(name: str, arabic: bool) -> list[str]:
    """The parts of an OCHA compound name ('الكفر_كفريحمول', 'Kafr - Kafr Yahmul') that are names."""
    seps = "_-/" if arabic else "_/"
    parts = [name]
    for sep in seps:
        parts = [q for p in parts for q in p.split(sep)]
    if not arabic:
        parts = [q for p in parts for q in p.split(" - ")]
    parts = [p.strip() for p in parts if p.strip()]
    if len(parts) < 2:
        return []
    return [p for p in parts if len(p) >= 3 and not set(key(p).split()) <= _GENERIC_WORDS]


# ---------------------------------------------------------------- OCHA communities


def _bare(name: str) -> str:
    """A name's key without articles, also a Latin article glued on ('Elbab' -> 'bab')."""
    k = strip_articles(key(name))
    if k.isascii() and k[:2] in ("el", "al") and len(k) > 4 and " " not in k:
        k = k[2:]
    return k


# Words that tell one of a pair of communities from the other ('الباغوز فوقاني', 'Big Arab Hasan').
_LATIN_QUALIFIERS = frozenset({"upper", "lower", "big", "little", "great", "small", "eastern", "western",
                               "northern", "southern", "east", "west", "north", "south", "middle"})


def unqualified(name: str) -> str | None:
    """A community's name without the words that tell it from its twin ('الباغوز فوقاني' -> 'الباغوز',
    'زور الحيصة الشرقية' -> 'زور الحيصة', 'Upper Baguz' -> 'Baguz'), or None when it has none."""
    if any(sep in name for sep in "_-/"):
        return None  # a compound of two names: its parts are variants already
    words = name.split()
    core = list(words)
    if _is_latin(name):
        while len(core) > 1 and core[0].lower() in _LATIN_QUALIFIERS:
            core.pop(0)
        generic = {"and", *_LATIN_QUALIFIERS}
    else:
        generic = _GENERIC_WORDS
    while len(core) > 1 and strip_articles(key(core[-1])) in generic:
        core.pop()
    bare = strip_articles(key(" ".join(core)))
    if len(core) == len(words) or len(bare.replace(" ", "")) < 4 or set(bare.split()) & generic:
        return None
    return " ".join(core)


# A bare name this common as an ordinary word (wordfreq Zipf; one word, several words) stays unsaid:
# `أربعة كبيرة` is not `أربعة` (four), `عبد السلام غربي` not a man's name.
BARE_MAX_ZIPF = (4.0, 5.0)


def add_unqualified_names(communities: list[dict], rows: list[dict]) -> None:
    """Give each qualified community its bare name as a variant (news writes `الباغوز` for OCHA's
    `الباغوز فوقاني`), unless some place is already called that (then the bare name is that place's),
    or it is a number, a place abroad (`فلسطين الشرقية`) or a common word."""
    taken = {strip_articles(k) for r in rows for n in r["variants"] for k in keys(n)}
    for c in communities:
        bare = [b for n in c["variants"] if (b := unqualified(n)) and strip_articles(key(b)) not in taken
                and _sayable(b)]
        c["variants"] = _unique([*c["variants"], *bare])


def _sayable(name: str) -> bool:
    """Whether a bare name is safe to look up: no number word, no place abroad, not a common word."""
    k = key(name)
    if _is_latin(name):
        return True
    if any(number_word(w) for w in k.split()) or k in foreign_keys() or strip_articles(k) in foreign_keys():
        return False
    return zipf_frequency(name, "ar") < BARE_MAX_ZIPF[" " in k]  # as written: wordfreq knows `فاطمة`, not `فاطمه`


def read_name_fixes(path: Path = NAME_FIXES) -> dict[str, tuple[str, str]]:
    """pcode -> (truncated name as read with errors='replace', repaired name)."""
    with path.open(encoding="utf-8", newline="") as f:
        return {r["pcode"]: (r["truncated"], r["name_ar"]) for r in csv.DictReader(f)}


def read_ocha_variants(path: Path = OCHA_VARIANTS) -> dict[str, list[tuple[str, str]]]:
    """pcode -> [(the OCHA Arabic name the row was reviewed against, a spelling to add as a variant)]: reviewed
    corrections of misspelt OCHA names (ocha_variants.csv says why each is right)."""
    out: dict[str, list[tuple[str, str]]] = {}
    with path.open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            out.setdefault(r["pcode"], []).append((r["ocha_name"], r["variant"]))
    return out


def read_communities(path: Path = OCHA_POINTS, fixes_path: Path = NAME_FIXES,
                     variants_path: Path = OCHA_VARIANTS) -> list[dict]:
    """The OCHA communities as table rows (population and GeoNames names still to merge)."""
    # The file has six names cut mid-character (DBF limit): decode with replacement, then repair.
    data = json.loads(path.read_bytes().decode("utf-8", errors="replace"))
    fixes = read_name_fixes(fixes_path)
    added = read_ocha_variants(variants_path)
    rows = []
    for feat in data["features"]:
        p = feat["properties"]
        name_ar = p["NAME_ARA"]
        if p["PCODE"] in fixes:
            truncated, fixed = fixes[p["PCODE"]]
            if name_ar != truncated:
                raise ValueError(f"{path.name}: {p['PCODE']} is {name_ar!r}, the fix table expects {truncated!r}")
            name_ar = fixed
        if "\ufffd" in name_ar:
            raise ValueError(f"{path.name}: {p['PCODE']} has a broken Arabic name {name_ar!r}: add it to {fixes_path.name}")
        names_en = _unique([p["NAME_EN"], p["NAM_EN_REF"]])
        # 'الحجلية- الباب' is Hjeileh of al-Bab: a part naming the row's district or governorate
        # qualifies the name and is not a name of this place.
        qualifiers = {_bare(p[f"ADMIN{n}_{lang}"].removeprefix("مركز ")) for n in (1, 2) for lang in ("EN", "ARA")}
        parts = [q for q in (*_compound_parts(name_ar, True), *(q for n in names_en for q in _compound_parts(n, False)))
                 if _bare(q) not in qualifiers]
        variants = _unique([name_ar, *names_en, *parts])
        for ocha_name, spelling in added.get(p["PCODE"], ()):
            if name_ar != ocha_name:
                raise ValueError(f"{path.name}: {p['PCODE']} is {name_ar!r}, {variants_path.name} expects {ocha_name!r}")
            variants = _unique([*variants, spelling])
        cap = p["CAPIT_LVL"]
        rows.append({
            "place_id": p["PCODE"], "name_ar": name_ar, "name_en": p["NAME_EN"], "variants": variants,
            "admin1_pcode": p["ADMIN1_COD"], "admin1_en": p["ADMIN1_EN"], "admin1_ar": p["ADMIN1_ARA"],
            "admin2_pcode": p["ADMIN2_COD"], "admin2_en": p["ADMIN2_EN"], "admin2_ar": p["ADMIN2_ARA"],
            "admin3_pcode": p["ADMIN3_COD"], "admin3_en": p["ADMIN3_EN"], "admin3_ar": p["ADMIN3_ARA"],
            "lat": round(p["LATITUDE"], 6), "lon": round(p["LONGITUDE"], 6),
            "population": None, "capital_level": None if cap is None else int(cap), "source": "ocha2015",
        })
    return rows


# ---------------------------------------------------------------- admin units


def _os_names(rec: dict) -> list[str]:
    aliases = [a["value"] for a in rec.get("aliases", []) if _is_spelling(a["value"])]
    return [rec["name"]["ar"], rec["name"]["en"], *aliases]


def read_admin_units(communities: list[dict], src: Path = OPENSYRIA) -> list[dict]:
    """Governorates, districts and subdistricts: OCHA 2015 names, OpenSyria hierarchy and aliases."""
    ocha_names: dict[str, tuple[str, str]] = {}
    for c in communities:
        for lvl in ("admin1", "admin2", "admin3"):
            ocha_names.setdefault(c[f"{lvl}_pcode"], (c[f"{lvl}_en"], c[f"{lvl}_ar"]))
    recs = {lvl: json.loads((src / f"{lvl}.json").read_text(encoding="utf-8"))
            for lvl in ("governorates", "districts", "subdistricts")}
    pcode_of = {r["id"]: r["externalIds"]["ochaPcode"] for lst in recs.values() for r in lst}
    names: dict[str, tuple[str, str]] = {}
    for lst in recs.values():
        for r in lst:
            pc = pcode_of[r["id"]]
            names[pc] = ocha_names.get(pc, (r["name"]["en"], r["name"]["ar"]))

    rows = []
    for kind, lst in (("governorate", recs["governorates"]), ("district", recs["districts"]),
                      ("subdistrict", recs["subdistricts"])):
        for r in lst:
            pc = pcode_of[r["id"]]
            en, ar = names[pc]
            chain = {"admin1": pcode_of.get(r.get("governorateId"), pc)}
            if kind != "governorate":
                chain["admin2"] = pcode_of.get(r.get("districtId"), pc)
            if kind == "subdistrict":
                chain["admin3"] = pc
            row = {"place_id": pc, "name_ar": ar, "name_en": en, "kind": kind,
                   "variants": _unique([ar, en, *_os_names(r)]),
                   "population": (r.get("population") or {}).get("value"), "capital_level": None,
                   "source": "ocha2015+opensyria" if pc in ocha_names else "opensyria"}
            for lvl in ("admin1", "admin2", "admin3"):
                code = chain.get(lvl)
                row[f"{lvl}_pcode"] = code
                row[f"{lvl}_en"], row[f"{lvl}_ar"] = names[code] if code else (None, None)
            row["lat"], row["lon"] = _unit_point(kind, pc, r["centroid"]["latitude"], r["centroid"]["longitude"])
            rows.append(row)
    return rows


def _unit_point(kind: str, pcode: str, lat: float, lon: float) -> tuple[float, float]:
    """OpenSyria's centroid, unless it falls outside the unit's own polygon (then a point inside it)."""
    if kind == "subdistrict":
        return round(lat, 6), round(lon, 6)
    level = "admin1_pcode" if kind == "governorate" else "admin2_pcode"
    a = admin.admin_for_point(lat, lon)
    if a[level] == pcode and a["inside"]:
        return round(lat, 6), round(lon, 6)
    gdf = admin.governorates() if kind == "governorate" else admin.districts()
    match = gdf.loc[gdf[level] == pcode]
    if match.empty:  # a unit newer than the 2015 polygons (Qadmous district): keep the centroid
        return round(lat, 6), round(lon, 6)
    p = match.geometry.iloc[0].representative_point()
    return round(p.y, 6), round(p.x, 6)


# ---------------------------------------------------------------- GeoNames


@dataclass
class GeonamesMerge:
    """What merge_geonames did, for the build report."""

    total: int = 0
    by_name: int = 0
    by_fuzzy: int = 0
    added: int = 0
    dropped: int = 0
    admin_units: int = 0
    dropped_names: list[str] = field(default_factory=list)


# First words of GeoNames entries that name an admin division rather than a populated place.
_ADMIN_WORDS = frozenset({"ناحيه", "محافظه", "منطقه", "nahiyat", "muhafazat", "mintaqat"})


def _latin_fold(name: str) -> str:
    """'Jubb al Jarrāḩ' -> 'Jubb al Jarrah', so the plain spelling is a variant too."""
    return "".join(c for c in unicodedata.normalize("NFKD", name) if unicodedata.category(c) != "Mn")


def _is_arabic(text: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in text) and not _is_latin(text)


def _is_latin(text: str) -> bool:
    return any(c.isalpha() and "LATIN" in unicodedata.name(c, "") for c in text)


def _is_spelling(name: str) -> bool:
    """Arabic or Latin script, and not a machine romanisation ('msknt', 'nahyt mrkz alhskt': all
    lower case) or an airport code ('DAM'), which GeoNames and OpenSyria list among the names."""
    if _is_arabic(name):
        return True
    return _is_latin(name) and not name.islower() and not (name.isupper() and len(name) <= 4)


def geonames_names(rec: dict) -> list[str]:
    """The Arabic- and Latin-script names of a GeoNames record (other scripts are no use here)."""
    names = [n.strip(" .\u200e\u200f") for n in [rec["name"], *rec.get("alternatenames", [])]]
    names = [n for n in names if _is_spelling(n)]
    return _unique([*names, *(_latin_fold(n) for n in names if _is_latin(n))])


def _km(lat: float, lon: float, lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    """Haversine distances (km) from one point to many."""
    p1, p2 = np.radians(lat), np.radians(lats)
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lons - lon) / 2) ** 2
    return 6371.0 * 2 * np.arcsin(np.sqrt(a))


def _row_keys(names: list[str]) -> set[str]:
    return {k for n in names for k in keys(n)}


def _fuzzy(a: set[str], b: set[str]) -> float:
    """Best similarity between keys of the same script (Arabic with Arabic, Latin with Latin).

    Spaces are ignored ('معرة مصرين' ~ 'معر تمصرين') and a name that is the other plus a word
    scores high ('صرين الشمالية' ~ 'صرين'); only used for the nearest community, within a few km.
    """
    best = 0.0
    for x in a:
        for y in b:
            if x.isascii() == y.isascii():
                best = max(best, fuzz.ratio(x.replace(" ", ""), y.replace(" ", "")), fuzz.token_set_ratio(x, y))
    return best


def merge_geonames(communities: list[dict], path: Path = GEONAMES) -> tuple[list[dict], GeonamesMerge]:
    """Add GeoNames names and population to matching communities; return rows for the rest.

    A GeoNames place matches the nearest community within GEONAMES_NAME_KM that shares a name
    key, else the nearest community within GEONAMES_FUZZY_KM if their names are similar
    (ratio >= GEONAMES_FUZZY_MIN): never by name alone, since Syria repeats village names.
    Unmatched places become their own rows only when no community lies within GEONAMES_ALONE_KM
    (closer ones are most likely the same place under another name, or a part of it).
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    lats = np.array([c["lat"] for c in communities])
    lons = np.array([c["lon"] for c in communities])
    ckeys = [_row_keys(c["variants"]) for c in communities]
    stats = GeonamesMerge(total=len(data))
    extra: list[dict] = []
    for gid in sorted(data, key=int):
        rec = data[gid]
        names = geonames_names(rec)
        if any(key(n).split(" ")[0] in _ADMIN_WORDS for n in names):
            stats.admin_units += 1  # 'Nāḩiyat as Sab‘ Biyār': an admin unit, OpenSyria's rows cover it
            continue
        gkeys = _row_keys(names)
        dist = _km(rec["latitude"], rec["longitude"], lats, lons)
        order = np.argsort(dist, kind="stable")
        match = next((int(i) for i in order if dist[i] <= GEONAMES_NAME_KM and ckeys[i] & gkeys), None)
        if match is not None:
            stats.by_name += 1
        else:
            nearest = int(order[0])
            if dist[nearest] <= GEONAMES_FUZZY_KM and _fuzzy(ckeys[nearest], gkeys) >= GEONAMES_FUZZY_MIN:
                match = nearest
                stats.by_fuzzy += 1
        pop = int(rec["population"]) or None
        if match is not None:
            c = communities[match]
            c["variants"] = _unique([*c["variants"], *names])
            if pop and (c["population"] or 0) < pop:
                c["population"] = pop
            if "geonames" not in c["source"]:
                c["source"] += "+geonames"
        elif dist[order[0]] > GEONAMES_ALONE_KM:
            extra.append(_geonames_row(gid, rec, names, pop))
            stats.added += 1
        else:
            stats.dropped += 1
            near = communities[int(order[0])]
            stats.dropped_names.append(f"{rec['name']} ({near['place_id']} {near['name_en']} at {dist[order[0]]:.1f} km)")
    return extra, stats


def _geonames_row(gid: str, rec: dict, names: list[str], pop: int | None) -> dict:
    lat, lon = round(rec["latitude"], 6), round(rec["longitude"], 6)
    arabic = [n for n in names if _is_arabic(n)]
    a = admin.admin_for_point(lat, lon)
    return {
        "place_id": f"G{gid}", "name_ar": arabic[0] if arabic else rec["name"], "name_en": rec["name"],
        "variants": names, "kind": community_kind(None, pop), "lat": lat, "lon": lon,
        **{k: a[k] for k in ("admin1_pcode", "admin1_en", "admin1_ar", "admin2_pcode", "admin2_en", "admin2_ar")},
        "admin3_pcode": None, "admin3_en": None, "admin3_ar": None,
        "population": pop, "capital_level": None, "source": "geonames",
    }


# ---------------------------------------------------------------- curated supplement


def read_curated(path: Path, known: dict[str, dict]) -> list[dict]:
    """Validated rows of the hand-curated CSV; raises CuratedError naming every bad row.

    Checks: the columns, unique ids (also against `known`, the other rows), kind in KINDS,
    numeric coordinates inside Syria (or within BORDER_SLACK_KM of the simplified border) unless
    the note states why not, a non-empty coord_source, and a known parent_place_id.
    """
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        missing = [c for c in CURATED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise CuratedError(f"{path.name}: missing column(s) {', '.join(missing)}")
        raw = list(reader)
    errors: list[str] = []
    rows: list[dict] = []
    seen: set[str] = set()
    for n, r in enumerate(raw, start=2):  # line 1 is the header
        r = {k: (v or "").strip() for k, v in r.items() if k}
        pid = r["place_id"]
        where = f"{path.name} line {n} ({pid or 'no place_id'})"
        problems = []
        if not pid:
            problems.append("empty place_id")
        elif pid in seen or pid in known:
            problems.append(f"duplicate place_id {pid!r}")
        seen.add(pid)
        if r["kind"] not in KINDS:
            problems.append(f"kind {r['kind']!r} is not one of {sorted(KINDS)}")
        if not r["name_ar"]:
            problems.append("empty name_ar")
        if not r["coord_source"]:
            problems.append("empty coord_source (cite where the coordinates come from)")
        if r["parent_place_id"] and r["parent_place_id"] not in known:
            problems.append(f"parent_place_id {r['parent_place_id']!r} is not in the table")
        try:
            lat, lon = float(r["lat"]), float(r["lon"])
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise ValueError
        except ValueError:
            problems.append(f"bad coordinates lat={r['lat']!r} lon={r['lon']!r}")
            lat = lon = None
        a = None
        if lat is not None:
            a = admin.admin_for_point(lat, lon)
            if a["distance_km"] > BORDER_SLACK_KM and not r["note"]:
                problems.append(f"({lat}, {lon}) is {a['distance_km']} km outside Syria and the note gives no reason")
        if problems:
            errors.extend(f"{where}: {p}" for p in problems)
            continue
        rows.append(_curated_row(r, lat, lon, a, known.get(r["parent_place_id"])))
    if errors:
        raise CuratedError("invalid curated places:\n" + "\n".join(errors))
    return rows


def _curated_row(r: dict, lat: float, lon: float, a: dict, parent: dict | None) -> dict:
    names = [r["name_ar"], r["name_en"], *r["variants"].split("|")]
    same_district = parent is not None and parent.get("admin2_pcode") == a["admin2_pcode"]
    return {
        "place_id": r["place_id"], "name_ar": r["name_ar"], "name_en": r["name_en"] or None,
        "variants": _unique(names), "kind": r["kind"], "lat": round(lat, 6), "lon": round(lon, 6),
        **{k: a[k] for k in ("admin1_pcode", "admin1_en", "admin1_ar", "admin2_pcode", "admin2_en", "admin2_ar")},
        # A subdistrict only from the parent community, and only if the polygons agree on its district.
        **{k: (parent[k] if same_district else None) for k in ("admin3_pcode", "admin3_en", "admin3_ar")},
        "population": None, "capital_level": None, "source": "curated",
    }


# ---------------------------------------------------------------- assembly


def build_table(curated: Path | None = CURATED) -> tuple[pd.DataFrame, dict]:
    """The whole table plus a report of counts (per kind, per source, GeoNames merge)."""
    communities = read_communities()
    units = read_admin_units(communities)
    extra, merge = merge_geonames(communities)
    for c in communities + extra:
        c["kind"] = community_kind(c["capital_level"] if c["capital_level"] != 0 else None, c["population"])
    rows = units + communities + extra
    if curated is not None and curated.exists():
        rows += read_curated(curated, {r["place_id"]: r for r in rows})
    add_unqualified_names(communities + extra, rows)  # after every row that may own a bare name
    for r in rows:
        r["prominence"] = prominence(r["kind"], r["capital_level"], r["population"])
    df = pd.DataFrame(rows)[COLUMNS].sort_values("place_id", kind="stable").reset_index(drop=True)
    df = _typed(df)
    report = {
        "rows": len(df),
        "per_kind": df["kind"].value_counts().sort_index().to_dict(),
        "per_source": df["source"].value_counts().sort_index().to_dict(),
        "geonames": vars(merge),
    }
    return df, report


def _typed(df: pd.DataFrame) -> pd.DataFrame:
    """Fixed dtypes, so the Parquet schema does not depend on which values happen to be missing."""
    out = df.copy()
    for col in COLUMNS:
        if col in ("lat", "lon", "prominence"):
            out[col] = out[col].astype("float64")
        elif col in ("population", "capital_level"):
            out[col] = out[col].astype("Int64")
        elif col != "variants":
            out[col] = out[col].astype(object).where(out[col].notna(), None)
    return out


def write_table(df: pd.DataFrame, out_dir: Path) -> Path:
    """Write places.parquet into out_dir (created if needed) and return its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / PLACES_NAME
    df.to_parquet(path, index=False, compression="zstd")
    return path


# ---------------------------------------------------------------- polygons


def simplify_polygons(admin2_geojson: Path, out_dir: Path, tolerance: float = 0.003) -> tuple[Path, Path]:
    """Write admin1.geojson and admin2.geojson for the web map from OCHA's 2015 district polygons.

    Districts are simplified as one coverage (shared borders stay shared, no gaps or overlaps);
    governorates are the union of their districts, so admin1 and admin2 always agree. The full
    resolution file is not kept in the repo: this step runs once, with the raw file's path.
    """
    d = gpd.read_file(admin2_geojson)
    d["geometry"] = shapely.coverage_simplify(d.geometry.values, tolerance)
    d = d.rename(columns={"PCODE": "admin2_pcode", "NAME_EN": "admin2_en", "NAME_ARA": "admin2_ar",
                          "ADMIN1_COD": "admin1_pcode", "ADMIN1_EN": "admin1_en", "ADMIN1_ARA": "admin1_ar"})
    cols = ["admin2_pcode", "admin2_en", "admin2_ar", "admin1_pcode", "admin1_en", "admin1_ar"]
    d = d[cols + ["geometry"]].sort_values("admin2_pcode").reset_index(drop=True)
    g = d.dissolve(by=["admin1_pcode", "admin1_en", "admin1_ar"], as_index=False)[
        ["admin1_pcode", "admin1_en", "admin1_ar", "geometry"]].sort_values("admin1_pcode")
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = (out_dir / "admin1.geojson", out_dir / "admin2.geojson")
    for gdf, p in zip((g, d), paths):
        gdf.to_file(p, driver="GeoJSON", COORDINATE_PRECISION=5, engine="pyogrio")
    return paths
