"""The geoparser's name index: every Arabic spelling of every place, ready for fast matching.

Built once from the places table and cached on disk (keyed by a digest of the table and the
word lists), so a fresh process is ready in a fraction of a second. Besides exact keys it holds:
- spaceless keys, because `كفر زيتا` is often written `كفرزيتا`;
- a one-deletion neighbourhood (SymSpell) of the longer keys, so one-letter typos
  (`كفرزينا`, `باتنتا`) are found with a few dictionary probes instead of a scan;
- how common each key is as an ordinary Arabic word (wordfreq Zipf scale), because
  `على`, `سلامة` and `بشرية` are village names too and need evidence before they count.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from gazetteer import places
from gazetteer.foreign import foreign_keys

INDEX_VERSION = 3
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
    rows: dict[str, tuple[int, ...]] = field(default_factory=dict)
    first_words: set[str] = field(default_factory=set)
    max_words: int = 1
    zipf: dict[str, float] = field(default_factory=dict)
    deletes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    foreign: frozenset[str] = frozenset()
    governorate_row: dict[str, int] = field(default_factory=dict)

    def lookup(self, key: str) -> tuple[int, ...]:
        """Rows named `key` exactly, else with the article dropped from every word."""
        return self.rows.get(key) or self.rows.get(places.strip_articles(key), ())

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


def _digest() -> str:
    h = hashlib.sha1(f"v{INDEX_VERSION}".encode())
    data = Path(places.__file__).parent / "data"
    for name in ("places.parquet", "foreign_names.txt", "foreign_cities.txt"):
        p = data / name
        if p.exists():
            h.update(p.read_bytes())
    return h.hexdigest()[:16]


def _cache_path() -> Path:
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return root / "syria-events-map" / f"name-index-{_digest()}.pkl"


def build_index() -> NameIndex:
    """Build the index from the places table (about a second; see `get_index` for the cached one)."""
    from wordfreq import zipf_frequency

    df = places.load()
    col = lambda c: [None if v is None or v != v else v for v in df[c].tolist()]  # noqa: E731
    idx = NameIndex(
        place_id=df["place_id"].tolist(), name_ar=df["name_ar"].tolist(), name_en=df["name_en"].tolist(),
        kind=df["kind"].tolist(), admin1=col("admin1_pcode"), admin1_en=col("admin1_en"),
        admin1_ar=col("admin1_ar"), admin2_en=col("admin2_en"), admin2_ar=col("admin2_ar"),
        lat=df["lat"].to_numpy(float), lon=df["lon"].to_numpy(float),
        prominence=df["prominence"].to_numpy(float),
        population=df["population"].astype("Float64").fillna(0).to_numpy(float),
    )
    rows: dict[str, set[int]] = {}
    for i, (ar, variants) in enumerate(zip(df["name_ar"], df["variants"])):
        for name in {ar, *variants}:
            if not isinstance(name, str) or not _ARABIC.search(name):
                continue
            for k in places.keys(name):
                for form in {k, k.replace(" ", "")}:
                    if len(form) >= 2:
                        rows.setdefault(form, set()).add(i)
    idx.rows = {k: tuple(sorted(v)) for k, v in rows.items()}
    multi = [k.split(" ") for k in idx.rows if " " in k]
    idx.first_words = {w[0] for w in multi}
    idx.max_words = max((len(w) for w in multi), default=1)
    idx.zipf = {k: zipf_frequency(k, "ar") for k in idx.rows}
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
    return idx


@lru_cache(maxsize=1)
def get_index() -> NameIndex:
    """The index, from the on-disk cache when it matches the current table, else built and cached."""
    path = _cache_path()
    try:
        with path.open("rb") as f:
            return pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        pass
    idx = build_index()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as f:
            pickle.dump(idx, f, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
    except OSError:
        pass  # a read-only home still works, just without the cache
    return idx
