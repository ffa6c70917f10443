"""The query layer (DuckDB) against the pandas reference: same rows for every filter, same figures.

The reference is the straightforward pandas path: `data.load_store` (the store read by the events
package, prepared, its review log applied by `events.review.apply_log`) filtered by `filters.apply`,
summed by `data.headline` and friends. The store is synthetic, with reviews of every kind (corrected
type, place, count and date, rejections, confirmations), background reports, undated and unlocated
events, and values no event can have.
"""
from __future__ import annotations

import json
import string
from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard import data, filters, keys, mapview, query, reviewing
from dashboard.filters import SPECS, Filters, apply
from events import review
from events.review import STATUSES, Decision
from events.search import search_key
from tests.dashboard.synthetic import make_store, places, write_store

HYPOTHESIS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def reviewed_store(tmp_path_factory) -> Path:
    """300 events at 25 places, some background, with a review log of every kind of decision."""
    events, articles = make_store(300, seed=21, undated=0.1, unlocated=0.1,
                                  place_table=places().sample(25, random_state=3))
    events["background"] = [i % 17 == 0 for i in range(len(events))]
    events.loc[5, "count"] = 10**12  # implausible: hidden on reading, as events.store.load hides it
    events.loc[6, "event_date"] = "2999-01-01"
    events.loc[7, "event_type"] = None
    path = write_store(tmp_path_factory.mktemp("reviewed") / "events.parquet", events, articles)
    ids = events["event_id"].tolist()
    located = events.dropna(subset=["latitude"]).iloc[40]
    log = review.log_path(path)
    for d in [
        Decision(ids[10], "correct", "rima", changes={"event_type": "bombing", "count": 77}),
        Decision(ids[11], "correct", "rima", changes={"event_date": "2011-01-02", "time_precision": 3}),
        Decision(ids[12], "correct", "omar", changes={
            "place_id": located["place_id"], "location_ar": located["location_ar"], "location_en": "Corrected Town",
            "admin1": "Corrected", "admin2": None, "latitude": 36.5, "longitude": 38.5}),
        Decision(ids[13], "reject", "omar", reason="not_event"),
        Decision(ids[14], "confirm", "omar"),
        Decision(ids[10], "confirm", "lea"),  # a confirmed correction stays corrected
        Decision(ids[15], "reject", "lea", reason="duplicate", duplicate_of=ids[16]),
        Decision(ids[15], "confirm", "lea"),  # and a rejection can be undone
        Decision("no-such-event", "confirm", "lea"),  # an orphan
        Decision(ids[17], "correct", "rima", changes={"count": None}),
    ]:
        review.append(log, d)
    with open(log, "a", encoding="utf-8") as f:
        f.write("{not json\n")
    return path


@pytest.fixture(scope="module")
def both(reviewed_store) -> tuple[pd.DataFrame, query.Store]:
    """(the pandas reference table, the query layer's store) of the same store."""
    events, _ = data.load_store(reviewed_store)
    return events, query.Store.load(reviewed_store)


def ids(store: query.Store, f: Filters) -> list[str]:
    return store.page(f, 0, 10**9)["event_id"].tolist()


def filter_settings(events: pd.DataFrame) -> st.SearchStrategy[Filters]:
    days = st.dates(date(2010, 6, 1), date(2025, 6, 1))
    some = lambda values: st.lists(st.sampled_from(sorted(values)), max_size=3, unique=True).map(tuple)
    words = [search_key(w) for w in events["location_ar"].dropna().unique()[:8]] + [
        "حماه", "hama", "Al", "عنصرا", "قصف", "ادلب", "zzz", "  ", "corrected town"]
    return st.builds(
        Filters, start=st.none() | days, end=st.none() | days,
        types=some(set(events["event_type"].dropna()) | {"no-such-type"}),
        governorates=some(set(events["admin1"].dropna())), sources=some(set(events["source"])),
        search=st.sampled_from(words) | st.text(alphabet="اأحمةهلقصفنa ", max_size=4),
        min_count=st.sampled_from([0, 1, 50, 400, 799]), include_undated=st.booleans(),
        include_unlocated=st.booleans(), include_background=st.booleans(),
        statuses=st.lists(st.sampled_from(STATUSES), max_size=4, unique=True).map(tuple))


def drawn_view(both, drawn):
    """The store pair, a drawn filter setting and the rows pandas keeps for it."""
    events, store = both
    f = drawn.draw(filter_settings(events))
    return events, store, f, apply(events, f)


@HYPOTHESIS
@given(drawn=st.data())
def test_every_filter_setting_keeps_the_rows_pandas_keeps(both, drawn) -> None:
    events, store, f, view = drawn_view(both, drawn)
    assert ids(store, f) == view["event_id"].tolist()  # the same rows, in store order
    assert store.headline(f) == data.headline(view)
    assert store.located(f) == int(view[data.LOCATED].sum())
    assert store.toggle_counts(f) == filters.hidden_by_toggles(apply(events, replace(f, **filters.TOGGLES_ON)))
    assert store.type_counts(f) == view["event_type"].fillna("other").value_counts().sort_index().to_dict()
    assert store.areas(f) == data.area_counts(view)


NOTHING = Filters(statuses=(), include_background=True)  # no spec restricts
CASES = {
    "f_dates": [dict(start=date(2014, 1, 1)), dict(end=date(2013, 6, 30)), dict(start=date(2012, 1, 1), end=date(2012, 12, 31))],
    "f_types": [dict(types=("bombing",)), dict(types=("shelling", "airstrike", "nothing"))],
    "f_gov": [dict(governorates=("Corrected",)), dict(governorates=("Hama", "Idleb", "Aleppo"))],
    "f_src": [dict(sources=("Outlet B",))],
    "f_status": [dict(statuses=("rejected",)), dict(statuses=("corrected", "confirmed")), dict(statuses=filters.SHOWN_STATUSES)],
    "f_q": [dict(search="قصفت المدفعيه"), dict(search="corrected town"), dict(search="Al"), dict(search="nothing like it")],
    "f_min": [dict(min_count=77), dict(min_count=1)],
    "f_undated": [dict(include_undated=False)],
    "f_unlocated": [dict(include_unlocated=False)],
    "f_background": [dict(include_background=False)],
}


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.key)
def test_each_spec_alone_keeps_what_its_pandas_mask_keeps(both, spec) -> None:
    events, store = both
    assert all(other.sql(NOTHING) is None for other in SPECS)
    for changes in CASES[spec.key]:
        f = replace(NOTHING, **changes)
        assert all(other.sql(f) is None for other in SPECS if other is not spec)
        kept = events[spec.mask(events, f)]
        assert 0 < len(kept) < len(events) or changes == dict(search="nothing like it"), changes
        assert ids(store, f) == kept["event_id"].tolist(), changes


def test_reviews_show_in_filters_counts_and_the_map(both, reviewed_store) -> None:
    events, store = both
    raw = pd.read_parquet(reviewed_store)
    typed, dated, placed, rejected, uncounted = (raw["event_id"].iloc[i] for i in (10, 11, 12, 13, 17))
    assert typed in ids(store, Filters(types=("bombing",))) and typed in ids(store, Filters(min_count=77))
    assert store.event(typed)[0]["review_status"] == "corrected" and store.event(typed)[0]["machine_event_type"]
    assert dated in ids(store, Filters(end=date(2011, 1, 31), statuses=()))
    assert store.bounds()[0] == date(2011, 1, 2)
    assert placed in ids(store, Filters(governorates=("Corrected",)))
    assert placed in ids(store, Filters(search="corrected town"))
    layer = mapview.layer(store, Filters(), "/sites.json")
    sites = mapview.sites(store)["sites"]
    at = layer["points"]["site"][layer["points"]["id"].index(placed)] if layer["mode"] == "events" else None
    assert sites[at][:3] == [36.5, 38.5, "Corrected Town"]
    assert rejected not in ids(store, Filters()) and rejected in ids(store, Filters(statuses=("rejected",)))
    assert store.event(uncounted)[0]["count"] is None
    assert len(store.applied.orphans) == 1 and len(store.applied.problems) == 1  # said by reviewing.log_note
    assert reviewing.log_note(store.applied)


def test_implausible_values_are_hidden_as_the_events_package_hides_them(both, reviewed_store) -> None:
    events, store = both
    raw = pd.read_parquet(reviewed_store)
    big, late = (store.event(raw["event_id"].iloc[i])[0] for i in (5, 6))
    assert big["count"] is None and late["event_date"] is None and late["time_precision"] is None
    assert store.bounds() == data.date_bounds(events)


def test_store_wide_figures_match(both) -> None:
    events, store = both
    assert store.bounds() == data.date_bounds(events)
    for column in ("event_type", "admin1", "source"):
        assert store.choices(column) == data.choices(events, column)
    for f in (Filters(), Filters(statuses=(), include_background=True), Filters(types=("shelling",))):
        view = apply(events, f)
        for freq in ("W", "M"):
            got = store.timeline(f, freq)
            want = data.timeline(view, freq).sort_values(["period", "event_type"]).reset_index(drop=True)
            assert got["period"].tolist() == want["period"].tolist()
            assert got["event_type"].tolist() == want["event_type"].tolist()
            assert got["events"].tolist() == want["events"].tolist()


@HYPOTHESIS
@given(drawn=st.data())
def test_one_event_its_lists_and_the_next_unreviewed(both, drawn) -> None:
    events, store, f, view = drawn_view(both, drawn)
    chosen = drawn.draw(st.sampled_from(events["event_id"].tolist()))
    row, in_view = store.event(chosen, f)
    reference = data.event_by_id(events, chosen)
    assert row["event_id"] == chosen and in_view == (chosen in set(view["event_id"]))
    for col in ("event_type", "count", "event_date", "latitude", "review_status", "evidence"):
        assert _same(row[col], reference[col]), col
    for scope, where in ((f, view), (None, events)):
        listed, total = store.same_place(row, scope, 10**6)
        want = data.same_place(where, reference)
        assert total == len(want) and set(listed["event_id"]) == set(want["event_id"])
        assert [_key(d) for d in listed[data.DATE]] == [_key(d) for d in want[data.DATE]]  # oldest first, undated last
    listed, total = store.same_article(row)
    assert listed["event_id"].tolist() == data.same_article(events, reference)["event_id"].tolist()
    current = drawn.draw(st.none() | st.sampled_from(view["event_id"].tolist() or [chosen]))
    assert store.next_unreviewed(f, current) == reviewing.next_unreviewed(view, current)


def _same(a, b) -> bool:
    if a is None or (not isinstance(a, str) and pd.isna(a)):
        return b is None or (not isinstance(b, str) and pd.isna(b))
    return a == b


def _key(day) -> str:
    return "~" if day is None or pd.isna(day) else pd.Timestamp(day).date().isoformat()


def test_feed_and_page_follow_the_views_order(both) -> None:
    events, store = both
    f = Filters(statuses=())
    view = apply(events, f)
    newest = view[view[data.LOCATED]].sort_values(data.DATE, ascending=False, na_position="last", kind="stable")
    assert [e["event_id"] for e in store.feed(f, 40)] == newest["event_id"].head(40).tolist()
    assert store.page(f, 100, 50)["event_id"].tolist() == view["event_id"].iloc[100:150].tolist()
    assert store.missing(f, view["event_id"].head(3).tolist() + ["nope", "nope"]) == 1


def test_downloads_stream_the_whole_view_as_the_pandas_export(both) -> None:
    events, store = both
    f = Filters(types=("shelling", "bombing", "arrest"), statuses=())
    view = apply(events, f)
    assert data.csv_of(store.batches(f, rows=7)) == data.to_csv(view)
    got, want = json.loads(data.geojson_of(store.batches(f, rows=7))), json.loads(data.to_geojson(view))
    assert got == want


def test_text_search_rows_are_kept_once_per_query(both) -> None:
    events, store = both
    f = Filters(search="حماه")
    first = store.where(f)
    assert store.where(f) == first and "contains" not in first[0]  # a table of the rows it keeps, joined
    assert ids(store, f) == apply(events, f)["event_id"].tolist()


TEXTS = st.text(alphabet=st.sampled_from(
    list("ابتثجحخدذرسشصضطظعغفقكلمنهويءآأإؤئىة") + ["\u064b", "\u0650", "\u0670", "\u0640", "ـ"]
    + list(".,،*_-") + [" ", "\t", "\n", "\u00a0", "\u2003", "\x1c", "\u200f", "\u200c", "\ufeff"]
    + list(string.ascii_letters + string.digits) + ["٣", "۴", "«", "»", "“", "À", "ß", "İ", "Σ", "ﻻ", "ﺃ", "😀"]),
    max_size=40)


@settings(max_examples=500, deadline=None)
@given(st.lists(TEXTS, max_size=12))
def test_batch_search_keys_are_search_key(texts) -> None:
    assert keys.search_keys(texts) == [search_key(t) for t in texts]


def test_other_store_layouts_and_formats_read_the_same(tmp_path) -> None:
    """A partitioned store and a CSV store, built by the events CLI, read as the pandas path reads them."""
    import subprocess
    import sys

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("حماة - أعلن 15 عنصرا من قوات النظام انشقاقهم في مدينة حماة يوم 3 حزيران 2013.",
                                  encoding="utf-8")
    (corpus / "b.txt").write_text("ريف إدلب - قصفت قوات النظام بلدة كفرنبل يوم 12 آذار 2014 ما أدى إلى مقتل ثلاثة مدنيين.",
                                  encoding="utf-8")
    root = Path(__file__).resolve().parents[2]
    for out, extra in ((tmp_path / "part.parquet", ["--partitioned"]), (tmp_path / "events.csv", [])):
        subprocess.run([sys.executable, "-m", "events", "build", str(corpus), "--out", str(out), *extra],
                       cwd=root, check=True, capture_output=True)
        events, articles = data.load_store(out)
        store = query.Store.load(out)
        assert len(events) >= 2 and ids(store, Filters()) == apply(events, Filters())["event_id"].tolist()
        assert store.headline(Filters()) == data.headline(apply(events, Filters()))
        first = events.iloc[0]
        assert store.gen.article(first["article_id"])["text"] == \
            articles.set_index("article_id").loc[first["article_id"], "text"]


def test_a_missing_store_is_a_store_error(tmp_path) -> None:
    from events.store import StoreError

    with pytest.raises(StoreError, match="no events store"):
        query.Generation.load(tmp_path / "nowhere.parquet")
