"""The dashboard in headless chromium, on stores built by the events CLI.

The basics: (1) one marker per located event in view, (2) a marker click opens its evidence, (3) the
date slider changes the markers and the URL, (4) that URL restores the view in a fresh browser, (5) a
malicious article renders as text. Then one test per numbered problem of issue 12 (`test_p1_...` to
`test_p8_...`; the table's column order and the timeline's years are checked through AppTest in
tests/dashboard/test_app.py). Expected markers are computed from the store itself.
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, quote, urlparse

import pytest
from playwright.sync_api import Page, expect

from dashboard import data, filters, mapview, urlstate
from events.store import copy_store
from tests.browser.conftest import ARTIFACTS, browser_page, build_store, streamlit_app

TIMEOUT = 120_000  # an upper bound on waiting (a shared 2-core machine under load), not a timing assertion
MAP = 'iframe[title="dashboard.mapview.eventmap"]'
NULL_WORDS = re.compile(r"\b(nan|NaN|None|NaT|null|undefined)\b")


def view_of(store: Path, url: str):
    events, _ = data.load_store(store)
    state, problems = urlstate.from_query(parse_qs(urlparse(url).query))
    assert problems == []
    return filters.apply(events, state.filters)


def expected_ids(store: Path, url: str) -> set[str]:
    """Ids of the located events that the URL's filters keep."""
    view = view_of(store, url)
    return set(view.loc[view[data.LOCATED], "event_id"])


def map_frame(page: Page):
    page.locator(MAP).wait_for(timeout=TIMEOUT)
    return next(f for f in page.frames if "eventmap" in f.url)


def wait_for_markers(page: Page, ids: set[str]) -> None:
    """The map's layer holds exactly these events (clustered or not, each is a marker of its own)."""
    frame = map_frame(page)
    frame.wait_for_function("ids => window.eventMap.layer && window.eventMap.ready && "
                            "JSON.stringify(window.eventMap.layer.points.map(p => p.id).sort()) === "
                            "JSON.stringify(ids)", arg=sorted(ids), timeout=TIMEOUT)


def wait_idle(page: Page) -> None:
    """Until the app has finished its reruns (Streamlit's running indicator is gone), as a user waits for the
    page to settle: a click or a dropped file on an element a running rerun is about to replace can be
    lost on a loaded machine."""
    expect(page.get_by_test_id("stStatusWidget")).to_be_hidden(timeout=TIMEOUT)


def click_marker(page: Page, event_id: str) -> None:
    """Bring an event's marker out of its cluster (zooming, spiderfying) and click it like a user."""
    map_frame(page).evaluate("id => window.eventMap.show(id)", event_id)
    marker = page.frame_locator(MAP).locator(f".{mapview.marker_class(event_id)}")
    expect(marker).to_be_visible(timeout=TIMEOUT)
    page.wait_for_timeout(400)  # let a spiderfy animation end
    marker.click()


def evidence(page: Page):
    return page.locator("blockquote.evidence-sentence")


def expect_ring_around(page: Page, event_id: str) -> None:
    """The open event's marker is ringed: one ring, centred on that marker."""
    ring = page.frame_locator(MAP).locator("path.selected-marker")
    expect(ring).to_have_count(1, timeout=TIMEOUT)
    marker = page.frame_locator(MAP).locator(f".{mapview.marker_class(event_id)}")
    centre = lambda box: (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    (rx, ry), (mx, my) = centre(ring.bounding_box()), centre(marker.bounding_box())
    assert abs(rx - mx) < 2 and abs(ry - my) < 2


def drag_slider_start(page: Page, fraction: float) -> None:
    """Drag the date slider's left handle to `fraction` of the track, like a user would."""
    slider = page.get_by_test_id("stSlider")
    thumb = slider.get_by_role("slider").first
    track = slider.bounding_box()
    box = thumb.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(track["x"] + track["width"] * fraction, box["y"] + box["height"] / 2, steps=10)
    page.mouse.up()


def metric(page: Page, label: str):
    return page.get_by_test_id("stMetric").filter(has_text=label).get_by_test_id("stMetricValue")


def foreground(events):
    """The events a default view shows: background reports (history, totals) are hidden until asked for."""
    return events[~events["background"].fillna(False).astype(bool)]


def located_event(store: Path, **where) -> dict:
    events, _ = data.load_store(store)
    rows = events[events[data.LOCATED] & ~events["background"].astype(bool)]  # on the default map
    for col, value in where.items():
        rows = rows[rows[col] == value]
    return rows.iloc[0].to_dict()


# ---------------------------------------------------------------- the basics

def test_1_one_marker_per_located_event(seeds_app, seeds_store, new_page) -> None:
    page = new_page()
    page.goto(seeds_app)
    wanted = expected_ids(seeds_store, seeds_app)
    assert len(wanted) > 10
    wait_for_markers(page, wanted)
    events, _ = data.load_store(seeds_store)
    expect(metric(page, "Events")).to_have_text(f"{len(foreground(events)):,}")


def test_2_marker_click_shows_its_evidence(seeds_app, seeds_store, new_page) -> None:
    page = new_page()
    page.goto(seeds_app)
    wait_for_markers(page, expected_ids(seeds_store, seeds_app))
    chosen = located_event(seeds_store)
    click_marker(page, chosen["event_id"])
    expect(evidence(page)).to_have_text(chosen["evidence"], timeout=TIMEOUT)
    expect(page).to_have_url(re.compile(rf"[?&]ev={re.escape(chosen['event_id'])}(&|$)"))
    expect_ring_around(page, chosen["event_id"])


@pytest.fixture(scope="module")
def moved_view(playwright_instance, seeds_app, seeds_store) -> dict:
    """Zoom in, drag the slider, click a marker: the view that test 3 checks and test 4 reopens."""
    with browser_page(playwright_instance, "test_3_slider_moved") as page:
        page.goto(seeds_app)
        before = expected_ids(seeds_store, seeds_app)
        wait_for_markers(page, before)
        page.frame_locator(MAP).locator(".leaflet-control-zoom-in").click()
        expect(page).to_have_url(re.compile(rf"[?&]z={mapview.DEFAULT_ZOOM + 1}(&|$)"), timeout=TIMEOUT)
        drag_slider_start(page, 0.5)
        expect(page).to_have_url(re.compile(r"[?&]from=\d{4}-\d\d-\d\d"), timeout=TIMEOUT)
        after = expected_ids(seeds_store, page.url)
        wait_for_markers(page, after)
        view = view_of(seeds_store, page.url)
        chosen = view[view[data.LOCATED]].iloc[0].to_dict()
        click_marker(page, chosen["event_id"])
        expect(evidence(page)).to_have_text(chosen["evidence"], timeout=TIMEOUT)
        expect(page).to_have_url(re.compile(r"[?&]ev="), timeout=TIMEOUT)
        page.wait_for_timeout(800)  # the zoom of `show` reaches the URL
        return {"url": page.url, "before": before, "after": after, "clicked": chosen,
                "zoom": map_frame(page).evaluate("window.eventMap.map.getZoom()")}


def test_3_date_slider_changes_markers_and_url(moved_view, seeds_store) -> None:
    query = parse_qs(urlparse(moved_view["url"]).query)
    assert moved_view["after"] and moved_view["after"] < moved_view["before"]
    first_day = data.date_bounds(data.load_store(seeds_store)[0])[0]
    assert query["from"][0] > first_day.isoformat()  # the earliest events were cut off
    assert query["ev"] == [moved_view["clicked"]["event_id"]]


def test_4_shared_url_restores_the_view_in_a_fresh_browser(moved_view, seeds_store, new_page) -> None:
    page = new_page()
    page.goto(moved_view["url"])
    wait_for_markers(page, moved_view["after"])
    expect(evidence(page)).to_have_text(moved_view["clicked"]["evidence"], timeout=TIMEOUT)
    assert map_frame(page).evaluate("window.eventMap.map.getZoom()") == moved_view["zoom"]
    assert parse_qs(urlparse(page.url).query) == parse_qs(urlparse(moved_view["url"]).query)


EVIL_ARTICLE = """<b>عاجل</b> انشقاق في حماة <img src=x onerror="alert(window.__pwned=1)">

حماة - أعلن 15 عنصرا من قوات النظام انشقاقهم في مدينة حماة يوم الاثنين 3 حزيران 2013 \
<script>alert(window.__pwned=2)</script> وانضمامهم إلى الجيش الحر <img src=x onerror="alert(window.__pwned=3)">.
"""


def test_5_malicious_article_renders_as_text(playwright_instance, tmp_path, new_page) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "evil.txt").write_text(EVIL_ARTICLE, encoding="utf-8")
    store = build_store([corpus], tmp_path / "evil.parquet")
    events, _ = data.load_store(store)
    assert "<script>" in events["evidence"].iloc[0]  # the pipeline kept the payload: the page must defuse it
    with streamlit_app(store, "evil") as url:
        page = new_page()
        dialogs: list[str] = []  # any alert() from any frame of the page lands here
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(url)
        wait_for_markers(page, expected_ids(store, url))
        click_marker(page, events["event_id"].iloc[0])
        expect(evidence(page)).to_contain_text("<script>alert(window.__pwned=2)</script>", timeout=TIMEOUT)
        page.locator(".ev-detail summary").click()
        whole_article = page.locator(".ev-detail .article")
        expect(whole_article).to_contain_text('<b>عاجل</b>')
        expect(whole_article).to_contain_text('<img src=x onerror="alert(window.__pwned=3)">')
        page.frame_locator(MAP).locator("#feed li").first.hover()  # the feed shows the evidence line too
        page.wait_for_timeout(1000)  # give any injected handler the chance to run
        assert dialogs == []
        for frame in page.frames:
            assert frame.evaluate("typeof window.__pwned") == "undefined"
            assert frame.locator('img[src="x"]').count() == 0
            assert frame.locator("b", has_text="عاجل").count() == 0


# ---------------------------------------------------------------- issue 12, one test per problem

LATE_ARTICLE = ("ريف إدلب - قصفت قوات النظام بلدة كفرنبل يوم 12 آذار 2024 بالمدفعية الثقيلة "
                "ما أدى إلى مقتل ثلاثة مدنيين.")


def test_p1_an_upload_newer_than_every_event_comes_into_view(playwright_instance, seeds_store, tmp_path,
                                                            new_page) -> None:
    store = tmp_path / "events.parquet"
    copy_store(seeds_store, store)
    before, _ = data.load_store(store)
    (tmp_path / "late.txt").write_text(LATE_ARTICLE, encoding="utf-8")
    with streamlit_app(store, "upload") as url:
        page = new_page()
        page.goto(url)
        wait_for_markers(page, expected_ids(store, url))
        wait_idle(page)
        page.get_by_test_id("stExpandSidebarButton").click()
        page.get_by_test_id("stExpander").get_by_text("Add articles").click()
        # dropping the file is the only step: no "process" button to find
        dropzone = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
        dropzone.wait_for(state="attached", timeout=TIMEOUT)
        wait_idle(page)
        dropzone.set_input_files(str(tmp_path / "late.txt"))
        expect(page.get_by_text(re.compile(r"\d+ new events from 1 new articles"))).to_be_visible(timeout=TIMEOUT)
        after, _ = data.load_store(store)
        new = set(after["event_id"]) - set(before["event_id"])
        assert new and after.loc[after["event_id"].isin(new), "event_date"].min() > before["event_date"].max()
        shown = foreground(after)
        expect(metric(page, "Events")).to_have_text(f"{len(shown):,}", timeout=TIMEOUT)
        wait_for_markers(page, set(shown.loc[shown[data.LOCATED], "event_id"]))
        assert "to=" not in page.url


def test_p2_a_closed_marker_opens_again_and_so_do_others(seeds_app, seeds_store, new_page) -> None:
    page = new_page()
    page.goto(seeds_app)
    wait_for_markers(page, expected_ids(seeds_store, seeds_app))
    first, second = (located_event(seeds_store, event_type=t) for t in ("airstrike", "defection"))
    click_marker(page, first["event_id"])
    expect(evidence(page)).to_have_text(first["evidence"], timeout=TIMEOUT)
    page.get_by_role("button", name="Close").click()
    expect(evidence(page)).to_have_count(0, timeout=TIMEOUT)
    click_marker(page, first["event_id"])
    expect(evidence(page)).to_have_text(first["evidence"], timeout=TIMEOUT)
    page.get_by_role("button", name="Close").click()
    expect(evidence(page)).to_have_count(0, timeout=TIMEOUT)
    click_marker(page, second["event_id"])
    expect(evidence(page)).to_have_text(second["evidence"], timeout=TIMEOUT)


def test_p3_events_at_one_place_and_table_rows_are_each_reachable(seeds_app, seeds_store, new_page) -> None:
    events, _ = data.load_store(seeds_store)
    mapped = events[events[data.LOCATED] & ~events["background"].astype(bool)]  # what the default map shows
    shared = mapped[mapped["place_id"].duplicated(keep=False)]
    place = shared["place_id"].iloc[0]
    here = shared[shared["place_id"] == place]
    url = f"{seeds_app}/?q={quote(here['location_ar'].iloc[0])}"
    page = new_page()
    page.goto(url)
    wait_for_markers(page, expected_ids(seeds_store, url))
    for row in here.to_dict("records"):  # co-located markers spiderfy: each one clicks open
        click_marker(page, row["event_id"])
        expect(evidence(page)).to_have_text(row["evidence"], timeout=TIMEOUT)
    page.get_by_role("button", name="Close").click()
    table = page.get_by_test_id("stDataFrame")
    table.scroll_into_view_if_needed()
    box = table.bounding_box()
    page.mouse.click(box["x"] + 12, box["y"] + 35 + 35 * 1 + 17)  # the row marker of the second row
    expect(evidence(page)).to_have_count(1, timeout=TIMEOUT)
    shown = view_of(seeds_store, url).iloc[1]
    expect(evidence(page)).to_have_text(shown["evidence"], timeout=TIMEOUT)


def test_p4_a_labelled_map_with_no_request_off_the_machine(seeds_app, seeds_store, new_page) -> None:
    page = new_page()
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlparse(request.url).hostname or ""))
    page.goto(seeds_app)
    wait_for_markers(page, expected_ids(seeds_store, seeds_app))
    labels = page.frame_locator(MAP).locator(".place-label")
    expect(labels.filter(has_text="Damascus")).to_have_count(1, timeout=TIMEOUT)
    expect(labels.filter(has_text="حلب")).to_have_count(1)
    few = labels.count()
    map_frame(page).evaluate("window.eventMap.map.setZoom(9)")
    expect(labels).not_to_have_count(few, timeout=TIMEOUT)  # more places named as the reader zooms in
    assert page.frame_locator(MAP).locator("path.leaflet-interactive, path").count() > 14  # the borders
    assert hosts <= {"127.0.0.1", ""}, hosts


def test_p5_the_map_is_the_page_at_1280x720(seeds_app, seeds_store, new_page) -> None:
    page = new_page()
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(seeds_app)
    wait_for_markers(page, expected_ids(seeds_store, seeds_app))
    chosen = located_event(seeds_store)
    click_marker(page, chosen["event_id"])
    expect(evidence(page)).to_have_text(chosen["evidence"], timeout=TIMEOUT)
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_timeout(300)
    the_map = page.locator(MAP).bounding_box()
    assert the_map["y"] < 720 * 0.45 and the_map["height"] >= 720 - 100  # above the fold, the viewport tall
    panel = page.locator(".ev-detail").bounding_box()
    assert panel["x"] >= the_map["x"] + the_map["width"] - 1  # beside the map, not under it
    assert panel["y"] < 720
    assert page.locator(".ev-detail details").get_attribute("open") is None  # the whole article collapsed
    title = page.get_by_role("heading", name="Syria reported-events map").bounding_box()
    assert title["y"] < 80  # no empty band above the title


def test_p6_no_null_words_and_a_second_download_works(seeds_app, seeds_store, new_page) -> None:
    events, _ = data.load_store(seeds_store)
    gaps = events[events[data.LOCATED] & events["actors"].isna()]
    chosen = (gaps if len(gaps) else events[events[data.LOCATED]]).iloc[0]
    page = new_page()
    page.goto(f"{seeds_app}/?ev={chosen['event_id']}")
    wait_for_markers(page, expected_ids(seeds_store, seeds_app))
    expect(evidence(page)).to_have_text(chosen["evidence"], timeout=TIMEOUT)
    page.locator(".ev-detail summary").click()
    map_frame(page).locator("#feed li").first.hover()
    for frame in page.frames:
        text = frame.evaluate("document.body ? document.body.innerText : ''")
        assert not NULL_WORDS.search(text), NULL_WORDS.search(text).group(0) + " in " + frame.url
    button = page.get_by_role("button", name="Download CSV")
    button.scroll_into_view_if_needed()
    payloads = []
    for _ in range(2):  # two quick clicks, both downloads complete
        with page.expect_download(timeout=TIMEOUT) as download:
            button.click()
        payloads.append(Path(download.value.path()).read_bytes())
    assert payloads[0] == payloads[1] and payloads[0].startswith(b"\xef\xbb\xbf")
    assert "MediaFileStorageError" not in (ARTIFACTS / "seeds.server.log").read_text()


def test_p7_table_leads_with_date_type_place_and_downloads_carry_words(seeds_app, seeds_store, new_page) -> None:
    page = new_page()
    page.goto(seeds_app)
    wait_for_markers(page, expected_ids(seeds_store, seeds_app))
    table = page.get_by_test_id("stDataFrame")
    table.scroll_into_view_if_needed()
    box = table.bounding_box()
    rows = view_of(seeds_store, seeds_app)
    assert box["height"] <= 35 * (len(rows) + 1) + 10  # no empty rows under the last event
    with page.expect_download(timeout=TIMEOUT) as download:
        page.get_by_role("button", name="Download CSV").click()
    header = Path(download.value.path()).read_bytes().decode("utf-8-sig").splitlines()[0].split(",")
    assert {"time_precision_words", "geo_precision_words"} <= set(header)


def test_p8_headline_says_what_counts_count(seeds_app, seeds_store, new_page) -> None:
    page = new_page()
    page.goto(seeds_app)
    wait_for_markers(page, expected_ids(seeds_store, seeds_app))
    h = data.headline(view_of(seeds_store, seeds_app))
    for label, key in (("Killed", "killed"), ("Defectors", "defectors"), ("Arrested", "arrested")):
        expect(metric(page, label)).to_have_text(f"{h.totals[key]:,}")
    expect(page.get_by_text(re.compile("background reports .* (never|not) added"))
           ).to_be_visible()
    expect(page.get_by_text("Defectors reported")).to_have_count(0)  # no single cumulative claim as a total


def test_opening_an_event_sends_no_map_again(seeds_app, seeds_store, new_page) -> None:
    """Issue 15: a marker click reruns the map's part of the page with a few hundred bytes of arguments;
    the layer (fetched by URL once per filter setting) is not fetched again, and the tooltip is built in
    the browser from the layer's compact columns."""
    page = new_page()
    page.goto(seeds_app)
    wait_for_markers(page, expected_ids(seeds_store, seeds_app))
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    chosen = located_event(seeds_store)
    click_marker(page, chosen["event_id"])
    expect(evidence(page)).to_have_text(chosen["evidence"], timeout=TIMEOUT)
    page.wait_for_timeout(500)
    assert not [u for u in fetched if "/layers/" in u or "/sites/" in u], fetched
    point = map_frame(page).evaluate("id => window.eventMap.layer.points.find(p => p.id === id)", chosen["event_id"])
    assert point["t"] and point["d"] == chosen["event_date"] and point["p"] == (chosen["location_en"] or "")
