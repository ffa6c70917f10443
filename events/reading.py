"""One article as the extractor reads it: the shared analysed text (`arabic.Doc`) with what the event
lexicons find in it — triggers, actors, context cues and the token windows they govern — and the
counts, dates and geoparser places of the sentences that have a trigger. Built once per article and
read by `events.scene` (which places a clause names) and `events.extract` (what each clause reports).
"""
from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import replace
from functools import partial
from operator import attrgetter, itemgetter

from arabic import Doc
from arabic.clitics import definite, stems, strip_article
from arabic.matcher import Match
from arabic.normalize import Normalized
from arabic.tokens import Token
from events.corpus import Article
from events.counts import Count, find_counts
from events.dates import DateHit, find_dates, long_cues
from events.lexicon import Trigger, lexicon
from gazetteer.mention import Mention

FIRST, START, LAST = itemgetter(0), attrgetter("start"), attrgetter("last")  # bisection keys (C, not lambdas)
_DATELINE = re.compile(r"^\s*[-–—]\s*\S+")  # "دمشق - وكالات:" names where the report was filed
WORD_RUN = re.compile(r"\w+")
_AFTER = frozenset({"بعد", "وبعد", "عقب", "اثر", "منذ"})
_SUPERLATIVES = frozenset({"اعنف", "اكبر", "اشد", "اكثر", "اول", "اوسع", "اقوي", "اصعب", "اعلي"})  # `الأعنف … منذ بدء الهجوم`
# Words that open what a reporter reports (`… إن`, `بأن`): the reporter's phrase ends there.
_COMPLEMENTIZERS = frozenset({"ان", "بان", "انه", "انها", "بانه", "بانها", "وان", "لان"})
# Words between a launch cue (`من مواقعه`) and its place: prepositions, class words, adjectives.
_PHRASE_WORDS = frozenset({"في", "من", "داخل", "مدينه", "بلده", "قريه", "حي", "منطقه", "محافظه", "ريف", "محليه",
                           "تمركز", "تمركزها", "تمركزه", "انتشار", "قوات", "نظام", "جيش", "حاجز", "حواجز",
                           "طبيه", "ميدانيه", "خاصه", "مطلعه", "اهليه", "اعلاميه", "معارضه", "مقربه", "رسميه",
                           "محلي", "طبي", "ميداني", "اعلامي", "المدني", "مدني", "حقوقيه", "حقوقي", "مدينتي"})


def between(items: list, start: int, end: int) -> list:
    """Items (sorted by .start, or by [0] for places) that start in [start, end)."""
    if not items:
        return []
    key = FIRST if type(items[0]) is tuple else START
    lo = bisect.bisect_left(items, start, key=key)
    return items[lo:bisect.bisect_left(items, end, lo=lo, key=key)]


Place = tuple[int, int, Mention]  # start and end in the normalised text, and the mention


class Reading:
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
        self.triggers: list[Match[Trigger]] = _with_recalled_campaigns(
            found.get("trigger", []), found.get("campaign", []), self.toks, doc.sentence_of)
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
        present = long_cues(self.text) if self.triggers else frozenset()
        for _, s, e in self.sentences:
            if bisect.bisect_left(starts, s) == bisect.bisect_left(starts, e):
                continue
            self.dates += [replace(d, start=d.start + s, end=d.end + s) for d in find_dates(self.text[s:e], self.pub, present)
                           if self.pub is None or d.date <= self.pub + dt.timedelta(days=1)]
            first = self.tok_index(s)
            self.counts += [replace(c, first=c.first + first, last=c.last + first)
                            for c in find_counts(self.toks[first:self.tok_index(e)])]
        self.counts = [c for c in self.counts if not self._in_date(c)]
        # Recurring names are the geoparser's business (one sense per article): take its mentions as they are.
        self.places: list[Place] = sorted(((m.nstart, m.nend, m) if m.nstart >= 0 else
                                           (self.to_norm(m.start), self.to_norm(m.end), m)
                                           for m in mentions if not self._is_dateline(m)), key=FIRST)

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
        i = bisect.bisect_left(self.dates, c.end, key=START)  # dates do not overlap each other
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


RECALL_SENTENCES = 2  # how far back `الحملة` looks for the campaign it names again


def _with_recalled_campaigns(triggers: list[Match[Trigger]], campaigns: list[Match], toks: list[Token],
                             sentence_of: list[int]) -> list[Match[Trigger]]:
    """The triggers, and a campaign word with the article that names again a campaign an earlier trigger
    opened (`حملة اعتقالات … الحملة تركزت في بلدات A وB وطالت 15 مدنيا`): a weak cue of that trigger's
    type there, so it is an event only with a number or a day of its own, at the places it names."""
    if not campaigns or not triggers:
        return triggers
    opened: list[tuple[frozenset[str], Match[Trigger]]] = []  # (the campaign word's stems, the trigger it opens)
    added: list[Match[Trigger]] = []
    for c in campaigns:
        here = next((t for t in triggers if t.first <= c.first <= t.last or t.first == c.last + 1), None)
        word = stems(toks[c.first].text)
        if here is not None:
            opened.append((word, here))
            continue
        earlier = [t for w, t in opened if w & word and t.last < c.first
                   and sentence_of[c.first] - sentence_of[t.first] <= RECALL_SENTENCES]
        if earlier and definite(toks[c.first].text) and sentence_of[c.first] > sentence_of[earlier[-1].first]:
            t = earlier[-1]
            added.append(Match(c.first, c.last, c.start, c.end, Trigger(t.payload.event_type, "weak")))
    return sorted(triggers + added, key=START) if added else triggers


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


LAUNCH_REACH = 8  # words of `من مواقعها المنتشرة في حواجز X` before its place


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
