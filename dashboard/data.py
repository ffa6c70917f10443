"""The events table as the dashboard sees it: load, filter, summarise, export.

Pure pandas and no Streamlit, so every rule the user relies on (what a filter keeps, what the
headline figures count) is unit-tested without a browser. The app caches what these return.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from arabic.normalize import name_key

# The design's event columns, in order: what the table shows and the downloads contain.
EVENT_COLUMNS: list[str] = [
    "event_id", "doc", "article_id", "title", "source", "url", "event_date", "time_precision",
    "event_type", "count", "count_text", "actors", "place_id", "location_ar", "location_en", "kind",
    "admin1", "admin2", "latitude", "longitude", "geo_precision", "evidence", "evidence_start",
    "evidence_end",
]
ARTICLE_COLUMNS: list[str] = [
    "article_id", "doc", "title", "source", "url", "published", "date_precision", "text", "mentions",
]
# Event types whose count is people changing sides: the "defectors reported" headline figure.
DEFECTION_TYPES = frozenset({"defection", "desertion"})
# Columns added by `prepare` (never exported).
DATE, LOCATED, HAYSTACK = "_date", "_located", "_haystack"


@dataclass(frozen=True)
class Filters:
    """What the user asked to see. Empty tuples mean "no restriction", not "nothing"."""

    start: date | None = None
    end: date | None = None
    types: tuple[str, ...] = ()
    governorates: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    search: str = ""
    min_count: int = 0
    include_undated: bool = True
    include_unlocated: bool = True


@dataclass(frozen=True)
class Headline:
    """The figures above the map, for whatever the filters keep."""

    events: int
    defectors: int
    articles: int
    places: int


def load_store(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Events and articles of a store, through the events package's reader (it owns the format)."""
    from events.store import read_store

    events, articles = read_store(path)
    return prepare(events), _complete(articles, ARTICLE_COLUMNS)


def prepare(events: pd.DataFrame) -> pd.DataFrame:
    """Give the table every design column and the derived columns filters need, computed once per load.

    The search haystack is normalised with the gazetteer's `name_key`, so a search for حماة also
    finds حماه and إدلب finds ادلب, as the geoparser would.
    """
    df = _complete(events, EVENT_COLUMNS)
    df[DATE] = pd.to_datetime(df["event_date"], errors="coerce").dt.normalize()
    df[LOCATED] = df["latitude"].notna() & df["longitude"].notna()
    text = (df["evidence"].fillna("") + " \n " + df["location_ar"].fillna("") + " \n "
            + df["location_en"].fillna("") + " \n " + df["admin1"].fillna("") + " \n " + df["admin2"].fillna(""))
    df[HAYSTACK] = [_search_key(t) for t in text]
    return df.reset_index(drop=True)


def _complete(df: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Missing columns become all-null (csv/jsonl stores may omit some); extra columns are kept."""
    df = df.copy()
    for col in columns:
        if col not in df.columns:
            df[col] = None
    return df


def _search_key(text: str) -> str:
    return name_key(text).casefold()


def apply_filters(events: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """The rows of a prepared table that the filters keep (undated/unlocated kept only when asked)."""
    keep = pd.Series(True, index=events.index)
    dated = events[DATE].notna()
    if f.start is not None:
        keep &= ~dated | (events[DATE] >= pd.Timestamp(f.start))
    if f.end is not None:
        keep &= ~dated | (events[DATE] <= pd.Timestamp(f.end))
    if not f.include_undated:
        keep &= dated
    if not f.include_unlocated:
        keep &= events[LOCATED]
    if f.types:
        keep &= events["event_type"].isin(f.types)
    if f.governorates:
        keep &= events["admin1"].isin(f.governorates)
    if f.sources:
        keep &= events["source"].isin(f.sources)
    if f.min_count > 0:
        keep &= events["count"].fillna(-1) >= f.min_count
    if f.search.strip():
        keep &= events[HAYSTACK].str.contains(_search_key(f.search.strip()), regex=False)
    return events[keep]


def headline(view: pd.DataFrame) -> Headline:
    """Figures for the current view: events, defectors reported, distinct articles and places.

    A number reported once for several places (`40 soldiers from A, B and C defected`) gives one
    event per place, each with that count: it is added once, not once per place.
    """
    defecting = view.loc[view["event_type"].isin(DEFECTION_TYPES) & view["count"].notna()]
    reports = defecting.drop_duplicates(["article_id", "evidence_start", "count_text", "count"])
    return Headline(
        events=len(view),
        defectors=int(reports["count"].sum()),
        articles=int(view["article_id"].nunique()),
        places=int(view.loc[view[LOCATED], "place_id"].nunique()),
    )


def date_bounds(events: pd.DataFrame) -> tuple[date, date] | None:
    """First and last event date of a table, or None when no event is dated."""
    dates = events[DATE].dropna()
    if dates.empty:
        return None
    return dates.min().date(), dates.max().date()


def choices(events: pd.DataFrame, column: str) -> list[str]:
    """The distinct non-empty values of a column, sorted: the options of a filter widget."""
    return sorted(str(v) for v in events[column].dropna().unique() if str(v).strip())


def timeline(view: pd.DataFrame, freq: str) -> pd.DataFrame:
    """Events per period and type (dated events only): columns period (Timestamp), event_type, events.

    freq is a pandas period alias ("W" or "M"); periods are labelled by their first day.
    """
    dated = view[view[DATE].notna()]
    if dated.empty:
        return pd.DataFrame({"period": pd.Series(dtype="datetime64[ns]"), "event_type": [], "events": []})
    period = dated[DATE].dt.to_period(freq).dt.start_time
    counts = dated.groupby([period.rename("period"), dated["event_type"].fillna("other")]).size()
    return counts.rename("events").reset_index()


def timeline_freq(bounds: tuple[date, date] | None) -> str:
    """Weekly bars for spans up to two years, monthly beyond (keeps the chart at < ~170 bars)."""
    if bounds is None or (bounds[1] - bounds[0]).days <= 730:
        return "W"
    return "M"


def event_by_id(events: pd.DataFrame, event_id: str | None) -> pd.Series | None:
    """The row of one event, or None when there is no such id (a stale or hand-edited URL)."""
    if not event_id:
        return None
    match = events[events["event_id"] == event_id]
    return None if match.empty else match.iloc[0]


def same_place(events: pd.DataFrame, event: pd.Series) -> pd.DataFrame:
    """All events at the place of `event` (same place id, or same coordinates when ids are missing)."""
    if pd.notna(event.get("place_id")):
        mask = events["place_id"] == event["place_id"]
    elif pd.notna(event.get("latitude")):
        mask = (events["latitude"] == event["latitude"]) & (events["longitude"] == event["longitude"])
    else:
        return events.iloc[0:0]
    return events[mask].sort_values(DATE, na_position="last")


def same_article(events: pd.DataFrame, event: pd.Series) -> pd.DataFrame:
    """The other events reported by the article of `event`, in reading order."""
    mask = (events["article_id"] == event["article_id"]) & (events["event_id"] != event["event_id"])
    return events[mask].sort_values("evidence_start", na_position="last")


def export_frame(view: pd.DataFrame) -> pd.DataFrame:
    """The view with the design's columns only, in their order (what the downloads contain)."""
    return view[EVENT_COLUMNS]


def to_csv(view: pd.DataFrame) -> bytes:
    return export_frame(view).to_csv(index=False).encode("utf-8")


def to_geojson(view: pd.DataFrame) -> bytes:
    """A GeoJSON FeatureCollection of the view; unlocated events get a null geometry (kept, not dropped)."""
    features = []
    for row in export_frame(view).to_dict("records"):
        props = {k: _json_value(v) for k, v in row.items()}
        lat, lon = props["latitude"], props["longitude"]
        geometry = {"type": "Point", "coordinates": [lon, lat]} if lat is not None and lon is not None else None
        features.append({"type": "Feature", "geometry": geometry, "properties": props})
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False).encode("utf-8")


def _json_value(v: object) -> object:
    """NaN/NaT/NA -> None, dates -> ISO strings, numpy scalars -> Python, so json.dumps accepts every cell."""
    if isinstance(v, (list, dict)):
        return v
    if v is None or pd.isna(v):
        return None
    if isinstance(v, (pd.Timestamp, date)):
        return v.isoformat()[:10]
    if hasattr(v, "item"):
        return v.item()
    return v
