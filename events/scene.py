"""Which places a clause names as where something happened, and what an article is about.

A clause's place mentions lose the containers of another one (the governorate of a named town), the
reference points (`B شرقي A`, `قرب دمشق`) and battle fronts; the rest form groups (`A، B وC`) that cut
the clause into scopes, one per group. A sentence that names no place falls back on the headline's
place or the town the article is about; a short line with no full stop is a subheading, read for no
events.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter

from arabic.matcher import Match
from events.corpus import is_headline
from events.lexicon import Trigger
from events.places import CONTAINERS, contains
from events.reading import FIRST, LAST, WORD_RUN, Place, Reading, between

# "B شرقي A": after a place, a direction makes the next place a reference point, not a location.
_DIRECTIONS = {f"{a} {b}".strip() for a in ("شمال", "جنوب", "شمالي", "جنوبي", "")
               for b in ("", "شرق", "غرب", "شرقي", "غربي")} - {""} | {"شرق", "غرب", "شرقي", "غربي"}
# "… الواقعة جنوب (العاصمة السورية) دمشق": the place after lies-to-the-south-of is where something else is.
_LIES = re.compile(r"(?<!\w)[وف]?(?:الواقعه|الواقع|تقع|يقع)\s+(?:الي\s+)?(?:ال)?(?:شمال|جنوب|شرق|غرب)\w*(?:\s+(?!و)\w+){0,3}\s*$")
# "B القريبة من مدينة A", "B المجاورة لـ A": A says where B is.
_CLOSE_TO = re.compile(r"[\s،,]*(?:ال)?(?:قريبه|قريب|مجاوره|مجاور|محاذيه|محاذي)\s+(?:من\s+|ل)?(?:(?!و)\w+\s+){0,2}$")
LIES_REACH = 60  # characters before a place where `الواقعة جنوب` may stand
# Words that may stand between the places of one list ("A وبلدتي B وC"), also after و.
_LIST_WORDS = {"و", "في", "من", "مدن", "بلدات", "قري", "مدينه", "بلده", "قريه", "بلدتي", "قريتي", "مدينتي",
               "اطراف", "حي", "احياء", "حيي", "منطقه", "مناطق", "كل", "مخيم", "مخيمات"}
# Words that may stand before the area a clause turns to (`وفي حماة، …`).
_TOPIC_WORDS = {"في", "وفي", "اما", "واما", "مدينه", "بلده", "قريه", "ريف", "محافظه", "منطقه"}


def place_groups(doc: Reading, places: list[Place]) -> list[list[Place]]:
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


def _boundary(doc: Reading, a: int, b: int) -> int:
    """Where the scope of one place group ends and the next begins, in the gap [a, b): after its
    last comma, else before its first word with the conjunction و, else right after the first group."""
    gap = doc.text[a:b]
    comma = max(gap.rfind("،"), gap.rfind(","))
    if comma >= 0:
        return a + comma + 1
    m = re.search(r"(?<!\w)و\w{2,}", gap)
    return a + m.start() if m else a


def most_specific(doc: Reading, places: list[Place]) -> list[Place]:
    """Without the places that contain another one named with them ("كفرنبل بريف إدلب" is at كفرنبل),
    except a countryside listed with an area in it (`في سهل الغاب وريف حماة الشمالي`: two scenes)."""
    return [p for p in places if not any(contains(p[2], q[2]) and not (
        q[2].kind == "region" and _listed_together(doc, p, q)) for q in places)]


def _listed_together(doc: Reading, a: Place, b: Place) -> bool:
    """Whether two places are next items of one list (`A وB`, `A وسهل B`, `A، B`): one word with the
    conjunction (and perhaps the class word) between them, or a comma alone."""
    first, second = sorted((a, b), key=FIRST)
    gap = doc.text[first[1]:second[0]]
    words = WORD_RUN.findall(gap)
    return len(words) == 1 and words[0].startswith("و") or not words and gap.strip() in ("،", ",")


def drop_references(doc: Reading, places: list[Place]) -> list[Place]:
    """Without the reference points of "B شرقي A" (B lies east of A; the event is at B) and of "…،
    الواقعة جنوب العاصمة دمشق" (where the place the clause speaks of lies)."""
    return [q for i, q in enumerate(places) if not _is_reference(doc, places[i - 1] if i else None, q)]


def _is_reference(doc: Reading, before: Place | None, q: Place) -> bool:
    """Whether place q, after place `before` (None: the first), is a reference point: `B شرقي A`, `B القريبة من
    A`, `الواقعة جنوب A`."""
    if before is not None and (" ".join(re.findall(r"\w+", doc.text[before[1]:q[0]])) in _DIRECTIONS
                               or _CLOSE_TO.match(doc.text, before[1], q[0])):
        return True
    # the words since the article's last place before q, whether or not that one is in the list
    last = bisect.bisect_left(doc.places, q[0], key=FIRST) - 1
    start = max(doc.places[last][1] if last >= 0 else 0, q[0] - LIES_REACH)
    return bool(_LIES.search(doc.text, start, q[0]))


def drop_fronts(doc: Reading, places: list[Place]) -> list[Place]:
    """Without the places named as battle fronts (`في معارك ريف اللاذقية`), unless only fronts are named."""
    groups = place_groups(doc, places)
    marked = [doc.place_tok(g[0]) in doc.fronts for g in groups]
    if all(marked):
        return places
    return [p for g, m in zip(groups, marked) if not m for p in g]


def is_origin(doc: Reading, group: list[Place]) -> bool:
    """Whether the group follows "from the sons of / originating from" (no event cue in between)."""
    first = doc.place_tok(group[0])
    lo = bisect.bisect_left(doc.origins, first - 8, key=LAST)
    return any(0 < first - c.last <= 8 and not between(doc.triggers, c.end, group[0][0]) for c in doc.origins[lo:])


def clause_scopes(doc: Reading, places: list[Place], cs: int, ce: int) -> list[tuple[list[Place], int, int]]:
    """The clause [cs, ce) cut into one span per place group, so each group gets the cues and
    numbers told with it."""
    groups = [g[:1] if len(g) > 1 and is_origin(doc, g) else g for g in place_groups(doc, places)]
    cuts = [cs] + [_boundary(doc, g[-1][1], n[0][0]) for g, n in zip(groups, groups[1:])] + [ce]
    return [(g, cuts[i], cuts[i + 1]) for i, g in enumerate(groups)]


def drop_near(doc: Reading, places: list[Place]) -> list[Place]:
    """Without the reference points (`في مدينة عربين قرب دمشق`, `على البلدة، آخر معاقل الفصائل قرب دمشق`):
    a place said to be what the place before it lies near (a near cue between them, a few words apart,
    no cue of another incident between) locates that place, not an event."""
    out = []
    for i, p in enumerate(places):
        first = doc.place_tok(p)
        if i and first in doc.near and first - doc.tok_index(places[i - 1][1]) <= NEAR_REACH and \
                not any(w.startswith("و") for w in WORD_RUN.findall(doc.text, places[i - 1][1], p[0])[-2:]) and \
                not between(doc.triggers, places[i - 1][1], p[0]):
            continue  # not `A وأطراف B` (the near cue itself conjoined): a list names two scenes
        out.append(p)
    return out


NEAR_REACH = 8  # words from a place to the reference point that locates it (an apposition may come between)


def is_topic(doc: Reading, scope: tuple[list[Place], int, int], trigs: list[Match[Trigger]]) -> bool:
    """Whether a clause opens on the area the report turns to, "وفي حماة، فر 12 مجندا من ثكنة في
    صوران": only a preposition (and words like مدينة) before the place, a comma after it, and no cue
    of its own; the incident is at the place named after it."""
    group, s, e = scope
    before = WORD_RUN.findall(doc.text, s, group[0][0])
    return all(w in _TOPIC_WORDS for w in before) and doc.text[group[-1][1]:e].strip() in ("،", ",") and \
        not any(s <= t.start < e for t in trigs)


FOCUS_MENTIONS = 2  # a town named this often, and more than any other, is what the article is about


def article_focus(doc: Reading) -> Place | None:
    """The town the article is about (`تودّع داريا أحد أبنائها … اعتقل الشاب …`): its most named
    town, village, neighbourhood or site, when named at least twice and more than any other."""
    local = [p for p in doc.places if p[2].kind not in CONTAINERS]
    counts = Counter(p[2].place_id for p in local)
    ranked = counts.most_common(2)
    if not ranked or ranked[0][1] < FOCUS_MENTIONS or len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
        return None
    return next(p for p in local if p[2].place_id == ranked[0][0])


def title_span(doc: Reading) -> tuple[int, int] | None:
    """Span (normalised) of the title when it stands in the text as its own headline line."""
    title = doc.article.title.strip()
    at = doc.article.text.find(title) if title else -1
    if at < 0 or not is_headline(title, min_words=1) or not re.search(r"\w", doc.article.text[at + len(title):]):
        return None  # not a headline of its own, or nothing but the headline: then it is the report
    return doc.to_norm(at), doc.to_norm(at + len(title))


SUBHEADING_WORDS = 6  # a paragraph this short, with no full stop and no number, heads the paragraphs after it


def is_subheading(doc: Reading, i: int) -> bool:
    """Whether sentence i is a subheading (`كيف هرب عناصر النظام`, `قصف متواصل`): a paragraph of its own,
    a few words with no full stop and no number; like the headline, it restates what the body reports."""
    para, s, e = doc.sentences[i]
    alone = all(not (0 <= j < len(doc.sentences)) or doc.sentences[j][0] != para for j in (i - 1, i + 1))
    text = doc.text[s:e].strip()
    return alone and len(WORD_RUN.findall(text)) <= SUBHEADING_WORDS and not re.search(r"[.!?؟:\d]$|\d", text)


# A class word with the article points back to the last place of its kind (`استهداف الحي` = the quarter
# just named).
_CLASS_KINDS = {"الحي": {"neighbourhood"}, "البلده": {"town", "village"}, "القريه": {"village", "town"},
                "المدينه": {"city", "town"}, "المخيم": {"camp"}}


def referred_place(doc: Reading, start: int, end: int) -> Place | None:
    """The place a clause [start, end) that names none points back to with a class word (`إثر استهداف
    الحي بالصواريخ`): the last place of that kind named before it in the article."""
    kinds = next((_CLASS_KINDS[w] for w in WORD_RUN.findall(doc.text, start, end) if w in _CLASS_KINDS), None)
    if kinds is None:
        return None
    earlier = between(doc.places, 0, start)
    return next((p for i, p in reversed(list(enumerate(earlier))) if p[2].kind in kinds
                 and not _is_reference(doc, earlier[i - 1] if i else None, p)), None)
