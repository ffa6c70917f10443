"""The events table as the dashboard sees it: load, prepare, summarise, export.

Pure pandas and no Streamlit, so every rule the user relies on (what the headline figures count,
what the table and the downloads hold) is unit-tested without a browser. The page itself asks the
query layer (`dashboard.query`, DuckDB), which computes the same rules in SQL over a whole store;
here they are written for a pandas table: what the tests compare the query layer with, what shapes
the bounded results it returns (a page of the table, the downloads' chunks) and small tables. The
columns, the event types and the precision codes are the events package's (`events.schema`); the
search key is `events.search`'s: the dashboard never parses Arabic itself. Filtering is
`dashboard.filters`.
"""
from __future__ import annotations

import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from events import review
from events.schema import COLUMNS, NUMERIC_COLUMNS, GeoPrecision, TimePrecision, event_types
from events.search import search_key
from events.tables import csv_safe

ARTICLE_COLUMNS: list[str] = [
    "article_id", "doc", "title", "source", "url", "published", "date_precision", "text", "mentions",
]
# Optional columns shown when a store has them: why the event was placed where it is.
EXPLAIN = "explain"  # the schema column that says why an event is placed where it is
BACKGROUND = "background"
# What the headline sums, by `count_of` (the registry's catch-all "people" is no figure to add up).
HEADLINE_COUNTS: tuple[str, ...] = ("killed", "defectors", "arrested")
TIME_WORDS = {TimePrecision.DAY: "day", TimePrecision.WEEK: "within a week", TimePrecision.MONTH: "month",
              TimePrecision.YEAR: "year or longer"}
GEO_WORDS = {GeoPrecision.PLACE: "named place", GeoPrecision.NEAR: "part of or near a place",
             GeoPrecision.REGION: "governorate or wider"}
# Columns added by `prepare` (never exported): the day, whether dated / located / not background, search key.
DATE, DATED, LOCATED, CURRENT, HAYSTACK = "_date", "_dated", "_located", "_current", "_haystack"
# The table on the page: what a reader scans first, ids last (every other store column follows).
TABLE_FIRST = ["event_date", "event_type", "place", "count", "count_of", "source", "title", "evidence",
               "admin1", "admin2", "time_precision", "geo_precision", BACKGROUND]
TABLE_LAST = ["event_id", "article_id", "doc"]
# The machine's value of every field an analyst may correct, in the downloads (empty where not corrected).
MACHINE_COLUMNS = [f"machine_{c}" for c in review.CORRECTABLE]


@dataclass(frozen=True)
class Headline:
    """The figures above the map, for whatever the filters keep."""

    events: int
    articles: int
    places: int
    totals: dict[str, int]  # count_of -> sum of stated counts (each report once), background excluded
    background: int  # events in view that are background reports (in no total)


def load_store(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Events (its review log applied) and articles of a store, through the events package's readers."""
    events, articles = load_machine(path)
    return with_review(events, *review.read(review.log_path(path))).events, articles


def load_machine(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Events as the build wrote them, prepared, and articles: what one generation of the store holds
    (the app caches it per generation and lays the review log over it)."""
    from events.store import read_store

    events, articles = read_store(path)
    return prepare(events), complete(articles, ARTICLE_COLUMNS)


def prepare(events: pd.DataFrame) -> pd.DataFrame:
    """Give the table every schema column and the derived columns filters need, computed once per load.

    Stores written before `count_of` / `background` existed get them from the type registry / False;
    a table without its review log applied reads as unreviewed.
    """
    df = complete(events, COLUMNS + review.REVIEW_COLUMNS)
    df["review_status"] = df["review_status"].fillna("unreviewed")
    registry = event_types()
    by_type = df["event_type"].map(lambda t: registry[t].count_of if t in registry else None)
    df["count_of"] = df["count_of"].where(df["count_of"].notna(), by_type)
    df[BACKGROUND] = df[BACKGROUND].fillna(False).astype(bool)
    return _derive(df).reset_index(drop=True)


def _derive(df: pd.DataFrame) -> pd.DataFrame:
    """The columns filters need, from the values an analyst may correct (so corrected rows are redone)."""
    df[DATE] = pd.to_datetime(df["event_date"], errors="coerce").dt.normalize()
    df[DATED] = df[DATE].notna()
    df[LOCATED] = df["latitude"].notna() & df["longitude"].notna()
    df[CURRENT] = ~df[BACKGROUND]
    text = df["evidence"].fillna("")
    for col in ("location_ar", "location_en", "admin1", "admin2"):
        text = text + " \n " + df[col].fillna("")
    df[HAYSTACK] = [search_key(t) for t in text]
    return df


def with_review(events: pd.DataFrame, decisions: list[review.Decision], problems: list[str]) -> review.Applied:
    """A prepared table with review decisions applied (`events.review.apply_log`): corrected rows get their
    derived columns again and corrected numbers stay numbers; orphans and unreadable lines are kept."""
    applied = review.apply_log(events, decisions, problems)
    df = applied.events
    for col in review.CORRECTABLE:
        if col in df and df[col].dtype == object and pd.api.types.is_numeric_dtype(events[col]):
            df[col] = pd.to_numeric(df[col], errors="coerce")
    corrected = (df["review_status"] == "corrected").to_numpy()
    if corrected.any():
        df.loc[corrected] = _derive(df.loc[corrected].copy())
    return applied


def complete(df: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Missing columns become all-null (csv/jsonl stores may omit some); extra columns are kept."""
    df = df.copy()
    for col in columns:
        if col not in df.columns:
            df[col] = None
    return df


def headline(view: pd.DataFrame) -> Headline:
    """Figures for the current view: events, distinct articles and places, and per `count_of` the stated
    counts added up. Background reports (history, cumulative totals) are left out of the sums: they
    repeat or sum up what other reports count. A number reported once for several places (`40 soldiers
    from A, B and C defected`) gives one event per place, each with that count: it is added once.
    """
    counted = view.loc[view[CURRENT] & view["count"].notna() & view["count_of"].isin(HEADLINE_COUNTS)]
    reports = counted.drop_duplicates(["article_id", "evidence_start", "count_text", "count", "count_of"])
    sums = reports.groupby("count_of")["count"].sum()
    return Headline(
        events=len(view),
        articles=int(view["article_id"].nunique()),
        places=int(view.loc[view[LOCATED], "place_id"].nunique()),
        totals={c: int(sums.get(c, 0)) for c in HEADLINE_COUNTS},
        background=int(view[BACKGROUND].sum()),
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
    dated = view[view[DATED]]
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


def axis_format(bounds: tuple[date, date] | None) -> tuple[str, str]:
    """Time-axis label format and tick interval that always show the year: months with their year up
    to three years, else one tick a year."""
    if bounds is not None and (bounds[1] - bounds[0]).days <= 3 * 365:
        return "%b %Y", "month"
    return "%Y", "year"


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


def area_counts(view: pd.DataFrame) -> dict[str, dict[str, int]]:
    """Events per governorate (admin1) and district (admin2): the map's area view."""
    return {level: {str(k): int(n) for k, n in view[level].dropna().value_counts().items()}
            for level in ("admin1", "admin2")}


def precision_word(code: object, words: dict) -> str | None:
    """A precision code as words (None for a missing or unknown code)."""
    if code is None or pd.isna(code):
        return None
    return words.get(int(code))  # IntEnum keys hash and compare as their ints


def export_frame(view: pd.DataFrame) -> pd.DataFrame:
    """What the downloads hold: the schema's columns in its order (corrected values where an analyst
    corrected them), the review status, reviewer and time, the machine's values of corrected fields
    (`machine_<field>`), and the precision codes in words as companion columns."""
    out = complete(view, MACHINE_COLUMNS)[COLUMNS + review.REVIEW_COLUMNS + MACHINE_COLUMNS].copy()
    for col in (c for c, kind in NUMERIC_COLUMNS.items() if kind is int):
        try:  # whole numbers written as such (`3`, not `3.0`), however a chunk of the view was typed
            out[col] = pd.to_numeric(out[col], errors="coerce").astype("Int64")
        except (TypeError, ValueError):
            pass
    out.insert(out.columns.get_loc("time_precision") + 1, "time_precision_words",
               [precision_word(c, TIME_WORDS) for c in out["time_precision"]])
    out.insert(out.columns.get_loc("geo_precision") + 1, "geo_precision_words",
               [precision_word(c, GEO_WORDS) for c in out["geo_precision"]])
    return out


def table_frame(view: pd.DataFrame) -> pd.DataFrame:
    """The table on the page: date, type, place, count, source first; precision in words; ids last."""
    df = export_frame(view)
    place = df["location_en"].where(df["location_en"].notna(), df["location_ar"])
    df = df.assign(place=place, time_precision=df.pop("time_precision_words"),
                   geo_precision=df.pop("geo_precision_words"))
    rest = [c for c in df.columns if c not in TABLE_FIRST + TABLE_LAST + MACHINE_COLUMNS]
    return df[TABLE_FIRST + rest + TABLE_LAST].reset_index(drop=True)


def to_csv(view: pd.DataFrame) -> bytes:
    """CSV in UTF-8 with a byte-order mark (Excel then reads the Arabic as Arabic), its cells neutralised
    against formula injection (an article's text may start with `=`)."""
    return csv_of([view])


def csv_of(chunks: Iterable[pd.DataFrame]) -> bytes:
    """`to_csv` of a view that arrives in chunks (the query layer streams large views): one header."""
    out = io.StringIO()
    header = True
    for chunk in chunks:
        csv_safe(export_frame(chunk)).to_csv(out, index=False, header=header)
        header = False
    if header:  # an empty view still gets its header
        csv_safe(export_frame(complete(pd.DataFrame(), COLUMNS + review.REVIEW_COLUMNS))).to_csv(out, index=False)
    return out.getvalue().encode("utf-8-sig")


def to_geojson(view: pd.DataFrame) -> bytes:
    """A GeoJSON FeatureCollection of the view; unlocated events get a null geometry (kept, not dropped)."""
    return geojson_of([view])


def geojson_of(chunks: Iterable[pd.DataFrame]) -> bytes:
    """`to_geojson` of a view that arrives in chunks."""
    features = []
    for chunk in chunks:
        for row in export_frame(chunk).to_dict("records"):
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
