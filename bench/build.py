"""Full-pipeline throughput of `python -m events build`: read + geoparse + extract + write.

Corpus: the bundled seed articles repeated with their paragraphs shuffled (so every copy is a new
article id and nothing is deduplicated), each with the seed's metadata row, >= 2,000 articles by
default. Prints articles/s on one core and with --workers 2 (fresh stores, the gazetteer already
loaded), and their ratio; also the time spent reading alone, geoparse vs extraction on one core, and
the CPU time per article of both builds: on a shared machine the wall-clock ratio depends on what
else runs (the load average is printed), while equal CPU per article shows the workers add no work.
With --dask (issue 15), also the Dask engine on a LocalCluster of --workers processes, in the same run:
the build on a running cluster (its workers load the gazetteer in the build), and with the cluster's
start added (a user pays it once a build, a long-lived cluster once). --rounds R repeats the builds,
interleaved, and keeps each one's fastest (other work on a shared machine slows some runs); every
store is checked to hold the 1-worker build's events. --skip-parts leaves out the
read/geoparse/extract split.

    .venv/bin/python bench/build.py [--n 2000] [--workers 2] [--dask] [--rounds 1] [--skip-parts]
"""
from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from events.corpus import Reject, read_articles  # noqa: E402
from events.extract import extract  # noqa: E402
from events.pipeline import build  # noqa: E402
from events.store import load  # noqa: E402
from gazetteer import geoparse  # noqa: E402


def make_corpus(folder: Path, n: int, seed: int = 7) -> None:
    """n articles made from the seeds by shuffling their paragraphs, plus a metadata sidecar."""
    rng = random.Random(seed)
    with open(ROOT / "seeds" / "seeds.csv", encoding="utf-8") as f:
        meta = {row["file"]: row for row in csv.DictReader(f)}
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    texts = {p.name: [x for x in p.read_text(encoding="utf-8").split("\n") if x.strip()] for p in seeds}
    seen: set[str] = set()
    rows = []
    i = 0
    while len(rows) < n:
        name = seeds[i % len(seeds)].name
        i += 1
        paras = texts[name][:]
        head, body = paras[0], paras[1:]
        rng.shuffle(body)
        text = "\n\n".join([head, *body])
        if text in seen:
            continue
        seen.add(text)
        out = f"{len(rows):05d}_{name}"
        (folder / out).write_text(text, encoding="utf-8")
        rows.append({"file": out, "outlet": meta[name]["outlet"], "published": meta[name]["published"]})
    with open(folder / "meta.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["file", "outlet", "published"])
        w.writeheader()
        w.writerows(rows)


def timed_build(folder: Path, out: Path, workers: int, **kw):
    """build() and the CPU seconds it took in this process and its workers (sampled before each child
    exits: a thread polls the children's CPU times; a child already running, a Dask worker, counts from
    the build's start)."""
    import threading

    import psutil

    def cpu(c: psutil.Process) -> float:
        t = c.cpu_times()
        return t.user + t.system

    def children() -> dict[int, float]:
        found = {}
        for c in psutil.Process().children(recursive=True):
            try:
                found[c.pid] = cpu(c)
            except psutil.Error:
                pass
        return found

    before = children()
    seen: dict[int, float] = {}
    stop = threading.Event()

    def poll() -> None:
        while not stop.is_set():
            seen.update(children())
            stop.wait(0.2)

    self_before = cpu(psutil.Process())
    thread = threading.Thread(target=poll, daemon=True)
    thread.start()
    summary = build([folder], out, workers=workers, progress=False, **kw)
    stop.set()
    thread.join()
    seen.update(children())
    return summary, cpu(psutil.Process()) - self_before + sum(c - before.get(pid, 0.0) for pid, c in seen.items())


def same_events(a: Path, b: Path) -> bool:
    """Whether two stores hold the same events, row for row and value for value."""
    x, y = (load(s).events.sort_values("event_id").reset_index(drop=True) for s in (a, b))
    return x.equals(y)


def timed_dask(folder: Path, out: Path, workers: int):
    """The Dask engine on a LocalCluster this bench starts first (timed apart, as a user pays it once),
    then a build on it: (summary, CPU seconds of the build, seconds to start the cluster)."""
    from distributed import Client

    from events.engines import local_cluster

    t = time.perf_counter()
    cluster = local_cluster(workers)
    Client(cluster).close()  # the workers are up
    start_s = time.perf_counter() - t
    try:
        summary, cpu = timed_build(folder, out, workers, engine="dask", scheduler=cluster.scheduler_address)
    finally:
        cluster.close()
    return summary, cpu, start_s


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--dask", action="store_true", help="also the Dask engine on a LocalCluster of --workers processes")
    ap.add_argument("--rounds", type=int, default=1, help="repeat the builds, interleaved, and keep each one's best")
    ap.add_argument("--skip-parts", action="store_true", help="skip the read-only/geoparse/extract timings")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        make_corpus(folder, args.n)
        geoparse("حلب")  # load the gazetteer outside the timings

        rejects: list[Reject] = []
        if not args.skip_parts:
            t = time.perf_counter()
            articles = list(read_articles([folder], rejects))
            read_s = time.perf_counter() - t

            t = time.perf_counter()
            mentions = [geoparse(a.text) for a in articles]
            geo_s = time.perf_counter() - t
            t = time.perf_counter()
            n_events = sum(len(extract(a, a.analysis, m)) for a, m in zip(articles, mentions))
            ext_s = time.perf_counter() - t
            del articles, mentions

        runs: dict[str, list] = {"one": [], "many": [], "dask": []}
        for r in range(args.rounds):  # interleaved, so a burst of other work falls on every engine alike
            runs["one"].append(timed_build(folder, Path(tmp) / f"one{r}.parquet", 1))
            runs["many"].append(timed_build(folder, Path(tmp) / f"many{r}.parquet", args.workers))
            if args.dask:
                runs["dask"].append(timed_dask(folder, Path(tmp) / f"dask{r}.parquet", args.workers))
        best = {k: min(v, key=lambda run: run[0].seconds) for k, v in runs.items() if v}
        one, cpu_one = best["one"]
        many, cpu_many = best["many"]
        if args.dask:
            dsk, cpu_dask, start_s = best["dask"]
            same = same_events(one.out, dsk.out) and same_events(one.out, many.out)
        rounds = "; ".join(f"{k} " + " ".join(f"{run[0].seconds:.1f}" for run in v) for k, v in runs.items() if v)

    n = one.articles_new
    if not args.skip_parts:
        print(f"corpus: {n} articles (seeds with shuffled paragraphs), {n_events} events, {len(rejects)} rejects")
        print(f"read only:            {n / read_s:8.0f} articles/s")
        print(f"geoparse only:        {n / geo_s:8.0f} articles/s ({geo_s / (geo_s + ext_s):.0%} of geoparse+extract)")
        print(f"extract only:         {n / ext_s:8.0f} articles/s")
    else:
        print(f"corpus: {n} articles (seeds with shuffled paragraphs)")
    if args.rounds > 1:
        print(f"best of {args.rounds} interleaved rounds (seconds: {rounds})")
    r1 = one.articles_new / one.seconds
    rn = many.articles_new / many.seconds
    print(f"full build, 1 worker: {r1:8.0f} articles/s ({one.seconds:.1f} s, {one.events_total} events)")
    print(f"full build, {args.workers} workers: {rn:7.0f} articles/s ({many.seconds:.1f} s, {many.events_total} events)")
    print(f"speed-up {args.workers} workers / 1 worker: {rn / r1:.2f}x")
    if args.dask:
        rd = dsk.articles_new / dsk.seconds
        rs = dsk.articles_new / (dsk.seconds + start_s)
        print(f"dask, {args.workers}-worker LocalCluster: {rd:7.0f} articles/s ({dsk.seconds:.1f} s, cluster running; "
              f"{'the same events as the local engine' if same else 'EVENTS DIFFER from the local engine'})")
        print(f"  with the cluster start: {rs:7.0f} articles/s ({start_s:.1f} s to start it)")
        print(f"speed-up dask / 1 worker: {rd / r1:.2f}x ({rs / r1:.2f}x with the cluster start)")
    print(f"CPU per article: {1000 * cpu_one / n:.1f} ms (1 worker), {1000 * cpu_many / n:.1f} ms ({args.workers} workers, "
          f"all processes)" + (f", {1000 * cpu_dask / n:.1f} ms (dask, all processes)" if args.dask else "")
          + f"; load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
