"""geoparse(text) -> the Syrian places a text names, resolved, with spans into the original text.

Pipeline: normalise (keeping an offset map) -> words -> candidates (exact, region, fuzzy in
place slots) -> evidence and scores -> non-overlapping spans -> one gazetteer row each ->
Mentions. A name the gazetteer lacks simply yields no candidate; it never disturbs the rest.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from arabic import Doc, analyse
from arabic.normalize import Normalized
from arabic.tokens import Token
from gazetteer import weights as weights_table
from gazetteer.admin import PART_CODES
from gazetteer.compose import Composed, compose, composed_id
from gazetteer.candidates import (Candidate, exact_candidates, fuzzy_candidates, fuzzy_memo, fuzzy_readings,
                                   region_candidates)
from gazetteer.features import (Scored, SpanFeatures, context_evidence, fixed_expression_tokens, list_adjacent, local_fields,
                                prior_features)
from gazetteer.index import FUZZY_MIN_LEN, NameIndex, get_index
from gazetteer.lexicon import cue_of, cues, direction_names
from gazetteer.mention import Mention, make_mention
from gazetteer.scan import CUE, EXACT, EXPRESSION, REGION, having, with_roles, word_roles
from gazetteer.resolve import choose_rows, drop_isolated, repeat_names, score_spans, select, span_contributions
from gazetteer.weights import Weights

_COMPASS_EN = {"north": "northern", "south": "southern", "east": "eastern", "west": "western",
               "northeast": "north-eastern", "northwest": "north-western", "southeast": "south-eastern",
               "southwest": "south-western", "centre": "central"}
BLOCK_CHARS = 100_000


class Geoparser:
    """A gazetteer (name index) and a weights table, loaded once; call it on texts or Docs.

    Both are injectable: a test can pass a small index (`index.build_index(small_table)`) or
    other weights (`weights.load(path)`, `Weights.replace(...)`); by default the full ones.
    """

    def __init__(self, index: NameIndex | None = None, weights: Weights | None = None):
        self.index = index if index is not None else get_index()
        self.weights = weights if weights is not None else weights_table.load()
        self._priors: dict[tuple, SpanFeatures] = {}  # prior records by what they depend on (news repeats names)
        self._dead: dict[str, bool] = {}  # word -> whether it makes only hopeless candidates (`_is_dead`)

    def __call__(self, text: str | Doc) -> list[Mention]:
        return self.geoparse(text)

    def geoparse(self, text: str | Doc) -> list[Mention]:
        """Every Syrian place mentioned in a text (or an analysed `Doc`), in order, scored in [0, 1].

        A text longer than BLOCK_CHARS (no news article is) is read in blocks of words cut at line
        breaks, so a 10 MB dump costs linear time; article-level context then holds within a block.
        """
        if isinstance(text, Doc):
            doc = text
        elif not text or not isinstance(text, str):
            return []
        else:
            doc = analyse(text)
        out: list[Mention] = []
        for lo, hi in _blocks(doc):
            out += self._block(doc, lo, hi)
        return out

    def _block(self, doc: Doc, lo: int, hi: int) -> list[Mention]:
        idx, w = self.index, self.weights
        resolved, ctx = self._resolve(doc, lo, hi)
        chosen = [s for s in drop_isolated(resolved, idx, w) if s.score >= w.threshold]
        words = ctx["words"]
        composed = compose(chosen, doc.ntext, words, ctx["sentence_of"], idx, ctx["expressions"], ctx["roles"],
                           ctx["some"])
        if not composed:  # chosen is in text order, and so are its mentions
            return [_mention(s, doc.norm, idx, w) for s in chosen]
        out = [_composed_mention(c, doc.norm, idx, w) for c in composed]
        taken = [(c.start, c.end) for c in composed]
        lo, hi = min(b for b, _ in taken), max(e for _, e in taken)  # a span outside overlaps none
        out += [_mention(s, doc.norm, idx, w) for s in chosen
                if s.cand.end <= lo or hi <= s.cand.start
                or not any(s.cand.start < e and b < s.cand.end for b, e in taken)]
        return sorted(out, key=lambda m: m.start)

    def candidates(self, doc: Doc, lo: int = 0, hi: int | None = None) -> tuple[list[Scored], dict]:
        """Step one: every candidate span of tokens [lo, hi) with its features record, scored."""
        idx, w = self.index, self.weights
        hi = len(doc.tokens) if hi is None else hi
        ntext = doc.ntext
        words = doc.tokens
        # The Doc's sentence numbers when a stage has made them, else each asked word's, found when asked:
        # the geoparser asks for the words of its candidates only.
        sentence_of = doc.__dict__.get("sentence_of") or SentenceNumbers(words, doc.sentences)
        if lo or hi < len(words):  # a block of a long text (else the Doc's own lists, which nothing changes)
            words, sentence_of = words[lo:hi], [sentence_of[k] for k in range(lo, hi)]
        roles = word_roles(words, idx)
        some = with_roles(roles)
        cands = exact_candidates(ntext, words, idx, self._worth_matching(words, roles, having(roles, EXACT, some))) + \
            region_candidates(ntext, words, idx, having(roles, REGION, some))
        scored = self._with_priors(cands, words)
        covered = {k for s in scored if s.f.prior >= w.threshold for k in range(s.cand.first, s.cand.last + 1)}
        cue_at = having(roles, CUE, some)
        # Only words fuzzy_candidates would make a candidate of: uncovered, with a one-edit match.
        known = fuzzy_memo(idx, w.typo_max_zipf)

        def maybe(k: int) -> bool:
            word = words[k].text
            if len(word) < FUZZY_MIN_LEN:
                return False
            found = known.get(word)
            if found is None:
                found = fuzzy_readings(word, idx, w.typo_max_zipf)
            return bool(found)

        slots = _place_slots(scored, ntext, words, cue_at, maybe, covered)
        fuzzy = fuzzy_candidates(words, slots, covered, idx, w.typo_max_zipf)
        scored += self._with_priors(fuzzy, words)
        expressions = fixed_expression_tokens(words, having(roles, EXPRESSION, some))
        tanween = _tanween_words(doc, words, {s.cand.first for s in scored if s.cand.last == s.cand.first})
        local = [local_fields(s.f, s.cand, ntext, words, expressions, idx, tanween) for s in scored]
        by_first = context_evidence(scored, ntext, words, sentence_of, idx, local)
        score_spans(scored, by_first, ntext, words, idx, w)
        repeat_names(scored, idx, w)
        return scored, {"words": words, "sentence_of": sentence_of, "roles": roles, "some": some,
                        "expressions": expressions}

    def resolve(self, doc: Doc, lo: int = 0, hi: int | None = None) -> list[Scored]:
        """Steps one and two: the chosen, non-overlapping spans with their rows (before the isolation check)."""
        return self._resolve(doc, lo, hi)[0]

    def _resolve(self, doc: Doc, lo: int, hi: int | None) -> tuple[list[Scored], dict]:
        scored, ctx = self.candidates(doc, lo, hi)
        chosen = select(scored, self.weights)
        choose_rows(chosen, ctx["sentence_of"], self.index, self.weights, ctx["words"], doc.ntext)
        return chosen, ctx

    def _worth_matching(self, words: list[Token], roles: list[int], where: list[int]) -> list[int]:
        """The words of `where` (exact-match words) less those that would only make hopeless one-word candidates,
        which `_with_priors` drops (`على`, `الأسد`): not after a cue word, and no reading that names a place
        well enough or opens a longer name."""
        dead = self._dead
        flags = [dead.get(words[i].text) for i in where]
        if None in flags:
            for n, i in enumerate(where):
                if flags[n] is None:
                    flags[n] = self._is_dead(words[i].text)
        if not any(flags):
            return where
        return [i for i, x in zip(where, flags) if not x or (i and roles[i - 1] & CUE)]

    def _is_dead(self, word: str) -> bool:
        """Whether every reading of a word (exact_candidates) makes at most a one-word candidate with a hopeless
        prior (memoised per word)."""
        idx, w = self.index, self.weights
        cue_words = cues()
        dead = True
        for off, stem, rows, opens_name in idx.readings(word):
            if opens_name:
                dead = False
            elif rows and stem not in cue_words:
                c = Candidate(0, 0, off, len(word), stem, rows, "exact", word[:off])
                if prior_features(c, word, idx, w).prior > w.hopeless:
                    dead = False
            if not dead:
                break
        if len(self._dead) < 200_000:
            self._dead[word] = dead
        return dead

    def _with_priors(self, cands: list[Candidate], words: list[Token]) -> list[Scored]:
        """Candidates with their prior; hopeless ones (`على`, `إلى` with no cue word before) are dropped."""
        out = []
        idx, w = self.index, self.weights
        memo, hopeless = self._priors, w.hopeless
        for c in cands:
            whole = words[c.first].text
            key = (c.match, c.key, c.clitic, c.last - c.first, c.distance, whole)
            f = memo.get(key)
            if f is None:
                f = prior_features(c, whole, idx, w)
                if len(memo) < 200_000:
                    memo[key] = f
            if f.prior > hopeless or _after_cue(words, c.first):
                out.append(Scored(c, f))
        return out


@lru_cache(maxsize=1)
def default() -> Geoparser:
    """The geoparser over the whole gazetteer and the weights file, built on first use."""
    return Geoparser()


def geoparse(text: str | Doc) -> list[Mention]:
    """Every Syrian place mentioned in a text (or an analysed `Doc`), with the default geoparser."""
    return default().geoparse(text)


class SentenceNumbers:
    """`Doc.sentence_of` read lazily: word k's sentence number, worked out (and kept) when first asked."""

    __slots__ = ("_tokens", "_ends", "_known")

    def __init__(self, tokens: list[Token], sentences: list) -> None:
        self._tokens = tokens
        self._ends = [s.end for s in sentences]
        self._known: dict[int, int] = {}

    def __getitem__(self, k: int) -> int:
        hit = self._known.get(k)
        if hit is None:
            hit = self._known[k] = bisect_left(self._ends, self._tokens[k].end)  # arabic.sentences.sentence_of_tokens
        return hit

    def __len__(self) -> int:
        return len(self._tokens)


def _blocks(doc: Doc) -> list[tuple[int, int]]:
    """Token ranges [lo, hi) of at most about BLOCK_CHARS each, cut after a line break when there is one."""
    text, tokens = doc.ntext, doc.tokens
    out, pos, lo = [], 0, 0
    while len(text) - pos > BLOCK_CHARS:
        cut = text.rfind("\n", pos + BLOCK_CHARS // 2, pos + BLOCK_CHARS)
        cut = cut + 1 if cut > 0 else pos + BLOCK_CHARS
        hi = doc.tok_index(cut)
        out.append((lo, hi))
        pos, lo = cut, hi
    out.append((lo, len(tokens)))
    return out


_TANWEEN_MARK = re.compile("[\u064b\u064c\u064d]")


def _tanween_words(doc: Doc, words: list[Token], which: set[int]) -> frozenset[int]:
    """Those of the words `which` that the ORIGINAL text writes with tanween (`دوماً`): the
    normalised text has dropped the mark, the original keeps it."""
    text = doc.text
    if "\u064b" not in text and "\u064c" not in text and "\u064d" not in text:
        return frozenset()
    out = set()
    index = doc.norm.index
    search = _TANWEEN_MARK.search
    for k in which:
        a, b = index[words[k].start], index[words[k].end - 1] + 1  # doc.norm.span
        if search(text, a, b + 1):  # a mark in text[a:b + 1]
            out.add(k)
    return frozenset(out)


def _after_cue(words: list[Token], i: int) -> bool:
    return i > 0 and cue_of(words[i - 1].text) is not None


def _place_slots(scored: list[Scored], ntext: str, words: list[Token], cue_at: list[int] | None = None,
                 wanted=None, skip: set[int] = frozenset()) -> set[int]:
    """Words where a place is expected: after a cue word, or next to a candidate place in a list.
    `cue_at`: the cue words (gazetteer.scan's CUE), by default found here; `wanted(k)`: whether word k
    is worth testing as a list member at all (by default every word is); `skip`: words that are not."""
    if cue_at is None:
        cue_at = [i for i, w in enumerate(words) if cue_of(w.text) is not None]
    n = len(words)
    slots = {i + 1 for i in cue_at if i + 1 < n}
    spans = list({(s.cand.first, s.cand.last): s.cand for s in scored}.values())
    # The words next to a span (one or two before or after) that could become slots, each asked once.
    near = {k for c in spans for k in (c.last + 1, c.last + 2, c.first - 1, c.first - 2)} - slots - skip
    near = {k for k in near if 0 <= k < n and (wanted is None or wanted(k))}
    if not near:
        return slots
    for c in spans:
        for k in (c.last + 1, c.last + 2, c.first - 1, c.first - 2):
            if k not in near or k in slots:
                continue
            probe = Candidate(k, k, words[k].start, words[k].end, "", (), "fuzzy",
                              "و" if words[k].text.startswith("و") else "")
            if probe.clitic:
                probe.start += 1
            if (k > c.last and list_adjacent(ntext, c, probe, words)) or \
               (k < c.first and list_adjacent(ntext, probe, c, words)):
                slots.add(k)
    return slots


def _region_names(gov_ar: str, gov_en: str, part: str | None) -> tuple[str, str]:
    """`ريف حماة الشمالي` / `Hama countryside (northern)`; Rural Damascus is a countryside already."""
    name_ar = gov_ar if gov_ar.startswith("ريف ") else f"ريف {gov_ar}"
    name_en = gov_en if gov_en.startswith("Rural ") else f"{gov_en} countryside"
    if part:
        name_ar += f" {direction_names()[part]}"
        name_en += f" ({_COMPASS_EN[part]})"
    return name_ar, name_en


def _mention(s: Scored, norm: Normalized, idx: NameIndex, w: Weights | None = None) -> Mention:
    c = s.cand
    index = norm.index
    start, end = index[c.start], index[c.end - 1] + 1  # norm.span(c.start, c.end)
    place = _row_place(idx, c.region, s.row) if c.match == "region" else _row_place(idx, None, s.row)
    # Fields in Mention's order: start, end, text, place_id, name_ar, name_en, kind, admin1, lat, lon, score,
    # admin2, admin1_ar, admin2_ar, nstart, nend, geo_precision, why.
    score = round(s.score, 3)
    return make_mention((start, end, norm.original[start:end], *place[:7], score, *place[7:],
                         c.start, c.end, 0, _why(s, w, score) if w is not None else ()))


def _row_place(idx: NameIndex, region: tuple[str, str | None] | None, r: int) -> tuple:
    """(place_id, name_ar, name_en, kind, admin1, lat, lon, admin2, admin1_ar, admin2_ar) of a mention of row r
    (of a countryside `region` span: its own referent, `_region`); a governorate is at its seat (ANNOTATION.md),
    not its centroid. Memoised per index, row and region."""
    memo = idx.__dict__.get("_row_places")
    if memo is None:
        memo = idx.__dict__["_row_places"] = {}
    key = (region, r)
    hit = memo.get(key)
    if hit is None:
        place_id, kind, name_ar, name_en = idx.place_id[r], idx.kind[r], idx.name_ar[r], idx.name_en[r]
        lats, lons = _points(idx)
        lat, lon = lats[r], lons[r]
        if region is not None:
            place_id, kind, name_ar, name_en, lat, lon = _region(region, r, idx)
        if kind == "governorate":
            lat, lon = idx.region_centres.get(idx.admin1[r], (lat, lon))
        hit = (place_id, name_ar, name_en, kind, idx.admin1_en[r], lat, lon, idx.admin2_en[r], idx.admin1_ar[r],
               idx.admin2_ar[r])
        if len(memo) < 200_000:
            memo[key] = hit
    return hit


def _points(idx: NameIndex) -> tuple[list[float], list[float]]:
    """The rows' latitudes and longitudes as Python floats (the same numbers as float(idx.lat[r]))."""
    pts = idx.__dict__.get("_points")
    if pts is None:
        pts = idx.__dict__["_points"] = (idx.lat.tolist(), idx.lon.tolist())
    return pts


def _why(s: Scored, w: Weights, score: float | None = None) -> tuple[tuple[str, float], ...]:
    """The span model's largest contributions to the log-odds (features named as in weights.tsv), then the
    score (`score`: round(s.score, 3) when already made). The contributions are memoised per record: news
    names the same places in the same ways."""
    memo = w.memo("why")
    top = memo.get(s.f)
    if top is None:
        top = tuple((name, round(v, 3)) for name, v in span_contributions(s.f, w)[:4])
        if len(memo) < 100_000:
            memo[s.f] = top
    return (*top, ("score", round(s.score, 3) if score is None else score))


def _region(region: tuple[str, str | None], r: int, idx: NameIndex) -> tuple[str, str, str, str, float, float]:
    """(place_id, kind, name_ar, name_en, lat, lon) of a countryside: its own referent.

    `ريف حماة الشمالي` -> `SY05-N` (a region at the point of that part); `ريف حماة` with no
    direction -> the governorate SY05; `ريف منبج` -> the district Manbij seats, at the town's point.
    """
    pcode, part = region
    if pcode == "town":
        d = idx.district_of_seat[r]
        name_ar = f"ريف {idx.name_ar[r]}" + (f" {direction_names()[part]}" if part else "")
        name_en = f"{idx.name_en[r]} countryside" + (f" ({_COMPASS_EN[part]})" if part else "")
        return idx.place_id[d], "region", name_ar, name_en, float(idx.lat[r]), float(idx.lon[r])
    name_ar, name_en = _region_names(idx.admin1_ar[r], idx.admin1_en[r], part)
    if part is None:
        return idx.place_id[r], "governorate", idx.name_ar[r], idx.name_en[r], float(idx.lat[r]), float(idx.lon[r])
    lat, lon = idx.region_points[(pcode, part)]
    return f"{pcode}-{PART_CODES[part]}", "region", name_ar, name_en, lat, lon


def _composed_mention(c: Composed, norm: Normalized, idx: NameIndex, w: Weights) -> Mention:
    """A neighbourhood or landmark phrase, at its town's point (geo_precision 2)."""
    start, end = norm.span(c.start, c.end)
    r = c.anchor
    text = norm.original[start:end]
    town = idx.name_ar[r]
    return Mention(start=start, end=end, text=text, place_id=composed_id(c, idx), name_ar=f"{text} ({town})",
                   name_en=f"{text} ({'neighbourhood' if c.kind == 'neighbourhood' else 'site'} in {idx.name_en[r]})",
                   kind=c.kind, admin1=idx.admin1_en[r], lat=float(idx.lat[r]), lon=float(idx.lon[r]),
                   score=w.composed, admin2=idx.admin2_en[r], admin1_ar=idx.admin1_ar[r],
                   admin2_ar=idx.admin2_ar[r], nstart=c.start, nend=c.end, geo_precision=2,
                   why=(("composed " + c.kind, w.composed), ("town " + idx.place_id[r], 1.0)))
