"""The geoparser's name index: every Arabic spelling of every place, ready for fast matching.

Built once from the places table and cached on disk (keyed by a digest of the table and the
word lists), so a fresh process is ready in a fraction of a second. Besides exact keys it holds:
- spaceless keys, because `كفر زيتا` is often written `كفرزيتا`;
- a one-deletion neighbourhood (SymSpell) of the longer keys, so one-letter typos
  (`كفرزينا`, `باتنتا`) are found with a few dictionary probes instead of a scan;
- how common each name (and each word that is a name plus clitics) is as an ordinary Arabic
  word, on wordfreq's Zipf scale, because `على`, `سلامة` and `بشرية` are village names too and
  need evidence before they count. Precomputed here so wordfreq's 100 MB of tables are only
  loaded when the index is rebuilt;
- the representative point of every part of every governorate (`ريف حماة الشمالي`), so
  geoparsing needs no geometry library at run time.
"""
from __future__ import annotations

import hashlib
import math
import os
import pickle
import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from gazetteer import admin, places
from gazetteer.foreign import foreign_keys
from gazetteer.lexicon import cues
from arabic.normalize import name_key
from arabic.clitics import readings

COMMON_ZIPF = 3.0
MIN_ZIPF = 2.0  # rarer words count as unknown (Zipf 0): the prior is flat down there
FUZZY_MIN_LEN = 5
_ARABIC = re.compile("[\u0621-\u064a]")


@dataclass
class NameIndex:
    """Arrays of place attributes (by row) plus key -> rows maps."""

    place_id: list[str]
    name_ar: list[str]
    name_en: list[str]
    kind: list[str]
    admin1: list[str | None]
    admin1_en: list[str | None]
    admin1_ar: list[str | None]
    admin2_en: list[str | None]
    admin2_ar: list[str | None]
    lat: np.ndarray
    lon: np.ndarray
    prominence: np.ndarray
    population: np.ndarray
    is_capital: np.ndarray  # a governorate capital (OCHA capital level 1)
    is_seat: np.ndarray  # the seat of a governorate, district or subdistrict (capital level 1-3)
    rows: dict[str, tuple[int, ...]] = field(default_factory=dict)
    first_words: set[str] = field(default_factory=set)
    max_words: int = 1
    zipf: dict[str, float] = field(default_factory=dict)
    deletes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    foreign: frozenset[str] = frozenset()
    governorate_row: dict[str, int] = field(default_factory=dict)
    region_points: dict[tuple[str, str | None], tuple[float, float]] = field(default_factory=dict)
    seat_of: dict[int, int] = field(default_factory=dict)
    primary: dict[str, float] = field(default_factory=dict)
    region_centres: dict[str, tuple[float, float]] = field(default_factory=dict)
    capital_names: frozenset[str] = frozenset()  # own names of governorates and their capitals
    capital_firsts: frozenset[str] = frozenset()  # their first words (`دير` of `دير الزور`)
    district_of_seat: dict[int, int] = field(default_factory=dict)  # town row -> the district it seats

    def is_capital_name(self, key: str) -> bool:
        """Whether `key` is the own name (not a variant) of a governorate or a governorate capital."""
        return key in self.capital_names or _strip_articles(key) in self.capital_names

    def is_container(self, r: int) -> bool:
        """A row other places are said to lie in (`X في حمص`): a governorate or its capital."""
        return self.kind[r] == "governorate" or bool(self.is_capital[r])

    def name_prominence(self, key: str) -> float:
        """Prominence of the most prominent place whose own name (not a variant) is `key`."""
        return self.primary.get(key) or self.primary.get(_strip_articles(key), 0.0)

    def as_list(self, name: str) -> list:
        """An array attribute (`prominence`, `lat`...) as a Python list: the same numbers, faster to read one by one."""
        memo = self.__dict__.setdefault("_lists", {})
        out = memo.get(name)
        if out is None:
            out = memo[name] = getattr(self, name).tolist()
        return out

    def commonness(self, word: str) -> float:
        """Zipf frequency of a normalised word or name as ordinary Arabic (0 when rare or unknown)."""
        return self.zipf.get(word, 0.0)

    def lookup(self, key: str) -> tuple[int, ...]:
        """Rows named `key` exactly, else with the article dropped from every word."""
        return self.rows.get(key) or self.rows.get(_strip_articles(key), ())

    def readings(self, word: str) -> tuple[tuple[int, str, tuple[int, ...], bool], ...]:
        """The readings of a word that may start a place name: (clitic length, stem, rows it
        names alone, whether a multi-word name starts with it). Memoised: news reuses its words."""
        cache = self.__dict__.setdefault("_readings", {})
        hit = cache.get(word)
        if hit is None:
            hit = tuple((off, st, self.lookup(st) if len(st) >= 3 else (), st in self.first_words)
                        for off, st in readings(word)
                        if st in self.first_words or (len(st) >= 3 and self.lookup(st)))
            if len(cache) < 500_000:
                cache[word] = hit
        return hit

    def fuzzy(self, key: str) -> list[tuple[str, int]]:
        """Keys within one edit of `key` (one substitution, insertion or deletion), with distance."""
        from rapidfuzz.distance import Levenshtein

        if len(key) < FUZZY_MIN_LEN:
            return []
        probes = {key} | {key[:i] + key[i + 1:] for i in range(len(key))}
        found: set[str] = set()
        for p in probes:
            found.update(self.deletes.get(p, ()))
        found.discard(key)
        return [(k, d) for k in sorted(found) if (d := Levenshtein.distance(key, k, score_cutoff=1)) <= 1]


_strip_articles = lru_cache(maxsize=200_000)(places.strip_articles)


# Everything the index is built from: a change to any of these files invalidates the cache.
_INPUTS = ("data/places.parquet", "data/foreign_names.txt", "data/foreign_cities.txt", "data/cues.tsv",
           "data/admin1.geojson", "data/name_heads.txt", "index.py", "../arabic/normalize.py", "../arabic/tokens.py",
           "../arabic/clitics.py", "places.py", "admin.py", "foreign.py", "lexicon.py")


def _digest() -> str:
    from importlib.metadata import version

    h = hashlib.sha1(f"{sys.version}|wordfreq {version('wordfreq')}|numpy {np.__version__}".encode())
    package = Path(__file__).parent
    for name in _INPUTS:
        path = package / name
        h.update(path.read_bytes() if path.exists() else b"-")
    return h.hexdigest()[:16]


def _cache_path() -> Path:
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return root / "syria-events-map" / f"name-index-{_digest()}.pkl"


def build_index(df=None) -> NameIndex:
    """Build the index from the places table (about a second; see `get_index` for the cached one).

    `df` is another table of the same columns (a test's small gazetteer); by default the whole one.
    """
    df = places.load() if df is None else df.reset_index(drop=True)
    cap = df["capital_level"].astype("Float64").fillna(0).to_numpy(float)
    col = lambda c: [None if v is None or v != v else v for v in df[c].tolist()]  # noqa: E731
    idx = NameIndex(
        place_id=df["place_id"].tolist(), name_ar=df["name_ar"].tolist(), name_en=df["name_en"].tolist(),
        kind=df["kind"].tolist(), admin1=col("admin1_pcode"), admin1_en=col("admin1_en"),
        admin1_ar=col("admin1_ar"), admin2_en=col("admin2_en"), admin2_ar=col("admin2_ar"),
        lat=df["lat"].to_numpy(float), lon=df["lon"].to_numpy(float),
        prominence=df["prominence"].to_numpy(float),
        population=df["population"].astype("Float64").fillna(0).to_numpy(float),
        is_capital=cap == 1, is_seat=(cap >= 1) & (cap <= 3),
    )
    rows: dict[str, set[int]] = {}
    cue_words = cues()
    for i, (ar, variants) in enumerate(zip(df["name_ar"], df["variants"])):
        names = {ar, *variants}
        for name in names:
            if not isinstance(name, str) or not _ARABIC.search(name) or _contextual(name, names, cue_words):
                continue
            for k in places.keys(name):
                for form in {k, k.replace(" ", "")}:
                    if len(form) >= 2:
                        rows.setdefault(form, set()).add(i)
    _split_spaceless(rows)
    idx.rows = {k: tuple(sorted(v)) for k, v in rows.items()}
    capital_names = set()
    for i, ar in enumerate(df["name_ar"]):
        for k in places.keys(ar):
            idx.primary[k] = max(idx.primary.get(k, 0.0), float(idx.prominence[i]))
            if idx.kind[i] == "governorate" or idx.is_capital[i]:
                capital_names.add(k)
    idx.capital_names = frozenset(capital_names)
    idx.capital_firsts = frozenset(k.split(" ")[0] for k in capital_names)
    multi = [k.split(" ") for k in idx.rows if " " in k]
    idx.first_words = {w[0] for w in multi}
    idx.max_words = max((len(w) for w in multi), default=1)
    idx.zipf = _commonness(idx.rows)
    deletes: dict[str, set[str]] = {}
    for k in idx.rows:
        if " " in k or len(k) < FUZZY_MIN_LEN:
            continue
        for i in range(len(k) + 1):
            deletes.setdefault(k[:i] + k[i + 1:] if i < len(k) else k, set()).add(k)
    idx.deletes = {k: tuple(sorted(v)) for k, v in deletes.items()}
    prominent = {k for k, r in idx.rows.items() if max(idx.prominence[i] for i in r) >= 0.5}
    idx.foreign = frozenset(foreign_keys() - prominent)
    idx.governorate_row = {idx.admin1[i]: i for i, k in enumerate(idx.kind) if k == "governorate"}
    idx.seat_of = _seats(idx)
    # A governorate or district centre (capital level 1-2) seats its district (`ريف منبج` -> SY0205).
    row_of = {pid: i for i, pid in enumerate(idx.place_id)}
    idx.district_of_seat = {i: row_of[a2] for i, (lvl, a2) in enumerate(zip(cap, df["admin2_pcode"]))
                            if lvl in (1, 2) and isinstance(a2, str) and a2 in row_of}
    idx.region_centres = _capitals(idx)
    idx.region_points = {(pcode, part): admin.region_point(pcode, part, idx.region_centres.get(pcode))
                         for pcode in idx.governorate_row for part in (None, "centre", *admin.DIRECTIONS)}
    return idx


def _split_spaceless(rows: dict[str, set[int]]) -> None:
    """Spaced keys for names a source writes as one word (`بصرالحرير` -> `بصر الحرير`, `كفرنبل` ->
    `كفر نبل`): split after a generic head word (name_heads.txt) or before an inner article."""
    from gazetteer.lexicon import name_heads

    heads = name_heads()
    for k in [k for k in rows if " " not in k and len(k) >= 6]:
        cuts = {len(h) for h in heads if k.startswith(h) and len(k) - len(h) >= 3}
        cuts |= {i for i in range(2, len(k) - 3) if k.startswith("ال", i) and k[i - 1] != "ل"}
        for i in cuts:
            spaced = f"{k[:i]} {k[i:]}"
            if spaced not in rows:
                rows[spaced] = set(rows[k])


def _contextual(name: str, names: set[str], cue_words) -> bool:
    """Variants that spell out context (`حي الخالدية`, `الخالدية في حمص`) rather than a name.

    The geoparser reads the cue word and the city from the text around a name; as part of a
    name they would make a span swallow them and hide the city from the rest of the article.
    """
    words = name.split()
    if " في " in f" {name} ":
        return True
    return len(words) > 1 and name_key(words[0]) in cue_words and " ".join(words[1:]) in names


def _capitals(idx: NameIndex) -> dict[str, tuple[float, float]]:
    """Governorate pcode -> (lat, lon) of the city its countryside (`ريف X`) surrounds.

    That is the city of the governorate's own name (`ريف دمشق` surrounds دمشق, a governorate of
    its own), so `ريف X الشمالي` is north of the city, not of the polygon's centroid.
    """
    out = {}
    for pcode, g in idx.governorate_row.items():
        key = name_key(idx.name_ar[g]).removeprefix("ريف ").strip()
        cities = [r for r in idx.lookup(key) if idx.kind[r] == "city"]
        if cities:
            best = max(cities, key=lambda r: idx.prominence[r])
            out[pcode] = (float(idx.lat[best]), float(idx.lon[best]))
    return out


def _seats(idx: NameIndex) -> dict[int, int]:
    """District/subdistrict row -> the town or city it is named after (its seat), when there is one.

    News that says `كوباني` or `منطقة الباب` means the town; the admin unit only shares its name.
    """
    seats = {}
    for r, kind in enumerate(idx.kind):
        if kind not in ("district", "subdistrict"):
            continue
        key = name_key(idx.name_ar[r]).removeprefix("مركز ").strip()
        towns = [c for c in idx.lookup(key) if idx.kind[c] in ("city", "town", "village")
                 and idx.admin1[c] == idx.admin1[r]]
        if towns:
            d = [math.hypot(idx.lat[c] - idx.lat[r], idx.lon[c] - idx.lon[r]) for c in towns]
            best = min(range(len(towns)), key=d.__getitem__)
            if d[best] < 0.4:  # about 40 km
                seats[r] = towns[best]
    return seats


def _commonness(rows: dict[str, tuple[int, ...]]) -> dict[str, float]:
    """Zipf frequency of every name key, and of every common word that is a name behind clitics.

    Words are normalised like the text, so `حماة`/`حماه` share the larger of their frequencies.
    Every word at or above COMMON_ZIPF is kept too, since a fuzzy match is judged by the word as
    written (`ثانية` is one letter from a village and far too common to be a typo of it).
    """
    from wordfreq import get_frequency_dict, zipf_frequency

    out: dict[str, float] = {}
    for word, freq in get_frequency_dict("ar").items():
        z = math.log10(freq) + 9
        if z < MIN_ZIPF:
            continue
        k = name_key(word)
        # Every common word (a typo'd name is judged by the word as written), and rarer words
        # only when they are a name, maybe behind clitics.
        if z >= COMMON_ZIPF or k in rows or any(st in rows for _, st in readings(k)):
            out[k] = max(out.get(k, 0.0), round(z, 2))
    for k in rows:
        if " " in k:  # phrases are not in the word list: estimate from their words
            out[k] = round(zipf_frequency(k, "ar"), 2)
    return out


@lru_cache(maxsize=1)
def get_index() -> NameIndex:
    """The index, from the on-disk cache when it matches the current table, else built and cached."""
    path = _cache_path()
    try:
        with path.open("rb") as f:
            return pickle.load(f)
    except Exception:  # noqa: BLE001 - missing, truncated or from other library versions: rebuild
        pass
    idx = build_index()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as f:
            pickle.dump(idx, f, protocol=pickle.HIGHEST_PROTOCOL)  # before any memo is filled
        tmp.replace(path)
    except OSError:
        pass  # a read-only home still works, just without the cache
    return idx
