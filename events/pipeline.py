"""The whole build: read articles, geoparse and extract each (in parallel), merge into the store.

Each article is processed by a pure function of its text and the gazetteer, so workers are plain
processes (forked after the gazetteer is loaded, which they then share); the same function maps
over a Dask bag or Spark partitions when a corpus outgrows one machine.

Every stage isolates its records: a file, row or article that fails to read, decode, extract or
convert to the table's types becomes a reject with its reason and the batch goes on. Extraction runs
without the store's lock; the commit takes it, re-reads the store if another build committed
meanwhile and merges, so two builds into one store both keep their batches.
"""
from __future__ import annotations

import datetime as dt
import json
import multiprocessing as mp
import pickle
import secrets
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
from tqdm import tqdm

from arabic import analyse
from events.corpus import DEFAULT_MAX_BYTES, Article, Reject, read_articles
from events.extract import extract
from events.plausible import check_event
from events.store import (
    FORMATS,
    Snapshot,
    StoreError,
    append_lines,
    articles_table,
    commit,
    events_table,
    format_of,
    locked,
    read_snapshot,
    recover,
    rejects_path,
    sidecar_path,
    store_dir,
    version,
)
from gazetteer import geoparse

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
        mentions = geoparse(doc)
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


class _Batch:
    """The new, distinct articles of the inputs, read lazily (workers start on the first ones while
    the rest is read), with the tallies for the summary."""

    def __init__(self, paths, rejects: list[Reject], max_bytes: int, stored_ids: set[str], exclude: list[Path]):
        self.articles: dict[str, Article] = {}
        self.order: list[str] = []  # ids in the order handed to the workers, which is the results' order
        self.read = self.stored = self.duplicates = 0
        self._source = read_articles(paths, rejects, max_bytes, exclude=exclude)
        self._rejects = rejects
        self._stored_ids = stored_ids

    def __iter__(self) -> Iterator[Article]:
        for a in self._source:
            self.read += 1
            if a.article_id in self._stored_ids:
                self.stored += 1
            elif a.article_id in self.articles:
                self.duplicates += 1
                self._rejects.append(Reject(a.doc, f"duplicate of an article already in this batch (id {a.article_id})"))
            else:
                self.articles[a.article_id] = a
                self.order.append(a.article_id)
                yield a


def _tables(article: Article, events: list[dict], mentions: str) -> tuple[pa.Table, pa.Table, list[Reject]]:
    """One article's rows as Arrow tables, implausible values dropped, and a note for each; a value that
    still does not convert fails this article alone (raises)."""
    notes = [Reject(article.doc, note, kept=True) for row in events for note in check_event(row)]
    return events_table(events), articles_table([{**article.record(), "mentions": mentions}]), notes


def _results(batch: _Batch, workers: int) -> Iterator[tuple[Article, list[dict], str, str | None]]:
    """(article, events, mentions, error) per new article, in order. Should the workers fail in a way
    `_process` cannot catch, every article not yet returned is an error: none is dropped unreported."""
    pool = mp.get_context("fork").Pool(workers) if workers > 1 else None
    done, failure = 0, None
    try:
        for _, events, mentions, error in (pool.imap(_process, batch, chunksize=8) if pool else map(_process, batch)):
            yield batch.articles[batch.order[done]], events, mentions, error
            done += 1
    except Exception as e:  # noqa: BLE001 - reported for each article it took with it
        if done == len(batch.order):
            raise  # not an article's failure (the reader's): a bug to see, not to hide
        failure = f"extraction failed: {type(e).__name__}: {e} (with its chunk of the batch)"
    finally:
        if pool:
            pool.close()
            pool.join()
    for article_id in batch.order[done:] if failure else ():
        yield batch.articles[article_id], [], "[]", failure


def new_build_id() -> str:
    """A build's id in the rejects log: when it started (UTC), and a random tail for builds started together."""
    return f"{dt.datetime.now(dt.timezone.utc):%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


def build(paths: list[str | Path], out: str | Path, fmt: str | None = None, workers: int = 1,
          max_bytes: int = DEFAULT_MAX_BYTES, rebuild: bool = False, progress: bool | None = None,
          on_article: Callable[[int, str], None] | None = None) -> Summary:
    """Add the events of every new article under `paths` to the store at `out` (one atomic commit).

    Never raises for bad input or a bad store: per-record problems are the summary's rejects, and a
    store that cannot be read or written is its `error` (nothing written then). `progress` shows a
    terminal bar (default: when stderr is a terminal); `on_article(done, doc)` is called after each
    article, for callers with a progress display of their own (the dashboard).
    """
    t0 = time.perf_counter()
    out = Path(out)
    fmt = format_of(out, fmt)
    build_id = new_build_id()
    rejects: list[Reject] = []
    try:
        if fmt not in FORMATS:
            raise StoreError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
        start = read_snapshot(out)  # an unreadable store or a folder stops here, before any work
        start_version = version(out)
        with locked(out):
            recover(out)
    except (StoreError, OSError) as e:
        return _failed(out, build_id, rejects, e, t0)
    stored_ids = set() if rebuild else start.article_ids()
    batch = _Batch(paths, rejects, max_bytes, stored_ids, [out, sidecar_path(out), rejects_path(out), store_dir(out)])
    show = sys.stderr.isatty() if progress is None else progress
    geoparse("قصف على حماة")  # load the gazetteer once, before forking, so workers share it
    new_events: list[pa.Table] = []
    new_articles: list[pa.Table] = []
    with tqdm(unit="article", disable=not show, desc="events") as bar:
        for done, (article, events, mentions, error) in enumerate(_results(batch, workers), start=1):
            bar.update()
            if on_article:
                on_article(done, article.doc)
            if error:
                rejects.append(Reject(article.doc, error))
                continue
            try:
                ev, art, notes = _tables(article, events, mentions)
            except Exception as e:  # noqa: BLE001 - a row Arrow refuses fails its article alone
                rejects.append(Reject(article.doc, f"cannot be stored: {type(e).__name__}: {e}"))
                continue
            rejects += notes
            new_events.append(ev)
            new_articles.append(art)
    try:
        with locked(out):
            merged = _commit(out, fmt, start if version(out) == start_version else None, rebuild,
                             new_events, new_articles, rejects, build_id)
    except (StoreError, OSError) as e:
        return _failed(out, build_id, rejects, e, t0)
    articles_new, late, events_new, events_total = merged
    return Summary(out, batch.read, articles_new, batch.stored + late, batch.duplicates,
                   sum(not r.kept for r in rejects), events_new, events_total, time.perf_counter() - t0,
                   build_id, tuple(rejects), sum(r.kept for r in rejects))


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
