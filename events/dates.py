"""Dates in Arabic news: explicit (Gregorian and Levantine month names) and relative to publication.

dateparser (evaluated first) parses `31 يناير 2021`, `أمس` and `منذ يومين`, but not the Levantine
months (`نيسان`), `يوم الاثنين الماضي`, `أول من أمس`, `أواخر الشهر الماضي` or ordinal days
(`السادس والعشرين من نيسان`), and its search mode takes a bare weekday for the coming one; so
dates are found here with patterns over the normalised text (alef/hamza, ta marbuta and digits
already unified by arabic.normalize). time_precision: 1 day, 2 within a week, 3 month, 4 year.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from arabic.numbers import UNITS

_MONTHS = {
    "يناير": 1, "كانون الثاني": 1, "فبراير": 2, "شباط": 2, "مارس": 3, "اذار": 3, "ابريل": 4, "نيسان": 4,
    "مايو": 5, "ايار": 5, "يونيو": 6, "يونيه": 6, "حزيران": 6, "يوليو": 7, "يوليه": 7, "تموز": 7,
    "اغسطس": 8, "اب": 8, "سبتمبر": 9, "ايلول": 9, "اكتوبر": 10, "تشرين الاول": 10, "نوفمبر": 11,
    "تشرين الثاني": 11, "ديسمبر": 12, "كانون الاول": 12,
}
_WEEKDAYS = {"الاثنين": 0, "الثلاثاء": 1, "الاربعاء": 2, "الخميس": 3, "الجمعه": 4, "السبت": 5, "الاحد": 6}
_ORD_UNITS = {"الاول": 1, "الحادي": 1, "الثاني": 2, "الثالث": 3, "الرابع": 4, "الخامس": 5, "السادس": 6,
              "السابع": 7, "الثامن": 8, "التاسع": 9, "العاشر": 10}
_ORDINALS = {w: v for w, v in _ORD_UNITS.items() if w != "الحادي"}
_ORDINALS.update({f"{w} عشر": v + 10 for w, v in _ORD_UNITS.items() if v < 10 and w != "الاول"})
_ORDINALS.update({"العشرين": 20, "الثلاثين": 30})
_ORDINALS.update({f"{w} و{t}": v + tv for w, v in _ORD_UNITS.items() if v < 10 and w != "الاول"
                  for t, tv in (("العشرين", 20), ("الثلاثين", 30)) if v + tv <= 31})


def _alt(words: Iterable[str]) -> str:
    """A regex alternation of phrases, longest first (so `اسبوعين` wins over `اسبوع`), any spaces
    between their words."""
    return "|".join(sorted((re.escape(w).replace(r"\ ", r"\s+") for w in words), key=len, reverse=True))


_B, _E = r"(?<![\w])", r"(?![\w])"
_PAST = r"(?P<past>\s+الماضي|\s+الفايت|\s+المنصرم)?"
# A span of days or weeks: "منذ يومين", "قبل ثلاثة أيام", "منذ 10 أيام", "قبل أسبوعين".
_SPAN_UNITS = {"يومين": 2, "ايام": 3, "اسبوع": 7, "اسبوعين": 14}  # alone; ايام: a few days
_SPAN_WORDS = {"ايام": 1, "يوما": 1, "يوم": 1, "اسابيع": 7, "اسبوعا": 7}  # after a number
_SPAN_NUMBERS = {w: v for w, v in UNITS.items() if v >= 3}
_SPAN = rf"(?:(?P<k>\d{{1,3}}|{_alt(_SPAN_NUMBERS)})\s+(?P<unit>{_alt(_SPAN_WORDS)})|(?P<n>{_alt(_SPAN_UNITS)}))"
_MONTH = rf"(?P<m1>{_alt(_MONTHS)})(?:\s*[(/-]?\s*(?P<m2>{_alt(_MONTHS)})\s*\)?)?"
_YEAR = r"(?:\s*(?:من\s+)?(?:عام|العام|سنه)?\s*(?P<y>(?:19|20)\d\d))?"
_PART = r"(?P<part>اواخر|اواسط|اوايل|مطلع|منتصف|بدايه|نهايه|اخر|اول)\s+(?:شهر\s+)?"
_DAY = rf"(?P<d>\d{{1,2}}|{_alt(_ORDINALS)})"
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [(k, re.compile(_B + "(?:" + p + ")" + _E)) for k, p in [
    ("dmy", rf"(?:(?:يوم\s+)?(?:{_alt(_WEEKDAYS)})\s*[,،]?\s*)?(?:ال\s*)?{_DAY}\s*(?:من\s+)?(?:شهر\s+)?{_MONTH}{_YEAR}{_PAST}"),
    ("my", rf"(?:{_PART})?(?:شهر\s+)?{_MONTH}{_YEAR}{_PAST}"),
    ("dm_rel", rf"(?:ال\s*)?{_DAY}\s*(?:من\s+)?(?:هذا\s+)?الشهر\s+(?P<rel>الجاري|الحالي|الماضي|الفايت|المنصرم)"),
    ("ymd", r"(?P<y>(?:19|20)\d\d)[-/.](?P<mn>\d{1,2})[-/.](?P<d>\d{1,2})"),
    ("dmy_num", r"(?P<d>\d{1,2})[-/.](?P<mn>\d{1,2})[-/.](?P<y>(?:19|20)\d\d)"),
    ("before_yesterday", r"اول\s+من\s+امس|امس\s+الاول|اول\s+امس"),
    ("weekday", rf"(?:يوم\s+)?(?:امس\s+)?(?P<wd>{_alt(_WEEKDAYS)}){_PAST}"
                r"(?P<next>\s+المقبل|\s+القادم)?"),
    ("yesterday", r"(?:يوم\s+|مساء\s+|ليل\s+|صباح\s+|ليله\s+)?امس|الليله\s+الماضيه"),
    ("today", r"اليوم|صباح\s+اليوم|مساء\s+اليوم"),
    ("days_ago", rf"(?:منذ|قبل)\s+{_SPAN}"),
    ("recent_days", r"(?:خلال\s+)?(?:في\s+)?الايام\s+(?:القليله\s+)?(?:الماضيه|الاخيره|الفايته)"),
    ("last_week", r"الاسبوع\s+(?:الماضي|الفايت|المنصرم)"),
    ("last_month", rf"(?:{_PART})?الشهر\s+(?:الماضي|الفايت|المنصرم)"),
    ("this_month", rf"(?:{_PART})?الشهر\s+(?:الجاري|الحالي)"),
    ("year", r"(?:في\s+)?(?:عام|العام|سنه)\s+(?P<y>(?:19|20)\d\d)"),
    ("last_year", r"العام\s+(?:الماضي|الفايت|المنصرم)"),
    ("this_year", r"(?:العام|السنه)\s+(?:الجاري|الحالي)"),
]]
# What each pattern cannot match without: a word (short ones as whole words, longer ones anywhere,
# as they may carry clitics: بالشهر، وكانون), or for the numeric dates a digit, separator, digit.
# Patterns whose cue is absent are not run at all: most sentences hold no date.
_NUMERIC = "0/0"  # stands for the numeric cue in _NEEDS; not a word
_NEEDS = {k: frozenset(v) for k, v in {
    "dmy": list(_MONTHS), "my": list(_MONTHS), "dm_rel": ["الشهر"], "before_yesterday": ["امس"], "yesterday": ["امس", "الليله"],
    "weekday": list(_WEEKDAYS), "today": ["اليوم"], "days_ago": ["منذ", "قبل"], "recent_days": ["الايام"],
    "last_week": ["الاسبوع"], "last_month": ["الشهر"], "this_month": ["الشهر"], "year": ["عام", "سنه"],
    "last_year": ["العام"], "this_year": ["العام", "السنه"], "ymd": [_NUMERIC], "dmy_num": [_NUMERIC],
}.items()}
_SHORT = frozenset(w for ws in _NEEDS.values() for w in ws if len(w) < 4 and w != _NUMERIC)
_LONG = frozenset(w for ws in _NEEDS.values() for w in ws if len(w) >= 4)
_NUMERIC_CUE = re.compile(r"\d[-/.]\d")
_WORDS = re.compile(r"\w+")
_SPACES = re.compile(r"\s+")
_PART_DAY = {"اواخر": 25, "نهايه": 25, "اخر": 25, "اواسط": 15, "منتصف": 15, "اوايل": 5, "مطلع": 5, "بدايه": 5, "اول": 5}
_SINCE = re.compile(r"(?:منذ|حتي|لغايه)\s+(?:\S+\s+){0,3}$")
_FROM = re.compile(r"منذ\s+(?:\S+\s+){0,3}$")  # `منذ الأحد`: the start of a span (not `حتى`, its end)
# `المعارك المستمرة منذ 19 نيسان`, `معركته المستمرة منذ أيام`: when a going-on began, not what a clause tells
_GOING = r"(?<!\w)(?:ال)?(?:مستمره?|متواصله?|دايره?)\s+"
_ONGOING = re.compile(_GOING + r"منذ\s+(?:\S+\s+){0,3}$")
_GOING_ON = re.compile(_GOING + "$")  # before a `منذ أيام` the match itself begins with


@dataclass(frozen=True, slots=True)
class DateHit:
    """A date expression at [start, end) of the normalised text; `since` marks the start of a span
    (`منذ بداية العام`), which dates an ongoing situation, not an incident."""

    start: int
    end: int
    date: dt.date
    precision: int
    since: bool = False
    explicit: bool = True
    ongoing: bool = False  # the start of a going-on the clause speaks of (`المستمرة منذ`): no date of its own
    runs_from: bool = False  # a `منذ` span's start (`منذ الأحد`), not a `حتى` span's end


def _month_day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _infer_year(month: int, day: int, pub: dt.date | None, past: bool) -> int | None:
    """Year of a day-month without one: the publication's, or the year before when that would put
    the date well after publication (or after it at all when the text says الماضي)."""
    if pub is None:
        return None
    d = _month_day(pub.year, month, min(day, 28))
    if d and (d > pub + dt.timedelta(days=0 if past else 31)):
        return pub.year - 1
    return pub.year


def _key(words: str) -> str:
    """A matched phrase as its table key (the pattern allows any run of spaces between words)."""
    return _SPACES.sub(" ", words)


def _day(g: dict[str, str]) -> int:
    """The day of the month of a match: digits or an ordinal word (الخامس، الحادي والعشرين)."""
    return int(g["d"]) if g["d"].isdigit() else _ORDINALS[_key(g["d"])]


def _month_start(pub: dt.date, previous: bool) -> dt.date:
    """The first day of the publication's month, or of the month before."""
    first = pub.replace(day=1)
    return (first - dt.timedelta(days=1)).replace(day=1) if previous else first


def _resolve(kind: str, m: re.Match[str], pub: dt.date | None) -> tuple[dt.date, int] | None:
    """(date, precision) of a match of pattern `kind`, None when it cannot be dated (a relative
    expression without a publication date, an impossible day, a future weekday)."""
    g = m.groupdict()
    if kind == "my" and not (g.get("y") or g.get("part") or g.get("m2") or g.get("past") or "شهر" in m.group()):
        return None  # a bare month name is too often another word (مارس "practised", اب "father")
    if kind in ("dmy", "my"):
        month = _MONTHS[_key(g["m1"])]
        if kind == "dmy":
            day, precision = _day(g), 1
        else:
            day, precision = _PART_DAY.get(g.get("part") or "", 15), 3
        year = int(g["y"]) if g.get("y") else _infer_year(month, day, pub, bool(g.get("past")))
        if year is None:
            return None
        d = _month_day(year, month, day)
        return (d, precision) if d else None
    if kind == "dm_rel":
        if pub is None:
            return None
        first = _month_start(pub, previous=g["rel"] not in ("الجاري", "الحالي"))
        d = _month_day(first.year, first.month, _day(g))
        return (d, 1) if d else None
    if kind in ("ymd", "dmy_num"):
        d = _month_day(int(g["y"]), int(g["mn"]), int(g["d"]))
        return (d, 1) if d else None
    if kind == "year":
        return dt.date(int(g["y"]), 7, 1), 4
    if pub is None:
        return None
    if kind == "before_yesterday":
        return pub - dt.timedelta(days=2), 1
    if kind == "yesterday":
        return pub - dt.timedelta(days=1), 1
    if kind == "today":
        return pub, 1
    if kind == "weekday":
        if g.get("next"):
            return None
        back = (pub.weekday() - _WEEKDAYS[g["wd"]]) % 7
        if back == 0 and g.get("past"):
            back = 7
        return pub - dt.timedelta(days=back), 1
    if kind == "days_ago":
        if g["n"]:
            days = _SPAN_UNITS[g["n"]]
        else:
            days = (int(g["k"]) if g["k"].isdigit() else _SPAN_NUMBERS[g["k"]]) * _SPAN_WORDS[g["unit"]]
        return pub - dt.timedelta(days=days), 1 if days <= 2 else 2 if days <= 14 else 3
    if kind == "recent_days":
        return pub - dt.timedelta(days=3), 2
    if kind == "last_week":
        return pub - dt.timedelta(days=7), 2
    if kind in ("last_month", "this_month"):
        first = _month_start(pub, previous=kind == "last_month")
        m_part = re.match(_PART, m.group())
        day = _PART_DAY[m_part.group("part")] if m_part else 15
        d = _month_day(first.year, first.month, day) or first
        return (min(d, pub), 3)
    if kind == "last_year":
        return dt.date(pub.year - 1, 7, 1), 4
    if kind == "this_year":
        return pub, 4
    return None


def long_cues(text: str) -> frozenset[str]:
    """The longer cue words of dates found anywhere in `text`: an article is scanned for them once, and
    `find_dates` looks for only these in each of its sentences."""
    return frozenset(w for w in _LONG if w in text)


def find_dates(text: str, published: dt.date | None, present: frozenset[str] | None = None) -> list[DateHit]:
    """Every date expression in normalised `text`, left to right, longest first, no overlaps. `present`:
    `long_cues` of a text `text` is part of (by default all)."""
    found: list[DateHit] = []
    taken: list[tuple[int, int]] = []
    words = set(_WORDS.findall(text))
    cues = (words & _SHORT) | {w for w in (_LONG if present is None else present) if w in text}
    if _NUMERIC_CUE.search(text):
        cues.add(_NUMERIC)
    for kind, pattern in _PATTERNS:
        if cues.isdisjoint(_NEEDS[kind]):
            continue
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            resolved = _resolve(kind, m, published)
            if resolved is None:
                continue
            before = text[max(0, m.start() - 40):m.start()]
            ongoing = bool(_ONGOING.search(before) or kind == "days_ago" and m.group().startswith("منذ")
                           and _GOING_ON.search(before))
            since = bool(_SINCE.search(before)) and kind != "days_ago" or ongoing
            runs_from = since and bool(_FROM.search(before))
            explicit = kind in ("dmy", "my", "ymd", "dmy_num", "year")
            found.append(DateHit(m.start(), m.end(), resolved[0], resolved[1], since, explicit, ongoing, runs_from))
            taken.append((m.start(), m.end()))
    return sorted(found, key=lambda h: h.start)


def publication_date(text: str, title_end: int) -> dt.date | None:
    """The article's own date from the top of normalised `text`: the first full explicit date after
    the title (a page banner usually comes before it), else the first one before it."""
    hits = [h for h in find_dates(text[:2000], None) if h.explicit and h.precision == 1 and h.date.year >= 1990]
    after = [h for h in hits if h.start >= title_end]
    if after:
        return after[0].date
    return hits[0].date if hits else None
