"""Geoparser throughput, index readiness and memory, against a plain exact-lookup baseline.

    .venv/bin/python bench/geoparse.py [--articles 2000] [--repeat 3]

The corpus is the bundled seed articles repeated with their paragraphs shuffled (speed only).
The baseline is the "plain dictionary lookup" the geoparser replaces: normalise, split into
words, look every word and word pair up in the same name index, keep every hit. Both run in
this process on one core, so the ratio is meaningful on any machine. On a shared machine the CPU
ratio still moves with the load (geoparsing suffers more from others' use of the caches): it is
measured `--repeat` times and the median reported.
"""
from __future__ import annotations

import argparse
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gazetteer.geoparser import geoparse  # noqa: E402
from gazetteer.index import _cache_path, get_index  # noqa: E402
from arabic.normalize import normalize  # noqa: E402
from arabic.tokens import tokenize  # noqa: E402


def corpus(n: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    out = []
    for i in range(n):
        paras = [p for p in seeds[i % len(seeds)].split("\n") if p.strip()]
        rng.shuffle(paras)
        out.append("\n".join(paras))
    return out


def exact_lookup(text: str) -> list[tuple[int, int, tuple[int, ...]]]:
    """Baseline: every word and word pair whose key is a place name, no context at all."""
    idx = get_index()
    n = normalize(text)
    words = tokenize(n.text)
    hits = []
    for i, w in enumerate(words):
        rows = idx.rows.get(w.text)
        if rows:
            hits.append((w.start, w.end, rows))
        if i + 1 < len(words):
            rows = idx.rows.get(f"{w.text} {words[i + 1].text}")
            if rows:
                hits.append((w.start, words[i + 1].end, rows))
    return hits


def timed_pair(fn_a, fn_b, docs: list[str], chunk: int = 50,
               clock=time.perf_counter) -> tuple[float, float]:
    """Time two functions over the same documents, interleaved chunk by chunk, so that a
    busy machine slows both alike and their ratio stays meaningful. `clock`: wall time by
    default; time.thread_time counts this thread's CPU time only (steadier on a shared machine)."""
    ta = tb = 0.0
    for i in range(0, len(docs), chunk):
        part = docs[i:i + chunk]
        t0 = clock()
        for d in part:
            fn_a(d)
        t1 = clock()
        for d in part:
            fn_b(d)
        ta, tb = ta + t1 - t0, tb + clock() - t1
    return ta, tb


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=3, help="CPU-time ratio measurements, the median reported")
    args = ap.parse_args()
    docs = corpus(args.articles)
    kb = sum(len(d.encode()) for d in docs) / len(docs) / 1024

    # The cold build loads wordfreq and geopandas: time it in a child so this process's peak
    # memory is that of geoparsing alone.
    cold = float(subprocess.run(
        [sys.executable, "-c", "import time; from gazetteer.index import build_index; "
         "t = time.perf_counter(); build_index(); print(time.perf_counter() - t)"],
        cwd=ROOT, check=True, capture_output=True, text=True).stdout)
    get_index()  # make sure the on-disk cache exists
    get_index.cache_clear()
    t0 = time.perf_counter()
    get_index()
    warm = time.perf_counter() - t0
    geoparse(docs[0])

    base, full = timed_pair(exact_lookup, geoparse, docs)
    cpu = sorted((f / b for b, f in (timed_pair(exact_lookup, geoparse, docs, clock=time.thread_time)
                                      for _ in range(max(1, args.repeat)))))
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"articles: {len(docs)} (mean {kb:.1f} KB)")
    size = _cache_path().stat().st_size / 1e6
    print(f"index: cold build {cold:.2f} s, cached load {warm:.2f} s ({size:.1f} MB at {_cache_path()})")
    print(f"baseline exact lookup: {len(docs) / base:,.0f} articles/s ({base / len(docs) * 1000:.2f} ms each)")
    print(f"geoparse:              {len(docs) / full:,.0f} articles/s ({full / len(docs) * 1000:.2f} ms each)")
    print(f"ratio geoparse/baseline time: {full / base:.2f}x (CPU time: {statistics.median(cpu):.2f}x, "
          f"median of {', '.join(f'{x:.2f}' for x in cpu)})")
    print(f"peak memory (max RSS): {rss_mb:.0f} MB")


if __name__ == "__main__":
    main()
