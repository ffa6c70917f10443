"""Load benchmark (issue 14): N analysts at once on one dashboard server, against one analyst alone.

One server (`streamlit run`, as the browser tests start it) on a synthetic store. An analyst is by default
a websocket client speaking Streamlit's own protocol (bench/analyst.py over bench/wsclient.py: what a
browser tab sends and receives, and the map files it fetches, without rendering); with --browser, a
headless chromium context (bench/load_browser.py), whose rendering competes with the server for the CPUs.
A visit: open the page, move the date slider, choose a type (websocket mode), open an event, reload;
every step is checked to have changed the page as it should.

Load models, measured in rounds beside the one-analyst baseline (each round: alone, lockstep, think time,
so that the other work on a shared machine, which drifts, weighs on all three alike):
- lockstep: all N analysts fire each step at the same moment (a barrier before every step), the worst
  case: the server runs the N scripts in threads of one Python process, so a step takes between N/C and
  N times its time alone on C CPUs (the GIL lets one thread run Python at a time);
- think time: each analyst waits a random 1-4 s (seeded per analyst) before each step, as people read
  the page between clicks; their visits overlap at random. Issue 14's target (median step <= 2x alone)
  is judged on this model.
Printed per step and model: median and 90th percentile, and the median's ratio to the analyst alone; the
server's memory (RSS) after the baseline and its peak under each model; the server's CPU per visit and
how busy it kept the machine; this process's CPU (the clients' own cost); the load average. The server
runs this tree's code (PYTHONPATH) and inherits this process's environment, so a server setting can be
tried without a code change, e.g. `STREAMLIT_SERVER_FILE_WATCHER_TYPE=none .venv/bin/python bench/load.py`.

    .venv/bin/python bench/load.py [--sessions 10] [--rounds 2] [--visits 2] [--alone 3] [--events 10000] [--browser]
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # the synthetic generator and the server harness live with the tests

from bench.analyst import Analyst  # noqa: E402
from tests.browser.conftest import ARTIFACTS, streamlit_app  # noqa: E402
from tests.dashboard.synthetic import make_store, write_store  # noqa: E402

THINK_S = (1.0, 4.0)
SERVER = "bench-load"  # the server's log: test-artifacts/bench-load.server.log
TARGET_RATIO = 2.0


class Sampler(threading.Thread):
    """The server's RSS (with any children) every 100 ms, its peak since `reset`, and its CPU time."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.proc, self.peak, self.done = psutil.Process(pid), 0, threading.Event()

    def rss(self) -> int:
        procs = [self.proc, *self.proc.children(recursive=True)]
        return sum(p.memory_info().rss for p in procs if p.is_running())

    def cpu(self) -> float:
        t = self.proc.cpu_times()
        return t.user + t.system

    def reset(self) -> None:
        self.peak = self.rss()

    def run(self) -> None:
        while not self.done.is_set():
            self.peak = max(self.peak, self.rss())
            time.sleep(0.1)


def own_cpu(server: psutil.Process) -> float:
    """CPU seconds of this process and its children but the server (the clients; with --browser, the browsers)."""
    procs = [psutil.Process(), *psutil.Process().children(recursive=True)]
    skip = {server.pid, *(c.pid for c in server.children(recursive=True))}
    total = 0.0
    for p in (p for p in procs if p.pid not in skip):
        with contextlib.suppress(psutil.NoSuchProcess):
            t = p.cpu_times()
            total += t.user + t.system
    return total


@dataclass
class Phase:
    """What one load model measured: step -> times, and the server's and clients' costs over it."""

    name: str
    sessions: int
    times: dict[str, list[float]] = field(default_factory=dict)
    visits: int = 0
    wall: float = 0.0
    server_cpu: float = 0.0
    client_cpu: float = 0.0
    peak_rss: int = 0
    failures: Counter[str] = field(default_factory=Counter)  # "step: error" -> how often

    def add(self, other: Phase) -> None:
        for step, times in other.times.items():
            self.times.setdefault(step, []).extend(times)
        self.visits += other.visits
        self.wall += other.wall
        self.server_cpu += other.server_cpu
        self.client_cpu += other.client_cpu
        self.peak_rss = max(self.peak_rss, other.peak_rss)
        self.failures.update(other.failures)

    def median(self, step: str) -> float:
        return statistics.median(self.times[step])

    def p90(self, step: str) -> float:
        xs = sorted(self.times[step])
        return xs[0] if len(xs) == 1 else statistics.quantiles(xs, n=10, method="inclusive")[8]


async def walk(analyst, visits: int, numbers: Iterator[int], phase: Phase, think: random.Random | None,
               barrier: asyncio.Barrier | None) -> None:
    """One analyst's visits, every step timed (think time and waiting at the barrier are not). A step that
    fails (an error on the page, a check that does not hold) is counted, not timed, and ends its visit;
    the analyst still meets the others at the barrier for the steps it skips."""
    for _ in range(visits):
        visit = analyst.visit(next(numbers))
        failed = False
        try:
            for step in visit.steps:
                if barrier is not None:
                    await barrier.wait()
                if failed:
                    continue
                if think is not None:
                    await asyncio.sleep(think.uniform(*THINK_S))
                t0 = time.perf_counter()
                try:
                    await visit.step(step)
                except Exception as e:  # noqa: BLE001 - every failure is reported with the figures
                    phase.failures[f"{step}: {type(e).__name__}: {str(e)[:160]}"] += 1
                    failed = True
                    continue
                phase.times.setdefault(step, []).append(time.perf_counter() - t0)
        finally:
            await visit.close()
        phase.visits += 1


async def measure(phase: Phase, analysts: list, visits: int, numbers: Iterator[int], sampler: Sampler,
                  lockstep: bool = False, seed: int | None = None) -> None:
    """Run the analysts' visits concurrently under one load model, adding what was measured to `phase`."""
    barrier = asyncio.Barrier(len(analysts)) if lockstep else None
    sampler.reset()
    cpu0, own0, t0 = sampler.cpu(), own_cpu(sampler.proc), time.perf_counter()
    async with asyncio.TaskGroup() as tg:
        for i, analyst in enumerate(analysts):
            think = None if seed is None else random.Random(seed * 1000 + i)
            tg.create_task(walk(analyst, visits, numbers, phase, think, barrier))
    phase.wall += time.perf_counter() - t0
    phase.server_cpu += sampler.cpu() - cpu0
    phase.client_cpu += own_cpu(sampler.proc) - own0
    phase.peak_rss = max(phase.peak_rss, sampler.peak)


@contextlib.asynccontextmanager
async def analyst_factory(url: str, browser: bool) -> AsyncIterator:
    """A function making a new analyst (a new browser, with an empty cache) per call."""
    if not browser:
        yield lambda: Analyst(url)
        return
    from bench.load_browser import BrowserAnalyst, chromium

    async with chromium() as b:
        yield lambda: BrowserAnalyst(b, url)


async def run(url: str, pid: int, args: argparse.Namespace) -> None:
    sampler = Sampler(pid)
    sampler.start()
    numbers = itertools.count()
    n = args.sessions
    alone, lockstep, think = Phase("alone", 1), Phase("lockstep", n), Phase("think time", n)
    drift: list[float] = []  # per round: the analyst alone's sum of step medians
    async with analyst_factory(url, args.browser) as new:
        await measure(Phase("warm-up", 1), [new()], 1, numbers, sampler)  # the first visit builds the caches
        for r in range(args.rounds):
            round_alone = Phase("alone", 1)
            await measure(round_alone, [new()], args.alone, numbers, sampler)
            alone.add(round_alone)
            drift.append(sum(map(round_alone.median, round_alone.times)))
            if r == 0:
                after_one = sampler.rss()
            await measure(lockstep, [new() for _ in range(n)], args.visits, numbers, sampler, lockstep=True)
            await measure(think, [new() for _ in range(n)], args.visits, numbers, sampler, seed=args.seed + r)
    sampler.done.set()
    report(alone, drift, after_one, [lockstep, think])


def report(alone: Phase, drift: list[float], after_one: int, loads: list[Phase]) -> None:
    print("the analyst alone, sum of the step medians per round (the machine's drift): "
          + ", ".join(f"{x:.2f} s" for x in drift))
    n = loads[0].sessions
    head = f"{'step':<17} {'alone':>15}" + "".join(f" {f'{p.name} ({n})':>24}" for p in loads)
    print(head)
    print(f"{'':<17} {'median':>7} {'p90':>7}" + f" {'median':>7} {'p90':>7} {'ratio':>7}" * len(loads))
    for step in alone.times:
        one = alone.median(step)
        line = f"{step:<17} {one:>6.2f}s {alone.p90(step):>6.2f}s"
        for p in loads:
            line += (f" {p.median(step):>6.2f}s {p.p90(step):>6.2f}s {p.median(step) / one:>6.1f}x"
                     if p.times.get(step) else f" {'every one failed':>24}")
        print(line)
    counts = ", ".join(f"{p.name} {p.visits} visits ({min(map(len, p.times.values()))} or more per step)" for p in loads)
    print(f"samples: alone {alone.visits} visits; {counts}")
    print(f"server memory (RSS): {after_one / 2**20:.0f} MB after one analyst; peak "
          + ", ".join(f"{p.peak_rss / 2**20:.0f} MB {p.name} ({p.peak_rss / after_one:.2f}x)" for p in loads))
    cpus = psutil.cpu_count()
    for p in [alone, *loads]:
        print(f"{p.name:<11} server CPU {p.server_cpu / p.visits:5.2f} s per visit, {p.server_cpu / p.wall:4.2f} of "
              f"{cpus} CPUs busy over {p.wall:5.1f} s; clients (this process) {p.client_cpu:5.1f} s CPU")
    print(f"load average (1, 5, 15 min) at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for p in [alone, *loads]:
        for failure, count in p.failures.most_common():
            print(f"FAILED {count}x under {p.name}: {failure} (server log: {ARTIFACTS / f'{SERVER}.server.log'})")
    think = loads[-1]
    failed = sum(think.failures.values())
    worst = max((s for s in alone.times if think.times.get(s)), key=lambda s: think.median(s) / alone.median(s))
    ratio = think.median(worst) / alone.median(worst)
    memory = max(p.peak_rss for p in loads) / after_one
    print(f"target ({think.name} model): every step's median <= {TARGET_RATIO:.0f}x alone: "
          f"{'met' if ratio <= TARGET_RATIO and not failed else 'NOT met'} (worst: {worst}, {ratio:.2f}x"
          f"{f'; {failed} steps failed' if failed else ''}); "
          f"peak memory <= {TARGET_RATIO:.0f}x: {'met' if memory <= TARGET_RATIO else 'NOT met'} ({memory:.2f}x)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sessions", type=int, default=10, help="analysts at once")
    ap.add_argument("--rounds", type=int, default=2,
                    help="rounds of (alone, lockstep, think time): the baseline is measured beside the loads")
    ap.add_argument("--visits", type=int, default=2, help="visits per analyst per round under each load model")
    ap.add_argument("--alone", type=int, default=3, help="visits per round of the analyst alone (the baseline)")
    ap.add_argument("--events", type=int, default=10_000, help="synthetic events in the store")
    ap.add_argument("--seed", type=int, default=1, help="seeds the think times (round r: seed + r)")
    ap.add_argument("--browser", action="store_true", help="headless chromium analysts instead of websocket clients")
    args = ap.parse_args()
    # `streamlit run` puts dashboard/ on sys.path, not the repo: without this the server would import the
    # packages (dashboard, events) from wherever the shared venv's editable install points, not this tree
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    with tempfile.TemporaryDirectory() as tmp:
        store = write_store(Path(tmp) / "events.parquet", *make_store(args.events, seed=1))
        print(f"{args.events:,} synthetic events; {psutil.cpu_count()} CPUs; "
              f"{'chromium' if args.browser else 'websocket'} analysts; load average at the start "
              f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}")
        with streamlit_app(store, SERVER) as url:
            pid = next(c.pid for c in psutil.Process().children() if "streamlit" in " ".join(c.cmdline()))
            asyncio.run(run(url, pid, args))


if __name__ == "__main__":
    main()
