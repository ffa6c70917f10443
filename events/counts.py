"""Numbers of people in Arabic news: digits, number words, qualifiers and vague amounts.

No maintained library parses Arabic number words together with the qualifiers news use
(`نحو 300`, `ما لا يقل عن 14`, `فاقت الخمسين`, `12 ألفا`), so this is a small parser over the
normalised tokens (arabic.normalize already turns Eastern Arabic digits into 0-9).
A vague amount (`عشرات`, `أعداد كبيرة`) has value None but keeps its text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from arabic.clitics import loose_forms, stems, strip_article
from arabic.numbers import number_word
from arabic.tokens import Token
from events.lexicon import dead_nouns, person_nouns

_VAGUE = [("عشرات",), ("ميات",), ("الاف",), ("الوف",), ("اعداد", "كبيره"), ("اعدادا", "كبيره"),
          ("اعداد", "ضخمه"), ("اعدادا", "ضخمه"), ("عدد", "كبير"), ("عددا", "كبيرا"), ("عدد", "من"),
          ("عددا", "من"), ("العديد",), ("عده",), ("مجموعه", "من"), ("بعض",), ("دفعه",)]
_VAGUE_BY_HEAD: dict[str, list[tuple[str, ...]]] = {}
for _v in sorted(_VAGUE, key=len, reverse=True):
    _VAGUE_BY_HEAD.setdefault(_v[0], []).append(_v)
_QUALIFIERS = [q.split() for q in (
    "نحو", "قرابه", "حوالي", "زهاء", "اكثر من", "ما لا يقل عن", "لا يقل عن", "ما يزيد عن", "ما يزيد علي",
    "يزيد عن", "اقل من", "تجاوز", "تجاوزت", "يتجاوز", "فاق", "فاقت", "يفوق", "بلغ", "بلغت", "ما يقارب",
    "يقارب", "قدر", "اكثر", "بلغ عددهم", "قدر عددهم")]
_QUALIFIERS_BY_LAST: dict[str, list[list[str]]] = {}
for _q in sorted(_QUALIFIERS, key=len, reverse=True):
    _QUALIFIERS_BY_LAST.setdefault(_q[-1], []).append(_q)
_GROUPED = re.compile(r"\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*")
_ANOTHER = {"اخر", "اخرين", "اخرون", "اخري"}


@dataclass(frozen=True, slots=True)
class Count:
    """An amount of people: value None when vague; span and tokens in the normalised text."""

    value: int | None
    start: int
    end: int
    first: int
    last: int
    person: bool


@lru_cache(maxsize=1 << 16)
def _forms(word: str) -> frozenset[str]:
    """The word as written and without its clitics."""
    return stems(word) | {word}


def _parse_number(toks: list[Token], i: int) -> tuple[int, int] | None:
    """The value of the number starting at token i and the index of its last token."""
    t = toks[i].text
    if t[0].isdigit():
        number = _digits(t)
        if number is None:
            return None
        last = i
        if i + 1 < len(toks) and (w := number_word(toks[i + 1].text)) and w[0] == "scale":
            number, last = number * w[1], i + 1
        return round(number), last
    first = number_word(t)
    if first is None or first[0] == "scale" and t in ("الاف", "الوف", "ملايين"):
        return None
    total, cur, last, j = 0, 0, i, i
    while j < len(toks):
        w = number_word(toks[j].text)
        if w is None:
            break
        cls, v = w
        if j > i and cls in ("unit", "ten", "hundred") and not toks[j].text.startswith("و") \
                and not (cls == "unit" and v == 10):
            break  # two separate numbers, not one compound
        if cls == "unit" and v == 10 and j > i and 0 < cur < 10:
            cur += 10  # خمسه عشر
        elif cls == "scale":
            if j > i and cur == 0 and total == 0:
                break
            total += (cur or 1) * v if v != 2000 else 2000
            cur = 0
        else:
            cur += v
        last, j = j, j + 1
    value = total + cur
    if first[1] == 1 and last == i:
        return None  # a lone "one" is almost always the pronoun sense (أحد، واحد منهم)
    return (value, last) if value else None


def _digits(t: str) -> float | None:
    """A written number: `1,500` and `1.500` group thousands; any other `25,4` or `3.5` is a decimal
    (Arabic writes the decimal separator as a comma, and normalisation turns ٫ into a dot)."""
    if _GROUPED.fullmatch(t):
        return float(int(t.replace(",", "").replace(".", "")))
    if t.count(",") + t.count(".") > 1:
        return None
    try:
        return float(t.replace(",", "."))
    except ValueError:
        return None


def _match_seq(toks: list[Token], i: int, seq: list[str] | tuple[str, ...]) -> bool:
    if i < 0 or i + len(seq) > len(toks):
        return False
    return all(seq[k] in _forms(toks[i + k].text) for k in range(len(seq)))


def _qualifier_start(toks: list[Token], i: int) -> int:
    """Index of the first token of a qualifier ending right before token i (skipping a bare `ال`)."""
    j = i - 1 if i > 0 and toks[i - 1].text == "ال" else i
    if j == 0:
        return i
    found = [q for w in _forms(toks[j - 1].text) for q in _QUALIFIERS_BY_LAST.get(w, ())
             if _match_seq(toks, j - len(q), q)]
    return j - max(len(q) for q in found) if found else i


def _is_person(toks: list[Token], i: int) -> bool:
    nouns = person_nouns()
    for k in (i, i + 1):  # "عدد من الجنود", "عشرات من المدنيين"
        if k < len(toks) and not _forms(toks[k].text).isdisjoint(nouns):
            return True
        if k < len(toks) and toks[k].text != "من":
            return False
    return False


@lru_cache(maxsize=1 << 16)
def _may_start(word: str) -> bool:
    """Whether an amount can start at a token spelled `word` (a digit, number word, vague amount or
    people noun); most words cannot, and skipping them keeps the scan cheap."""
    forms = _forms(word)
    return word[0].isdigit() or number_word(word) is not None or not forms.isdisjoint(_VAGUE_BY_HEAD) \
        or not forms.isdisjoint(person_nouns())


_UNIT_WORDS = frozenset({"لواء", "فرقه", "فوج", "كتيبه", "سريه", "قطاع", "بوابه", "مبني", "شارع", "طريق", "حاجز"})


def find_counts(toks: list[Token]) -> list[Count]:
    """Every amount in the tokens, left to right, without overlaps."""
    out: list[Count] = []
    nouns = person_nouns()
    i = 0
    while i < len(toks):
        if not _may_start(toks[i].text):
            i += 1
            continue
        forms = _forms(toks[i].text)
        vague = next((v for h in forms for v in _VAGUE_BY_HEAD.get(h, ()) if len(v) == 1 or _match_seq(toks, i, v)),
                     None)
        parsed = None if vague else _parse_number(toks, i)
        if vague:
            last = i + len(vague) - 1
            q = _qualifier_start(toks, i)
            out.append(Count(None, toks[q].start, toks[last].end, q, last, _is_person(toks, last + 1)))
            i = last + 1
            continue
        if parsed and i > 0 and stems(toks[i - 1].text) & _UNIT_WORDS:
            i = parsed[1] + 1  # `اللواء 47`, `الفرقة 17`: a unit's name, not an amount
            continue
        if parsed:
            value, last = parsed
            q = _qualifier_start(toks, i)
            person = _is_person(toks, last + 1) or (i > 0 and toks[i - 1].text in nouns)
            out.append(Count(value, toks[q].start, toks[last].end, q, last, person))
            i = last + 1
            continue
        number = next((nouns[s] for s in forms if s in nouns), None)
        if number == 2:
            out.append(Count(2, toks[i].start, toks[i].end, i, i, True))
        elif number == 1 and forms & dead_nouns() and not (out and out[-1].last == i - 1):
            out.append(Count(1, toks[i].start, toks[i].end, i, i, True))  # `سقوط قتيل وعدة جرحى`: one dead
        elif number == 1 and i + 1 < len(toks) and toks[i + 1].text in _ANOTHER:
            out.append(Count(1, toks[i].start, toks[i + 1].end, i, i + 1, True))
            i += 1
        i += 1
    return _summed(toks, out)


_WOUNDED = frozenset({"مصاب", "مصابا", "مصابين", "مصابون", "جريح", "جريحا", "جرحي"})


def _wounded(toks: list[Token], c: Count) -> bool:
    """Whether the noun after a count says it counts the wounded (`عشرة مصابين`)."""
    return c.last + 1 < len(toks) and bool(_forms(toks[c.last + 1].text) & _WOUNDED)


def _summed(toks: list[Token], counts: list[Count]) -> list[Count]:
    """People counted in parts joined by و are one number: `ثلاثة أطفال وامرأتان` is five (the wounded
    are no part: `ثمانية ضحايا وعشرة مصابين` counts eight)."""
    out: list[Count] = []
    for c in counts:
        prev = out[-1] if out else None
        between = [t.text for t in toks[prev.last + 2:c.first]] if prev is not None else []
        if (prev is not None and prev.person and c.person and prev.value is not None and c.value is not None
                and not _wounded(toks, prev) and not _wounded(toks, c)
                and c.first > prev.last + 1 and (between == ["و"] or not between and toks[c.first].text.startswith("و"))):
            out[-1] = Count(prev.value + c.value, prev.start, c.end, prev.first, c.last, True)
        else:
            out.append(c)
    return out


def lone_person(toks: list[Token], i: int, definite: bool = False) -> Count | None:
    """One person named by a bare singular noun at token i (`قتل متظاهر` = one protester), or two
    when a second one follows with و (`مقتل امرأة وطفلها`, `رجل وزوجته`)."""
    if not 0 <= i < len(toks):
        return None
    word = strip_article(toks[i].text) if definite else toks[i].text
    if person_nouns().get(word) != 1:
        return None  # `قتل متظاهر`; with `definite` also `اعتقل الشاب` (a verb's object, not a known subject)
    j = i + 1
    if j < len(toks) and toks[j].text.startswith("و") and _singular_person(toks[j].text[1:]):
        return Count(2, toks[i].start, toks[j].end, i, j, True)
    return Count(1, toks[i].start, toks[i].end, i, i, True)


def _singular_person(word: str) -> bool:
    """Whether `word` is a singular people noun, also with a pronoun suffix, including the ه that
    loose_forms leaves alone (ابنه "his son"; زوجته "his wife" = زوجة + ه)."""
    nouns = person_nouns()
    forms = set(loose_forms(word))
    if word.endswith("ته"):
        forms.add(word[:-2] + "ه")
    if word.endswith("ه"):
        forms.add(word[:-1])
    return any(nouns.get(f) == 1 for f in forms)
