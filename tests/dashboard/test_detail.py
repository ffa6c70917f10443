"""The detail panel's HTML: escaping of untrusted text, highlighting, offsets that do not check out."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from dashboard import detail
from dashboard.detail import Span

ARTICLE = "قال ناشطون إن قوات النظام قصفت بلدة كفرنبل صباحا. وفي حماة اعتقلت دورية خمسة شبان."
SENTENCE = "وفي حماة اعتقلت دورية خمسة شبان."
S0 = ARTICLE.index(SENTENCE)
MENTIONS = json.dumps([
    {"start": ARTICLE.index("كفرنبل"), "end": ARTICLE.index("كفرنبل") + 6, "place_id": "P-kafr", "name_en": "Kafr Nabl",
     "kind": "town", "admin1": "Idleb"},
    {"start": ARTICLE.index("حماة"), "end": ARTICLE.index("حماة") + 4, "place_id": "P-hama", "name_en": "Hama",
     "kind": "city", "admin1": "Hama"},
], ensure_ascii=False)
EVENT = {"event_id": "ev-1", "event_type": "arrest", "event_date": "2013-05-02", "time_precision": 1, "count": 5,
         "count_text": "خمسة", "actors": "دورية أمنية;الأهالي", "place_id": "P-hama", "location_ar": "حماة",
         "location_en": "Hama", "kind": "city", "admin1": "Hama", "admin2": "Hama", "latitude": 35.13,
         "longitude": 36.75, "geo_precision": 1, "evidence": SENTENCE, "evidence_start": S0,
         "evidence_end": S0 + len(SENTENCE), "source": "Outlet", "url": "https://example.org/a", "title": "خبر"}
EVIL = '<script>alert(1)</script><img src=x onerror="alert(2)">'


class Tags(HTMLParser):
    """Collects the tags and attributes a browser would create from an HTML string."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append(tag)
        self.attrs += attrs


def marked(html: str, css: str) -> list[str]:
    return re.findall(rf'<mark class="{css}"[^>]*>(.*?)</mark>', html)


@pytest.mark.parametrize("text, spans, expected", [
    ("a<b>c", [], "a&lt;b&gt;c"),
    ("abcdef", [Span(1, 3)], 'a<mark class="place">bc</mark>def'),
    # out of range, empty and overlapping spans lose their mark, never the text
    ("abcdef", [Span(4, 99)], 'abcd<mark class="place">ef</mark>'),
    ("abcdef", [Span(-5, 2)], '<mark class="place">ab</mark>cdef'),
    ("abcdef", [Span(3, 3), Span(9, 12)], "abcdef"),
    ("abcdef", [Span(1, 4), Span(2, 5)], 'a<mark class="place">bcd</mark>ef'),
    ("x<y", [Span(0, 3, title='"><script>')], '<mark class="place" title="&quot;&gt;&lt;script&gt;">x&lt;y</mark>'),
])
def test_highlight(text, spans, expected) -> None:
    assert detail.highlight(text, spans) == expected


def test_event_panel_marks_the_event_place_in_evidence_and_every_place_in_the_article() -> None:
    article = {"text": ARTICLE, "mentions": MENTIONS}
    html = detail.event_html(EVENT, article)
    evidence = re.search(r'<blockquote class="ar evidence-sentence" dir="rtl">(.*?)</blockquote>', html).group(1)
    assert marked(evidence, "this-place") == ["حماة"] and marked(evidence, "place") == []
    assert marked(html, "place") == ["كفرنبل"]  # the other place, in the whole article
    assert html.count('<span class="evidence">') == 1
    for shown in ("Arrest", "2013-05-02 (precision: day)", "5 (", "خمسة", "دورية أمنية", "الأهالي", "Hama",
                  "named place", 'href="https://example.org/a"', "Whole article"):
        assert shown in html


def test_wrong_offsets_fall_back_to_the_place_name_in_the_sentence() -> None:
    shifted = {**EVENT, "evidence_start": S0 + 3}
    html = detail.evidence_html(shifted, ARTICLE, detail.mention_spans(MENTIONS, "P-hama"))
    assert marked(html, "this-place") == ["حماة"]
    assert detail.evidence_html(EVENT, None, []).count("<mark") == 1


@pytest.mark.parametrize("mentions", ["", "not json", "{}", json.dumps([{"start": "x"}, {"end": 3}])])
def test_bad_mentions_give_no_spans(mentions) -> None:
    assert detail.mention_spans(mentions, "P") == []


def test_untrusted_fields_render_as_text() -> None:
    text = f"خبر عاجل {EVIL} من حماة"
    evil = {**EVENT, "evidence": text, "evidence_start": 0, "evidence_end": len(text), "title": EVIL,
            "actors": EVIL, "source": EVIL, "location_ar": EVIL, "location_en": EVIL, "count_text": EVIL,
            "admin1": EVIL, "kind": EVIL, "url": "javascript:alert(3)", "event_type": EVIL}
    html = detail.event_html(evil, {"text": text, "mentions": json.dumps([{"start": 0, "end": 3, "name_en": EVIL}])})
    parsed = Tags(html)
    assert "script" not in parsed.tags and "img" not in parsed.tags
    assert not any(name.startswith("on") for name, _ in parsed.attrs)
    assert not any((value or "").startswith("javascript:") for _, value in parsed.attrs)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize("url, linked", [
    ("https://example.org/x?a=1&b=2", True), ("http://example.org", True),
    ("javascript:alert(1)", False), ("data:text/html,hi", False), (None, False), ("", False),
])
def test_safe_link(url, linked) -> None:
    assert ("<a href" in detail.safe_link(url, "link")) is linked


def test_event_without_place_date_or_count() -> None:
    bare = {"event_id": "e", "event_type": "other", "evidence": "نص", "event_date": None, "time_precision": None,
            "count": None, "latitude": None}
    html = detail.event_html(bare, None)
    assert "undated" in html and "not located" in html and "not stated" in html
    assert "Whole article" not in html


def test_nulls_never_show_as_words_and_the_article_starts_collapsed() -> None:
    nan = float("nan")
    row = {"event_id": "e", "event_type": "killing", "evidence": "قتل", "event_date": "2014-01-01",
           "time_precision": nan, "count": 21000.0, "count_of": "killed", "count_text": nan, "actors": nan,
           "latitude": 33.5, "longitude": 36.3, "location_ar": nan, "location_en": "Damascus", "admin1": nan,
           "admin2": nan, "kind": nan, "geo_precision": nan, "title": nan, "source": nan, "url": nan}
    html = detail.event_html(row, {"text": "قتل", "mentions": None, "title": nan})
    label = detail.event_label(row)
    for text in (re.sub(r"<[^>]+>", " ", html), label):
        assert not re.search(r"\b(nan|None|NaT)\b", text), text
    assert "21,000 killed" in html and "21,000 killed" in label.replace("\\", "")
    assert "<details>" in html and "<details open" not in html


def test_explain_and_background_are_shown_when_present() -> None:
    row = {"event_id": "e", "event_type": "defection", "evidence": "انشق", "latitude": None, "count": None,
           "explain": "<i>named</i> in the sentence", "background": True}
    html = detail.event_html(row, None)
    assert "Why here" in html and "&lt;i&gt;named&lt;/i&gt; in the sentence" in html
    assert "not in the headline totals" in html
    plain = detail.event_html({**row, "explain": None, "background": False}, None)
    assert "Why here" not in plain and "headline totals" not in plain
