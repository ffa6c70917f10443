"""Where a build's per-article work runs: this process and a pool of forked workers (`local`), or a
Dask cluster (`dask`): a local multi-process cluster, or an existing `dask.distributed` scheduler.

Both run the same functions (events.corpus.unit_article, events.pipeline.process and the Arrow
conversion) on the same inputs, so they store the same events. The Dask engine reads the inputs
here (I/O only: file bytes and table rows, see events.corpus.read_units), groups them into partitions
and maps the work over a Dask bag, a window of partitions at a time: memory holds the partitions in
flight, not the corpus. Results come back in input order, so the first of two identical articles
wins, as with the local engine. Each worker process loads the gazetteer once (a worker plugin),
never per article.
"""
from __future__ import annotations

import itertools
import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import pyarrow as pa

from events.corpus import Reject, Unit, unit_article
from events.tables import articles_table, events_table

log = logging.getLogger(__name__)


@dataclass
class Part:
    """The results of one partition: rows ready for the store, the rejects of its inputs, and each new
    article's (id, doc) in input order with the rejects that belong to it."""

    events: pa.Table
    articles: pa.Table
    rejects: list[Reject] = field(default_factory=list)  # of inputs that made no article
    new: list[tuple[str, str, list[Reject]]] = field(default_factory=list)
    read: int = 0
    stored: int = 0


def run_part(units: list[Unit], stored, max_bytes: int) -> Part:
    """Read, geoparse, extract and convert one partition (runs on a worker). `stored`: the ids already
    in the store, skipped as the local engine skips them."""
    from events.pipeline import _process, stored_rows

    rejects: list[Reject] = []
    evs, arts, new = [], [], []
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
        ev, art, notes = stored_rows(article, *_process(article)[1:])
        own += notes
        if art is not None:
            evs.append(ev)
            arts.append(art)
    return Part(pa.concat_tables([events_table([]), *evs]), pa.concat_tables([articles_table([]), *arts]),
                rejects, new, read, stored_n)


def _chunks(units: Iterator[Unit], size: int) -> Iterator[list[Unit]]:
    while chunk := list(itertools.islice(units, size)):
        yield chunk


def _warm_plugin(prepare: Callable[[], None]):
    """A Dask worker plugin: each worker process loads the gazetteer index (and whatever else `prepare`
    loads) once, when it starts (and any worker that joins later)."""
    from distributed.diagnostics.plugin import WorkerPlugin

    class WarmGazetteer(WorkerPlugin):
        def setup(self, worker) -> None:
            prepare()

    return WarmGazetteer()


def dask_parts(units: Iterable[Unit], stored, max_bytes: int, prepare: Callable[[], None],
               workers: int = 2, scheduler: str | None = None, partition_size: int = 64) -> Iterator[Part]:
    """`run_part` over the units, `partition_size` units a partition, on a Dask cluster; the Parts in
    input order. At most a few partitions a worker are in flight."""
    import dask.bag as db
    from distributed import Client, LocalCluster

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                               silence_logs=logging.WARNING)
        client = Client(cluster)
    try:
        client.register_plugin(_warm_plugin(prepare), name="events-gazetteer")
        n_workers = max(1, len(client.scheduler_info().get("workers", {})) or workers)
        stored_f = client.scatter([stored], broadcast=True, hash=False)[0]
        window: deque = deque()
        ahead = 2 * n_workers + 1
        chunks = _chunks(iter(units), partition_size)
        exhausted = False
        while True:
            while not exhausted and len(window) < ahead:
                batch = list(itertools.islice(chunks, n_workers))
                if not batch:
                    exhausted = True
                    break
                bag = db.from_sequence(batch, npartitions=len(batch))
                parts = bag.map_partitions(lambda chunks_, s, m: [run_part(c, s, m) for c in chunks_],
                                           stored_f, max_bytes)
                window.extend(client.compute(parts.to_delayed()))
            if not window:
                return
            yield from window.popleft().result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
