"""Step one of resolution: the features of each candidate span, computed once into a record.

Two questions, as in mordecai: (1) does the span name a place at all, and (2) which of the
gazetteer rows it may name is meant. This module measures; `gazetteer.resolve` scores what it
measured with the weights table (gazetteer/data/weights.tsv) and never looks at the text again.

`SpanFeatures` (question 1): the prior from the data — how common the span is as an ordinary
Arabic word (wordfreq) against how prominent the place is — and the evidence around it: a cue
word (`بلدة`), a preposition, a list of other places, a governorate named next to it; a person
title (`النقيب`), a fixed expression (`حزب البعث`) or a foreign name vetoes it.
`RowFeatures` (question 2): how well each gazetteer row fits the cue's kind, the governorates
the sentence and the article talk about, and the article's other places.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from arabic.clitics import readings
from arabic.normalize import name_key
from arabic.numbers import number_word
from arabic.tokens import Token
from gazetteer.candidates import ADMIN_UNIT_KINDS, Candidate
from gazetteer.index import NameIndex
from gazetteer.memo import Memo, on
from gazetteer.lexicon import (FUNCTION_WORDS, PREPOSITIONS, Cue, cue_of, cues, directions, expression_starts,
                               expressions_by_first,
                               foreign_adjectives,
                               foreign_countries,
                               name_heads, person_titles)
from gazetteer.weights import Weights

_LIST_GAP = re.compile(r"\s*\)?\s*[,،\-–—/:؛(]?\s*(?:و\s+)?")  # `أ، ب`, `أ و ب`, `أ – ب`, `عين العرب (كوباني)`
_PREP_CLITICS = {"ب", "وب", "فب", "ل", "ول", "فل"}
_CONNECTORS = frozenset({"في", "من", "ب"})


class SpanFeatures(NamedTuple):
    """What the text and the data say about one candidate span (question 1: is it a place?).

    Immutable (a named tuple: made for every candidate of every article, and cheap to make)."""

    match: str  # "exact", "fuzzy" or "region"
    n_words: int
    clitic: str
    distance: int  # edits of a fuzzy match
    zipf: float  # how common the span is as an ordinary word (Zipf; 0 rare)
    prominence: float  # of the most prominent place whose own name the span is
    capital_name: bool  # the own name of a governorate or governorate capital
    prior: float  # belief before context, from the five fields above
    cue: Cue | None = None  # cue word right before (`بلدة`), or inherited from a plural cue of the list
    cue_kind: bool = False  # ... announcing a kind one of the span's places has
    cue_clash: bool = False  # ... announcing a kind that no place of the span has, all of them admin units
    prep: bool = False  # a preposition before (`في`, a ب/ل clitic)
    gov_sentence: bool = False  # the sentence names the governorate of one of its places
    gov_after: str | None = None  # pcode of the governorate / region named right after (`X بريف حماة`)
    gov_part: str | None = None  # compass part of that region (`X بريف حماة الشمالي`)
    gov_after_fit: bool = False  # one of the span's places lies in that governorate
    in_list: bool = False  # member of an enumeration with a confident place, or after a plural cue
    vetoed: str = ""  # "person", "expression", "cue word", "function word", "number", "tanween", "partial name",
    # "abroad", "common noun", "adjective", "verb", "organisation"
    foreign: bool = False  # also the name of a place abroad: needs a cue or a governorate beside it


def _record(values: tuple) -> SpanFeatures:
    """SpanFeatures(*values) with every field given, in order, without the named tuple's Python-level __new__."""
    return tuple.__new__(SpanFeatures, values)


_GOVERNORATE_ONLY = frozenset({"governorate"})


class RowFeatures(NamedTuple):
    """How well one gazetteer row fits a chosen span (question 2: which place is it?). Immutable."""

    kind: str
    prominence: float
    cue_kind: bool
    gov_after: bool
    sentence: bool
    article_share: float
    closeness: float  # 0 for rows with no point to be near (admin units)


@dataclass(slots=True)
class Scored:
    """A candidate, its features, its score and (once chosen) its gazetteer row."""

    cand: Candidate
    f: SpanFeatures
    score: float = 0.0
    row: int = -1


# The span model's inputs, in the order of `span_vector`; their weights are `span_<name>` in weights.tsv,
# fitted by `python -m gazetteer fit` (logistic regression, cross-validated by document).
SPAN_FEATURES = ("prior", "multiword", "fuzzy", "region", "clitic_other", "cue", "cue_kind", "cue_nofit_common",
                 "prep", "prep_prominent", "in_list", "gov_sentence", "gov_after_fit", "foreign", "bare", "bare_zipf")


def span_vector(f: SpanFeatures) -> tuple[float, ...]:
    """The record as numbers for the span model (see SPAN_FEATURES). How common a name is against how
    prominent its place is enters through `prior` only (prior_* weights): the gold sets hold too few
    everyday words to learn that trade-off (`فتح الباب`) from raw Zipf and prominence."""
    common = f.zipf >= 4.0
    bare = not (f.cue or f.prep or f.in_list or f.gov_after_fit or f.gov_sentence)
    return (f.prior, float(f.n_words > 1), float(f.match == "fuzzy"), float(f.match == "region"),
            float(bool(f.clitic) and f.clitic not in ("و", "ف")),
            float(f.cue is not None), float(f.cue_kind), float(f.cue is not None and not f.cue_kind and common),
            float(f.prep), f.prominence * f.prep, float(f.in_list), float(f.gov_sentence), float(f.gov_after_fit),
            float(f.foreign), float(bare), bare * f.zipf / 8.0)


def prior_features(c: Candidate, whole: str, idx: NameIndex, w: Weights) -> SpanFeatures:
    """The record's data fields and the prior they give.

    A rare word that is a place name is very likely that place; a common word needs evidence.
    A prominent place (governorate capital, district town) keeps a high prior unless its name
    is also a very common word (`الباب` the door, `دوما` always). Prominence counts for a
    place's own name only, not for every variant a source lists (`المدينة` for al-Raqqa). A
    clitic reading of a word that is itself common (`وكالات` = و + كالات) is judged by the whole word.
    `foreign`: the name (or the word as written) is also a place abroad's.
    """
    if c.match == "region":
        return SpanFeatures(c.match, c.n_words, c.clitic, 0, 0.0, 1.0, True, w.prior_region)
    z = idx.commonness(c.key) if not c.clitic else max(idx.commonness(c.key), idx.commonness(whole))
    # A clitic reading of a word that is itself common (`ورقة` = و + رقة) gets no lift from prominence.
    p = 0.0 if c.clitic and idx.commonness(whole) >= 4.0 else idx.name_prominence(c.key)
    # Only the name as its own (`الرقة`, not `رقة` of `ورقة`/`فرقة`), and not behind a clitic that
    # makes an ordinary common word of it.
    capital = c.key in idx.capital_names and not (c.clitic and idx.commonness(whole) >= 4.0)
    zz = z - w.prior_multiword_zipf if c.n_words > 1 else z
    common = min(w.prior_common_max, max(w.prior_common_min, w.prior_common_intercept - w.prior_common_slope * zz))
    prominent = p - max(0.0, zz - w.prior_prominent_zipf_over) * w.prior_prominent_zipf_slope \
        if p >= w.prior_prominent_min else 0.0
    if capital:
        prominent = max(prominent, w.prior_capital if zz < w.prior_capital_zipf else w.prior_capital_common)
    base = max(common, prominent)
    if c.match == "fuzzy":
        base = min(base, w.prior_fuzzy_max) - w.prior_fuzzy_distance * c.distance
    if c.clitic and c.clitic not in ("و", "ف"):
        base -= w.prior_clitic
    return SpanFeatures(c.match, c.n_words, c.clitic, c.distance, z, p, capital, base,
                        foreign=_foreign_name(whole, c, idx))


def _prev_stems(tokens: list[Token], i: int) -> list[str]:
    return [s for _, s in readings(tokens[i].text)] if i >= 0 else []


@lru_cache(maxsize=200_000)
def _word_facts(word: str) -> tuple[bool, bool, bool]:
    """(a preposition, a person's title or given name, a generic head word of place names): what a word
    before a span says, through any of its readings. Memoised per word: news reuses its words."""
    stems = [s for _, s in readings(word)]
    heads, titles = name_heads(), person_titles()
    return (any(x in PREPOSITIONS for x in stems), any(x in titles for x in stems), any(x in heads for x in stems))


def local_evidence(f: SpanFeatures, c: Candidate, text: str, tokens: list[Token], expressions: set[int],
                   idx: NameIndex, tanween: frozenset[int] = frozenset()) -> SpanFeatures:
    """The record with the evidence of the words right around the span (cue, preposition, vetoes)."""
    cue, cue_kind, cue_clash, prep, vetoed, foreign = local_fields(f, c, text, tokens, expressions, idx, tanween)
    return f._replace(prep=prep, vetoed=vetoed, foreign=foreign, cue=cue, cue_kind=cue_kind, cue_clash=cue_clash)


LocalFields = tuple  # (cue, cue_kind, cue_clash, prep, vetoed, foreign): SpanFeatures fields of local_evidence


def local_fields(f: SpanFeatures, c: Candidate, text: str, tokens: list[Token], expressions: set[int],
                 idx: NameIndex, tanween: frozenset[int] = frozenset()) -> LocalFields:
    """The fields `local_evidence` sets, as a tuple, so that the record is built once (see context_evidence)."""
    # Context words count only when spaces alone separate them from the name (`مدينة. حماة` does not).
    first, clitic = c.first, c.clitic
    # ... or spaces and an opening quote: `مدينة "دوما"` names the town as plainly as `مدينة دوما`
    adjacent = first > 0 and text[tokens[first - 1].end:tokens[first].start].strip(_OPENING_QUOTES).isspace()
    facts, cue = _WORD_INFO[tokens[first - 1].text] if adjacent else _NO_INFO  # the word before
    prep_clitic = clitic in _PREP_CLITICS
    if prep_clitic:
        cue = None
    prep = prep_clitic or facts[0]
    vetoed = ""
    # `النقيب مصطفى`, `محمد الأحمد`, `النقيب ناجي مصطفى`: a name, not a place. A surname takes no
    # conjunction or preposition, so `عين عيسى وتل أبيض` is a second place, not عيسى's family, and
    # `عين عيسى بريف الرقة` the countryside.
    if not clitic and c.match != "region" and (facts[1] or (
            f.n_words == 1 and f.prior < 0.9 and adjacent
            and _name_word_before(text, tokens, first - 1))):
        vetoed = "person"
    if expressions and (first in expressions or (
            c.last > first and any(k in expressions for k in range(first + 1, c.last + 1)))):
        vetoed = "expression"
    place = c.match != "region"
    foreign = f.foreign  # prior_features: a name of a place abroad too
    if place and f.n_words == 1 and c.key in cues():
        vetoed = "cue word"
    if cue is None:
        cue_kind = cue_clash = False
    else:  # cue_fields
        kinds = rows_info(idx)[c.rows][0]
        cue_kind = not kinds.isdisjoint(cue.kinds)
        cue_clash = not cue_kind and kinds <= ADMIN_UNIT_KINDS
    if place and not vetoed:
        vetoed = _hard_constraints(c, text, tokens, facts, cue, cue_kind, tanween, idx)
    return (cue, cue_kind, cue_clash, prep, vetoed, foreign)


_OPENING_QUOTES = "\"“«'(["  # and brackets: `بلدات (جملة – الشجرة)`
_NO_FACTS = (False, False, False)
_NO_INFO = (_NO_FACTS, None)


def _word_info_of(word: str) -> tuple[tuple[bool, bool, bool], Cue | None]:
    return _word_facts(word), cue_of(word)


_WORD_INFO = Memo(_word_info_of)  # a word before a span -> (`_word_facts`, `cue_of`), in one look-up


def rows_info(idx: NameIndex) -> Memo:
    """rows -> (the kinds of the rows, whether all are minor places: prominence < 0.5, their governorates,
    whether one is a container: `idx.is_container`), memoised per index."""
    return on(idx, "_rows_info", _rows_info_of, idx)


def _rows_info_of(idx: NameIndex, rows: tuple[int, ...]) -> tuple[frozenset[str], bool, frozenset[str | None], bool]:
    prominence = idx.as_list("prominence")
    return (frozenset(idx.kind[r] for r in rows), all(prominence[r] < 0.5 for r in rows),
            frozenset(idx.admin1[r] for r in rows), any(idx.is_container(r) for r in rows))


def _foreign_name(word: str, c: Candidate, idx: NameIndex) -> bool:
    """Whether the span is also the name of a place abroad (memoised per word, clitic and name).
    `للبنان` reads as ل + البنان (a village) but is ل + لبنان: the raw rest of the word counts too."""
    memo = idx.__dict__.get("_foreign_memo")
    if memo is None:
        memo = idx.__dict__["_foreign_memo"] = {}
    key = (word, len(c.clitic), c.key, c.n_words == 1)
    hit = memo.get(key)
    if hit is None:
        n = len(c.clitic)
        forms = [st for off, st in readings(word) if off <= n] + [word[n:]] if c.n_words == 1 else []
        hit = any(r in idx.foreign for r in forms + [c.key])
        if len(memo) < 200_000:
            memo[key] = hit
    return hit


# Bits of `_KEY_FLAGS`: what a one-word span's key is, as far as the hard constraints ask.
_FUNCTION, _COMPASS, _DUAL, _VERB_SHAPE, _HEAD = 1, 2, 4, 8, 16


def _key_flags_of(key: str) -> int:
    return ((_FUNCTION if key in FUNCTION_WORDS else 0) | (_COMPASS if key in _COMPASS_WORDS else 0)
            | (_DUAL if key in _cue_duals() else 0)
            | (_VERB_SHAPE if not key.startswith("ال") and (len(key) == 3 or (len(key) == 4 and key[0] in _IMPERFECT))
               else 0)
            | (_HEAD if not key.startswith("ال") and key in name_heads() else 0))


_KEY_FLAGS = Memo(_key_flags_of)  # a one-word key -> its bits


@lru_cache(maxsize=1)
def _one_word_directions() -> frozenset[str]:
    """The direction adjectives of one word (`الشرقي`): `(w,) in directions()`."""
    return frozenset(d[0] for d in directions() if len(d) == 1)


def _has_twin(idx: NameIndex, key: str, direction: str) -> bool:
    """Whether the gazetteer knows `key` + another one-word direction than `direction` (memoised per index)."""
    memo = idx.__dict__.get("_twins")
    if memo is None:
        memo = idx.__dict__["_twins"] = {}
    hit = memo.get((key, direction))
    if hit is None:
        hit = any(idx.lookup(f"{key} {d}") for d in _one_word_directions() if d != direction)
        if len(memo) < 200_000:
            memo[(key, direction)] = hit
    return hit


def _hard_constraints(c: Candidate, text: str, tokens: list[Token], facts: tuple[bool, bool, bool], cue: Cue | None,
                      cue_kind: bool, tanween: frozenset[int], idx: NameIndex) -> str:
    """Why a span cannot be a place whatever the weights say, or "". `facts`: `_word_facts` of the word
    before (if only spaces separate it); `cue`, `cue_kind`: the cue before it and whether its kind fits.

    - a function word (`على`, `إن`) is a place only after a singular cue word of its kind and with no object
      of its own after it (`قرية على في ريف دير الزور`; `بلدة على الأقل`, `على بعد` are a preposition);
    - a definite word after `عدد`/`أعداد` (`عدد العالقين`) is the noun counted, not a place;
    - a common definite word after a cue of areas (`مناطق الصراع`, `منطقة الاشتباك`) is the noun of the
      phrase, not a minor place's name;
    - a number word without the article (`أربعين`) counts, unless a singular cue of its kind names it;
    - a word written with tanween (`دوماً`) is an adverb or an indefinite noun, never a name;
    - after a generic head word (`خربة المليحة`, `زور الحيصة`, `باب السباع`) the span is the tail of a
      longer name the gazetteer lacks, not the place of the short name;
    - a country's adjective right after (`سنجار العراقية`, `الدوما الروسي`) or `في`/`ب` + a foreign
      country (`سنجار في العراق`) places a minor namesake abroad (not a base or site: `قاعدة حميميم
      الروسية` is run by Russians in Syria).
    """
    k = c.last + 1
    nxt = tokens[k].text if k < len(tokens) and text[tokens[k - 1].end:tokens[k].start].isspace() else ""
    if c.last == c.first:
        flags = _KEY_FLAGS[c.key]
        if flags & _FUNCTION and not (cue and not cue.plural and cue_kind and _phrase_ends(nxt)):
            return "function word"
        if flags & _COMPASS and not (cue and not cue.plural and cue_kind and "region" not in cue.kinds):
            return "function word"
        if not c.key.startswith("ال") and number_word(c.key) and not (cue and not cue.plural and cue_kind):
            return "number"  # `نحو أربعين طالبا`: forty, not the village `الأربعين`
        if c.first in tanween:
            return "tanween"
        if flags & _DUAL:
            return "cue word"  # `قريتين` two villages, not `القريتين`
        if not cue and nxt in _PERSON_LINKS:
            return "person"  # `رامي عبد الرحمن`, `سعد بن معاذ`: a given name, not a place
        if cue and cue.plural and not c.clitic and not c.key.startswith("ال") and idx.commonness(c.key) >= 4.0 \
                and rows_info(idx)[c.rows][1]:
            return "adjective"  # `مناطق هامة`: an indefinite common word after a plural noun describes it
        if c.key.startswith("ال") and not c.clitic and c.first > 0 and tokens[c.first - 1].text in _COUNT_NOUNS \
                and _spaces_between(text, tokens, c.first):
            return "common noun"  # `عدد العالقين`: the number of the stranded
        if cue and "region" in cue.kinds and c.key.startswith("ال") and idx.commonness(c.key) >= AREA_NOUN_ZIPF \
                and rows_info(idx)[c.rows][1]:
            return "common noun"  # `مناطق الصراع`: the areas of the conflict
        if flags & _VERB_SHAPE and not cue and not facts[0] and c.clitic not in _PREP_CLITICS \
                and _verb_reading(c, text, tokens, nxt, idx):
            return "verb"
        if flags & _HEAD and nxt and _name_tail(nxt, idx):
            return "partial name"  # `تلول خليف`: the head of a longer name the gazetteer lacks (not `الباب`)
    if not c.clitic and facts[2]:
        return "partial name"
    if not nxt:
        return ""
    if nxt in _OUTLET_WORDS:
        return "organisation"  # `مركز حماة الإعلامي`: part of an outlet's name
    if nxt in _one_word_directions() and _has_twin(idx, c.key, nxt):
        # `X الغربية` that the gazetteer lacks while it knows a twin `X الشرقية`: a place of its own, not X
        # (the known forms are longer candidates, chosen first; `الكرك الشرقي` with no twin stays `الكرك`).
        return "partial name"
    if nxt in foreign_adjectives() and not (cue and "airbase" in cue.kinds or rows_info(idx)[c.rows][0] & _SITE_KINDS):
        return "abroad"  # but `قاعدة حميميم الروسية`: the base's operator, not its country
    after = tokens[k + 1].text if nxt == "في" and k + 1 < len(tokens) else (nxt[1:] if nxt.startswith("ب") else "")
    if after and after in foreign_countries() and rows_info(idx)[c.rows][1]:  # a minor place
        return "abroad"
    return ""


_COMPASS_WORDS = frozenset(name_key(w) for w in ("شمال", "جنوب", "شرق", "غرب", "شمالي", "جنوبي", "شرقي", "غربي"))
_PERSON_LINKS = frozenset(name_key(w) for w in ("عبد", "بن"))  # given name + `عبد X` / `بن X`
_OUTLET_WORDS = frozenset(name_key(w) for w in ("الإعلامي", "الإعلامية", "الإخباري", "الإخبارية"))
_AMOUNT_WORDS = frozenset(name_key(w) for w in ("عشرات", "مئات", "آلاف", "عدة", "عددا", "معظم"))  # and number words
_COUNT_NOUNS = frozenset(name_key(w) for w in ("عدد", "أعداد", "حصيلة"))  # `عدد العالقين`: a noun is counted
_SITE_KINDS = frozenset({"airbase", "landmark"})  # a nationality after them names who runs them
AREA_NOUN_ZIPF = 4.5  # from this commonness a definite word after `منطقة`/`مناطق` reads as a noun (`الصراع` 4.8)
_IMPERFECT = ("ت", "ي", "ن")  # prefixes of the present tense (`تدمر` destroys, `تسيل` flows)


@lru_cache(maxsize=1)
def _cue_duals() -> frozenset[str]:
    """Dual forms of the singular cue words (`قريتين`, `بلدتين`, `مدينتين`): a count, never a name."""
    out = set()
    for w, cue in cues().items():
        if cue.plural or w.startswith("ال"):
            continue
        stem = w[:-1] + "ت" if w.endswith("ه") else w
        out.update({stem + "ين", stem + "ان"})
    return frozenset(out)


def _phrase_ends(nxt: str) -> bool:
    """Whether the word after a span (`nxt`, "" after punctuation) starts no phrase of the span's own: none,
    a preposition or the next item of a list (`… على، وحطلة`, `… على في ريف …`)."""
    return not nxt or nxt in PREPOSITIONS or nxt.startswith("و")


def _name_tail(word: str, idx: NameIndex) -> bool:
    """Whether a word right after a head word reads as the rest of its name: a rare word that is no
    function word, cue, preposition, number or place of its own."""
    return (len(word) > 2 and word not in FUNCTION_WORDS and word not in PREPOSITIONS and cue_of(word) is None
            and not word.isdigit() and idx.commonness(word) < 4.5 and not idx.readings(word))


def _verb_reading(c: Candidate, text: str, tokens: list[Token], nxt: str, idx: NameIndex) -> bool:
    """A bare one-word name shaped like a verb (three letters, `دمر` destroyed, or four with a present-tense
    prefix, `تدمر` destroys) used as one: an object follows (a number, `دمر ثلاث دبابات`; an indefinite
    plural, `تدمر مستشفيات`) or it is joined by و to another verb (`تحرق وتدمر`)."""
    w = c.key
    if w.startswith("ال") or not (len(w) == 3 or (len(w) == 4 and w[0] in _IMPERFECT)):
        return False
    if nxt and (nxt in _AMOUNT_WORDS or number_word(nxt) or (nxt.isdigit() and not 1900 <= int(nxt) <= 2100)
                or (not nxt.startswith("ال") and nxt.endswith("ات") and len(nxt) >= 5 and not idx.readings(nxt))):
        return True
    if c.clitic == "و" and c.first > 0 and _spaces_between(text, tokens, c.first):
        prev = tokens[c.first - 1].text
        if len(prev) == len(w) and prev[0] == w[0] and not idx.readings(prev) and prev not in FUNCTION_WORDS:
            return True  # `تحرق وتدمر`, `قصف ودمر`
    if nxt.startswith("و") and len(nxt) == len(w) + 1 and nxt[1] == w[0] and not idx.readings(nxt[1:]):
        return True  # `تدمر وتشعل`
    return False


def cue_fields(cue: Cue | None, c: Candidate, idx: NameIndex) -> dict:
    if cue is None:
        return {"cue": None, "cue_kind": False, "cue_clash": False}
    kinds = {idx.kind[r] for r in c.rows}
    fit = bool(kinds & set(cue.kinds))
    return {"cue": cue, "cue_kind": fit, "cue_clash": not fit and kinds <= ADMIN_UNIT_KINDS}


def _spaces_between(text: str, tokens: list[Token], i: int) -> bool:
    """Whether only blanks separate word i from the word before it."""
    return text[tokens[i - 1].end:tokens[i].start].isspace()


def _name_word_before(text: str, tokens: list[Token], i: int) -> bool:
    """Whether word i directly follows (spaces only) a title or given name (`النقيب`, `محمد`)."""
    if i < 1 or not _spaces_between(text, tokens, i):
        return False
    return _word_facts(tokens[i - 1].text)[1]


def fixed_expression_tokens(tokens: list[Token], where: list[int] | None = None) -> set[int]:
    """Indices of the words that belong to a fixed expression such as `حزب البعث` (clitics allowed on its first word).
    `where`: the words that may open one (gazetteer.scan's EXPRESSION words), by default all."""
    out: set[int] = set()
    size = len(tokens)
    for i in range(size) if where is None else where:
        tok = tokens[i]
        firsts = expression_starts(tok.text)
        if not firsts:
            continue
        by_first = expressions_by_first()
        nxt = tokens[i + 1].text if i + 1 < size else None
        for st in firsts:
            for expr in by_first.get(st, ()):
                n = len(expr)
                if n == 1 or (expr[1] == nxt and tuple(t.text for t in tokens[i + 1:i + n]) == expr[1:]):
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


def context_evidence(scored: list[Scored], text: str, tokens: list[Token], sentence_of: list[int],
                     idx: NameIndex, local: list[LocalFields] | None = None) -> dict[int, list[Scored]]:
    """Fill the features that depend on the other candidates: the governorate named right after a
    span, and the governorates its sentence names. Returns the candidates by first word.

    `local`: each candidate's `local_fields`, not yet in its record (which is then built here, once);
    without it the records already hold them (`local_evidence`)."""
    by_first: dict[int, list[Scored]] = {}
    for s in scored:
        by_first.setdefault(s.cand.first, []).append(s)
    # Governorates the sentence speaks of (`ريف دمشق`, `محافظة درعا`, `ريفي إدلب وحماة`).
    sentence_govs: dict[int, set[str]] = {}
    admin1, info = idx.admin1, rows_info(idx)
    for n, s in enumerate(scored):
        vetoed = local[n][4] if local is not None else s.f.vetoed
        if not vetoed and (s.cand.match == "region" or info[s.cand.rows][0] == _GOVERNORATE_ONLY):
            sentence_govs.setdefault(sentence_of[s.cand.first], set()).add(admin1[s.cand.rows[0]])
    n_tokens = len(tokens)
    for n, s in enumerate(scored):
        c = s.cand
        k = c.last + 1  # _container finds nothing unless the next word is a candidate, a connector or a cue
        container = _container(s, by_first, tokens, idx) if c.match != "region" and k < n_tokens and (
            k in by_first or tokens[k].text in _CONNECTORS or cue_of(tokens[k].text) is not None) else None
        gov_after = gov_part = None
        if container is not None:
            g = container.cand
            gov_after = idx.admin1[g.rows[0]] if g.match == "region" else next(
                idx.admin1[r] for r in g.rows if idx.is_container(r))
            gov_part = g.region[1] if g.match == "region" else None
        govs = sentence_govs.get(sentence_of[c.first])
        a1s = info[c.rows][2]  # the governorates of its places
        fit = gov_after is not None and gov_after in a1s
        in_sentence = c.match != "region" and govs is not None and not a1s.isdisjoint(govs)
        f = s.f
        if local is None:
            s.f = f._replace(gov_after=gov_after, gov_part=gov_part, gov_after_fit=fit, gov_sentence=in_sentence)
        else:
            cue, cue_kind, cue_clash, prep, vetoed, foreign = local[n]
            s.f = _record((f.match, f.n_words, f.clitic, f.distance, f.zipf, f.prominence, f.capital_name, f.prior,
                           cue, cue_kind, cue_clash, prep, in_sentence, gov_after, gov_part, fit, f.in_list,
                           vetoed, foreign))
    return by_first


def with_list(f: SpanFeatures, in_list: bool, cue: Cue | None, cue_kind: bool, cue_clash: bool) -> SpanFeatures:
    """The record with its list membership (and the cue a list lends it) changed: `replace`, faster."""
    return _record((f.match, f.n_words, f.clitic, f.distance, f.zipf, f.prominence, f.capital_name, f.prior,
                    cue, cue_kind, cue_clash, f.prep, f.gov_sentence, f.gov_after, f.gov_part, f.gov_after_fit,
                    in_list, f.vetoed, f.foreign))


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
            contains = g.cand.match == "region" or rows_info(idx)[g.cand.rows][3]
            if contains and (linked or "ب" in g.cand.clitic or g.cand.match == "region"):
                return g
        if tokens[k].text in _CONNECTORS or cue_of(tokens[k].text) is not None:
            linked = True
            k += 1
            continue
        return None
    return None


def list_neighbours(s: Scored, by_first: dict[int, list[Scored]], text: str,
                    tokens: list[Token], by_last: dict[int, list[tuple[int, Scored]]] | None = None) -> list[Scored]:
    """The candidates s is listed with: those right after it, then those before it (by first word, then in
    the order of the candidates). `by_last` (candidates by last word, with their order) makes it faster."""
    c = s.cand
    out = [n for k in (c.last + 1, c.last + 2) for n in by_first.get(k, ())
           if list_adjacent(text, c, n.cand, tokens)]
    if by_last is None:
        for k in range(max(0, c.first - 8), c.first):
            out += [n for n in by_first.get(k, ()) if list_adjacent(text, n.cand, c, tokens)]
        return out
    # A list member before s ends one or two words before it (list_adjacent).
    lo = max(0, c.first - 8)
    before = [(n.cand.first, order, n) for k in (c.first - 1, c.first - 2) for order, n in by_last.get(k, ())
              if lo <= n.cand.first < c.first and list_adjacent(text, n.cand, c, tokens)]
    if len(before) > 1:
        before.sort(key=lambda t: (t[0], t[1]))
    return out + [n for _, _, n in before]


_NO_POINT_KINDS = frozenset({"governorate", *ADMIN_UNIT_KINDS})


def list_links(scored: list[Scored], by_first: dict[int, list[Scored]], text: str,
               tokens: list[Token]) -> dict[int, list[Scored]]:
    """`list_neighbours` of every candidate (by id), each adjacent pair tested once."""
    after: dict[int, list[Scored]] = {id(s): [] for s in scored}
    before: dict[int, list[tuple[int, int, Scored]]] = {}
    size = len(tokens)
    for order, a in enumerate(scored):
        c = a.cand
        k = c.last + 1
        # Two words on, only across a lone `و` (list_adjacent).
        ks = (k, k + 1) if k < size and tokens[k].text == "و" else (k,)
        for k in ks:
            for b in by_first.get(k, ()):
                if list_adjacent(text, c, b.cand, tokens):
                    after[id(a)].append(b)
                    if c.first >= b.cand.first - 8:  # list_neighbours looks back 8 words
                        before.setdefault(id(b), []).append((c.first, order, a))
    for key, found in before.items():
        found.sort(key=lambda t: (t[0], t[1]))
        after[key] = after[key] + [a for _, _, a in found]
    return after


def row_features(s: Scored, r: int, sentence: set[str], art_share: dict[str, float], anchor_pts: np.ndarray,
                 idx: NameIndex, near_km: float, near: float | None = None) -> RowFeatures:
    """`near`: the row's closeness when already computed (`closeness_of_rows`)."""
    a1 = idx.admin1[r]
    kind = idx.kind[r]
    return RowFeatures(
        kind=kind, prominence=float(idx.prominence[r]),
        cue_kind=bool(s.f.cue and kind in s.f.cue.kinds),
        gov_after=s.f.gov_after == a1, sentence=a1 in sentence, article_share=art_share.get(a1, 0.0),
        closeness=0.0 if kind in _NO_POINT_KINDS
        else near if near is not None else closeness(idx.lat[r], idx.lon[r], anchor_pts, near_km))


def closeness_of_rows(rows: tuple[int, ...], pts, idx: NameIndex, near_km: float) -> dict[int, float]:
    """`closeness` of several rows at once, the same numbers as row by row. `pts`: the (lat, lon) pairs of the
    article's places (a list, or `closeness`'s array; none, or a first NaN, and every row is 0).

    An article has a few rows and points: the distances are worked out in plain Python (numpy's cost per call
    would outweigh them) with numpy's operations in numpy's order, and the exponentials by one np.exp, whose
    last bit can differ from math.exp's."""
    if not len(pts) or math.isnan(pts[0][0]):
        return dict.fromkeys(rows, 0.0)
    lats, lons, coss = idx.as_list("lat"), idx.as_list("lon"), _cos_lat(idx)
    pts = [(float(a), float(b)) for a, b in pts]
    some_nan = any(a != a or b != b for a, b in pts)
    sqrt, rad = math.sqrt, _RADIANS
    nearest = []
    for r in rows:
        lat, lon, cos = lats[r], lons[r], coss[r]
        if some_nan or lat != lat or lon != lon:
            nearest.append(math.nan)  # numpy's min is NaN when a distance is
            continue
        d = math.inf
        for a, b in pts:
            dlat, dlon = (a - lat) * rad, (b - lon) * rad * cos
            x = 6371.0 * sqrt(dlat * dlat + dlon * dlon)  # numpy squares by multiplying
            if x < d:
                d = x
        nearest.append(-d / near_km)
    return dict(zip(rows, np.exp(nearest).tolist()))


_RADIANS = math.pi / 180.0  # np.radians(x) is x * (pi / 180), as math.radians


def _cos_lat(idx: NameIndex) -> list[float]:
    """math.cos(math.radians(lat)) of every row (made once per index)."""
    out = idx.__dict__.get("_cos_lat")
    if out is None:
        out = idx.__dict__["_cos_lat"] = [math.cos(math.radians(x)) for x in idx.lat.tolist()]
    return out


def closeness(lat: float, lon: float, pts: np.ndarray, near_km: float) -> float:
    """1 near another place of the article, falling to 0 beyond ~100 km."""
    if np.isnan(pts[0, 0]):
        return 0.0
    dlat = np.radians(pts[:, 0] - lat)
    dlon = np.radians(pts[:, 1] - lon) * math.cos(math.radians(lat))
    d = 6371.0 * np.sqrt(dlat ** 2 + dlon ** 2)
    return float(np.exp(-d.min() / near_km))
