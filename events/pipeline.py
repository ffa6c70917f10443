"""The whole build: read articles, geoparse and extract each (in parallel), merge into the store.

Each article is processed by a pure function of its text and the gazetteer, so workers are plain
processes (forked after the gazetteer is loaded, which they then share); the same function maps
over a Dask bag or Spark partitions when a corpus outgrows one machine.
"""
from __future__ import annotations

import json
import multiprocessing as mp
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
from tqdm import tqdm

from arabic import analyse
from events.corpus import DEFAULT_MAX_BYTES, Article, Reject, read_articles
from events.extract import extract
from events.store import (
    articles_table,
    events_table,
    format_of,
    read_articles_table,
    read_events_table,
    sidecar_path,
    write_articles,
    write_events,
)
from gazetteer import geoparse


@dataclass(frozen=True, slots=True)
class Summary:
    """What a build did, for the summary line and for callers (bench, tests)."""

    out: Path
    articles_read: int
    articles_new: int
    already_stored: int
    duplicates: int
    rejected: int
    events_new: int
    events_total: int
    seconds: float

    def line(self) -> str:
        rate = self.articles_new / self.seconds if self.seconds else 0.0
        return (f"{self.events_new} new events from {self.articles_new} new articles "
                f"({self.already_stored} already stored, {self.duplicates} duplicates, {self.rejected} rejected); "
                f"{self.events_total} events in {self.out} [{self.seconds:.1f} s, {rate:.0f} articles/s]")


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


def rejects_path(out: Path) -> Path:
    """The rejects log of a build: next to its output, so each store has its own."""
    return out.parent / "rejects.jsonl"


class _Batch:
    """The new, distinct articles of the inputs, read lazily (workers start on the first ones while
    the rest is read), with the tallies for the summary."""

    def __init__(self, paths, rejects: list[Reject], max_bytes: int, stored_ids: set[str], exclude: list[Path]):
        self.articles: dict[str, Article] = {}
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
                yield a


def build(paths: list[str | Path], out: str | Path, fmt: str | None = None, workers: int = 1,
          max_bytes: int = DEFAULT_MAX_BYTES, rebuild: bool = False, progress: bool | None = None,
          on_article: Callable[[int, str], None] | None = None) -> Summary:
    """Add the events of every new article under `paths` to the store at `out` (atomic writes).

    `progress` shows a terminal bar (default: when stderr is a terminal); `on_article(done, doc)`
    is called after each article, for callers with a progress display of their own (the dashboard).
    """
    t0 = time.perf_counter()
    out = Path(out)
    fmt = format_of(out, fmt)
    rejects: list[Reject] = []
    old_events = events_table([])
    old_articles = articles_table([])
    if out.exists() and not rebuild:
        old_events = read_events_table(out, fmt)
        old_articles = read_articles_table(out)
    stored_ids = set(old_articles.column("article_id").to_pylist()) | set(old_events.column("article_id").to_pylist())
    batch = _Batch(paths, rejects, max_bytes, stored_ids, [out, sidecar_path(out), rejects_path(out)])
    show = sys.stderr.isatty() if progress is None else progress
    geoparse("قصف على حماة")  # load the gazetteer once, before forking, so workers share it
    new_events: list[dict] = []
    new_articles: list[dict] = []
    done = 0
    with tqdm(unit="article", disable=not show, desc="events") as bar:
        pool = mp.get_context("fork").Pool(workers) if workers > 1 else None
        try:
            results = pool.imap(process, batch, chunksize=8) if pool else map(process, batch)
            for article_id, events, mentions, error in results:
                article = batch.articles[article_id]
                bar.update()
                done += 1
                if on_article:
                    on_article(done, article.doc)
                if error:
                    rejects.append(Reject(article.doc, error))
                    continue
                new_events.extend(events)
                new_articles.append({**article.record(), "mentions": mentions})
        finally:
            if pool:
                pool.close()
                pool.join()
    events = pa.concat_tables([old_events, events_table(new_events)])
    articles = pa.concat_tables([old_articles, articles_table(new_articles)])
    write_events(events, out, fmt)
    write_articles(articles, out)
    with open(rejects_path(out), "w", encoding="utf-8") as f:
        for r in rejects:
            f.write(json.dumps(r.to_json(), ensure_ascii=False) + "\n")
    return Summary(out, batch.read, len(new_articles), batch.stored, batch.duplicates, len(rejects),
                   len(new_events), events.num_rows, time.perf_counter() - t0)
