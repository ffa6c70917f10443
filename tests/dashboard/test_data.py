"""Filtering, headline figures, timeline and exports of the events table."""
from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest

from dashboard import data
from dashboard.filters import Filters, apply
from events import review
from events.schema import COLUMNS
from tests.dashboard.conftest import event, table

EVENTS = table(
    event(event_id="def-hama", event_type="defection", event_date="2012-03-04", count=700, admin1="Hama",
          location_ar="حماة", location_en="Hama", place_id="P1", latitude=35.13, longitude=36.75,
          source="Outlet A", evidence="أعلن 700 جندي انشقاقهم في مدينة حماة", article_id="a1"),
    event(event_id="des-idlib", event_type="desertion", event_date="2013-07-20", count=12, admin1="Idleb",
          location_ar="إدلب", location_en="Idleb", place_id="P2", latitude=35.93, longitude=36.63,
          source="Outlet B", evidence="فر 12 مجندا من ثكنة قرب إدلب", article_id="a1"),
    event(event_id="shell-hama", event_type="shelling", event_date="2013-08-01", admin1="Hama",
          location_ar="حماة", location_en="Hama", place_id="P1", latitude=35.13, longitude=36.75,
          source="Outlet A", evidence="قصف مدفعي على أحياء حماة", article_id="a2"),
    event(event_id="undated-arrest", event_type="arrest", event_date=None, time_precision=None, count=3,
          admin1="Damascus", location_en="Damascus", place_id="P3", latitude=33.51, longitude=36.29,
          source="Outlet B", evidence="اعتقال ثلاثة شبان في دمشق", article_id="a3"),
    event(event_id="unlocated-kill", event_type="killing", event_date="2014-01-01", count=None,
          source="Outlet A", evidence="مقتل مدنيين في ظروف غامضة", article_id="a3"),
)


@pytest.mark.parametrize("f, expected", [
    (Filters(), {"def-hama", "des-idlib", "shell-hama", "undated-arrest", "unlocated-kill"}),
    (Filters(types=("defection", "desertion")), {"def-hama", "des-idlib"}),
    (Filters(governorates=("Hama",)), {"def-hama", "shell-hama"}),
    (Filters(sources=("Outlet B",)), {"des-idlib", "undated-arrest"}),
    # dates bound dated events only; undated ones stay unless hidden
    (Filters(start=date(2013, 1, 1), end=date(2013, 7, 31)), {"des-idlib", "undated-arrest"}),
    (Filters(start=date(2013, 1, 1), end=date(2013, 7, 31), include_undated=False), {"des-idlib"}),
    (Filters(include_unlocated=False), {"def-hama", "des-idlib", "shell-hama", "undated-arrest"}),
    # a minimum count drops events whose count was not stated
    (Filters(min_count=10), {"def-hama", "des-idlib"}),
    (Filters(min_count=1), {"def-hama", "des-idlib", "undated-arrest"}),
    # search is over evidence and place names, with the gazetteer's normalisation (ة/ه, إ/ا, case)
    (Filters(search="حماه"), {"def-hama", "shell-hama"}),
    (Filters(search="ادلب"), {"des-idlib"}),
    (Filters(search="hama"), {"def-hama", "shell-hama"}),
    (Filters(search="ثكنة"), {"des-idlib"}),
    (Filters(search="no such words"), set()),
    (Filters(types=("shelling",), governorates=("Idleb",)), set()),
])
def test_apply_filters(f: Filters, expected: set[str]) -> None:
    assert set(apply(EVENTS, f)["event_id"]) == expected


def test_background_reports_are_hidden_unless_asked_for() -> None:
    events = table(event(event_id="now", count=5), event(event_id="since-2011", count=5000, background=True))
    assert set(apply(events, Filters())["event_id"]) == {"now"}
    assert set(apply(events, Filters(include_background=True))["event_id"]) == {"now", "since-2011"}


def test_headline_sums_each_count_by_what_it_counts() -> None:
    h = data.headline(EVENTS)
    assert (h.events, h.articles, h.places) == (5, 3, 3)
    assert h.totals == {"killed": 0, "defectors": 712, "arrested": 3} and h.background == 0
    h = data.headline(apply(EVENTS, Filters(types=("shelling", "arrest"))))
    assert (h.events, h.articles, h.places, h.totals["defectors"], h.totals["arrested"]) == (2, 2, 2, 0, 3)


def test_headline_leaves_background_reports_out_of_the_totals() -> None:
    events = table(event(event_id="a", event_type="defection", count=20, evidence_start=1),
                   event(event_id="b", event_type="defection", count=20000, background=True, evidence_start=9),
                   event(event_id="c", event_type="airstrike", count=4, count_of="killed", evidence_start=20))
    h = data.headline(events)
    assert h.totals == {"killed": 4, "defectors": 20, "arrested": 0} and h.background == 1 and h.events == 3


def test_stores_without_count_of_or_background_get_them_from_the_registry() -> None:
    old = table(event(event_id="x", event_type="arrest", count=2))
    old = data.prepare(old.drop(columns=["count_of", "background"]))
    assert old["count_of"].tolist() == ["arrested"] and old["background"].tolist() == [False]


def test_a_count_shared_by_several_places_is_added_once() -> None:
    sentence = dict(event_type="defection", count=40, count_text="40 عنصرا", article_id="a9",
                    evidence="انشق 40 عنصرا من بلدات أ وب وج", evidence_start=10, evidence_end=40)
    shared = table(*(event(event_id=f"e{i}", place_id=f"P{i}", **sentence) for i in range(3)),
                   event(event_id="other", event_type="desertion", count=5, article_id="a9", evidence_start=50))
    assert data.headline(shared).totals["defectors"] == 45


def test_date_bounds_and_timeline() -> None:
    assert data.date_bounds(EVENTS) == (date(2012, 3, 4), date(2014, 1, 1))
    assert data.date_bounds(table(event(event_date=None))) is None
    monthly = data.timeline(EVENTS, "M")
    assert monthly["events"].sum() == 4  # the undated event has no bar
    july = monthly[monthly["period"] == "2013-07-01"]
    assert list(july["event_type"]) == ["desertion"] and list(july["events"]) == [1]


@pytest.mark.parametrize("bounds, freq", [
    ((date(2019, 1, 1), date(2020, 6, 1)), "W"),
    ((date(2011, 3, 1), date(2024, 12, 31)), "M"),
    (None, "W"),
])
def test_timeline_freq(bounds, freq) -> None:
    assert data.timeline_freq(bounds) == freq


def test_event_by_id() -> None:
    assert data.event_by_id(EVENTS, "shell-hama")["evidence"] == "قصف مدفعي على أحياء حماة"
    assert data.event_by_id(EVENTS, "no-such-event") is None
    assert data.event_by_id(EVENTS, None) is None


def test_same_place_and_same_article() -> None:
    hama = EVENTS[EVENTS["event_id"] == "def-hama"].iloc[0]
    assert list(data.same_place(EVENTS, hama)["event_id"]) == ["def-hama", "shell-hama"]
    assert list(data.same_article(EVENTS, hama)["event_id"]) == ["des-idlib"]
    nowhere = EVENTS[EVENTS["event_id"] == "unlocated-kill"].iloc[0]
    assert data.same_place(EVENTS, nowhere).empty


def test_geojson_export_keeps_unlocated_events_with_null_geometry() -> None:
    fc = json.loads(data.to_geojson(EVENTS))
    by_id = {f["properties"]["event_id"]: f for f in fc["features"]}
    assert len(by_id) == 5
    assert by_id["unlocated-kill"]["geometry"] is None
    assert by_id["def-hama"]["geometry"] == {"type": "Point", "coordinates": [36.75, 35.13]}
    assert by_id["shell-hama"]["properties"]["count"] is None  # NaN -> null, valid JSON
    assert list(by_id["def-hama"]["properties"]) == list(data.export_frame(EVENTS).columns)


def test_csv_export_has_a_bom_the_schema_columns_and_precision_words() -> None:
    raw = data.to_csv(EVENTS)
    assert raw.startswith(b"\xef\xbb\xbf")
    header = raw.decode("utf-8-sig").splitlines()[0].split(",")
    assert [c for c in header if not c.endswith("_words")] == COLUMNS + review.REVIEW_COLUMNS + data.MACHINE_COLUMNS
    assert header[header.index("time_precision") + 1] == "time_precision_words"
    assert header[header.index("geo_precision") + 1] == "geo_precision_words"
    words = data.export_frame(EVENTS).set_index("event_id")
    assert words.loc["def-hama", "time_precision_words"] == "day"
    assert pd.isna(words.loc["undated-arrest", "time_precision_words"])


def test_the_explain_column_is_exported_in_its_schema_place() -> None:
    with_explain = EVENTS.assign(explain="«كفرنبل» named in the same clause as «قصفت»")
    out = data.export_frame(with_explain)
    assert [c for c in out.columns if not c.endswith("_words")] == COLUMNS + review.REVIEW_COLUMNS + data.MACHINE_COLUMNS
    assert out["explain"].iloc[0].startswith("«كفرنبل»")


def test_table_leads_with_date_type_place_count_source_and_ends_with_ids() -> None:
    shown = data.table_frame(EVENTS.assign(geo_precision=1))
    assert list(shown.columns[:6]) == ["event_date", "event_type", "place", "count", "count_of", "source"]
    assert list(shown.columns[-3:]) == ["event_id", "article_id", "doc"]
    assert set(shown["geo_precision"]) == {"named place"}
    assert shown.set_index("event_id").loc["undated-arrest", "place"] == "Damascus"


@pytest.mark.parametrize("bounds, fmt", [
    ((date(2019, 1, 1), date(2020, 6, 1)), ("%b %Y", "month")),
    ((date(2015, 7, 19), date(2021, 1, 30)), ("%Y", "year")),
    (None, ("%Y", "year")),
])
def test_time_axis_always_shows_years(bounds, fmt) -> None:
    assert data.axis_format(bounds) == fmt
