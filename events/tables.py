"""The events and articles tables as Arrow tables and as files: Parquet, CSV, GeoJSON or JSONL.

These are the formats only; where a store keeps its files and how it commits them is events.store.
CSV cells that a spreadsheet would run as a formula are neutralised on the way out (OWASP's advice
against CSV injection) and restored on the way back in, so a CSV store still round-trips exactly.
"""
from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from events.plausible import INT_RANGES
from events.schema import COLUMNS, EVENT_SCHEMA, NUMERIC_COLUMNS

FORMATS = ("parquet", "csv", "geojson", "jsonl")
ARTICLE_SCHEMA = pa.schema([
    ("article_id", pa.string()), ("doc", pa.string()), ("title", pa.string()), ("source", pa.string()),
    ("url", pa.string()), ("published", pa.string()), ("date_precision", pa.string()), ("text", pa.string()),
    ("mentions", pa.string()),
])
# What makes a spreadsheet read a cell as a formula (OWASP "CSV Injection"): = + - @, tab and CR.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """A text cell no spreadsheet runs: a leading `'` before = + - @ tab or CR. A cell that already
    starts with `'` gets one more, so that `restore` gives back exactly what was written."""
    return "'" + value if value.startswith((*FORMULA_STARTS, "'")) else value


def restore(value: str) -> str:
    """The cell `neutralise` was given."""
    return value[1:] if value.startswith("'") else value


def csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells are neutralised, for any CSV export (the dashboard's too)."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(lambda v: neutralise(v) if isinstance(v, str) else v)
    return out


def _clean(value):
    """A cell as plain JSON: NaN and NA become None, NumPy scalars Python ones."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def _records(table: pa.Table) -> list[dict]:
    """Rows of a table as plain-JSON dicts."""
    return [{k: _clean(v) for k, v in row.items()} for row in table.to_pylist()]


def events_table(rows: list[dict]) -> pa.Table:
    """Rows (dicts with COLUMNS) -> an Arrow table with the events schema."""
    return pa.Table.from_pylist([{c: r.get(c) for c in COLUMNS} for r in rows], schema=EVENT_SCHEMA)


def articles_table(rows: list[dict]) -> pa.Table:
    """Article rows (Article fields plus `mentions` JSON) -> an Arrow table with the sidecar schema."""
    return pa.Table.from_pylist([{c: r.get(c) for c in ARTICLE_SCHEMA.names} for r in rows], schema=ARTICLE_SCHEMA)


def _geojson(table: pa.Table) -> dict:
    """Points with every column as a property; unlocated events have a null geometry."""
    features = []
    for row in _records(table):
        lat, lon = row["latitude"], row["longitude"]
        geometry = {"type": "Point", "coordinates": [lon, lat]} if lat is not None and lon is not None else None
        features.append({"type": "Feature", "id": row["event_id"], "geometry": geometry, "properties": row})
    return {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
            "features": features}


def write_events_file(table: pa.Table, path: Path, fmt: str) -> None:
    """Write the events table to `path` in one of FORMATS (not atomically: callers write to a new name)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "parquet":
        pq.write_table(table, path)
    elif fmt == "csv":
        frame = table.to_pandas()
        text = [c for c in COLUMNS if c not in NUMERIC_COLUMNS]
        frame[text] = csv_safe(frame[text])
        frame.to_csv(path, index=False, encoding="utf-8")
    elif fmt == "jsonl":
        with open(path, "w", encoding="utf-8") as f:
            for row in _records(table):
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
    else:
        with open(path, "w", encoding="utf-8") as f:
            json.dump(_geojson(table), f, ensure_ascii=False)


def _number(value, column: str) -> int | float | bool | None:
    """A numeric cell of a text format as its column's type; None when it cannot be one (an int beyond
    the column's range, infinity, NaN, garbage): one bad cell of a hand-edited file does not make the
    store unreadable."""
    kind = NUMERIC_COLUMNS[column]
    if kind is bool:
        return value if isinstance(value, bool) else str(value).strip().lower() in ("true", "1")
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(number):
        return None
    if kind is int:
        exact = int(value) if isinstance(value, int) or str(value).strip().lstrip("-").isdigit() else int(number)
        low, high = INT_RANGES[column]
        return exact if low <= exact <= high else None
    return number


def read_events_table(path: Path, fmt: str) -> pa.Table:
    """An events file written by write_events_file, back as an Arrow table with the events schema."""
    if fmt == "parquet":
        table = pq.read_table(path)
        for c in COLUMNS:  # a store written before a column existed reads with that column empty
            if c not in table.column_names:
                table = table.append_column(c, pa.nulls(table.num_rows, EVENT_SCHEMA.field(c).type))
        return table.select(COLUMNS).cast(EVENT_SCHEMA)
    if fmt == "csv":
        df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
        rows = df.astype(object).where(df.notna(), None).to_dict("records")
        for row in rows:
            for k, v in row.items():
                if k not in NUMERIC_COLUMNS and isinstance(v, str):
                    row[k] = restore(v)
    elif fmt == "jsonl":
        with open(path, encoding="utf-8") as f:
            rows = [json.loads(line) for line in f if line.strip()]
    else:
        with open(path, encoding="utf-8") as f:
            rows = [feat["properties"] for feat in json.load(f)["features"]]
    for row in rows:
        for k in NUMERIC_COLUMNS:
            if row.get(k) is not None:
                row[k] = _number(row[k], k)
    return events_table(rows)


def read_articles_file(path: Path) -> pa.Table:
    """An articles table written as Parquet, with the sidecar schema."""
    return pq.read_table(path).cast(ARTICLE_SCHEMA)


def format_of(path: Path, fmt: str | None = None) -> str:
    """The format asked for, else the one the file name says (.parquet, .csv, .geojson, .jsonl)."""
    if fmt:
        return fmt
    suffix = path.suffix.lower().lstrip(".")
    return {"json": "geojson", "ndjson": "jsonl"}.get(suffix, suffix if suffix in FORMATS else "parquet")
