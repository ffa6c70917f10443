"""A browser session's view: the widgets' state, seeded from the URL once and written back after every run.

The URL is read only on a session's first run (it seeds the widgets), because from then on the
widgets are the truth; it is rewritten at the end of every run, so the address bar (and the share
box) always hold the current view. Which widgets exist and how each maps to the filters is the specs'
business (`dashboard.filters.SPECS`); parsing and formatting the URL is `urlstate`'s (pure).
"""
from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from dashboard import mapview, urlstate
from dashboard.filters import DEFAULT, SPECS, Bounds, Context, DateRange, Filters, clamp

ss = st.session_state
DATES_KEY = DateRange().key
PICKED_KEY = "picked"  # the point a reviewer dropped on the map (pick mode), until it is used or dropped


def query_dict() -> dict[str, list[str]]:
    """The address bar's query, each key with all its values (repeated keys hold lists)."""
    return {k: st.query_params.get_all(k) for k in st.query_params}


def seed_from_url(ctx: Context) -> None:
    """First run of a browser session: the URL's view becomes the widgets' initial state.

    Values the store does not know (a type, a governorate) are dropped and reported in
    ss["url_problems"], never an error: URLs are shared and edited by people.
    """
    if ss.get("_seeded"):
        return
    ss["_seeded"] = True
    state, problems = urlstate.from_query(query_dict())
    set_widgets(state.filters, ctx, problems)
    ss["_bounds"] = ctx.bounds
    ss["ev"] = state.event
    ss["map_view"] = (state.centre, state.zoom)
    ss["map_origin"] = (state.centre or mapview.SYRIA_CENTRE, state.zoom or mapview.DEFAULT_ZOOM)
    ss["url_problems"] = problems


def set_widgets(filters: Filters, ctx: Context, problems: list[str]) -> None:
    """Every filter widget set to show `filters`."""
    for spec in SPECS:
        ss[spec.key] = spec.to_widget(filters, ctx, problems)


def show_everything(ctx: Context) -> None:
    """Every filter back to its default (a button callback: "show them" after an upload)."""
    set_widgets(DEFAULT, ctx, [])


def fit_dates(bounds: Bounds | None) -> None:
    """Keep the slider inside the store's dates as they move (an upload): an end that sat at the old
    first/last day follows it, so events newer (or older) than everything before come into view."""
    before, ss["_bounds"] = ss.get("_bounds"), bounds
    if not bounds:
        return
    lo, hi = ss.get(DATES_KEY) or bounds
    if before:
        lo = bounds[0] if lo == before[0] else lo
        hi = bounds[1] if hi == before[1] else hi
    ss[DATES_KEY] = (clamp(lo, bounds), clamp(hi, bounds))


def current_filters(ctx: Context) -> Filters:
    """The filters the widgets hold."""
    values: dict = {}
    for spec in SPECS:
        values |= spec.from_widget(ss.get(spec.key), ctx)
    return Filters(**values)


def view_state(filters: Filters) -> urlstate.ViewState:
    """Everything the URL records: the filters plus the open event and the map's centre and zoom."""
    centre, zoom = ss.get("map_view", (None, None))
    return urlstate.ViewState(filters=filters, event=ss.get("ev"), centre=centre, zoom=zoom)


def write_url(filters: Filters) -> None:
    """Put the view in the address bar (only when it changed, so no needless history entries)."""
    want = {k: v if isinstance(v, list) else [v] for k, v in urlstate.to_query(view_state(filters)).items()}
    if want != query_dict():
        st.query_params.from_dict(want)


def share_url(filters: Filters) -> str:
    """The full URL of this view, for the share box (the page's own address, wherever it is served)."""
    base = st.context.url or "http://localhost:8501/"
    query = urlencode(urlstate.to_query(view_state(filters)), doseq=True)
    return f"{base}?{query}" if query else base


def select(event_id: str | None) -> None:
    """Open an event in the detail panel (None closes it); a button callback."""
    ss["ev"] = event_id


def take_map_output() -> None:
    """The map's change callback: a new click (a fresh `n`, so the same marker clicked again after Close
    opens again) selects its event, or in pick mode is the point a reviewer dropped; a pan or zoom is
    kept for the URL."""
    out = ss.get("map") or {}
    if out.get("n") is not None and out.get("n") != ss.get("_map_n"):
        ss["_map_n"] = out.get("n")
        if out.get("open"):
            select(str(out["open"]))
        elif out.get("pick"):
            ss[PICKED_KEY] = (round(float(out["pick"][0]), 5), round(float(out["pick"][1]), 5))
    centre, zoom = out.get("centre"), out.get("zoom")
    if centre and zoom:
        c = (round(centre[0], urlstate.LATLON_DECIMALS), round(centre[1], urlstate.LATLON_DECIMALS))
        before = ss["map_view"] if ss["map_view"][0] is not None else (mapview.SYRIA_CENTRE, mapview.DEFAULT_ZOOM)
        if mapview.moved(c, int(zoom), before):
            ss["map_view"] = (c, int(zoom))
