"""Smoke test: the dashboard starts under `streamlit run` and renders its title in a real browser."""
from __future__ import annotations

from playwright.sync_api import expect

from dashboard.theme import TITLE
from tests.browser.conftest import streamlit_app


def test_page_renders_title(new_page) -> None:
    with streamlit_app(None, "smoke") as url:
        page = new_page()
        page.goto(url)
        expect(page.get_by_role("heading", name=TITLE)).to_be_visible(timeout=60_000)
