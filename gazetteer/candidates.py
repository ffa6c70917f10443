"""Candidate generation: every span of a text that could name a Syrian place.

Three generators, each cheap enough to run on every word:
- exact: a word (with its clitics peeled off) or a run of up to `max_words` words whose key
  is a place name; names written without their space (`كفرزيتا`) hit the spaceless keys;
- regions: `ريف حماة الشمالي`, `ريفي إدلب وحماة` -> the countryside of a governorate;
- fuzzy: a word one letter away from a place name, proposed only in a place slot (after a cue
  word, or in a list next to another candidate), since most one-letter neighbours of village
  names are ordinary words.
Whether a candidate is really a place is decided later (gazetteer.resolve).
"""
from __future__ import annotations

from dataclasses import dataclass

from gazetteer.index import NameIndex
from gazetteer.lexicon import cues, directions
from arabic.clitics import readings
from arabic.tokens import Token, gap_is_space


ADMIN_UNIT_KINDS = frozenset({"district", "subdistrict"})


@dataclass(slots=True)
class Candidate:
    """A span of normalised text (tokens first..last) and the places it may name."""

    first: int
    last: int
    start: int  # normalised-text offsets of the name itself (clitics excluded)
    end: int
    key: str  # the normalised words of the span (for a fuzzy match: as written, not the name matched)
    rows: tuple[int, ...]
    match: str  # "exact", "fuzzy" or "region"
    clitic: str = ""  # the letters peeled off the first word
    distance: int = 0
    region: tuple[str, str | None] | None = None  # (admin1 pcode, compass part) for region spans

    @property
    def n_words(self) -> int:
        return self.last - self.first + 1


def exact_candidates(text: str, tokens: list[Token], idx: NameIndex) -> list[Candidate]:
    """All exact-name spans; several per word are kept (different lengths, clitic readings)."""
    out: list[Candidate] = []
    cue_words = cues()
    for i, tok in enumerate(tokens):
        for off, stem, rows, opens_name in idx.readings(tok.text):
            clitic = tok.text[:off]
            if rows and stem not in cue_words:
                out.append(Candidate(i, i, tok.start + off, tok.end, stem, rows, "exact", clitic))
            if not opens_name:
                continue
            words = [stem]
            for j in range(i + 1, min(len(tokens), i + idx.max_words)):
                if not gap_is_space(text, tokens[j - 1].end, tokens[j].start):
                    break
                words.append(tokens[j].text)
                key = " ".join(words)
                rows = idx.lookup(key) or idx.lookup(key.replace(" ", ""))
                # `مدينة إدلب` as an alias of the district would hide the city the cue points to.
                if rows and stem in cue_words and all(idx.kind[r] in ADMIN_UNIT_KINDS for r in rows):
                    continue
                if rows:
                    out.append(Candidate(i, j, tok.start + off, tokens[j].end, key, rows, "exact", clitic))
    return out


def region_candidates(text: str, tokens: list[Token], idx: NameIndex) -> list[Candidate]:
    """`ريف X [direction]` spans, and the second governorate of a dual `ريفي X وY`."""
    out: list[Candidate] = []
    compass = directions()
    for i, tok in enumerate(tokens[:-1]):
        if "ريف" not in tok.text:
            continue
        hit = next(((off, s) for off, s in readings(tok.text) if s in ("ريف", "ريفي")), None)
        if hit is None:
            continue
        off, rif = hit
        if not _spaced(text, tokens, i, i + 1):
            continue
        # `ريف دمشق` is itself a governorate's name; it is a region only with a direction after it.
        named = [r for r in idx.lookup(f"ريف {tokens[i + 1].text}") if idx.kind[r] == "governorate"]
        if named:
            govs = [(idx.admin1[named[0]], i + 1, tokens[i + 1].start)]
        else:
            govs = _governorates_at(text, tokens, i + 1, idx)
        if not govs:
            continue
        # `ريفي إدلب وحماة`: the dual names two governorates joined by و.
        if rif == "ريفي" and len(govs) == 1:
            nxt = govs[0][1] + 1
            if nxt < len(tokens) and tokens[nxt].text.startswith("و") and _spaced(text, tokens, nxt - 1, nxt):
                second = _governorates_at(text, tokens, nxt, idx, strip_waw=True)
                govs += second[:1]
        last = govs[-1][1]
        part = None
        for n in (2, 1):
            words = tuple(t.text for t in tokens[last + 1:last + 1 + n])
            if len(words) == n and words in compass and _spaced(text, tokens, last, last + n):
                part, last = compass[words], last + n
                break
        if named and part is None:
            continue  # plain `ريف دمشق`: the exact governorate candidate covers it
        for g, (pcode, gov_last, g_start) in enumerate(govs):
            row = idx.governorate_row[pcode]
            span_start = tok.start + off if g == 0 else g_start
            span_end = tokens[last].end if g == len(govs) - 1 else tokens[gov_last].end
            first = i if g == 0 else govs[g - 1][1] + 1
            key = text[span_start:span_end]
            out.append(Candidate(first, last if g == len(govs) - 1 else gov_last, span_start, span_end,
                                 key, (row,), "region", region=(pcode, part)))
    return out


def _spaced(text: str, tokens: list[Token], a: int, b: int) -> bool:
    """Whether words a..b follow each other with nothing but blanks between them (one phrase)."""
    return all(gap_is_space(text, tokens[k].end, tokens[k + 1].start) for k in range(a, b))


def _governorates_at(text: str, tokens: list[Token], i: int, idx: NameIndex,
                     strip_waw: bool = False) -> list[tuple[str, int, int]]:
    """The governorate named at token i (1-2 words) as [(pcode, last token, start offset)], or []."""
    for n in (2, 1):
        if i + n > len(tokens) or not _spaced(text, tokens, i, i + n - 1):
            continue
        words = [t.text for t in tokens[i:i + n]]
        start = tokens[i].start
        if strip_waw:
            if not words[0].startswith("و"):
                return []
            words[0], start = words[0][1:], start + 1
        rows = idx.lookup(" ".join(words))
        govs = {idx.admin1[r] for r in rows if idx.is_container(r)}
        if len(govs) == 1:
            return [(govs.pop(), i + n - 1, start)]
    return []


def fuzzy_candidates(tokens: list[Token], slots: set[int], covered: set[int],
                     idx: NameIndex, max_zipf: float) -> list[Candidate]:
    """One-edit matches for words in place slots that no exact candidate covers; a word as
    common as `max_zipf` is itself a word (`المعارضة`), not a misspelt village."""
    out: list[Candidate] = []
    for i in sorted(slots - covered):
        tok = tokens[i]
        if idx.commonness(tok.text) >= max_zipf:
            continue
        for off, stem in readings(tok.text):
            if idx.commonness(stem) >= max_zipf:
                continue
            hits = idx.fuzzy(stem)
            if not hits:
                continue
            # All one-edit neighbours of the word form one candidate: context picks the place.
            rows = tuple(sorted({r for key, _ in hits for r in idx.rows[key]}))
            out.append(Candidate(i, i, tok.start + off, tok.end, stem, rows, "fuzzy",
                                 tok.text[:off], distance=min(d for _, d in hits)))
    return out
