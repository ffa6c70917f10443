"""The geoparser's output record: one resolved place mention in a text.

Its JSON form is the contract in DESIGN.md (`python -m gazetteer geoparse --jsonl`), which
other tools read, so field names and meanings must not drift.
"""
from __future__ import annotations

from dataclasses import dataclass


JSON_FIELDS = ("start", "end", "text", "place_id", "name_ar", "name_en", "kind", "admin1", "lat", "lon", "score",
               "admin2", "admin1_ar", "admin2_ar")


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

    def to_json(self) -> dict:
        """The JSON object of the design's contract (plus admin2 fields, which consumers may ignore)."""
        d = {name: getattr(self, name) for name in JSON_FIELDS}  # asdict() deep-copies: slower
        d["lat"] = round(self.lat, 5)
        d["lon"] = round(self.lon, 5)
        d["score"] = round(self.score, 3)
        return d
