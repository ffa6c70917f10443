"""Streamlit entry point: `streamlit run dashboard/app.py -- --data STORE` (see README).

Layout and wiring only: filtering, map building, URL state and the detail HTML live in their own
modules. The URL is read once per browser session (it seeds the widgets) and written after every
run, so the address bar always holds the current view.
"""
from __future__ import annotations

import os
import shutil
import sys
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlencode

import altair as alt
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from dashboard import data, detail, ingest, mapview, source, urlstate
from dashboard.data import DATE, Filters
from dashboard.theme import ARABIC_FONT, TITLE, TYPE_COLOURS
from events.store import sidecar_path

MAP_HEIGHT = 620
TABLE_ROWS = 1000  # rows shown in the page; the downloads always hold the whole view
LIST_LIMIT = 50  # events listed per "same place" / "same article" list
ss = st.session_state


# ---------------------------------------------------------------- cached data (shared by sessions)

@st.cache_resource(show_spinner="Loading events…", max_entries=4)
def load_store(path: str, version: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The prepared store; `version` (file mtimes) makes a rebuilt store reload. Treat as read-only."""
    events, articles = data.load_store(Path(path))
    return events, articles.drop_duplicates("article_id").set_index("article_id", drop=False)


@st.cache_resource(show_spinner=False)
def governorates_geojson() -> dict | None:
    """Governorate outlines from the gazetteer, or None (the map still works) when they are missing."""
    try:
        from gazetteer.admin import governorates
        return governorates().__geo_interface__
    except (FileNotFoundError, ImportError):
        return None


@st.cache_resource(show_spinner=False, max_entries=4)
def options(path: str, version: float) -> dict[str, list[str]]:
    """The choices of the event type, governorate and source filters."""
    events, _ = load_store(path, version)
    return {column: data.choices(events, column) for column in ("event_type", "admin1", "source")}


@st.cache_resource(show_spinner=False, max_entries=64)
def markers(path: str, version: float, filters: Filters, _view: pd.DataFrame) -> tuple[str, int]:
    """The markers of a view as serialised GeoJSON, and how many: built once per filter setting
    (`_view`, the events those filters keep, is not part of the cache key)."""
    features = mapview.marker_features(_view)
    return mapview.features_json(features), len(features)


def store_version(path: Path) -> float:
    sidecar = sidecar_path(path)
    return path.stat().st_mtime + (sidecar.stat().st_mtime if sidecar.exists() else 0.0)


def ensure_store(path: Path) -> None:
    """Build the bundled seeds' store on first start (with a progress bar); other stores must exist."""
    if path.exists():
        return
    if not source.is_default(path):
        st.error(f"No events store at {path}. Build one with `python -m events build ARTICLES... --out {path}`.")
        st.stop()
    bar = st.progress(0.0, text="Building the events store from the bundled seed articles…")
    ingest.add_files(ingest.seed_inputs(source.SEEDS_DIR), path,
                     lambda done, total, name: bar.progress(done / total, text=f"Processed {name} ({done}/{total})"))
    bar.empty()


# ---------------------------------------------------------------- URL <-> widgets

def query_dict() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in st.query_params}


def seed_from_url(choices: dict[str, list[str]], bounds) -> None:
    """First run of a browser session: the URL's view becomes the widgets' initial state."""
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
        ss["f_dates"] = (_clamp(f.start or bounds[0], bounds), _clamp(f.end or bounds[1], bounds))
    ss["ev"] = state.event
    ss["map_view"] = (state.centre, state.zoom)
    ss["map_origin"] = (state.centre or mapview.SYRIA_CENTRE, state.zoom or mapview.DEFAULT_ZOOM)
    ss["url_problems"] = problems


def _clamp(d, bounds):
    return min(max(d, bounds[0]), bounds[1])


def current_filters(bounds) -> Filters:
    start = end = None
    if bounds and "f_dates" in ss:
        lo, hi = ss["f_dates"]
        start, end = (lo if lo > bounds[0] else None), (hi if hi < bounds[1] else None)
    return Filters(start=start, end=end, types=tuple(ss.get("f_types", ())), governorates=tuple(ss.get("f_gov", ())),
                   sources=tuple(ss.get("f_src", ())), search=ss.get("f_q", ""), min_count=int(ss.get("f_min", 0)),
                   include_undated=ss.get("f_undated", True), include_unlocated=ss.get("f_unlocated", True))


def view_state(filters: Filters) -> urlstate.ViewState:
    centre, zoom = ss.get("map_view", (None, None))
    return urlstate.ViewState(filters=filters, event=ss.get("ev"), centre=centre, zoom=zoom)


def write_url(filters: Filters) -> None:
    """Put the view in the address bar (only when it changed, so no needless history entries)."""
    want = {k: v if isinstance(v, list) else [v] for k, v in urlstate.to_query(view_state(filters)).items()}
    if want != query_dict():
        st.query_params.from_dict(want)


def share_url(filters: Filters) -> str:
    base = st.context.url or "http://localhost:8501/"
    query = urlencode(urlstate.to_query(view_state(filters)), doseq=True)
    return f"{base}?{query}" if query else base


# ---------------------------------------------------------------- page parts

def sidebar(choices: dict[str, list[str]], filters_without_toggles: pd.DataFrame) -> None:
    st.sidebar.header("Filters")
    st.sidebar.multiselect("Event types", choices["event_type"], key="f_types",
                           placeholder="All types")
    in_view = filters_without_toggles["event_type"].fillna("other").value_counts()
    st.sidebar.html(_legend(in_view))
    st.sidebar.multiselect("Governorates", choices["admin1"], key="f_gov",
                           placeholder="All governorates")
    st.sidebar.multiselect("Sources", choices["source"], key="f_src", placeholder="All sources")
    st.sidebar.text_input("Search evidence and place names", key="f_q", placeholder="e.g. حماة or Hama")
    st.sidebar.number_input("Minimum count", min_value=0, step=1, key="f_min",
                            help="Keeps events whose reported count is at least this (0: all, even without a count)")
    undated = int(filters_without_toggles[DATE].isna().sum())
    unlocated = int((~filters_without_toggles[data.LOCATED]).sum())
    st.sidebar.toggle(f"Include undated events ({undated})", key="f_undated")
    st.sidebar.toggle(f"Include unlocated events ({unlocated}, table only)", key="f_unlocated")


def _legend(counts: pd.Series) -> str:
    chips = "".join(
        f'<span style="display:inline-block;margin:2px 6px 2px 0;white-space:nowrap">'
        f'<span style="display:inline-block;width:10px;height:10px;border-radius:50%;background:{colour}"></span> '
        f"{t} ({int(counts.get(t, 0))})</span>"
        for t, colour in TYPE_COLOURS.items())
    return f'<div style="font-size:0.8rem">{chips}</div>'


def headline(view: pd.DataFrame) -> None:
    h = data.headline(view)
    cols = st.columns(4)
    cols[0].metric("Events", f"{h.events:,}")
    cols[1].metric("Defectors reported", f"{h.defectors:,}", help="Sum of counts of defection and desertion events")
    cols[2].metric("Articles", f"{h.articles:,}")
    cols[3].metric("Places", f"{h.places:,}")


def timeline(undated_view: pd.DataFrame, bounds) -> None:
    """Stacked bars per week/month by type (all filters but the dates), the date slider under it."""
    if bounds is None:
        st.caption("No event in this store has a date: the timeline is empty.")
        return
    freq = data.timeline_freq(bounds)
    counts = data.timeline(undated_view, freq)
    lo, hi = ss["f_dates"]
    bars = alt.Chart(counts).mark_bar().encode(
        x=alt.X("period:T", title=None, scale=alt.Scale(domain=[bounds[0].isoformat(), bounds[1].isoformat()])),
        y=alt.Y("events:Q", stack=True, title=f"events per {'week' if freq == 'W' else 'month'}"),
        color=alt.Color("event_type:N", scale=alt.Scale(domain=list(TYPE_COLOURS), range=list(TYPE_COLOURS.values())),
                        legend=None),
        tooltip=["period:T", "event_type:N", "events:Q"],
    )
    window = alt.Chart(pd.DataFrame({"a": [lo.isoformat()], "b": [hi.isoformat()]})).mark_rect(
        opacity=0.12, color="#1f77b4").encode(x="a:T", x2="b:T")
    st.altair_chart((window + bars).properties(height=140), width="stretch")
    if bounds[0] < bounds[1]:
        st.slider("Dates", min_value=bounds[0], max_value=bounds[1], key="f_dates", format="YYYY-MM-DD",
                  label_visibility="collapsed")


@st.fragment
def map_and_detail(path: str, version: float, filters: Filters, view: pd.DataFrame) -> None:
    """The map, the detail panel and the share box: a map click or pan reruns only this part."""
    events, articles = load_store(path, version)
    features_js, n_features = markers(path, version, filters, view)
    left, right = st.columns([3, 2], gap="medium")
    with left:
        out = st_folium(
            mapview.base_map(governorates_geojson(), *ss["map_origin"]), key="map", height=MAP_HEIGHT,
            use_container_width=True, feature_group_to_add=mapview.markers_layer(features_js, n_features),
            returned_objects=["last_object_clicked", "last_active_drawing", "center", "zoom"])
        take_map_output(out or {})
        aggregated = len(view[view[data.LOCATED]]) > mapview.AGGREGATE_ABOVE
        st.caption(f"{n_features:,} {'places' if aggregated else 'markers'} on the map"
                   + (" (one bubble per place: many events in view)" if aggregated else "")
                   + ("" if governorates_geojson() else " · governorate outlines unavailable"))
    with right:
        detail_panel(events, articles, view)
    st.markdown("**Shareable URL of this view** (copy button on the right)")
    st.code(share_url(filters), language=None, wrap_lines=True)
    write_url(filters)


def take_map_output(out: dict) -> None:
    """A new marker click selects its event; a pan/zoom is remembered for the URL."""
    click = out.get("last_object_clicked")
    if click and click != ss.get("_last_click"):
        ss["_last_click"] = click
        props = (out.get("last_active_drawing") or {}).get("properties") or {}
        if props.get("id"):
            ss["ev"] = str(props["id"])
    centre, zoom = out.get("center"), out.get("zoom")
    if centre and zoom:
        c = (round(centre["lat"], urlstate.LATLON_DECIMALS), round(centre["lng"], urlstate.LATLON_DECIMALS))
        before = ss["map_view"] if ss["map_view"][0] is not None else (mapview.SYRIA_CENTRE, mapview.DEFAULT_ZOOM)
        if mapview.moved(c, int(zoom), before):
            ss["map_view"] = (c, int(zoom))


def select(event_id: str | None) -> None:
    ss["ev"] = event_id


def detail_panel(events: pd.DataFrame, articles: pd.DataFrame, view: pd.DataFrame) -> None:
    ev = ss.get("ev")
    if not ev:
        st.info("Click a marker to read what was reported there.")
        return
    match = events[events["event_id"] == ev]
    if match.empty:
        st.warning(f"Event {detail.markdown_text(repr(ev))} is not in this store.")
        return
    event = match.iloc[0]
    in_view = bool((view["event_id"] == ev).any())
    if not in_view:
        st.caption("This event is outside the current filters.")
    article = articles.loc[event["article_id"]].to_dict() if event["article_id"] in articles.index else None
    st.html(detail.event_html(event.to_dict(), article))
    event_list("Events at this place", data.same_place(view if in_view else events, event), ev)
    event_list("Other events in this article", data.same_article(events, event), ev)
    st.button("Close", key="close-detail", on_click=select, args=(None,))


def event_list(title: str, rows: pd.DataFrame, current: str) -> None:
    if len(rows) <= (1 if title.startswith("Events at") else 0):
        return
    st.markdown(f"**{title}** ({len(rows)})")
    for row in rows.head(LIST_LIMIT).to_dict("records"):
        st.button(detail.event_label(row), key=f"{title}-{row['event_id']}", on_click=select,
                  args=(row["event_id"],), disabled=row["event_id"] == current, type="tertiary")
    if len(rows) > LIST_LIMIT:
        st.caption(f"… and {len(rows) - LIST_LIMIT} more (see the table below)")


def table(view: pd.DataFrame) -> None:
    st.subheader("Events in view")
    shown = data.export_frame(view).head(TABLE_ROWS)
    st.dataframe(shown, hide_index=True, width="stretch", height=320)
    if len(view) > TABLE_ROWS:
        st.caption(f"Showing {TABLE_ROWS:,} of {len(view):,} rows; the downloads hold them all.")
    c1, c2 = st.columns(2)
    c1.download_button("Download CSV", data=lambda: data.to_csv(view), file_name="events.csv", mime="text/csv")
    c2.download_button("Download GeoJSON", data=lambda: data.to_geojson(view), file_name="events.geojson",
                       mime="application/geo+json")


def add_articles(path: Path) -> None:
    """Uploader: new articles go through the events build into this store; rejects listed with reasons."""
    with st.sidebar.expander("Add articles", expanded=bool(ss.get("upload_outcome"))):
        round_ = ss.setdefault("upload_round", 0)
        files = st.file_uploader("Articles: .txt, or .csv / .jsonl with a text column", type=["txt", "csv", "jsonl"],
                                 accept_multiple_files=True, key=f"upload-{round_}")
        if files and st.button("Process uploaded files", key="process-uploads"):
            folder = ingest.upload_folder()
            try:
                saved, rejects = ingest.save_uploads(((f.name, f.getvalue()) for f in files), folder)
                bar = st.progress(0.0, text="Processing…")
                outcome = ingest.add_files(saved, path, lambda done, total, name: bar.progress(
                    done / total, text=f"Processed {name} ({done}/{total})"))
            finally:
                shutil.rmtree(folder, ignore_errors=True)
            outcome.rejects = rejects + outcome.rejects
            ss["upload_outcome"] = outcome
            ss["upload_round"] = round_ + 1
            st.rerun()
        outcome = ss.get("upload_outcome")
        if outcome:
            st.success(f"{outcome.events_new} new events from {outcome.articles_new} new articles"
                       f" ({outcome.already_stored} already stored).")
            if outcome.rejects:
                st.warning(f"{len(outcome.rejects)} inputs rejected:")
                st.dataframe(pd.DataFrame(outcome.rejects), hide_index=True)


# ---------------------------------------------------------------- page

def main() -> None:
    st.set_page_config(page_title=TITLE, layout="wide")
    st.html(f"<style>.ar, [dir=rtl] {{ font-family: {ARABIC_FONT}; }}</style>")
    st.title(TITLE)
    path = source.store_path(sys.argv[1:], os.environ)
    ensure_store(path)
    mapview.install_assets()
    version = store_version(path)
    events, _ = load_store(str(path), version)
    bounds = data.date_bounds(events)
    choices = options(str(path), version)
    seed_from_url(choices, bounds)
    if bounds and "f_dates" not in ss:
        ss["f_dates"] = bounds
    elif bounds:
        ss["f_dates"] = tuple(_clamp(d, bounds) for d in ss["f_dates"])
    for problem in ss.get("url_problems", []):
        st.warning(f"URL: {detail.markdown_text(problem)}")
    filters = current_filters(bounds)
    view = data.apply_filters(events, filters)

    def view_with(**changes) -> pd.DataFrame:
        """The view under changed filters, without filtering again when nothing changes."""
        changed = replace(filters, **changes)
        return view if changed == filters else data.apply_filters(events, changed)

    sidebar(choices, view_with(include_undated=True, include_unlocated=True))
    headline(view)
    timeline(view_with(start=None, end=None), bounds)
    map_and_detail(str(path), version, filters, view)
    table(view)
    add_articles(path)


main()
