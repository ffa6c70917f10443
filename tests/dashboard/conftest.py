"""Shared fixtures: small events tables written by hand, and synthetic stores on disk."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from dashboard import data, query
from events.schema import COLUMNS
from tests.dashboard.synthetic import make_store, places, write_store


def event(**fields) -> dict:
    """One event row with every design column; fields given override the neutral defaults."""
    row = {c: None for c in COLUMNS}
    row.update(event_id="e", doc="a.txt", article_id="a", source="Outlet", event_type="other",
               event_date="2015-06-01", time_precision=1, evidence="", evidence_start=0, evidence_end=0)
    row.update(fields)
    return row


def table(*rows: dict) -> pd.DataFrame:
    """A prepared events table (as the app holds it) from event() rows."""
    df = pd.DataFrame(list(rows), columns=COLUMNS)
    for col in ("count", "latitude", "longitude"):
        df[col] = df[col].astype(float)
    return data.prepare(df)


def store(*rows: dict, decisions: tuple = ()) -> query.Store:
    """The query layer over event() rows, as a store holding them reads (with these review decisions)."""
    df = pd.DataFrame(list(rows), columns=COLUMNS)
    for col in ("count", "latitude", "longitude"):
        df[col] = df[col].astype(float)
    return query.Store(query.Generation.from_table(df), list(decisions), [])


@pytest.fixture(scope="session")
def synthetic_store(tmp_path_factory) -> Path:
    """A 60-event store at 20 real gazetteer places (so places repeat), some undated and unlocated."""
    path = tmp_path_factory.mktemp("store") / "events.parquet"
    twenty = places().sample(20, random_state=7)
    return write_store(path, *make_store(60, seed=7, undated=0.1, unlocated=0.1, place_table=twenty))
