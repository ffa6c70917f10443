"""The places table (gazetteer/data/places.parquet): load it once, look places up by id or name.

Name lookups go through `keys()`: `normalize.name_key` plus Latin folding (diacritics and
ayn/hamza marks dropped, so 'Taftanāz' and '‘Ayn' match 'Taftanaz' and 'Ayn'), and a second
key with the article removed from every word ('رسم العبود' ~ 'رسم عبود', 'Al-Qardaha' ~
'Qardaha'), because news and gazetteers disagree about the article in both directions.
The build uses the same keys to match GeoNames names to OCHA communities.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas loads with the table: geoparsing from the cached index needs none of it
    import pandas as pd

from arabic.clitics import strip_article
from arabic.normalize import name_key

PLACES_FILE = Path(__file__).resolve().parent / "data" / "places.parquet"

_MARKS = re.compile(r"['`ʿʾʻʼ‘’]")
_SPACES = re.compile(r"\s+")
# Latin renderings of the Arabic article, as separate words once name_key made hyphens spaces.
_LATIN_ARTICLES = frozenset({"al", "el", "ar", "as", "ad", "an", "ash", "at", "az", "ath", "adh"})


def key(name: str) -> str:
    """name_key, plus (for Latin-script names only) diacritics and apostrophes folded away.

    Arabic keys are exactly name_key's, so they match `normalize(text).text` in running text.
    """
    k = name_key(name)
    if not any(c.isascii() and c.isalpha() for c in k):
        return k
    k = "".join(c for c in unicodedata.normalize("NFKD", k) if unicodedata.category(c) != "Mn")
    return _SPACES.sub(" ", _MARKS.sub("", unicodedata.normalize("NFC", k))).strip()


def strip_articles(k: str) -> str:
    """A key with the article removed from each word (Arabic 'ال' prefix, Latin 'al'/'el'... words)."""
    words = []
    for w in k.split(" "):
        if w in _LATIN_ARTICLES:
            continue
        words.append(strip_article(w))
    return " ".join(words) or k


def keys(name: str) -> list[str]:
    """The distinct lookup keys of a name: the full key first, then the article-free one."""
    k = key(name)
    if not k:
        return []
    s = strip_articles(k)
    return [k] if s == k else [k, s]


@lru_cache(maxsize=1)
def load() -> pd.DataFrame:
    """The whole table (one row per place), read once; treat it as read-only."""
    import pandas as pd

    df = pd.read_parquet(PLACES_FILE)
    df["variants"] = [list(v) for v in df["variants"]]
    return df


@lru_cache(maxsize=1)
def _positions() -> dict[str, int]:
    return {pid: i for i, pid in enumerate(load()["place_id"])}


def _plain(v):
    """Missing -> None, NumPy scalars -> Python ones, so rows serialise to JSON as they are."""
    import pandas as pd

    if isinstance(v, list):
        return v
    if pd.isna(v):
        return None
    return v.item() if hasattr(v, "item") else v


def _row(i: int) -> dict:
    return {k: _plain(v) for k, v in load().iloc[i].to_dict().items()}


def get(place_id: str) -> dict | None:
    """The place with this id as a plain dict (missing values are None), or None if unknown."""
    i = _positions().get(place_id)
    return None if i is None else _row(i)


@lru_cache(maxsize=1)
def by_key() -> dict[str, list[int]]:
    """Every lookup key of every name and variant -> row positions in `load()` (ascending)."""
    index: dict[str, set[int]] = {}
    df = load()
    for i, (ar, en, variants) in enumerate(zip(df["name_ar"], df["name_en"], df["variants"])):
        for name in {ar, en, *variants}:
            for k in keys(name) if isinstance(name, str) else ():
                index.setdefault(k, set()).add(i)
    return {k: sorted(v) for k, v in index.items()}


def candidates(name: str) -> list[dict]:
    """Places called `name` (Arabic or Latin, with or without articles), best first.

    The more prominent place (governorate, city...) comes first; on a tie, a match of the full
    key beats an article-free one, then table order (place_id).
    """
    index = by_key()
    prominence = load()["prominence"]
    rank: dict[int, int] = {}
    for r, k in enumerate(keys(name)):
        for i in index.get(k, ()):
            rank.setdefault(i, r)
    order = sorted(rank, key=lambda i: (-prominence.iat[i], rank[i], i))
    return [_row(i) for i in order]
