"""A browser session's view: the widgets' state, seeded from the URL once and written back after every run.

The URL is read only on a session's first run (it seeds the widgets), because from then on the
widgets are the truth; it is rewritten at the end of every run, so the address bar (and the share
box) always hold the current view. Parsing and formatting the URL is `urlstate`'s job (pure).
"""
from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

import streamlit as st

from dashboard import mapview, urlstate
from dashboard.data import Filters

Bounds = tuple[date, date]
ss = st.session_state


def query_dict() -> dict[str, list[str]]:
    """The address bar's query, each key with all its values (repeated keys hold lists)."""
    return {k: st.query_params.get_all(k) for k in st.query_params}


def seed_from_url(choices: dict[str, list[str]], bounds: Bounds | None) -> None:
    """First run of a browser session: the URL's view becomes the widgets' initial state.

    Values the store does not know (a type, a governorate) are dropped and reported in
    ss["url_problems"], never an error: URLs are shared and edited by people.
    """
    if ss.get("_seeded"):
        return
    ss["_seeded"] = True
    state, problems = urlstate.from_query(query_dict())
    f = state.filters
    for key, wanted, column in (("f_types", f.types, "event_type"), ("f_gov", f.governorates, "admin1"),
                                ("f_src", f.sources, "source")):
        known = set(choices[column])
        ss[key] = [v for v in wanted if v in known]
        problems += [f"ignored unknown {column} {v!r}" for v in wanted if v not in known]
    ss["f_q"], ss["f_min"] = f.search, f.min_count
    ss["f_undated"], ss["f_unlocated"] = f.include_undated, f.include_unlocated
    if bounds:
        ss["f_dates"] = (f.start or bounds[0], f.end or bounds[1])
    ss["ev"] = state.event
    ss["map_view"] = (state.centre, state.zoom)
    ss["map_origin"] = (state.centre or mapview.SYRIA_CENTRE, state.zoom or mapview.DEFAULT_ZOOM)
    ss["url_problems"] = problems


def fit_dates(bounds: Bounds | None) -> None:
    """Keep the slider's range inside the store's dates (a URL or an upload can move either)."""
    if bounds:
        lo, hi = ss.get("f_dates", bounds)
        ss["f_dates"] = (_clamp(lo, bounds), _clamp(hi, bounds))


def _clamp(d: date, bounds: Bounds) -> date:
    return min(max(d, bounds[0]), bounds[1])


def current_filters(bounds: Bounds | None) -> Filters:
    """The filters the widgets hold; a slider end at the store's first/last date means "open"."""
    start = end = None
    if bounds and "f_dates" in ss:
        lo, hi = ss["f_dates"]
        start, end = (lo if lo > bounds[0] else None), (hi if hi < bounds[1] else None)
    return Filters(start=start, end=end, types=tuple(ss.get("f_types", ())), governorates=tuple(ss.get("f_gov", ())),
                   sources=tuple(ss.get("f_src", ())), search=ss.get("f_q", ""), min_count=int(ss.get("f_min", 0)),
                   include_undated=ss.get("f_undated", True), include_unlocated=ss.get("f_unlocated", True))


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
    """st_folium's change callback: a new marker click selects its event; a pan/zoom is kept for the URL.

    As a callback it runs before the fragment, so the map drawn in that run already rings the
    newly selected marker.
    """
    out = ss.get("map") or {}
    click = out.get("last_object_clicked")
    if click and click != ss.get("_last_click"):
        ss["_last_click"] = click
        props = (out.get("last_active_drawing") or {}).get("properties") or {}
        if props.get("id"):
            select(str(props["id"]))
    centre, zoom = out.get("center"), out.get("zoom")
    if centre and zoom:
        c = (round(centre["lat"], urlstate.LATLON_DECIMALS), round(centre["lng"], urlstate.LATLON_DECIMALS))
        before = ss["map_view"] if ss["map_view"][0] is not None else (mapview.SYRIA_CENTRE, mapview.DEFAULT_ZOOM)
        if mapview.moved(c, int(zoom), before):
            ss["map_view"] = (c, int(zoom))
