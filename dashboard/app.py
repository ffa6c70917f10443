"""Streamlit entry point: `streamlit run dashboard/app.py -- --data STORE` (see README).

Layout and wiring only: filtering (data), the map (mapview), the detail HTML (detail), the
session's view and its URL (session, urlstate) and adding articles (ingest) live in their own modules.
"""
from __future__ import annotations

import os
import shutil
import sys
from dataclasses import replace
from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from dashboard import data, detail, ingest, mapview, session, source
from dashboard.data import DATE, Filters
from dashboard.escape import esc, markdown_text
from dashboard.theme import ARABIC_FONT, TITLE, TYPE_COLOURS, type_colour
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
    """Changes whenever the store or its articles sidecar is rewritten (an upload): the caches' key."""
    sidecar = sidecar_path(path)
    return path.stat().st_mtime + (sidecar.stat().st_mtime if sidecar.exists() else 0.0)


def ensure_store(path: Path) -> None:
    """Build the bundled seeds' store on first start (with a progress bar); other stores must exist."""
    if path.exists():
        return
    if not source.is_default(path):
        st.error(f"No events store at {path}. Build one with `python -m events build ARTICLES... --out {path}`.")
        st.stop()
    add_with_progress(ingest.seed_inputs(source.SEEDS_DIR), path, "Building the events store from the bundled seed articles…")


def add_with_progress(files: list[Path], store: Path, intro: str) -> ingest.Outcome:
    """`ingest.add_files` under a progress bar that advances with every article built."""
    bar = st.progress(0.0, text=intro)
    outcome = ingest.add_files(files, store, lambda done, total, name: bar.progress(
        done / total, text=f"Processed {name} ({done} of about {total} articles)"))
    bar.empty()
    return outcome


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
    """Colour chips with counts: the design's types always (a zero says "none in view"), then any other
    type the store holds (its name is data, so escaped)."""
    types = list(TYPE_COLOURS) + sorted(str(t) for t in counts.index if t not in TYPE_COLOURS)
    chips = "".join(
        f'<span style="display:inline-block;margin:2px 6px 2px 0;white-space:nowrap">'
        f'<span style="display:inline-block;width:10px;height:10px;border-radius:50%;background:{type_colour(t)}">'
        f"</span> {esc(t)} ({int(counts.get(t, 0))})</span>"
        for t in types)
    return f'<div style="font-size:0.8rem">{chips}</div>'


def headline(view: pd.DataFrame) -> None:
    h = data.headline(view)
    cols = st.columns(4)
    cols[0].metric("Events", f"{h.events:,}")
    cols[1].metric("Defectors reported", f"{h.defectors:,}", help="Sum of counts of defection and desertion events")
    cols[2].metric("Articles", f"{h.articles:,}")
    cols[3].metric("Places", f"{h.places:,}")


def timeline(undated_view: pd.DataFrame, bounds: session.Bounds | None) -> None:
    """Stacked bars per week/month by type (all filters but the dates), the date slider under it."""
    if bounds is None:
        st.caption("No event in this store has a date: the timeline is empty.")
        return
    freq = data.timeline_freq(bounds)
    counts = data.timeline(undated_view, freq)
    lo, hi = ss["f_dates"]
    bars = alt.Chart(counts).mark_bar().encode(
        x=alt.X("period:T", title=None, scale=alt.Scale(domain=[bounds[0].isoformat(), bounds[1].isoformat()])),
        y=alt.Y("events:Q", stack=True, title=f"per {'week' if freq == 'W' else 'month'}"),
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
    selected = data.event_by_id(events, ss.get("ev"))
    in_view = selected is not None and bool((view["event_id"] == selected["event_id"]).any())
    left, right = st.columns([3, 2], gap="medium")
    with left:
        st_folium(
            mapview.base_map(governorates_geojson(), *ss["map_origin"]), key="map", height=MAP_HEIGHT,
            use_container_width=True, on_change=session.take_map_output,
            feature_group_to_add=mapview.markers_layer(features_js, n_features, selected if in_view else None),
            returned_objects=["last_object_clicked", "last_active_drawing", "center", "zoom"])
        aggregated = len(view[view[data.LOCATED]]) > mapview.AGGREGATE_ABOVE
        st.caption(f"{n_features:,} {'places' if aggregated else 'markers'} on the map"
                   + (" (one bubble per place: many events in view)" if aggregated else "")
                   + ("" if governorates_geojson() else " · governorate outlines unavailable"))
    with right:
        detail_panel(selected, in_view, events, articles, view)
    st.markdown("**Shareable URL of this view** (copy button on the right)")
    st.code(session.share_url(filters), language=None, wrap_lines=True)
    session.write_url(filters)


def detail_panel(event: pd.Series | None, in_view: bool, events: pd.DataFrame, articles: pd.DataFrame,
                 view: pd.DataFrame) -> None:
    """The open event (from a marker, a list or the URL): its HTML, the events around it, a close button."""
    if event is None:
        if ss.get("ev"):
            st.warning(f"Event {markdown_text(repr(ss['ev']))} is not in this store.")
        else:
            st.info("Click a marker to read what was reported there.")
        return
    if not in_view:
        st.caption("This event is outside the current filters.")
    article = articles.loc[event["article_id"]].to_dict() if event["article_id"] in articles.index else None
    st.html(detail.event_html(event.to_dict(), article))
    event_list("Events at this place", data.same_place(view if in_view else events, event), event["event_id"],
               min_rows=2)
    event_list("Other events in this article", data.same_article(events, event), event["event_id"])
    st.button("Close", key="close-detail", on_click=session.select, args=(None,))


def event_list(title: str, rows: pd.DataFrame, current: str, min_rows: int = 1) -> None:
    """Buttons that open each listed event; nothing when fewer than `min_rows` (the open one alone)."""
    if len(rows) < min_rows:
        return
    st.markdown(f"**{title}** ({len(rows)})")
    for row in rows.head(LIST_LIMIT).to_dict("records"):
        st.button(detail.event_label(row), key=f"{title}-{row['event_id']}", on_click=session.select,
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
        files = st.file_uploader("Articles: .txt, or .csv / .jsonl with a text column",
                                 type=[suffix.lstrip(".") for suffix in ingest.UPLOAD_SUFFIXES],
                                 accept_multiple_files=True, key=f"upload-{round_}")
        if files and st.button("Process uploaded files", key="process-uploads"):
            folder = ingest.upload_folder()
            try:
                saved, rejects = ingest.save_uploads(((f.name, f.getvalue()) for f in files), folder)
                outcome = add_with_progress(saved, path, "Processing…")
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
    session.seed_from_url(choices, bounds)
    session.fit_dates(bounds)
    for problem in ss.get("url_problems", []):
        st.warning(f"URL: {markdown_text(problem)}")
    filters = session.current_filters(bounds)
    view = data.apply_filters(events, filters)

    def view_with(**changes: object) -> pd.DataFrame:
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
