"""Dashboard server cost at 1k / 10k / 100k / 1M synthetic events, and against a baseline commit.

The stores are made here (tests/dashboard/synthetic.py: real gazetteer places, 2011-2024, seeded by
their size) in a temporary folder, never committed. Per size: the cold start and the server time of
reruns measured with Streamlit's AppTest (the whole script, including the map component's Python side)
after a filter change (event types), a date-slider change, nothing changed (a map pan) and opening an
event (a marker click; the event at the busiest place, so its "events at this place" list is the
longest); the map layer the browser fetches (once per filter setting) and the query layer's figures
called directly. The memory of this process (AppTest runs the app in it) is printed after each size.

--baseline DIR runs the same AppTest reruns, on the same stores, with the code of another checkout
(a git worktree of the commit before the query layer: `git worktree add --detach /tmp/dash-base
830657c`), in a subprocess so that its modules do not meet ours; at the sizes of --baseline-sizes.

--browser drives headless chromium (the browser tests' harness) against `streamlit run` on a fresh
server per store, at the sizes of --browser-sizes: navigation to the first markers or bubbles drawn
(the server's cold start included), a slider change to its new markers drawn (and the bytes received
over the websocket and by fetches meanwhile), a marker click to the panel showing its evidence (and
its bytes); then the server's memory (RSS) after one session and after --sessions more.

    .venv/bin/python bench/dashboard.py [--sizes 1000 10000 100000 1000000] [--reps 3]
        [--baseline /tmp/dash-base] [--baseline-sizes 100000] [--browser] [--browser-sizes 10000 100000]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TYPE_SETS = [("shelling", "airstrike"), ("defection", "desertion"), ("clashes", "killing", "arrest"),
             ("bombing", "other", "shelling"), ("airstrike",)]
RERUNS = ("cold start", "filter change", "slider change", "rerun, no change", "event opened")


def rss_mb(pid: int | str = "self") -> tuple[float, float]:
    """(resident memory now, its peak) of a process, in MB."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return tuple(int(fields[k].split()[0]) / 1024 for k in ("VmRSS", "VmHWM"))


def timed(fn, reps: int) -> tuple[float, object]:
    """Median seconds of `reps` calls, and the last result."""
    times, result = [], None
    for _ in range(reps):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def app_reruns(app: Path, store: Path, reps: int, open_event: str) -> dict[str, float]:
    """Server time of whole-script reruns of `app` on `store`: cold start, a filter change, a slider change,
    a rerun with nothing changed (what a map pan costs), and opening an event (what a marker click costs);
    each as wall-clock seconds and as the process's CPU seconds (all threads: what the rerun costs the
    machine, which other work on it does not inflate), under "LABEL" and "LABEL, CPU"."""
    from streamlit.testing.v1 import AppTest

    os.environ["EVENTS_STORE"] = str(store)
    at = AppTest.from_file(str(app), default_timeout=900)
    times: dict[str, list[tuple[float, float]]] = {label: [] for label in RERUNS}

    def run(label: str) -> None:
        t0, c0 = time.perf_counter(), time.process_time()
        at.run()
        times[label].append((time.perf_counter() - t0, time.process_time() - c0))
        assert not at.exception, at.exception

    run("cold start")
    lo, hi = at.slider(key="f_dates").value
    for i in range(reps):
        at.multiselect(key="f_types").set_value(list(TYPE_SETS[i % len(TYPE_SETS)]))
        run("filter change")
        at.slider(key="f_dates").set_value((lo + timedelta(days=100 * (i + 1)), hi - timedelta(days=50 * (i + 1))))
        run("slider change")
        run("rerun, no change")
    at.multiselect(key="f_types").set_value([])
    at.slider(key="f_dates").set_value((lo, hi))
    at.run()
    for _ in range(reps):
        at.session_state["ev"] = None
        at.run()
        at.session_state["ev"] = open_event
        run("event opened")
    out = {}
    for label, pairs in times.items():
        out[label] = statistics.median(w for w, _ in pairs)
        out[f"{label}, CPU"] = statistics.median(c for _, c in pairs)
    return out


def baseline_reruns(checkout: Path, store: Path, reps: int, open_event: str) -> dict[str, float]:
    """app_reruns of another checkout's app, in a subprocess run from that checkout."""
    out = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--apptest-of", str(checkout),
                          "--store", str(store), "--open", open_event, "--reps", str(reps)],
                         cwd=checkout, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def make(n: int, folder: Path) -> tuple[Path, str, dict]:
    """A synthetic store of n events (made in a subprocess: this one's memory is the app's); the event at
    its busiest place; what it holds."""
    import duckdb

    store = folder / f"events-{n}.parquet"
    subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; "
                    "from tests.dashboard.synthetic import make_store, write_store; "
                    f"write_store(Path(sys.argv[1]), *make_store({n}, seed={n}))", str(store)], cwd=REPO, check=True)
    con = duckdb.connect()
    located, places, busiest = con.execute("SELECT count(latitude), count(DISTINCT place_id), mode(place_id) "
                                           "FROM read_parquet(?)", [str(store)]).fetchone()
    event = con.execute("SELECT min(event_id) FROM read_parquet(?) WHERE place_id = ?", [str(store), busiest]).fetchone()[0]
    return store, event, {"located": located, "places": places}


def bench_size(n: int, args: argparse.Namespace, folder: Path, results: dict) -> None:
    from dashboard import mapview, query
    from dashboard.filters import Filters

    t0 = time.perf_counter()
    store, open_event, held = make(n, folder)
    print(f"\n== {n:,} events ({held['located']:,} located, {held['places']:,} places; store made in "
          f"{time.perf_counter() - t0:.0f} s; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)", flush=True)
    after = app_reruns(REPO / "dashboard" / "app.py", store, args.reps, open_event)
    results[n] = {"after": after}
    rss, peak = rss_mb()
    for label in RERUNS:
        print(f"  app {label:<18} {after[label] * 1000:8.0f} ms server time (AppTest), CPU {after[label + ', CPU'] * 1000:6.0f} ms",
              flush=True)
    print(f"  memory of this process (AppTest runs the app in it): {rss:,.0f} MB resident, peak {peak:,.0f} MB")
    if args.baseline and n in args.baseline_sizes:
        before = baseline_reruns(args.baseline, store, args.reps, open_event)
        results[n]["before"] = before
        for label in RERUNS:
            print(f"  baseline {label:<13} {before[label] * 1000:8.0f} ms server time (AppTest), "
                  f"CPU {before[label + ', CPU'] * 1000:6.0f} ms ({args.baseline})", flush=True)
    t_load, s = timed(lambda: query.Store.load(store), 1)
    some = Filters(types=TYPE_SETS[0])
    for label, f in (("all events", Filters()), ("2 of 9 types", some)):
        layer = mapview.layer(s, f, "/sites.json")
        size = len(json.dumps(layer, ensure_ascii=False, separators=(",", ":")).encode())
        print(f"  map layer, {label:<12} {size / 1e3:7.0f} kB, {len(layer['points']['id']):,} {layer['mode']} "
              "(fetched once per filter setting)")
    sites = len(json.dumps(mapview.sites(s), ensure_ascii=False, separators=(",", ":")).encode())
    print(f"  map sites {sites / 1e3:7.0f} kB (fetched once per store version)")
    fresh = lambda fn: (s._memo.clear(), fn())[1]  # noqa: E731 - time the queries, not the memo
    figures = {"headline": lambda: s.headline(some), "timeline": lambda: s.timeline(some, "M"),
               "layer": lambda: mapview.layer(s, some, "/sites.json"), "table page": lambda: s.page(some, 0, 100),
               "one event": lambda: s.event(open_event, some)}
    times = {k: timed(lambda fn=fn: fresh(fn), args.reps)[0] for k, fn in figures.items()}
    print(f"  query layer: store loaded in {t_load:.1f} s; " + "; ".join(f"{k} {v * 1000:.0f} ms" for k, v in times.items())
          + f" (load average now {os.getloadavg()[0]:.1f})")
    if args.browser and n in args.browser_sizes:
        results[n]["browser"] = browser_timings(store, args.sessions, f"bench-{n}")
        for label, value in results[n]["browser"].items():
            print(f"  browser {label:<36} {value:10,.0f}", flush=True)


def browser_timings(store: Path, sessions: int, name: str) -> dict[str, float]:
    """Wall-clock times (ms), bytes received (kB) and server memory (MB) in headless chromium at 1400x1000;
    screenshots of the first view and of the view after the slider change in test-artifacts/NAME-*.png."""
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, streamlit_server
    from tests.browser.test_dashboard import MAP, drag_slider_start, evidence, map_frame

    ready = "() => window.eventMap && window.eventMap.ready && window.eventMap.ready === window.eventMap.layerUrl"
    received = {"ws": 0, "fetch": 0, "layers": 0}

    def count_ws(ws) -> None:
        ws.on("framereceived", lambda payload: received.__setitem__("ws", received["ws"] + len(payload)))

    def count_fetch(response) -> None:
        if "/app/static/" in response.url and response.url.endswith(".json"):
            received["fetch"] += len(response.body())
            received["layers"] += "/layers/" in response.url

    def since(t0: float) -> float:
        return (time.perf_counter() - t0) * 1000

    with streamlit_server(store, "bench") as (url, proc), sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.on("websocket", count_ws)
        page.on("response", count_fetch)
        t0 = time.perf_counter()
        page.goto(url)
        map_frame(page).wait_for_function(ready, timeout=600_000)
        out = {"first view -> markers (ms)": since(t0),
               "first view received (kB)": (received["ws"] + received["fetch"]) / 1e3}
        out["server RSS after 1 session (MB)"] = rss_mb(proc.pid)[0]
        page.wait_for_timeout(1500)  # the page settles (labels, feed, the rest of the script's deltas)
        page.screenshot(path=str(ARTIFACTS / f"{name}-first-view.png"))
        before = map_frame(page).evaluate("window.eventMap.layerUrl")
        received.update(ws=0, fetch=0, layers=0)
        t0 = time.perf_counter()
        drag_slider_start(page, 0.5)
        map_frame(page).wait_for_function(f"() => window.eventMap.layerUrl !== {json.dumps(before)} && ({ready})()",
                                          timeout=300_000)
        out["slider change -> markers (ms)"] = since(t0)
        page.wait_for_timeout(1500)  # whatever else the rerun sends
        page.screenshot(path=str(ARTIFACTS / f"{name}-slider-moved.png"))
        out["slider change received (kB)"] = (received["ws"] + received["fetch"]) / 1e3
        out["  of which the websocket (kB)"] = received["ws"] / 1e3
        chosen = map_frame(page).evaluate("window.eventMap.layer.points[0].id")
        map_frame(page).evaluate("id => window.eventMap.show(id)", chosen)  # out of its cluster
        page.wait_for_timeout(1500)
        map_frame(page).evaluate("id => window.eventMap.markers.get(id).getElement().id = 'bench-target'", chosen)
        marker = page.frame_locator(MAP).locator("#bench-target")
        received.update(ws=0, fetch=0, layers=0)
        t0 = time.perf_counter()
        marker.click()
        evidence(page).wait_for(timeout=300_000)
        out["marker click -> panel (ms)"] = since(t0)
        page.wait_for_timeout(1000)
        out["marker click received (kB)"] = (received["ws"] + received["fetch"]) / 1e3
        out["marker click layers fetched"] = received["layers"]
        pages = []
        for _ in range(sessions):  # more sessions on the same store: they share its one copy
            other = browser.new_page(viewport={"width": 1400, "height": 1000})
            other.goto(url)
            map_frame(other).wait_for_function(ready, timeout=600_000)
            pages.append(other)
        out[f"server RSS after {sessions + 1} sessions (MB)"], out["server RSS peak (MB)"] = rss_mb(proc.pid)
        browser.close()
    return out


def apptest_of(checkout: Path, store: Path, open_event: str, reps: int) -> None:
    """--apptest-of: app_reruns of `checkout`'s app, printed as JSON (the parent's baseline)."""
    sys.path.insert(0, str(checkout))
    print(json.dumps(app_reruns(checkout / "dashboard" / "app.py", store, reps, open_event)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000, 1_000_000])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--baseline", type=Path, help="a checkout of the baseline commit (a git worktree)")
    parser.add_argument("--baseline-sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--browser", action="store_true", help="also time the page in headless chromium")
    parser.add_argument("--browser-sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--sessions", type=int, default=9, help="browser sessions opened after the first")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--apptest-of", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--store", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--open", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.apptest_of:
        return apptest_of(args.apptest_of.resolve(), args.store, args.open, args.reps)
    sys.path.insert(0, str(REPO))
    from dashboard import mapview

    print(f"one marker per event up to {mapview.AGGREGATE_ABOVE:,} located events in view (clustered, "
          "spiderfied at one place), per-place bubbles beyond. Times are medians of --reps; the machine's "
          "load average is printed with each size (other work on it slows every figure)")
    results: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            bench_size(n, args, Path(tmp), results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
