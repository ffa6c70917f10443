"""Load benchmark (issue 14): ten browser sessions at once on one dashboard server, against one session alone.

One server (`streamlit run`, as the browser tests start it) on a synthetic store; headless chromium (one
browser, a fresh context per session). Each session: open the page until the map has drawn its markers,
move the date slider until the new layer is drawn, open an event from the feed until its evidence shows,
reload. First one session alone (the baseline), then N at once; printed: the median and worst time of each
step, the server's memory (RSS) after the baseline and at its peak under load, and the server's CPU time
per session (on a small machine the N browsers compete with the server for the same CPUs). The store and the
gazetteer are cached once per server (st.cache_resource), so more sessions should cost little memory.

    .venv/bin/python bench/load.py [--sessions 10] [--events 10000]
"""
from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # the synthetic generator and the server harness live with the tests

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, streamlit_app  # noqa: E402
from tests.dashboard.synthetic import make_store, write_store  # noqa: E402

MAP = 'iframe[title="dashboard.mapview.eventmap"]'
TIMEOUT = 180_000
STEPS = ("open page", "move date slider", "open event", "reload")


async def session(browser, url: str) -> dict[str, float]:
    """One analyst's steps, each timed until its result is on screen."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    times: dict[str, float] = {}

    async def frame():
        await page.locator(MAP).wait_for(timeout=TIMEOUT)
        return next(f for f in page.frames if "eventmap" in f.url)

    async def drawn(after: str | None = None) -> str:
        f = await frame()
        handle = await f.wait_for_function(
            "before => window.eventMap.ready && window.eventMap.ready !== before && window.eventMap.ready",
            arg=after, timeout=TIMEOUT)
        return await handle.json_value()

    t0 = time.perf_counter()
    await page.goto(url)
    layer = await drawn()
    times["open page"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    thumb = page.get_by_test_id("stSlider").get_by_role("slider").first
    await thumb.focus()
    for _ in range(3):
        await page.keyboard.press("PageUp")
    await drawn(layer)
    times["move date slider"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    f = await frame()
    await f.locator("#feed li").first.click()
    await page.locator("blockquote.evidence-sentence").wait_for(timeout=TIMEOUT)
    await page.wait_for_url(re.compile(r"[?&]ev="), timeout=TIMEOUT)
    times["open event"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    await page.reload()
    await page.locator("blockquote.evidence-sentence").wait_for(timeout=TIMEOUT)
    await drawn()
    times["reload"] = time.perf_counter() - t0
    await context.close()
    return times


class Peak(threading.Thread):
    """Samples the server's RSS (with its children) every 100 ms; `peak` in bytes."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.proc, self.peak, self.stop = psutil.Process(pid), 0, threading.Event()

    def rss(self) -> int:
        procs = [self.proc, *self.proc.children(recursive=True)]
        return sum(p.memory_info().rss for p in procs if p.is_running())

    def cpu(self) -> float:
        """CPU seconds the server has used so far."""
        t = self.proc.cpu_times()
        return t.user + t.system

    def run(self) -> None:
        while not self.stop.is_set():
            self.peak = max(self.peak, self.rss())
            time.sleep(0.1)


async def run(url: str, pid: int, sessions: int) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        await session(browser, url)  # warm-up: the first ever session builds the server's caches
        sampler = Peak(pid)
        sampler.start()
        cpu0 = sampler.cpu()
        alone = [await session(browser, url) for _ in range(3)]
        cpu1, after_one = sampler.cpu(), sampler.rss()
        sampler.peak = 0
        together = await asyncio.gather(*(session(browser, url) for _ in range(sessions)))
        cpu2 = sampler.cpu()
        sampler.stop.set()
        await browser.close()
    print(f"{'step':<18} {'1 session (median)':>19} {f'{sessions} sessions (median)':>21} {'(worst)':>9} {'ratio':>6}")
    for step in STEPS:
        one = statistics.median(t[step] for t in alone)
        many = [t[step] for t in together]
        print(f"{step:<18} {one:>17.2f} s {statistics.median(many):>19.2f} s {max(many):>7.2f} s "
              f"{statistics.median(many) / one:>5.1f}x")
    print(f"server memory: {after_one / 2**20:.0f} MB after one session, {sampler.peak / 2**20:.0f} MB at the peak "
          f"of {sessions} sessions ({sampler.peak / after_one:.2f}x)")
    print(f"server CPU per session: {(cpu1 - cpu0) / 3:.2f} s alone, {(cpu2 - cpu1) / sessions:.2f} s with {sessions} "
          f"at once (the rest of the wall time is the browsers, which share the same {psutil.cpu_count()} CPUs)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sessions", type=int, default=10)
    ap.add_argument("--events", type=int, default=10_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = write_store(Path(tmp) / "events.parquet", *make_store(args.events, seed=1))
        print(f"{args.events:,} synthetic events; {psutil.cpu_count()} CPUs")
        with streamlit_app(store, "bench-load") as url:
            pid = next(c.pid for c in psutil.Process().children() if "streamlit" in " ".join(c.cmdline()))
            asyncio.run(run(url, pid, args.sessions))


if __name__ == "__main__":
    main()
