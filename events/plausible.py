"""Plausibility of what extraction and metadata produce: counts, dates and numbers that fit their columns.

A number the text cannot mean (a 19-digit "count" next to a people noun, a date in year 1 or 2999)
must not reach the table: it overflows Arrow's int64, turns the dashboard's headline negative or
stretches the timeline over centuries. Such a value is dropped from its field (the phrase that
produced it stays in `count_text` / the evidence, so a reader still sees what was written), never
the whole event or article, and the reason is logged in the store's rejects log.
"""
from __future__ import annotations

import datetime as dt
import math

import pyarrow as pa
import pyarrow.compute as pc

from events.schema import EVENT_SCHEMA, event_types

DATE_MIN = dt.date(1990, 1, 1)
# The most people one reported event (or a reported total) can plausibly involve, by what the count
# counts (the registry's count_of): about the whole pre-war army for defectors, a million for
# casualties and arrests (reported war totals stay below it), Syria's population for "people".
COUNT_CAPS = {"defectors": 500_000, "killed": 1_000_000, "wounded": 1_000_000, "arrested": 1_000_000,
              "people": 25_000_000}
INT_RANGES = {f.name: (-(2 ** (f.type.bit_width - 1)), 2 ** (f.type.bit_width - 1) - 1)
               for f in EVENT_SCHEMA if pa.types.is_integer(f.type)}
_FLOATS = [f.name for f in EVENT_SCHEMA if pa.types.is_floating(f.type)]


def date_max() -> dt.date:
    """The latest plausible date: tomorrow (a source in another time zone may be a day ahead)."""
    return dt.date.today() + dt.timedelta(days=1)


def date_problem(value: dt.date | str | None) -> str | None:
    """Why an (ISO) date is not plausible for a reported event or a publication, or None if it is."""
    if value is None:
        return None
    try:
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return f"{value!r} is not an ISO date"
    if not DATE_MIN <= day <= date_max():
        return f"{day.isoformat()} outside {DATE_MIN.isoformat()}..{date_max().isoformat()}"
    return None


def count_cap(event_type: str | None, count_of: str | None) -> int:
    """The largest plausible count for an event of this type counting `count_of`."""
    kind = count_of or (event_types()[event_type].count_of if event_type in event_types() else "people")
    return COUNT_CAPS.get(kind, COUNT_CAPS["people"])


def check_event(row: dict) -> list[str]:
    """Drop the implausible values of one event row in place; the reasons, one per dropped value."""
    notes = []
    count, cap = row.get("count"), count_cap(row.get("event_type"), row.get("count_of"))
    if isinstance(count, int) and not 0 <= count <= cap:
        notes.append(f"implausible count {count} for {row.get('event_type')} (cap {cap:,}): count dropped, "
                     f"phrase {row.get('count_text')!r} kept (event {row.get('event_id')})")
        row["count"] = None
    if (why := date_problem(row.get("event_date"))) is not None:
        notes.append(f"event date {why}: date dropped (event {row.get('event_id')})")
        row["event_date"] = row["time_precision"] = None
    for col, (low, high) in INT_RANGES.items():
        value = row.get(col)
        if value is not None and not (isinstance(value, int) and low <= value <= high):
            notes.append(f"{col} {value!r} does not fit the column: dropped (event {row.get('event_id')})")
            row[col] = None
    for col in _FLOATS:
        value = row.get(col)
        if value is not None and not (isinstance(value, (int, float)) and math.isfinite(value)):
            notes.append(f"{col} {value!r} is not a finite number: dropped (event {row.get('event_id')})")
            row[col] = None
    return notes


def clean_table(table: pa.Table) -> tuple[pa.Table, int]:
    """(the events table with implausible counts and dates nulled, how many values were nulled):
    a store written by older code or by hand never hands the dashboard a count to overflow on."""
    caps = pa.array([count_cap(t, c) for t, c in zip(table.column("event_type").to_pylist(),
                                                    table.column("count_of").to_pylist())], pa.int64())
    count = table.column("count")
    bad_count = pc.fill_null(pc.or_(pc.less(count, 0), pc.greater(count, caps)), False)
    dates = table.column("event_date")
    low, high = DATE_MIN.isoformat(), date_max().isoformat()
    day = pc.utf8_slice_codeunits(dates, 0, 10)
    bad_date = pc.fill_null(pc.or_(pc.less(day, low), pc.greater(day, high)), False)
    nulled = pc.sum(bad_count).as_py() or 0
    nulled += pc.sum(bad_date).as_py() or 0
    if not nulled:
        return table, 0
    for col, bad in (("count", bad_count), ("event_date", bad_date), ("time_precision", bad_date)):
        column = table.column(col)
        i = table.column_names.index(col)
        table = table.set_column(i, col, pc.if_else(bad, pa.nulls(len(column), column.type), column))
    return table, nulled
