"""The event lexicons in events/data (triggers, actors, context cues, person nouns), loaded into
the Arabic layer's phrase matcher. They live in TSV files so that analysts can add words
without touching code.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from arabic.matcher import PhraseMatcher
from arabic.normalize import name_key
from events.schema import INSTRUMENTS, event_types

DATA = Path(__file__).parent / "data"


def read_tsv(name: str) -> list[dict[str, str]]:
    """Rows of a lexicon file in events/data (tab-separated, header line, `#` comments)."""
    with open(DATA / name, encoding="utf-8", newline="") as f:
        lines = [ln for ln in f if ln.strip() and not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


@dataclass(frozen=True, slots=True)
class Trigger:
    """An event cue: its type and strength (strong, generic or weak; see triggers.tsv)."""

    event_type: str
    strength: str

    @property
    def strong(self) -> bool:
        return self.strength != "weak"


@cache
def lexicon() -> PhraseMatcher:
    """Every lexicon in one matcher. Categories: `trigger` (triggers.tsv: event cues, payload a
    Trigger), `actor` (actors.tsv: payload the canonical name) and the context cues of cues.tsv
    by kind: `negation` before a trigger cancels it, `injury`/`subset` before a number say it is
    not the event's count, `near` before a place makes it approximate, `front` and `origin` mark
    places that are not where the incident happened."""
    triggers = read_tsv("triggers.tsv")
    known = set(event_types()) | INSTRUMENTS
    unknown = sorted({r["type"] for r in triggers} - known)
    if unknown:  # a new type with no registry row would be extracted, then dropped or uncoloured
        raise ValueError(f"triggers.tsv uses event types missing from event_types.tsv: {', '.join(unknown)}")
    phrases: list[tuple[str, str, object]] = [(r["phrase"], "trigger", Trigger(r["type"], r["strength"]))
                                              for r in triggers]
    phrases += [(r["variant"], "actor", r["actor"]) for r in read_tsv("actors.tsv")]
    phrases += [(r["phrase"], r["kind"], r["kind"]) for r in read_tsv("cues.tsv")]
    return PhraseMatcher(phrases)


@cache
def person_nouns() -> dict[str, int]:
    """Nouns for people (events/data/person_nouns.tsv) -> grammatical number: 1, 2 (dual) or 3."""
    return {name_key(r["form"]): int(r["number"]) for r in read_tsv("person_nouns.tsv")}


@cache
def dead_nouns() -> frozenset[str]:
    """Singular nouns that are themselves one death (`قتيل`, `شهيد`; person_nouns.tsv, column dead)."""
    return frozenset(name_key(r["form"]) for r in read_tsv("person_nouns.tsv") if r["dead"] == "yes")


@cache
def flies() -> frozenset[str]:
    """Canonical actors that fly aircraft (events/data/actor_arms.tsv)."""
    return frozenset(r["actor"] for r in read_tsv("actor_arms.tsv") if r["aircraft"] == "yes")
