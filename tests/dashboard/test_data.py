"""Filtering, headline figures, timeline and exports of the events table."""
from __future__ import annotations

import json
from datetime import date

import pytest

from dashboard import data
from dashboard.data import Filters
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


@pytest.mark.parametrize("filters, expected", [
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
def test_apply_filters(filters: Filters, expected: set[str]) -> None:
    assert set(data.apply_filters(EVENTS, filters)["event_id"]) == expected


def test_headline_counts_defectors_from_defection_and_desertion_only() -> None:
    h = data.headline(EVENTS)
    assert (h.events, h.defectors, h.articles, h.places) == (5, 712, 3, 3)
    h = data.headline(data.apply_filters(EVENTS, Filters(types=("shelling", "arrest"))))
    assert (h.events, h.defectors, h.articles, h.places) == (2, 0, 2, 2)


def test_a_count_shared_by_several_places_is_added_once() -> None:
    sentence = dict(event_type="defection", count=40, count_text="40 عنصرا", article_id="a9",
                    evidence="انشق 40 عنصرا من بلدات أ وب وج", evidence_start=10, evidence_end=40)
    shared = table(*(event(event_id=f"e{i}", place_id=f"P{i}", **sentence) for i in range(3)),
                   event(event_id="other", event_type="desertion", count=5, article_id="a9", evidence_start=50))
    assert data.headline(shared).defectors == 45


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
    assert list(by_id["def-hama"]["properties"]) == data.EVENT_COLUMNS


def test_csv_export_has_design_columns_only() -> None:
    header = data.to_csv(EVENTS).decode("utf-8").splitlines()[0]
    assert header.split(",") == data.EVENT_COLUMNS
