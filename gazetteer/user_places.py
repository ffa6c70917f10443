"""User places: places an analyst added while reviewing, read next to the built table they belong to.

The gazetteer cannot know every hamlet, checkpoint or farm a report names; an analyst who places an
event on the map by hand names the point, and that place is then a line of `TABLE.places.jsonl`
beside the events table (`path_for`): name, aliases, kind, point, who, when, `source: "user"`. The file
is append-only (the reviewer's side writes it, with the review log's durable append); this module
reads it and lays its places over the name index (`extend`), so the next articles that name one
resolve to it. The overlay leaves the shared index untouched (its maps are chained, not copied), so a
store without user places geoparses exactly as before.
"""
from __future__ import annotations

import hashlib
import json
import math
from collections import ChainMap
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np

from gazetteer import places
from gazetteer.geoparser import Geoparser, default
from gazetteer.index import FUZZY_MIN_LEN, NameIndex, get_index
from gazetteer.mention import Mention

SUFFIX = ".places.jsonl"
KINDS = ("village", "town", "neighbourhood", "landmark", "airbase", "crossing", "mountain", "valley", "region")
ID_PREFIX = "U-"
# A user place is as prominent as an ordinary named village: named in the text, it needs the usual
# evidence (a cue word, a known place nearby) no more and no less than the gazetteer's villages.
PROMINENCE = 0.1


@dataclass(frozen=True)
class UserPlace:
    """One line of the user places file."""

    name_ar: str
    lat: float
    lon: float
    who: str
    at: str
    name_en: str = ""
    aliases: list[str] = field(default_factory=list)
    kind: str = "village"
    place_id: str = ""
    source: str = "user"

    def __post_init__(self) -> None:
        if not self.name_ar.strip() and not self.name_en.strip():
            raise ValueError("a place needs a name")
        if not (math.isfinite(self.lat) and math.isfinite(self.lon) and -90 <= self.lat <= 90
                and -180 <= self.lon <= 180):
            raise ValueError(f"not a point: {self.lat}, {self.lon}")
        if self.kind not in KINDS:
            raise ValueError(f"unknown kind {self.kind!r}; one of {', '.join(KINDS)}")
        if not self.who.strip():
            raise ValueError("a user place needs the name of who added it")
        if not self.place_id:  # stable for the same name at the same point
            digest = hashlib.sha1(f"{self.name_ar}|{self.name_en}|{self.lat:.5f}|{self.lon:.5f}".encode()).hexdigest()
            object.__setattr__(self, "place_id", ID_PREFIX + digest[:10])

    def names(self) -> list[str]:
        """Every name it is known by, Arabic first."""
        return [n for n in dict.fromkeys([self.name_ar, self.name_en, *self.aliases]) if n and n.strip()]

    def to_json(self) -> dict:
        return asdict(self)


def path_for(table: str | Path) -> Path:
    """The user places of an events table: `TABLE.places.jsonl` beside it."""
    table = Path(table)
    return table.with_name(table.name + SUFFIX)


def load(path: Path) -> tuple[list[UserPlace], list[str]]:
    """The places of a user places file (the last line of an id wins), and a problem per unreadable line."""
    if not path.exists():
        return [], []
    found: dict[str, UserPlace] = {}
    problems = []
    with open(path, "rb") as f:
        for n, raw in enumerate(f, 1):
            if not raw.strip():
                continue
            try:
                p = UserPlace(**json.loads(raw.decode("utf-8")))
            except (ValueError, TypeError, UnicodeDecodeError) as e:
                problems.append(f"{path.name} line {n}: not a user place ({type(e).__name__}: {e}); skipped")
                continue
            found[p.place_id] = p
    return list(found.values()), problems


def extend(base: NameIndex, user: list[UserPlace]) -> NameIndex:
    """The name index with the user places as extra rows: their Arabic names (as the index keys them,
    with and without articles and spaces) find them; their admin areas are those of the nearest
    gazetteer place. The base index is not modified."""
    if not user:
        return base
    n = len(base.place_id)
    near = [_nearest(base, p.lat, p.lon) for p in user]
    new_rows: dict[str, set[int]] = {}
    for i, p in enumerate(user):
        for name in (x for x in p.names() if any("\u0621" <= c <= "\u064a" for c in x)):
            for k in places.keys(name):
                for form in {k, k.replace(" ", "")}:
                    if len(form) >= 2:
                        new_rows.setdefault(form, set()).add(n + i)
    rows = {k: tuple(sorted(set(base.rows.get(k, ())) | v)) for k, v in new_rows.items()}
    deletes: dict[str, set[str]] = {}
    for k in rows:
        if " " not in k and len(k) >= FUZZY_MIN_LEN:
            for j in range(len(k)):
                d = k[:j] + k[j + 1:]
                deletes.setdefault(d, set(base.deletes.get(d, ()))).add(k)
    multi = [k.split(" ") for k in rows if " " in k]
    pick = lambda attr: [getattr(base, attr)[r] for r in near]  # noqa: E731
    return replace(
        base,
        place_id=base.place_id + [p.place_id for p in user], name_ar=base.name_ar + [p.name_ar or p.name_en for p in user],
        name_en=base.name_en + [p.name_en or p.name_ar for p in user], kind=base.kind + [p.kind for p in user],
        admin1=base.admin1 + pick("admin1"), admin1_en=base.admin1_en + pick("admin1_en"),
        admin1_ar=base.admin1_ar + pick("admin1_ar"), admin2_en=base.admin2_en + pick("admin2_en"),
        admin2_ar=base.admin2_ar + pick("admin2_ar"),
        lat=np.append(base.lat, [p.lat for p in user]), lon=np.append(base.lon, [p.lon for p in user]),
        prominence=np.append(base.prominence, [PROMINENCE] * len(user)),
        population=np.append(base.population, [0.0] * len(user)),
        is_capital=np.append(base.is_capital, [False] * len(user)), is_seat=np.append(base.is_seat, [False] * len(user)),
        rows=ChainMap(rows, base.rows), deletes=ChainMap({k: tuple(sorted(v)) for k, v in deletes.items()}, base.deletes),
        first_words=base.first_words | {w[0] for w in multi}, max_words=max([base.max_words, *map(len, multi)]),
        primary=ChainMap({k: max(base.primary.get(k, 0.0), PROMINENCE) for k in rows}, base.primary),
    )


def _nearest(idx: NameIndex, lat: float, lon: float) -> int:
    """The gazetteer row closest to a point (degrees, longitude scaled by the latitude's cosine)."""
    return int(np.argmin((idx.lat - lat) ** 2 + ((idx.lon - lon) * math.cos(math.radians(lat))) ** 2))


_current: tuple[tuple, Geoparser] | None = None


def use(path: Path) -> Geoparser:
    """Geoparse with the gazetteer plus the user places of `path` from now on (a build calls this for
    its own store, before forking its workers, which then share it); the default geoparser when the
    file has no places. Re-read only when the file changed."""
    global _current
    try:
        st = path.stat()
        key = (str(path), st.st_mtime_ns, st.st_size)
    except FileNotFoundError:
        key = (str(path), None, 0)
    if _current is None or _current[0] != key:
        user, _ = load(path)
        geoparser = Geoparser(extend(get_index(), user), default().weights) if user else default()
        geoparser("قصف على حماة")  # load everything once, before a build forks its workers
        _current = (key, geoparser)
    return _current[1]


def geoparse(text) -> list[Mention]:
    """`gazetteer.geoparse` with the user places of the store last passed to `use`."""
    return (_current[1] if _current else default()).geoparse(text)
