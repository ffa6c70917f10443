"""Folding the reports of one incident in an article into one event per place.

An article mentions the same incident several times (headline, lead, details, a later figure);
the extractor drafts an event per mention, and this module merges drafts of the same kind of
incident at the same place, lets a placeless follow-up complete the report before it, and lets a
report at a town right after one at its countryside locate it.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from events.places import CONTAINERS, PLACE_FIELDS, row_contains
from events.schema import event_types
from gazetteer.mention import anchor_of



@dataclass(slots=True)
class Draft:
    """An event row before merging; `count_rank` says how trustworthy its count is, `generic` that its
    type came from an unspecific cue (قصف) that a report naming the weapon may refine, `anaphoric`
    that its cues refer back (participles, definite nouns: "المنشقين", "الانشقاقات") rather than
    report something new ("انشق ضابط", "انشقاقه")."""

    row: dict
    sentence: int
    count_rank: int
    dated: bool
    generic: bool
    anaphoric: bool
    clause: int = 0  # where its clause starts (normalised offset): clauses of one sentence may differ in actor
    borrowed: bool = False  # its sentence names no place: the place is an earlier one's or the headline's

    @property
    def family(self) -> str:
        etype = event_types().get(self.row["event_type"])
        return etype.family if etype else self.row["event_type"]


def _absorb(into: Draft, other: Draft, dates: bool = True) -> None:
    """Fold a second report of the same incident into `into`: better count, stated date (unless `dates`
    is False: a summary's date is the summary's), weapon, actors."""
    if other.count_rank > into.count_rank:
        into.row["count"], into.row["count_text"] = other.row["count"], other.row["count_text"]
        into.count_rank = other.count_rank
    if dates and other.dated and not into.dated:
        into.row["event_date"], into.row["time_precision"] = other.row["event_date"], other.row["time_precision"]
        into.dated = True
    if into.generic and not other.generic or into.row["event_type"] == "killing" and _names_the_attack(other.row["event_type"]):
        into.row["event_type"], into.generic = other.row["event_type"], other.generic
    elif into.row["event_type"] == "other" and other.row["event_type"] == "killing":
        into.row["event_type"], into.generic = "killing", False  # a raid's deaths, told in either order
    names = [n for n in (into.row["actors"] or "").split(";") if n]
    names += [n for n in (other.row["actors"] or "").split(";") if n and n not in names]
    into.row["actors"] = ";".join(names) or None
    if other.row["geo_precision"] and into.row["geo_precision"]:
        into.row["geo_precision"] = min(into.row["geo_precision"], other.row["geo_precision"])


def _is_attack(etype: str) -> bool:
    """Whether deaths reported at the place of this type of event are its toll."""
    t = event_types().get(etype)
    return bool(t and t.attack)


def _names_the_attack(etype: str) -> bool:
    """Whether a report of this type names what deaths told at its place came of (a strike, a blast), so
    that it types them: not `other` (`قتلت اثنين … أثناء مداهمة`: the raid's deaths are a killing)."""
    t = event_types().get(etype)
    return bool(t and t.attack and t.role == "specific")


def _same_incident(a: Draft, b: Draft) -> bool:
    """Same kind of incident (an unspecific "shelling" may be the airstrike another report names;
    fleeing the ranks is defecting; deaths at the place of an attack are its toll) and dates that do
    not contradict each other."""
    if a.row["background"] != b.row["background"]:
        return False  # a total or a going-on told as history is never the day's incident
    ta, tb = a.row["event_type"], b.row["event_type"]
    if ta != tb and not (a.family == b.family and (a.generic or b.generic or a.family == "defection")) and \
            not ("killing" in (ta, tb) and (_is_attack(ta) or _is_attack(tb))):
        return False
    if _other_figures(a, b) and a.row["event_date"] != b.row["event_date"]:
        return False  # "8 killed on Saturday" after "40 killed on Friday" (or "yesterday"): two days, two tolls
    if not (a.dated and b.dated):
        return True
    da, db = dt.date.fromisoformat(a.row["event_date"]), dt.date.fromisoformat(b.row["event_date"])
    coarse = max(a.row["time_precision"], b.row["time_precision"]) >= 3
    return abs((da - db).days) <= 2 or coarse and (da.year, da.month) == (db.year, db.month)


def _other_figures(a: Draft, b: Draft) -> bool:
    """Whether both reports state a number of people, and not the same one."""
    return a.count_rank >= 2 and b.count_rank >= 2 and a.row["count"] != b.row["count"]


def _refines(k: Draft, d: Draft, alone: bool) -> bool:
    """Whether `d` names the place of `k` more precisely: `k` was the only event of its sentence, at a
    governorate/district/countryside, and the next sentence reports the same incident at a place in
    it ("…في ريف درعا الغربي. وقال… إن الهجوم استهدف حاجزا قرب بلدة المزيريب")."""
    return alone and d.sentence == k.sentence + 1 and k.row["kind"] in CONTAINERS and row_contains(k.row, d.row) \
        and not _other_figures(k, d)  # "36 killed in the Ghouta … 13 of them in Douma": a share, not the place


def merge(drafts: list[Draft]) -> list[Draft]:
    """One event per incident and place: repeated reports are folded into the first one, a report
    at a town right after one at its countryside locates it (so does a report at a quarter or site of
    a town where the incident was told before, and the only report of a sentence shortly after a lead
    that named no place: `لقي تسعة حتفهم بغارة على تجمع سكني` then `… منازل في ريف إدلب … تسعة أشخاص`),
    and a placeless follow-up completes the report of the same kind just before it (unless it contradicts
    its count: another figure).
    `drafts` come in sentence order; lookups are indexed, so long texts stay linear."""
    per_sentence: dict[int, int] = {}
    for d in drafts:
        per_sentence[d.sentence] = per_sentence.get(d.sentence, 0) + 1
    kept: list[Draft] = []
    by_place: dict[str | None, list[Draft]] = {}
    by_sentence: dict[int, list[Draft]] = {}
    by_family: dict[str, list[Draft]] = {}
    for d in drafts:
        if (d.row["place_id"] is None or d.borrowed) and d.anaphoric and _complete_previous(
                d, by_family.get(d.family, []), reach=None if d.row["place_id"] is None else NUMBER_REACH):
            continue
        if d.borrowed and d.count_rank >= 2 and _give_number(d, by_family.get(d.family, [])):
            continue
        if d.anaphoric and not d.row["background"] and _recalls(d, by_family.get(d.family, [])):
            continue
        same = next((k for k in by_place.get(d.row["place_id"], ()) if _same_incident(k, d)), None)
        wider = next((k for k in by_sentence.get(d.sentence - 1, ())
                      if _same_incident(k, d) and _refines(k, d, per_sentence[k.sentence] == 1)), None) or \
            next((k for k in by_place.get(anchor_of(d.row["place_id"]) or "", ())
                  if _same_incident(k, d) and not _other_figures(k, d)), None) or \
            next((k for k in by_place.get(None, ()) if _locates_lead(k, d, per_sentence[d.sentence] == 1)), None)
        if same is not None:
            _absorb(same, d)
        elif wider is not None:  # the incident told at a town (or nowhere), then at a place in it: one event, there
            _absorb(wider, d)
            by_place[wider.row["place_id"]].remove(wider)
            wider.row.update({f: d.row[f] for f in (*PLACE_FIELDS, "explain")})
            by_place.setdefault(wider.row["place_id"], []).append(wider)
        else:
            kept.append(d)
            by_place.setdefault(d.row["place_id"], []).append(d)
            by_sentence.setdefault(d.sentence, []).append(d)
            by_family.setdefault(d.family, []).append(d)
    return kept


LEAD_REACH = 2  # sentences after a lead with no place in which the report of the same toll locates it


def _locates_lead(k: Draft, d: Draft, alone: bool) -> bool:
    """Whether `d` is where the placeless lead `k` happened: the only report of its sentence, a few
    sentences on, with the same stated number (`لقي تسعة حتفهم بغارة على تجمع سكني` then `الغارة أصابت
    منازل في ريف إدلب … تسعة أشخاص`); a total told with no place is no town's (`قتل 30 في غارات طالت
    مناطق عدة … كما شنت الطائرات غارة على طفس`)."""
    return alone and not d.borrowed and d.row["place_id"] is not None and 0 < d.sentence - k.sentence <= LEAD_REACH \
        and k.count_rank >= 2 and d.count_rank >= 2 and k.row["count"] == d.row["count"] and _same_incident(k, d)


def _recalls(d: Draft, family: list[Draft]) -> bool:
    """Fold a report that refers back (`القصف الصاروخي خلّف أضرارا في ريف إدلب`, `وأدى انشقاقهم إلى…`)
    into the events of its kind that the latest earlier sentence reported at the same place or at places
    inside the one it names: a summary of an incident already reported is not a new one."""
    return _fold_into_latest(d, family, lambda k: _same_incident(k, d) and _at_or_in(k, d), dates=False)


def _complete_previous(d: Draft, family: list[Draft], reach: int | None = None) -> bool:
    """Fold placeless `d` into the same-incident events of the latest earlier sentence that has any, at
    most `reach` sentences back when given (not into one whose stated count it contradicts: that is
    another figure)."""
    return _fold_into_latest(d, family, lambda k: _same_incident(k, d) and (
        reach is None or d.sentence - k.sentence <= reach), keep=lambda k: not _other_figures(k, d))


def _give_number(d: Draft, family: list[Draft]) -> bool:
    """Fold `d`, whose sentence names no place but a number, into the same-incident events of the latest
    earlier sentence that reported them without one (`انشق عدد من العناصر في X … وأكد المصدر انشقاق
    سبعة عناصر`): the number completes that report, it is no second incident at the headline's place."""
    return _fold_into_latest(d, family, lambda k: _same_incident(k, d) and k.count_rank < 2
                             and d.sentence - k.sentence <= NUMBER_REACH and _at_or_in(k, d))


NUMBER_REACH = 2  # sentences back that a placeless number may complete a report


def _at_or_in(k: Draft, d: Draft) -> bool:
    """Whether `k` is at the place `d` is, or at a place inside it (anywhere, when `d` has none)."""
    return k.row["place_id"] is not None and (d.row["place_id"] in (None, k.row["place_id"]) or row_contains(d.row, k.row))


def _fold_into_latest(d: Draft, family: list[Draft], recalled: Callable[[Draft], bool],
                      keep: Callable[[Draft], bool] = lambda k: True, dates: bool = True) -> bool:
    """Absorb `d` into the drafts it `recalled` of the latest earlier sentence that has any (those `keep`
    accepts); whether there were any."""
    last = next((k.sentence for k in reversed(family) if k.sentence < d.sentence and recalled(k)), None)
    targets = [k for k in family if k.sentence == last and recalled(k) and keep(k)]
    for k in targets:
        _absorb(k, d, dates=dates)
    return bool(targets)
