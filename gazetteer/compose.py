"""Places inside towns, found by composition: `حي X` / `أحياء X وY` and facility phrases.

News names the neighbourhoods, hospitals, markets, squares, bases and checkpoints where things
happen, and most of them are in no gazetteer. A phrase is composed from a neighbourhood cue
(`حي`, `أحياء`) or a facility word (`مشفى`, `سوق`, `دوار`, `اللواء 47`...) and a name, and anchored
in a known town: one the phrase itself names (`ساحة عربين`), one named right after it (`بحمص`,
`في مدينة حمص`), else the last town the sentence, then the article, named before it. The result
is one mention spanning the phrase, at the town's point, kind neighbourhood or landmark,
geo_precision 2, with an id derived from the town and the phrase (stable across runs). A curated
neighbourhood or landmark of that name near the town wins over composition.
"""
from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from functools import lru_cache

from arabic.clitics import readings
from arabic.normalize import name_key
from arabic.tokens import Token
from gazetteer.features import Scored
from gazetteer.foreign import foreign_keys
from gazetteer.index import NameIndex
from gazetteer.lexicon import PREPOSITIONS, _lines, cue_of, cues, directions, name_heads
from gazetteer.mention import COMPOSED_TAGS
from gazetteer.scan import CUE, FACILITY, KNOWN, having

TOWN_KINDS = frozenset({"city", "town"})
SITE_KINDS = frozenset({"neighbourhood", "landmark", "airbase", "crossing", "camp"})
_SETTLEMENT_WORDS = frozenset(name_key(w) for w in ("قرية", "بلدة", "مدينة"))  # a settlement's own class words
LIST_SIBLING_WORDS = 3  # a village at most this many words before a phrase joined to it by و is its list sibling
NEAR_TOWN_KM = 15.0  # a curated neighbourhood this close to the anchor town is that town's
NAME_MAX_ZIPF = 3.5  # a word without the article names something only when it is this rare
_PUNCT_STOP = set(".:؛;!?؟()[]\"«»“”")
_UNIT_KINDS = frozenset({"city", "subdistrict", "governorate"})  # a cue word naming the unit a building serves
_INSIDE = frozenset(name_key(w) for w in ("في", "داخل", "وسط", "عند", "قرب"))  # `مسجد X في شارع Y`


@dataclass(frozen=True, slots=True)
class Composed:
    """A neighbourhood or landmark phrase anchored in a town (normalised-text offsets)."""

    start: int
    end: int
    first: int
    last: int
    kind: str
    key: str  # the phrase, normalised
    anchor: int  # the town's row
    placed: bool = False  # the town is named by the phrase, right after it, or by the curated table


@lru_cache(maxsize=1)
def facility_words() -> dict[str, str]:
    """Facility word (normalised) -> "name" (a name follows) or "number" (`اللواء 47`)."""
    out = {}
    for line in _lines("facilities.tsv"):
        word, what = line.split("\t")
        out[name_key(word)] = what.strip()
    return out


@lru_cache(maxsize=1)
def named_without_coordinates() -> dict[tuple[str, ...], list[tuple[str, str, bool]]]:
    """Curated neighbourhoods and landmarks with no coordinates of their own (named_without_coordinates.tsv):
    normalised name words -> (kind, the town's place_id, risky). Context variants (`X في حمص`) and Latin
    spellings are left out; a leading `حي` is dropped (the cue is read from the text)."""
    out = {}
    for line in _lines("named_without_coordinates.tsv")[1:]:
        cols = line.split("\t")
        if len(cols) < 6 or not cols[3].strip():
            continue
        name, variants, kind, town, _, risky = cols[:6]
        for v in [name, *variants.split("|")]:
            k = name_key(v)
            if not k or " في " in f" {k} " or not any("\u0621" <= ch <= "\u064a" for ch in k):
                continue
            k = k.removeprefix("حي ").strip()
            entry = (kind.strip(), town.strip(), risky.strip() == "yes")
            if entry not in out.setdefault(tuple(k.split()), []):
                out[tuple(k.split())].append(entry)
    return out


@lru_cache(maxsize=1)
def _known_firsts() -> frozenset[str]:
    """The first words of the names of named_without_coordinates.tsv."""
    return frozenset(k[0] for k in named_without_coordinates())


def _known_names(words: list[Token], idx: NameIndex, town_rows,
                 where: list[int] | None = None) -> dict[int, tuple[int, int, str, int, bool]]:
    """Token -> (first token of the name, last token, kind, town row, risky) for names of
    named_without_coordinates.tsv in a block (a و/ب/ف clitic on the first word allowed).
    `where`: the words that may open one (gazetteer.scan's KNOWN words), by default all. `town_rows`: the rows
    of the towns the block names, or a function that gives them (asked only when a name is found)."""
    table = named_without_coordinates()
    if not table:
        return {}
    firsts = _known_firsts()
    row_of = _row_of(idx)
    out = {}
    for i in range(len(words)) if where is None else where:
        tok = words[i]
        for off, st in readings(tok.text):
            if st not in firsts or (off and tok.text[:off] not in ("و", "ب", "ف", "وب")):
                continue
            for n in (3, 2, 1):
                key = (st, *(t.text for t in words[i + 1:i + n]))
                entries = [e for e in table.get(key, ()) if e[1] in row_of] if len(key) == n else []
                if entries:
                    # Of several towns with a quarter of that name, the one the article names.
                    named = town_rows() if callable(town_rows) else town_rows
                    kind, town, risky = next((e for e in entries if row_of[e[1]] in named), entries[0])
                    out[i] = (off, i + n - 1, kind, row_of[town], risky)
                    break
            if i in out:
                break
    return out


def _row_of(idx: NameIndex) -> dict[str, int]:
    cache = idx.__dict__.setdefault("_row_of", {})
    if not cache:
        cache.update({pid: r for r, pid in enumerate(idx.place_id)})
    return cache


def _stem(word: str, table) -> str | None:
    return next((st for _, st in readings(word) if st in table), None)


def _name_like(word: str, idx: NameIndex) -> bool:
    """A word that can be (part of) a proper name: with the article, or rare as an ordinary word."""
    if not word or not all("\u0621" <= c <= "\u064a" for c in word) or len(word) < 3:
        return False
    if word in PREPOSITIONS or word in cues() or cue_of(word) is not None or word.startswith("لل"):
        return False  # `لل`: `مصنع للثلج` is a factory for ice, not one named so
    return word.startswith("ال") or idx.commonness(word) < NAME_MAX_ZIPF


def compose(chosen: list[Scored], text: str, words: list[Token], sentence_of: list[int],
            idx: NameIndex, expressions: set[int] = frozenset(), roles: list[int] | None = None,
            some: list[int] | None = None) -> list[Composed]:
    """Neighbourhood and landmark phrases of a block, each anchored in a town the text names.
    Words of a fixed expression (`جامعة الدول العربية`) start no phrase. `roles`: the words' role
    bits (gazetteer.scan), so that only cue, facility and curated-name words are visited."""
    made_once: list[tuple] = []

    def setting() -> tuple[dict[int, Scored], list[tuple[int, int, bool]], set[int]]:
        """(the chosen span at each word, the towns and villages named, by first word, the towns' rows), made
        when a phrase first needs them (most articles have none)."""
        if not made_once:
            at: dict[int, Scored] = {}
            for s in chosen:
                for k in range(s.cand.first, s.cand.last + 1):
                    at[k] = s
            towns = [(s.cand.first, r) for s in chosen if (r := _town_row(s, idx)) is not None]
            # Villages anchor only a phrase of their own sentence (`... تل ملح والجبين ومدرسة X`).
            villages = [(s.cand.first, s.row) for s in chosen
                        if s.cand.match == "exact" and s.row >= 0 and idx.kind[s.row] == "village"]
            places = sorted([(k, r, True) for k, r in towns] + [(k, r, False) for k, r in villages])
            made_once.append((at, places, {r for _, r in towns}))
        return made_once[0]

    facilities = facility_words()
    if roles is None:
        known = _known_names(words, idx, setting()[2])
        starts = range(len(words))
    else:
        known_at = having(roles, KNOWN, some)
        known = _known_names(words, idx, lambda: setting()[2], known_at) if known_at else {}
        starts = having(roles, CUE | FACILITY | KNOWN, some)
    out: list[Composed] = []
    i = 0
    for k in starts:
        if k < i:
            continue
        i = k
        tok = words[i]
        if i in expressions:
            i += 1
            continue
        cue = cue_of(tok.text)
        made: list[Composed] = []
        if i in known:
            at, _, town_rows = setting()
            c = _known(i, known, cue_of(words[i - 1].text) if i > 0 else None, out, text, words, at, town_rows, idx)
            if c is not None:
                out.append(c)
                i = c.last + 1
                continue
        if cue is not None and "neighbourhood" in cue.kinds and cue.kinds[0] == "neighbourhood":
            at, places, _ = setting()
            made = _neighbourhoods(i, cue.plural, text, words, at, places, sentence_of, idx)
        else:
            fac = _stem(tok.text, facilities) if roles is None or roles[i] & FACILITY else None
            if fac is not None:
                at, places, _ = setting()
                made = _landmark(i, facilities[fac], text, words, at, places, sentence_of, idx)
        if made:
            out += made
            i = made[-1].last + 1
        else:
            i += 1
    return _chain_anchors(out, words)


def _chain_anchors(out: list[Composed], words: list[Token]) -> list[Composed]:
    """`مسجد X في شارع Y في حمص`: a phrase that names no town of its own and is said to lie in the
    next phrase (`في`, a ب clitic) lies in that phrase's town."""
    for n in range(len(out) - 2, -1, -1):
        c, d = out[n], out[n + 1]
        if c.placed or d.first <= c.last:
            continue
        between = [words[k].text for k in range(c.last + 1, d.first)]
        if (between and len(between) <= 1 and all(w in _INSIDE for w in between)) or (
                not between and words[d.first].text.startswith("ب")):
            out[n] = Composed(c.start, c.end, c.first, c.last, c.kind, c.key, d.anchor, d.placed)
    return out


def _known(i: int, known: dict[int, tuple[int, int, str, int, bool]], cue, out: list[Composed], text: str,
           words: list[Token], at: dict[int, Scored], town_rows: set[int], idx: NameIndex) -> Composed | None:
    """A curated neighbourhood or landmark without coordinates (`known`: by first token, see `_known_names`)
    at token i, at its town's point: when the article names that town (or names it right after), and, for a
    risky name (`القصور`, a common word or another town's name too), only with a cue word before it (`حي`,
    `منطقة`) or next to a neighbourhood in a list, before it or after it (`القصور والعرضي`: two quarters
    of one town side by side name each other's town). Never right after `قرية`, `بلدة` or `مدينة`: a settlement
    of that name, not the quarter (position words, `محيط X`, `جبهة X`, still allow it)."""
    off, last, kind, town, risky = known[i]
    if off == 0 and i > 0 and _stem(words[i - 1].text, _SETTLEMENT_WORDS):
        return None  # `قرية الأربعين`: the text calls it a village, not the quarter of that name
    after = _anchor_after(last, words, at, idx, towns_only=True)  # `في ريف حماة` is not the town
    if town not in town_rows and not (after and after[1] == town):
        return None
    if risky:
        cued = cue is not None and ("neighbourhood" in cue.kinds or "region" in cue.kinds) and off == 0
        listed = bool(out) and out[-1].kind == "neighbourhood" and out[-1].last >= i - 2 and (
            off > 0 or _gap(text, words, i).strip() in ("،", ","))
        nxt = known.get(last + 1)
        paired = nxt is not None and nxt[3] == town and nxt[0] > 0 and words[last + 1].text.startswith("و") and (
            _gap(text, words, last + 1).isspace())
        if not (cued or listed or paired or (after and after[1] == town)):
            return None
    s = at.get(i)
    if s is not None and s.cand.match != "region" and idx.kind[s.row] in SITE_KINDS and km_between(idx, s.row, town) <= NEAR_TOWN_KM:
        return None  # a curated place with its own point
    start = words[i].start + off
    return Composed(start, words[last].end, i, last, kind, text[start:words[last].end], town, True)


def _town_row(s: Scored, idx: NameIndex) -> int | None:
    if s.cand.match == "region" or s.row < 0:
        return None
    r = s.row
    if idx.kind[r] in TOWN_KINDS:
        return r
    if idx.kind[r] == "governorate":
        caps = [c for c in s.cand.rows if idx.is_capital[c] and idx.admin1[c] == idx.admin1[r]]
        return caps[0] if caps else None
    return None


def _gap(text: str, words: list[Token], k: int) -> str:
    return text[words[k - 1].end:words[k].start]


def _name_span(i: int, text: str, words: list[Token], idx: NameIndex, max_words: int = 2,
               waw: bool = False) -> int | None:
    """Last token of a 1-2 word name starting at token i (a leading و allowed with waw), or None.
    A name in quotes (`حي "محمودية"`) is the quoted words, up to three; a generic head word and a word
    with the article (`باب الحديد`, `كرم الشامي`) make a two-word name."""
    if i >= len(words):
        return None
    gap = _gap(text, words, i)
    if gap.strip() == '"':
        return _quoted(i, text, words)
    if any(c in _PUNCT_STOP or c in "،," for c in gap):
        return None
    w = words[i].text
    if waw and w.startswith("و"):
        w = w[1:]
    if max_words > 1 and w in name_heads() and i + 1 < len(words) and _gap(text, words, i + 1).isspace() and (
            words[i + 1].text.startswith("ال") and _name_like(words[i + 1].text, idx)):
        return i + 1
    if not _name_like(w, idx):
        return None
    if not w.startswith("ال") and idx.commonness(w) > 0:
        return None  # `حي مأهول`: an ordinary word without the article describes, it does not name
    last = i
    if last + 1 < len(words) and max_words > 1 and _gap(text, words, last + 1).isspace():
        nxt = words[last + 1].text
        # A second word belongs to the name in a construct (`وادي الذهب`, `باب السباع`), as a compass
        # part (`الأنصاري الشرقي`), or when rare (`الكرة الأرضية`); not `الجورة الواقع`, `الوعر بحمص`.
        if nxt.startswith("ال") and _name_like(nxt, idx) and not _stem(nxt, facility_words()) and (
                not w.startswith("ال") or (nxt,) in directions() or idx.commonness(nxt) < 3.0):
            last += 1
    return last


def _quoted(i: int, text: str, words: list[Token], max_words: int = 3) -> int | None:
    """Last token of a name of up to max_words Arabic words that a closing quote ends, or None: quotes
    mark a name even when its words are ordinary ones."""
    for last in range(i, min(i + max_words, len(words))):
        w = words[last].text
        if len(w) < 2 or not all("\u0621" <= c <= "\u064a" for c in w) or w in PREPOSITIONS:
            return None
        after = text[words[last].end:words[last + 1].start] if last + 1 < len(words) else text[words[last].end:]
        if after.lstrip(" ").startswith('"'):
            return last
        if not after.isspace():
            return None
    return None


def _anchor_after(last: int, words: list[Token], at: dict[int, Scored], idx: NameIndex,
                  towns_only: bool = False) -> tuple[int, int] | None:
    """A town named right after a phrase: `بحمص`, `في حمص`, `في مدينة حمص` -> (its last token, row).
    A governorate named there (`في ريف دمشق`, `في محافظة حماة`) anchors at its seat; a directional
    countryside (`في ريف حماة الشمالي`) names no town: (its last token, -1), so that no earlier
    town of another part of the country is taken instead. `towns_only`: a town or nothing."""
    k = last + 1
    for _ in range(3):
        if k >= len(words):
            return None
        s = at.get(k)
        if s is not None:
            if s.cand.first != k:
                return None
            r = _town_row(s, idx)
            if towns_only:
                pass
            elif r is None and s.cand.match == "region" and s.row >= 0:
                pcode, part = s.cand.region
                r = _seat(idx, s.row) if part is None and pcode != "town" else -1
            elif r is None and s.cand.match != "region" and idx.kind[s.row] == "governorate":
                r = _seat(idx, s.row)
            return (s.cand.last, r) if r is not None else None
        if words[k].text in PREPOSITIONS or cue_of(words[k].text) is not None:
            k += 1
            continue
        return None
    return None


def _seat(idx: NameIndex, gov_row: int) -> int:
    """The row of the city at a governorate's seat (Rural Damascus: Damascus), -1 when none is known."""
    seats = idx.__dict__.setdefault("_seat_rows", {})
    a1 = idx.admin1[gov_row]
    if a1 not in seats:
        point = idx.region_centres.get(a1)
        cities = [r for r, k in enumerate(idx.kind) if k == "city"]
        best = min(cities, key=lambda r: (idx.lat[r] - point[0]) ** 2 + (idx.lon[r] - point[1]) ** 2) \
            if point and cities else -1
        seats[a1] = best if best >= 0 and _km_point(idx, best, point) <= 5.0 else -1
    return seats[a1]


def _km_point(idx: NameIndex, r: int, point: tuple[float, float]) -> float:
    return _flat_km(idx.lat[r], idx.lon[r], point[0], point[1])


def _flat_km(lat: float, lon: float, ref_lat: float, ref_lon: float) -> float:
    """Distance (km) on a plane tangent at the reference point: exact enough within a governorate."""
    dlat = math.radians(lat - ref_lat)
    dlon = math.radians(lon - ref_lon) * math.cos(math.radians(ref_lat))
    return 6371.0 * math.hypot(dlat, dlon)


def _anchor_before(i: int, places: list[tuple[int, int, bool]], sentence_of: list[int],
                   listed: bool = False) -> int | None:
    """The town a phrase at token i lies in when the phrase names none: the nearest town (or village)
    named before it in its sentence, else the first town named after it in its sentence, else the town
    the article names most (first named on a tie), not merely the last one named somewhere before.
    `places`: (first token, row, a town rather than a village), in text order. `listed`: the phrase is
    joined by و to what precedes it; a village just before it is then a sibling of the list (`تل ملح
    والجبين ومدرسة الضهرة`), not its town: none is guessed (None)."""
    sent = sentence_of[i]
    same = [(k, r, t) for k, r, t in places if sentence_of[k] == sent]
    before = [(k, r, t) for k, r, t in same if k < i]
    if before:
        k, r, town = before[-1]
        return None if listed and not town and k >= i - LIST_SIBLING_WORDS else r
    after = [r for k, r, t in same if k > i and t]
    if after:
        return after[0]
    count: dict[int, int] = {}
    first: dict[int, int] = {}
    for k, r, t in places:
        if t:
            count[r] = count.get(r, 0) + 1
            first.setdefault(r, k)
    return max(count, key=lambda r: (count[r], -first[r])) if count else None


def _class_word(word: str) -> bool:
    """Whether a word is a place-class word with the article (المدينة، البلدة، المنطقة، الحي)."""
    return word.startswith("ال") and cue_of(word[2:]) is not None


def _neighbourhoods(i: int, plural: bool, text: str, words: list[Token], at: dict[int, Scored],
                    places: list[tuple[int, int, bool]], sentence_of: list[int], idx: NameIndex) -> list[Composed]:
    spans = []
    k = i + 1
    while k < len(words):
        last = _name_span(k, text, words, idx, waw=bool(spans))
        if last is None or _class_word(words[k].text):
            break  # `أحياء المدينة`, `حي البلدة`: the class word with the article is the town itself, no quarter
        spans.append((k, last))
        if not plural or len(spans) >= 8:
            break
        k = last + 1
        if k < len(words) and not (words[k].text.startswith("و") or _gap(text, words, k).strip() in ("،", ",")):
            break
    if not spans:
        return []
    after = _anchor_after(spans[-1][1], words, at, idx)
    anchor = after[1] if after else _anchor_before(i, places, sentence_of)
    if anchor is None or anchor < 0:
        return []
    out = []
    for a, b in spans:
        s = next((x for k in range(a, b + 1) if (x := at.get(k)) is not None), None)
        if s is not None and s.cand.match != "region" and (
                km_between(idx, s.row, anchor) <= NEAR_TOWN_KM or (not after and _named_near(s.row, at, idx))):
            continue  # a place of that town (curated, or a town itself), or of a town the article names
        if s is not None and (s.cand.first < a or s.cand.last > b):
            break
        start = words[a].start + (1 if a > i + 1 and words[a].text.startswith("و") and len(spans) > 1 else 0)
        out.append(Composed(start, words[b].end, a if a > i + 1 else i, b, "neighbourhood",
                            text[start:words[b].end], anchor, bool(after)))
    # The first name's span starts at the name (the cue word is not part of a neighbourhood's mention).
    if out and out[0].first == i:
        c = out[0]
        out[0] = Composed(words[i + 1].start, c.end, i + 1, c.last, c.kind, c.key, c.anchor, c.placed)
    return out


def _landmark(i: int, what: str, text: str, words: list[Token], at: dict[int, Scored],
              places: list[tuple[int, int, bool]], sentence_of: list[int], idx: NameIndex) -> list[Composed]:
    tok = words[i]
    off = next((o for o, st in readings(tok.text) if st in facility_words()), 0)
    if i + 1 >= len(words) or not _gap(text, words, i + 1).isspace():
        return []
    own = at.get(i)
    if own is not None and own.cand.first == i and own.cand.last > i and own.cand.match == "exact":
        return []  # a gazetteer name that begins with the facility word (`قلعة المضيق`): that place
    nxt = words[i + 1].text
    if what == "number":
        if not nxt.isdigit():
            return []
        last = i + 1
    else:
        s = at.get(i + 1)
        if s is not None and s.cand.first == i + 1 and idx.kind[s.row] == "neighbourhood" and s.cand.match == "exact" \
                and not s.cand.clitic:
            # `دوار صلاح الدين`: a square named after a curated neighbourhood, at that neighbourhood's point
            start = tok.start + off
            return [Composed(start, words[s.cand.last].end, i, s.cand.last, "landmark",
                             text[start:words[s.cand.last].end], s.row, True)]
        if s is not None and s.cand.first == i + 1 and idx.kind[s.row] in SITE_KINDS:
            return []  # `مطار حلب`, a curated site: resolved already
        last = None
        j = i + 1
        if cue_of(nxt) is not None and set(cue_of(nxt).kinds) & _UNIT_KINDS or nxt in ("بلده", "قريه"):
            j = i + 2  # `مشفى مدينة اللطامنة`, `مبنى ناحية الحجر الأسود`, `مبنى محافظة حلب`
        s = at.get(j)
        if s is not None and s.cand.first == j and not s.cand.clitic and s.cand.match != "region" and (
                _town_row(s, idx) is not None or idx.kind[s.row] == "village"):
            # `شارع X في حمص`: a street named after a village X far from the town the text puts it in
            # lies in that town.
            named = _town_row(s, idx)
            named = s.row if named is None else named
            k = s.cand.last + 1
            inside = k < len(words) and _gap(text, words, k).isspace() and (
                words[k].text in _INSIDE or words[k].text.startswith("ب"))
            after = _anchor_after(s.cand.last, words, at, idx, towns_only=True) if inside else None
            if after and after[1] != named and km_between(idx, named, after[1]) > NEAR_TOWN_KM:
                named = after[1]
            start = tok.start + off
            return [Composed(start, words[s.cand.last].end, i, s.cand.last, "landmark",
                             text[start:words[s.cand.last].end], named, True)]
        if j != i + 1:
            return []
        last = _name_span(i + 1, text, words, idx)
        if last is None and nxt in foreign_keys() and _gap(text, words, i + 1).isspace():
            last = i + 1  # `مقهى ميامي`, `شارع بغداد`: named after a place abroad
        if last is None:
            return []
        if any(k in at for k in range(i + 1, last + 1)) and not all(
                idx.kind[at[k].row] in ("village",) for k in range(i + 1, last + 1) if k in at):
            return []
    after = _anchor_after(last, words, at, idx)
    anchor = after[1] if after else _anchor_before(i, places, sentence_of, listed=off > 0 and tok.text.startswith("و"))
    if anchor is None or anchor < 0:
        return []
    start = tok.start + off
    return [Composed(start, words[last].end, i, last, "landmark", text[start:words[last].end], anchor, bool(after))]


def _named_near(r: int, at: dict[int, Scored], idx: NameIndex) -> bool:
    """Whether the article names another place within NEAR_TOWN_KM of row r (its own town)."""
    return any(x.row != r and x.cand.match != "region" and idx.kind[x.row] != "governorate"
               and km_between(idx, r, x.row) <= NEAR_TOWN_KM for x in {id(v): v for v in at.values()}.values())


def km_between(idx: NameIndex, a: int, b: int) -> float:
    """Distance (km) between two rows' points."""
    return _flat_km(idx.lat[b], idx.lon[b], idx.lat[a], idx.lon[a])


def composed_id(c: Composed, idx: NameIndex) -> str:
    """`C2528-nb-3f2a91c0`: the anchor town's id, the kind, and a digest of the normalised phrase."""
    digest = hashlib.sha1(c.key.encode("utf-8")).hexdigest()[:8]
    return f"{idx.place_id[c.anchor]}-{COMPOSED_TAGS.get(c.kind, COMPOSED_TAGS['landmark'])}-{digest}"
