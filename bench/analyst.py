"""An analyst on the dashboard over the websocket client (bench/wsclient.py): the steps the load benchmark
times, each checked to have done what it says (a benchmark that times no-ops measures nothing).

A visit: open the page (and fetch the JSON files the map names, as its iframe does), move the date
slider's start, choose one event type, open an event from the map's feed (the map component's value,
as a click in the feed sends it: a rerun of the map's fragment only), reload the page from the URL the
app wrote. Each visit is numbered and uses a slider position and type no earlier visit used, so every
filter step computes a new view instead of finding it in the server's caches. The files the map fetches
are kept per analyst (a browser's HTTP cache): a layer already seen is not fetched again.
"""
from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import parse_qs

from bench.wsclient import Run, Tab, component, date_range, day, multiselect

STEPS = ("open page", "move date slider", "choose a type", "open event", "reload")
GOLDEN = 0.6180339887  # visit n starts the slider at a fraction of the range no other visit uses
HTTP_TIMEOUT_S = 120


class StepFailed(AssertionError):
    """A step ran but the page does not show what it should (the benchmark would time a no-op)."""


def check(ok: bool, what: str) -> None:
    if not ok:
        raise StepFailed(what)


@dataclass
class Analyst:
    """One person's browser: the server's URL and the map files it has fetched (url -> parsed JSON)."""

    base_url: str
    http_cache: dict[str, object] = field(default_factory=dict)

    def visit(self, number: int) -> Visit:
        return Visit(self, number)

    async def fetch(self, path: str) -> object:
        """A file the map loads, once per analyst."""
        if path not in self.http_cache:
            try:
                body = await asyncio.to_thread(get, self.base_url.rstrip("/") + path)
            except urllib.error.HTTPError as e:
                raise StepFailed(f"the map's file {path}: {e}") from e
            self.http_cache[path] = json.loads(body)
        return self.http_cache[path]


def get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=HTTP_TIMEOUT_S) as resp:
        return resp.read()


@dataclass
class Visit:
    """One pass through the steps; `events` holds the headline's event count after each step."""

    analyst: Analyst
    number: int
    steps: tuple[str, ...] = STEPS
    tab: Tab | None = None
    events: dict[str, int] = field(default_factory=dict)
    opened: str | None = None  # the event opened
    map_args: dict = field(default_factory=dict)  # the map component's arguments, as last drawn

    async def step(self, name: str) -> None:
        await {"open page": self.open_page, "move date slider": self.move_dates, "choose a type": self.choose_type,
               "open event": self.open_event, "reload": self.reload}[name]()

    async def close(self) -> None:
        if self.tab is not None:
            await self.tab.close()

    async def open_page(self) -> None:
        self.tab = Tab(self.analyst.base_url)
        run = await self.tab.open()
        await self.drawn("open page", run)
        for key in ("f_dates", "f_types", "map"):
            check(key in self.tab.widgets, f"open page: no widget {key!r}")

    async def move_dates(self) -> None:
        slider = self.tab.widgets["f_dates"].body
        lo, hi = day(slider.min), day(slider.max)
        start = lo + timedelta(days=int((hi - lo).days * (0.05 + 0.5 * (self.number * GOLDEN % 1))))
        run = await self.tab.set("f_dates", date_range(start, hi))
        await self.drawn("move date slider", run, fewer_than="open page")
        check(f"from={start.isoformat()}" in run.query_string, f"move date slider: URL {run.query_string!r}")

    async def choose_type(self) -> None:
        options = list(self.tab.widgets["f_types"].body.options)
        chosen = options[self.number % len(options)]
        run = await self.tab.set("f_types", multiselect([chosen]))
        await self.drawn("choose a type", run, fewer_than="move date slider")
        check(parse_qs(run.query_string).get("types") == [chosen], f"choose a type: URL {run.query_string!r}")

    async def open_event(self) -> None:
        layer = await self.analyst.fetch(self.map_args["layer_url"])
        feed = layer["feed"]["id"]  # the layer is columns (dashboard.mapview.layer): the feed's event ids
        check(bool(feed), "open event: the map's feed is empty")
        self.opened = feed[self.number % len(feed)]
        lat, lon = self.map_args["centre"]
        run = await self.tab.set("map", component({"open": self.opened, "pick": None, "n": self.number + 0.5,
                                                    "centre": [lat, lon], "zoom": self.map_args["zoom"]}))
        check(run.metric("Events") is None, "open event: the whole page reran, not the map's fragment")
        check(bool(run.html_with("evidence-sentence")), "open event: no evidence in the detail panel")
        check(parse_qs(run.query_string).get("ev") == [self.opened], f"open event: URL {run.query_string!r}")

    async def reload(self) -> None:
        query = self.tab.query_string
        await self.tab.close()
        self.tab = Tab(self.analyst.base_url, query)
        run = await self.tab.open()
        await self.drawn("reload", run)
        check(self.events["reload"] == self.events["choose a type"],
              f"reload: {self.events['reload']} events, not the {self.events['choose a type']} the URL's filters keep")
        check(bool(run.html_with("evidence-sentence")), "reload: the URL's event is not open")

    # ---------------------------------------------------------------- helpers

    async def drawn(self, step: str, run: Run, fewer_than: str | None = None) -> None:
        """The page's headline after `step` (fewer events than after `fewer_than`), and the map's files."""
        events = run.metric("Events")
        check(events is not None and events > 0, f"{step}: no headline event count")
        if fewer_than:
            check(events < self.events[fewer_than], f"{step}: {events} events, not fewer than {self.events[fewer_than]}")
        self.events[step] = events
        map_ = run.widget("map")
        check(map_ is not None, f"{step}: no map")
        self.map_args = json.loads(map_.body.json_args)
        for path in (self.map_args["layer_url"], self.map_args["basemap_url"]):
            if path:
                await self.analyst.fetch(path)