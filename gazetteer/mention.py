"""The geoparser's output record: one resolved place mention in a text.

Its JSON form is the contract in DESIGN.md (`python -m gazetteer geoparse --jsonl`), which
other tools read, so field names and meanings must not drift.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, fields


JSON_FIELDS = ("start", "end", "text", "place_id", "name_ar", "name_en", "kind", "admin1", "lat", "lon", "score",
               "admin2", "admin1_ar", "admin2_ar", "geo_precision")


# A quarter or landmark the geoparser composes inside a town has the town's id, a tag and a digest
# (`C2528-nb-3f2a91c0`, gazetteer.compose.composed_id): its town can be read back from the id.
COMPOSED_TAGS = {"neighbourhood": "nb", "landmark": "lm"}
_COMPOSED = re.compile(rf"(.+)-(?:{'|'.join(COMPOSED_TAGS.values())})-[0-9a-f]+")


def anchor_of(place_id: str | None) -> str | None:
    """The town of a composed quarter or landmark (`C2321-lm-6b80c3eb` is in C2321), else None."""
    m = _COMPOSED.fullmatch(place_id or "")
    return m.group(1) if m else None


@dataclass(frozen=True, slots=True)
class Mention:
    """A place found in a text; `start`/`end` index the ORIGINAL text, so text == original[start:end]."""

    start: int
    end: int
    text: str
    place_id: str
    name_ar: str
    name_en: str
    kind: str
    admin1: str | None
    lat: float
    lon: float
    score: float
    admin2: str | None = None
    admin1_ar: str | None = None
    admin2_ar: str | None = None
    nstart: int = -1  # the same span in the normalised text of the article's Doc (not part of the JSON)
    nend: int = -1
    geo_precision: int = 0  # 2 for a place found inside or near a town (composed, at the town's point); 0: from kind
    why: tuple[tuple[str, float], ...] = ()  # the top features behind the score (`--explain`), largest first

    def to_json(self) -> dict:
        """The JSON object of the design's contract (plus admin2 fields, which consumers may ignore)."""
        d = {name: getattr(self, name) for name in JSON_FIELDS}  # asdict() deep-copies: slower
        d["lat"] = round(self.lat, 5)
        d["lon"] = round(self.lon, 5)
        d["score"] = round(self.score, 3)
        return d

    def explain_json(self) -> dict:
        """to_json() plus `why`: the features that weighed most in the score."""
        d = self.to_json()
        d["why"] = [[name, round(v, 3)] for name, v in self.why]
        return d


def make_mention(values: tuple) -> Mention:
    """`Mention(*values)`, every field given in order, made without the frozen class's `__setattr__` call per
    field (the geoparser makes one for every place of every article): each slot is set directly."""
    (start, end, text, place_id, name_ar, name_en, kind, admin1, lat, lon, score, admin2, admin1_ar, admin2_ar,
     nstart, nend, geo_precision, why) = values
    m = _new(Mention)
    _start(m, start)
    _end(m, end)
    _text(m, text)
    _place_id(m, place_id)
    _name_ar(m, name_ar)
    _name_en(m, name_en)
    _kind(m, kind)
    _admin1(m, admin1)
    _lat(m, lat)
    _lon(m, lon)
    _score(m, score)
    _admin2(m, admin2)
    _admin1_ar(m, admin1_ar)
    _admin2_ar(m, admin2_ar)
    _nstart(m, nstart)
    _nend(m, nend)
    _geo_precision(m, geo_precision)
    _why(m, why)
    return m


_new = object.__new__
(_start, _end, _text, _place_id, _name_ar, _name_en, _kind, _admin1, _lat, _lon, _score, _admin2, _admin1_ar,
 _admin2_ar, _nstart, _nend, _geo_precision, _why) = (getattr(Mention, f.name).__set__ for f in fields(Mention))
