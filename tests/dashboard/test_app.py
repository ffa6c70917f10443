"""The Streamlit app through AppTest: filters, URL state both ways, the detail panel."""
from __future__ import annotations

import html
import re
from datetime import timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import data
from dashboard.filters import Filters, apply

APP = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"


@pytest.fixture
def store(synthetic_store, monkeypatch) -> tuple[Path, object]:
    monkeypatch.setenv("EVENTS_STORE", str(synthetic_store))
    events, _ = data.load_store(synthetic_store)
    return synthetic_store, events


def run_app(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params.update(query or {})
    at.run()
    assert not at.exception, at.exception
    return at


def metric(at: AppTest, label: str) -> int:
    return int(next(m for m in at.metric if m.label == label).value.replace(",", ""))


FIGURES = ("Events", "Killed", "Defectors", "Arrested", "Articles", "Places")


def figures(at: AppTest) -> tuple[int, ...]:
    return tuple(metric(at, k) for k in FIGURES)


def expected_figures(events, f: Filters) -> tuple[int, ...]:
    h = data.headline(apply(events, f))
    return h.events, *h.totals.values(), h.articles, h.places


def panel(at: AppTest) -> str:
    """The detail panel as the reader sees it: text only, tags dropped, entities decoded."""
    markup = "".join(h.value for h in at.get("html") if 'class="ev-detail"' in h.value)
    return html.unescape(re.sub(r"<style>.*?</style>|<[^>]+>", "", markup, flags=re.DOTALL))


def test_widgets_filter_the_view_and_write_the_url(store) -> None:
    _, events = store
    at = run_app()
    assert figures(at) == expected_figures(events, Filters())
    assert dict(at.query_params) == {}
    types = sorted(events["event_type"].unique())[:2]
    gov = data.choices(events, "admin1")[0]
    at.multiselect(key="f_types").set_value(types)
    at.multiselect(key="f_gov").set_value([gov])
    at.run()
    assert figures(at) == expected_figures(events, Filters(types=tuple(types), governorates=(gov,)))
    assert at.query_params["types"] == types and at.query_params["gov"] == gov
    at.toggle(key="f_undated").set_value(False).run()
    assert figures(at) == expected_figures(events, Filters(types=tuple(types), governorates=(gov,),
                                                           include_undated=False))
    assert at.query_params["undated"] == "0"


def test_date_slider_narrows_dated_events_and_sets_from_to(store) -> None:
    _, events = store
    at = run_app()
    lo, hi = data.date_bounds(events)
    assert at.slider(key="f_dates").value == (lo, hi)
    start, end = lo + timedelta(days=900), hi - timedelta(days=1500)
    at.slider(key="f_dates").set_value((start, end)).run()
    assert figures(at) == expected_figures(events, Filters(start=start, end=end))
    assert (at.query_params["from"], at.query_params["to"]) == (start.isoformat(), end.isoformat())


def test_url_opens_the_same_view_in_a_new_session(store) -> None:
    _, events = store
    first = run_app()
    lo, _ = data.date_bounds(events)
    chosen = events[events[data.LOCATED] & events[data.DATE].notna()].iloc[5]
    first.slider(key="f_dates").set_value((lo + timedelta(days=400), chosen[data.DATE].date()))
    first.text_input(key="f_q").set_value(str(chosen["location_ar"]))
    first.multiselect(key="f_types").set_value([chosen["event_type"]])
    first.multiselect(key="f_gov").set_value([chosen["admin1"]])
    first.run()
    assert {"from", "to", "q", "types", "gov"} <= set(first.query_params)
    # a marker click and a pan are browser events (see tests/browser); here they arrive with the URL
    query = dict(first.query_params) | {"ev": chosen["event_id"], "lat": "35.2000", "lon": "37.1000", "z": "8"}
    second = run_app(query)
    assert dict(second.query_params) == query  # nothing lost or rewritten
    assert figures(second) == figures(first)
    assert second.slider(key="f_dates").value == first.slider(key="f_dates").value
    assert second.text_input(key="f_q").value == chosen["location_ar"]
    assert second.multiselect(key="f_types").value == [chosen["event_type"]]
    assert second.multiselect(key="f_gov").value == [chosen["admin1"]]
    assert second.session_state["map_origin"] == ((35.2, 37.1), 8)  # the map opens on the shared centre and zoom
    assert chosen["evidence"] in panel(second)


def test_detail_panel_lists_events_at_the_place_and_switches_between_them(store) -> None:
    _, events = store
    located = events[events[data.LOCATED]]
    shared = located[located.duplicated("place_id", keep=False)]
    first = shared.sort_values("place_id").iloc[0]
    others = located[(located["place_id"] == first["place_id"]) & (located["event_id"] != first["event_id"])]
    second = others.iloc[0]
    at = run_app({"ev": first["event_id"]})
    assert first["evidence"] in panel(at)
    assert any(md.value.startswith("**Events at this place**") for md in at.markdown)
    button = next(b for b in at.button if b.key == f"Events at this place-{second['event_id']}")
    button.click().run()
    assert at.query_params["ev"] == second["event_id"]
    assert second["evidence"] in panel(at) and first["event_id"] not in panel(at)


def test_bad_url_values_are_reported_not_fatal(store) -> None:
    at = run_app({"from": "2099-99-99", "types": ["no-such-type"], "ev": "no-such-event"})
    warnings = re.sub(r"\\(.)", r"\1", " ".join(w.value for w in at.warning))  # drop Markdown escapes
    assert "from='2099-99-99'" in warnings and "no-such-type" in warnings and "no-such-event" in warnings
    assert "from" not in at.query_params and "types" not in at.query_params


def test_undated_and_unlocated_counts_are_shown(store) -> None:
    _, events = store
    at = run_app()
    labels = [t.label for t in at.toggle]
    assert f"Include undated events ({int(events[data.DATE].isna().sum())})" in labels
    assert any(label.startswith(f"Include unlocated events ({int((~events[data.LOCATED]).sum())},")
               for label in labels)


def test_missing_store_is_a_clear_error(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("EVENTS_STORE", str(tmp_path / "nowhere.parquet"))
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert "No events store at" in at.error[0].value


def test_uploaded_articles_are_added_without_restart_and_rejects_listed(tmp_path, monkeypatch) -> None:
    from tests.dashboard.synthetic import make_store, write_store

    store = write_store(tmp_path / "events.parquet", *make_store(30, seed=11))
    monkeypatch.setenv("EVENTS_STORE", str(store))
    article = ("ريف إدلب - قصفت قوات النظام بلدة كفرنبل يوم 12 آذار 2014 بالمدفعية الثقيلة "
               "ما أدى إلى مقتل ثلاثة مدنيين.")
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    assert metric(at, "Events") == 30
    at.file_uploader[0].set_value([("report.txt", article.encode("utf-8"), "text/plain"),
                                   ("broken.jsonl", b'{"text": "\xd9\x86\xd8\xb5"\n', "application/jsonl")])
    at.run()  # dropping the files is the only step
    assert not at.exception, at.exception
    events, _ = data.load_store(store)
    new = events[events["doc"] == "report.txt"]
    assert len(new) >= 1 and all(e in article for e in new["evidence"])
    assert metric(at, "Events") == len(events) == 30 + len(new)
    assert any("new events from 1 new articles" in s.value for s in at.success)
    rejected = [e.value.replace("\\", "") for e in at.error]
    assert any(r.startswith("Rejected broken.jsonl") and "invalid JSON" in r for r in rejected)


def test_an_empty_store_shows_an_empty_view(tmp_path, monkeypatch) -> None:
    from events.store import articles_table, events_table, write_articles, write_events

    store = tmp_path / "events.parquet"
    write_events(events_table([]), store, "parquet")
    write_articles(articles_table([]), store)
    monkeypatch.setenv("EVENTS_STORE", str(store))
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception
    assert figures(at) == (0,) * len(FIGURES)
    assert any("timeline is empty" in c.value for c in at.caption)


def test_open_event_outside_the_filters_its_article_list_and_close(store) -> None:
    _, events = store
    chosen = events[events["article_id"].duplicated(keep=False)].iloc[0]
    sibling = events[(events["article_id"] == chosen["article_id"]) & (events["event_id"] != chosen["event_id"])]
    at = run_app({"ev": chosen["event_id"]})
    other_type = next(t for t in data.choices(events, "event_type") if t != chosen["event_type"])
    at.multiselect(key="f_types").set_value([other_type]).run()
    assert any("outside the current filters" in c.value for c in at.caption)
    assert chosen["evidence"] in panel(at)  # still open: a filter change does not close what the reader reads
    listed = {b.key for b in at.button if b.key.startswith("Other events in this article-")}
    assert listed == {f"Other events in this article-{e}" for e in sibling["event_id"]}
    at.button(key="close-detail").click().run()
    assert "ev" not in at.query_params and panel(at) == ""
    assert any("Click a marker" in i.value for i in at.info)


def test_url_dates_outside_the_store_are_clamped_to_its_range(store) -> None:
    _, events = store
    at = run_app({"from": "1990-01-01", "to": "2099-12-31"})
    assert at.slider(key="f_dates").value == data.date_bounds(events)
    assert "from" not in at.query_params and "to" not in at.query_params  # the whole range is the default


def test_legend_lists_types_outside_the_palette_escaped(tmp_path, monkeypatch) -> None:
    from tests.dashboard.synthetic import make_store, write_store

    events, articles = make_store(12, seed=3)
    events.loc[0, "event_type"] = "<b>sabotage</b>"
    monkeypatch.setenv("EVENTS_STORE", str(write_store(tmp_path / "events.parquet", events, articles)))
    legend = next(h.value for h in run_app().get("html") if "border-radius:50%" in h.value)
    assert "&lt;b&gt;sabotage&lt;/b&gt; (1)" in legend and "<b>" not in legend


def test_an_upload_newer_than_the_slider_extends_it_and_offers_to_show_what_the_filters_hide(
        tmp_path, monkeypatch) -> None:
    from tests.dashboard.synthetic import make_store, write_store

    store = write_store(tmp_path / "events.parquet", *make_store(30, seed=11))
    monkeypatch.setenv("EVENTS_STORE", str(store))
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    lo, hi = at.slider(key="f_dates").value
    at.multiselect(key="f_types").set_value(["defection"]).run()
    article = "ريف إدلب - قصفت قوات النظام بلدة كفرنبل يوم 12 آذار 2025 بالمدفعية الثقيلة ما أدى إلى مقتل ثلاثة مدنيين."
    at.file_uploader[0].set_value([("late.txt", article.encode("utf-8"), "text/plain")]).run()
    assert not at.exception, at.exception
    assert at.slider(key="f_dates").value[1] > hi and "to" not in at.query_params  # the end followed the data
    assert any("outside the current filters" in w.value for w in at.warning)
    at.button(key="show-new").click().run()
    events, _ = data.load_store(store)
    assert metric(at, "Events") == len(events) and "types" not in at.query_params


def test_table_rows_lead_with_date_type_place_and_show_no_null_words(store) -> None:
    _, events = store
    at = run_app()
    shown = at.dataframe[0].value
    assert list(shown.columns[:5]) == ["event_date", "event_type", "place", "count", "count_of"]
    assert list(shown.columns[-3:]) == ["event_id", "article_id", "doc"]
    assert len(shown) == len(events) and not shown["event_id"].isna().any()
    assert not shown.astype(str).isin(["nan", "None", "NaT"]).any().any()


def test_background_reports_are_hidden_by_default_and_the_headline_says_so(tmp_path, monkeypatch) -> None:
    from tests.dashboard.synthetic import make_store, write_store

    events, articles = make_store(12, seed=5)
    events["background"] = False
    events.loc[0, ["background", "event_type", "count"]] = [True, "defection", 20000]
    monkeypatch.setenv("EVENTS_STORE", str(write_store(tmp_path / "events.parquet", events, articles)))
    at = run_app()
    assert metric(at, "Events") == 11
    assert any("1 background reports" in c.value and "hidden" in c.value for c in at.caption)
    at.toggle(key="f_background").set_value(True).run()
    assert metric(at, "Events") == 12 and at.query_params["background"] == "1"
    prepared = data.prepare(events)
    assert metric(at, "Defectors") == data.headline(prepared[~prepared["background"]]).totals["defectors"]



def test_sessions_share_one_copy_of_the_store(tmp_path, monkeypatch) -> None:
    """Every session reads the store the server loaded once (DuckDB, one copy), each on a cursor of its own."""
    from dashboard import query
    from tests.dashboard.synthetic import make_store, write_store

    store = write_store(tmp_path / "events.parquet", *make_store(30, seed=13))
    monkeypatch.setenv("EVENTS_STORE", str(store))
    loads, real = [], query.Generation.load
    monkeypatch.setattr(query.Generation, "load", classmethod(lambda cls, path: loads.append(path) or real(path)))
    sessions = [run_app() for _ in range(3)]
    assert len(loads) == 1 and all(metric(at, "Events") == 30 for at in sessions)


def test_the_table_shows_a_page_of_the_view_and_turns_pages(tmp_path, monkeypatch) -> None:
    """100 rows a page (app.TABLE_ROWS), in store order; new filters start at the first page."""
    from tests.dashboard.synthetic import make_store, write_store

    store = write_store(tmp_path / "events.parquet", *make_store(250, seed=17))
    monkeypatch.setenv("EVENTS_STORE", str(store))
    events, _ = data.load_store(store)
    view = apply(events, Filters())
    at = run_app()
    assert at.dataframe[0].value["event_id"].tolist() == view["event_id"].iloc[:100].tolist()
    at.number_input(key="table_page").set_value(2).run()
    assert at.dataframe[0].value["event_id"].tolist() == view["event_id"].iloc[100:200].tolist()
    assert any("Rows 101–200 of" in c.value for c in at.caption)
    at.multiselect(key="f_types").set_value(["shelling", "airstrike", "defection", "desertion", "clashes"]).run()
    assert at.number_input(key="table_page").value == 1
