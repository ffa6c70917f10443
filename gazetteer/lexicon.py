"""The small word lists the geoparser reasons with, read from data files that are easy to extend.

cues.tsv (words that announce a place and hint at its kind), directions.tsv (the compass
adjectives of `ريف حماة الشمالي`), person_titles.txt (a name after `النقيب` is a person),
not_places.txt (fixed expressions such as `حزب البعث`). All entries are normalised on load.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from arabic.normalize import name_key
from arabic.clitics import readings

DATA = Path(__file__).parent / "data"

# Words that, right before a name, make a place reading likelier (after clitics are removed).
PREPOSITIONS = frozenset(name_key(w) for w in (
    "في", "من", "إلى", "الى", "على", "قرب", "نحو", "باتجاه", "بين", "حول", "داخل", "عند",
    "شمال", "جنوب", "شرق", "غرب", "شمالي", "جنوبي", "شرقي", "غربي", "مدخل", "مثل",
    "وسط", "ضواحي", "تخوم", "أرياف",
))


class Cue(NamedTuple):
    """What a cue word announces: the kinds of place it suggests, and whether it opens a list. A named
    tuple: it is in the key of every memoised feature record, and a tuple hashes in C."""

    kinds: tuple[str, ...]
    plural: bool


def _lines(name: str) -> list[str]:
    text = (DATA / name).read_text(encoding="utf-8")
    return [ln.rstrip("\n") for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


@lru_cache(maxsize=1)
def cues() -> dict[str, Cue]:
    """Cue word key -> the kinds it suggests and whether it opens a list."""
    out = {}
    for line in _lines("cues.tsv"):
        word, kinds, plural = line.split("\t")
        out[name_key(word)] = Cue(tuple(kinds.split(",")), plural.strip() == "1")
    return out


@lru_cache(maxsize=1)
def directions() -> dict[tuple[str, ...], str]:
    """Direction adjective words (normalised, as a tuple of words) -> compass part."""
    out = {}
    for line in _lines("directions.tsv"):
        words, part = line.split("\t")
        out[tuple(name_key(words).split())] = part.strip()
    return out


@lru_cache(maxsize=1)
def direction_names() -> dict[str, str]:
    """Compass part -> its adjective as written (`الأوسط`), the first listed for that part."""
    out: dict[str, str] = {}
    for line in _lines("directions.tsv"):
        words, part = line.split("\t")
        out.setdefault(part.strip(), words)
    return out


@lru_cache(maxsize=1)
def person_titles() -> frozenset[str]:
    return frozenset(name_key(w) for w in _lines("person_titles.txt"))


@lru_cache(maxsize=1)
def not_places() -> frozenset[tuple[str, ...]]:
    """Fixed expressions (as word tuples) in which a place-like word is not a place."""
    return frozenset(tuple(name_key(w).split()) for w in _lines("not_places.txt"))


@lru_cache(maxsize=1)
def not_place_words() -> frozenset[str]:
    """Every word of every fixed expression: a quick test before matching expressions."""
    return frozenset(w for expr in not_places() for w in expr)


@lru_cache(maxsize=200_000)
def cue_of(word: str) -> Cue | None:
    """The cue a word is, behind any clitics (`وبلدة` -> بلدة), or None. Memoised per word."""
    table = cues()
    return next((table[st] for _, st in readings(word) if st in table), None)


@lru_cache(maxsize=1)
def expressions_by_first() -> dict[str, tuple[tuple[str, ...], ...]]:
    """The fixed expressions by their first word."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for expr in sorted(not_places()):
        out.setdefault(expr[0], []).append(expr)
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=200_000)
def expression_starts(word: str) -> frozenset[str]:
    """Readings of a word that can open a fixed expression (usually none)."""
    return frozenset(st for _, st in readings(word)) & not_place_words()


@lru_cache(maxsize=1)
def name_heads() -> frozenset[str]:
    """Generic first words of place names (`خربة`, `تل`, `حوش`), normalised."""
    return frozenset(name_key(w) for w in _lines("name_heads.txt"))


@lru_cache(maxsize=1)
def foreign_adjectives() -> frozenset[str]:
    """Adjectives of other countries (`العراقي`, `العراقية`), normalised, both genders."""
    out = set()
    for w in _lines("foreign_adjectives.txt"):
        if w.startswith("="):
            continue
        k = name_key(w)
        out |= {k, k + "ه", k + "ة"}
    return frozenset(out)


# Function words that are also place names (`على` is the village Ali): never a place unless a singular
# cue word names it (`قرية على`).
FUNCTION_WORDS = frozenset(name_key(w) for w in (
    "على", "إلى", "الى", "في", "من", "عن", "مع", "إن", "أن", "ان", "لكن", "بعد", "قبل", "عند", "حتى", "ثم",
    "أو", "او", "لا", "لم", "لن", "ما", "هذا", "هذه", "ذلك", "تلك", "التي", "الذي", "كل", "بين", "حول",
))


@lru_cache(maxsize=1)
def foreign_countries() -> frozenset[str]:
    """Countries other than Syria (the `=` lines of foreign_adjectives.txt), normalised."""
    return frozenset(name_key(w[1:]) for w in _lines("foreign_adjectives.txt") if w.startswith("="))
