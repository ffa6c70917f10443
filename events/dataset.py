"""The partitioned store: a store that grows instead of being rewritten, for large corpora.

It is a generation store (events.store: one link as the commit point, the write lock, recovery on
open, `check`) whose generation holds a Parquet dataset instead of two files:

    my.parquet                       a link to the current generation's events folder
    my.parquet.store/gen-000007/
        events/month=2019-07/part-<build>.parquet     events of articles published that month
        articles/month=2019-07/part-<build>.parquet   those articles (text, metadata, mentions)
        manifest.json                                 every part file: rows, bytes, checksum
    my.parquet.store/stage-<build>/  a running build's rows, streamed as they are produced (its own lock)

A build streams its rows into part files of its stage folder (Parquet row groups, a bounded buffer per
month); its commit makes a new generation of hard links to the current one's part files plus its
own staged files, moved in, then renames the link. So a commit writes only the new articles' rows and
a link per existing file; nothing already stored is read or rewritten (the ids of stored articles are
read from the `article_id` column alone, never the texts), and a reader sees the old dataset or the new
one, never a part of a build. Superseded generations go as before: a part file lives as long as a
generation links it.

`my.parquet` reads as a dataset in other tools: `pandas.read_parquet("my.parquet")`, DuckDB
`read_parquet('my.parquet/*/*.parquet', hive_partitioning = true)` (see `dataset_glob`).
"""
from __future__ import annotations

import json
import os
import re
import shutil
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from events.schema import COLUMNS, EVENT_SCHEMA
from events.tables import ARTICLE_SCHEMA, articles_table, events_table

LAYOUT = "partitioned"
UNKNOWN_MONTH = "unknown"
SCHEMAS = {"events": EVENT_SCHEMA, "articles": ARTICLE_SCHEMA}
_MONTH = re.compile(r"\d{4}-\d{2}")
# A month's buffered rows are written as one row group when it holds this many articles (or the
# buffers of all months this many bytes): memory stays bounded whatever the batch's size.
GROUP_ARTICLES = 500
BUFFER_BYTES = 64 * 2**20


def month_of(published: str | None) -> str:
    """The partition of an article: its publication month (YYYY-MM), or `unknown`."""
    return published[:7] if published and _MONTH.match(published[:7]) else UNKNOWN_MONTH


def is_partitioned(manifest: dict) -> bool:
    return manifest.get("layout") == LAYOUT


def part_files(gen: Path, manifest: dict, part: str) -> list[Path]:
    """The Parquet files of one part ("events" or "articles") of a partitioned generation."""
    return [gen / part / f["path"] for f in manifest["files"][part]["parts"]]


def read_part(files: Iterable[Path], part: str, columns: list[str] | None = None) -> pa.Table:
    """The rows of some part files as one table with the part's schema (or just `columns`)."""
    schema = SCHEMAS[part]
    if columns is not None:
        schema = pa.schema([schema.field(c) for c in columns])
    tables = [pq.read_table(f, columns=schema.names).cast(schema) for f in files]
    return pa.concat_tables(tables) if tables else schema.empty_table()


class IdIndex:
    """The ids of the stored articles, for an incremental build: a sorted array of 64-bit numbers (the ids
    are 16 hex digits), 8 bytes an article, or a set for ids of another shape. Picklable, so a Dask build
    ships it to its workers once."""

    def __init__(self, ids: Iterable[str] = ()) -> None:
        ids = list(ids)
        try:
            if not all(len(i) == 16 for i in ids):
                raise ValueError
            self._keys = np.unique(np.array([int(i, 16) for i in ids], dtype=np.uint64))
            self._other: set[str] | frozenset[str] = frozenset()
        except ValueError:
            self._keys = np.empty(0, dtype=np.uint64)
            self._other = set(ids)

    def __contains__(self, article_id: str) -> bool:
        if self._other:
            return article_id in self._other
        try:
            key = np.uint64(int(article_id, 16)) if len(article_id) == 16 else None
        except ValueError:
            return False
        if key is None:
            return False
        i = int(np.searchsorted(self._keys, key))
        return i < len(self._keys) and self._keys[i] == key

    def __len__(self) -> int:
        return len(self._keys) + len(self._other)


def stored_ids(gen: Path, manifest: dict) -> IdIndex:
    """The ids of a partitioned generation's articles, read from their id column alone."""
    files = part_files(gen, manifest, "articles")
    return IdIndex(read_part(files, "articles", ["article_id"]).column("article_id").to_pylist())


def _months(articles: pa.Table, events: pa.Table) -> tuple[list[str], list[str]]:
    """The partition of each article row, and of each event row (its article's)."""
    art_months = [month_of(p) for p in articles.column("published").to_pylist()]
    by_id = dict(zip(articles.column("article_id").to_pylist(), art_months))
    ev_months = [by_id.get(i, UNKNOWN_MONTH) for i in events.column("article_id").to_pylist()]
    return art_months, ev_months


def split_by_month(events: pa.Table, articles: pa.Table) -> dict[str, tuple[pa.Table, pa.Table]]:
    """{month: (its events, its articles)}; events whose article is not in `articles` go to `unknown`."""
    events, articles = events.combine_chunks(), articles.combine_chunks()  # filtering many chunks is slow
    art_months, ev_months = _months(articles, events)
    a_months, e_months = pa.array(art_months, pa.string()), pa.array(ev_months, pa.string())
    return {month: (events.filter(pc.equal(e_months, month)), articles.filter(pc.equal(a_months, month)))
            for month in sorted(set(art_months) | set(ev_months))}


class StageWriter:
    """A build's rows streamed into Parquet part files under its stage folder, one file per part and
    month, a row group whenever a month's buffer is full: memory holds a bounded buffer, not the batch."""

    def __init__(self, folder: Path, build_id: str) -> None:
        self.folder = folder
        self.build_id = build_id
        self._buffers: dict[str, list[tuple[pa.Table, pa.Table]]] = defaultdict(list)
        self._buffered_articles: dict[str, int] = defaultdict(int)
        self._bytes = 0
        self._writers: dict[tuple[str, str], pq.ParquetWriter] = {}
        self.rows = {"events": 0, "articles": 0}

    def add(self, events: pa.Table, articles: pa.Table) -> None:
        """Rows of some articles (and their events)."""
        if not articles.num_rows:
            return
        months = split_by_month(events, articles) if articles.num_rows > 1 else \
            {month_of(articles.column("published")[0].as_py()): (events, articles)}
        for month, (ev, art) in months.items():
            self._buffers[month].append((ev, art))
            self._buffered_articles[month] += art.num_rows
            self._bytes += ev.nbytes + art.nbytes
            if self._buffered_articles[month] >= GROUP_ARTICLES:
                self._flush(month)
        if self._bytes > BUFFER_BYTES:
            for month in list(self._buffers):
                self._flush(month)

    def _flush(self, month: str) -> None:
        pairs = self._buffers.pop(month, [])
        self._buffered_articles.pop(month, None)
        if not pairs:
            return
        for i, part in enumerate(("events", "articles")):
            table = pa.concat_tables([p[i] for p in pairs])
            self._bytes -= table.nbytes
            if not table.num_rows and (part, month) in self._writers:
                continue
            writer = self._writers.get((part, month))
            if writer is None:
                path = self.folder / part / f"month={month}" / f"part-{self.build_id}.parquet"
                path.parent.mkdir(parents=True, exist_ok=True)
                writer = self._writers[(part, month)] = pq.ParquetWriter(path, SCHEMAS[part])
            writer.write_table(table)
            self.rows[part] += table.num_rows
        self._bytes = max(self._bytes, 0)

    def close(self) -> dict[str, list[str]]:
        """Flush and close every file; {part: [paths relative to the part folder]}."""
        for month in list(self._buffers):
            self._flush(month)
        files: dict[str, list[str]] = {"events": [], "articles": []}
        for (part, month), writer in sorted(self._writers.items()):
            writer.close()
            files[part].append(f"month={month}/part-{self.build_id}.parquet")
        self._writers.clear()
        return files


def write_rows(folder: Path, build_id: str, events: pa.Table, articles: pa.Table) -> dict[str, list[str]]:
    """Whole tables as staged part files (a migration, a `check` repair, a copy)."""
    for month, (ev, art) in split_by_month(events, articles).items():
        for part, table in (("events", ev), ("articles", art)):
            path = folder / part / f"month={month}" / f"part-{build_id}.parquet"
            path.parent.mkdir(parents=True, exist_ok=True)
            pq.write_table(table, path, row_group_size=64 * 1024)
    return {part: sorted(str(p.relative_to(folder / part)) for p in (folder / part).glob("month=*/*.parquet"))
            for part in ("events", "articles")}


def drop_articles(folder: Path, files: dict[str, list[str]], ids: set[str]) -> None:
    """Remove the rows of articles `ids` (and their events) from staged files: articles another build
    committed while this one ran. Rewrites only the staged files that hold such rows."""
    if not ids:
        return
    key = pa.array(sorted(ids), pa.string())
    for part, names in files.items():
        for name in names:
            path = folder / part / name
            table = pq.read_table(path).cast(SCHEMAS[part])
            keep = pc.invert(pc.is_in(table.column("article_id"), key))
            if pc.sum(keep).as_py() != table.num_rows:
                pq.write_table(table.filter(keep), path)


def file_entry(path: Path, rel: str, digest) -> dict:
    return {"path": rel, "rows": pq.ParquetFile(path).metadata.num_rows, "bytes": path.stat().st_size,
            "sha256": digest(path)}


def assemble(gen: Path, previous: tuple[Path, dict] | None, stage: Path, staged: dict[str, list[str]],
             digest, fsync) -> dict:
    """Fill the new generation folder `gen`: hard links to the previous generation's part files (none
    when `previous` is None: a rebuild or a new store) and the staged files moved in. Returns the
    manifest's "files" entry."""
    files = {}
    for part in ("events", "articles"):
        entries = []
        if previous is not None:
            old_gen, old_manifest = previous
            for entry in old_manifest["files"][part]["parts"]:
                dst = gen / part / entry["path"]
                dst.parent.mkdir(parents=True, exist_ok=True)
                try:
                    os.link(old_gen / part / entry["path"], dst)
                except OSError:  # a filesystem without hard links: a copy, same content
                    shutil.copy2(old_gen / part / entry["path"], dst)
                entries.append(entry)
        for rel in staged.get(part, []):
            src, dst = stage / part / rel, gen / part / rel
            if pq.ParquetFile(src).metadata.num_rows == 0:
                continue
            dst.parent.mkdir(parents=True, exist_ok=True)
            fsync(src)
            os.replace(src, dst)
            entries.append(file_entry(dst, rel, digest))
        for folder in {(gen / part / e["path"]).parent for e in entries}:
            fsync(folder)
        (gen / part).mkdir(parents=True, exist_ok=True)
        fsync(gen / part)
        files[part] = {"name": part, "rows": sum(e["rows"] for e in entries), "parts": entries}
    return files


def dataset_manifest(files: dict, build_id: str, created: str, replaces: list[str]) -> str:
    return json.dumps({"format": "parquet", "layout": LAYOUT, "build": build_id, "created": created,
                       "files": files, "replaces": replaces}, indent=1)


def read_tables(gen: Path, manifest: dict) -> tuple[pa.Table, pa.Table]:
    """(events, articles) of a partitioned generation, whole (for small stores and `check`)."""
    events = read_part(part_files(gen, manifest, "events"), "events").select(COLUMNS)
    return events, read_part(part_files(gen, manifest, "articles"), "articles")


def empty() -> tuple[pa.Table, pa.Table]:
    return events_table([]), articles_table([])
