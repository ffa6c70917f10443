"""The events table on disk: Parquet (default), CSV, GeoJSON or JSONL, plus the articles sidecar.

Every write goes to a temporary file in the same folder and is renamed over the target, so a
reader (the dashboard) never sees half a file and a crash never destroys the previous store.
Next to FILE.ext the sidecar FILE.articles.parquet holds one row per article (text and mentions,
for the dashboard's reader view); its article ids are what make rebuilds incremental.
"""
from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from events.schema import COLUMNS, EVENT_SCHEMA, NUMERIC_COLUMNS

FORMATS = ("parquet", "csv", "geojson", "jsonl")
ARTICLE_SCHEMA = pa.schema([
    ("article_id", pa.string()), ("doc", pa.string()), ("title", pa.string()), ("source", pa.string()),
    ("url", pa.string()), ("published", pa.string()), ("date_precision", pa.string()), ("text", pa.string()),
    ("mentions", pa.string()),
])


def sidecar_path(path: Path) -> Path:
    """FILE.ext -> FILE.articles.parquet."""
    return path.with_name(path.stem + ".articles.parquet")


def _atomic(path: Path, write: Callable[[Path], None]) -> None:
    """Run `write` on a temporary file next to `path`, then rename it over `path` (atomic on POSIX)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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


def write_events(table: pa.Table, path: Path, fmt: str) -> None:
    """Write the events table atomically in one of FORMATS."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")

    def write(tmp: Path) -> None:
        if fmt == "parquet":
            pq.write_table(table, tmp)
        elif fmt == "csv":
            table.to_pandas().to_csv(tmp, index=False, encoding="utf-8")
        elif fmt == "jsonl":
            with open(tmp, "w", encoding="utf-8") as f:
                for row in _records(table):
                    f.write(json.dumps(row, ensure_ascii=False) + "\n")
        else:
            with open(tmp, "w", encoding="utf-8") as f:
                json.dump(_geojson(table), f, ensure_ascii=False)

    _atomic(path, write)


def write_articles(table: pa.Table, path: Path) -> None:
    """Write the articles sidecar of the events file `path` atomically."""
    _atomic(sidecar_path(path), lambda tmp: pq.write_table(table, tmp))


def read_events_table(path: Path, fmt: str) -> pa.Table:
    """An events file written by write_events, back as an Arrow table with the events schema."""
    if fmt == "parquet":
        table = pq.read_table(path)
        for c in COLUMNS:  # a store written before a column existed reads with that column empty
            if c not in table.column_names:
                table = table.append_column(c, pa.nulls(table.num_rows, EVENT_SCHEMA.field(c).type))
        return table.select(COLUMNS).cast(EVENT_SCHEMA)
    if fmt == "csv":
        df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
        rows = df.astype(object).where(df.notna(), None).to_dict("records")
    elif fmt == "jsonl":
        with open(path, encoding="utf-8") as f:
            rows = [json.loads(line) for line in f if line.strip()]
    else:
        with open(path, encoding="utf-8") as f:
            rows = [feat["properties"] for feat in json.load(f)["features"]]
    for row in rows:
        for k, f in NUMERIC_COLUMNS.items():
            v = row.get(k)
            if v is None:
                continue
            if f is bool:
                row[k] = v if isinstance(v, bool) else str(v).strip().lower() in ("true", "1")
            else:
                row[k] = f(float(v)) if f is int else f(v)
    return events_table(rows)


def read_articles_table(path: Path) -> pa.Table:
    """The articles sidecar of the events file `path`; empty when there is none (an older store)."""
    side = sidecar_path(path)
    return pq.read_table(side).cast(ARTICLE_SCHEMA) if side.exists() else ARTICLE_SCHEMA.empty_table()


def format_of(path: Path, fmt: str | None = None) -> str:
    """The format asked for, else the one the file name says (.parquet, .csv, .geojson, .jsonl)."""
    if fmt:
        return fmt
    suffix = path.suffix.lower().lstrip(".")
    return {"json": "geojson", "ndjson": "jsonl"}.get(suffix, suffix if suffix in FORMATS else "parquet")


def read_store(path: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(events, articles) DataFrames of a store written by `python -m events build`."""
    path = Path(path)
    events = read_events_table(path, format_of(path)).to_pandas()
    return events, read_articles_table(path).to_pandas()
