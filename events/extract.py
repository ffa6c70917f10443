"""Sentences -> events: type, count, date, actors and place, one event per (incident, place).

The article is read once (`events.reading`: cue windows, counts, dates, places); `events.scene` says
which places a clause names as scenes; this module types each scope, binds its count and date, and
hands the drafts to `events.merge`. How a sentence becomes events:
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

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, replace

from arabic import Doc, analyse
from arabic.clitics import definite
from arabic.matcher import Match
from arabic.sentences import clauses
from events.corpus import Article
from events.counts import Count, lone_person
from events.dates import DateHit
from events.lexicon import Trigger, flies
from events.merge import Draft, merge
from events.places import PRECISION, geo_precision
from events.reading import WORD_RUN, Place, Reading, between
from events.scene import (article_focus, clause_scopes, drop_fronts, drop_near, drop_references, is_origin,
                          is_subheading, is_topic, most_specific, place_groups, referred_place, title_span)
from events.schema import event_types, types_with
from gazetteer import geoparse
from gazetteer.mention import Mention

# After a bare number (no people noun), these still let it count people: "فر منهم نحو 300 حتى الآن".
_FUNCTION_WORDS = {"من", "في", "علي", "الي", "عن", "و", "حتي", "خلال", "منذ", "بعد", "الا", "قد", "حسب", "وفق"}


def _live_triggers(doc: Reading, start: int, end: int) -> list[Match[Trigger]]:
    """Triggers in [start, end) not cancelled by a negation, fear or front cue just before them."""
    return [t for t in between(doc.triggers, start, end)
            if t.first not in doc.negated and t.first not in doc.referring]


def _event_type(trigs: list[Match[Trigger]], doc: Reading | None = None) -> tuple[str, bool] | None:
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
                    and definite(doc.toks[t.first].text)}
        fresh = {t.payload.event_type for t in trigs if t.payload.strength == "strong"} - recalled
        if recalled and any(event_types()[t].family != "defection" for t in fresh & {*specific, "arrest"}):
            strong = fresh
    generic = {t.event_type for t in cues_ if t.strength == "generic"}
    weak = {t.event_type for t in cues_ if t.strength == "weak"}
    if aircraft and (generic or "shelling" in strong):
        strong.add("airstrike")  # the aircraft names the weapon of the shelling
    for types, order, is_generic in ((strong, specific, False), (strong, ("arrest",), False), (generic, specific, True),
                                     (weak, ("defection", "desertion"), False), (strong, outcomes, False),
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


def _soldiers_flee(doc: Reading, trigs: list[Match[Trigger]]) -> bool:
    """Whether a soldier is named within a few words of a flight cue (`فر 30 عنصرا`, `هروب مجندين`)."""
    flights = [t for t in trigs if t.payload.event_type == "desertion"]
    return any(abs(m.first - t.first) <= SOLDIER_WINDOW for t in flights for m in doc.military)


def _bare_ok(doc: Reading, c: Count) -> bool:
    """A number without a people noun may still count people when nothing else follows it."""
    nxt = doc.toks[c.last + 1] if c.last + 1 < len(doc.toks) else None
    return nxt is None or nxt.text in _FUNCTION_WORDS or bool(re.search(r"[^\w\s]", doc.text[c.end:nxt.start]))


def _valid_counts(doc: Reading, start: int, end: int, trigs: list[Match[Trigger]], calm_end: int | None = None) \
        -> list[Count]:
    """Counts of people in [start, end): a number or vague amount before a people noun, a bare number
    right next to a trigger, or a lone noun after a verb done to people (`قتل متظاهر`); never one that
    counts the wounded or a subset ("بينهم ضابطان"). Without any, a report that nobody was hurt counts
    0, also when it follows in the rest of the sentence up to `calm_end` (`…، حيث اقتصرت الأضرار على
    المادية`) with no other incident's cue before it."""
    out = []
    for c in between(doc.counts, start, end):
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
            # `اعتقال كل من فلان، وفلان`, `قتل متظاهر`, `اغتيال "فلان" القيادي`, and the subject before its
            # verb: `امرأة وطفلها قتلوا`
            one = _named_people(doc, t.last + 1) or \
                lone_person(doc.toks, _past_quoted_name(doc, t.last + 1), definite=t.payload.strong) or next(
                (c for k in (t.first - 1, t.first - 2) if (c := lone_person(doc.toks, k)) and c.last == t.first - 1), None)
            if one and start <= one.start and one.end <= end:
                out.insert(0, one)
                break
    if not any(c.value is not None for c in out):
        calm = [c for c in between(doc.unharmed, start, max(end, calm_end or end))
                if c.start < end or not _live_triggers(doc, end, c.start)]
        if calm:  # `سقطت قذائف … دون وقوع إصابات`: nobody was hurt
            out.insert(0, Count(0, calm[0].start, calm[0].end, calm[0].first, calm[0].last, True))
    return out


_EACH = frozenset({"كل", "كلا"})  # `كلٍّ من`, `كلاً من`: the people named one by one after it
_RELATIVES = frozenset({"الذين", "اللذين", "الذي", "التي", "اللواتي"})  # `…، الذين يعملون في الزراعة`: the list is over
SUBJECT_WORDS = 3  # words between a verb and `كل من` (its subject: `اعتقلت الدورية الأمنية كلا من`)
NAME_WORDS = 5  # the most words one person's name (with a title: `الشاب سامر العلي`) runs in a list
LISTED_PEOPLE = 40  # the longest list of named people read as a count


def _named_people(doc: Reading, k: int) -> Count | None:
    """The number of people named one by one after `كل من` at most SUBJECT_WORDS after token k (`اعتقال
    كلًّا من سامر العلي، ونبيل حمدان، وعمر النجار، الذين …`): names of at most NAME_WORDS words
    separated by commas, up to the end of the sentence or a relative pronoun."""
    toks = doc.toks
    at = next((j for j in range(k, k + SUBJECT_WORDS + 1)
               if j + 1 < len(toks) and toks[j].text in _EACH and toks[j + 1].text == "من"), None)
    if at is None:
        return None
    sentence, first, items, words = doc.adoc.sentence_of[at], at + 2, 1, 0
    last = first - 1
    for j in range(first, min(len(toks), first + NAME_WORDS * LISTED_PEOPLE)):
        gap = doc.text[toks[j - 1].end:toks[j].start]
        if doc.adoc.sentence_of[j] != sentence or any(c in gap for c in ".:؛") or \
                toks[j].text.removeprefix("و") in _RELATIVES:
            break
        if "،" in gap or "," in gap:
            items, words = items + 1, 0
        words += 1
        if words > NAME_WORDS:
            return None  # a sentence goes on, not a list of names
        last = j
    if items < 2 or last < first:
        return None
    return Count(items, toks[first].start, toks[last].end, first, last, True)


_QUOTES = "\"“”«»'"


QUOTED_NAME_WORDS = 4  # the longest quoted name skipped between a verb and the noun that says who it was


def _past_quoted_name(doc: Reading, k: int) -> int:
    """The token after a quoted name that opens at token k (`اغتيال “فلان” القيادي`), else k."""
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


def _row(doc: Reading, etype: str, place: Mention | None, near: bool, count: Count | None,
         date: DateHit | None, sent: tuple[int, int], actor_names: list[str], background: bool) -> dict:
    """One row of the events table, with offsets mapped back to the original text. A count above what
    one incident of its type can be (a population, a war's toll) keeps its phrase but no number, and the
    report is background: a total, not an incident to map (`بلغ عدد المنشقين نحو خمسة آلاف`)."""
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
    total = value is not None and value > event_types()[etype].max_count
    if total:
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
        "background": background or total or _long_before(event_date, doc.pub),
        "explain": None,
    }


HISTORY_DAYS = 30  # an incident dated this long before the report is its background, not its news


def _long_before(day: dt.date | None, pub: dt.date | None) -> bool:
    """Whether an event date lies well before the publication date (history told as context)."""
    return day is not None and pub is not None and (pub - day).days > HISTORY_DAYS


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


def _sentence_drafts(doc: Reading, index: int, start: int, end: int, para_start: int,
                     anchor: tuple[Place, str] | None) -> list[Draft]:
    """The drafts of one sentence: what its clauses share (places, dates, actors), then each clause."""
    if not _live_triggers(doc, start, end):
        return []
    names: list[str] = []
    for m in between(doc.actors, start, end):
        if m.payload not in names:
            names.append(m.payload)
    scene = [p for p in between(doc.places, start, end) if doc.place_tok(p) not in doc.not_scene]
    places = drop_fronts(doc, drop_references(doc, most_specific(doc, scene)))
    sent = _Sentence(index, start, end, para_start, places, between(doc.dates, start, end), names)
    return [d for cs, ce in clauses(doc.connectives, start, end) for d in _clause_drafts(doc, sent, cs, ce, anchor)]


def _clause_drafts(doc: Reading, sent: _Sentence, cs: int, ce: int, anchor: tuple[Place, str] | None) -> list[Draft]:
    """One draft per (incident, place) of the clause [cs, ce); see the module docstring. `anchor` is the
    place of last resort (the headline's, else the town the article is about) and how to say so."""
    trigs = _live_triggers(doc, cs, ce)
    clause_counts = _valid_counts(doc, cs, ce, trigs)
    clause_dates = [d for d in between(doc.dates, cs, ce) if not d.since]
    if not trigs or not any(t.payload.strong for t in trigs) and not clause_dates and \
            not any(c.value is not None for c in clause_counts) and not _outcome_after(doc, sent, ce):
        return []  # nothing, or only background words ("the defectors", "battles") with nothing new
    date = next(iter(clause_dates), None) or next((d for d in sent.dates if not d.since), None) or \
        next(iter(sent.dates), None)
    dated = date is not None and not date.since
    places = drop_near(doc, [p for p in sent.places if cs <= p[0] < ce])
    clause_type = _event_type(trigs, doc)
    if clause_type and event_types()[clause_type[0]].attack:
        places = [p for g in place_groups(doc, places) if doc.place_tok(g[0]) not in doc.launch_sites for p in g]
    how = "named in the same clause as"
    if places:
        scopes = clause_scopes(doc, places, cs, ce)
        if len(scopes) > 1 and is_topic(doc, scopes[0], trigs):
            scopes = scopes[1:]
    else:
        before = between(doc.places, sent.para_start, cs)
        referred = referred_place(doc, sent.start, sent.end)
        fallback = referred or (before[-1] if before else anchor[0] if anchor else None)
        how = "the place the class word refers to, for" if referred else "the last place named before" if before \
            else anchor[1] if anchor else ""
        scopes = [([fallback] if fallback else [], cs, ce)]
    background = bool(between(doc.background_cues, cs, ce)) or _running_since(doc, between(doc.dates, cs, ce) or sent.dates)
    # `هذه الغارات … استهدفت سقبا`: the weapon named in passing types an unspecific cue or a death toll
    weapon = _event_type([t for t in between(doc.triggers, cs, ce) if t.first in doc.referring])
    drafts: list[Draft] = []
    for n, (group, s, e) in enumerate(scopes):
        scope_trigs = [t for t in trigs if s <= t.start < e]
        own = scope_trigs or trigs
        scope_counts = _valid_counts(doc, s, e, own, calm_end=sent.end if e == ce else None)
        gap = WORD_RUN.findall(doc.text, scopes[n - 1][0][-1][1], group[0][0]) if n else []
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
            count = replace(count, value=None)  # `ستة مدنيين … في A وB وC`: a total of the list, no place's own
        rank = 0 if count is None else 1 if count.value is None else 2 if len(group) > 1 else 3
        anaphoric = all(not t.payload.strong or definite(doc.toks[t.first].text)
                        for t in own if t.payload.event_type == etype)
        typing = [t.first for t in own if t.payload.event_type == etype]
        context = background or bool(typing) and all(k in doc.amid for k in typing)
        incidents = [(etype, generic, count, rank)]
        if (second := _second_outcome(etype, own, scope_counts)) is not None and len(group) <= 1:
            incidents.append((second[0], False, second[1], 3))
        for (kind, vague, number, weight), p in ((i, p) for i in incidents for p in group or [None]):
            near = p is not None and (doc.place_tok(p) in doc.near or is_origin(doc, [p]))
            row = _row(doc, kind, p[2] if p else None, near, number, date, (sent.start, sent.end), sent.actors,
                       context)
            row["explain"] = _explain(doc, p, how, own, near, context)
            drafts.append(Draft(row, sent.index, weight, dated, vague, anaphoric, cs, borrowed=not places))
    return drafts


RUNNING_DAYS = 2  # `منذ الأحد` this many days or more before publication: a running total, not the day's news


def _running_since(doc: Reading, dates: list[DateHit]) -> bool:
    """Whether a clause's dates (its own, else its sentence's) are only a day well before publication it
    runs from (`ومنذ الأحد، أدت الغارات إلى مقتل أكثر من 50 مدنيا`, `تتعرض إدلب منذ يونيو لقصف متكرر`):
    what it tells has run since then, a total or a going-on, not the day's news."""
    return bool(dates) and doc.pub is not None and all(
        d.runs_from and not d.ongoing and (doc.pub - d.date).days >= RUNNING_DAYS for d in dates)


def _outcome_after(doc: Reading, sent: _Sentence, ce: int) -> bool:
    """Whether the next clause of the sentence, with no cue of its own, numbers the people it reached
    (`الحملة … تركزت في بلدات A وB، وطالت أكثر من 15 مدنيا`): the outcome of the clause's report."""
    nxt = next(((s, e) for s, e in clauses(doc.connectives, sent.start, sent.end) if s == ce), None)
    return nxt is not None and not _live_triggers(doc, *nxt) and \
        any(c.value is not None for c in _valid_counts(doc, *nxt, []))


def _second_outcome(etype: str, trigs: list[Match[Trigger]], counts: list[Count]) -> tuple[str, Count] | None:
    """An arrest told with killings, or killings (or an attack) with an arrest, each verb with its own
    number right after it (`قتلت اثنين من المسلحين واعتقلت ستة آخرين`): the second incident and
    its number."""
    wanted = "killing" if etype == "arrest" else "arrest" if etype == "killing" or event_types()[etype].attack else None
    for t in trigs:
        if t.payload.event_type == wanted and t.payload.strength == "strong":
            own = next((c for c in counts if c.value and 0 < c.first - t.last <= 2), None)
            if own is not None:
                return wanted, own
    return None


def _explain(doc: Reading, place: Place | None, how: str, trigs: list[Match[Trigger]], near: bool,
             background: bool) -> str:
    """Why the event is where it is, in the words of the text: which place, tied how to which cue."""
    cues = "، ".join(dict.fromkeys(doc.article.text[slice(*doc.orig(t.start, t.end))] for t in trigs))
    if place is None:
        text = f"no place is named for «{cues}»"
    else:
        name = doc.article.text[slice(*doc.orig(place[0], place[1]))] if place[1] > place[0] else place[2].text
        text = f"«{name}» {how} «{cues}»" + (" (near or around it)" if near else "")
    return text + ("; background: told as history, a total or context" if background else "")


def extract(article: Article, doc: Doc | None = None, mentions: list[Mention] | None = None) -> list[dict]:
    """The events reported in `article`, given its analysed text and the places the geoparser found
    in it (both computed here when not given). Rows have exactly the columns of events.schema. A headline is not read for
    events (it restates the body) but its place is the last resort for a sentence that names none."""
    if doc is None:
        doc = article.analysis or analyse(article.text)
    if mentions is None:
        mentions = geoparse(doc)
    doc = Reading(article, doc, mentions)
    title = title_span(doc)
    title_place = None
    if title:
        inside = most_specific(doc, [p for p in doc.places if title[0] <= p[0] < title[1]])
        title_place = inside[0] if inside else None
    anchor = (title_place, "the headline's place, for") if title_place else \
        (focus, "the town the article is about, for") if (focus := article_focus(doc)) else None
    drafts: list[Draft] = []
    para_starts: dict[int, int] = {}
    for i, (para, s, e) in enumerate(doc.sentences):
        para_starts.setdefault(para, s)
        if title and title[0] <= s < title[1] or is_subheading(doc, i):
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
    sentences types it (not when it is of another clause of the same sentence: `… في حين استهدفت الفصائل …` is
    another actor's, and so are the reports before it)."""
    for i, d in enumerate(drafts):
        if not d.generic:
            continue
        named = [a for a in (d.row["actors"] or "").split(";") if a]
        if named and not flies() & set(named):
            continue  # `قصف فصائل المعارضة`: rebels have no aircraft, the raids before were someone else's
        family = event_types()[d.row["event_type"]].family
        prior = next((k for k in reversed(drafts[:i]) if not k.generic
                      and d.sentence - k.sentence <= CONTEXT_SENTENCES
                      and event_types()[k.row["event_type"]].family == family), None)
        if prior is not None and (prior.sentence < d.sentence or prior.clause == d.clause):
            d.row["event_type"], d.generic = prior.row["event_type"], False
    return drafts
