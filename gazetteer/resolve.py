"""Step two of resolution: score the feature records with the weights table, then choose.

`span_score` is the one function that turns a span's `SpanFeatures` into a score in [0, 1];
`row_score` ranks the gazetteer rows of a chosen span from their `RowFeatures`. Both read every
number from `Weights` (gazetteer/data/weights.tsv). What stays in code are hard constraints: a
vetoed span (a person's name, a fixed expression) or a foreign name with nothing Syrian beside it
is not a place, and `حي الوعر` is not an admin unit that merely shares the name.
"""
from __future__ import annotations

import math

import numpy as np

from arabic.clitics import readings
from arabic.normalize import name_key
from arabic.tokens import Token
from gazetteer.candidates import ADMIN_UNIT_KINDS
from gazetteer.features import (_NO_POINT_KINDS, rows_info, SPAN_FEATURES, RowFeatures, Scored, SpanFeatures, closeness_of_rows,
                                cue_fields,
                                list_links, span_vector, with_list)
from gazetteer.index import NameIndex
from gazetteer.memo import Memo, on
from gazetteer.compose import facility_words, km_between
from gazetteer.lexicon import cue_of
from gazetteer.places import strip_articles
from gazetteer.weights import Weights


def span_score(f: SpanFeatures, w: Weights) -> float:
    """Belief in [0, 1] that the span is a place: a logistic model over `span_vector(f)` whose weights
    (`span_bias`, `span_<feature>`) `python -m gazetteer fit` fits. Hard constraints come first: a vetoed
    span, a cue announcing another kind of admin unit, a foreign name with nothing Syrian beside it."""
    if f.vetoed or f.cue_clash or (f.foreign and not (f.cue_kind or f.gov_after or (f.in_list and f.prominence < 0.5))):
        return 0.0  # hard_zero(f), inlined: this runs for every candidate
    # bias + sum(weight * x for x in span_vector(f) if x), term by term in SPAN_FEATURES order (so the sum
    # is the same to the last bit); tests/gazetteer/test_speed_paths.py checks it against span_vector.
    (bias, prior, multiword, fuzzy, region, clitic_other, cue, cue_kind, cue_nofit_common, prep, prep_prominent,
     in_list, gov_sentence, gov_after_fit, foreign, bare, bare_zipf) = w.many(_SCORE_WEIGHTS)
    z = bias
    if f.prior:
        z += prior * f.prior
    if f.n_words > 1:
        z += multiword
    match = f.match
    if match == "fuzzy":
        z += fuzzy
    elif match == "region":
        z += region
    if f.clitic and f.clitic not in ("و", "ف"):
        z += clitic_other
    has_cue = f.cue is not None
    if has_cue:
        z += cue
    if f.cue_kind:
        z += cue_kind
    if has_cue and not f.cue_kind and f.zipf >= 4.0:
        z += cue_nofit_common
    if f.prep:
        z += prep
        if f.prominence:
            z += prep_prominent * f.prominence
    if f.in_list:
        z += in_list
    if f.gov_sentence:
        z += gov_sentence
    if f.gov_after_fit:
        z += gov_after_fit
    if f.foreign:
        z += foreign
    if not (f.cue or f.prep or f.in_list or f.gov_after_fit or f.gov_sentence):
        z += bare
        if f.zipf:
            z += bare_zipf * (f.zipf / 8.0)
    return 1.0 / (1.0 + math.exp(-z)) if z > -30 else 0.0


def span_score_reference(f: SpanFeatures, w: Weights) -> float:
    """span_score written plainly over span_vector (what the fast one must equal)."""
    if hard_zero(f):
        return 0.0
    z = w.span_bias
    for wx, x in zip(w.many(_SPAN_WEIGHTS), span_vector(f)):
        if x:
            z += wx * x
    return 1.0 / (1.0 + math.exp(-z)) if z > -30 else 0.0


_SPAN_WEIGHTS = tuple(f"span_{name}" for name in SPAN_FEATURES)
_SCORE_WEIGHTS = ("span_bias", *_SPAN_WEIGHTS)


def hard_zero(f: SpanFeatures) -> bool:
    """The hand rules that stay: never a place, whatever the weights."""
    return bool(f.vetoed or f.cue_clash or (
        f.foreign and not (f.cue_kind or f.gov_after or (f.in_list and f.prominence < 0.5))))


def span_contributions(f: SpanFeatures, w: Weights) -> list[tuple[str, float]]:
    """What each feature added to the span model's log-odds, largest first (`--explain`)."""
    if hard_zero(f):
        return [("veto " + (f.vetoed or ("cue clash" if f.cue_clash else "abroad")), 0.0)]
    return sorted(span_terms(f, w), key=_by_size)


def span_terms(f: SpanFeatures, w: Weights) -> list[tuple[str, float]]:
    """(feature, weight * value) for each non-zero entry of span_vector(f), in SPAN_FEATURES order (spelt
    out like span_score; tests/gazetteer/test_speed_paths.py checks both against span_vector)."""
    (prior, multiword, fuzzy, region, clitic_other, cue, cue_kind, cue_nofit_common, prep, prep_prominent,
     in_list, gov_sentence, gov_after_fit, foreign, bare, bare_zipf) = w.many(_SPAN_WEIGHTS)
    out = []
    if f.prior:
        out.append(("prior", prior * f.prior))
    if f.n_words > 1:
        out.append(("multiword", multiword))
    if f.match == "fuzzy":
        out.append(("fuzzy", fuzzy))
    elif f.match == "region":
        out.append(("region", region))
    if f.clitic and f.clitic not in ("و", "ف"):
        out.append(("clitic_other", clitic_other))
    if f.cue is not None:
        out.append(("cue", cue))
    if f.cue_kind:
        out.append(("cue_kind", cue_kind))
    if f.cue is not None and not f.cue_kind and f.zipf >= 4.0:
        out.append(("cue_nofit_common", cue_nofit_common))
    if f.prep:
        out.append(("prep", prep))
        if f.prominence:
            out.append(("prep_prominent", prep_prominent * f.prominence))
    if f.in_list:
        out.append(("in_list", in_list))
    if f.gov_sentence:
        out.append(("gov_sentence", gov_sentence))
    if f.gov_after_fit:
        out.append(("gov_after_fit", gov_after_fit))
    if f.foreign:
        out.append(("foreign", foreign))
    if not (f.cue or f.prep or f.in_list or f.gov_after_fit or f.gov_sentence):
        out.append(("bare", bare))
        if f.zipf:
            out.append(("bare_zipf", bare_zipf * (f.zipf / 8.0)))
    return out


def _by_size(t: tuple[str, float]) -> float:
    return -abs(t[1])


def row_score(rf: RowFeatures, w: Weights) -> float:
    """How well a gazetteer row fits its span (only compared between the rows of one span)."""
    return (getattr(w, f"row_kind_{rf.kind}", 0.0) + w.row_prominence * rf.prominence
            + (w.row_cue_kind if rf.cue_kind else 0.0)
            + (w.row_gov_after if rf.gov_after else 0.0)
            + (w.row_sentence if rf.sentence else 0.0)
            + w.row_article * rf.article_share
            + w.row_near * rf.closeness)


def score_spans(scored: list[Scored], by_first: dict[int, list[Scored]], text: str, tokens: list[Token],
                idx: NameIndex, w: Weights) -> None:
    """Score every candidate, then let list membership travel: a member of an enumeration that
    holds a confident place (or follows a plural cue) is a place too; two passes let confidence
    travel along the list."""
    scores = span_scores(w)
    for s in scored:
        s.score = scores[s.f]
    links = list_links(scored, by_first, text, tokens)
    # Only a listed span or one after a plural cue can change (without either, in_list stays False).
    live = [(s, links[id(s)]) for s in scored
            if not s.f.vetoed and (links[id(s)] or (s.f.cue and s.f.cue.plural) or s.f.in_list)]
    strong_at = w.threshold + w.list_strong_margin
    for _ in range(2):
        changed = False
        for s, neighbours in live:
            f = s.f
            cue = f.cue
            if cue is None:  # `محافظتي حماة واللاذقية`, `بلدات أ، ب وج`: a plural cue covers the list
                for n in neighbours:
                    nc = n.f.cue
                    if nc and nc.plural and n.cand.last < s.cand.first:
                        cue = nc
                        break
            in_list = bool(cue and cue.plural)
            if not in_list:
                for n in neighbours:
                    if n.score >= strong_at and not n.f.vetoed:
                        in_list = True
                        break
            if cue is not f.cue:
                cf = cue_fields(cue, s.cand, idx)
                f = with_list(f, in_list, cf["cue"], cf["cue_kind"], cf["cue_clash"])
            elif in_list != f.in_list:
                f = with_list(f, in_list, f.cue, f.cue_kind, f.cue_clash)
            else:
                continue  # the same record: the same score
            s.f = f
            s.score = scores[f]
            changed = True
        if not changed:
            break  # a second pass would read the same records and scores


def span_scores(w: Weights) -> Memo:
    """record -> span_score(record, w), memoised with the weights: news repeats its records, the same names
    with the same evidence."""
    return w.memo("span_score", _span_score, limit=100_000)


def _span_score(w: Weights, f: SpanFeatures) -> float:
    return span_score(f, w)


def _by_last(scored: list[Scored]) -> dict[int, list[tuple[int, Scored]]]:
    """Candidates by last word, with their place in `scored` (list_neighbours keeps that order)."""
    out: dict[int, list[tuple[int, Scored]]] = {}
    for n, s in enumerate(scored):
        out.setdefault(s.cand.last, []).append((n, s))
    return out


def repeat_names(scored: list[Scored], idx: NameIndex, w: Weights) -> None:
    """One sense per discourse: a name accepted once in an article is accepted where it recurs.

    `مجندي النبك` need not repeat the `مدينة` that introduced النبك. Vetoed readings (a person's
    name, a fixed expression) stay out, and so does a common word with no evidence of its own:
    `مدينة الباب` once does not make `فتح الباب` a place.
    """
    best: dict[str, float] = {}
    threshold = w.threshold
    for s in scored:
        if s.score >= threshold and s.cand.match == "exact":
            key = s.cand.key
            if key not in best or s.score > best[key]:  # max(), spelt out (scores are >= 0)
                best[key] = s.score
    if not best:
        return
    zipf, common, repeat = idx.zipf, w.common_word, w.repeat
    for s in scored:
        f = s.f
        key = s.cand.key
        if (key in best and not f.vetoed and s.cand.match == "exact"
                and (zipf.get(key, 0.0) < common or f.cue or f.prep or f.in_list)):  # idx.commonness
            x = repeat * best[key]
            if x > s.score:
                s.score = x


def select(scored: list[Scored], w: Weights) -> list[Scored]:
    """Non-overlapping spans above the threshold: longer names first, then higher scores."""
    order = {"region": 0, "exact": 1, "fuzzy": 2}
    ranked = sorted((s for s in scored if s.score >= w.threshold),
                    key=lambda s: (-s.f.n_words, order[s.cand.match], -s.score, s.cand.start))
    taken: list[Scored] = []
    used = bytearray(max((s.cand.end for s in ranked), default=0))  # 1 for each character taken
    for s in ranked:
        a, b = s.cand.start, s.cand.end
        if 1 in used[a:b]:
            continue
        used[a:b] = b"\x01" * (b - a)
        taken.append(s)
    return sorted(taken, key=lambda s: s.cand.start)


def choose_rows(chosen: list[Scored], sentence_of: list[int], idx: NameIndex, w: Weights,
                words: list[Token] | None = None, text: str = "") -> None:
    """Pick the gazetteer row each chosen span names, using the article's other places. `words` and
    `text` (the block's tokens and normalised text) let a capital's name said to contain a quarter or a
    site, or to be so many km from a place, be the city even where the article speaks of the province."""
    anchors = [s for s in chosen if len(s.cand.rows) == 1 or s.cand.match == "region"]
    for s in anchors:
        s.row = s.cand.rows[0]
    art_admin1: dict[str, float] = {}
    sent_admin1: dict[int, set[str]] = {}
    info = rows_info(idx)
    for s in chosen:
        a1s = info[s.cand.rows][2]
        if len(a1s) == 1:
            a1 = next(iter(a1s))
            art_admin1[a1] = art_admin1.get(a1, 0.0) + (1.0 if s.row >= 0 else 0.5)
            sent_admin1.setdefault(sentence_of[s.cand.first], set()).add(a1)
    total = sum(art_admin1.values()) or 1.0
    art_share = {a1: x / total for a1, x in art_admin1.items()}
    lats, lons = idx.as_list("lat"), idx.as_list("lon")
    kind, admin1, prominence = idx.kind, idx.admin1, idx.as_list("prominence")
    # The spans the row model decides: the rest are settled by their cue first.
    scoring: list[tuple[Scored, tuple[int, ...]]] = []
    for s in chosen:
        if s.row >= 0:
            continue
        rows = s.cand.rows
        f = s.f
        if f.cue and not set(f.cue.kinds) & ADMIN_UNIT_KINDS:
            rows = tuple(r for r in rows if kind[r] not in ADMIN_UNIT_KINDS) or rows
        if len(rows) == 1:
            s.row = rows[0]
            continue
        # `منطقة الحولة`, `قرى وبلدات الحولة`: a named region rather than a same-name village when the
        # cue says region first, or counts the settlements of the place (a plural village/town cue).
        regional = [r for r in rows if kind[r] in _AREA_KINDS]
        if regional and f.cue and (f.cue.kinds[0] == "region" or (
                f.cue.plural and set(f.cue.kinds) <= {"town", "village", "city"})):
            s.row = regional[0]
            continue
        scoring.append((s, rows))
    # Closeness to the unambiguous places of every row the model reads, at once.
    near = closeness_of_rows(
        tuple({r for _, rows in scoring for r in rows if kind[r] not in _NO_POINT_KINDS}),
        [(lats[s.row], lons[s.row]) for s in anchors if kind[s.row] not in ("governorate", "region")],
        idx, w.near_km) if scoring else {}
    kind_bias = _row_kind_bias(w)
    w_prom, w_cue, w_gov, w_sent, w_art, w_near = w.many(_ROW_WEIGHTS)
    for s, rows in scoring:
        f = s.f
        sentence = sent_admin1.get(sentence_of[s.cand.first], set())
        cue_kinds = f.cue.kinds if f.cue else ()
        best, best_score = -1, 0.0
        for r in rows:  # row_score(row_features(...)), term by term in the same order
            k, a1 = kind[r], admin1[r]
            x = (kind_bias.get(k, 0.0) + w_prom * prominence[r]
                 + (w_cue if k in cue_kinds else 0.0)
                 + (w_gov if f.gov_after == a1 else 0.0)
                 + (w_sent if a1 in sentence else 0.0)
                 + w_art * art_share.get(a1, 0.0)
                 + w_near * (0.0 if k in _NO_POINT_KINDS else near[r]))
            if best < 0 or x > best_score:
                best, best_score = r, x
        s.row = best
    # A city and its governorate are two referents: a bare name is the city unless the words
    # around it say governorate (`محافظة حماة`, a plural `محافظتي`), which the cue does above.
    # The article's plain `ريف X` (no direction) is the governorate, and so is its bare `X`: one referent.
    # So is it when the article calls it `محافظة X` and never `مدينة X`: the text speaks of the province.
    rif_plain = {s.cand.region[0] for s in chosen if s.cand.match == "region" and s.cand.region[1] is None}
    gov_cued, city_cued = set(), set()
    for s in chosen:
        cue = s.f.cue
        if cue and s.cand.match != "region" and info[s.cand.rows][3]:  # a container among them
            a1 = idx.admin1[s.row]
            if "city" in cue.kinds:
                city_cued.add(a1)
            elif "governorate" in cue.kinds:
                gov_cued.add(a1)
    rif_plain |= gov_cued - city_cued
    is_capital = idx.as_list("is_capital")
    sites: list[frozenset[int]] = []  # the last words of the quarters and sites chosen (made when first needed)
    for s in chosen:
        cue = s.f.cue
        if idx.kind[s.row] in ADMIN_UNIT_KINDS and not (cue and set(cue.kinds) & ADMIN_UNIT_KINDS):
            s.row = idx.seat_of.get(s.row, s.row)
        elif s.cand.match != "region" and (idx.kind[s.row] == "governorate" or is_capital[s.row]):
            if cue and "governorate" in cue.kinds and "city" not in cue.kinds:
                want = "governorate"
            elif (cue and "city" in cue.kinds) or (words is not None and _city_by_context(s, chosen, words, text, idx, sites)):
                want = "city"
            else:
                want = "governorate" if idx.admin1[s.row] in rif_plain else "city"
            s.row = _sense_row(idx, s.cand.rows, s.row, want)
    _short_region_names(chosen, idx)
    at = {s.cand.first: s for s in chosen}
    for s in chosen:
        if _said_elsewhere(s, idx, w) or (words is not None and _not_that_far(s, at, words, idx, w)):
            s.score = 0.0


def _said_elsewhere(s: Scored, idx: NameIndex, w: Weights) -> bool:
    """Whether the text places the span somewhere its row is not, so that the text means a namesake the
    gazetteer lacks: `جبهة X في ريف حماة الشمالي` found well in the south of Hama, or a minor place
    said to lie in a governorate (`قرية X في ريف الحسكة`) over gov_slack_km from every place of it (a
    well-known one, `مطار الثعلة في محافظة حمص`, is the writer's slip)."""
    gov, r = s.f.gov_after, s.row
    if not gov:
        return False
    if idx.admin1[r] == gov:
        return bool(s.f.gov_part) and not _in_part(r, s.f.gov_part, idx, w)
    return idx.kind[r] not in _AREA_KINDS and idx.prominence[r] < w.isolated_prominence \
        and _km_outside(r, gov, idx) > w.gov_slack_km


def _not_that_far(s: Scored, at: dict[int, Scored], words: list[Token], idx: NameIndex, w: Weights) -> bool:
    """Whether a minor place is followed by a distance from another place it does not lie at (`قرية X (40 كلم
    غرب دير الزور)` with the gazetteer's X 400 km away): the text means a namesake the gazetteer lacks."""
    k = s.cand.last + 1
    if k + 3 >= len(words) or s.row < 0 or idx.prominence[s.row] >= w.isolated_prominence \
            or not words[k].text.isdigit() or words[k + 1].text not in _DISTANCE_UNITS or words[k + 2].text not in _BEARINGS:
        return False
    ref = at.get(k + 4 if k + 3 < len(words) and words[k + 3].text in _BEARINGS else k + 3)  # `شمال غرب X`
    if ref is None or ref.row < 0 or ref.cand.match == "region":
        return False
    stated = int(words[k].text)
    return abs(km_between(idx, s.row, ref.row) - stated) > max(w.gov_slack_km, stated / 2)


def _points_of_admin1(idx: NameIndex, admin1: str) -> tuple[np.ndarray, np.ndarray]:
    """The latitudes and longitudes of a governorate's rows (memoised per index by `_km_outside`)."""
    inside = np.fromiter((a == admin1 for a in idx.admin1), bool, len(idx.admin1))
    return idx.lat[inside], idx.lon[inside]


def _km_outside(r: int, admin1: str, idx: NameIndex) -> float:
    """How far row r lies from the nearest place of a governorate in the gazetteer (0 for a row in it)."""
    if idx.admin1[r] == admin1:
        return 0.0
    lat, lon = on(idx, "_points_of_admin1", _points_of_admin1, idx)[admin1]
    dy, dx = lat - idx.lat[r], (lon - idx.lon[r]) * math.cos(math.radians(idx.lat[r]))
    return float(np.sqrt(dy * dy + dx * dx).min() * 111.32) if len(lat) else math.inf


_AREA_KINDS = frozenset({"region", "mountain", "valley"})


_WITHIN = frozenset(name_key(x) for x in ("في", "داخل", "وسط"))
_BEARINGS = frozenset(name_key(x) for x in ("شمال", "جنوب", "شرق", "غرب", "شمالي", "جنوبي", "شرقي", "غربي"))
_DISTANCE_UNITS = frozenset(name_key(x) for x in ("كم", "كلم", "كيلومتر", "كيلومترات", "كيلومترا", "كيلو"))
_CLAUSE_STOP = frozenset(".،,:؛;!?؟()[]\"«»“”\n")


def _city_by_context(s: Scored, chosen: list[Scored], words: list[Token], text: str, idx: NameIndex,
                     sites: list[frozenset[int]]) -> bool:
    """Whether a capital's name is the city by the words before it: a quarter or a site said to lie in it
    (`حي الخالدية في حمص`, `أحياء بدمشق`, `شارع الدبلان في حمص`: a quarter lies in a city, not in a
    province; a military unit, `اللواء 47 في حماة`, need not), or a distance from it (`40 كلم غرب دير الزور`:
    distances run from a point). `sites`: where to keep the last words of the chosen quarters and sites."""
    k = s.cand.first
    if k >= 2 and words[k - 1].text in _BEARINGS and words[k - 2].text in _DISTANCE_UNITS:
        return True
    if s.cand.clitic.endswith("ب"):
        end = k
    elif k and words[k - 1].text in _WITHIN:
        end = k - 1
    else:
        return False
    for j in range(end - 1, max(end - 4, -1), -1):
        if any(ch in _CLAUSE_STOP for ch in text[words[j].end:words[j + 1].start]):
            return False
        word = words[j].text
        cue = cue_of(word)
        if (cue is not None and cue.kinds[0] == "neighbourhood") or any(
                facility_words().get(st) == "name" for _, st in readings(word)):
            return True
        if not sites:
            sites.append(frozenset(x.cand.last for x in chosen if x.row >= 0 and x.cand.match != "region"
                                   and idx.kind[x.row] in ("neighbourhood", "landmark")))
        if j in sites[0]:
            return True
    return False


def _sense_row(idx: NameIndex, rows: tuple[int, ...], row: int, want: str) -> int:
    """The row of `rows` in row's governorate that is the governorate itself (`want` "governorate") or its
    capital (else), or row when none is; memoised per index."""
    memo = idx.__dict__.get("_sense_rows")
    if memo is None:
        memo = idx.__dict__["_sense_rows"] = {}
    hit = memo.get((rows, row, want))
    if hit is None:
        hit = next((r for r in rows if idx.admin1[r] == idx.admin1[row] and (
            idx.kind[r] == "governorate" if want == "governorate" else idx.is_capital[r])), row)
        if len(memo) < 200_000:
            memo[(rows, row, want)] = hit
    return hit


def _short_region_names(chosen: list[Scored], idx: NameIndex) -> None:
    """One sense per discourse for a shortened region name: where an article names one region
    `الغوطة الشرقية`, its bare `الغوطة` (or `غوطة دمشق`, the same wider row) is that region, not a second
    referent; with two such regions named (`الشرقية` and `الغربية`) the wider one stays."""
    named = {s.row for s in chosen if s.cand.match != "region" and s.row >= 0 and idx.kind[s.row] in _AREA_KINDS}
    if len(named) < 2:
        return
    for s in chosen:
        if s.cand.match == "region" or s.row not in named:
            continue
        short = strip_articles(idx.name_ar[s.row])
        longer = [r for r in named if r != s.row and strip_articles(idx.name_ar[r]).startswith(short + " ")]
        if len(longer) == 1:
            s.row = longer[0]


_ROW_WEIGHTS = ("row_prominence", "row_cue_kind", "row_gov_after", "row_sentence", "row_article", "row_near")


def _row_kind_bias(w: Weights) -> dict[str, float]:
    """row_kind_<kind> of every kind the weights name (0 for the others); made once per weights."""
    memo = w.memo("row_kind_bias")
    if not memo:
        memo.update({name.removeprefix("row_kind_"): v for name, v in w.items() if name.startswith("row_kind_")})
    return memo


def _in_part(r: int, part: str, idx: NameIndex, w: Weights) -> bool:
    """Whether row r lies in that compass part of its governorate (halves/quadrants about the
    capital, as `ريف X الشمالي` means; part_slack degrees to spare: `northern` is not sharp)."""
    from gazetteer.admin import DIRECTIONS

    if part not in DIRECTIONS:
        return True
    clat, clon = idx.region_centres.get(idx.admin1[r]) or idx.region_points[(idx.admin1[r], None)]
    sx, sy = DIRECTIONS[part]
    return ((sx == 0 or sx * (idx.lon[r] - clon) >= -w.part_slack)
            and (sy == 0 or sy * (idx.lat[r] - clat) >= -w.part_slack))


def drop_isolated(chosen: list[Scored], idx: NameIndex, w: Weights) -> list[Scored]:
    """Drop minor places with no strong evidence that lie far from the article's other places.

    A text's only name needs some evidence of its own (`لدغت عقرب طفلا`: no cue, no preposition).
    A word that happens to be a village name (`المقتلة` the carnage, `بجروح` with wounds) is only
    believed when something supports it: a cue word, a list, a governorate named beside it,
    prominence, or the article's geography (another place within ~50 km). A one-letter match
    (fuzzy) must fit the article's geography whenever the article names other places, and always
    the kind its cue word announces.
    """
    keys = {s.cand.key for s in chosen}
    by_key: dict[str, tuple[list[tuple[float, float]], set[str]]] | None = None  # made when first needed
    prominence, lats, lons = idx.as_list("prominence"), idx.as_list("lat"), idx.as_list("lon")
    kept = []
    for s in chosen:
        r = s.row
        f = s.f
        fuzzy = s.cand.match == "fuzzy"
        if fuzzy and f.cue and idx.kind[r] not in f.cue.kinds:
            continue
        evidence = s.cand.match == "region" or f.cue or f.in_list or f.gov_after or f.prep or f.gov_sentence
        if (len(keys) == 1 and (evidence or prominence[r] >= w.isolated_prominence)) or not fuzzy and (
                s.cand.match == "region" or f.cue or f.in_list or f.gov_after
                or prominence[r] >= w.isolated_prominence):
            kept.append(s)
            continue
        if by_key is None:
            # Points and governorates of the article's places, grouped by name, so that "the others" of
            # a mention (every other name) costs a lookup, not a pass over the article.
            by_key = {k: ([], set()) for k in keys}
            for o in chosen:
                pts, a1s = by_key[o.cand.key]
                a1s.add(idx.admin1[o.row])
                if idx.kind[o.row] != "governorate" and o.cand.match != "region":
                    pts.append((lats[o.row], lons[o.row]))
        others = [v for k, v in by_key.items() if k != s.cand.key]
        pts = [p for v in others for p in v[0]]
        if not pts or math.isnan(pts[0][0]) or (fuzzy and f.gov_after):
            near = idx.admin1[r] in {a for v in others for a in v[1]}
        else:
            near = closeness_of_rows((r,), pts, idx, w.near_km)[r] > w.isolated_near  # = closeness(...)
        if near:
            kept.append(s)
    return kept
