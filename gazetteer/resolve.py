"""Features and ranking: is a candidate span a place, and which place is it?

Two questions, as in mordecai: (1) does the span name a place at all, and (2) which of the
gazetteer rows it may name is meant. (1) weighs a prior from the data — how common the span is
as an ordinary Arabic word (wordfreq) against how prominent the place is — with the evidence
around it: a cue word (`بلدة`), a preposition, a list of other places, a governorate named next
to it; a person title (`النقيب`), a fixed expression (`حزب البعث`) or a foreign name vetoes it.
(2) prefers rows that fit the cue's kind, lie in the governorates the sentence and the article
talk about, lie near the article's other places (spatial coherence), then the prominent ones.
The weights are hand-set and documented here; each is a readable rule, not a fitted constant.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from gazetteer.candidates import ADMIN_UNIT_KINDS as _ADMIN_UNIT_KINDS, Candidate
from gazetteer.index import NameIndex
from gazetteer.lexicon import PREPOSITIONS, Cue, cue_of, cues, expression_starts, not_places, person_titles
from arabic.clitics import readings
from arabic.tokens import Token

THRESHOLD = 0.5
COMMON_WORD = 4.0  # Zipf: a word this common recurs as itself, not as the place it once named
PART_SLACK = 0.1
_LIST_GAP = re.compile(r"\s*\)?\s*[,،\-/:؛(]?\s*(?:و\s+)?")  # `أ، ب`, `أ و ب`, `عين العرب (كوباني)`
_PREP_CLITICS = {"ب", "وب", "فب", "ل", "ول", "فل"}
# Bare names prefer the more specific populated place to the admin unit that shares its name.
_KIND_BIAS = {"city": 0.2, "town": 0.12, "governorate": 0.15, "village": 0.0, "neighbourhood": 0.0,
              "district": -0.3, "subdistrict": -0.4}


@dataclass(slots=True)
class Scored:
    """A candidate with its evidence and the score that decides if it is a place."""

    cand: Candidate
    prior: float
    cue: Cue | None = None
    vetoed: str = ""
    foreign: bool = False  # also the name of a place abroad (`المنصورة`): needs a cue or a governorate
    prep: bool = False
    gov_after: str | None = None
    gov_part: str | None = None  # `X بريف حماة الشمالي`: the compass part X is said to lie in
    gov_sentence: bool = False
    list_bonus: float = 0.0
    score: float = 0.0
    row: int = -1


def prior(c: Candidate, whole: str, idx: NameIndex) -> float:
    """Belief that the span is a place before looking at its context.

    A rare word that is a place name is very likely that place; a common word needs evidence.
    A prominent place (governorate capital, district town) keeps a high prior unless its name
    is also a very common word (`الباب` the door, `دوما` always). Prominence counts for a
    place's own name only, not for every variant a source lists (`المدينة` for al-Raqqa). A
    clitic reading of a word that is itself common (`وكالات` = و + كالات) is judged by the whole word.
    """
    if c.match == "region":
        return 0.95
    z = idx.commonness(c.key) if not c.clitic else max(idx.commonness(c.key), idx.commonness(whole))
    if c.n_words > 1:
        z -= 1.0  # several words in a row that form a place name are rarely an accident
    common = min(0.85, max(0.1, 1.3 - 0.25 * z))
    p = idx.name_prominence(c.key)
    prominent = p - max(0.0, z - 4.0) * 0.5 if p >= 0.5 else 0.0
    if p >= 0.9:
        prominent = max(prominent, 0.9 if z < 5.5 else 0.5)
    base = max(common, prominent)
    if c.match == "fuzzy":
        base = min(base, 0.3) - 0.05 * c.distance
    if c.clitic and c.clitic not in ("و", "ف"):
        base -= 0.05  # a clitic reading is a little less likely than the bare word
    return base


def _prev_stems(tokens: list[Token], i: int) -> list[str]:
    return [s for _, s in readings(tokens[i].text)] if i >= 0 else []


def gather_evidence(s: Scored, text: str, tokens: list[Token], expressions: set[int], idx: NameIndex) -> None:
    """Fill the context features of one candidate (cue, preposition, vetoes)."""
    c = s.cand
    # Context words count only when spaces alone separate them from the name (`مدينة. حماة` does not).
    adjacent = c.first > 0 and _spaces_between(text, tokens, c.first)
    prev = _prev_stems(tokens, c.first - 1) if adjacent else []
    if c.clitic not in _PREP_CLITICS and adjacent:
        s.cue = cue_of(tokens[c.first - 1].text)
    s.prep = bool(c.clitic in _PREP_CLITICS or any(w in PREPOSITIONS for w in prev))
    # `النقيب مصطفى`, `محمد الأحمد`, `النقيب ناجي مصطفى`: a name, not a place. A surname takes no
    # conjunction, so `عين عيسى وتل أبيض` is a second place, not عيسى's family.
    if c.clitic not in ("و", "ف") and (_name_word_before(text, tokens, c.first) or (
            c.n_words == 1 and s.prior < 0.9 and adjacent and _name_word_before(text, tokens, c.first - 1))):
        s.vetoed = "person"
    if any(k in expressions for k in range(c.first, c.last + 1)):
        s.vetoed = "expression"
    forms = [st for off, st in readings(tokens[c.first].text) if off <= len(c.clitic)] if c.n_words == 1 else []
    s.foreign = c.match != "region" and any(r in idx.foreign for r in forms + [c.key])
    if c.match != "region" and c.n_words == 1 and c.key in cues():
        s.vetoed = "cue word"


def _spaces_between(text: str, tokens: list[Token], i: int) -> bool:
    """Whether only blanks separate word i from the word before it."""
    return text[tokens[i - 1].end:tokens[i].start].isspace()


def _name_word_before(text: str, tokens: list[Token], i: int) -> bool:
    """Whether word i directly follows (spaces only) a title or given name (`النقيب`, `محمد`)."""
    if i < 1 or not _spaces_between(text, tokens, i):
        return False
    titles = person_titles()
    return any(w in titles for w in _prev_stems(tokens, i - 1))


def fixed_expression_tokens(tokens: list[Token]) -> set[int]:
    """Indices of the words that belong to a fixed expression such as `حزب البعث` (clitics allowed on its first word)."""
    out: set[int] = set()
    for i, tok in enumerate(tokens):
        firsts = expression_starts(tok.text)
        if not firsts:
            continue
        for expr in not_places():
            n = len(expr)
            if expr[0] in firsts and tuple(t.text for t in tokens[i + 1:i + n]) == expr[1:]:
                out.update(range(i, i + n))
    return out


def list_adjacent(text: str, a: Candidate, b: Candidate, tokens: list[Token]) -> bool:
    """True when b follows a in an enumeration (`أ، ب`, `أ و ب`, `أ وب`)."""
    if b.first not in (a.last + 1, a.last + 2):
        return False
    gap = text[a.end:b.start if b.clitic != "و" else b.start - 1]
    if b.first == a.last + 2 and tokens[a.last + 1].text != "و":
        return False
    return bool(_LIST_GAP.fullmatch(gap)) and (b.clitic == "و" or gap.strip() != "" or b.first == a.last + 2)


def score_spans(scored: list[Scored], text: str, tokens: list[Token], sentence_of: list[int],
                idx: NameIndex) -> None:
    """Combine prior and evidence into each candidate's score, with list propagation."""
    by_first: dict[int, list[Scored]] = {}
    for s in scored:
        by_first.setdefault(s.cand.first, []).append(s)
    # Governorates the sentence speaks of (`ريف دمشق`, `محافظة درعا`, `ريفي إدلب وحماة`).
    sentence_govs: dict[int, set[str]] = {}
    for s in scored:
        if not s.vetoed and (s.cand.match == "region" or all(idx.kind[r] == "governorate" for r in s.cand.rows)):
            sentence_govs.setdefault(sentence_of[s.cand.first], set()).add(idx.admin1[s.cand.rows[0]])
    for s in scored:
        container = _container(s, by_first, tokens, idx)
        if container is not None:
            s.gov_after = idx.admin1[container.cand.rows[0]] if container.cand.match == "region" else next(
                idx.admin1[r] for r in container.cand.rows if _contains(r, idx))
            s.gov_part = container.cand.region[1] if container.cand.match == "region" else None
        govs = sentence_govs.get(sentence_of[s.cand.first], set())
        s.gov_sentence = s.cand.match != "region" and any(idx.admin1[r] in govs for r in s.cand.rows)
        s.score = _local_score(s, idx)
    # Lists: a member of an enumeration that holds a confident place (or follows a plural cue)
    # is a place too; two passes let confidence travel along the list.
    live = [(s, _list_neighbours(s, by_first, text, tokens)) for s in scored if not s.vetoed]
    for _ in range(2):
        for s, neighbours in live:
            if s.cue is None:  # `محافظتي حماة واللاذقية`, `بلدات أ، ب وج`: a plural cue covers the list
                s.cue = next((n.cue for n in neighbours if n.cue and n.cue.plural and n.cand.last < s.cand.first), None)
            strong = any(n.score >= THRESHOLD + 0.1 and not n.vetoed for n in neighbours)
            s.list_bonus = 0.3 if strong or (s.cue and s.cue.plural) else 0.0
            s.score = _local_score(s, idx)


_CONNECTORS = frozenset({"في", "من", "ب"})


def _contains(r: int, idx: NameIndex) -> bool:
    return idx.kind[r] == "governorate" or idx.prominence[r] >= 0.9


def _container(s: Scored, by_first: dict[int, list[Scored]], tokens: list[Token],
               idx: NameIndex) -> Scored | None:
    """The governorate or region named right after a candidate as its container: `X بريف درعا`, `X في حمص`.

    Only connectors (في، من، a ب clitic) and cue words (`بمدينة`, `في محافظة`) may stand between.
    """
    k = s.cand.last + 1
    linked = False
    for _ in range(3):
        if k >= len(tokens):
            return None
        for g in by_first.get(k, ()):
            if g is s or g.cand.match == "fuzzy":
                continue
            contains = g.cand.match == "region" or any(_contains(r, idx) for r in g.cand.rows)
            if contains and (linked or "ب" in g.cand.clitic or g.cand.match == "region"):
                return g
        if tokens[k].text in _CONNECTORS or cue_of(tokens[k].text) is not None:
            linked = True
            k += 1
            continue
        return None
    return None


def _list_neighbours(s: Scored, by_first: dict[int, list[Scored]], text: str,
                     tokens: list[Token]) -> list[Scored]:
    c = s.cand
    out = [n for k in (c.last + 1, c.last + 2) for n in by_first.get(k, ())
           if list_adjacent(text, c, n.cand, tokens)]
    for k in range(max(0, c.first - 8), c.first):
        out += [n for n in by_first.get(k, ()) if list_adjacent(text, n.cand, c, tokens)]
    return out


def _local_score(s: Scored, idx: NameIndex) -> float:
    if s.vetoed or (s.foreign and not (s.cue or s.gov_after)):
        return 0.0
    score = s.prior + s.list_bonus
    if s.cue:
        kinds = {idx.kind[r] for r in s.cand.rows}
        if not kinds & set(s.cue.kinds) and kinds <= _ADMIN_UNIT_KINDS:
            return 0.0  # `حي الوعر` is a neighbourhood, whatever admin unit shares its name
        score += 0.25 + (0.2 if kinds & set(s.cue.kinds) else 0.0)
    if s.prep:
        score += 0.15
    if s.gov_sentence:
        score += 0.15
    if s.gov_after and any(idx.admin1[r] == s.gov_after for r in s.cand.rows):
        score += 0.35
    return min(1.0, score)


def repeat_names(scored: list[Scored], idx: NameIndex) -> None:
    """One sense per discourse: a name accepted once in an article is accepted where it recurs.

    `مجندي النبك` need not repeat the `مدينة` that introduced النبك. Vetoed readings (a person's
    name, a fixed expression) stay out, and so does a common word with no evidence of its own:
    `مدينة الباب` once does not make `فتح الباب` a place.
    """
    best: dict[str, float] = {}
    for s in scored:
        if s.score >= THRESHOLD and s.cand.match == "exact":
            best[s.cand.key] = max(best.get(s.cand.key, 0.0), s.score)
    for s in scored:
        if (not s.vetoed and s.cand.match == "exact" and s.cand.key in best
                and (idx.commonness(s.cand.key) < COMMON_WORD or s.cue or s.prep or s.list_bonus)):
            s.score = max(s.score, 0.9 * best[s.cand.key])


def select(scored: list[Scored]) -> list[Scored]:
    """Non-overlapping spans above the threshold: longer names first, then higher scores."""
    order = {"region": 0, "exact": 1, "fuzzy": 2}
    ranked = sorted((s for s in scored if s.score >= THRESHOLD),
                    key=lambda s: (-s.cand.n_words, order[s.cand.match], -s.score, s.cand.start))
    taken: list[Scored] = []
    used: set[int] = set()
    for s in ranked:
        span = set(range(s.cand.start, s.cand.end))
        if span & used:
            continue
        used |= span
        taken.append(s)
    return sorted(taken, key=lambda s: s.cand.start)


def choose_rows(chosen: list[Scored], sentence_of: list[int], idx: NameIndex) -> None:
    """Pick the gazetteer row each chosen span names, using the article's other places."""
    anchors = [s for s in chosen if len(s.cand.rows) == 1 or s.cand.match == "region"]
    for s in anchors:
        s.row = s.cand.rows[0]
    art_admin1: dict[str, float] = {}
    sent_admin1: dict[int, set[str]] = {}
    for s in chosen:
        a1s = {idx.admin1[r] for r in s.cand.rows}
        if len(a1s) == 1:
            a1 = a1s.pop()
            art_admin1[a1] = art_admin1.get(a1, 0.0) + (1.0 if s.row >= 0 else 0.5)
            sent_admin1.setdefault(sentence_of[s.cand.first], set()).add(a1)
    total = sum(art_admin1.values()) or 1.0
    art_share = {a1: w / total for a1, w in art_admin1.items()}
    anchor_pts = np.array([(idx.lat[s.row], idx.lon[s.row]) for s in anchors
                           if idx.kind[s.row] not in ("governorate", "region")] or [(np.nan, np.nan)])
    for s in chosen:
        if s.row < 0:
            s.row = _best_row(s, sent_admin1.get(sentence_of[s.cand.first], set()), art_share, anchor_pts, idx)
    # One sense per discourse: once the article speaks of a governorate (`ريف حماة`, `محافظة
    # درعا`), its bare name (`معارك إدلب وحماة`) is that governorate, not its capital city.
    gov_named = {idx.admin1[s.row] for s in chosen if s.cand.match == "region" or idx.kind[s.row] == "governorate"}
    for s in chosen:
        if idx.kind[s.row] == "city" and not (s.cue and "city" in s.cue.kinds):
            s.row = next((r for r in s.cand.rows if idx.kind[r] == "governorate" and idx.admin1[r] in gov_named),
                         s.row)
        elif idx.kind[s.row] in _ADMIN_UNIT_KINDS and not (s.cue and set(s.cue.kinds) & _ADMIN_UNIT_KINDS):
            s.row = idx.seat_of.get(s.row, s.row)
    # `جبهة الحردانة في ريف حماة الشمالي`: a place said to lie in the north of a governorate
    # but found well in its south is some other place of that name, missing from the gazetteer.
    for s in chosen:
        if s.gov_part and idx.admin1[s.row] == s.gov_after and not _in_part(s.row, s.gov_part, idx):
            s.score = 0.0


def _best_row(s: Scored, sentence: set[str], art_share: dict[str, float], anchor_pts: np.ndarray,
              idx: NameIndex) -> int:
    """The row that best fits the cue, the governorates around the span and the article's places."""
    rows = s.cand.rows
    if s.cue and not set(s.cue.kinds) & _ADMIN_UNIT_KINDS:
        rows = tuple(r for r in rows if idx.kind[r] not in _ADMIN_UNIT_KINDS) or rows

    def fit(r: int) -> float:
        a1 = idx.admin1[r]
        return (_KIND_BIAS.get(idx.kind[r], 0.0) + 0.3 * idx.prominence[r]
                + (0.5 if s.cue and idx.kind[r] in s.cue.kinds else 0.0)
                + (0.8 if s.gov_after == a1 else 0.0)
                + (0.5 if a1 in sentence else 0.0)
                + 0.4 * art_share.get(a1, 0.0)
                + (0.0 if idx.kind[r] in ("governorate", *_ADMIN_UNIT_KINDS)  # no point to be near
                   else 0.4 * _closeness(idx.lat[r], idx.lon[r], anchor_pts)))

    return max(rows, key=fit)


def _in_part(r: int, part: str, idx: NameIndex) -> bool:
    """Whether row r lies in that compass part of its governorate (halves/quadrants about the
    capital, as `ريف X الشمالي` means; PART_SLACK degrees to spare: `northern` is not sharp)."""
    from gazetteer.admin import DIRECTIONS

    if part not in DIRECTIONS:
        return True
    clat, clon = idx.region_centres.get(idx.admin1[r]) or idx.region_points[(idx.admin1[r], None)]
    sx, sy = DIRECTIONS[part]
    return ((sx == 0 or sx * (idx.lon[r] - clon) >= -PART_SLACK)
            and (sy == 0 or sy * (idx.lat[r] - clat) >= -PART_SLACK))


def _closeness(lat: float, lon: float, pts: np.ndarray) -> float:
    """1 near another place of the article, falling to 0 beyond ~100 km."""
    if np.isnan(pts[0, 0]):
        return 0.0
    dlat = np.radians(pts[:, 0] - lat)
    dlon = np.radians(pts[:, 1] - lon) * math.cos(math.radians(lat))
    d = 6371.0 * np.sqrt(dlat ** 2 + dlon ** 2)
    return float(np.exp(-d.min() / 40.0))


def drop_isolated(chosen: list[Scored], idx: NameIndex) -> list[Scored]:
    """Drop minor places with no strong evidence that lie far from the article's other places.

    A word that happens to be a village name (`المقتلة` the carnage, `بجروح` with wounds) is only
    believed when something supports it: a cue word, a list, a governorate named beside it,
    prominence, or the article's geography (another place within ~50 km). A one-letter match
    (fuzzy) must fit the article's geography whenever the article names other places, and always
    the kind its cue word announces.
    """
    keys = {s.cand.key for s in chosen}
    # Points and governorates of the article's places, grouped by name, so that "the others" of
    # a mention (every other name) costs a lookup, not a pass over the article.
    by_key: dict[str, tuple[list[tuple[float, float]], set[str]]] = {k: ([], set()) for k in keys}
    for o in chosen:
        pts, a1s = by_key[o.cand.key]
        a1s.add(idx.admin1[o.row])
        if idx.kind[o.row] != "governorate" and o.cand.match != "region":
            pts.append((idx.lat[o.row], idx.lon[o.row]))
    kept = []
    for s in chosen:
        r = s.row
        fuzzy = s.cand.match == "fuzzy"
        if fuzzy and s.cue and idx.kind[r] not in s.cue.kinds:
            continue
        if len(keys) == 1 or not fuzzy and (s.cand.match == "region" or s.cue or s.list_bonus or s.gov_after
                                            or idx.prominence[r] >= 0.5):
            kept.append(s)
            continue
        others = [v for k, v in by_key.items() if k != s.cand.key]
        pts = np.array([p for v in others for p in v[0]] or [(np.nan, np.nan)])
        if np.isnan(pts[0, 0]) or (fuzzy and s.gov_after):
            near = idx.admin1[r] in {a for v in others for a in v[1]}
        else:
            near = _closeness(idx.lat[r], idx.lon[r], pts) > 0.3
        if near:
            kept.append(s)
    return kept
