"""The detail panel's HTML: one event, its evidence, and its whole article with the places marked.

Everything that came from an article (text, title, names, actors, URL) is untrusted: it is escaped
here, piece by piece, and only our own tags are added around it. Offsets come from the events
table and the geoparser and are checked, because a wrong offset must not break the page.
"""
from __future__ import annotations

import html
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlparse

import pandas as pd

from dashboard.data import EXPLAIN, GEO_WORDS, TIME_WORDS, precision_word
from dashboard.escape import esc, markdown_text, plain
from dashboard.reviewing import corrected_lines, status_html
from dashboard.theme import ARABIC_FONT, type_colour, type_label
from events.review import Decision

CSS = f"""
<style>
.ev-detail {{ font-size: 0.95rem; }}
.ev-detail .ar {{ direction: rtl; text-align: right; font-family: {ARABIC_FONT}; line-height: 1.9; }}
.ev-detail .article {{ white-space: pre-wrap; max-height: 28rem; overflow-y: auto; padding: 0.5rem;
                      border: 1px solid #ddd; border-radius: 4px; }}
.ev-detail blockquote {{ margin: 0.5rem 0; padding: 0.4rem 0.8rem; border-right: 4px solid #999;
                        border-left: none; background: #f7f7f7; }}
.ev-detail mark.place {{ background: #fde68a; }}
.ev-detail mark.this-place {{ background: #f59e0b; font-weight: bold; }}
.ev-detail .evidence {{ outline: 2px solid #60a5fa; }}
.ev-detail dl {{ display: grid; grid-template-columns: max-content auto; gap: 0.15rem 0.8rem; margin: 0; }}
.ev-detail dt {{ font-weight: 600; }}
.ev-detail dd {{ margin: 0; }}
.ev-detail .type {{ display: inline-block; padding: 0 0.5rem; border-radius: 3px; color: #fff; }}
.ev-detail .background {{ background: #fff3cd; padding: 0.2rem 0.5rem; border-radius: 3px; }}
.ev-detail summary {{ cursor: pointer; color: #1f4e8c; }}
.ev-detail code {{ font-size: 0.75rem; color: #777; }}
.ev-detail .status {{ display: inline-block; padding: 0 0.45rem; border-radius: 3px; font-size: 0.85rem;
                     background: #e5e7eb; }}
.ev-detail .status-confirmed {{ background: #dcfce7; color: #166534; }}
.ev-detail .status-corrected, .ev-detail .corrected-mark {{ background: #dbeafe; color: #1e40af; }}
.ev-detail .status-rejected {{ background: #fee2e2; color: #991b1b; }}
.ev-detail .corrected-mark {{ font-size: 0.75rem; padding: 0 0.3rem; border-radius: 3px; }}
.ev-detail p.review, .ev-detail p.corrected {{ margin: 0.2rem 0; }}
.ev-detail .history ol {{ margin: 0.2rem 0; padding-left: 1.2rem; font-size: 0.85rem; }}
</style>
"""


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    css: str = "place"
    title: str = ""


def highlight(text: str, spans: Iterable[Span], offset: int = 0) -> str:
    """`text` escaped, with each span (offsets relative to `offset`) wrapped in <mark>.

    Spans outside the text are clipped or dropped and overlapping ones are skipped, so a bad
    offset can only lose a highlight, never inject or unbalance markup.
    """
    out, pos = [], 0
    for s in sorted(spans, key=lambda s: (s.start, -s.end)):
        start, end = max(s.start - offset, 0), min(s.end - offset, len(text))
        if start < pos or start >= end:
            continue
        out.append(html.escape(text[pos:start]))
        title = f' title="{html.escape(s.title)}"' if s.title else ""
        out.append(f'<mark class="{s.css}"{title}>{html.escape(text[start:end])}</mark>')
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out)


def mention_spans(mentions_json: object, place_id: object) -> list[Span]:
    """Spans of the geoparser's mentions (JSON list); the event's own place gets the strong mark."""
    if not isinstance(mentions_json, str) or not mentions_json:
        return []
    try:
        mentions = json.loads(mentions_json)
    except json.JSONDecodeError:
        return []
    spans = []
    for m in mentions if isinstance(mentions, list) else []:
        try:
            start, end = int(m["start"]), int(m["end"])
        except (KeyError, TypeError, ValueError):
            continue
        css = "this-place" if place_id is not None and m.get("place_id") == place_id else "place"
        title = " · ".join(str(m[k]) for k in ("name_en", "kind", "admin1") if m.get(k))
        spans.append(Span(start, end, css, title))
    return spans


def evidence_html(event: Mapping, article_text: str | None, spans: list[Span]) -> str:
    """The evidence sentence with its places marked, using article offsets when they check out.

    When the article is missing or the offsets do not match the sentence, the event's place name
    is marked where it occurs in the sentence instead.
    """
    evidence = str(event.get("evidence") or "")
    start = event.get("evidence_start")
    if article_text and pd.notna(start) and article_text[int(start):int(start) + len(evidence)] == evidence:
        return highlight(evidence, spans, offset=int(start))
    name = event.get("location_ar")
    at = evidence.find(name) if isinstance(name, str) and name else -1
    return highlight(evidence, [Span(at, at + len(name), "this-place")] if at >= 0 else [])


def article_html(text: str, spans: list[Span], evidence: tuple[int, int] | None) -> str:
    """The whole article, every resolved place marked, the event's sentence outlined."""
    if evidence is None or not (0 <= evidence[0] < evidence[1] <= len(text)):
        return highlight(text, spans)
    a, b = evidence
    return (highlight(text[:a], spans) + '<span class="evidence">' + highlight(text[a:b], spans, offset=a)
            + "</span>" + highlight(text[b:], spans, offset=b))


def safe_link(url: object, label: str) -> str:
    """An <a> for http(s) URLs only (no javascript: or data: links from an article's metadata)."""
    if not isinstance(url, str) or urlparse(url.strip()).scheme not in ("http", "https"):
        return html.escape(label)
    return (f'<a href="{html.escape(url.strip(), quote=True)}" target="_blank" rel="noopener noreferrer">'
            f"{html.escape(label)}</a>")


def _when(event: Mapping) -> str:
    date = esc(event.get("event_date")) or "undated"
    precision = precision_word(event.get("time_precision"), TIME_WORDS)
    return f"{date} (precision: {precision})" if precision else date


def _place(event: Mapping) -> str:
    if pd.isna(event.get("latitude")):
        return "not located"
    names = f'<span class="ar" dir="rtl">{esc(event.get("location_ar"))}</span> {esc(event.get("location_en"))}'
    admin = ", ".join(esc(event.get(k)) for k in ("admin2", "admin1") if esc(event.get(k)))
    precision = precision_word(event.get("geo_precision"), GEO_WORDS)
    extra = [esc(event.get("kind"))] if esc(event.get("kind")) else []
    if precision:
        extra.append(precision)
    return f"{names}{' — ' + admin if admin else ''}{' (' + '; '.join(extra) + ')' if extra else ''}"


def _count(event: Mapping) -> str:
    count = event.get("count")
    if pd.isna(count):
        return "not stated"
    phrase = esc(event.get("count_text"))
    counts = f" {esc(event.get('count_of'))}" if plain(event.get("count_of")) else ""
    return f"{int(count):,}{counts}" + (f' (<span class="ar" dir="rtl">{phrase}</span>)' if phrase else "")


def event_html(event: Mapping, article: Mapping | None, history: Sequence[Decision] = ()) -> str:
    """The detail panel for one event: review status, facts (corrected ones marked), evidence sentence,
    source, and the whole article; `history` holds the review decisions taken on it."""
    etype = str(event.get("event_type") or "other")
    text = article.get("text") if article is not None else None
    text = text if isinstance(text, str) else None
    spans = mention_spans(article.get("mentions") if article is not None else None, event.get("place_id"))
    actors = [a.strip() for a in plain(event.get("actors")).split(";") if a.strip()]
    title = esc(event.get("title")) or esc(article.get("title") if article is not None else None)
    source = esc(event.get("source")) or "unknown outlet"
    link = safe_link(event.get("url"), "link")
    rows = [
        ("Date", _when(event)),
        ("Count", _count(event)),
        ("Actors", " · ".join(f'<span class="ar" dir="rtl">{html.escape(a)}</span>' for a in actors) or "—"),
        ("Place", _place(event)),
        ("Source", f"{source} · {link}" + (f' · <span class="ar" dir="rtl">{title}</span>' if title else "")),
    ]
    if plain(event.get(EXPLAIN)):
        rows.append(("Why here", esc(event.get(EXPLAIN))))
    corrected = corrected_lines(event)
    if "Type" in corrected:
        rows.insert(0, ("Type", f'{html.escape(type_label(etype))} <span class="corrected-mark">corrected</span>'))
    rows = [(k, v + (' <span class="corrected-mark">corrected</span>' if k in corrected and k != "Type" else ""))
            for k, v in rows]
    facts = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows)
    parts = [
        CSS, '<div class="ev-detail">',
        (f'<p><span class="type" style="background:{type_colour(etype)}">{html.escape(type_label(etype))}</span> '
         f'<code>{esc(event.get("event_id"))}</code></p>'),
        status_html(event, list(history)),
        ('<p class="background">Background report (history, a cumulative total or context): '
         "not in the headline totals.</p>" if _flag(event.get("background")) else ""),
        f"<dl>{facts}</dl>",
        f'<blockquote class="ar evidence-sentence" dir="rtl">{evidence_html(event, text, spans)}</blockquote>',
    ]
    if text:
        ev = _evidence_span(event)
        parts.append("<details><summary>Whole article</summary>"
                     f'<div class="ar article" dir="rtl">{article_html(text, spans, ev)}</div></details>')
    parts.append("</div>")
    return "".join(parts)


def _flag(value: object) -> bool:
    return value is not None and bool(pd.notna(value)) and bool(value)


def _evidence_span(event: Mapping) -> tuple[int, int] | None:
    start, end = event.get("evidence_start"), event.get("evidence_end")
    if pd.isna(start) or pd.isna(end):
        return None
    return int(start), int(end)


def event_line(event: Mapping) -> str:
    """A one-line description of an event (type, date, count, place) as plain text."""
    date = plain(event.get("event_date")) or "undated"
    count = f" · {int(event['count']):,} {plain(event.get('count_of'))}".rstrip() if pd.notna(event.get("count")) else ""
    place = plain(event.get("location_en")) or plain(event.get("location_ar")) or "not located"
    return f"{type_label(plain(event.get('event_type')) or 'other')} · {date}{count} · {place}"


def event_label(event: Mapping) -> str:
    """`event_line` Markdown-escaped, for button labels in lists of events."""
    return markdown_text(event_line(event))
