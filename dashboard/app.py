"""Streamlit entry point: `streamlit run dashboard/app.py -- --data STORE` (see README).

Layout and wiring only: the filters (filters), the table's rules (data), the map and its layer
(mapview), the detail HTML (detail), the session's view and its URL (session, urlstate) and adding
articles (ingest) live in their own modules. The map is the page: a compact header and timeline,
the map with its feed and the detail panel beside it, the table and downloads below.
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
from dataclasses import replace
from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import data, detail, filters, ingest, mapview, reviewing, session, source
from dashboard.escape import esc, markdown_text, plain
from dashboard.filters import SPECS, Context, Filters
from dashboard.theme import ARABIC_FONT, TITLE, TYPE_COLOURS, type_colour, type_label
from events import review
from events.store import version
from gazetteer import user_places

PANEL_HEIGHT = 640  # the detail panel scrolls inside this
TIMELINE_PX = 70  # the timeline is a strip: the map below it must start above the fold at 1280x720
TABLE_ROWS = 1000  # rows shown in the page; the downloads always hold the whole view
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
ss = st.session_state
StoreKey = tuple[str | None, tuple | None]  # (the store's generation, the review log's mtime and size)


# ---------------------------------------------------------------- cached data (shared by sessions)

@st.cache_resource(show_spinner="Loading events…", max_entries=2)
def load_generation(path: str, generation: str | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One generation of the store as the build wrote it, prepared once per server (every session shares
    it: `generation` changes with each commit, an upload or a rebuild). Treat as read-only."""
    events, articles = data.load_machine(Path(path))
    return events, articles.drop_duplicates("article_id").set_index("article_id", drop=False)


@st.cache_resource(show_spinner=False, max_entries=2)
def load_store(path: str, key: StoreKey) -> review.Reviewed:
    """The store with its review log applied, shared by every session; a review (one append to the log)
    changes `key` and re-applies the log over the cached generation, never re-reading the store."""
    events, articles = load_generation(path, key[0])
    decisions, problems = review.read(review.log_path(path))
    return review.Reviewed(data.with_review(events, decisions, problems), articles, decisions)


@st.cache_resource(show_spinner=False)
def basemap_url() -> str | None:
    """The offline basemap (borders and place labels from the gazetteer), published once per server."""
    base = mapview.load_basemap()
    return None if base is None else mapview.publish(base, "basemap")


@st.cache_resource(show_spinner=False, max_entries=2)
def place_finder(path: str, places_version: tuple | None) -> reviewing.PlaceFinder:
    """Fuzzy search over the gazetteer and the store's user places, built once per server and user place."""
    return reviewing.finder(user_places.load(user_places.path_for(path))[0])


@st.cache_resource(show_spinner=False, max_entries=4)
def options(path: str, key: StoreKey) -> dict[str, list[str]]:
    """The choices of the filters that offer them."""
    events = load_store(path, key).applied.events
    return {s.column: data.choices(events, s.column) for s in SPECS if isinstance(s, filters.Choice)}


@st.cache_resource(show_spinner=False, max_entries=64)
def layer_url(path: str, key: StoreKey, f: Filters, _view: pd.DataFrame) -> tuple[str, int]:
    """The published map layer of a filter setting, and how many points it holds (`_view`, the events
    those filters keep, is not part of the cache key)."""
    layer = mapview.layer(_view)
    return mapview.publish(layer, "layers"), len(layer["points"])


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
    st.caption("Sidebar »: filters, *Add articles*. Counts as the reports state them, each report once; "
               + (f"{left_out:,} background reports (history, cumulative totals) are not added"
                  + (" and are hidden." if hidden_background else ".")
                  if left_out else "background reports (history, cumulative totals) are never added."))


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
        y=alt.Y("events:Q", stack=True, title=None, axis=None),  # a strip: the tooltip gives the counts
        color=alt.Color("event_type:N", scale=alt.Scale(domain=list(TYPE_COLOURS), range=list(TYPE_COLOURS.values())),
                        legend=None),
        tooltip=[alt.Tooltip("period:T", format="%Y-%m-%d"), "event_type:N", "events:Q"],
    )
    window = alt.Chart(pd.DataFrame({"a": [lo.isoformat()], "b": [hi.isoformat()]})).mark_rect(
        opacity=0.12, color="#1f77b4").encode(x="a:T", x2="b:T")
    st.altair_chart((window + bars).properties(height=TIMELINE_PX), width="stretch")
    next(s for s in SPECS if s.key == session.DATES_KEY).draw(st, ctx)


@st.fragment
def map_and_detail(path: str, key: StoreKey, f: Filters, view: pd.DataFrame) -> None:
    """The map and the detail panel beside it: a map click or pan reruns only this part."""
    store = load_store(path, key)
    events = store.applied.events
    url, n_points = layer_url(path, key, f, view)
    selected = data.event_by_id(events, ss.get("ev"))
    in_view = selected is not None and bool((view["event_id"] == selected["event_id"]).any())
    tiles = mapview.tile_setting(os.environ)
    picking = selected is not None and bool(ss.get(PICK_KEY))
    left, right = st.columns([2.7, 1], gap="small")
    with left:
        mapview.event_map(layer_url=url, basemap_url=basemap_url(), tiles=tiles, origin=ss["map_origin"],
                          selected=selected if in_view else None, key="map", on_change=session.take_map_output,
                          pick=picking, picked=ss.get(session.PICKED_KEY) if picking else None)
        located = int(view[data.LOCATED].sum())
        st.caption(f"{located:,} events on the map"
                   + (f" as {n_points:,} places (one bubble per place: many events in view)"
                      if n_points < located else "")
                   + (" · tiles from the public OpenStreetMap servers, which see the area you view"
                      if tiles and tiles.public else "")
                   + (" · **click the map where it happened**" if picking else ""))
    with right, st.container(height=PANEL_HEIGHT, border=False):
        detail_panel(Path(path), selected, in_view, store, view)
    session.write_url(f)


def detail_panel(path: Path, event: pd.Series | None, in_view: bool, store: review.Reviewed,
                 view: pd.DataFrame) -> None:
    """The open event (from a marker, the feed, a list, the table or the URL): review buttons, its HTML,
    the correction form, the events around it, a close button."""
    events, articles = store.applied.events, store.articles
    if event is None:
        if ss.get("ev"):
            st.warning(f"Event {markdown_text(repr(ss['ev']))} is not in this store.")
        else:
            st.info("Click a marker, an entry of the feed or a row of the table to read what was reported.")
        next_button(view, None, "Review the next unreviewed event")
        return
    who = reviewer()
    review_buttons(path, event, view, events, who)
    if not in_view:
        st.caption("This event is outside the current filters.")
    article = articles.loc[event["article_id"]].to_dict() if event["article_id"] in articles.index else None
    st.html(detail.event_html(event.to_dict(), article, review.history(store.decisions, event["event_id"])))
    correction_form(path, event, who)
    event_list("Events at this place", data.same_place(view if in_view else events, event), event["event_id"],
               min_rows=2)
    event_list("Other events in this article", data.same_article(events, event), event["event_id"])


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


def next_button(view: pd.DataFrame, current: str | None, label: str = "Next unreviewed") -> None:
    """Open the next unreviewed event of the view (key n)."""
    following = reviewing.next_unreviewed(view, current)
    st.button(label, key="rv-next", shortcut="n", on_click=session.select, args=(following,),
              disabled=following is None, help=None if following else "Every event in view has been reviewed")


def review_buttons(path: Path, event: pd.Series, view: pd.DataFrame, events: pd.DataFrame, who: str) -> None:
    """Confirm (a), reject (x) with the reason and comment below, next unreviewed (n), close. A duplicate
    is one of the article's other events (from the whole store: the view may hide the original)."""
    eid = event["event_id"]
    c1, c2, c3 = st.columns(3, gap="small")
    confirm = c1.button("Confirm", key="rv-confirm", shortcut="a", disabled=not who, type="primary", width="stretch")
    reject = c2.button("Reject", key="rv-reject", shortcut="x", disabled=not who, width="stretch")
    with c3:
        next_button(view, eid, "Next")
    with st.expander("Reject: reason, duplicate, comment"):
        reason = st.radio("Reason", review.REJECT_REASONS, key="rv-reason", format_func=reviewing.REASON_WORDS.get,
                          horizontal=True)
        others = {row["event_id"]: detail.event_line(row) for row in data.same_article(events, event).to_dict("records")}
        duplicate = st.selectbox("Duplicate of", list(others), index=None, key=f"rv-dup-{eid}", format_func=others.get,
                                 placeholder="one of this article's events") if reason == "duplicate" else None
        comment = st.text_input("Comment (optional; kept with confirm or reject)", key=f"rv-comment-{eid}")
    if confirm or reject:
        record(path, review.Decision(eid, "reject" if reject else "confirm", who, reason=reason if reject else None,
                                     duplicate_of=duplicate if reject else None, comment=comment or None),
               following=reviewing.next_unreviewed(view, eid))


def correction_form(path: Path, event: pd.Series, who: str) -> None:
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
            "review_status": st.column_config.TextColumn("Review", width="small"),
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
    if problem := source.exposure_problem(st.get_option("server.address"), os.environ):
        st.error(problem)
        st.stop()
    path = source.store_path(sys.argv[1:], os.environ)
    ensure_store(path)
    mapview.install_assets()
    key = store_key(path)
    store = load_store(str(path), key)
    events = store.applied.events
    bounds = data.date_bounds(events)
    ctx = Context(options(str(path), key), bounds)
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
    if note := reviewing.log_note(store.applied):
        st.caption(markdown_text(note))
    timeline(view_with(start=None, end=None), ctx)
    map_and_detail(str(path), key, f, view)
    table(view, f)
    sidebar(ctx, view_with(types=())["event_type"])
    add_articles(path, view, ctx)


main()
