"""Review in the dashboard without a browser: place search, corrections, the next event to review, the
panel's review HTML (escaped), the log laid over a prepared table, and the exports' review columns."""
from __future__ import annotations

import io

import pandas as pd

from dashboard import data, detail, reviewing
from dashboard.filters import Filters, apply
from events.review import Decision
from gazetteer.user_places import UserPlace
from tests.dashboard.conftest import event, table


def test_place_search_finds_arabic_english_and_misspelt_names_and_user_places() -> None:
    dirbu = UserPlace("ديربو", 34.62, 37.35, "rima", "2024-01-01T00:00:00+00:00", name_en="Dirbu")
    finder = reviewing.finder([dirbu])
    for query in ("كفرنبل", "Kafr Nobol", "kafranbel"):
        assert finder.search(query)[0].name_en == "Kafr Nobol", query
    assert finder.search("Aleppo")[0].kind in ("city", "governorate")
    found = finder.search("ديربو")[0]
    assert (found.place_id, found.source, found.admin1) == (dirbu.place_id, "user", "Homs")
    assert finder.search("") == [] and finder.search("x") == []


def test_a_correction_holds_only_what_changed_and_what_it_replaces() -> None:
    row = table(event(event_type="shelling", count=3.0, place_id="C1", latitude=35.0, longitude=36.0)).iloc[0]
    changes, before = reviewing.corrections(row, {"event_type": "shelling", "count": 3, "place_id": "C2",
                                                  "latitude": 35.0, "longitude": 36.5})
    assert changes == {"place_id": "C2", "longitude": 36.5} and before == {"place_id": "C1", "longitude": 36.0}


def test_next_unreviewed_walks_the_view_newest_first_and_wraps() -> None:
    view = table(*(event(event_id=f"e{i}", event_date=f"2015-06-0{i}") for i in range(1, 5)))
    view.loc[view["event_id"] == "e3", "review_status"] = "confirmed"
    assert reviewing.next_unreviewed(view, None) == "e4"
    assert reviewing.next_unreviewed(view, "e4") == "e2"  # e3 is reviewed
    assert reviewing.next_unreviewed(view, "e1") == "e4"  # wraps round
    view["review_status"] = "confirmed"
    assert reviewing.next_unreviewed(view, "e1") is None


def test_the_log_over_a_prepared_table_redoes_what_filters_read_and_keeps_types() -> None:
    events = table(event(event_id="a", place_id="C1", location_en="Hama", latitude=35.1, longitude=36.7, count=3.0),
                   event(event_id="b", place_id="C2", location_en="Homs", latitude=34.7, longitude=36.7))
    fix = Decision("a", "correct", "rima", changes={"location_en": "Kafr Nobol", "latitude": 35.6, "count": 4,
                                                    "event_date": "2016-01-02"})
    out = data.with_review(events, [fix, Decision("b", "reject", "omar", reason="not_event")], []).events
    a = out.set_index("event_id").loc["a"]
    assert (a["location_en"], a["latitude"], a["machine_location_en"], a["review_status"]) == ("Kafr Nobol", 35.6, "Hama", "corrected")
    assert "kafr nobol" in a[data.HAYSTACK] and a[data.DATE] == pd.Timestamp("2016-01-02")
    assert out["count"].dtype.kind == "f" and out["place_id"].tolist() == ["C1", "C2"]
    assert apply(out, Filters())["event_id"].tolist() == ["a"]  # the rejected one is hidden by default
    assert apply(out, Filters(statuses=("rejected",)))["event_id"].tolist() == ["b"]
    assert apply(out, Filters(statuses=()))["event_id"].tolist() == ["a", "b"]


def test_exports_carry_the_review_and_the_machine_values() -> None:
    events = table(event(event_id="a", event_type="shelling"), event(event_id="b"))
    out = data.with_review(events, [Decision("a", "correct", "rima", changes={"event_type": "airstrike"},
                                             before={"event_type": "shelling"})], []).events
    csv = pd.read_csv(io.BytesIO(data.to_csv(out)), encoding="utf-8-sig").set_index("event_id")
    assert csv.loc["a", ["event_type", "machine_event_type", "review_status", "reviewed_by"]].tolist() == \
        ["airstrike", "shelling", "corrected", "rima"]
    assert csv.loc["b", "review_status"] == "unreviewed" and pd.isna(csv.loc["b", "machine_event_type"])
    assert "machine_count" in csv.columns  # every correctable field, corrected here or not
    assert "machine_event_type" not in data.table_frame(out).columns


def test_the_panel_marks_corrections_and_escapes_what_reviewers_typed() -> None:
    events = table(event(event_id="a", event_type="shelling", location_en="Hama", latitude=35.1, longitude=36.7))
    evil = "<img src=x onerror=alert(1)>"
    history = [Decision("a", "correct", evil, changes={"event_type": "airstrike", "location_en": "X"},
                        before={"event_type": "shelling", "location_en": "Hama"}, comment=evil)]
    row = data.with_review(events, history, []).events.iloc[0].to_dict()
    page = detail.event_html(row, None, history)
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert page.count('class="corrected-mark"') == 2  # the type and the place
    assert "Type (machine: shelling)" in page and "Place (machine: Hama)" in page
    assert "Review history (1)" in page and "nan" not in page and "None" not in page


def test_orphans_and_unreadable_lines_are_said() -> None:
    applied = data.with_review(table(event(event_id="a")), [Decision("gone", "confirm", "rima")], ["line 3: bad"])
    assert reviewing.log_note(applied).startswith("1 review decisions concern events this store no longer holds; 1 lines")
    assert reviewing.log_note(data.with_review(table(event(event_id="a")), [], [])) is None
