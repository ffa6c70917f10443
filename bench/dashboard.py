"""Dashboard server cost at 1k / 10k / 100k synthetic events (real gazetteer places, 2011-2024).

Prints, per size: the cold start and the server time of reruns measured with Streamlit's AppTest
(the whole script, including the map component's Python side) after a filter change, a date-slider change,
nothing changed (a map pan) and opening an event (a marker click; the event at the busiest place,
so its "events at this place" list is the longest); the map layer's size (fetched once per filter
setting, never re-sent on a pan); the filter and layer-building functions called directly. With
--browser, the same stores in headless chromium: navigation to markers drawn, a slider change to the
new markers drawn, a marker click to the panel showing its evidence.

    .venv/bin/python bench/dashboard.py [--sizes 1000 10000 100000] [--reps 3] [--browser]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # the synthetic generator lives with the tests

from streamlit.testing.v1 import AppTest

from dashboard import data, filters, mapview
from dashboard.filters import Filters
from tests.dashboard.synthetic import make_store, write_store

TYPE_SETS = [("shelling", "airstrike"), ("defection", "desertion"), ("clashes", "killing", "arrest"),
             ("bombing", "other", "shelling"), ("airstrike",)]


def timed(fn, reps: int) -> tuple[float, object]:
    """Median seconds of `reps` calls, and the last result."""
    times, result = [], None
    for _ in range(reps):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def layer_bytes(view) -> tuple[int, int]:
    """(bytes of the map layer the browser fetches, points in it)."""
    layer = mapview.layer(view)
    return len(json.dumps(layer, ensure_ascii=False, separators=(",", ":")).encode()), len(layer["points"])


def app_reruns(store: Path, reps: int, open_event: str) -> dict[str, float]:
    """Server time of whole-script reruns: cold start, a filter change, a slider change, a rerun with
    nothing changed (what a map pan costs), and opening an event (what a marker click costs)."""
    os.environ["EVENTS_STORE"] = str(store)
    at = AppTest.from_file(str(REPO / "dashboard" / "app.py"), default_timeout=600)
    t0 = time.perf_counter()
    at.run()
    cold = time.perf_counter() - t0
    assert not at.exception, at.exception
    lo, hi = at.slider(key="f_dates").value
    out = {"cold start": cold}
    filt, slide, still = [], [], []
    for i in range(reps):
        at.multiselect(key="f_types").set_value(list(TYPE_SETS[i % len(TYPE_SETS)]))
        t0 = time.perf_counter()
        at.run()
        filt.append(time.perf_counter() - t0)
        at.slider(key="f_dates").set_value((lo + timedelta(days=100 * (i + 1)), hi - timedelta(days=50 * (i + 1))))
        t0 = time.perf_counter()
        at.run()
        slide.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        at.run()
        still.append(time.perf_counter() - t0)
    at.multiselect(key="f_types").set_value([])
    at.slider(key="f_dates").set_value((lo, hi))
    at.run()
    opened = []
    for _ in range(reps):
        at.session_state["ev"] = None
        at.run()
        at.session_state["ev"] = open_event
        t0 = time.perf_counter()
        at.run()
        opened.append(time.perf_counter() - t0)
    out |= {"filter change": statistics.median(filt), "slider change": statistics.median(slide),
            "rerun, no change": statistics.median(still), "event opened": statistics.median(opened)}
    return out


def bench_size(n: int, reps: int, folder: Path, browser: bool) -> None:
    store = write_store(folder / f"events-{n}.parquet", *make_store(n, seed=n))
    events, _ = data.load_store(store)
    some = Filters(types=TYPE_SETS[0])
    view_some = filters.apply(events, some)
    print(f"\n== {n:,} events ({int(events[data.LOCATED].sum()):,} located, {events['place_id'].nunique():,} places)")
    busiest_place = events.loc[events[data.LOCATED], "place_id"].value_counts().index[0]
    open_event = events.loc[events["place_id"] == busiest_place, "event_id"].iloc[0]
    for label, seconds in app_reruns(store, reps, open_event).items():
        print(f"  app {label:<18} {seconds * 1000:8.0f} ms server time (AppTest)")
    for label, view in (("all events", events), ("2 of 9 types", view_some)):
        size, points = layer_bytes(view)
        print(f"  map layer, {label:<12} {size / 1e6:6.2f} MB, {points:,} points (fetched once per filter setting)")
    t_filter, _ = timed(lambda: filters.apply(events, some), reps)
    t_layer, _ = timed(lambda: mapview.layer(view_some), reps)
    print(f"  filters.apply {t_filter * 1000:7.1f} ms; map layer {t_layer * 1000:7.1f} ms "
          f"({len(view_some):,} events in view)")
    if browser:
        for label, seconds in browser_timings(store, events).items():
            print(f"  browser {label:<28} {seconds * 1000:8.0f} ms")


def browser_timings(store: Path, events) -> dict[str, float]:
    """Wall-clock times in headless chromium (the browser tests' harness) at 1400x1000."""
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, streamlit_app
    from tests.browser.test_dashboard import MAP, drag_slider_start, evidence, map_frame

    ready = "() => window.eventMap && window.eventMap.ready && window.eventMap.ready === window.eventMap.layerUrl"
    with streamlit_app(store, "bench") as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        t0 = time.perf_counter()
        page.goto(url)
        map_frame(page).wait_for_function(ready, timeout=300_000)
        out = {"navigation -> markers": time.perf_counter() - t0}
        before = map_frame(page).evaluate("window.eventMap.layerUrl")
        t0 = time.perf_counter()
        drag_slider_start(page, 0.5)
        map_frame(page).wait_for_function(f"() => window.eventMap.layerUrl !== {json.dumps(before)} && ({ready})()",
                                          timeout=300_000)
        out["slider change -> markers"] = time.perf_counter() - t0
        chosen = map_frame(page).evaluate("window.eventMap.layer.points[0].id")
        map_frame(page).evaluate("id => window.eventMap.show(id)", chosen)  # out of its cluster
        page.wait_for_timeout(1500)
        map_frame(page).evaluate("id => window.eventMap.markers.get(id).getElement().id = 'bench-target'", chosen)
        marker = page.frame_locator(MAP).locator("#bench-target")
        t0 = time.perf_counter()
        marker.click()
        evidence(page).wait_for(timeout=300_000)
        out["marker click -> panel"] = time.perf_counter() - t0
        browser.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--browser", action="store_true", help="also time the page in headless chromium")
    args = parser.parse_args()
    print(f"one marker per event up to {mapview.AGGREGATE_ABOVE:,} located events in view (clustered, "
          "spiderfied at one place), per-place bubbles beyond")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            bench_size(n, args.reps, Path(tmp), args.browser)


if __name__ == "__main__":
    main()
