"""The dashboard in headless chromium, on the seeds store built by the events CLI.

(1) one marker per located event in view, (2) a marker click opens its evidence, (3) the date
slider changes the markers and the URL, (4) that URL restores the view in a fresh browser,
(5) a malicious article renders as text. Expected markers are computed from the store itself.
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Page, expect

from dashboard import data, mapview, urlstate
from tests.browser.conftest import browser_page, build_store, streamlit_app

TIMEOUT = 60_000
MAP = 'iframe[title="streamlit_folium.st_folium"]'


def expected_marker_classes(store: Path, url: str) -> set[str]:
    """Marker classes of the located events that the URL's filters keep."""
    events, _ = data.load_store(store)
    state, problems = urlstate.from_query(parse_qs(urlparse(url).query))
    assert problems == []
    view = data.apply_filters(events, state.filters)
    return {mapview.marker_class(e) for e in view.loc[view[data.LOCATED], "event_id"]}


def shown_marker_classes(page: Page) -> set[str]:
    classes = page.frame_locator(MAP).locator("path.ev-marker").evaluate_all(
        "els => els.map(e => e.getAttribute('class'))")
    return {c for cls in classes for c in cls.split() if c.startswith("ev-") and c != "ev-marker"}


def wait_for_markers(page: Page, classes: set[str]) -> None:
    expect(page.frame_locator(MAP).locator("path.ev-marker")).to_have_count(len(classes), timeout=TIMEOUT)
    assert shown_marker_classes(page) == classes


def map_frame(page: Page):
    return next(f for f in page.frames if "st_folium" in f.url)


def click_a_marker(page: Page, store: Path) -> dict:
    """Click a marker that no other marker covers; return its event (from the store)."""
    cls = map_frame(page).evaluate("""() => {
        for (const el of document.querySelectorAll('path.ev-marker')) {
            const r = el.getBoundingClientRect();
            if (document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) === el)
                return [...el.classList].find(c => c.startsWith('ev-') && c !== 'ev-marker');
        }
    }""")
    assert cls, "every marker is covered by another"
    page.frame_locator(MAP).locator(f"path.{cls}").click()
    events, _ = data.load_store(store)
    match = [e for e in events.to_dict("records") if mapview.marker_class(e["event_id"]) == cls]
    assert len(match) == 1
    return match[0]


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


def evidence(page: Page):
    return page.locator("blockquote.evidence-sentence")


def expect_ring_around(page: Page, event_id: str) -> None:
    """The open event's marker is ringed: one ring, centred on that marker."""
    ring = page.frame_locator(MAP).locator("path.selected-marker")
    expect(ring).to_have_count(1, timeout=TIMEOUT)
    marker = page.frame_locator(MAP).locator(f"path.{mapview.marker_class(event_id)}")
    centre = lambda box: (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    (rx, ry), (mx, my) = centre(ring.bounding_box()), centre(marker.bounding_box())
    assert abs(rx - mx) < 2 and abs(ry - my) < 2


def test_1_one_marker_per_located_event(seeds_app, seeds_store, new_page) -> None:
    page = new_page()
    page.goto(seeds_app)
    wanted = expected_marker_classes(seeds_store, seeds_app)
    assert len(wanted) > 10
    wait_for_markers(page, wanted)
    events, _ = data.load_store(seeds_store)
    expect(page.get_by_test_id("stMetricValue").first).to_have_text(f"{len(events):,}")


def test_2_marker_click_shows_its_evidence(seeds_app, seeds_store, new_page) -> None:
    page = new_page()
    page.goto(seeds_app)
    wait_for_markers(page, expected_marker_classes(seeds_store, seeds_app))
    clicked = click_a_marker(page, seeds_store)
    expect(evidence(page)).to_have_text(clicked["evidence"], timeout=TIMEOUT)
    expect(page).to_have_url(re.compile(rf"[?&]ev={re.escape(clicked['event_id'])}(&|$)"))
    expect_ring_around(page, clicked["event_id"])


@pytest.fixture(scope="module")
def moved_view(playwright_instance, seeds_app, seeds_store) -> dict:
    """Zoom in, drag the slider, click a marker: the view that test 3 checks and test 4 reopens."""
    with browser_page(playwright_instance, "test_3_slider_moved") as page:
        page.goto(seeds_app)
        before = expected_marker_classes(seeds_store, seeds_app)
        wait_for_markers(page, before)
        page.frame_locator(MAP).locator(".leaflet-control-zoom-in").click()
        expect(page).to_have_url(re.compile(rf"[?&]z={mapview.DEFAULT_ZOOM + 1}(&|$)"), timeout=TIMEOUT)
        drag_slider_start(page, 0.5)
        expect(page).to_have_url(re.compile(r"[?&]from=\d{4}-\d\d-\d\d"), timeout=TIMEOUT)
        after = expected_marker_classes(seeds_store, page.url)
        wait_for_markers(page, after)
        clicked = click_a_marker(page, seeds_store)
        expect(evidence(page)).to_have_text(clicked["evidence"], timeout=TIMEOUT)
        expect(page).to_have_url(re.compile(r"[?&]ev="), timeout=TIMEOUT)
        return {"url": page.url, "before": before, "after": after, "clicked": clicked,
                "zoom": map_frame(page).evaluate("window.map.getZoom()")}


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
    expect_ring_around(page, moved_view["clicked"]["event_id"])
    assert map_frame(page).evaluate("window.map.getZoom()") == moved_view["zoom"]
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
        wait_for_markers(page, expected_marker_classes(store, url))
        click_a_marker(page, store)
        expect(evidence(page)).to_contain_text("<script>alert(window.__pwned=2)</script>", timeout=TIMEOUT)
        whole_article = page.locator(".ev-detail .article")
        expect(whole_article).to_contain_text('<b>عاجل</b>')
        expect(whole_article).to_contain_text('<img src=x onerror="alert(window.__pwned=3)">')
        page.wait_for_timeout(1000)  # give any injected handler the chance to run
        assert dialogs == []
        for frame in page.frames:
            assert frame.evaluate("typeof window.__pwned") == "undefined"
            assert frame.locator('img[src="x"]').count() == 0
            assert frame.locator("b", has_text="عاجل").count() == 0
