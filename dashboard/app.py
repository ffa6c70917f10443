"""Streamlit entry point: `streamlit run dashboard/app.py -- --data STORE` (see README).

Layout and wiring only: the filters (filters), the figures over the rows they keep (query: DuckDB, one
copy of the store per server), the table's rules (data), the map and its layer (mapview), the detail
HTML (detail), the session's view and its URL (session, urlstate) and adding articles (ingest) live in
their own modules. The map is the page: a compact header and timeline, the map with its feed and the
detail panel beside it, a page of the table and the downloads below. No rerun holds the events in
pandas: each part asks the query layer for what it draws (a page, a few thousand points at most).
"""
from __future__ import annotations

import datetime as dt
import math
import os
import shutil
import sys
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

import pandas as pd
import streamlit as st

from dashboard import data, detail, filters, ingest, mapview, query, reviewing, session, source
from dashboard.escape import esc, markdown_text, plain
from dashboard.filters import SPECS, Context, Filters
from dashboard.theme import ARABIC_FONT, TITLE, TYPE_COLOURS, type_colour, type_label
from events import review
from events.store import version
from gazetteer import user_places

PANEL_HEIGHT = 640  # the detail panel scrolls inside this
TIMELINE_PX = 70  # the timeline is a strip: the map below it must start above the fold at 1280x720
TABLE_ROWS = 100  # rows per page of the table; the downloads always hold the whole view
TABLE_ROW_PX, TABLE_MAX_PX = 35, 420
LIST_LIMIT = 50  # events listed per "same place" / "same article" list
PAGE_CSS = f"""<style>
.ar, [dir=rtl] {{ font-family: {ARABIC_FONT}; }}
[data-testid="stMainBlockContainer"] {{ padding-top: 3.4rem; padding-bottom: 2rem; }}
[data-testid="stCaptionContainer"] p {{ margin-bottom: 0; }}
[data-testid="stMetric"] {{ padding: 0; }}
[data-testid="stMetricValue"] {{ font-size: 1.35rem; }}
h1 {{ font-size: 1.5rem !important; padding: 0.2rem 0 !important; }}
</style>"""
HEADLINE_LABELS = {"killed": "Killed", "defectors": "Defectors", "arrested": "Arrested"}
REVIEWER_KEY = "reviewer"  # the reviewer's name, set once per session
PICK_KEY = "rv-pick"  # a reviewer is placing the open event by clicking the map
PAGE_KEY = "table_page"
ss = st.session_state
T = TypeVar("T")
StoreKey = tuple[str | None, tuple | None]  # (the store's generation, the review log's mtime and size)


# ---------------------------------------------------------------- cached data (shared by sessions)

@st.cache_resource(show_spinner="Loading events…", max_entries=2)
def load_generation(path: str, generation: str | None) -> query.Generation:
    """One generation of the store as the build wrote it, in DuckDB, once per server (every session shares
    it: `generation` changes with each commit, an upload or a rebuild). Read-only."""
    return query.Generation.load(Path(path))


@st.cache_resource(show_spinner=False, max_entries=2)
def load_store(path: str, key: StoreKey) -> query.Store:
    """The store with its review log applied, shared by every session; a review (one append to the log)
    changes `key` and lays the log over the cached generation again, never re-reading the store."""
    return query.Store.load(path, load_generation(path, key[0]))


@st.cache_resource(show_spinner=False)
def basemap_url() -> str | None:
    """The offline basemap (borders and place labels from the gazetteer), published once per server."""
    base = mapview.load_basemap()
    return None if base is None else mapview.publish(base, "basemap")


@st.cache_resource(show_spinner=False, max_entries=2)
def place_finder(path: str, places_version: tuple | None) -> reviewing.PlaceFinder:
    """Fuzzy search over the gazetteer and the store's user places, built once per server and user place."""
    return reviewing.finder(user_places.load(user_places.path_for(path))[0])


def options(store: query.Store) -> dict[str, list[str]]:
    """The choices of the filters that offer them (memoised by the store)."""
    return {s.column: store.choices(s.column) for s in SPECS if isinstance(s, filters.Choice)}


@st.cache_resource(show_spinner=False, max_entries=2)
def sites_url(path: str, key: StoreKey) -> str:
    """The map's sites (every point and place name of the store), published once per store version."""
    return mapview.publish(mapview.sites(load_store(path, key)), "sites")


@st.cache_resource(show_spinner=False, max_entries=64)
def layer_url(path: str, key: StoreKey, f: Filters) -> tuple[str, int]:
    """The published map layer of a filter setting, and how many markers it holds."""
    layer = mapview.layer(load_store(path, key), f, sites_url(path, key))
    return mapview.publish(layer, "layers"), len(layer["points"]["id"])


def published(cached: Callable[..., T], *args: object) -> T:
    """A cached function's result whose URL names a published file, published again when another session's
    pruning removed the file meanwhile (a URL cached by the server outlives files that many later filter
    settings push out)."""
    result = cached(*args)
    url = result[0] if isinstance(result, tuple) else result
    if url is not None and not mapview.keep(url):
        cached.clear()
        result = cached(*args)
    return result


def file_version(path: Path) -> tuple | None:
    """Changes whenever an append-only file (the review log, the user places) grows."""
    try:
        st_ = path.stat()
    except FileNotFoundError:
        return None
    return st_.st_mtime_ns, st_.st_size


def store_key(path: Path) -> StoreKey:
    """The caches' key: the store's generation (its link target) and the review log's size and time."""
    return version(path), file_version(review.log_path(path))


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

def sidebar(ctx: Context, type_counts: Mapping[str, int]) -> None:
    """Every filter widget but the dates (under the timeline), from the specs, with the legend (events per
    type under every filter but the types)."""
    st.sidebar.header("Filters")
    for spec in SPECS:
        if spec.in_sidebar:
            spec.draw(st.sidebar, ctx)
        if spec.key == "f_types":
            st.sidebar.html(_legend(type_counts))


def _legend(counts: Mapping[str, int]) -> str:
    """Colour chips with counts: the registry's types always (a zero says "none in view"), then any other
    type the store holds (its name is data, so escaped)."""
    types = list(TYPE_COLOURS) + sorted(str(t) for t in counts if t not in TYPE_COLOURS)
    chips = "".join(
        f'<span style="display:inline-block;margin:2px 6px 2px 0;white-space:nowrap">'
        f'<span style="display:inline-block;width:10px;height:10px;border-radius:50%;background:{type_colour(t)}">'
        f"</span> {esc(t)} ({int(counts.get(t, 0))})</span>"
        for t in types)
    return f'<div style="font-size:0.8rem">{chips}</div>'


def header(h: data.Headline, hidden_background: int) -> None:
    """Title and the view's figures on one row; a line saying what the totals count and leave out."""
    cols = st.columns([3.2] + [1] * (3 + len(h.totals)))
    cols[0].title(TITLE)
    figures = [("Events", h.events)] + [(HEADLINE_LABELS[k], v) for k, v in h.totals.items()]
    figures += [("Articles", h.articles), ("Places", h.places)]
    for col, (label, value) in zip(cols[1:], figures):
        col.metric(label, f"{value:,}")
    left_out = h.background + hidden_background
    st.caption("Sidebar »: filters, *Add articles*. Counts as the reports state them, each report once; "
               + (f"{left_out:,} background reports (history, cumulative totals) are not added"
                  + (" and are hidden." if hidden_background else ".")
                  if left_out else "background reports (history, cumulative totals) are never added."))


def timeline(store: query.Store, f: Filters, ctx: Context) -> None:
    """Stacked bars per week/month by type (`f`: every filter but the dates), the date slider under it."""
    bounds = ctx.bounds
    if bounds is None:
        st.caption("No event in this store has a date: the timeline is empty.")
        return
    lo, hi = ss[session.DATES_KEY]
    st.vega_lite_chart(timeline_spec(store.timeline(f, data.timeline_freq(bounds)), bounds, (lo, hi)), width="stretch")
    next(s for s in SPECS if s.key == session.DATES_KEY).draw(st, ctx)


def timeline_spec(counts: pd.DataFrame, bounds: tuple[dt.date, dt.date], window: tuple[dt.date, dt.date]) -> dict:
    """The timeline as a Vega-Lite spec: one row per period with a count per type (folded back into bars
    by Vega), so the page carries a few kilobytes however many events there are; the slider's window
    shaded behind the bars."""
    by_period: dict[str, dict[str, int]] = {}
    for period, etype, n in zip(counts["period"], counts["event_type"], counts["events"]):
        by_period.setdefault(period.strftime("%Y-%m-%d"), {})[str(etype)] = int(n)
    names = sorted({t for row in by_period.values() for t in row})
    rows = [{"p": p, **row} for p, row in by_period.items()]
    fmt, ticks = data.axis_format(bounds)
    x = {"field": "p", "type": "temporal", "title": None,
         "scale": {"domain": [bounds[0].isoformat(), bounds[1].isoformat()]},
         "axis": {"format": fmt, "tickCount": ticks, "labelOverlap": True}}
    return {
        "height": TIMELINE_PX,
        "layer": [
            {"data": {"values": [{"a": window[0].isoformat(), "b": window[1].isoformat()}]},
             "mark": {"type": "rect", "opacity": 0.12, "color": "#1f77b4"},
             "encoding": {"x": {"field": "a", "type": "temporal"}, "x2": {"field": "b"}}},
            {"data": {"values": rows},
             "transform": [{"fold": names, "as": ["event_type", "events"]}, {"filter": "datum.events > 0"}],
             "mark": "bar",
             "encoding": {
                 "x": x,
                 "y": {"field": "events", "type": "quantitative", "stack": True, "title": None, "axis": None},
                 "color": {"field": "event_type", "type": "nominal", "legend": None,
                           "scale": {"domain": list(TYPE_COLOURS), "range": list(TYPE_COLOURS.values())}},
                 "tooltip": [{"field": "p", "type": "temporal", "format": "%Y-%m-%d", "title": "period"},
                             {"field": "event_type", "type": "nominal"}, {"field": "events", "type": "quantitative"}]}},
        ],
    }


@st.fragment
def map_and_detail(path: str, key: StoreKey, f: Filters) -> None:
    """The map and the detail panel beside it: a map click or pan reruns only this part, and the map's
    layer (a URL, fetched once per filter setting) is not sent again."""
    store = load_store(path, key)
    url, n_points = published(layer_url, path, key, f)
    selected, in_view = store.event(ss.get("ev"), f)
    tiles = mapview.tile_setting(os.environ)
    picking = selected is not None and bool(ss.get(PICK_KEY))
    left, right = st.columns([2.7, 1], gap="small")
    with left:
        mapview.event_map(layer_url=url, sites_url=published(sites_url, path, key), basemap_url=published(basemap_url),
                          tiles=tiles,
                          origin=ss["map_origin"],
                          selected=selected if in_view else None, key="map", on_change=session.take_map_output,
                          pick=picking, picked=ss.get(session.PICKED_KEY) if picking else None)
        located = store.located(f)
        st.caption(f"{located:,} events on the map"
                   + (f" as {n_points:,} places (one bubble per place: many events in view)"
                      if n_points < located else "")
                   + (" · tiles from the public OpenStreetMap servers, which see the area you view"
                      if tiles and tiles.public else "")
                   + (" · **click the map where it happened**" if picking else ""))
    with right, st.container(height=PANEL_HEIGHT, border=False):
        detail_panel(Path(path), selected, in_view, store, f)
    session.write_url(f)


def detail_panel(path: Path, event: dict | None, in_view: bool, store: query.Store, f: Filters) -> None:
    """The open event (from a marker, the feed, a list, the table or the URL): review buttons, its HTML,
    the correction form, the events around it, a close button."""
    if event is None:
        if ss.get("ev"):
            st.warning(f"Event {markdown_text(repr(ss['ev']))} is not in this store.")
        else:
            st.info("Click a marker, an entry of the feed or a row of the table to read what was reported.")
        next_button(store, f, None, "Review the next unreviewed event")
        return
    who = reviewer()
    review_buttons(path, event, store, f, who)
    if not in_view:
        st.caption("This event is outside the current filters.")
    article = store.gen.article(event["article_id"])
    st.html(detail.event_html(event, article, review.history(store.decisions, event["event_id"])))
    correction_form(path, event, who)
    event_list("Events at this place", *store.same_place(event, f if in_view else None, LIST_LIMIT), event["event_id"],
               min_rows=2)
    event_list("Other events in this article", *store.same_article(event), event["event_id"])


# ---------------------------------------------------------------- review (decisions: events.review)

def reviewer() -> str:
    """The reviewer's name, asked once per session (no accounts: the log records what people say they are),
    beside the panel's close button."""
    who = ss.get(REVIEWER_KEY, "")
    c1, c2, c3 = st.columns([2.5, 1.2, 1.2], vertical_alignment="bottom", gap="small")
    if who:
        c1.caption(f"Reviewing as **{markdown_text(who)}** · keys a, x, n")
        c2.button("Change", key="rv-who-change", type="tertiary", on_click=lambda: ss.pop(REVIEWER_KEY, None))
    else:
        c1.text_input("Your name, to review events (asked once per session)", key="rv-who",
                      on_change=lambda: ss.update({REVIEWER_KEY: (ss.get("rv-who") or "").strip()}))
    c3.button("Close", key="close-detail", on_click=session.select, args=(None,))
    return who


def next_button(store: query.Store, f: Filters, current: str | None, label: str = "Next unreviewed") -> None:
    """Open the next unreviewed event of the view (key n)."""
    following = store.next_unreviewed(f, current)
    st.button(label, key="rv-next", shortcut="n", on_click=session.select, args=(following,),
              disabled=following is None, help=None if following else "Every event in view has been reviewed")


def review_buttons(path: Path, event: dict, store: query.Store, f: Filters, who: str) -> None:
    """Confirm (a), reject (x) with the reason and comment below, next unreviewed (n), close. A duplicate
    is one of the article's other events (from the whole store: the view may hide the original)."""
    eid = event["event_id"]
    c1, c2, c3 = st.columns(3, gap="small")
    confirm = c1.button("Confirm", key="rv-confirm", shortcut="a", disabled=not who, type="primary", width="stretch")
    reject = c2.button("Reject", key="rv-reject", shortcut="x", disabled=not who, width="stretch")
    with c3:
        next_button(store, f, eid, "Next")
    with st.expander("Reject: reason, duplicate, comment"):
        reason = st.radio("Reason", review.REJECT_REASONS, key="rv-reason", format_func=reviewing.REASON_WORDS.get,
                          horizontal=True)
        others = {row["event_id"]: detail.event_line(row) for row in store.same_article(event)[0].to_dict("records")}
        duplicate = st.selectbox("Duplicate of", list(others), index=None, key=f"rv-dup-{eid}", format_func=others.get,
                                 placeholder="one of this article's events") if reason == "duplicate" else None
        comment = st.text_input("Comment (optional; kept with confirm or reject)", key=f"rv-comment-{eid}")
    if confirm or reject:
        record(path, review.Decision(eid, "reject" if reject else "confirm", who, reason=reason if reject else None,
                                     duplicate_of=duplicate if reject else None, comment=comment or None),
               following=store.next_unreviewed(f, eid))


def correction_form(path: Path, event: dict, who: str) -> None:
    """Change type, count, date (and its precision) or place; a place from the gazetteer search or a point
    dropped on the map and named (a new user place, which later builds resolve)."""
    eid = event["event_id"]
    with st.expander("Correct type, count, date or place", expanded=bool(ss.get(PICK_KEY))):
        types = list(TYPE_COLOURS)
        current = str(event["event_type"]) if plain(event["event_type"]) in types else "other"
        etype = st.selectbox("Type", types, index=types.index(current), key=f"rv-type-{eid}", format_func=type_label)
        count = st.number_input("Count", min_value=0, step=1, key=f"rv-count-{eid}",
                                value=int(event["count"]) if pd.notna(event["count"]) else None)
        c1, c2 = st.columns(2)
        day = pd.to_datetime(event["event_date"], errors="coerce")
        when = c1.date_input("Date", value=None if pd.isna(day) else day.date(), key=f"rv-date-{eid}",
                             min_value=dt.date(1990, 1, 1), max_value=dt.date.today())
        precisions = list(data.TIME_WORDS)
        now_precision = int(event["time_precision"]) if pd.notna(event["time_precision"]) else 1
        precision = c2.selectbox("Date precision", precisions, key=f"rv-precision-{eid}",
                                 index=precisions.index(now_precision) if now_precision in precisions else 0,
                                 format_func=data.TIME_WORDS.get)
        query = st.text_input("Place: search the gazetteer (Arabic or English)", key=f"rv-q-{eid}")
        found = place_finder(str(path), file_version(user_places.path_for(path))).search(query) if query else []
        place = st.selectbox("Matching places", found, index=None, key=f"rv-place-{eid}", format_func=reviewing.PlaceChoice.label,
                             placeholder="choose one" if found else "no match yet") if query else None
        st.toggle("…or click the map to drop a point and name it", key=PICK_KEY)
        new_place = named_point() if ss.get(PICK_KEY) else None
        if not st.button("Save correction", key=f"rv-save-{eid}", disabled=not who):
            return
    wanted = {"event_type": etype, "count": None if count is None else int(count),
              "event_date": when.isoformat() if when else None, "time_precision": int(precision)}
    try:
        if new_place is not None:
            new_place = user_places.UserPlace(**new_place, who=who)
            place = reviewing.user_choice(new_place)
        changes, before = reviewing.corrections(event, wanted | (place.changes() if place else {}))
        if not changes:
            st.warning("Nothing to save: every value is as it was.")
            return
        decision = review.Decision(eid, "correct", who, changes=changes, before=before,
                                   comment=ss.get(f"rv-comment-{eid}") or None)
    except ValueError as e:
        st.error(markdown_text(e))
        return
    if new_place is not None:
        review.add_place(path, new_place)
    for k in (PICK_KEY, session.PICKED_KEY):
        ss.pop(k, None)
    record(path, decision, following=eid)


def named_point() -> dict | None:
    """The point dropped on the map with the name, spellings and kind typed for it (None until both)."""
    point = ss.get(session.PICKED_KEY)
    if point is None:
        st.caption("Click the map where it happened.")
        return None
    st.caption(f"Point {point[0]:.5f}, {point[1]:.5f} (click again to move it)")
    name_ar = st.text_input("Name (Arabic)", key="rv-name-ar")
    name_en = st.text_input("Name (English)", key="rv-name-en")
    aliases = st.text_input("Other spellings (comma-separated)", key="rv-aliases")
    kind = st.selectbox("Kind", user_places.KINDS, key="rv-kind")
    if not (name_ar.strip() or name_en.strip()):
        return None
    return {"name_ar": name_ar.strip(), "name_en": name_en.strip(), "lat": point[0], "lon": point[1],
            "at": review.now(), "kind": kind, "aliases": [a.strip() for a in aliases.split(",") if a.strip()]}


def record(path: Path, decision: review.Decision, following: str | None) -> None:
    """Append a decision to the log (durable before this returns), open `following`, redraw the page."""
    review.append(review.log_path(path), decision)
    session.select(following)
    st.rerun()


def event_list(title: str, rows: pd.DataFrame, total: int, current: str, min_rows: int = 1) -> None:
    """Buttons that open each listed event (the first LIST_LIMIT of `total`); nothing when fewer than
    `min_rows` (the open one alone)."""
    if total < min_rows:
        return
    st.markdown(f"**{title}** ({total})")
    for row in rows.head(LIST_LIMIT).to_dict("records"):
        st.button(detail.event_label(row), key=f"{title}-{row['event_id']}", on_click=session.select,
                  args=(row["event_id"],), disabled=row["event_id"] == current, type="tertiary")
    if total > LIST_LIMIT:
        st.caption(f"… and {total - LIST_LIMIT} more (see the table below)")


def open_table_row() -> None:
    """The table's selection callback: the selected row's event opens in the detail panel."""
    rows = ss["table"]["selection"]["rows"]
    if rows:
        session.select(ss["_table_ids"][rows[0]])


def table(store: query.Store, f: Filters) -> None:
    """A page of the view (TABLE_ROWS rows, in store order), the pager, the downloads of the whole view."""
    st.subheader("Events in view")
    total = store.count(f)
    pages = max(1, math.ceil(total / TABLE_ROWS))
    if ss.get("_table_filters") != f or not 1 <= ss.get(PAGE_KEY, 1) <= pages:
        ss[PAGE_KEY] = 1  # new filters start at the first page
    ss["_table_filters"] = f
    first = (ss[PAGE_KEY] - 1) * TABLE_ROWS
    shown = store.memo(("table", f, first), lambda: data.table_frame(store.page(f, first, TABLE_ROWS)))
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
            "review_status": st.column_config.TextColumn("Review", width="small"),
        })
    if pages > 1:
        c1, c2 = st.columns([1, 5], vertical_alignment="bottom")
        c1.number_input(f"Page (of {pages:,})", min_value=1, max_value=pages, step=1, key=PAGE_KEY)
        c2.caption(f"Rows {first + 1:,}–{first + len(shown):,} of {total:,}; the downloads hold them all.")
    st.caption("Select a row to open its event above. Downloads: CSV (UTF-8 with BOM, opens in Excel) "
               "and GeoJSON (opens in QGIS), with the precision codes also in words.")
    c1, c2, _ = st.columns([1, 1, 4])
    c1.download_button("Download CSV", data=lambda: data.csv_of(store.batches(f)), file_name="events.csv",
                       mime="text/csv", on_click="ignore", key="dl-csv")
    c2.download_button("Download GeoJSON", data=lambda: data.geojson_of(store.batches(f)), file_name="events.geojson",
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


def add_articles(path: Path, store: query.Store, f: Filters, ctx: Context) -> None:
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
        hidden = store.missing(f, outcome.event_ids)
        if hidden:
            st.warning(f"{hidden} of the new events are outside the current filters.")
            st.button("Show them (clear the filters)", key="show-new", on_click=session.show_everything, args=(ctx,))
        for reject in outcome.rejects:
            st.error(f"Rejected {markdown_text(reject.get('input', '?'))}: {markdown_text(reject.get('reason', ''))}")


# ---------------------------------------------------------------- page

def main() -> None:
    st.set_page_config(page_title=TITLE, layout="wide", initial_sidebar_state="collapsed")
    st.html(PAGE_CSS)
    if problem := source.exposure_problem(st.get_option("server.address"), os.environ):
        st.error(problem)
        st.stop()
    path = source.store_path(sys.argv[1:], os.environ)
    ensure_store(path)
    mapview.install_assets()
    key = store_key(path)
    store = load_store(str(path), key)
    bounds = store.bounds()
    ctx = Context(options(store), bounds)
    session.seed_from_url(ctx)
    session.fit_dates(bounds)
    f = session.current_filters(ctx)
    hidden = store.toggle_counts(f)
    ctx = replace(ctx, hidden=hidden)
    header(store.headline(f), 0 if f.include_background else hidden[data.CURRENT])
    for problem in ss.get("url_problems", []):
        st.warning(f"URL: {markdown_text(problem)}")
    if note := reviewing.log_note(store.applied):
        st.caption(markdown_text(note))
    timeline(store, replace(f, start=None, end=None), ctx)
    map_and_detail(str(path), key, f)
    table(store, f)
    sidebar(ctx, store.type_counts(replace(f, types=())))
    add_articles(path, store, f, ctx)

main()
