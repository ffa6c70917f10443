"""Dashboard server cost at 1k / 10k / 100k synthetic events (real gazetteer places, 2011-2024).

Prints, per size: the cold start and the server time of reruns measured with Streamlit's AppTest
(the whole script, including st_folium's Python side) after a filter change, a date-slider change,
nothing changed (a map pan) and opening an event (a marker click; the event at the busiest place,
so its "events at this place" list is the longest); the map payload in bytes; and the filter +
marker-building functions called directly, with their ratio to a baseline of one folium CircleMarker
per event (the naive way; run up to 10k only, it gets too slow beyond).

    .venv/bin/python bench/dashboard.py [--sizes 1000 10000 100000] [--reps 3]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # the synthetic generator lives with the tests

import folium
import streamlit_folium
from streamlit.testing.v1 import AppTest

from dashboard import data, mapview
from dashboard.data import Filters
from tests.dashboard.synthetic import make_store, write_store

NAIVE_MAX = 10_000
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


def map_payload(view) -> tuple[int, int]:
    """(bytes of the map as st_folium sends it: base map script + markers layer script, features)."""
    features = mapview.marker_features(view)
    m = mapview.base_map(None)
    m.get_root().render()
    base = streamlit_folium._get_map_string(m)
    layer = streamlit_folium._get_feature_group_string(
        mapview.markers_layer(mapview.features_json(features), len(features)), m)
    return len(base.encode()) + len(layer.encode()), len(features)


def build_layer(view) -> int:
    """What a filter change costs for the map: features, their JSON, st_folium's layer script."""
    features = mapview.marker_features(view)
    group = mapview.markers_layer(mapview.features_json(features), len(features))
    return len(streamlit_folium._get_feature_group_string(group, mapview.base_map(None)))


def naive_layer(view) -> int:
    """Baseline: one folium CircleMarker (with tooltip and popup) per located event."""
    m = folium.Map(tiles=None)
    group = folium.FeatureGroup()
    for e in view[view[data.LOCATED]].to_dict("records"):
        folium.CircleMarker((e["latitude"], e["longitude"]), radius=5, tooltip=str(e["location_en"]),
                            popup=str(e["event_type"])).add_to(group)
    return len(streamlit_folium._get_feature_group_string(group, m))


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


def bench_size(n: int, reps: int, folder: Path) -> None:
    store = write_store(folder / f"events-{n}.parquet", *make_store(n, seed=n))
    events, _ = data.load_store(store)
    some = Filters(types=TYPE_SETS[0])
    view_some = data.apply_filters(events, some)
    print(f"\n== {n:,} events ({int(events[data.LOCATED].sum()):,} located, {events['place_id'].nunique():,} places)")
    busiest_place = events.loc[events[data.LOCATED], "place_id"].value_counts().index[0]
    open_event = events.loc[events["place_id"] == busiest_place, "event_id"].iloc[0]
    for label, seconds in app_reruns(store, reps, open_event).items():
        print(f"  app {label:<18} {seconds * 1000:8.0f} ms server time (AppTest)")
    for label, view in (("all events", events), ("2 of 9 types", view_some)):
        size, features = map_payload(view)
        print(f"  map payload, {label:<12} {size / 1e6:6.2f} MB, {features:,} features")
    t_filter, _ = timed(lambda: data.apply_filters(events, some), reps)
    t_layer, _ = timed(lambda: build_layer(view_some), reps)
    print(f"  apply_filters {t_filter * 1000:7.1f} ms; markers layer {t_layer * 1000:7.1f} ms "
          f"({len(view_some):,} events in view)")
    if n <= NAIVE_MAX:
        t_naive, naive_bytes = timed(lambda: naive_layer(view_some), 1)
        print(f"  baseline, one folium CircleMarker per event: {t_naive * 1000:7.1f} ms, "
              f"{naive_bytes / 1e6:.2f} MB -> ours is {t_naive / t_layer:.1f}x faster")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    print(f"thresholds: one marker per event up to {mapview.AGGREGATE_ABOVE:,} located events in view, "
          f"per-place bubbles beyond; clustering beyond {mapview.CLUSTER_ABOVE:,} features")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            bench_size(n, args.reps, Path(tmp))


if __name__ == "__main__":
    main()
