"""Where a build's per-article work runs: this process and a pool of forked workers (`local`), or a
Dask cluster (`dask`): a local multi-process cluster, or an existing `dask.distributed` scheduler.

Both engines map the same function (`run_part`: events.corpus.unit_article, events.pipeline.process
and the Arrow conversion) over partitions of the same inputs, so they store the same events. The
driver only finds the inputs (events.corpus.read_units: a file's path, a table's rows) and groups
them into partitions; the workers read the files, make and extract the articles and return compact
Arrow tables, so the driver's serial share stays small. Partitions go out a window at a time (memory
holds the partitions in flight, not the corpus) and come back in input order, so the first of two
identical articles wins whichever engine runs. Each worker process loads the gazetteer once (the
local engine's before they fork, the Dask engine's in a worker plugin), never per article.
"""
from __future__ import annotations

import itertools
import logging
import multiprocessing as mp
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

import pyarrow as pa

from events.corpus import Reject, Unit, unit_article
from events.tables import articles_table, events_table

log = logging.getLogger(__name__)


@dataclass
class Part:
    """The results of one partition: rows ready for the store, the rejects of its inputs, and each new
    article's (id, doc) in input order with the rejects that belong to it. An article that comes twice
    is listed twice, its rows once."""

    events: pa.Table
    articles: pa.Table
    rejects: list[Reject] = field(default_factory=list)  # of inputs that made no article
    new: list[tuple[str, str, list[Reject]]] = field(default_factory=list)
    read: int = 0
    stored: int = 0


def run_part(units: list[Unit], stored, max_bytes: int) -> Part:
    """Read, geoparse, extract and convert one partition (runs on a worker). `stored`: the ids already
    in the store, skipped."""
    from events.pipeline import _process, stored_rows, to_tables

    rejects: list[Reject] = []
    rows, new = [], []
    ids: set[str] = set()
    read = stored_n = 0
    for unit in units:
        article = unit_article(unit, rejects, max_bytes)
        if article is None:
            continue
        read += 1
        if article.article_id in stored:
            stored_n += 1
            continue
        own: list[Reject] = []
        new.append((article.article_id, article.doc, own))
        if article.article_id in ids:
            continue  # a copy of an article of this partition: a duplicate (judged by the caller), no rows
        ids.add(article.article_id)
        events, record, notes = stored_rows(article, *_process(article)[1:])
        own += notes
        if record is not None:
            rows.append((article, events, record, own))
    # one chunk a column: cheaper to send back and to merge than a chunk an article
    return Part(*to_tables(rows), rejects, new, read, stored_n)


def failed_part(units: list[Unit], reason: str) -> Part:
    """The Part of a partition whose worker died (killed by the OS, out of memory): each input a reject."""
    return Part(events_table([]), articles_table([]), [Reject(u.doc, reason) for u in units], read=len(units))


def _chunks(units: Iterable[Unit], size: int) -> Iterator[list[Unit]]:
    it = iter(units)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def _in_order(chunks: Iterator[list[Unit]], submit: Callable[[list[list[Unit]]], list], per_batch: int,
              ahead: int) -> Iterator[Part]:
    """The Parts of the chunks in input order, `per_batch` chunks submitted together and at most `ahead`
    in flight. `submit(batch)` returns one future a chunk, whose result is its Part. Should a worker
    fail in a way `run_part` cannot catch, that chunk and those in flight with it are rejects (none is
    dropped unreported) and the build stops reading there."""
    window: deque = deque()
    while True:
        while len(window) < ahead and (batch := list(itertools.islice(chunks, per_batch))):
            window.extend(zip(batch, submit(batch)))
        if not window:
            return
        chunk, future = window.popleft()
        try:
            part = future.result()
        except Exception as e:  # noqa: BLE001 - reported for each input it took with it
            reason = f"extraction failed: {type(e).__name__}: {e} (with its chunk of the batch)"
            log.warning("a worker failed: %s", reason)
            yield failed_part(chunk, reason)
            yield from (failed_part(c, reason) for c, _ in window)
            return
        yield part


_STORED = None  # a forked worker's stored ids, set once when it starts


def _keep_stored(stored) -> None:
    global _STORED
    _STORED = stored


def _run_forked(units: list[Unit], max_bytes: int) -> Part:
    return run_part(units, _STORED, max_bytes)


def local_parts(units: Iterable[Unit], stored, max_bytes: int, workers: int = 1,
                partition_size: int = 32) -> Iterator[Part]:
    """`run_part` over the units, `partition_size` units a partition: in this process, or in `workers`
    processes forked from it (the caller has loaded the gazetteer, which they then share)."""
    chunks = _chunks(units, partition_size)
    if workers <= 1:
        yield from (run_part(c, stored, max_bytes) for c in chunks)
        return
    # An executor, not multiprocessing.Pool: a worker killed by the OS (out of memory) breaks the
    # executor, which raises, where a Pool would wait for its result for ever. The stored ids go to
    # each worker once, when it forks, not with every partition.
    pool = ProcessPoolExecutor(workers, mp_context=mp.get_context("fork"), initializer=_keep_stored,
                               initargs=(stored,))
    try:
        yield from _in_order(chunks, lambda batch: [pool.submit(_run_forked, c, max_bytes) for c in batch],
                             1, 4 * workers)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _bag(chunks: list[list[Unit]]):
    """A Dask bag with one chunk of units a partition, named once rather than by a hash of its contents
    (`db.from_sequence` hashes every unit it holds: driver time that grows with the corpus)."""
    import dask.bag as db

    name = f"units-{uuid.uuid4().hex}"
    return db.Bag({(name, i): [chunk] for i, chunk in enumerate(chunks)}, name, len(chunks))


class _First:
    """A Dask future of a one-item partition, whose `result()` is that item."""

    def __init__(self, future) -> None:
        self.future = future

    def result(self):
        return self.future.result()[0]


def _warm_plugin(prepare: Callable[[], None]):
    """A Dask worker plugin: each worker process loads the gazetteer index (and whatever else `prepare`
    loads) once, when it starts (and any worker that joins later)."""
    from distributed.diagnostics.plugin import WorkerPlugin

    class WarmGazetteer(WorkerPlugin):
        def setup(self, worker) -> None:
            prepare()

    return WarmGazetteer()


def local_cluster(workers: int):
    """A Dask cluster on this machine: `workers` processes of one thread each (the work holds the GIL)."""
    from distributed import LocalCluster

    return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                        silence_logs=logging.WARNING)


def dask_parts(units: Iterable[Unit], stored, max_bytes: int, prepare: Callable[[], None],
               workers: int = 2, scheduler: str | None = None, partition_size: int = 256) -> Iterator[Part]:
    """`run_part` mapped over a Dask bag of the units, `partition_size` units a partition, on a local
    cluster of `workers` processes (one thread each) or the cluster at `scheduler`; the Parts in input
    order, a few partitions a worker in flight."""
    from distributed import Client

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = local_cluster(workers)
        client = Client(cluster)
    try:
        client.register_plugin(_warm_plugin(prepare), name="events-gazetteer")
        n_workers = max(1, len(client.scheduler_info().get("workers", {})) or workers)
        stored_f = client.scatter([stored], broadcast=True, hash=False)[0]

        def submit(batch: list[list[Unit]]) -> list[_First]:
            parts = _bag(batch).map(run_part, stored_f, max_bytes)
            return [_First(f) for f in client.compute(parts.to_delayed())]

        yield from _in_order(_chunks(units, partition_size), submit, n_workers, 2 * n_workers + 1)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
