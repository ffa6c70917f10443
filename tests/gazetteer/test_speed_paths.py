"""The geoparser's fast paths give exactly what the plain definitions give.

Scoring is spelt out term by term (span_score, span_terms, the row choice) and the word scans visit
only the words gazetteer.scan marks; each is compared here with its plain form on the bundled seed
articles and on sentences of our own.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from arabic import analyse
from gazetteer.candidates import exact_candidates, region_candidates
from gazetteer.compose import compose
from gazetteer.features import (SPAN_FEATURES, closeness, closeness_of_rows, fixed_expression_tokens,
                                list_links, list_neighbours, span_vector)
from gazetteer.geoparser import _place_slots, default
from gazetteer.resolve import _by_last, select, span_contributions, span_score, span_score_reference
from gazetteer.scan import CUE, EXACT, EXPRESSION, REGION, having, word_roles

ROOT = Path(__file__).resolve().parents[2]

OWN = [
    "قصفت قوات النظام بلدات كفرنبل وحاس وكفرومة في ريف إدلب الجنوبي، فيما دارت اشتباكات في حي الوعر بحمص.",
    "أفاد ناشطون بسقوط قذائف على مشفى دار الشفاء في مدينة حلب وعلى الريف الشمالي لدرعا.",
    "انشق النقيب ناجي مصطفى عن حزب البعث في جنوب شرقي إدلب، وقال إن محافظتي حماة واللاذقية تشهدان هدوءاً.",
    "وصلت تعزيزات إلى مطار التيفور العسكري وإلى القطاع الشرقي من ريف درعا وريفي إدلب وحماة الشمالي.",
    "",
    "في",
]


def texts() -> list[str]:
    return OWN + [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]


@pytest.fixture(scope="module")
def gp():
    return default()


@pytest.mark.parametrize("text", texts())
def test_scans_of_marked_words_equal_full_scans(gp, text):
    doc = analyse(text)
    words, idx = doc.tokens, gp.index
    roles = word_roles(words, idx)
    assert exact_candidates(doc.ntext, words, idx, having(roles, EXACT)) == exact_candidates(doc.ntext, words, idx)
    assert region_candidates(doc.ntext, words, idx, having(roles, REGION)) == region_candidates(doc.ntext, words, idx)
    assert fixed_expression_tokens(words, having(roles, EXPRESSION)) == fixed_expression_tokens(words)
    scored, ctx = gp.candidates(doc)
    assert _place_slots(scored, doc.ntext, words, having(roles, CUE)) == _place_slots(scored, doc.ntext, words)
    chosen = gp.resolve(doc)
    expressions = ctx["expressions"]
    assert compose(chosen, doc.ntext, words, doc.sentence_of, idx, expressions, roles) == \
        compose(chosen, doc.ntext, words, doc.sentence_of, idx, expressions)


@pytest.mark.parametrize("text", texts() + ["وصلوا إلى كفر زيتا ثم إلى تل أبيض وعين العرب ودير الزور والحسكة"])
def test_exact_candidates_stop_early_only_where_nothing_is_found(gp, text, monkeypatch):
    """The early stop (`_extendable`) loses no candidate: the same as trying every run of up to max_words words."""
    import copy

    from gazetteer import candidates

    doc = analyse(text)
    fast = exact_candidates(doc.ntext, doc.tokens, gp.index)
    idx = copy.copy(gp.index)
    idx.__dict__ = {k: v for k, v in gp.index.__dict__.items() if k != "_phrases"}  # no memo of the early stop
    monkeypatch.setattr(candidates, "_extendable", lambda key, idx: True)
    assert fast == exact_candidates(doc.ntext, doc.tokens, idx)


@pytest.mark.parametrize("text", texts())
def test_scores_equal_the_plain_model(gp, text):
    w = gp.weights
    scored, _ = gp.candidates(analyse(text))
    for s in scored:
        assert span_score(s.f, w) == span_score_reference(s.f, w)
        plain = [(name, w[f"span_{name}"] * x) for name, x in zip(SPAN_FEATURES, span_vector(s.f)) if x]
        if span_score_reference(s.f, w) > 0:
            assert span_contributions(s.f, w) == sorted(plain, key=lambda t: -abs(t[1]))


@pytest.mark.parametrize("text", texts())
def test_list_neighbours_by_last_word_equal_the_scan(gp, text):
    doc = analyse(text)
    scored, _ = gp.candidates(doc)
    by_first: dict = {}
    for s in scored:
        by_first.setdefault(s.cand.first, []).append(s)
    by_last = _by_last(scored)
    links = list_links(scored, by_first, doc.ntext, doc.tokens)
    for s in scored:
        plain = list_neighbours(s, by_first, doc.ntext, doc.tokens)
        assert list_neighbours(s, by_first, doc.ntext, doc.tokens, by_last) == plain
        assert links[id(s)] == plain


@pytest.mark.parametrize("text", texts())
def test_closeness_of_rows_at_once_equals_row_by_row(gp, text):
    import numpy as np

    idx, w = gp.index, gp.weights
    scored, _ = gp.candidates(analyse(text))
    chosen = select(scored, w)
    single = [s.cand.rows[0] for s in chosen if len(s.cand.rows) == 1 and idx.kind[s.cand.rows[0]] != "governorate"]
    pts = np.array([(idx.lat[r], idx.lon[r]) for r in single] or [(np.nan, np.nan)])
    rows = tuple({r for s in scored for r in s.cand.rows})
    near = closeness_of_rows(rows, pts, idx, w.near_km) if rows else {}
    for r in rows:
        assert near[r] == closeness(idx.lat[r], idx.lon[r], pts, w.near_km)
    as_pairs = closeness_of_rows(rows, [(float(a), float(b)) for a, b in pts], idx, w.near_km) if rows else {}
    assert as_pairs == near


def test_closeness_of_rows_equals_row_by_row_to_the_last_bit(gp):
    """Plain-Python distances and one np.exp give numpy's numbers exactly, over random rows and points."""
    import random

    import numpy as np

    idx, rng = gp.index, random.Random(7)
    for _ in range(300):
        rows = tuple(rng.sample(range(len(idx.kind)), rng.randint(1, 25)))
        pts = np.array([(idx.lat[r], idx.lon[r]) for r in rng.sample(range(len(idx.kind)), rng.randint(1, 10))])
        near_km = rng.choice([7.5, 40.0, 100.0])
        near = closeness_of_rows(rows, [(float(a), float(b)) for a, b in pts], idx, near_km)
        assert all(near[r] == closeness(idx.lat[r], idx.lon[r], pts, near_km) for r in rows)
    assert closeness_of_rows((0, 1), [], idx, 40.0) == {0: 0.0, 1: 0.0}


def test_geoparsing_imports_no_table_or_geometry_library():
    """Run time reads the cached index: no pandas, geopandas or shapely (cold start)."""
    import subprocess
    import sys

    code = ("import sys; from gazetteer.geoparser import geoparse; "
            "ms = geoparse('قصفت قوات النظام بلدة كفرنبل في ريف إدلب الجنوبي'); assert ms; "
            "print(sorted(m for m in ('pandas', 'geopandas', 'shapely', 'pyarrow') if m in sys.modules))")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True, text=True)  # warm the cache
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True, text=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("text", texts())
def test_mentions_equal_the_plain_construction(gp, text):
    """_mention (per-row memo, memoised `why`, slot-by-slot construction) gives what the plain fields give."""
    from gazetteer.geoparser import _mention, _region
    from gazetteer.mention import Mention

    idx, w = gp.index, gp.weights
    doc = analyse(text)
    for _ in range(2):  # the second time from the memos
        for s in gp.resolve(doc):
            r = s.row
            place_id, kind, name_ar, name_en = idx.place_id[r], idx.kind[r], idx.name_ar[r], idx.name_en[r]
            lat, lon = float(idx.lat[r]), float(idx.lon[r])
            if s.cand.match == "region":
                place_id, kind, name_ar, name_en, lat, lon = _region(s.cand.region, r, idx)
            if kind == "governorate":
                lat, lon = idx.region_centres.get(idx.admin1[r], (lat, lon))
            start, end = doc.norm.span(s.cand.start, s.cand.end)
            why = tuple([(n, round(v, 3)) for n, v in span_contributions(s.f, w)[:4]] + [("score", round(s.score, 3))])
            plain = Mention(start=start, end=end, text=doc.text[start:end], place_id=place_id, name_ar=name_ar,
                            name_en=name_en, kind=kind, admin1=idx.admin1_en[r], lat=lat, lon=lon,
                            score=round(s.score, 3), admin2=idx.admin2_en[r], admin1_ar=idx.admin1_ar[r],
                            admin2_ar=idx.admin2_ar[r], nstart=s.cand.start, nend=s.cand.end, why=why)
            made = _mention(s, doc.norm, idx, w)
            assert made == plain and repr(made) == repr(plain) and hash(made) == hash(plain)


def test_geoparsing_makes_no_reference_cycles_and_leaves_the_collector_as_it_was(gp):
    """The geoparser pauses the cyclic collector for a call: it must leave no cyclic garbage behind, and the
    collector enabled or disabled as it found it."""
    import gc

    for text in texts():
        gp.geoparse(text)  # memos filled, lazy imports done
    gc.collect()
    for text in texts():
        assert gp.geoparse(text) is not None and gc.isenabled()
    assert gc.collect() == 0  # nothing unreachable: no cycle was made
    gc.disable()
    try:
        gp.geoparse(texts()[0])
        assert not gc.isenabled()
    finally:
        gc.enable()
