"""The whole build: read articles, geoparse and extract each (in parallel), merge into the store.

Each article is processed by a pure function of its text and the gazetteer, so workers are plain
processes (forked after the gazetteer is loaded, which they then share); the same function maps
over a Dask bag (or Spark partitions) when a corpus outgrows one machine (events.engines: both
engines take partitions of inputs and hand back their rows; this module merges them in order).

Every stage isolates its records: a file, row or article that fails to read, decode, extract or
convert to the table's types becomes a reject with its reason and the batch goes on. Extraction runs
without the store's lock; the commit takes it, re-reads the store if another build committed
meanwhile and merges, so two builds into one store both keep their batches.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import pickle
import secrets
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from tqdm import tqdm

from arabic import analyse
from events import dataset
from events.corpus import DEFAULT_MAX_BYTES, Article, Reject, read_units
from events.extract import extract
from events.plausible import check_event
from events.review import log_path as review_log
from events.store import (
    FORMATS,
    Snapshot,
    StoreError,
    append_lines,
    articles_table,
    commit,
    commit_staged,
    current_generation,
    events_table,
    format_of,
    is_folder,
    layout_of,
    locked,
    read_manifest,
    read_snapshot,
    recover,
    rejects_path,
    sidecar_path,
    staging,
    store_dir,
    stored_ids,
    version,
)
from gazetteer import user_places

__all__ = ["Summary", "build", "process", "rejects_path"]


@dataclass(frozen=True, slots=True)
class Summary:
    """What a build did, for the summary line and for callers (bench, tests, the dashboard).

    `rejects` are this build's (also appended to the store's rejects log under `build_id`); `notes`
    counts those that are notes on inputs still stored. `error` says why nothing was written (the
    store is then unchanged)."""

    out: Path
    articles_read: int
    articles_new: int
    already_stored: int
    duplicates: int
    rejected: int
    events_new: int
    events_total: int
    seconds: float
    build_id: str = ""
    rejects: tuple[Reject, ...] = ()
    notes: int = 0
    error: str | None = None

    def line(self) -> str:
        if self.error:
            return f"nothing written: {self.error}"
        rate = self.articles_new / self.seconds if self.seconds else 0.0
        return (f"{self.events_new} new events from {self.articles_new} new articles "
                f"({self.already_stored} already stored, {self.duplicates} duplicates, {self.rejected} rejected, "
                f"{self.notes} notes); {self.events_total} events in {self.out} "
                f"[{self.seconds:.1f} s, {rate:.0f} articles/s]")


def process(article: Article) -> tuple[str, list[dict], str, str | None]:
    """(article id, its events, its mentions as JSON, error or None); never raises, so one bad
    article cannot stop a batch. Returns no text: only what the parent does not already hold
    crosses the process boundary."""
    try:
        doc = article.analysis or analyse(article.text)
        mentions = user_places.geoparse(doc)  # the gazetteer plus the store's user places
        events = extract(article, doc, mentions)
        return article.article_id, events, json.dumps([m.to_json() for m in mentions], ensure_ascii=False), None
    except Exception as e:  # noqa: BLE001 - reported per article in rejects.jsonl
        return article.article_id, [], "[]", f"extraction failed: {type(e).__name__}: {e}"


def _process(article: Article) -> tuple[str, list[dict], str, str | None]:
    """`process`, with anything it lets escape made the article's reject (the last line of isolation),
    and a result that could not cross back from a worker (unpicklable) made its error here, so it
    cannot fail the worker's whole chunk."""
    try:
        result = process(article)
        pickle.dumps(result)
        return result
    except Exception as e:  # noqa: BLE001 - reported per article in the rejects log
        return article.article_id, [], "[]", f"extraction failed: {type(e).__name__}: {e}"


def stored_rows(article: Article, events: list[dict], mentions: str, error: str | None
                ) -> tuple[list[dict], dict | None, list[Reject]]:
    """An article's event rows (implausible values dropped, a note for each) and its row of the articles
    table (None when it has none), and its rejects and notes: its extraction error, or a row the check
    cannot read (which fails this article alone). Arrow converts them a partition at once (`to_tables`)."""
    if error:
        return [], None, [Reject(article.doc, error)]
    try:
        notes = [Reject(article.doc, note, kept=True) for row in events for note in check_event(row)]
    except Exception as e:  # noqa: BLE001 - a row the check refuses fails its article alone
        return [], None, [_unstorable(article, e)]
    return events, {**article.record(), "mentions": mentions}, notes


def to_tables(stored: list[tuple[Article, list[dict], dict, list[Reject]]]) -> tuple[pa.Table, pa.Table]:
    """The events and articles tables of a partition's stored articles: (article, event rows, article row,
    its rejects). One conversion for all: Arrow's cost is mostly per call and column (tables made an
    article at a time took 6% of a build). Should Arrow refuse a value, each article is converted
    alone, and one that still fails is left out, its notes replaced by the reason: it fails alone."""
    try:
        return (events_table([row for _, events, _, _ in stored for row in events]),
                articles_table([record for _, _, record, _ in stored]))
    except Exception:  # noqa: BLE001 - found and rejected article by article below
        pass
    kept: list[tuple[pa.Table, pa.Table]] = []
    for article, events, record, own in stored:
        try:
            kept.append((events_table(events), articles_table([record])))
        except Exception as e:  # noqa: BLE001 - a row Arrow refuses fails its article alone
            own[:] = [_unstorable(article, e)]
    return (pa.concat_tables([events_table([]), *(e for e, _ in kept)]).combine_chunks(),
            pa.concat_tables([articles_table([]), *(a for _, a in kept)]).combine_chunks())


def _unstorable(article: Article, e: Exception) -> Reject:
    return Reject(article.doc, f"cannot be stored: {type(e).__name__}: {e}")


def new_build_id() -> str:
    """A build's id in the rejects log: when it started (UTC), and a random tail for builds started together."""
    return f"{dt.datetime.now(dt.timezone.utc):%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


ENGINES = ("local", "dask")


def prepare(out: Path) -> None:
    """What every process that extracts needs loaded once: the gazetteer (the parent before forking its
    workers, each Dask worker when it starts)."""
    user_places.use(user_places.path_for(out))


class _MemorySink:
    """A generation or single-file store's batch: held until the commit, which rewrites the store (small corpora)."""

    def __init__(self) -> None:
        self.events: list[pa.Table] = []
        self.articles: list[pa.Table] = []

    def add(self, events: pa.Table, articles: pa.Table) -> None:
        self.events.append(events)
        self.articles.append(articles)


class _StageSink:
    """A partitioned store's batch: streamed to part files of the build's stage folder as it is produced."""

    def __init__(self, stage: Path, build_id: str) -> None:
        self.writer = dataset.StageWriter(stage, build_id)
        self.ids: set[str] = set()

    def add(self, events: pa.Table, articles: pa.Table) -> None:
        self.ids.update(articles.column("article_id").to_pylist())
        self.writer.add(events, articles)


def build(paths: list[str | Path], out: str | Path, fmt: str | None = None, workers: int = 1,
          max_bytes: int = DEFAULT_MAX_BYTES, rebuild: bool = False, progress: bool | None = None,
          on_article: Callable[[int, str], None] | None = None, engine: str = "local",
          scheduler: str | None = None, partitions: int | None = None, partitioned: bool = False) -> Summary:
    """Add the events of every new article under `paths` to the store at `out` (one atomic commit).

    Never raises for bad input or a bad store: per-record problems are the summary's rejects, and a
    store that cannot be read or written is its `error` (nothing written then). `progress` shows a
    terminal bar (default: when stderr is a terminal); `on_article(done, doc)` is called after each
    article, for callers with a progress display of their own (the dashboard).

    `engine`: "local" (this process and `workers` forked ones) or "dask" (a LocalCluster of `workers`
    processes, or the `dask.distributed` scheduler at `scheduler`, whose workers must see the input
    files); `partitions`: inputs (files or table rows) a worker takes at a time (see events.engines).
    `partitioned`: make the store a partitioned dataset (events.dataset) that grows by
    new part files; a store already partitioned stays so.
    """
    t0 = time.perf_counter()
    out = Path(out)
    fmt = format_of(out, fmt)
    build_id = new_build_id()
    rejects: list[Reject] = []
    try:
        if fmt not in FORMATS:
            raise StoreError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
        if engine not in ENGINES:
            raise StoreError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
        layout = dataset.LAYOUT if partitioned or layout_of(out) == dataset.LAYOUT else None
        if layout and fmt != "parquet":
            raise StoreError(f"a partitioned store is Parquet, not {fmt}: choose --format parquet")
        if layout:
            if is_folder(out):
                raise StoreError(f"{out} is a folder: the store is a file, e.g. {out / 'events.parquet'}")
            with locked(out):
                recover(out)
                start, start_version = None, version(out)
                stored = dataset.IdIndex() if rebuild else _stored_ids(out)
        else:
            start = read_snapshot(out)  # an unreadable store or a folder stops here, before any work
            start_version = version(out)
            with locked(out):
                recover(out)
            stored = set() if rebuild else start.article_ids()
    except (StoreError, OSError) as e:
        return _failed(out, build_id, rejects, e, t0)
    beside = [out, sidecar_path(out), rejects_path(out), store_dir(out), review_log(out), user_places.path_for(out)]
    show = sys.stderr.isatty() if progress is None else progress
    tally = {"read": 0, "stored": 0, "duplicates": 0}
    with contextlib.ExitStack() as stack:
        stage = stack.enter_context(staging(out, build_id)) if layout else None
        sink = _StageSink(stage, build_id) if layout else _MemorySink()
        bar = stack.enter_context(tqdm(unit="article", disable=not show, desc="events"))
        _run(paths, out, rejects, max_bytes, stored, beside, engine, workers, scheduler, partitions, sink, tally,
             bar, on_article)
        try:
            with locked(out):
                if layout:
                    merged = _commit_staged(out, start_version, rebuild, sink, stage, rejects, build_id)
                else:
                    merged = _commit(out, fmt, start if version(out) == start_version else None, rebuild,
                                     sink.events, sink.articles, rejects, build_id)
        except (StoreError, OSError) as e:
            return _failed(out, build_id, rejects, e, t0)
    articles_new, late, events_new, events_total = merged
    return Summary(out, tally["read"], articles_new, tally["stored"] + late, tally["duplicates"],
                   sum(not r.kept for r in rejects), events_new, events_total, time.perf_counter() - t0,
                   build_id, tuple(rejects), sum(r.kept for r in rejects))


def _stored_ids(out: Path):
    try:
        return stored_ids(out)
    except (OSError, ValueError, KeyError, TypeError, pa.ArrowException) as e:
        raise StoreError(f"{out} is not a readable events store ({type(e).__name__}: {e}); "
                         f"run `python -m events check {out}`, or choose another --out") from e


def _run(paths, out, rejects, max_bytes, stored, beside, engine, workers, scheduler, partitions, sink, tally, bar,
         on_article) -> None:
    """Map the per-article work over partitions of the inputs (events.engines) and add each partition's
    rows to the sink as it comes back, in input order: the first of two identical articles is kept, a
    later one is a duplicate (it may sit in another partition, so this is judged here)."""
    from events.engines import dask_parts, local_parts

    units = read_units(paths, rejects, exclude=beside)
    if engine == "dask":
        parts = dask_parts(units, stored, max_bytes, functools.partial(prepare, out), workers, scheduler,
                           partitions or DEFAULT_PARTITION)
    else:
        prepare(out)  # load the gazetteer once, before forking, so workers share it
        parts = local_parts(units, stored, max_bytes, workers, partitions or LOCAL_PARTITION)
    seen: set[str] = set()
    done = 0
    for part in parts:
        tally["read"] += part.read
        tally["stored"] += part.stored
        rejects += part.rejects
        dups, fresh = [], set()  # ids of earlier parts (their rows here go), ids first met in this one
        for article_id, doc, own in part.new:
            done += 1
            bar.update()
            if on_article:
                on_article(done, doc)
            if article_id in seen:
                tally["duplicates"] += 1
                if article_id not in fresh:
                    dups.append(article_id)
                rejects.append(Reject(doc, f"duplicate of an article already in this batch (id {article_id})"))
            else:
                seen.add(article_id)
                fresh.add(article_id)
                rejects += own
        events, articles = part.events, part.articles
        if dups:
            key = pa.array(dups, pa.string())
            events = events.filter(pc.invert(pc.is_in(events.column("article_id"), key)))
            articles = articles.filter(pc.invert(pc.is_in(articles.column("article_id"), key)))
        sink.add(events, articles)


DEFAULT_PARTITION = 256  # inputs (files or table rows) in a Dask partition
LOCAL_PARTITION = 32  # in a local worker's: smaller, for a smooth progress bar


def _commit_staged(out: Path, start_version: str | None, rebuild: bool, sink: _StageSink, stage: Path,
                   rejects: list[Reject], build_id: str) -> tuple[int, int, int, int]:
    """Commit a partitioned build (the caller holds the lock): its staged files join the store; articles
    another build committed meanwhile are dropped from them first."""
    recover(out)
    staged = sink.writer.close()
    late = 0
    if not rebuild and version(out) != start_version:
        now = _stored_ids(out)
        late_ids = {i for i in sink.ids if i in now}
        dataset.drop_articles(stage, staged, late_ids)
        late = len(late_ids)
    append_lines(rejects_path(out), [json.dumps({"build": build_id, **r.to_json()}, ensure_ascii=False) for r in rejects])
    articles_new = len(sink.ids) - late
    if articles_new or rebuild or layout_of(out) != dataset.LAYOUT:
        commit_staged(out, stage, staged, build_id, rebuild)
    files = read_manifest(current_generation(out))["files"]
    events_new = sum(pq.ParquetFile(stage / "events" / rel).metadata.num_rows for rel in staged["events"]
                     if (stage / "events" / rel).exists()) if not (articles_new or rebuild) else \
        sum(e["rows"] for e in files["events"]["parts"] if e["path"].endswith(f"part-{build_id}.parquet"))
    return articles_new, late, events_new if articles_new else 0, files["events"]["rows"]


def _commit(out: Path, fmt: str, snap: Snapshot | None, rebuild: bool, new_events: list[pa.Table],
            new_articles: list[pa.Table], rejects: list[Reject], build_id: str) -> tuple[int, int, int, int]:
    """Merge the batch into the store as it is now (the caller holds the lock), log the rejects and
    commit: (articles added, articles another build stored meanwhile, events added, events in the store)."""
    recover(out)
    if snap is None:  # another build committed since this one started: merge with what it stored
        snap = read_snapshot(out)
    if rebuild:
        snap = Snapshot(events_table([]), articles_table([]), snap.generation, fmt=snap.fmt)
    events = pa.concat_tables([events_table([]), *new_events])
    articles = pa.concat_tables([articles_table([]), *new_articles])
    stored = pa.array(sorted(snap.article_ids()), pa.string())
    fresh = pc.invert(pc.is_in(articles.column("article_id"), stored))
    late = articles.num_rows - (pc.sum(fresh).as_py() or 0)
    articles = articles.filter(fresh)
    events = events.filter(pc.invert(pc.is_in(events.column("article_id"), stored)))
    # events of a batch article already in the store without its article row (a store written by
    # older code and killed between its two files) are replaced, not doubled
    old = snap.events.filter(pc.invert(pc.is_in(snap.events.column("article_id"), articles.column("article_id"))))
    all_events = pa.concat_tables([old, events]).combine_chunks()
    append_lines(rejects_path(out), [json.dumps({"build": build_id, **r.to_json()}, ensure_ascii=False) for r in rejects])
    if articles.num_rows or rebuild or snap.generation is None or snap.fmt != fmt:
        commit(out, fmt, all_events, pa.concat_tables([snap.articles, articles]).combine_chunks(), build_id)
    return articles.num_rows, late, events.num_rows, all_events.num_rows


def _failed(out: Path, build_id: str, rejects: list[Reject], e: Exception, t0: float) -> Summary:
    """The summary of a build that wrote nothing, with the reason."""
    reason = str(e) if isinstance(e, StoreError) else f"cannot write the store {out}: {getattr(e, 'strerror', None) or e}"
    return Summary(out, 0, 0, 0, 0, sum(not r.kept for r in rejects), 0, 0, time.perf_counter() - t0, build_id,
                   tuple(rejects), sum(r.kept for r in rejects), reason)
