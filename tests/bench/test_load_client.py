"""bench/load.py's websocket analyst against a real dashboard server: its steps really change the page.

The load benchmark times these steps; if a step silently did nothing (a widget id the server ignores,
a value it cannot read, a rerun of nothing) the benchmark would time no-ops. So one visit runs on a
small synthetic store and the page is checked after each step, and a filter change the server cannot
see is shown to fail the visit's own check.
"""
from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterator
from urllib.parse import parse_qs

import pytest

from tests.browser.conftest import streamlit_app
from tests.conftest import ROOT
from tests.dashboard.synthetic import make_store, write_store

sys.path.insert(0, str(ROOT))  # bench/ is not a package the project installs
from bench import analyst as bench_analyst  # noqa: E402
from bench.analyst import Analyst, StepFailed  # noqa: E402
from bench.wsclient import Tab, multiselect  # noqa: E402


@pytest.fixture(scope="module")
def app(tmp_path_factory) -> Iterator[str]:
    store = write_store(tmp_path_factory.mktemp("load") / "events.parquet", *make_store(300, seed=3))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PYTHONPATH", str(ROOT))  # the server imports this tree's packages, not the editable install's
        with streamlit_app(store, "load-client") as url:
            yield url


async def visit_steps(url: str, number: int, steps: tuple[str, ...]):
    visit = Analyst(url).visit(number)
    try:
        for step in steps:
            await visit.step(step)
    finally:
        await visit.close()
    return visit


def test_a_visit_filters_opens_an_event_and_reloads_it(app):
    visit = asyncio.run(visit_steps(app, 4, bench_analyst.STEPS))
    events = visit.events
    assert events["open page"] == 300  # the synthetic store's events, none hidden by default
    assert events["open page"] > events["move date slider"] > events["choose a type"] > 0
    assert events["reload"] == events["choose a type"]
    query = parse_qs(visit.tab.query_string)
    assert query["ev"] == [visit.opened]
    assert len(query["types"]) == 1 and "from" in query


def test_a_filter_change_the_server_ignores_fails_the_visit(app, monkeypatch):
    """A type choice sent as nothing leaves the page as it was: the step must say so, not time it."""
    monkeypatch.setattr(bench_analyst, "multiselect", lambda chosen: multiselect([]))
    with pytest.raises(StepFailed, match="choose a type"):
        asyncio.run(visit_steps(app, 5, bench_analyst.STEPS[:3]))


def test_a_rerun_gets_the_big_elements_it_holds_by_reference(app):
    """The table (a cacheable message) comes again as a hash of the one this tab holds, and is resolved."""

    async def twice():
        tab = Tab(app)
        try:
            return await tab.open(), await tab.rerun()
        finally:
            await tab.close()

    first, again = asyncio.run(twice())
    assert first.references == 0 and again.references > 0
    assert [s.kind for s in again.shown] == [s.kind for s in first.shown]
    assert again.metric("Events") == first.metric("Events") == 300
