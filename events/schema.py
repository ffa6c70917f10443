"""The events table's one owner: the event record, its Arrow schema, the precision codes and the
event-type registry (`events/data/event_types.tsv`).

The extractor, the merger, the store, the exports and the dashboard all read these, so a new
column or event type is declared once. The design's table (DESIGN.md) is the contract.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from enum import IntEnum
from functools import cache
from pathlib import Path
from typing import TypedDict

import pyarrow as pa

DATA = Path(__file__).parent / "data"
# Trigger types that are not events but instruments deciding an event's type (an aircraft makes a
# shelling an airstrike); triggers.tsv may use them besides the registry's types.
INSTRUMENTS = frozenset({"aircraft"})


class TimePrecision(IntEnum):
    """How exactly `event_date` is known."""

    DAY = 1
    WEEK = 2
    MONTH = 3
    YEAR = 4  # a year or longer


class GeoPrecision(IntEnum):
    """How exactly the point locates the event."""

    PLACE = 1  # a named town, village or site
    NEAR = 2  # part of or near a place, or a countryside direction
    REGION = 3  # a governorate or wider


class Event(TypedDict):
    """One row of the events table (DESIGN.md); the order of the fields is the order of the columns."""

    event_id: str
    doc: str
    article_id: str
    title: str | None
    source: str | None
    url: str | None
    event_date: str | None
    time_precision: int | None
    event_type: str
    count: int | None
    count_text: str | None
    count_of: str | None
    actors: str | None
    place_id: str | None
    location_ar: str | None
    location_en: str | None
    kind: str | None
    admin1: str | None
    admin2: str | None
    latitude: float | None
    longitude: float | None
    geo_precision: int | None
    evidence: str
    evidence_start: int
    evidence_end: int
    background: bool
    explain: str | None  # why it is placed where it is: which words tied the place to the trigger


COLUMNS: list[str] = list(Event.__annotations__)
_ARROW_TYPES = {"time_precision": pa.int8(), "count": pa.int64(), "latitude": pa.float64(),
                "longitude": pa.float64(), "geo_precision": pa.int8(), "evidence_start": pa.int64(),
                "evidence_end": pa.int64(), "background": pa.bool_()}
EVENT_SCHEMA = pa.schema([(c, _ARROW_TYPES.get(c, pa.string())) for c in COLUMNS])
NUMERIC_COLUMNS = {c: (float if t == pa.float64() else bool if t == pa.bool_() else int)
                   for c, t in _ARROW_TYPES.items()}


@dataclass(frozen=True, slots=True)
class EventType:
    """One row of the registry (see the header of event_types.tsv)."""

    name: str
    family: str
    role: str
    rank: int
    attack: bool
    one_person: bool
    count_of: str
    max_count: int
    colour: str
    label: str


class Registry(dict):
    """Type name -> its registry row, in rank order, with the names of each role (`by_role`), asked
    for every clause and so made with the registry."""

    def __init__(self, types: list[EventType]):
        super().__init__((t.name, t) for t in sorted(types, key=lambda t: t.rank))
        self.by_role: dict[str, tuple[str, ...]] = {}
        for t in self.values():
            self.by_role[t.role] = (*self.by_role.get(t.role, ()), t.name)


@cache
def event_types(path: Path | None = None) -> Registry:
    """Type name -> its registry row, in rank order (the legend's order)."""
    with open(path or DATA / "event_types.tsv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader([ln for ln in f if ln.strip() and not ln.startswith("#")], delimiter="\t"))
    return Registry([EventType(r["type"], r["family"], r["role"], int(r["rank"]), r["attack"] == "yes",
                               r["one_person"] == "yes", r["count_of"], int(r["max_count"]), r["colour"], r["label"])
                     for r in rows])


def types_with(role: str) -> tuple[str, ...]:
    """Type names of one role (`specific`, `outcome`), best first."""
    return event_types().by_role.get(role, ())
