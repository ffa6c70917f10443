"""Adding a few articles to a large store (issue 15): time and peak memory of `build` adding --add new
articles to a store of --n synthetic articles, for the partitioned store (grows by part files) and
the generation store (rewritten whole), in the same run, plus the same build into an empty store
(what the new articles cost by themselves).

The large stores are made directly from the seeds' real rows (their events and article texts
repeated under new ids, publication months spread over 2011-2024), not extracted: that would take an
hour. Each measured build runs in a fresh process, whose peak RSS (VmHWM) is printed.

    .venv/bin/python bench/store_grow.py [--n 100000] [--add 10]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pyarrow as pa  # noqa: E402
import pyarrow.compute as pc  # noqa: E402

from events import dataset  # noqa: E402
from events.pipeline import build  # noqa: E402
from events.store import commit, load, locked  # noqa: E402

CHILD = """
import json, sys, time
sys.path.insert(0, {root!r})
from events.pipeline import build
t = time.perf_counter()
s = build([{inputs!r}], {out!r}, progress=False)
secs = time.perf_counter() - t
hwm = next(int(x.split()[1]) for x in open("/proc/self/status") if x.startswith("VmHWM:"))  # kB; ru_maxrss survives exec
print(json.dumps({{"seconds": secs, "rss_mb": hwm / 1024,
                  "new": s.articles_new, "events": s.events_total, "error": s.error}}))
"""


def synthetic(n: int, seed_store: Path) -> tuple[pa.Table, pa.Table]:
    """n articles (and their events) made from a small real store's rows under new ids and months."""
    loaded = load(seed_store)
    ev = pa.Table.from_pandas(loaded.events, preserve_index=False)
    art = pa.Table.from_pandas(loaded.articles, preserve_index=False)
    rng = random.Random(3)
    arts, evs = [], []
    k = art.num_rows
    for start in range(0, n, k):
        rows = art.slice(0, min(k, n - start))
        ids = [hashlib.sha1(f"{start + i}".encode()).hexdigest()[:16] for i in range(rows.num_rows)]
        months = [f"{rng.randint(2011, 2024)}-{rng.randint(1, 12):02d}-15" for _ in ids]
        old_ids = rows.column("article_id").to_pylist()
        arts.append(rows.set_column(rows.schema.get_field_index("article_id"), "article_id", pa.array(ids))
                    .set_column(rows.schema.get_field_index("published"), "published", pa.array(months))
                    .set_column(rows.schema.get_field_index("doc"), "doc", pa.array([f"s{start + i}.txt" for i in range(len(ids))])))
        for old, new in zip(old_ids, ids):
            e = ev.filter(pc.equal(ev.column("article_id"), old))
            e = e.set_column(e.schema.get_field_index("article_id"), "article_id", pa.array([new] * e.num_rows))
            e = e.set_column(e.schema.get_field_index("event_id"), "event_id",
                             pa.array([hashlib.sha1(f"{new}{j}".encode()).hexdigest()[:16] for j in range(e.num_rows)]))
            evs.append(e)
    return pa.concat_tables(evs), pa.concat_tables(arts)


def measure(inputs: Path, out: Path) -> dict:
    code = CHILD.format(root=str(ROOT), inputs=str(inputs), out=str(out))
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(run.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--add", type=int, default=10)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        seed_store = tmp / "seed.parquet"
        build([ROOT / "seeds"], seed_store, progress=False)
        t = time.perf_counter()
        events, articles = synthetic(args.n, seed_store)
        print(f"synthetic store: {articles.num_rows} articles, {events.num_rows} events, "
              f"{articles.nbytes / 2**20:.0f} MB of articles in memory (made in {time.perf_counter() - t:.0f} s)")
        stores = {"partitioned": (tmp / "part" / "e.parquet", dataset.LAYOUT),
                  "generation": (tmp / "gen" / "e.parquet", None)}
        for name, (out, layout) in stores.items():
            t = time.perf_counter()
            with locked(out):
                commit(out, "parquet", events, articles, "synthetic", layout=layout)
            print(f"{name} store written in {time.perf_counter() - t:.1f} s")
        del events, articles
        new = tmp / "new"
        new.mkdir()
        from bench.build import make_corpus

        make_corpus(new, args.add, seed=99)
        results = {"empty store": measure(new, tmp / "empty" / "e.parquet")}
        for name, (out, _) in stores.items():
            results[f"{name} store of {args.n}"] = measure(new, out)
    print(f"adding {args.add} new articles (a fresh process each; peak RSS includes Python, the gazetteer and the extractor):")
    for name, r in results.items():
        print(f"  into the {name:32s} {r['seconds']:6.2f} s  peak RSS {r['rss_mb']:7.0f} MB  "
              f"({r['new']} new, {r['events']} events in the store{', ERROR ' + r['error'] if r['error'] else ''})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
