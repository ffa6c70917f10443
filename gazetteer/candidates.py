"""Candidate generation: every span of a text that could name a Syrian place.

Three generators, each cheap enough to run on every word:
- exact: a word (with its clitics peeled off) or a run of up to `max_words` words whose key
  is a place name; names written without their space (`كفرزيتا`) hit the spaceless keys;
- regions: `ريف حماة الشمالي`, `ريفي إدلب وحماة` -> the countryside of a governorate;
- fuzzy: a word one letter away from a place name, proposed only in a place slot (after a cue
  word, or in a list next to another candidate), since most one-letter neighbours of village
  names are ordinary words.
Whether a candidate is really a place is decided later (gazetteer.resolve).
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from gazetteer.index import FUZZY_MIN_LEN, NameIndex
from gazetteer.memo import Memo, on
from gazetteer.places import strip_articles
from gazetteer.lexicon import cues, directions
from arabic.clitics import readings
from arabic.tokens import Token


ADMIN_UNIT_KINDS = frozenset({"district", "subdistrict"})


@dataclass(slots=True)
class Candidate:
    """A span of normalised text (tokens first..last) and the places it may name."""

    first: int
    last: int
    start: int  # normalised-text offsets of the name itself (clitics excluded)
    end: int
    key: str  # the normalised words of the span (for a fuzzy match: as written, not the name matched)
    rows: tuple[int, ...]
    match: str  # "exact", "fuzzy" or "region"
    clitic: str = ""  # the letters peeled off the first word
    distance: int = 0
    region: tuple[str, str | None] | None = None  # (admin1 pcode, compass part) for region spans

    @property
    def n_words(self) -> int:
        return self.last - self.first + 1


def exact_candidates(text: str, tokens: list[Token], idx: NameIndex, where: list[int] | None = None) -> list[Candidate]:
    """All exact-name spans; several per word are kept (different lengths, clitic readings).
    `where`: the words to start from (gazetteer.scan's EXACT words), by default all."""
    out: list[Candidate] = []
    cue_words = cues()
    phrases = idx.__dict__.setdefault("_phrases", {})  # key -> rows of a multi-word key (memo)
    known = idx.__dict__.setdefault("_readings", {})  # idx.readings, memoised per word
    n, max_words = len(tokens), idx.max_words
    for i in range(n) if where is None else where:
        tok = tokens[i]
        found = known.get(tok.text)
        for off, stem, rows, opens_name in idx.readings(tok.text) if found is None else found:
            clitic = tok.text[:off]
            if rows and stem not in cue_words:
                out.append(Candidate(i, i, tok.start + off, tok.end, stem, rows, "exact", clitic))
            if not opens_name:
                continue
            words = [stem]
            for j in range(i + 1, min(n, i + max_words)):
                if not text[tokens[j - 1].end:tokens[j].start].isspace():  # gap_is_space
                    break
                words.append(tokens[j].text)
                key = " ".join(words)
                hit = phrases.get(key)
                if hit is None:
                    rows = idx.lookup(key) or (_joinable(words, idx) and idx.lookup(key.replace(" ", ""))) or ()
                    hit = (rows, _extendable(key, idx))
                    if len(phrases) < 500_000:
                        phrases[key] = hit
                rows, longer = hit
                # `مدينة إدلب` as an alias of the district would hide the city the cue points to.
                if rows and stem in cue_words and all(idx.kind[r] in ADMIN_UNIT_KINDS for r in rows):
                    rows = ()
                if rows:
                    out.append(Candidate(i, j, tok.start + off, tokens[j].end, key, rows, "exact", clitic))
                if not longer:
                    break  # no name goes on from here
    return out


def _extendable(key: str, idx: NameIndex) -> bool:
    """Whether some longer phrase `key word...` can still be found by the lookups of exact_candidates:
    a key of the index starts with `key ` or with its article-free form (`idx.lookup`), or with the
    spaceless join of its words, with or without the article (`كفر زيتا` -> `كفرزيتا`). A superset:
    it only stops the search early where nothing can be found."""
    keys = idx.__dict__.get("_sorted_keys")
    if keys is None:
        keys = idx.__dict__["_sorted_keys"] = sorted(idx.rows)
    joined = key.replace(" ", "")
    prefixes = [key + " ", strip_articles(key), joined]
    if joined.startswith("ال"):
        prefixes.append(joined[2:])
    for p in prefixes:
        k = bisect_left(keys, p)
        if k < len(keys) and keys[k].startswith(p):
            return True
    return False


def _joinable(words: list[str], idx: NameIndex) -> bool:
    """Whether words may be read as one spaceless name (`كفر زيتا` = `كفرزيتا`): not when a word is a
    function word or very common (`على أنه` is not `عليانه`), nor when the first is a place on its own
    (`حلب إن` is Aleppo, not `حلبان`)."""
    return not idx.lookup(words[0]) and all(idx.commonness(w) < 5.0 and len(w) > 1 for w in words[1:])


_RIF = frozenset({"ريف", "ريفي", "الريف", "ارياف"})
_SECTOR = frozenset({"القطاع", "الجزء", "الجهه", "القسم"})
# `شمال حلب`, `جنوب شرقي إدلب`: a compass noun before a governorate's name names that countryside.
_COMPASS_NOUNS = {"شمال": "north", "جنوب": "south", "شرق": "east", "غرب": "west",
                  "شمالي": "north", "جنوبي": "south", "شرقي": "east", "غربي": "west"}
_COMBINE = {("north", "east"): "northeast", ("north", "west"): "northwest",
            ("south", "east"): "southeast", ("south", "west"): "southwest"}
_PLACE_PREPS = frozenset({"في", "من", "الي"})  # `من شمال حلب إلى غربها`: a place, not a bearing
_NO_COUNTRYSIDE = frozenset({"SY01"})  # Damascus governorate is the city: its countryside is SY03
REGION_WORDS = _RIF | _SECTOR | frozenset(_COMPASS_NOUNS)  # gazetteer.scan's REGION: the words that open a region phrase


def region_candidates(text: str, tokens: list[Token], idx: NameIndex, where: list[int] | None = None) -> list[Candidate]:
    """Countryside phrases: `ريف X [direction]`, `ريفي X وY`, `ريفي X الشرقي والشمالي الشرقي`,
    `الريف الشمالي لدرعا`, `القطاع الشرقي من ريف درعا`, `شمال حلب`, and a town's countryside
    `ريف منبج`. A direction with no governorate named after it (`الريف الجنوبي`) is no candidate.
    Each direction is its own candidate (its own referent, `SYxx-D`). `where`: the words that can
    start one (gazetteer.scan's REGION words: a countryside, sector or compass word behind any
    clitics), by default all."""
    out: list[Candidate] = []
    i = 0
    for k in range(len(tokens)) if where is None else where:
        if k < i:
            continue
        i = k
        tok = tokens[i]
        hit = _rif_reading(tok.text)
        if hit is None:
            g = _compass_noun_region(text, tokens, i, idx)
            if g is not None:
                out.append(g)
                i = g.last + 1
            else:
                i += 1
            continue
        off, word = hit
        made = _rif_phrase(text, tokens, i, off, word, idx)
        if made:
            out += made
            i = max(c.last for c in made) + 1
        else:
            i += 1
    return out


@lru_cache(maxsize=200_000)
def _reading_stems(word: str) -> frozenset[str]:
    """The stems of a word's readings (`وريف` -> ريف, وريف)."""
    return frozenset(st for _, st in readings(word))


@lru_cache(maxsize=200_000)
def _rif_reading(word: str) -> tuple[int, str] | None:
    """The first reading of a word that is a countryside or sector word (`وريف` -> (1, ريف)), or None."""
    return next(((off, st) for off, st in readings(word) if st in _RIF or st in _SECTOR), None)


def _directions_at(text: str, tokens: list[Token], j: int) -> list[tuple[str, int, int]]:
    """Direction adjectives from token j: [(part, first token, last token)], joined by و or `،`
    (`الشرقي والشمالي الشرقي`). The first follows with spaces only; later ones need و or a comma."""
    compass = directions()
    out: list[tuple[str, int, int]] = []
    k = j
    while k < len(tokens):
        gap = text[tokens[k - 1].end:tokens[k].start] if k > 0 else ""
        word = tokens[k].text
        if not out:
            if gap and not gap.isspace():
                break
            first = word
        elif gap.strip() in ("،", ","):
            first = word[1:] if word.startswith("و") and (word[1:],) in compass else word
        elif gap.isspace() and word.startswith("و"):
            first = word[1:]
        else:
            break
        if first not in _direction_firsts():
            break  # no direction starts with it
        found = None
        for m in (2, 1):
            words = (first, *(t.text for t in tokens[k + 1:k + m]))
            if len(words) == m and words in compass and (m == 1 or _spaced(text, tokens, k, k + 1)):
                found = (compass[words], k, k + m - 1)
                break
        if found is None:
            break
        out.append(found)
        k = found[2] + 1
    return out


@lru_cache(maxsize=1)
def _direction_firsts() -> frozenset[str]:
    """The first words of the direction adjectives (`الشرقي`, `الشمالي` of `الشمالي الشرقي`)."""
    return frozenset(words[0] for words in directions())


def _rif_phrase(text: str, tokens: list[Token], i: int, off: int, word: str, idx: NameIndex) -> list[Candidate]:
    n = len(tokens)
    start = tokens[i].start + off
    if i + 1 >= n or not _spaced(text, tokens, i, i + 1):
        return []
    if word in _SECTOR:
        # `القطاع الشرقي [والشمالي الشرقي] من ريف درعا`
        dirs = _directions_at(text, tokens, i + 1)
        if not dirs:
            return []
        k = dirs[-1][2] + 1
        if k + 1 < n and tokens[k].text == "من" and _spaced(text, tokens, k, k + 1):
            k += 1
        if k + 1 >= n or not any(st == "ريف" for _, st in readings(tokens[k].text)):
            return []
        govs = _governorates_at(text, tokens, k + 1, idx)
        if not govs:
            return []
        return _split(text, tokens, i, start, govs[0][0], dirs, govs[0][1], idx)
    j = i + 1
    if "محافظه" in _reading_stems(tokens[j].text) and j + 1 < n:
        j += 1  # `ريف محافظة درعا الغربي`
    named = [r for r in idx.lookup(f"ريف {tokens[i + 1].text}") if idx.kind[r] == "governorate"]
    if named and word in ("ريف", "ريفي"):
        govs = [(idx.admin1[named[0]], i + 1, tokens[i + 1].start)]
    else:
        govs = _governorates_at(text, tokens, j, idx)
    if govs and govs[0][0] in _NO_COUNTRYSIDE and not named:
        govs = []
    if govs:
        if word == "ريفي" and len(govs) == 1:
            nxt = govs[0][1] + 1
            if nxt < n and tokens[nxt].text.startswith("و") and _spaced(text, tokens, nxt - 1, nxt):
                govs += _governorates_at(text, tokens, nxt, idx, strip_waw=True)[:1]
        last = govs[-1][1]
        dirs = _directions_at(text, tokens, last + 1) if _spaced(text, tokens, last, min(last + 1, n - 1)) else []
        if named and not dirs:
            return []  # plain `ريف دمشق`: the exact governorate candidate covers it
        if len(govs) == 2:
            part = dirs[0][0] if dirs else None
            end_tok = dirs[0][2] if dirs else last
            out = []
            for g, (pcode, gov_last, g_start) in enumerate(govs):
                s0 = start if g == 0 else g_start
                lt = gov_last if g == 0 else end_tok
                out.append(Candidate(i if g == 0 else govs[0][1] + 1, lt, s0, tokens[lt].end,
                                     text[s0:tokens[lt].end], (idx.governorate_row[pcode],), "region",
                                     region=(pcode, part)))
            return out
        pcode = govs[0][0]
        if not dirs:
            return [Candidate(i, last, start, tokens[last].end, text[start:tokens[last].end],
                              (idx.governorate_row[pcode],), "region", region=(pcode, None))]
        return _split(text, tokens, i, start, pcode, dirs, None, idx)
    # `الريف الشمالي [والشرقي] لدرعا` / `الريف الجنوبي` (the governorate named last)
    dirs = _directions_at(text, tokens, i + 1)
    if dirs:
        k = dirs[-1][2] + 1
        govs = _governorates_at(text, tokens, k, idx, clitic="ل") if k < n and _spaced(text, tokens, k - 1, k) else []
        if govs:
            return _split(text, tokens, i, start, govs[0][0], dirs, govs[0][1], idx)
        return []
    # `ريف منبج`: the countryside of a town that seats a district
    if word in ("ريف", "ريفي"):
        for m in (2, 1):
            if i + m >= n or not _spaced(text, tokens, i + 1, i + m):
                continue
            rows = idx.lookup(" ".join(t.text for t in tokens[i + 1:i + 1 + m]))
            towns = [r for r in rows if r in idx.district_of_seat]
            if len(towns) == 1:
                last = i + m
                d = _directions_at(text, tokens, last + 1)
                last = d[0][2] if d else last
                return [Candidate(i, last, start, tokens[last].end, text[start:tokens[last].end], (towns[0],),
                                  "region", region=("town", d[0][0] if d else None))]
    return []


def _split(text: str, tokens: list[Token], i: int, start: int, pcode: str, dirs: list[tuple[str, int, int]],
           gov_last: int | None, idx: NameIndex) -> list[Candidate]:
    """One candidate per direction: the first spans from the phrase's start, the last through a
    trailing governorate (`الريف الشمالي والشمالي الشرقي لدرعا`)."""
    out = []
    row = idx.governorate_row[pcode]
    for d, (part, a, b) in enumerate(dirs):
        first = i if d == 0 else a
        s0 = start if d == 0 else tokens[a].start + (1 if tokens[a].text.startswith("و") else 0)
        last = gov_last if (d == len(dirs) - 1 and gov_last is not None) else b
        out.append(Candidate(first, last, s0, tokens[last].end, text[s0:tokens[last].end], (row,), "region",
                             region=(pcode, part)))
    return out


def _compass_noun_region(text: str, tokens: list[Token], i: int, idx: NameIndex) -> Candidate | None:
    """`شمال حلب`, `جنوب شرقي إدلب`: a compass noun, maybe a second one, then a governorate's name."""
    tok = tokens[i]
    for off, st in readings(tok.text):
        part = _COMPASS_NOUNS.get(st)
        if part is None:
            continue
        # Only as a place of its own (`في غرب حلب`), not a bearing from another place (`X غرب حلب`).
        if not (tok.text[:off].endswith("ب") or (i > 0 and tokens[i - 1].text in _PLACE_PREPS and not off)):
            return None
        j = i + 1
        if j < len(tokens) and _spaced(text, tokens, i, j) and tokens[j].text in _COMPASS_NOUNS:
            combo = _COMBINE.get((part, _COMPASS_NOUNS[tokens[j].text]))
            if combo:
                part, j = combo, j + 1
        if j >= len(tokens) or not _spaced(text, tokens, j - 1, j):
            return None
        govs = _governorates_at(text, tokens, j, idx)
        if not govs or govs[0][0] in _NO_COUNTRYSIDE:
            return None
        pcode, last, _ = govs[0]
        start = tok.start + off
        return Candidate(i, last, start, tokens[last].end, text[start:tokens[last].end],
                         (idx.governorate_row[pcode],), "region", region=(pcode, part))
    return None


def _spaced(text: str, tokens: list[Token], a: int, b: int) -> bool:
    """Whether words a..b follow each other with nothing but blanks between them (one phrase)."""
    for k in range(a, b):
        if not text[tokens[k].end:tokens[k + 1].start].isspace():  # gap_is_space
            return False
    return True


def _governorates_at(text: str, tokens: list[Token], i: int, idx: NameIndex, strip_waw: bool = False,
                     clitic: str = "", any_clitic: bool = False) -> list[tuple[str, int, int]]:
    """The governorate named at token i (1-2 words) as [(pcode, last token, start offset)], or [].

    `clitic`: the first word must carry exactly this clitic (`لدرعا`); `any_clitic`: any reading."""
    size = len(tokens)
    for n in (2, 1):
        if i + n > size or (n == 2 and not text[tokens[i].end:tokens[i + 1].start].isspace()):  # _spaced
            continue
        first_word, start = tokens[i].text, tokens[i].start
        if strip_waw:
            if not first_word.startswith("و"):
                return []
            first_word, start = first_word[1:], start + 1
        rest = " " + tokens[i + 1].text if n == 2 else ""
        if clitic:
            firsts = [(off, st) for off, st in readings(first_word) if first_word[:off] == clitic]
        elif any_clitic:
            firsts = readings(first_word)
        else:
            firsts = ((0, first_word),)
        for off, first in firsts:
            gov = _one_governorate(first + rest, idx)
            if gov is not None:
                return [(gov, i + n - 1, start + off)]
    return []


def _one_governorate(key: str, idx: NameIndex) -> str | None:
    """The governorate `key` names (its own name or its capital's), when exactly one; memoised per key."""
    memo = idx.__dict__.setdefault("_governorate_of", {})
    hit = memo.get(key, "")
    if hit == "":
        govs = {idx.admin1[r] for r in idx.lookup(key) if idx.is_container(r)}
        hit = govs.pop() if len(govs) == 1 else None
        if len(memo) < 200_000:
            memo[key] = hit
    return hit


def fuzzy_candidates(tokens: list[Token], slots: set[int], covered: set[int],
                     idx: NameIndex, max_zipf: float) -> list[Candidate]:
    """One-edit matches for words in place slots that no exact candidate covers; a word as
    common as `max_zipf` is itself a word (`المعارضة`), not a misspelt village."""
    out: list[Candidate] = []
    for i in sorted(slots - covered):
        tok = tokens[i]
        for off, stem, rows, distance in fuzzy_readings(tok.text, idx, max_zipf):
            out.append(Candidate(i, i, tok.start + off, tok.end, stem, rows, "fuzzy", tok.text[:off], distance=distance))
    return out


def fuzzy_readings(word: str, idx: NameIndex, max_zipf: float) -> tuple[tuple[int, str, tuple[int, ...], int], ...]:
    """The one-edit matches `fuzzy_candidates` makes of a word: (clitic length, stem, rows, distance) for each
    reading (none when the word or the reading is as common as `max_zipf`). Memoised per index and word."""
    memo = fuzzy_memo(idx, max_zipf)
    hit = memo.get(word)
    if hit is None:
        out = []
        if idx.commonness(word) < max_zipf:
            for off, stem in readings(word):
                if idx.commonness(stem) >= max_zipf:
                    continue
                hits = idx.fuzzy(stem)
                if not hits:
                    continue
                # All one-edit neighbours of the word form one candidate: context picks the place.
                rows = tuple(sorted({r for key, _ in hits for r in idx.rows[key]}))
                out.append((off, stem, rows, min(d for _, d in hits)))
        hit = tuple(out)
        if len(memo) < 200_000:
            memo[word] = hit
    return hit


def fuzzy_worth(idx: NameIndex, max_zipf: float) -> Memo:
    """word -> whether fuzzy_candidates would make a candidate of it: long enough, with a one-edit match
    (`fuzzy_readings`). Memoised per index and max_zipf."""
    return on(idx, f"_fuzzy_worth {max_zipf}", _fuzzy_worth, idx, max_zipf)


def _fuzzy_worth(idx: NameIndex, max_zipf: float, word: str) -> bool:
    return len(word) >= FUZZY_MIN_LEN and bool(fuzzy_readings(word, idx, max_zipf))


def fuzzy_memo(idx: NameIndex, max_zipf: float) -> dict[str, tuple]:
    """word -> its `fuzzy_readings` so far, for this index and max_zipf."""
    memos = idx.__dict__.get("_fuzzy_readings")
    if memos is None:
        memos = idx.__dict__["_fuzzy_readings"] = {}
    memo = memos.get(max_zipf)
    if memo is None:
        memo = memos[max_zipf] = {}
    return memo
