"""An analyst in headless chromium (bench/load.py --browser): the page as a person sees it, each step timed
until its result is on screen. Ten of these on a 2-CPU machine measure the browsers as much as the
server (they render the map and the page on the same CPUs); bench/analyst.py is the light default.

A visit is a fresh browser context (no cache): open the page until the map has drawn its markers, move
the date slider until the new layer is drawn, open an event from the feed until its evidence shows,
reload. Visit n presses PageUp 1 + n % 7 times, so visits do not all land on one cached layer.
"""
from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

MAP = 'iframe[title="dashboard.mapview.eventmap"]'
TIMEOUT_MS = 180_000
STEPS = ("open page", "move date slider", "open event", "reload")


@contextlib.asynccontextmanager
async def chromium() -> AsyncIterator[object]:
    """One headless chromium for every browser analyst (each visit opens its own context in it)."""
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            await browser.close()


@dataclass
class BrowserAnalyst:
    browser: object
    base_url: str

    def visit(self, number: int) -> BrowserVisit:
        return BrowserVisit(self.browser, self.base_url, number)


@dataclass
class BrowserVisit:
    browser: object
    base_url: str
    number: int
    steps: tuple[str, ...] = STEPS
    context: object = None
    page: object = None
    layer: str | None = None  # the map's last drawn layer (window.eventMap.ready)

    async def step(self, name: str) -> None:
        await {"open page": self.open_page, "move date slider": self.move_dates, "open event": self.open_event,
               "reload": self.reload}[name]()

    async def close(self) -> None:
        if self.context is not None:
            await self.context.close()

    async def frame(self):
        await self.page.locator(MAP).wait_for(timeout=TIMEOUT_MS)
        return next(f for f in self.page.frames if "eventmap" in f.url)

    async def drawn(self, after: str | None = None) -> str:
        """The map's layer once it has drawn one other than `after`."""
        f = await self.frame()
        handle = await f.wait_for_function(
            "before => window.eventMap.ready && window.eventMap.ready !== before && window.eventMap.ready",
            arg=after, timeout=TIMEOUT_MS)
        return await handle.json_value()

    async def open_page(self) -> None:
        self.context = await self.browser.new_context(viewport={"width": 1400, "height": 1000})
        self.page = await self.context.new_page()
        await self.page.goto(self.base_url)
        self.layer = await self.drawn()

    async def move_dates(self) -> None:
        thumb = self.page.get_by_test_id("stSlider").get_by_role("slider").first
        await thumb.focus()
        for _ in range(1 + self.number % 7):
            await self.page.keyboard.press("PageUp")
        self.layer = await self.drawn(self.layer)

    async def open_event(self) -> None:
        f = await self.frame()
        await f.locator("#feed li").first.click()
        await self.page.locator("blockquote.evidence-sentence").wait_for(timeout=TIMEOUT_MS)
        await self.page.wait_for_url(re.compile(r"[?&]ev="), timeout=TIMEOUT_MS)

    async def reload(self) -> None:
        await self.page.reload()
        await self.page.locator("blockquote.evidence-sentence").wait_for(timeout=TIMEOUT_MS)
        await self.drawn()
