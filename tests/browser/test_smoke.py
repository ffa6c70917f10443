"""Smoke test: the dashboard starts under `streamlit run` and renders its title in a real browser."""
from __future__ import annotations

from playwright.sync_api import expect

from dashboard.theme import TITLE


def test_page_renders_title(seeds_app, new_page) -> None:
    page = new_page()
    page.goto(seeds_app)
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible(timeout=60_000)
