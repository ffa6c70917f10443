"""Sentences -> events: type, count, date, actors and place, one event per (incident, place).

How a sentence becomes events:
- it is cut into clauses at connectives that start a separate incident (فيما، في حين، بينما،
  تزامنا مع…); commas are kept, because they mostly separate list items and asides;
- in a clause, place mentions that merely contain another mention of the sentence (the
  governorate or countryside of a named town) are dropped, and adjacent places form groups
  ("A، B وC"); each group's scope runs from the previous group to it (the last one to the clause
  end), so "طفلين قتلا بقصف على A وشخص آخر بقصف طال B" gives 2 at A and 1 at B;
- a group's type is the highest-priority trigger in its scope (else the previous group's in the
  clause), its count the first number of people there (else the clause's), its date the first
  date of the clause (else the sentence's, else the publication date at week precision);
- a clause with triggers but no place takes the nearest preceding place of the paragraph, else the
  title's; with none the event is kept unlocated;
- finally, reports of the same kind of incident at the same place in one article are merged, and a
  placeless follow-up (`عدد المنشقين بلغ 40`) fills in the count and date of the preceding report.
"""
from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field

from events.corpus import Article
from events.counts import Count, find_counts
from events.dates import DateHit, find_dates
from events.lexicon import Match, Token, Trigger, actors, cues, tokenize, triggers
from gazetteer.mention import Mention
from gazetteer.normalize import Normalized, normalize

COLUMNS = ["event_id", "doc", "article_id", "title", "source", "url", "event_date", "time_precision",
           "event_type", "count", "count_text", "actors", "place_id", "location_ar", "location_en", "kind",
           "admin1", "admin2", "latitude", "longitude", "geo_precision", "evidence", "evidence_start",
           "evidence_end"]
# When one scope has cues of several types, the incident is the first of these (the attack that
# caused the deaths, the defection the flight was part of); the others describe it.
PRIORITY = ["defection", "desertion", "airstrike", "bombing", "shelling", "clashes", "arrest", "killing", "other"]
FAMILY = {"airstrike": "attack", "shelling": "attack"}
_RANK = {"country": 0, "governorate": 1, "district": 2, "region": 3, "subdistrict": 3, "city": 4}
_PRECISION = {"country": 3, "governorate": 3, "district": 3, "subdistrict": 2, "region": 2}
_SENTENCE = re.compile(r".+?(?:[.!?؟؛;]+(?=\s)|[.!?؟؛;]*$)")
_CONNECTIVES = [tuple(c.split()) for c in ("فيما", "في حين", "بينما", "تزامنا مع", "بالتزامن مع", "حيث", "وسط",
                                            "في غضون ذلك", "الي ذلك", "من جهه اخري", "من ناحيه اخري")]
_LIST_WORDS = {"و", "في", "من", "مدن", "بلدات", "قري", "مدينه", "بلده", "قريه", "بلدتي", "قريتي", "مدينتي",
               "اطراف", "حي", "احياء", "منطقه", "مناطق", "ريف", "ريفي", "بريف", "بريفي", "كل", "ومدن", "وبلدات",
               "وقري", "واطراف"}
_DATELINE = re.compile(r"^\s*[-–—]\s*\S+")  # "دمشق - وكالات:" names where the report was filed


@dataclass(slots=True)
class _Draft:
    """An event before merging; `count_rank` says how trustworthy its count is."""

    row: dict
    family: str
    sentence: int
    count_rank: int
    dated: bool
    siblings: list["_Draft"] = field(default_factory=list)


def _between(items, start: int, end: int, key=lambda x: x.start):
    """Items whose key lies in [start, end) (items sorted by that key)."""
    keys = [key(x) for x in items]
    return items[bisect.bisect_left(keys, start):bisect.bisect_left(keys, end)]


def _contains(a: Mention, b: Mention) -> bool:
    """Whether place `a` is a container of `b` (the governorate, district or countryside it lies in)."""
    ra, rb = _RANK.get(a.kind, 5), _RANK.get(b.kind, 5)
    if ra >= rb:
        return False
    if a.kind == "country":
        return True
    if a.kind in ("district", "subdistrict") and a.admin2 and b.admin2:
        return a.admin2 == b.admin2
    return bool(a.admin1) and a.admin1 == b.admin1


def geo_precision(kind: str, near: bool) -> int:
    """1 a named town/village/site, 2 part of or near a place or a countryside, 3 governorate or wider."""
    base = _PRECISION.get(kind, 1)
    return 2 if near and base == 1 else base


class _Doc:
    """One article's normalised text with everything found in it, for the per-sentence steps."""

    def __init__(self, article: Article, mentions: list[Mention]):
        self.article = article
        self.norm: Normalized = normalize(article.text)
        self.text = self.norm.text
        self.pub = dt.date.fromisoformat(article.published) if article.published else None
        self.toks: list[Token] = tokenize(self.text)
        self.tok_starts = [t.start for t in self.toks]
        self.triggers: list[Match[Trigger]] = list(triggers().find(self.toks))
        self.negations = list(cues("negation").find(self.toks))
        self.injury = list(cues("injury").find(self.toks)) + list(cues("subset").find(self.toks))
        self.near = list(cues("near").find(self.toks))
        self.actors = list(actors().find(self.toks))
        self.dates: list[DateHit] = [d for d in find_dates(self.text, self.pub)
                                     if self.pub is None or d.date <= self.pub + dt.timedelta(days=1)]
        self.counts: list[Count] = [c for c in find_counts(self.toks) if not self._in_date(c)]
        self.mentions = sorted(((self._to_norm(m.start), self._to_norm(m.end), m) for m in mentions
                                if not self._is_dateline(m)), key=lambda x: x[0])

    def _to_norm(self, offset: int) -> int:
        return bisect.bisect_left(self.norm.index, offset)

    def _in_date(self, c: Count) -> bool:
        return any(d.start < c.end and c.start < d.end for d in self.dates)

    def _is_dateline(self, m: Mention) -> bool:
        text = self.article.text
        line_start = text.rfind("\n", 0, m.start) + 1
        return not text[line_start:m.start].strip() and bool(_DATELINE.match(text[m.end:m.end + 20])) and \
            ":" in text[m.end:m.end + 30]

    def tok_index(self, char: int) -> int:
        return bisect.bisect_left(self.tok_starts, char)

    def orig(self, start: int, end: int) -> tuple[int, int]:
        return self.norm.span(start, end)


def _sentences(text: str) -> list[tuple[int, int, int]]:
    """(paragraph number, start, end) of each sentence; paragraphs are lines."""
    out = []
    pos = 0
    for para, line in enumerate(text.split("\n")):
        for m in _SENTENCE.finditer(line):
            s, e = m.start(), m.end()
            while s < e and line[s].isspace():
                s += 1
            while e > s and line[e - 1].isspace():
                e -= 1
            if e > s and re.search(r"\w", line[s:e]):
                out.append((para, pos + s, pos + e))
        pos += len(line) + 1
    return out


def _clauses(doc: _Doc, start: int, end: int) -> list[tuple[int, int]]:
    toks = doc.toks[doc.tok_index(start):doc.tok_index(end)]
    cuts = [start]
    for i, t in enumerate(toks):
        if i == 0:
            continue
        for conn in _CONNECTIVES:
            if tuple(x.text for x in toks[i:i + len(conn)]) == conn or (len(conn) == 1 and t.text == "و" + conn[0]):
                cuts.append(t.start)
                break
    cuts.append(end)
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a]


def _live_triggers(doc: _Doc, start: int, end: int) -> list[Match[Trigger]]:
    """Triggers in [start, end) not cancelled by a negation or fear cue just before them."""
    out = []
    for t in _between(doc.triggers, start, end):
        if not any(0 <= t.first - n.last <= 3 and n.last < t.first for n in doc.negations):
            out.append(t)
    return out


def _event_type(trigs: list[Match[Trigger]]) -> str | None:
    types = {t.payload.event_type for t in trigs}
    return next((p for p in PRIORITY if p in types), None)


def _valid_counts(doc: _Doc, start: int, end: int, trigs: list[Match[Trigger]]) -> list[Count]:
    """Counts of people in [start, end): a number before a people noun, or right next to a trigger;
    not one that counts the wounded or a subset ("بينهم ضابطان")."""
    out = []
    for c in _between(doc.counts, start, end):
        if any(0 <= c.first - i.last <= 2 for i in doc.injury):
            continue
        if c.person or any(-4 <= c.first - t.last <= 5 or 0 <= t.first - c.last <= 2 for t in trigs):
            out.append(c)
    return out


def _pick_count(counts: list[Count]) -> Count | None:
    return next((c for c in counts if c.value is not None), None) or next(iter(counts), None)


def _groups(doc: _Doc, places: list[tuple[int, int, Mention]]) -> list[list[tuple[int, int, Mention]]]:
    """Adjacent places separated only by commas, و and words like مدن/بلدات form one group."""
    groups: list[list[tuple[int, int, Mention]]] = []
    for p in places:
        if groups:
            gap = doc.text[groups[-1][-1][1]:p[0]]
            words = [w for w in re.findall(r"\w+", gap)]
            if all(w in _LIST_WORDS for w in words) and len(words) <= 3:
                groups[-1].append(p)
                continue
        groups.append([p])
    return groups


def _title_place(doc: _Doc) -> tuple[int, int, Mention] | None:
    title = doc.article.title
    at = doc.article.text.find(title) if title else -1
    if at < 0:
        return None
    s, e = doc._to_norm(at), doc._to_norm(at + len(title))
    inside = [m for m in doc.mentions if s <= m[0] < e]
    return max(inside, key=lambda m: _RANK.get(m[2].kind, 5), default=None)


def _row(doc: _Doc, etype: str, place: Mention | None, near: bool, count: Count | None,
         date: DateHit | None, sent: tuple[int, int], actor_names: list[str]) -> dict:
    a = doc.article
    ostart, oend = doc.orig(*sent)
    if date is not None:
        event_date, precision = date.date, date.precision
        if date.since:
            event_date, precision = doc.pub or date.date, 3
    else:
        event_date, precision = doc.pub, 2 if doc.pub else None
    count_text = None
    if count is not None:
        cs, ce = doc.orig(count.start, count.end)
        count_text = a.text[cs:ce]
    key = f"{a.article_id}:{ostart}:{oend}:{etype}:{place.place_id if place else ''}"
    return {
        "event_id": hashlib.sha1(key.encode()).hexdigest()[:16],
        "doc": a.doc, "article_id": a.article_id, "title": a.title, "source": a.source, "url": a.url,
        "event_date": event_date.isoformat() if event_date else None,
        "time_precision": precision if event_date else None,
        "event_type": etype,
        "count": count.value if count else None, "count_text": count_text,
        "actors": ";".join(actor_names) or None,
        "place_id": place.place_id if place else None,
        "location_ar": place.name_ar if place else None,
        "location_en": place.name_en if place else None,
        "kind": place.kind if place else None,
        "admin1": place.admin1 if place else None,
        "admin2": place.admin2 if place else None,
        "latitude": place.lat if place else None,
        "longitude": place.lon if place else None,
        "geo_precision": geo_precision(place.kind, near) if place else None,
        "evidence": a.text[ostart:oend], "evidence_start": ostart, "evidence_end": oend,
    }


def _sentence_drafts(doc: _Doc, index: int, para: int, start: int, end: int,
                     para_start: int, title_place) -> list[_Draft]:
    sent_trigs = _live_triggers(doc, start, end)
    if not sent_trigs:
        return []
    sent_dates = [d for d in _between(doc.dates, start, end) if not d.since]
    since = [d for d in _between(doc.dates, start, end) if d.since]
    sent_counts = _valid_counts(doc, start, end, sent_trigs)
    if not any(t.payload.strong for t in sent_trigs) and not sent_dates and \
            not any(c.value is not None for c in sent_counts):
        return []  # only background words ("the defectors", "battles") with nothing new
    names: list[str] = []
    for m in _between(doc.actors, start, end):
        if m.payload not in names:
            names.append(m.payload)
    sent_places = [m for m in doc.mentions if start <= m[0] < end]
    sent_places = [p for p in sent_places if not any(_contains(p[2], q[2]) for q in sent_places)]
    drafts: list[_Draft] = []
    for cs, ce in _clauses(doc, start, end):
        trigs = _live_triggers(doc, cs, ce)
        places = [p for p in sent_places if cs <= p[0] < ce]
        date = next((d for d in doc.dates if cs <= d.start < ce and not d.since), None) or \
            next(iter(sent_dates), None) or next(iter(since), None)
        clause_counts = _valid_counts(doc, cs, ce, trigs or sent_trigs)
        if not places:
            if not trigs:
                continue
            before = [m for m in doc.mentions if para_start <= m[0] < cs]
            fallback = before[-1] if before else title_place
            scopes = [([fallback] if fallback else [None], cs, ce)]
        else:
            groups = _groups(doc, places)
            scopes = []
            for gi, g in enumerate(groups):
                s = cs if gi == 0 else groups[gi - 1][-1][1]
                e = ce if gi == len(groups) - 1 else g[-1][1]
                scopes.append((g, s, e))
        prev_type = None
        group_drafts: list[_Draft] = []
        for g, s, e in scopes:
            scope_trigs = [t for t in trigs if s <= t.start < e]
            etype = _event_type(scope_trigs) or prev_type or _event_type(trigs)
            if etype is None:
                continue
            prev_type = etype
            counts = _valid_counts(doc, s, e, scope_trigs or trigs)
            count = _pick_count(counts) or _pick_count(clause_counts if len(scopes) == 1 else []) or \
                (_pick_count(sent_counts) if len(scopes) == 1 and not sent_places else None)
            rank = 0 if count is None else 1 if count.value is None else 2 if len(g) > 1 else 3
            for p in g:
                mention = p[2] if p else None
                near = bool(p) and any(0 <= doc.tok_index(p[0]) - n.last <= 3 for n in doc.near)
                row = _row(doc, etype, mention, near, count, date, (start, end), names)
                group_drafts.append(_Draft(row, FAMILY.get(etype, etype), index, rank, date is not None and not date.since))
        for d in group_drafts:
            d.siblings = group_drafts
        drafts.extend(group_drafts)
    return drafts


def _absorb(into: _Draft, other: _Draft) -> None:
    """Fold a second report of the same incident into `into`: better count, stated date, actors."""
    if other.count_rank > into.count_rank:
        into.row["count"], into.row["count_text"] = other.row["count"], other.row["count_text"]
        into.count_rank = other.count_rank
    if other.dated and not into.dated:
        into.row["event_date"], into.row["time_precision"] = other.row["event_date"], other.row["time_precision"]
        into.dated = True
    names = [n for n in (into.row["actors"] or "").split(";") if n]
    names += [n for n in (other.row["actors"] or "").split(";") if n and n not in names]
    into.row["actors"] = ";".join(names) or None
    if other.row["geo_precision"] and into.row["geo_precision"]:
        into.row["geo_precision"] = min(into.row["geo_precision"], other.row["geo_precision"])


def _compatible(a: _Draft, b: _Draft) -> bool:
    if not (a.dated and b.dated):
        return True
    da, db = dt.date.fromisoformat(a.row["event_date"]), dt.date.fromisoformat(b.row["event_date"])
    return abs((da - db).days) <= 2 or max(a.row["time_precision"], b.row["time_precision"]) >= 3 and \
        (da.year, da.month) == (db.year, db.month)


def _merge(drafts: list[_Draft]) -> list[dict]:
    kept: list[_Draft] = []
    for d in drafts:
        if d.row["place_id"] is None:
            earlier = [k for k in kept if k.family == d.family and k.sentence < d.sentence]
            if earlier:
                last = max(k.sentence for k in earlier)
                for k in earlier:
                    if k.sentence == last and _compatible(k, d):
                        _absorb(k, d)
                if any(k.sentence == last and _compatible(k, d) for k in earlier):
                    continue
        same = next((k for k in kept if k.family == d.family and k.row["place_id"] == d.row["place_id"]
                     and _compatible(k, d)), None)
        if same is not None:
            _absorb(same, d)
            continue
        kept.append(d)
    return [k.row for k in kept]


def extract(article: Article, mentions: list[Mention]) -> list[dict]:
    """The events reported in `article`, given the places the geoparser found in its text.
    Rows have exactly COLUMNS; the title line is skipped (a headline restates the body)."""
    doc = _Doc(article, mentions)
    title_place = _title_place(doc)
    title = article.title.strip()
    drafts: list[_Draft] = []
    para_starts: dict[int, int] = {}
    for i, (para, s, e) in enumerate(_sentences(doc.text)):
        para_starts.setdefault(para, s)
        os_, oe = doc.orig(s, e)
        if title and article.text[os_:oe].strip() == title:
            continue
        drafts.extend(_sentence_drafts(doc, i, para, s, e, para_starts[para], title_place))
    return _merge(drafts)
