"""Sentences -> events: type, count, date, actors and place, one event per (incident, place).

How a sentence becomes events:
- it is cut into clauses at connectives that start another incident (فيما، في حين، بينما،
  تزامنا مع…); commas are kept, because they mostly separate list items and asides;
- place mentions that merely contain another one of the sentence (the governorate or countryside
  of a named town) are dropped, and so are battle fronts (`في معارك ريف اللاذقية`) when another place
  is named; adjacent places form groups ("A، B وC"), one event per place; a group after "from the
  sons of" (من أبناء) is the people's origin: one approximate event at its first place;
- groups split the clause into scopes at the last comma (else the first و-word) between them, so
  "طفلين قتلا بقصف على A وشخص آخر بقصف طال B" gives 2 at A and 1 at B;
- a scope's type comes from its triggers (else the clause's): an attack or defection named by its
  cue, then a bare "shelling" (an aircraft makes it an airstrike), then outcomes (killing…);
  a trigger right after a negation, fear or demonstrative cue (خوفا من، هذه) does not count;
  its count is the first number of people there; its date the clause's, else the sentence's,
  else the publication date at week precision;
- a clause with triggers but no place takes the nearest preceding place of the paragraph, else the
  headline's; with none the event is kept unlocated;
- finally, reports of the same incident at the same place in one article are merged, and a
  placeless follow-up (`وبلغ عدد القتلى 12`) fills in the count and date of the report before it.
"""
from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import partial
from operator import attrgetter, itemgetter

from arabic import Doc, analyse
from arabic.matcher import Match
from arabic.normalize import Normalized
from arabic.sentences import clauses
from arabic.clitics import stems, strip_article
from arabic.tokens import Token
from events.corpus import Article, is_headline
from events.counts import Count, find_counts, lone_person
from events.dates import DateHit, find_dates
from events.lexicon import Trigger, flies, lexicon
from events.merge import Draft, merge
from events.places import CONTAINERS, PRECISION, contains, geo_precision
from events.schema import event_types, types_with
from gazetteer import geoparse
from gazetteer.mention import Mention

# When one scope has cues of several types, the incident is the first of these: an attack named by
# its weapon, then a bare "shelling/targeting" (قصف، استهداف), then the outcomes it caused.
_FIRST, _START, _LAST = itemgetter(0), attrgetter("start"), attrgetter("last")  # bisection keys (C, not lambdas)
# "B شرقي A": after a place, a direction makes the next place a reference point, not a location.
_DIRECTIONS = {f"{a} {b}".strip() for a in ("شمال", "جنوب", "شمالي", "جنوبي", "")
               for b in ("", "شرق", "غرب", "شرقي", "غربي")} - {""} | {"شرق", "غرب", "شرقي", "غربي"}
# Words that may stand between the places of one list ("A وبلدتي B وC"), also after و.
_LIST_WORDS = {"و", "في", "من", "مدن", "بلدات", "قري", "مدينه", "بلده", "قريه", "بلدتي", "قريتي", "مدينتي",
               "اطراف", "حي", "احياء", "حيي", "منطقه", "مناطق", "كل", "مخيم", "مخيمات"}
_TOPIC_WORDS = {"في", "وفي", "اما", "واما", "مدينه", "بلده", "قريه", "ريف", "محافظه", "منطقه"}
# After a bare number (no people noun), these still let it count people: "فر منهم نحو 300 حتى الآن".
_FUNCTION_WORDS = {"من", "في", "علي", "الي", "عن", "و", "حتي", "خلال", "منذ", "بعد", "الا", "قد", "حسب", "وفق"}
_DATELINE = re.compile(r"^\s*[-–—]\s*\S+")  # "دمشق - وكالات:" names where the report was filed
_RUN = re.compile(r"\w+")
_AFTER = frozenset({"بعد", "وبعد", "عقب", "اثر", "منذ"})
_SUPERLATIVES = frozenset({"اعنف", "اكبر", "اشد", "اكثر", "اول", "اوسع", "اقوي", "اصعب", "اعلي"})  # `الأعنف … منذ بدء الهجوم`
# Words between a launch cue (`من مواقعه`) and its place: prepositions, class words, adjectives.
_COMPLEMENTIZERS = frozenset({"ان", "بان", "انه", "انها", "بانه", "بانها", "وان", "لان"})
_PHRASE_WORDS = frozenset({"في", "من", "داخل", "مدينه", "بلده", "قريه", "حي", "منطقه", "محافظه", "ريف", "محليه",
                           "تمركز", "تمركزها", "تمركزه", "انتشار", "قوات", "نظام", "جيش", "حاجز", "حواجز",
                           "طبيه", "ميدانيه", "خاصه", "مطلعه", "اهليه", "اعلاميه", "معارضه", "مقربه", "رسميه",
                           "محلي", "طبي", "ميداني", "اعلامي", "المدني", "مدني", "حقوقيه", "حقوقي", "مدينتي"})
_CLITIC_PREFIXES = {""} | {a + b for a in "وبلف" for b in ["", *"وبلف"]}  # up to two of و ب ل ف


def _between(items: list, start: int, end: int) -> list:
    """Items (sorted by .start, or by [0] for places) that start in [start, end)."""
    if not items:
        return []
    key = _FIRST if type(items[0]) is tuple else _START
    lo = bisect.bisect_left(items, start, key=key)
    return items[lo:bisect.bisect_left(items, end, lo=lo, key=key)]


Place = tuple[int, int, Mention]  # start and end in the normalised text, and the mention


class _Doc:
    """One article's analysed text (the shared `arabic.Doc`) with everything the extractor finds in
    it: lexicon matches, counts, dates and the geoparser's places, for the per-sentence steps."""

    def __init__(self, article: Article, doc: Doc, mentions: list[Mention]):
        self.article = article
        self.adoc = doc
        self.norm: Normalized = doc.norm
        self.text = doc.ntext
        self.pub = dt.date.fromisoformat(article.published) if article.published else None
        self.toks: list[Token] = doc.tokens
        found = lexicon().find(self.toks)
        self.triggers: list[Match[Trigger]] = found.get("trigger", [])
        self.actors: list[Match[str]] = found.get("actor", [])
        # Token positions that a context cue governs (the few tokens right after it).
        # A trigger after a negation, a plan, threat or fear, or before "stopped", reports no event.
        window = partial(_window, doc.sentence_of)
        self.negated = window(found.get("negation", []) + found.get("modal", []), after=(1, 4)) | \
            window([c for c in found.get("ceased", []) if not self._after_it(c)], before=(1, 6)) | \
            window(found.get("leaflets", []), before=(1, 6)) | \
            window(found.get("idiom", []), before=(1, 2))
        campaign = {k for c in found.get("campaign", []) for k in range(c.first, c.last + 1)}
        since = found.get("background", []) + [c for c in found.get("since_start", [])
                                               if campaign & set(range(c.last + 1, c.last + 4))]
        self.background_cues = [c for c in since if not self._compares(c)]
        self.amid = window(found.get("amid", []), after=(1, 3))
        self.assailants = window(found.get("assailant", []), after=(1, 2))
        self.unharmed = found.get("unharmed", [])
        self.referring = window(found.get("demonstrative", []), after=(1, 2))
        self.military = found.get("military", [])
        # Numbers of residents, displaced people or survivors: after `يقطنها`, before `نازح`, `على قيد الحياة`.
        self.population = window(found.get("population", []), after=(1, 3), before=(1, 2)) | \
            window(found.get("alive", []), before=(1, 3))
        # Places that belong to a reporter or an organisation, or stand for a government: not where it happened.
        agents = found.get("agent", []) + [c for c in found.get("agent_noun", [])  # `نظام دمشق`, not `النظام`
                                           if strip_article(self.toks[c.last].text) == self.toks[c.last].text]
        trigger_tokens = {k for t in self.triggers for k in range(t.first, t.last + 1)}
        self.not_scene = _reporter_places(self.toks, found.get("source", []), trigger_tokens) | \
            window(agents, after=(1, 1))
        self.launch_sites = _launch_places(self.toks, found.get("launch", []))  # where an attack's fire came from
        self.injured = window(found.get("injury", []) + found.get("subset", []), after=(0, 2))
        self.near = window(found.get("near", []), after=(1, 3))
        self.fronts = window(found.get("front", []), after=(1, 2))
        self.origins = found.get("origin", [])
        self.connectives = doc.clause_cuts
        self.sentences = doc.sentences
        # Dates and counts matter only where there is an event cue: look for them there alone.
        self.dates: list[DateHit] = []
        self.counts: list[Count] = []
        starts = [t.start for t in self.triggers]
        for _, s, e in self.sentences:
            if bisect.bisect_left(starts, s) == bisect.bisect_left(starts, e):
                continue
            self.dates += [replace(d, start=d.start + s, end=d.end + s) for d in find_dates(self.text[s:e], self.pub)
                           if self.pub is None or d.date <= self.pub + dt.timedelta(days=1)]
            first = self.tok_index(s)
            self.counts += [replace(c, first=c.first + first, last=c.last + first)
                            for c in find_counts(self.toks[first:self.tok_index(e)])]
        self.counts = [c for c in self.counts if not self._in_date(c)]
        # Recurring names are the geoparser's business (one sense per article): take its mentions as they are.
        self.places: list[Place] = sorted(((m.nstart, m.nend, m) if m.nstart >= 0 else
                                           (self.to_norm(m.start), self.to_norm(m.end), m)
                                           for m in mentions if not self._is_dateline(m)), key=_FIRST)

    def _compares(self, cue: Match) -> bool:
        """Whether a superlative stands a few words before the cue (`الأعنف قصفا … منذ بدء الهجوم`): the
        cue measures today's news against the past, it does not make it history."""
        return any(stems(self.toks[k].text) & _SUPERLATIVES for k in range(max(0, cue.first - 5), cue.first))

    def _after_it(self, cue: Match) -> bool:
        """Whether a cue is the time something came after (`استئناف الغارات بعد هدوء`): then it cancels nothing."""
        return cue.first > 0 and self.toks[cue.first - 1].text in _AFTER

    def to_norm(self, offset: int) -> int:
        """An offset of the original text -> the offset of the same character in the normalised text."""
        return bisect.bisect_left(self.norm.index, offset)

    def _in_date(self, c: Count) -> bool:
        """Whether a number is part of a date ("3 شباط"): then it counts no one."""
        i = bisect.bisect_left(self.dates, c.end, key=_START)  # dates do not overlap each other
        return i > 0 and self.dates[i - 1].end > c.start

    def _is_dateline(self, m: Mention) -> bool:
        """Whether the place opens a dateline ("دمشق - وكالات:"): where the report was filed."""
        text = self.article.text
        line_start = text.rfind("\n", 0, m.start) + 1
        return not text[line_start:m.start].strip() and bool(_DATELINE.match(text[m.end:m.end + 20])) and \
            ":" in text[m.end:m.end + 30]

    def tok_index(self, char: int) -> int:
        """Index of the first token starting at or after normalised offset `char`."""
        return self.adoc.tok_index(char)

    def place_tok(self, place: Place) -> int:
        """The token a place starts in (with its clitic: `لدمشق`), for the cues that govern it."""
        return self.adoc.tok_at(place[0])

    def orig(self, start: int, end: int) -> tuple[int, int]:
        """A normalised span -> the span of the original text it came from."""
        return self.norm.span(start, end)


def _window(sentence_of: list[int], cues: list[Match], after: tuple[int, int] = (1, 0),
            before: tuple[int, int] = (1, 0)) -> set[int]:
    """Token indexes a cue governs: from after[0] to after[1] tokens after its end and from before[0]
    to before[1] tokens before its start, never beyond its own sentence."""
    out: set[int] = set()
    n = len(sentence_of)
    for c in cues:
        ks = [c.last + k for k in range(after[0], after[1] + 1)] + [c.first - k for k in range(before[0], before[1] + 1)]
        out.update(k for k in ks if 0 <= k < n and sentence_of[k] == sentence_of[c.first])
    return out


REPORTER_SPAN = 8  # the longest a reporter's phrase runs before what it reports (`مراسل وكالة … في درعا إن`)


def _reporter_places(toks: list[Token], cues: list[Match], triggers: set[int]) -> set[int]:
    """Token indexes inside a reporter's or organisation's phrase (`مصادر محلية في مدينة X`, `مراسل وكالة
    الأنباء على أطراف مدينة X إن …`, `مديرية صحة X`): it runs until what it reports begins, at a
    complementizer (أن، إن، بأن) or an event cue (`أفاد مراسلنا بقصف على X`: X is the news)."""
    out: set[int] = set()
    for c in cues:
        for k in range(c.last + 1, min(len(toks), c.last + 1 + REPORTER_SPAN)):
            if k in triggers or toks[k].text in _COMPLEMENTIZERS:
                break
            out.add(k)
    return out


LAUNCH_REACH = 8  # words of `من مواقع تمركز قوات النظام في حواجز X` before its place


def _launch_places(toks: list[Token], cues: list[Match]) -> set[int]:
    """Token indexes where the place of a phrase like `من مواقعه في X` may start: right after the cue,
    or after words that still describe it (prepositions, class words); the first other word ends it."""
    out: set[int] = set()
    for c in cues:
        for k in range(c.last + 1, min(len(toks), c.last + LAUNCH_REACH)):
            out.add(k)
            if not stems(toks[k].text) & _PHRASE_WORDS:
                break
    return out


def _live_triggers(doc: _Doc, start: int, end: int) -> list[Match[Trigger]]:
    """Triggers in [start, end) not cancelled by a negation, fear or front cue just before them."""
    return [t for t in _between(doc.triggers, start, end)
            if t.first not in doc.negated and t.first not in doc.referring]


def _event_type(trigs: list[Match[Trigger]], doc: _Doc | None = None) -> tuple[str, bool] | None:
    """(type, generic) of the incident the triggers describe. Order: an attack or defection named
    by a strong cue; a bare shelling/targeting (made an airstrike by an aircraft); an arrest; a
    defection named only by a weak cue (deaths told with defectors are mostly their reason: "عدد
    المنشقين … بعد مقتل"); other outcomes; background words ("battles") when nothing else is there."""
    specific, outcomes = types_with("specific"), types_with("outcome")
    cues_ = [t.payload for t in trigs]
    aircraft = any(t.event_type == "aircraft" for t in cues_)
    weapon = next((t.event_type for t in cues_ if t.strength == "weapon"), None)
    if weapon:
        return weapon, False
    strong = {t.event_type for t in cues_ if t.strength == "strong"}
    if doc is not None:  # `واعتقلت سبعة … بصلتهم بعملية الانشقاق`: the news is the arrest, not the defection it recalls
        recalled = {t.payload.event_type for t in trigs if t.payload.strength == "strong"
                    and getattr(event_types().get(t.payload.event_type), "family", None) == "defection"
                    and _definite(doc.toks[t.first].text)}
        fresh = {t.payload.event_type for t in trigs if t.payload.strength == "strong"} - recalled
        if recalled and any(event_types()[t].family != "defection" for t in fresh & {*specific, "arrest"}):
            strong = fresh
    generic = {t.event_type for t in cues_ if t.strength == "generic"}
    weak = {t.event_type for t in cues_ if t.strength == "weak"}
    if aircraft and (generic or "shelling" in strong):
        strong.add("airstrike")  # the aircraft names the weapon of the shelling
    for types, order, is_generic in ((strong, specific, False), (strong, ["arrest"], False), (generic, specific, True),
                                     (weak, ["defection", "desertion"], False), (strong, outcomes, False),
                                     (weak, specific + outcomes, False)):
        etype = next((t for t in order if t in types), None)
        if etype:
            return etype, is_generic
    return ("airstrike", False) if aircraft else None


SOLDIER_WINDOW = 5  # how many words from a flight cue a soldier must be named to make it a desertion


def _is_attack(t: Match[Trigger]) -> bool:
    """Whether the cue names something whose toll the deaths told with it are (a strike, a blast)."""
    etype = event_types().get(t.payload.event_type)
    return t.payload.event_type == "aircraft" or bool(etype and etype.attack)


def _soldiers_flee(doc: _Doc, trigs: list[Match[Trigger]]) -> bool:
    """Whether a soldier is named within a few words of a flight cue (`فر 30 عنصرا`, `هروب مجندين`)."""
    flights = [t for t in trigs if t.payload.event_type == "desertion"]
    return any(abs(m.first - t.first) <= SOLDIER_WINDOW for t in flights for m in doc.military)


def _definite(word: str) -> bool:
    """Whether a word carries the article (الانشقاقات، بالانشقاق، للانشقاق)."""
    return word.startswith(("ال", "لل")) or word[:1] in "وفبلك" and word[1:].startswith(("ال", "لل"))


def _bare_ok(doc: _Doc, c: Count) -> bool:
    """A number without a people noun may still count people when nothing else follows it."""
    nxt = doc.toks[c.last + 1] if c.last + 1 < len(doc.toks) else None
    return nxt is None or nxt.text in _FUNCTION_WORDS or bool(re.search(r"[^\w\s]", doc.text[c.end:nxt.start]))


def _valid_counts(doc: _Doc, start: int, end: int, trigs: list[Match[Trigger]], calm_end: int | None = None) \
        -> list[Count]:
    """Counts of people in [start, end): a number or vague amount before a people noun, a bare number
    right next to a trigger, or a lone noun after a verb done to people (`قتل متظاهر`); never one that
    counts the wounded or a subset ("بينهم ضابطان"). Without any, a report that nobody was hurt counts
    0, also when it follows in the rest of the sentence up to `calm_end` (`…، حيث اقتصرت الأضرار على
    المادية`) with no other incident's cue before it."""
    out = []
    for c in _between(doc.counts, start, end):
        if c.first in doc.injured or c.first in doc.population or c.last in doc.population:
            continue
        near = any(-4 <= c.first - t.last <= 5 or 0 <= t.first - c.last <= 2 for t in trigs)
        if c.person or (c.value is not None and near and _bare_ok(doc, c)):
            out.append(c)
    if not any(c.value is not None for c in out):
        for t in trigs:
            etype = event_types().get(t.payload.event_type)
            if not (etype and etype.one_person):
                continue
            # `قتل متظاهر`, `اغتيال "فلان" القيادي`, and the subject before its verb: `امرأة وطفلها قتلوا`
            one = lone_person(doc.toks, _past_quoted_name(doc, t.last + 1), definite=t.payload.strong) or next(
                (c for k in (t.first - 1, t.first - 2) if (c := lone_person(doc.toks, k)) and c.last == t.first - 1), None)
            if one and start <= one.start and one.end <= end:
                out.insert(0, one)
                break
    if not any(c.value is not None for c in out):
        calm = [c for c in _between(doc.unharmed, start, max(end, calm_end or end))
                if c.start < end or not _live_triggers(doc, end, c.start)]
        if calm:  # `سقطت قذائف … دون وقوع إصابات`: nobody was hurt
            out.insert(0, Count(0, calm[0].start, calm[0].end, calm[0].first, calm[0].last, True))
    return out


_QUOTES = "\"“”«»'"
QUOTED_NAME_WORDS = 4  # the longest quoted name skipped between a verb and the noun that says who it was


def _past_quoted_name(doc: _Doc, k: int) -> int:
    """The token after a quoted name that opens at token k (`اغتيال “مشهور الكناكري” القيادي`), else k."""
    toks = doc.toks
    if not 0 < k < len(toks) or not any(q in doc.text[toks[k - 1].end:toks[k].start] for q in _QUOTES):
        return k
    for j in range(k + 1, min(len(toks), k + QUOTED_NAME_WORDS + 1)):
        if any(q in doc.text[toks[j - 1].end:toks[j].start] for q in _QUOTES):
            return j
    return k


def _pick_count(counts: list[Count], trigs: list[Match[Trigger]] = (), etype: str | None = None) -> Count | None:
    """The number right after a cue of the event's type (`قتلت اثنين … واعتقلت خمسة`: the arrest counts
    five), else the first stated number, else the first vague amount (kept for its text)."""
    stated = [c for c in counts if c.value is not None]
    own = next((c for c in stated for t in trigs if t.payload.event_type == etype and 0 < c.first - t.last <= 2), None)
    return own or next(iter(stated), None) or next(iter(counts), None)


def _groups(doc: _Doc, places: list[Place]) -> list[list[Place]]:
    """Adjacent places separated only by commas, و and words like مدن/بلدات form one group."""
    groups: list[list[Place]] = []
    for p in places:
        if groups:
            words = re.findall(r"\w+", doc.text[groups[-1][-1][1]:p[0]])
            if len(words) <= 3 and all(w in _LIST_WORDS or w[0] == "و" and w[1:] in _LIST_WORDS for w in words):
                groups[-1].append(p)
                continue
        groups.append([p])
    return groups


def _boundary(doc: _Doc, a: int, b: int) -> int:
    """Where the scope of one place group ends and the next begins, in the gap [a, b): after its
    last comma, else before its first word with the conjunction و, else right after the first group."""
    gap = doc.text[a:b]
    comma = max(gap.rfind("،"), gap.rfind(","))
    if comma >= 0:
        return a + comma + 1
    m = re.search(r"(?<!\w)و\w{2,}", gap)
    return a + m.start() if m else a


def _row(doc: _Doc, etype: str, place: Mention | None, near: bool, count: Count | None,
         date: DateHit | None, sent: tuple[int, int], actor_names: list[str], background: bool) -> dict:
    """One row of the events table, with offsets mapped back to the original text. A count above what
    one incident of its type can be (a population, a war's toll) keeps its phrase but no number."""
    a = doc.article
    ostart, oend = doc.orig(*sent)
    if date is not None and not date.since:
        event_date, precision = date.date, date.precision
    else:  # undated, or dated only by "since …": reported as of publication
        event_date, precision = doc.pub, (3 if date is not None else 2)
    count_text = None
    if count is not None:
        cs, ce = doc.orig(count.start, count.end)
        count_text = a.text[cs:ce]
    value = count.value if count else None
    if value is not None and value > event_types()[etype].max_count:
        value = None
    key = f"{a.article_id}:{ostart}:{oend}:{etype}:{place.place_id if place else ''}"
    return {
        "event_id": hashlib.sha1(key.encode()).hexdigest()[:16],
        "doc": a.doc, "article_id": a.article_id, "title": a.title, "source": a.source, "url": a.url,
        "event_date": event_date.isoformat() if event_date else None,
        "time_precision": precision if event_date else None,
        "event_type": etype,
        "count": value, "count_text": count_text,
        "count_of": event_types()[etype].count_of if value is not None else None,
        "actors": ";".join(actor_names) or None,
        "place_id": place.place_id if place else None,
        "location_ar": place.name_ar if place else None,
        "location_en": place.name_en if place else None,
        "kind": place.kind if place else None,
        "admin1": place.admin1 if place else None,
        "admin2": place.admin2 if place else None,
        "latitude": place.lat if place else None,
        "longitude": place.lon if place else None,
        "geo_precision": max(geo_precision(place.kind, near), place.geo_precision) if place else None,
        "evidence": a.text[ostart:oend], "evidence_start": ostart, "evidence_end": oend,
        "background": background or _long_before(event_date, doc.pub),
        "explain": None,
    }


HISTORY_DAYS = 30  # an incident dated this long before the report is its background, not its news


def _long_before(day: dt.date | None, pub: dt.date | None) -> bool:
    """Whether an event date lies well before the publication date (history told as context)."""
    return day is not None and pub is not None and (pub - day).days > HISTORY_DAYS


def _most_specific(doc: _Doc, places: list[Place]) -> list[Place]:
    """Without the places that contain another one named with them ("كفرنبل بريف إدلب" is at كفرنبل),
    except a countryside listed with an area in it (`في ريف حماة الشمالي وسهل الغاب`: two scenes)."""
    return [p for p in places if not any(contains(p[2], q[2]) and not (
        q[2].kind == "region" and _listed_together(doc, p, q)) for q in places)]


def _listed_together(doc: _Doc, a: Place, b: Place) -> bool:
    """Whether two places are next items of one list (`A وB`, `A وسهل B`, `A، B`): one word with the
    conjunction (and perhaps the class word) between them, or a comma alone."""
    first, second = sorted((a, b), key=_FIRST)
    gap = doc.text[first[1]:second[0]]
    words = _RUN.findall(gap)
    return len(words) == 1 and words[0].startswith("و") or not words and gap.strip() in ("،", ",")


def _drop_references(doc: _Doc, places: list[Place]) -> list[Place]:
    """Without the reference points of "B شرقي A" (B lies east of A; the event is at B)."""
    return [q for i, q in enumerate(places)
            if not (i and " ".join(re.findall(r"\w+", doc.text[places[i - 1][1]:q[0]])) in _DIRECTIONS)]


def _drop_fronts(doc: _Doc, places: list[Place]) -> list[Place]:
    """Without the places named as battle fronts (`في معارك ريف اللاذقية`), unless only fronts are named."""
    groups = _groups(doc, places)
    marked = [doc.place_tok(g[0]) in doc.fronts for g in groups]
    if all(marked):
        return places
    return [p for g, m in zip(groups, marked) if not m for p in g]


def _is_origin(doc: _Doc, group: list[Place]) -> bool:
    """Whether the group follows "from the sons of / originating from" (no event cue in between)."""
    first = doc.place_tok(group[0])
    lo = bisect.bisect_left(doc.origins, first - 8, key=_LAST)
    return any(0 < first - c.last <= 8 and not _between(doc.triggers, c.end, group[0][0]) for c in doc.origins[lo:])


def _scopes(doc: _Doc, places: list[Place], cs: int, ce: int) -> list[tuple[list[Place], int, int]]:
    """The clause [cs, ce) cut into one span per place group, so each group gets the cues and
    numbers told with it."""
    groups = [g[:1] if len(g) > 1 and _is_origin(doc, g) else g for g in _groups(doc, places)]
    cuts = [cs] + [_boundary(doc, g[-1][1], n[0][0]) for g, n in zip(groups, groups[1:])] + [ce]
    return [(g, cuts[i], cuts[i + 1]) for i, g in enumerate(groups)]


@dataclass(frozen=True, slots=True)
class _Sentence:
    """What the clauses of one sentence share."""

    index: int
    start: int
    end: int
    para_start: int
    places: list[Place]
    dates: list[DateHit]
    actors: list[str]


def _drop_near(doc: _Doc, places: list[Place]) -> list[Place]:
    """Without the reference points (`في مدينة عربين قرب دمشق`, `على دوما، آخر جيب للمعارضة قرب دمشق`):
    a place said to be what the place before it lies near (a near cue between them, a few words apart,
    no cue of another incident between) locates that place, not an event."""
    out = []
    for i, p in enumerate(places):
        first = doc.place_tok(p)
        if i and first in doc.near and first - doc.tok_index(places[i - 1][1]) <= NEAR_REACH and \
                not any(w.startswith("و") for w in _RUN.findall(doc.text, places[i - 1][1], p[0])[-2:]) and \
                not _between(doc.triggers, places[i - 1][1], p[0]):
            continue  # not `A وأطراف B` (the near cue itself conjoined): a list names two scenes
        out.append(p)
    return out


NEAR_REACH = 8  # words from a place to the reference point that locates it (an apposition may come between)


def _sentence_drafts(doc: _Doc, index: int, start: int, end: int, para_start: int,
                     anchor: tuple[Place, str] | None) -> list[Draft]:
    """The drafts of one sentence: what its clauses share (places, dates, actors), then each clause."""
    if not _live_triggers(doc, start, end):
        return []
    names: list[str] = []
    for m in _between(doc.actors, start, end):
        if m.payload not in names:
            names.append(m.payload)
    scene = [p for p in _between(doc.places, start, end) if doc.place_tok(p) not in doc.not_scene]
    places = _drop_fronts(doc, _drop_references(doc, _most_specific(doc, scene)))
    sent = _Sentence(index, start, end, para_start, places, _between(doc.dates, start, end), names)
    return [d for cs, ce in clauses(doc.connectives, start, end) for d in _clause_drafts(doc, sent, cs, ce, anchor)]


def _clause_drafts(doc: _Doc, sent: _Sentence, cs: int, ce: int, anchor: tuple[Place, str] | None) -> list[Draft]:
    """One draft per (incident, place) of the clause [cs, ce); see the module docstring. `anchor` is the
    place of last resort (the headline's, else the town the article is about) and how to say so."""
    trigs = _live_triggers(doc, cs, ce)
    clause_counts = _valid_counts(doc, cs, ce, trigs)
    clause_dates = [d for d in _between(doc.dates, cs, ce) if not d.since]
    if not trigs or not any(t.payload.strong for t in trigs) and not clause_dates and \
            not any(c.value is not None for c in clause_counts):
        return []  # nothing, or only background words ("the defectors", "battles") with nothing new
    date = next(iter(clause_dates), None) or next((d for d in sent.dates if not d.since), None) or \
        next(iter(sent.dates), None)
    dated = date is not None and not date.since
    places = _drop_near(doc, [p for p in sent.places if cs <= p[0] < ce])
    clause_type = _event_type(trigs, doc)
    if clause_type and event_types()[clause_type[0]].attack:
        places = [p for g in _groups(doc, places) if doc.place_tok(g[0]) not in doc.launch_sites for p in g]
    how = "named in the same clause as"
    if places:
        scopes = _scopes(doc, places, cs, ce)
        if len(scopes) > 1 and _is_topic(doc, scopes[0], trigs):
            scopes = scopes[1:]
    else:
        before = _between(doc.places, sent.para_start, cs)
        fallback = before[-1] if before else anchor[0] if anchor else None
        how = "the last place named before" if before else anchor[1] if anchor else ""
        scopes = [([fallback] if fallback else [], cs, ce)]
    background = bool(_between(doc.background_cues, cs, ce))
    # `هذه الغارات … استهدفت سقبا`: the weapon named in passing types an unspecific cue or a death toll
    weapon = _event_type([t for t in _between(doc.triggers, cs, ce) if t.first in doc.referring])
    drafts: list[Draft] = []
    for n, (group, s, e) in enumerate(scopes):
        scope_trigs = [t for t in trigs if s <= t.start < e]
        own = scope_trigs or trigs
        scope_counts = _valid_counts(doc, s, e, own, calm_end=sent.end if e == ce else None)
        gap = _RUN.findall(doc.text, scopes[n - 1][0][-1][1], group[0][0]) if n else []
        if n and not scope_trigs and not scope_counts and len(gap) > LIST_GAP_WORDS \
                and not _PLURAL_PLACES & set(gap[-3:]):
            continue  # a later place, words away, with no cue or number of its own: context (`سعيا … بعد سيطرتها على B`)
        typed = _event_type(scope_trigs, doc) or clause_type
        if typed is None:
            continue
        etype, generic = typed
        if etype == "desertion" and not _soldiers_flee(doc, own):
            continue  # people fleeing, with no soldier among them: civilians leaving, not deserting
        if generic and etype == "shelling" and any(t.first in doc.assailants for t in own):
            etype, generic = "clashes", False  # `مسلحون استهدفوا قرى A وB`: gunmen attacked, nobody shelled
        if etype == "killing" and any(t.payload.event_type == "clashes" for t in trigs):
            etype, generic = "clashes", False  # `قتل 22 مقاتلا في هجمات / خلال المعارك`: deaths of a fight
        if etype == "killing" and (attack := _event_type([t for t in trigs if _is_attack(t)])):
            etype, generic = attack  # "…غارات على A، ما أدى لمقتل طفلين في B": the deaths are the strikes
        if weapon and (generic or etype == "killing") and (
                event_types()[weapon[0]].family == event_types()[etype].family
                or etype == "killing" and event_types()[weapon[0]].attack):
            etype, generic = weapon[0], False
        count = _pick_count(scope_counts, own, etype) or \
            (_pick_count(clause_counts, trigs, etype) if len(scopes) == 1 else None)
        stated = count is not None and count.value is not None
        if len(group) > 1 and not stated and not clause_dates and any(PRECISION.get(p[2].kind, 1) > 1 for p in group):
            continue  # "across the countrysides of A and B", with no number or date: background
        if stated and count.value and len(group) > 1:
            count = replace(count, value=None)  # `ستة مدنيين … في احسم ونقير وبليون`: a total of the list, no place's own
        rank = 0 if count is None else 1 if count.value is None else 2 if len(group) > 1 else 3
        anaphoric = all(not t.payload.strong or _definite(doc.toks[t.first].text)
                        for t in own if t.payload.event_type == etype)
        typing = [t.first for t in own if t.payload.event_type == etype]
        context = background or bool(typing) and all(k in doc.amid for k in typing)
        incidents = [(etype, generic, count, rank)]
        if (second := _second_outcome(etype, own, scope_counts)) is not None and len(group) <= 1:
            incidents.append((second[0], False, second[1], 3))
        for (kind, vague, number, weight), p in ((i, p) for i in incidents for p in group or [None]):
            near = p is not None and (doc.place_tok(p) in doc.near or _is_origin(doc, [p]))
            row = _row(doc, kind, p[2] if p else None, near, number, date, (sent.start, sent.end), sent.actors,
                       context)
            row["explain"] = _explain(doc, p, how, own, near, context)
            drafts.append(Draft(row, sent.index, weight, dated, vague, anaphoric, cs, borrowed=not places))
    return drafts


def _second_outcome(etype: str, trigs: list[Match[Trigger]], counts: list[Count]) -> tuple[str, Count] | None:
    """An arrest told with killings, or killings (or an attack) with an arrest, each verb with its own
    number right after it (`قتلت اثنين من أعضاء الخلية واعتقلت خمسة آخرين`): the second incident and
    its number."""
    wanted = "killing" if etype == "arrest" else "arrest" if etype == "killing" or event_types()[etype].attack else None
    for t in trigs:
        if t.payload.event_type == wanted and t.payload.strength == "strong":
            own = next((c for c in counts if c.value and 0 < c.first - t.last <= 2), None)
            if own is not None:
                return wanted, own
    return None


def _explain(doc: _Doc, place: Place | None, how: str, trigs: list[Match[Trigger]], near: bool,
             background: bool) -> str:
    """Why the event is where it is, in the words of the text: which place, tied how to which cue."""
    cues = "، ".join(dict.fromkeys(doc.article.text[slice(*doc.orig(t.start, t.end))] for t in trigs))
    if place is None:
        text = f"no place is named for «{cues}»"
    else:
        name = doc.article.text[slice(*doc.orig(place[0], place[1]))] if place[1] > place[0] else place[2].text
        text = f"«{name}» {how} «{cues}»" + (" (near or around it)" if near else "")
    return text + ("; background: told as history, a total or context" if background else "")


def _is_topic(doc: _Doc, scope: tuple[list[Place], int, int], trigs: list[Match[Trigger]]) -> bool:
    """Whether a clause opens on the area the report turns to, "وفي حماة، فر 12 مجندا من ثكنة في
    صوران": only a preposition (and words like مدينة) before the place, a comma after it, and no cue
    of its own; the incident is at the place named after it."""
    group, s, e = scope
    before = _RUN.findall(doc.text, s, group[0][0])
    return all(w in _TOPIC_WORDS for w in before) and doc.text[group[-1][1]:e].strip() in ("،", ",") and \
        not any(s <= t.start < e for t in trigs)


FOCUS_MENTIONS = 2  # a town named this often, and more than any other, is what the article is about


def _focus(doc: _Doc) -> Place | None:
    """The town the article is about (`تودّع داريا أحد أبنائها … اعتقل الشاب …`): its most named
    town, village, neighbourhood or site, when named at least twice and more than any other."""
    local = [p for p in doc.places if p[2].kind not in CONTAINERS]
    counts = Counter(p[2].place_id for p in local)
    ranked = counts.most_common(2)
    if not ranked or ranked[0][1] < FOCUS_MENTIONS or len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
        return None
    return next(p for p in local if p[2].place_id == ranked[0][0])


def _title(doc: _Doc) -> tuple[int, int] | None:
    """Span (normalised) of the title when it stands in the text as its own headline line."""
    title = doc.article.title.strip()
    at = doc.article.text.find(title) if title else -1
    if at < 0 or not is_headline(title, min_words=1) or not re.search(r"\w", doc.article.text[at + len(title):]):
        return None  # not a headline of its own, or nothing but the headline: then it is the report
    return doc.to_norm(at), doc.to_norm(at + len(title))


SUBHEADING_WORDS = 6  # a paragraph this short, with no full stop and no number, heads the paragraphs after it


def _subheading(doc: _Doc, i: int) -> bool:
    """Whether sentence i is a subheading (`كيف هرب عناصر النظام`, `قصف متواصل`): a paragraph of its own,
    a few words with no full stop and no number; like the headline, it restates what the body reports."""
    para, s, e = doc.sentences[i]
    alone = all(not (0 <= j < len(doc.sentences)) or doc.sentences[j][0] != para for j in (i - 1, i + 1))
    text = doc.text[s:e].strip()
    return alone and len(_RUN.findall(text)) <= SUBHEADING_WORDS and not re.search(r"[.!?؟:\d]$|\d", text)


def extract(article: Article, doc: Doc | None = None, mentions: list[Mention] | None = None) -> list[dict]:
    """The events reported in `article`, given its analysed text and the places the geoparser found
    in it (both computed here when not given). Rows have exactly the columns of events.schema. A headline is not read for
    events (it restates the body) but its place is the last resort for a sentence that names none."""
    if doc is None:
        doc = article.analysis or analyse(article.text)
    if mentions is None:
        mentions = geoparse(doc)
    doc = _Doc(article, doc, mentions)
    title = _title(doc)
    title_place = None
    if title:
        inside = _most_specific(doc, [p for p in doc.places if title[0] <= p[0] < title[1]])
        title_place = inside[0] if inside else None
    anchor = (title_place, "the headline's place, for") if title_place else \
        (focus, "the town the article is about, for") if (focus := _focus(doc)) else None
    drafts: list[Draft] = []
    para_starts: dict[int, int] = {}
    for i, (para, s, e) in enumerate(doc.sentences):
        para_starts.setdefault(para, s)
        if title and title[0] <= s < title[1] or _subheading(doc, i):
            continue
        drafts.extend(_sentence_drafts(doc, i, s, e, para_starts[para], anchor))
    return [d.row for d in merge(_weapons_from_context(drafts))]


# ... unless a plural of settlements introduces it: `… من ثلاثة محاور: … في قرى A وB` lists more targets.
_PLURAL_PLACES = frozenset({"قري", "بلدات", "مدن", "احياء", "مناطق", "بلدتي", "قريتي", "مدينتي", "حيي"})
LIST_GAP_WORDS = 4  # more words than this between two places: not one list (names we do not know included)
CONTEXT_SENTENCES = 2  # how far back a report's weapon types a later unspecific "targeted"/"shelled"


def _weapons_from_context(drafts: list[Draft]) -> list[Draft]:
    """An unspecific strike (`كما استهدف …`, `واستهدفت اليوم أحياء أخرى`) is of the weapon the report
    named just before (`وأغار الطيران على …`): the latest specific strike of its clause or of the previous
    sentences types it (not of another clause: `… في حين استهدفت الفصائل …` is another actor's)."""
    for i, d in enumerate(drafts):
        if not d.generic:
            continue
        named = [a for a in (d.row["actors"] or "").split(";") if a]
        if named and not flies() & set(named):
            continue  # `قصف فصائل المعارضة`: rebels have no aircraft, the raids before were someone else's
        family = event_types()[d.row["event_type"]].family
        prior = next((k for k in reversed(drafts[:i]) if not k.generic
                      and (k.sentence < d.sentence or k.clause == d.clause)
                      and d.sentence - k.sentence <= CONTEXT_SENTENCES
                      and event_types()[k.row["event_type"]].family == family), None)
        if prior is not None:
            d.row["event_type"], d.generic = prior.row["event_type"], False
    return drafts
