"""Issue 13 in headless chromium: an analyst corrects a place by searching, rejects an event, rebuilds the
store, and places an event by clicking the map, then uploads an article naming that new place.

Every expectation is computed from the store and the log on disk, not from the page."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from dashboard import data, reviewing
from events import review
from events.store import copy_store
from gazetteer import user_places
from tests.browser.conftest import REPO, streamlit_app
from tests.browser.test_dashboard import (MAP, TIMEOUT, click_marker, evidence, expected_ids, map_frame, wait_for_markers,
                                         wait_idle)

NEW_PLACE_AR, NEW_PLACE_EN = "ديربو", "Dirbu"
REVIEWER = "Rima <b>"  # reviewer input is untrusted too
ARTICLE_NAMING_IT = ("ريف حمص - قصفت قوات النظام قرية ديربو يوم 3 آذار 2014 بالمدفعية الثقيلة "
                     "ما أدى إلى مقتل ثلاثة مدنيين.")


def point_of(page: Page, event_id: str) -> dict | None:
    """The map layer's point of an event (None when the filters hide it)."""
    return map_frame(page).evaluate("id => (window.eventMap.layer.points.find(p => p.id === id) || null)", event_id)


def wait_for_point(page: Page, event_id: str, lat: float, lon: float, status: str) -> None:
    map_frame(page).wait_for_function(
        "([id, lat, lon, s]) => { const p = window.eventMap.layer && window.eventMap.ready && "
        "window.eventMap.layer.points.find(p => p.id === id); "
        "return p && Math.abs(p.lat - lat) < 1e-4 && Math.abs(p.lon - lon) < 1e-4 && p.s === s; }",
        arg=[event_id, lat, lon, status], timeout=TIMEOUT)


def set_reviewer(page: Page, name: str = REVIEWER) -> None:
    wait_idle(page)
    page.get_by_label("Your name, to review events (asked once per session)").fill(name)
    page.keyboard.press("Enter")
    expect(page.get_by_text(re.compile("Reviewing as"))).to_be_visible(timeout=TIMEOUT)
    wait_idle(page)


def open_correction(page: Page) -> None:
    wait_idle(page)
    page.get_by_text("Correct type, count, date or place").click()


@pytest.fixture
def review_store(tmp_path: Path, seeds_store: Path) -> Path:
    store = tmp_path / "events.parquet"
    copy_store(seeds_store, store)
    return store


def test_review_outlives_reloads_and_rebuilds_and_a_user_place_resolves(playwright_instance, review_store, tmp_path,
                                                                     new_page) -> None:
    store = review_store
    events, _ = data.load_store(store)
    located = events[events[data.LOCATED] & ~events["background"]]
    moved, rejected, placed = (located.iloc[i].to_dict() for i in (0, 1, 2))
    query = "كفرنبل"
    target = reviewing.finder([]).search(query)[0]
    assert target.place_id != moved["place_id"]
    with streamlit_app(store, "review") as url:
        page = new_page()
        page.goto(url)
        wait_for_markers(page, expected_ids(store, url))

        # correct a place by searching the gazetteer
        click_marker(page, moved["event_id"])
        expect(evidence(page)).to_have_text(moved["evidence"], timeout=TIMEOUT)
        set_reviewer(page)
        open_correction(page)
        page.get_by_label("Place: search the gazetteer (Arabic or English)").fill(query)
        page.keyboard.press("Enter")
        matches = page.get_by_test_id("stSelectbox").filter(has_text="Matching places")
        expect(matches).to_be_visible(timeout=TIMEOUT)
        wait_idle(page)  # the rerun that drew it has ended
        matches.locator("input").click()
        page.keyboard.type(target.name_en)  # the picker filters its options as one types; Enter takes the first
        page.keyboard.press("Enter")
        wait_idle(page)
        page.get_by_role("button", name="Save correction").click()
        wait_for_point(page, moved["event_id"], target.lat, target.lon, "corrected")
        page.reload()
        wait_for_point(page, moved["event_id"], target.lat, target.lon, "corrected")
        expect(page.locator(".ev-detail .status-corrected")).to_have_text("corrected", timeout=TIMEOUT)
        expect(page.locator(".ev-detail p.corrected")).to_contain_text(moved["location_en"])  # the machine's place
        expect(page.locator(".ev-detail")).to_contain_text(REVIEWER)  # the reviewer's name as text

        # reject another (a reload is a new session: the name is asked again): gone from the default view,
        # back under "rejected"
        click_marker(page, rejected["event_id"])
        expect(evidence(page)).to_have_text(rejected["evidence"], timeout=TIMEOUT)
        set_reviewer(page)
        wait_idle(page)
        page.get_by_role("button", name="Reject").click()
        map_frame(page).wait_for_function(
            "id => window.eventMap.ready && !window.eventMap.layer.points.some(p => p.id === id)",
            arg=rejected["event_id"], timeout=TIMEOUT)
        page.goto(f"{url}/?status=rejected")
        wait_for_markers(page, {rejected["event_id"]})

        # rebuild the store from its articles: both decisions hold
        subprocess.run([sys.executable, "-m", "events", "build", str(REPO / "seeds"), "--out", str(store), "--rebuild"],
                       cwd=REPO, check=True, capture_output=True)
        page.goto(url)
        wait_for_point(page, moved["event_id"], target.lat, target.lon, "corrected")
        assert point_of(page, rejected["event_id"]) is None
        page.goto(f"{url}/?status=rejected")
        wait_for_markers(page, {rejected["event_id"]})

        # place an event by clicking the map, then upload an article that names the new place
        page.goto(f"{url}/?ev={placed['event_id']}")
        expect(evidence(page)).to_have_text(placed["evidence"], timeout=TIMEOUT)
        set_reviewer(page)
        open_correction(page)
        wait_idle(page)
        page.get_by_text("…or click the map to drop a point and name it").click()
        expect(page.get_by_text("Click the map where it happened.")).to_be_visible(timeout=TIMEOUT)
        xy = map_frame(page).evaluate("window.eventMap.map.latLngToContainerPoint([34.62, 37.35])")
        wait_idle(page)
        page.frame_locator(MAP).locator("#map").click(position={"x": xy["x"], "y": xy["y"]})
        expect(page.get_by_text(re.compile(r"Point 34\.\d+, 37\.\d+"))).to_be_visible(timeout=TIMEOUT)
        page.get_by_label("Name (Arabic)").fill(NEW_PLACE_AR)
        page.get_by_label("Name (English)").fill(NEW_PLACE_EN)
        wait_idle(page)
        page.get_by_role("button", name="Save correction").click()
        expect(page.locator(".ev-detail .status-corrected")).to_be_visible(timeout=TIMEOUT)
        expect(page.locator(".ev-detail dd").filter(has_text=NEW_PLACE_EN)).to_contain_text("corrected")
        (added,), problems = user_places.load(user_places.path_for(store))
        assert problems == [] and added.name_ar == NEW_PLACE_AR and added.who == REVIEWER
        assert abs(added.lat - 34.62) < 0.05 and abs(added.lon - 37.35) < 0.05
        wait_for_point(page, placed["event_id"], added.lat, added.lon, "corrected")

        (tmp_path / "dirbu.txt").write_text(ARTICLE_NAMING_IT, encoding="utf-8")
        wait_idle(page)
        page.get_by_test_id("stExpandSidebarButton").click()
        page.get_by_test_id("stExpander").get_by_text("Add articles").click()
        dropzone = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
        dropzone.wait_for(state="attached", timeout=TIMEOUT)
        wait_idle(page)
        dropzone.set_input_files(str(tmp_path / "dirbu.txt"))
        expect(page.get_by_text(re.compile(r"\d+ new events from 1 new articles"))).to_be_visible(timeout=TIMEOUT)
        after, _ = data.load_store(store)
        new = after[~after["event_id"].isin(events["event_id"])]
        assert list(new["place_id"].unique()) == [added.place_id]
        assert (new["latitude"] == added.lat).all() and (new["longitude"] == added.lon).all()
        wait_for_point(page, new["event_id"].iloc[0], added.lat, added.lon, "")

    decisions, problems = review.read(review.log_path(store))
    assert problems == [] and [d.action for d in decisions] == ["correct", "reject", "correct"]
