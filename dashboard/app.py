"""Streamlit entry point: `streamlit run dashboard/app.py -- --data STORE` (see README).

Layout and wiring only: the filters (filters), the table's rules (data), the map and its layer
(mapview), the detail HTML (detail), the session's view and its URL (session, urlstate) and adding
articles (ingest) live in their own modules. The map is the page: a compact header and timeline,
the map with its feed and the detail panel beside it, the table and downloads below.
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

from dashboard import data, detail, filters, ingest, mapview, session, source
from dashboard.escape import esc, markdown_text
from dashboard.filters import SPECS, Context, Filters
from dashboard.theme import ARABIC_FONT, TITLE, TYPE_COLOURS, type_colour
from events.store import sidecar_path

PANEL_HEIGHT = 640  # the detail panel scrolls inside this
TABLE_ROWS = 1000  # rows shown in the page; the downloads always hold the whole view
TABLE_ROW_PX, TABLE_MAX_PX = 35, 420
LIST_LIMIT = 50  # events listed per "same place" / "same article" list
PAGE_CSS = f"""<style>
.ar, [dir=rtl] {{ font-family: {ARABIC_FONT}; }}
[data-testid="stMainBlockContainer"] {{ padding-top: 3.4rem; padding-bottom: 2rem; }}
[data-testid="stMetric"] {{ padding: 0; }}
[data-testid="stMetricValue"] {{ font-size: 1.35rem; }}
h1 {{ font-size: 1.5rem !important; padding: 0.2rem 0 !important; }}
</style>"""
HEADLINE_LABELS = {"killed": "Killed", "defectors": "Defectors", "arrested": "Arrested"}
ss = st.session_state


# ---------------------------------------------------------------- cached data (shared by sessions)

@st.cache_resource(show_spinner="Loading events…", max_entries=4)
def load_store(path: str, version: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The prepared store; `version` (file mtimes) makes a rebuilt store reload. Treat as read-only."""
    events, articles = data.load_store(Path(path))
    return events, articles.drop_duplicates("article_id").set_index("article_id", drop=False)


@st.cache_resource(show_spinner=False)
def basemap_url() -> str | None:
    """The offline basemap (borders and place labels from the gazetteer), published once per server."""
    base = mapview.load_basemap()
    return None if base is None else mapview.publish(base, "basemap")


@st.cache_resource(show_spinner=False, max_entries=4)
def options(path: str, version: float) -> dict[str, list[str]]:
    """The choices of the filters that offer them."""
    events, _ = load_store(path, version)
    return {s.column: data.choices(events, s.column) for s in SPECS if isinstance(s, filters.Choice)}


@st.cache_resource(show_spinner=False, max_entries=64)
def layer_url(path: str, version: float, f: Filters, _view: pd.DataFrame) -> tuple[str, int]:
    """The published map layer of a filter setting, and how many points it holds (`_view`, the events
    those filters keep, is not part of the cache key)."""
    layer = mapview.layer(_view)
    return mapview.publish(layer, "layers"), len(layer["points"])


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

def sidebar(ctx: Context, unfiltered_types: pd.Series) -> None:
    """Every filter widget but the dates (under the timeline), from the specs, with the legend."""
    st.sidebar.header("Filters")
    for spec in SPECS:
        if spec.in_sidebar:
            spec.draw(st.sidebar, ctx)
        if spec.key == "f_types":
            st.sidebar.html(_legend(unfiltered_types.fillna("other").value_counts()))


def _legend(counts: pd.Series) -> str:
    """Colour chips with counts: the registry's types always (a zero says "none in view"), then any other
    type the store holds (its name is data, so escaped)."""
    types = list(TYPE_COLOURS) + sorted(str(t) for t in counts.index if t not in TYPE_COLOURS)
    chips = "".join(
        f'<span style="display:inline-block;margin:2px 6px 2px 0;white-space:nowrap">'
        f'<span style="display:inline-block;width:10px;height:10px;border-radius:50%;background:{type_colour(t)}">'
        f"</span> {esc(t)} ({int(counts.get(t, 0))})</span>"
        for t in types)
    return f'<div style="font-size:0.8rem">{chips}</div>'


def header(view: pd.DataFrame, hidden_background: int) -> None:
    """Title and the view's figures on one row; a line saying what the totals count and leave out."""
    h = data.headline(view)
    cols = st.columns([3.2] + [1] * (3 + len(h.totals)))
    cols[0].title(TITLE)
    figures = [("Events", h.events)] + [(HEADLINE_LABELS[k], v) for k, v in h.totals.items()]
    figures += [("Articles", h.articles), ("Places", h.places)]
    for col, (label, value) in zip(cols[1:], figures):
        col.metric(label, f"{value:,}")
    left_out = h.background + hidden_background
    st.caption("Filters and *Add articles*: the sidebar (» at the top left). "
               "Killed, defectors, arrested: the counts the reports state, each report once. "
               + (f"{left_out:,} background reports (history, cumulative totals) are not added"
                  + (" and are hidden (sidebar toggle)." if hidden_background else ".")
                  if left_out else "Background reports (history, cumulative totals) are never added."))


def timeline(undated_view: pd.DataFrame, ctx: Context) -> None:
    """Stacked bars per week/month by type (all filters but the dates), the date slider under it."""
    bounds = ctx.bounds
    if bounds is None:
        st.caption("No event in this store has a date: the timeline is empty.")
        return
    freq = data.timeline_freq(bounds)
    counts = data.timeline(undated_view, freq)
    lo, hi = ss[session.DATES_KEY]
    bars = alt.Chart(counts).mark_bar().encode(
        x=alt.X("period:T", title=None, scale=alt.Scale(domain=[bounds[0].isoformat(), bounds[1].isoformat()]),
                axis=alt.Axis(format=data.axis_format(bounds)[0], tickCount=data.axis_format(bounds)[1],
                              labelOverlap=True)),
        y=alt.Y("events:Q", stack=True, title=None, axis=alt.Axis(tickCount=2)),
        color=alt.Color("event_type:N", scale=alt.Scale(domain=list(TYPE_COLOURS), range=list(TYPE_COLOURS.values())),
                        legend=None),
        tooltip=[alt.Tooltip("period:T", format="%Y-%m-%d"), "event_type:N", "events:Q"],
    )
    window = alt.Chart(pd.DataFrame({"a": [lo.isoformat()], "b": [hi.isoformat()]})).mark_rect(
        opacity=0.12, color="#1f77b4").encode(x="a:T", x2="b:T")
    st.altair_chart((window + bars).properties(height=70), width="stretch")
    next(s for s in SPECS if s.key == session.DATES_KEY).draw(st, ctx)


@st.fragment
def map_and_detail(path: str, version: float, f: Filters, view: pd.DataFrame) -> None:
    """The map and the detail panel beside it: a map click or pan reruns only this part."""
    events, articles = load_store(path, version)
    url, n_points = layer_url(path, version, f, view)
    selected = data.event_by_id(events, ss.get("ev"))
    in_view = selected is not None and bool((view["event_id"] == selected["event_id"]).any())
    tiles = mapview.tile_setting(os.environ)
    left, right = st.columns([2.7, 1], gap="small")
    with left:
        mapview.event_map(layer_url=url, basemap_url=basemap_url(), tiles=tiles, origin=ss["map_origin"],
                          selected=selected if in_view else None, key="map", on_change=session.take_map_output)
        located = int(view[data.LOCATED].sum())
        st.caption(f"{located:,} events on the map"
                   + (f" as {n_points:,} places (one bubble per place: many events in view)"
                      if n_points < located else "")
                   + (" · tiles from the public OpenStreetMap servers, which see the area you view"
                      if tiles and tiles.public else ""))
    with right, st.container(height=PANEL_HEIGHT, border=False):
        detail_panel(selected, in_view, events, articles, view)
    session.write_url(f)


def detail_panel(event: pd.Series | None, in_view: bool, events: pd.DataFrame, articles: pd.DataFrame,
                 view: pd.DataFrame) -> None:
    """The open event (from a marker, the feed, a list, the table or the URL): its HTML, the events
    around it, a close button."""
    if event is None:
        if ss.get("ev"):
            st.warning(f"Event {markdown_text(repr(ss['ev']))} is not in this store.")
        else:
            st.info("Click a marker, an entry of the feed or a row of the table to read what was reported.")
        return
    st.button("Close", key="close-detail", on_click=session.select, args=(None,))
    if not in_view:
        st.caption("This event is outside the current filters.")
    article = articles.loc[event["article_id"]].to_dict() if event["article_id"] in articles.index else None
    st.html(detail.event_html(event.to_dict(), article))
    event_list("Events at this place", data.same_place(view if in_view else events, event), event["event_id"],
               min_rows=2)
    event_list("Other events in this article", data.same_article(events, event), event["event_id"])


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


def open_table_row() -> None:
    """The table's selection callback: the selected row's event opens in the detail panel."""
    rows = ss["table"]["selection"]["rows"]
    if rows:
        session.select(ss["_table_ids"][rows[0]])


def table(view: pd.DataFrame, f: Filters) -> None:
    st.subheader("Events in view")
    shown = data.table_frame(view.head(TABLE_ROWS))
    ss["_table_ids"] = shown["event_id"].tolist()
    st.dataframe(
        shown, hide_index=True, width="stretch", key="table", on_select=open_table_row,
        selection_mode="single-row", height=min(TABLE_MAX_PX, TABLE_ROW_PX * (len(shown) + 1) + 3),
        column_config={
            "event_date": st.column_config.TextColumn("Date", width="small"),
            "event_type": st.column_config.TextColumn("Type", width="small"),
            "place": st.column_config.TextColumn("Place", width="small"),
            "count": st.column_config.NumberColumn("Count", format="%d", width="small"),
            "count_of": st.column_config.TextColumn("Counts", width="small"),
            "source": st.column_config.TextColumn("Source", width="small"),
            "title": st.column_config.TextColumn("Title", width="large"),
            "evidence": st.column_config.TextColumn("Evidence", width="large"),
            "time_precision": st.column_config.TextColumn("Date precision"),
            "geo_precision": st.column_config.TextColumn("Place precision"),
            "background": st.column_config.CheckboxColumn("Background"),
        })
    if len(view) > TABLE_ROWS:
        st.caption(f"Showing {TABLE_ROWS:,} of {len(view):,} rows; the downloads hold them all.")
    st.caption("Select a row to open its event above. Downloads: CSV (UTF-8 with BOM, opens in Excel) "
               "and GeoJSON (opens in QGIS), with the precision codes also in words.")
    c1, c2, _ = st.columns([1, 1, 4])
    c1.download_button("Download CSV", data=lambda: data.to_csv(view), file_name="events.csv", mime="text/csv",
                       on_click="ignore", key="dl-csv")
    c2.download_button("Download GeoJSON", data=lambda: data.to_geojson(view), file_name="events.geojson",
                       mime="application/geo+json", on_click="ignore", key="dl-geojson")
    st.markdown("**Shareable URL of this view** (copy button on the right)")
    st.code(session.share_url(f), language=None, wrap_lines=True)


def process_uploads(path: Path) -> None:
    """The uploader's change callback: a dropped batch is built into the store at once."""
    files = ss.get(f"upload-{ss['upload_round']}") or []
    if not files:
        return
    folder = ingest.upload_folder()
    try:
        saved = ingest.save_uploads(((f.name, f.getvalue()) for f in files), folder)
        ss["upload_outcome"] = add_with_progress([folder] if saved else [], path, "Processing…")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    ss["upload_round"] += 1


def add_articles(path: Path, view: pd.DataFrame, ctx: Context) -> None:
    """Uploader: dropped files go through the events build into this store; what came of it is said,
    with the new events the filters hide and a button that shows them, and every reject in full."""
    with st.sidebar.expander("Add articles", expanded=bool(ss.get("upload_outcome"))):
        round_ = ss.setdefault("upload_round", 0)
        st.file_uploader("Drop articles here: processing starts at once. "
                         f"Files: {', '.join(ingest.UPLOAD_TYPES)} (tables need a text column)",
                         type=ingest.UPLOAD_TYPES, accept_multiple_files=True, key=f"upload-{round_}",
                         on_change=process_uploads, args=(path,))
        outcome: ingest.Outcome | None = ss.get("upload_outcome")
        if not outcome:
            return
        if outcome.error:
            st.error(f"Nothing was added: {markdown_text(outcome.error)}")
            return
        st.success(f"{outcome.events_new} new events from {outcome.articles_new} new articles"
                   f" ({outcome.already_stored} already stored).")
        hidden = len(set(outcome.event_ids) - set(view["event_id"])) if outcome.event_ids else 0
        if hidden:
            st.warning(f"{hidden} of the new events are outside the current filters.")
            st.button("Show them (clear the filters)", key="show-new", on_click=session.show_everything, args=(ctx,))
        for reject in outcome.rejects:
            st.error(f"Rejected {markdown_text(reject.get('input', '?'))}: {markdown_text(reject.get('reason', ''))}")


# ---------------------------------------------------------------- page

def main() -> None:
    st.set_page_config(page_title=TITLE, layout="wide", initial_sidebar_state="collapsed")
    st.html(PAGE_CSS)
    path = source.store_path(sys.argv[1:], os.environ)
    ensure_store(path)
    mapview.install_assets()
    version = store_version(path)
    events, _ = load_store(str(path), version)
    bounds = data.date_bounds(events)
    ctx = Context(options(str(path), version), bounds)
    session.seed_from_url(ctx)
    session.fit_dates(bounds)
    f = session.current_filters(ctx)
    view = filters.apply(events, f)

    def view_with(**changes: object) -> pd.DataFrame:
        """The view under changed filters, without filtering again when nothing changes."""
        changed = replace(f, **changes)
        return view if changed == f else filters.apply(events, changed)

    all_toggles = view_with(**filters.TOGGLES_ON)
    ctx = replace(ctx, hidden=filters.hidden_by_toggles(all_toggles))
    header(view, 0 if f.include_background else int(all_toggles[data.BACKGROUND].sum()))
    for problem in ss.get("url_problems", []):
        st.warning(f"URL: {markdown_text(problem)}")
    timeline(view_with(start=None, end=None), ctx)
    map_and_detail(str(path), version, f, view)
    table(view, f)
    sidebar(ctx, view_with(types=())["event_type"])
    add_articles(path, view, ctx)


main()
