"""The events as DuckDB queries: every figure the page shows is computed where the rows are.

A store generation is read once per server into an in-memory DuckDB table (`Generation`): the
schema's columns as `events.store.load` gives them (implausible counts and dates hidden), prepared as
`data.prepare` prepares them (the registry's `count_of`, `background`, unreviewed), and the columns the
filters read (`_date`, `_dated`, `_located`, `_current`, the search key `_haystack`, and `_row`, the
row's place in the store), plus integer keys the figures group and count by (KEYS). The table lives
in a compressed in-memory database (about 250 MB for a million events). The review log is laid over
it (`Store`, one per generation and log version): the reviewed rows alone go through
`data.with_review` (so `events.review.apply_log` decides, as everywhere else) into a small overlay
table that replaces them in a view. The articles stay in the store's Parquet files: the detail panel
reads one by id.

Each figure is one query over the rows a `Filters` keeps (`filters.SPECS`' predicates, values bound):
the headline, the toggles' counts, the timeline, the legend, the map's points or per-place bubbles,
the feed, the areas, a page of the table, one event, the panel's lists, the next unreviewed event.
Results are bounded (a page, a few thousand points), come back as Python values or small DataFrames,
and are memoised per filter setting, so a rerun that changes no filter (a click, a pan) queries only
what changed. The connection is shared by every session (one copy of the rows per server); each
query runs on a cursor of its own, since a DuckDB connection is not thread-safe but its cursors are.
"""
from __future__ import annotations

import itertools
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from dashboard import data, filters
from dashboard.data import BACKGROUND, CURRENT, DATE, DATED, HAYSTACK, HEADLINE_COUNTS, LOCATED, MACHINE_COLUMNS
from dashboard.filters import SPECS, TOGGLE_COLUMNS, TOGGLES_ON, Filters, Predicate, Toggle, ident
from dashboard.keys import SEP, joined_keys
from events import review
from events.plausible import DATE_MIN, count_cap, date_max
from events.schema import COLUMNS, EVENT_SCHEMA, event_types
from events.search import search_key
from events.store import EMPTY, StoreError, parquet_files, read_snapshot, recover_if_free

log = logging.getLogger(__name__)
ROW = "_row"  # the row's place in the store: the table's order, and the tie-breaker of every sort
DB = "ev"  # the compressed in-memory database of a generation's tables (`connect`)
GEN = f"{DB}.gen"  # the events of the generation
ARTICLES = f"{DB}.articles"  # its articles, for stores not read from Parquet files
MEMO_ENTRIES = 256  # figures memoised per store version (a filter setting needs about ten)
KEPT_TABLES = 16  # rows kept by costly predicates (searches), kept as tables per store version
OVERLAYS_KEPT = 4  # review overlays kept per generation (the app caches two store versions)
ARTICLE_MEMO = 64
_SQL_TYPES = {pa.string(): "VARCHAR", pa.int8(): "TINYINT", pa.int64(): "BIGINT", pa.float64(): "DOUBLE",
              pa.bool_(): "BOOLEAN"}
SCHEMA_TYPES: dict[str, str] = {f.name: _SQL_TYPES[f.type] for f in EVENT_SCHEMA}
# Every column of the rows the page reads, in order, with its SQL type.
TYPES: dict[str, str] = (
    SCHEMA_TYPES
    | {c: "VARCHAR" for c in review.REVIEW_COLUMNS}
    | {f"machine_{c}": SCHEMA_TYPES[c] for c in review.CORRECTABLE}
    | {DATE: "DATE", DATED: "BOOLEAN", LOCATED: "BOOLEAN", CURRENT: "BOOLEAN", HAYSTACK: "VARCHAR", ROW: "BIGINT"}
    | {"_article": "UBIGINT", "_report": "UBIGINT", "_place": "UBIGINT", "_site": "UBIGINT", "_order": "BIGINT"}
)
# Columns read for a few rows scattered over the table (the feed, the newest event of each place): left
# uncompressed, so that fetching those rows does not decode the whole column (a few bytes more an event).
UNCOMPRESSED = frozenset({"event_id", "evidence"})
# Numbers the figures group and count by instead of strings, from other columns of the row (so an overlay
# row gets them again from its corrected values): 64-bit hashes, whose collisions (about one chance in
# 10^8 for a million articles) would merge two articles in a count or two places on the map.
KEYS: dict[str, str] = {
    "_article": "hash(article_id)",  # count(DISTINCT article_id)
    "_report": "hash(article_id, evidence_start, count_text, count_of)",  # one report, counted once
    "_place": "hash(place_id, CASE WHEN place_id IS NULL THEN latitude END, CASE WHEN place_id IS NULL THEN longitude END)",
    "_site": "CASE WHEN latitude IS NOT NULL AND longitude IS NOT NULL THEN hash(latitude, longitude, location_en, location_ar) END",
    # newest first: the larger the newer (dates descending, undated last, then store order)
    "_order": f"coalesce(date_diff('day', DATE '1970-01-01', {ident(DATE)}), -10000000) * 4294967296 - {ident(ROW)}",
}
assert list(TYPES)[len(COLUMNS) + len(review.REVIEW_COLUMNS):][:len(MACHINE_COLUMNS)] == MACHINE_COLUMNS
# What the search key is made of (data._derive): evidence and place names, each on a line of its own.
HAYSTACK_PARTS = ("evidence", "location_ar", "location_en", "admin1", "admin2")
NEWEST_FIRST = "_order DESC"  # dates descending, undated last, then store order
POINT_COLUMNS = ["event_id", "_site", "event_type", "count", "count_of", DATE, "review_status"]
# What a list of the detail panel shows of each event (detail.event_line) and sorts by.
LIST_COLUMNS = ["event_id", "event_type", "event_date", "count", "count_of", "location_en", "location_ar",
                "evidence_start", DATE, ROW]


def connect() -> duckdb.DuckDBPyConnection:
    """A private in-memory DuckDB with a compressed database DB for the tables (strings dictionary- or
    FSST-encoded once `CHECKPOINT`ed: about a sixth of the memory, and faster filters and groupings over
    few distinct values); no progress bars on the server's terminal."""
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    # the memory a load frees (its uncompressed copies) goes back to the system within seconds
    con.execute("SET allocator_background_threads = true")
    con.execute(f"ATTACH ':memory:' AS {DB} (COMPRESS)")
    return con


def raw_haystack_sql() -> str:
    """The text the search key is made of (as `data._derive` joins it), over the schema's columns."""
    return " || ' \n ' || ".join(f"coalesce({ident(c)}, '')" for c in HAYSTACK_PARTS)


# ---------------------------------------------------------------- one generation in memory

class Generation:
    """One generation of a store, prepared once into the in-memory table GEN and shared read-only by
    every session; `article` answers the detail panel from the store's article files."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path | None, article_files: list[str] | None):
        self.con = con
        self.path = path
        self._article_files = article_files  # None: the articles are the in-memory table `articles`
        self._lock = threading.RLock()
        self._names = itertools.count(1)
        self._articles: OrderedDict[str, dict | None] = OrderedDict()
        self._overlays: list[str] = []  # the review overlays' names, oldest first
        self.rows = self.one(f"SELECT count(*) FROM {GEN}")[0]

    # -- loading

    @classmethod
    def load(cls, path: str | Path) -> Generation:
        """The store at `path` (any layout and format the events package writes). Parquet files are read
        by DuckDB itself; the other formats through `events.store.read_snapshot`. Raises StoreError."""
        out = Path(path)
        recover_if_free(out)
        for attempt in range(3):
            con = connect()
            try:
                files = [str(f) for f in parquet_files(out, "events")]
            except StoreError:
                snap = read_snapshot(out)  # another format (or an unreadable store: StoreError says why)
                if snap is EMPTY:
                    raise StoreError(f"no events store at {out}: build one with `python -m events build "
                                     f"ARTICLES... --out {out}`") from None
                return cls.from_table(snap.events, snap.articles.to_pandas(), path=out, con=con)
            if not files:
                raise StoreError(f"no events store at {out}: build one with `python -m events build ARTICLES... --out {out}`")
            try:
                present = {r[0] for r in con.execute(
                    "DESCRIBE SELECT * FROM read_parquet(?, union_by_name = true)", [files]).fetchall()}
                _create(con, "read_parquet(?, union_by_name = true)", [files], present, out)
                return cls(con, out, [str(f) for f in parquet_files(out, "articles")])
            except (duckdb.IOException, FileNotFoundError) as e:
                con.close()
                if attempt == 2 or not out.is_symlink():
                    raise StoreError(f"{out} is not a readable events store ({type(e).__name__}: {e}); "
                                     f"run `python -m events check {out}`") from e
                # a build committed twice since the link was read and removed that generation: read again
            except duckdb.Error as e:
                con.close()
                raise StoreError(f"{out} is not a readable events store ({type(e).__name__}: {e}); "
                                 f"run `python -m events check {out}`") from e
        raise AssertionError("unreachable")

    @classmethod
    def from_table(cls, events: pa.Table | pd.DataFrame, articles: pd.DataFrame | None = None,
                   path: Path | None = None, con: duckdb.DuckDBPyConnection | None = None) -> Generation:
        """A generation from tables in memory: stores of the other formats, and the tests."""
        con = con or connect()
        table = events if isinstance(events, pa.Table) else pa.Table.from_pandas(events, preserve_index=False)
        con.register("source_events", table)
        _create(con, "source_events", [], set(table.column_names), path)
        con.unregister("source_events")
        arts = articles if articles is not None else pd.DataFrame({"article_id": pd.Series(dtype=str)})
        con.register("source_articles", arts)
        con.execute(f"CREATE TABLE {ARTICLES} AS SELECT * FROM source_articles")
        con.unregister("source_articles")
        con.execute(f"CHECKPOINT {DB}")
        return cls(con, path, None)

    # -- access

    def cursor(self) -> duckdb.DuckDBPyConnection:
        with self._lock:
            return self.con.cursor()

    def run(self, sql: str, params: Sequence = ()) -> duckdb.DuckDBPyConnection:
        """Execute on a fresh cursor (the caller fetches from what it returns)."""
        return self.cursor().execute(sql, list(params))

    def one(self, sql: str, params: Sequence = ()) -> tuple:
        return self.run(sql, params).fetchone()

    def rows_of(self, sql: str, params: Sequence = ()) -> list[dict]:
        """The result as dicts, values as Python (None for NULL, datetime.date for dates)."""
        cur = self.run(sql, params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]

    def frame(self, sql: str, params: Sequence = ()) -> pd.DataFrame:
        """The result as pandas types as the events package's readers give them (through Arrow: whole
        numbers with gaps are floats, as in a table read by `events.store.load`)."""
        return self.cursor().sql(sql, params=list(params)).to_arrow_table().to_pandas()

    def name(self, prefix: str) -> str:
        """A fresh table name in this generation's database."""
        return f"{prefix}_{next(self._names)}"

    def article(self, article_id: object) -> dict | None:
        """One article (text, mentions, title...) by id, from the store's article files; None when absent."""
        if not isinstance(article_id, str) or not article_id:
            return None
        with self._lock:
            if article_id in self._articles:
                self._articles.move_to_end(article_id)
                return self._articles[article_id]
        if self._article_files is None:
            rows = self.rows_of(f"SELECT * FROM {ARTICLES} WHERE article_id = ? LIMIT 1", [article_id])
        elif not self._article_files:
            rows = []
        else:
            sql = "SELECT * FROM read_parquet(?, union_by_name = true) WHERE article_id = ? LIMIT 1"
            try:
                rows = self.rows_of(sql, [self._article_files, article_id])
            except duckdb.IOException:  # a later commit removed this generation's files: the current ones
                self._article_files = [str(f) for f in parquet_files(self.path, "articles")]
                rows = self.rows_of(sql, [self._article_files, article_id]) if self._article_files else []
        found = rows[0] if rows else None
        with self._lock:
            self._articles[article_id] = found
            while len(self._articles) > ARTICLE_MEMO:
                self._articles.popitem(last=False)
        return found


def _create(con: duckdb.DuckDBPyConnection, relation: str, params: list, present: set[str], out: Path | None) -> None:
    """Create the table GEN from a relation (SQL, its parameters) holding some of the schema's columns,
    in the store's order.

    Missing columns are null and values are cast to the schema's types; counts and dates no event can
    have are hidden as `events.plausible.clean_table` hides them; the table is prepared as
    `data.prepare` prepares one; the search key is `dashboard.keys`'. Every step keeps the rows in the
    order they were read (no join: a join may reorder), so `rowid` is the row's place in the store.
    """
    typed = ", ".join(
        f"CAST({ident(c) if c in present else 'NULL'} AS {t}) AS {ident(c)}" for c, t in SCHEMA_TYPES.items())
    con.execute(f"CREATE TEMP TABLE source AS SELECT {typed} FROM {relation}", params)
    # Plausibility and the registry's count_of, per (type, count_of) pair: events.plausible.count_cap, data.prepare.
    registry = event_types()
    pairs = con.execute("SELECT DISTINCT event_type, count_of FROM source").fetchall()
    pair = "coalesce(event_type, chr(1)) || chr(31) || coalesce(count_of, chr(1))"
    keys = ["\x1f".join("\x01" if v is None else v for v in p) for p in pairs]  # as `pair` (chr(1): null)
    caps = [count_cap(t, c) for t, c in pairs]
    filled = [c if c is not None else (registry[t].count_of if t in registry else None) for t, c in pairs]
    window = [DATE_MIN.isoformat(), date_max().isoformat()]
    checked = (f"SELECT *, rowid AS {ident(ROW)}, "
               f"coalesce({ident('count')} < 0 OR {ident('count')} > MAP(?::VARCHAR[], ?::BIGINT[])[{pair}], false) AS _bad_count, "
               "coalesce(left(event_date, 10) < ? OR left(event_date, 10) > ?, false) AS _bad_date, "
               f"MAP(?::VARCHAR[], ?::VARCHAR[])[{pair}] AS _filled FROM source")
    checked_params = [keys, caps, *window, keys, filled]
    hidden = con.execute(f"SELECT count(*) FILTER (WHERE _bad_count) + count(*) FILTER (WHERE _bad_date) FROM ({checked})",
                         checked_params).fetchall()[0][0]
    if hidden:
        log.warning("%s: %d implausible counts or dates hidden; `python -m events check %s` repairs them", out, hidden, out)
    cleaned = {c: ident(c) for c in SCHEMA_TYPES}
    cleaned["count"] = f"CASE WHEN _bad_count THEN NULL ELSE {ident('count')} END"
    for c in ("event_date", "time_precision"):
        cleaned[c] = f"CASE WHEN _bad_date THEN NULL ELSE {ident(c)} END"
    for c in ("latitude", "longitude"):  # NaN is missing, as in pandas
        cleaned[c] = f"CASE WHEN isnan({ident(c)}) THEN NULL ELSE {ident(c)} END"
    cleaned["count_of"] = f"coalesce({ident('count_of')}, _filled)"
    cleaned[BACKGROUND] = f"coalesce({ident(BACKGROUND)}, false)"
    prepared = f"SELECT {', '.join(f'{expr} AS {ident(c)}' for c, expr in cleaned.items())}, {ident(ROW)} FROM ({checked})"
    dated = (f"SELECT *, coalesce(TRY_CAST(event_date AS DATE), TRY_CAST(TRY_CAST(event_date AS TIMESTAMP) AS DATE)) "
             f"AS {ident(DATE)} FROM ({prepared})")
    derived = {
        "review_status": "'unreviewed'", "reviewed_by": "NULL::VARCHAR", "reviewed_at": "NULL::VARCHAR",
        **{c: f"NULL::{TYPES[c]}" for c in MACHINE_COLUMNS},
        DATED: f"{ident(DATE)} IS NOT NULL", LOCATED: "latitude IS NOT NULL AND longitude IS NOT NULL",
        CURRENT: f"NOT {ident(BACKGROUND)}", HAYSTACK: f"haystacks.{ident(HAYSTACK)}", **KEYS}
    columns = ", ".join(f"{derived[c]} AS {ident(c)}" if c in derived else ident(c) for c in TYPES)
    con.register("haystacks", _haystacks(con))
    con.execute(f"CREATE TABLE {GEN} (" + ", ".join(
        f"{ident(c)} {t}" + (" USING COMPRESSION uncompressed" if c in UNCOMPRESSED else "") for c, t in TYPES.items()) + ")")
    con.execute(f"INSERT INTO {GEN} SELECT {columns} FROM ({dated}) POSITIONAL JOIN haystacks", checked_params)
    con.unregister("haystacks")
    con.execute("DROP TABLE source")
    con.execute(f"CHECKPOINT {DB}")  # compresses the table
    pa.default_memory_pool().release_unused()


def _haystacks(con: duckdb.DuckDBPyConnection, batch: int = 100_000) -> pa.Table:
    """The search key of every row of `source`, in order (dashboard.keys, in batches of texts joined by
    keys.SEP; a batch whose texts hold SEP is keyed text by text)."""
    rows = con.execute("SELECT count(*) FROM source").fetchall()[0][0]
    chunks = []
    for start in range(0, rows, batch):
        n = min(batch, rows - start)
        window = "FROM source WHERE rowid >= ? AND rowid < ?"
        joined = con.execute(f"SELECT string_agg({raw_haystack_sql()}, ? ORDER BY rowid) {window}",
                             [SEP, start, start + n]).fetchall()[0][0]
        keys = joined_keys(joined, n)
        if keys is None:
            texts = [t for (t,) in con.execute(f"SELECT {raw_haystack_sql()} {window} ORDER BY rowid", [start, start + n]).fetchall()]
            keys = pa.array([search_key(t) for t in texts], pa.string())
        chunks.append(keys)
    return pa.table({HAYSTACK: pa.chunked_array(chunks, pa.string())})


# ---------------------------------------------------------------- a store version: generation + review log

class Store:
    """The rows the page reads: a generation with the review log applied, and every figure over them.

    Treat as read-only; shared by every session until the store or its review log changes.
    """

    def __init__(self, gen: Generation, decisions: list[review.Decision], problems: list[str]):
        self.gen = gen
        self.decisions = decisions
        self._lock = threading.Lock()
        self._memo: OrderedDict[Hashable, Any] = OrderedDict()
        self._kept: OrderedDict[Predicate | tuple, str] = OrderedDict()
        ids = sorted({d.event_id for d in decisions})
        rows = gen.frame(f"SELECT * EXCLUDE ({', '.join(ident(c) for c in [*MACHINE_COLUMNS, *KEYS])}) FROM {GEN} "
                         f"WHERE event_id IN (SELECT unnest(?::VARCHAR[])) ORDER BY {ident(ROW)}", [ids])
        self.applied = data.with_review(rows, decisions, problems)  # orphans and problems: reviewing.log_note
        overlay = data.complete(self.applied.events, list(TYPES))[[c for c in TYPES if c not in KEYS]]
        if overlay.empty:
            self.rel = GEN
            return
        name = gen.name(f"{DB}.reviewed")
        with gen._lock:
            gen.con.register("overlay_rows", overlay)
            cast = ", ".join(f"CAST({ident(c)} AS {t}) AS {ident(c)}" for c, t in TYPES.items() if c not in KEYS)
            gen.con.execute(f"CREATE TABLE {name}_rows AS SELECT "
                            + ", ".join(f"{KEYS[c]} AS {ident(c)}" if c in KEYS else ident(c) for c in TYPES)
                            + f" FROM (SELECT {cast} FROM overlay_rows)")
            gen.con.unregister("overlay_rows")
            gen.con.execute(f"CREATE VIEW {name} AS SELECT g.* FROM {GEN} g ANTI JOIN {name}_rows r "
                            f"ON g.{ident(ROW)} = r.{ident(ROW)} UNION ALL SELECT * FROM {name}_rows")
            gen._overlays.append(name)
            while len(gen._overlays) > OVERLAYS_KEPT:  # versions of the log no session reads any more
                old = gen._overlays.pop(0)
                gen.con.execute(f"DROP VIEW IF EXISTS {old}")
                gen.con.execute(f"DROP TABLE IF EXISTS {old}_rows")
        self.rel = name

    @classmethod
    def load(cls, path: str | Path, gen: Generation | None = None) -> Store:
        """The store at `path` with its review log (a generation already loaded is reused)."""
        gen = gen or Generation.load(path)
        decisions, problems = review.read(review.log_path(path))
        return cls(gen, decisions, problems)

    # -- plumbing

    def memo(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """`compute()` once per key (results are shared: treat them as read-only)."""
        with self._lock:
            if key in self._memo:
                self._memo.move_to_end(key)
                return self._memo[key]
        value = compute()
        with self._lock:
            self._memo[key] = value
            while len(self._memo) > MEMO_ENTRIES:
                self._memo.popitem(last=False)
        return value

    def where(self, f: Filters) -> Predicate:
        """The filters' predicate over this store's rows (filters.where). A costly predicate (a text
        search) is evaluated once per value into a table of the rows it keeps, which queries then join."""
        return filters.where(f, lambda clause: (f"{ident(ROW)} IN (SELECT {ident(ROW)} FROM {self._kept_rows(clause)})", []))

    def _kept_rows(self, clause: Predicate) -> str:
        key = (clause[0], tuple(clause[1]))
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                return self._kept[key]
        name = self.gen.name(f"{DB}.kept")
        self.gen.run(f"CREATE TABLE {name} AS SELECT {ident(ROW)} FROM {self.rel} WHERE {clause[0]}", clause[1])
        with self._lock:
            self._kept[key] = name
            stale = []
            while len(self._kept) > KEPT_TABLES:
                stale.append(self._kept.popitem(last=False)[1])
        for old in stale:
            self.gen.run(f"DROP TABLE IF EXISTS {old}")
        return name

    def _select(self, f: Filters, what: str, extra: str = "", params: Sequence = (), tail: str = "",
                tail_params: Sequence = ()) -> tuple[str, list]:
        w, wp = self.where(f)
        cond = f"({w})" + (f" AND ({extra})" if extra else "")
        return f"SELECT {what} FROM {self.rel} WHERE {cond} {tail}", [*wp, *params, *tail_params]

    # -- the store as a whole

    def bounds(self) -> tuple[date, date] | None:
        """First and last event date (data.date_bounds)."""
        def compute():
            lo, hi = self.gen.one(f"SELECT min({ident(DATE)}), max({ident(DATE)}) FROM {self.rel}")
            return None if lo is None else (lo, hi)
        return self.memo("bounds", compute)

    def choices(self, column: str) -> list[str]:
        """The distinct non-empty values of a column, sorted (data.choices)."""
        def compute():
            values = self.gen.run(f"SELECT DISTINCT {ident(column)} FROM {self.rel} WHERE {ident(column)} IS NOT NULL").fetchall()
            return sorted(str(v) for (v,) in values if str(v).strip())
        return self.memo(("choices", column), compute)

    # -- figures of a view (the rows a Filters keeps)

    def count(self, f: Filters) -> int:
        return self.headline(f).events

    def headline(self, f: Filters) -> data.Headline:
        """data.headline of the view, in two queries."""
        def compute():
            events, articles, places, background, _ = self._counts(f)
            marks = ", ".join("?" * len(HEADLINE_COUNTS))
            reports, params = self._select(
                f, f"DISTINCT _report, {ident('count')}, count_of",
                f"{ident(CURRENT)} AND {ident('count')} IS NOT NULL AND count_of IN ({marks})", HEADLINE_COUNTS)
            sums = dict(self.gen.run(f"SELECT count_of, sum({ident('count')}) FROM ({reports}) GROUP BY count_of",
                                     params).fetchall())
            return data.Headline(events=events, articles=articles, places=places,
                                 totals={c: int(sums.get(c) or 0) for c in HEADLINE_COUNTS}, background=background)
        return self.memo(("headline", f), compute)

    def located(self, f: Filters) -> int:
        """How many events of the view are on the map."""
        return self._counts(f)[4]

    def _counts(self, f: Filters) -> tuple[int, int, int, int, int]:
        """(events, distinct articles, distinct places of located events, background reports, located
        events) of the view."""
        return self._pass(f)[0]

    def toggle_counts(self, f: Filters) -> dict[str, int]:
        """Per toggle column, how many rows switching that toggle off hides from the view with every
        toggle on (the toggles' labels: filters.hidden_by_toggles of that view)."""
        return self._pass(f)[1]

    def _pass(self, f: Filters) -> tuple[tuple[int, ...], dict[str, int]]:
        """One pass over the rows `f` keeps with every toggle on: the view's figures (its toggles'
        predicates as FILTER clauses) and the toggles' counts."""
        def compute():
            keep = " AND ".join(clause for clause, _ in filter(None, (s.sql(f) for s in SPECS if isinstance(s, Toggle))))
            keep = keep or "TRUE"
            sql, params = self._select(replace(f, **TOGGLES_ON), f"""count(*) FILTER (WHERE {keep}),
                count(DISTINCT _article) FILTER (WHERE {keep}),
                count(DISTINCT _place) FILTER (WHERE {keep} AND {ident(LOCATED)} AND place_id IS NOT NULL),
                count(*) FILTER (WHERE {keep} AND {ident(BACKGROUND)}), count(*) FILTER (WHERE {keep} AND {ident(LOCATED)}),
                """ + ", ".join(f"count(*) FILTER (WHERE NOT {ident(c)})" for c in TOGGLE_COLUMNS))
            row = self.gen.one(sql, params)
            return tuple(row[:5]), dict(zip(TOGGLE_COLUMNS, row[5:]))
        return self.memo(("pass", f), compute)

    def type_counts(self, f: Filters) -> dict[str, int]:
        """Events of the view per type, "other" for none (the legend)."""
        def compute():
            sql, params = self._select(f, "coalesce(event_type, 'other') AS t, count(*)", tail="GROUP BY t ORDER BY t")
            return dict(self.gen.run(sql, params).fetchall())
        return self.memo(("types", f), compute)

    def timeline(self, f: Filters, freq: str) -> pd.DataFrame:
        """Dated events per period and type (data.timeline): period (first day), event_type, events."""
        unit = {"W": "week", "M": "month"}[freq]
        def compute():
            sql, params = self._select(
                f, f"CAST(date_trunc(?, {ident(DATE)}) AS DATE) AS period, coalesce(event_type, 'other') AS event_type, "
                   "count(*) AS events", ident(DATED), tail="GROUP BY ALL ORDER BY ALL")
            df = self.gen.frame(sql, [unit] + params)
            df["period"] = pd.to_datetime(df["period"])
            return df
        return self.memo(("timeline", f, freq), compute)

    def areas(self, f: Filters) -> dict[str, dict[str, int]]:
        """Events of the view per governorate and district (data.area_counts)."""
        def compute():
            sql, params = self._select(f, "GROUPING(admin1) AS g, admin1, admin2, count(*) AS n",
                                       tail="GROUP BY GROUPING SETS ((admin1), (admin2))")
            out: dict[str, dict[str, int]] = {"admin1": {}, "admin2": {}}
            for g, a1, a2, n in sorted(self.gen.run(sql, params).fetchall(), key=lambda r: (r[0], str(r[1]), str(r[2]))):
                level, name = ("admin1", a1) if g == 0 else ("admin2", a2)
                if name is not None:
                    out[level][str(name)] = int(n)
            return out
        return self.memo(("areas", f), compute)

    def page(self, f: Filters, offset: int, limit: int) -> pd.DataFrame:
        """Rows `offset` to `offset + limit` of the view in store order, every column but the search key."""
        def compute():
            inner, params = self._select(f, ident(ROW), tail=f"ORDER BY {ident(ROW)} LIMIT ? OFFSET ?",
                                         tail_params=[limit, offset])
            return self.gen.frame(f"SELECT * EXCLUDE ({ident(HAYSTACK)}) FROM {self.rel} WHERE {ident(ROW)} IN ({inner}) "
                                  f"ORDER BY {ident(ROW)}", params)
        return self.memo(("page", f, offset, limit), compute)

    def points(self, f: Filters) -> list[dict]:
        """The located events of the view, in store order: the map's markers (call it for few rows).
        Not memoised, nor are places and feed: the page caches the layer made of them."""
        sql, params = self._select(f, ", ".join(ident(c) for c in POINT_COLUMNS), ident(LOCATED),
                                   tail=f"ORDER BY {ident(ROW)}")
        return self.gen.rows_of(sql, params)

    def places(self, f: Filters) -> list[dict]:
        """One row per place of the view's located events (its id, or its coordinates when it has none):
        how many (n), the most frequent type (event_type; ties: the first in name order), first and last
        day, and the newest event (dates descending, undated last, then store order): its id and site.
        Two passes over the rows, by place and by place and type (cheaper than one by both)."""
        place, params = self._select(
            f, f"_place, count(*) AS n, min({ident(DATE)}) AS first, max({ident(DATE)}) AS last, "
               "arg_max(_site, _order) AS _site, arg_max(event_id, _order) AS event_id", ident(LOCATED), tail="GROUP BY _place")
        by_type, type_params = self._select(f, "_place, coalesce(event_type, 'other') AS t, count(*) AS n",
                                            ident(LOCATED), tail="GROUP BY ALL")
        return self.gen.rows_of(f"""
            WITH place AS ({place}), by_type AS ({by_type}),
            dominant AS (SELECT _place, first(t ORDER BY n DESC, t) AS event_type FROM by_type GROUP BY _place)
            SELECT place.*, dominant.event_type FROM place JOIN dominant USING (_place) ORDER BY event_id""",
                                params + type_params)

    def feed(self, f: Filters, limit: int) -> list[dict]:
        """The newest located events of the view (undated last), with their evidence."""
        inner, params = self._select(f, ident(ROW), ident(LOCATED), tail="ORDER BY _order DESC LIMIT ?",
                                     tail_params=[limit])
        return self.gen.rows_of(f"SELECT {', '.join(ident(c) for c in POINT_COLUMNS + ['evidence'])} FROM {self.rel} "
                                f"WHERE {ident(ROW)} IN ({inner}) ORDER BY _order DESC", params)

    def sites(self) -> list[tuple]:
        """(site, latitude, longitude, English name, Arabic name) of every distinct point and place names of a
        located event, sorted by the last four: what the map's markers point into."""
        def compute():
            return self.gen.run(f"SELECT DISTINCT _site, latitude, longitude, location_en, location_ar FROM {self.rel} "
                                f"WHERE {ident(LOCATED)} ORDER BY latitude, longitude, location_en NULLS FIRST, "
                                "location_ar NULLS FIRST, _site").fetchall()
        return self.memo("sites", compute)

    def missing(self, f: Filters, event_ids: Sequence[str]) -> int:
        """How many of these events the view leaves out."""
        ids = sorted(set(event_ids))
        if not ids:
            return 0
        sql, params = self._select(f, "count(DISTINCT event_id)", "event_id IN (SELECT unnest(?::VARCHAR[]))", [ids])
        return len(ids) - self.gen.one(sql, params)[0]

    def batches(self, f: Filters, rows: int = 50_000) -> Iterator[pd.DataFrame]:
        """The whole view in store order, as DataFrames of `rows` rows (the downloads stream these)."""
        sql, params = self._select(f, f"* EXCLUDE ({ident(HAYSTACK)})", tail=f"ORDER BY {ident(ROW)}")
        cursor = self.gen.cursor()  # referenced while the reader reads
        for batch in cursor.sql(sql, params=params).to_arrow_reader(rows):
            yield batch.to_pandas()

    # -- one event and the panel's lists

    def event(self, event_id: str | None, f: Filters | None = None) -> tuple[dict | None, bool]:
        """(the row of one event as Python values, whether the view `f` holds it); (None, False) when the
        store has no such event (a stale or hand-edited URL). The first row of that id, as data.event_by_id."""
        if not event_id:
            return None, False
        def compute():
            w, wp = self.where(f) if f is not None else ("FALSE", [])
            rows = self.gen.rows_of(f"SELECT *, ({w}) AS _in_view FROM {self.rel} WHERE event_id = ? "
                                    f"ORDER BY {ident(ROW)} LIMIT 1", [*wp, event_id])
            if not rows:
                return None, False
            row = rows[0]
            return row, bool(row.pop("_in_view"))
        return self.memo(("event", event_id, f), compute)

    def same_place(self, event: dict, f: Filters | None, limit: int) -> tuple[pd.DataFrame, int]:
        """(the first `limit` events at the place of `event`, oldest first, undated last; how many there
        are) among the view `f` (None: the whole store), as data.same_place: LIST_COLUMNS of each."""
        if event.get("place_id") is not None:
            at, params = "place_id = ?", [event["place_id"]]
        elif event.get("latitude") is not None:
            at, params = "latitude = ? AND longitude = ?", [event["latitude"], event["longitude"]]
        else:
            return pd.DataFrame(columns=LIST_COLUMNS), 0
        return self._listed(("same_place", at, tuple(params), f, limit), f, at, params,
                            f"{ident(DATE)} NULLS LAST, {ident(ROW)}", limit)

    def same_article(self, event: dict, limit: int | None = None) -> tuple[pd.DataFrame, int]:
        """(the other events of the article of `event` in reading order, how many), as data.same_article."""
        return self._listed(("same_article", event["article_id"], event["event_id"], limit), None,
                            "article_id = ? AND event_id <> ?", [event["article_id"], event["event_id"]],
                            f"evidence_start NULLS LAST, {ident(ROW)}", limit)

    def _listed(self, key: Hashable, f: Filters | None, at: str, params: list, order: str,
                limit: int | None) -> tuple[pd.DataFrame, int]:
        """(LIST_COLUMNS of the first `limit` rows at `at` among the view `f`, in `order`; how many)."""
        def compute():
            w, wp = self.where(f) if f is not None else ("TRUE", [])
            cut = "LIMIT ?" if limit is not None else ""
            df = self.gen.frame(f"SELECT {', '.join(ident(c) for c in LIST_COLUMNS)}, count(*) OVER () AS _total "
                                f"FROM {self.rel} WHERE ({w}) AND ({at}) ORDER BY {order} {cut}",
                                [*wp, *params] + ([limit] if limit is not None else []))
            total = int(df["_total"].iloc[0]) if len(df) else 0
            return df.drop(columns="_total"), total
        return self.memo(key, compute)

    def next_unreviewed(self, f: Filters, current: str | None) -> str | None:
        """The next unreviewed event after `current` in the view's order (newest first, undated last,
        then store order), wrapping round; None when every event in view has been reviewed
        (reviewing.next_unreviewed)."""
        def compute():
            base, base_params = "review_status = 'unreviewed'", []
            tries = []
            if current:
                base, base_params = base + " AND event_id <> ?", [current]
                sql, params = self._select(f, "max(_order)", "event_id = ?", [current])
                here = self.gen.one(sql, params)[0]  # the current event's place in that order, if in view
                if here is not None:
                    tries.append((f"{base} AND _order < ?", base_params + [here]))
            for extra, extra_params in tries + [(base, base_params)]:  # after the current one, else from the top
                sql, params = self._select(f, "event_id", extra, extra_params, tail=f"ORDER BY {NEWEST_FIRST} LIMIT 1")
                found = self.gen.run(sql, params).fetchone()
                if found:
                    return found[0]
            return None
        return self.memo(("next", f, current), compute)
