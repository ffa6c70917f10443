"""What can be glued to an Arabic word, and the readings of a word without it.

Arabic writes the conjunctions و ف, the prepositions ب ل ك, the article ال and (on verbs) the
future س as part of the word (`وبالقنيطرة`, `للرستن`, `وسيقصف`), and pronouns at its end
(`قصفها`). One list of proclitics and one article rule serve the geoparser and the extractor.
"""
from __future__ import annotations

from functools import lru_cache

# Proclitic sequences without the article, longest first; the article is a reading of its own.
PROCLITICS = ("وب", "ول", "وك", "فب", "فل", "و", "ف", "ب", "ل", "ك")
VERBAL_PROCLITICS = ("وس", "س")  # the future prefix: only on verbs, never on a name
SUFFIXES = ("هما", "هم", "هن", "ها", "كم", "نا", "وا")  # pronouns and the plural verb ending; not a lone ه (also ة)
MIN_STEM = 2  # `وتل تمر`: a two-letter first word of a multi-word name
MIN_ARTICLE_STEM = 2  # `الباب` -> `باب`, but `الحر` keeps its article: a two-letter stem is rarely the word


@lru_cache(maxsize=200_000)
def readings(word: str, verbal: bool = False) -> tuple[tuple[int, str], ...]:
    """Readings of `word` as (letters taken by proclitics, stem), the bare word first.

    `للرستن` is ل + الرستن with the article's alef dropped: its stem is `الرستن` and the
    span starts at the second ل, which belongs to the name.
    """
    out = [(0, word)]
    for p in PROCLITICS + (VERBAL_PROCLITICS if verbal else ()):
        if not word.startswith(p):
            continue
        rest = word[len(p):]
        if p.endswith("ل") and rest.startswith("ل") and len(rest) > MIN_STEM:
            out.append((len(p), "ا" + rest))
        elif len(rest) >= MIN_STEM:
            out.append((len(p), rest))
    return tuple(out)


def strip_article(word: str) -> str:
    """The word without its article (`الرستن` -> `رستن`), when enough is left to be a word."""
    return word[2:] if word.startswith("ال") and len(word) - 2 > MIN_ARTICLE_STEM else word


def definite(word: str) -> bool:
    """Whether a word carries the article, also behind a proclitic (الانشقاقات، بالانشقاق، للانشقاق)."""
    return word.startswith(("ال", "لل")) or word[:1] in "وفبلك" and word[1:].startswith(("ال", "لل"))


@lru_cache(maxsize=1 << 16)
def stems(word: str) -> frozenset[str]:
    """Article-free forms of the word with and without its proclitics (and the future prefix):
    what a lexicon entry is compared with. Only a conjunction (و ف) may leave a two-letter stem:
    `وفر` is "and fled", but `كفر`, `سفر` and `بفر` are words of their own, not ك/س/ب + فر.
    Cached: news vocabulary repeats."""
    return frozenset(strip_article(s) for off, s in readings(word, verbal=True)
                     if off == 0 or len(s) > MIN_STEM or word[:off] in ("و", "ف"))


@lru_cache(maxsize=1 << 16)
def suffix_free(word: str) -> frozenset[str]:
    """The word, and without one pronoun suffix or the alif of the indefinite accusative (`مدفعيا` is
    `مدفعي`), kept >= 3 letters."""
    ends = SUFFIXES + ("ا",)
    return frozenset([word] + [word[:-len(s)] for s in ends if word.endswith(s) and len(word) - len(s) >= 3])


@lru_cache(maxsize=1 << 16)
def loose_forms(word: str) -> frozenset[str]:
    """The word without one clitic prefix and/or one pronoun suffix (`وطفلها` -> `طفل`)."""
    return frozenset(x for s in stems(word) for x in suffix_free(s))
