"""The search key (`events.search.search_key`) of a million texts in about a second: what the search box
compares, computed when a store is loaded.

`search_key` normalises one text in Python (about 15 µs for an evidence sentence: 15 s for a million
events at every cold start). For the characters whose key is one character, or none, whatever
surrounds them, the key of a text is a per-character lookup followed by collapsing and trimming
spaces, which numpy does for a whole batch of texts at once, joined by SEP (the query layer hands
them over that way, and takes the keys back as an Arrow array: no Python string per text). Which
characters qualify, and their keys, is learnt from `search_key` itself (`table`), so the two cannot
drift apart; a text holding any other character (a tatweel, whose neighbours the normaliser treats
specially, presentation forms, characters whose case folding makes several) is keyed by `search_key`
itself. tests/dashboard/test_query.py checks that the two agree on random texts.
"""
from __future__ import annotations

import itertools
from collections.abc import Sequence
from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from events.search import search_key

SEP = "\x1e"  # between the texts of a batch (a text holding it is keyed on its own)
UNSAFE = np.uint16(0xFFFF)  # a character whose text goes to search_key (a noncharacter: no key holds it)
DROPPED = np.uint16(0xFFFE)  # a character the key leaves out (diacritics, invisible marks); a noncharacter too
SPACE = np.uint16(32)
BOUNDARY = np.uint16(ord(SEP))
# Where the characters of Arabic news live (the rest of the BMP is looked up by search_key, per text).
CANDIDATES = tuple(itertools.chain(range(1, 0x800), range(0x2000, 0x2070), (0x3000, 0xFEFF)))


@cache
def table() -> np.ndarray:
    """Per BMP code point, its key's code point: DROPPED, SPACE (whitespace and hyphens), UNSAFE, or the
    one character it becomes. A character qualifies when its key is the same alone between letters and
    beside a dot on either side, which is where the normaliser's only context rules act (a dot or comma
    breaking a word next to a tatweel)."""
    lut = np.full(0x10000, UNSAFE, dtype=np.uint16)
    for code in CANDIDATES:
        c = chr(code)
        k = search_key(f"x{c}x")
        if len(k) > 3 or not (k.startswith("x") and k.endswith("x")):
            continue
        m = k[1:-1]
        if search_key(f"ب{c}.ب") != f"ب{m}.ب" or search_key(f"ب.{c}ب") != f"ب.{m}ب":
            continue
        lut[code] = DROPPED if m == "" else ord(m)
    return lut


def search_keys(texts: Sequence[str]) -> list[str]:
    """[search_key(t) for t in texts]."""
    try:
        keys = joined_keys(SEP.join(texts), len(texts)) if texts else pa.array([], pa.string())
    except UnicodeEncodeError:  # a lone surrogate (no store holds one: its files are UTF-8)
        keys = None
    return [search_key(t) for t in texts] if keys is None else keys.to_pylist()


def joined_keys(joined: str, n: int) -> pa.StringArray | None:
    """The keys of the n texts joined by SEP in `joined`, in order, as an Arrow array; None when the
    texts hold SEP themselves (the caller keys them one by one). Works in UTF-16 code units: a
    character beyond the BMP is a surrogate pair, which the table sends to search_key."""
    codes = np.frombuffer(joined.encode("utf-16-le", "surrogatepass"), dtype="<u2")
    boundary = codes == BOUNDARY
    seps = np.flatnonzero(boundary)
    if len(seps) != n - 1:
        return None
    mapped = table()[codes]
    unsafe = np.flatnonzero(mapped == UNSAFE)
    unsafe_texts = np.unique(np.searchsorted(seps, unsafe, side="right"))
    mapped[unsafe] = ord("?")  # those texts are keyed by search_key below
    mapped[seps] = BOUNDARY
    mapped = mapped[mapped != DROPPED]
    # Collapse runs of spaces and trim each text's ends (the key's `\s+` -> " ", then strip).
    space = mapped == SPACE
    edge = space | (mapped == BOUNDARY)
    drop = space.copy()
    drop[1:] &= edge[:-1]  # a space after a space or a text's start
    mapped = mapped[~drop]
    space = mapped == SPACE
    drop = space.copy()
    drop[:-1] &= mapped[1:] == BOUNDARY  # a space before a text's end
    mapped = mapped[~drop]
    utf8 = np.frombuffer(mapped.tobytes().decode("utf-16-le").encode("utf-8"), dtype=np.uint8)
    cuts = np.flatnonzero(utf8 == ord(SEP))
    offsets = np.empty(n + 1, dtype=np.int64)
    offsets[0], offsets[1:-1], offsets[-1] = 0, cuts - np.arange(len(cuts)), len(utf8) - len(cuts)
    keys = pa.Array.from_buffers(pa.large_string(), n, [None, pa.py_buffer(offsets), pa.py_buffer(np.delete(utf8, cuts))])
    keys = keys.cast(pa.string())
    if len(unsafe_texts):  # those texts alone, keyed by search_key and put in their places
        starts, ends = np.r_[0, seps + 1], np.r_[seps, len(codes)]
        fixed = [search_key(codes[starts[i]:ends[i]].tobytes().decode("utf-16-le", "surrogatepass")) for i in unsafe_texts]
        mask = np.zeros(n, dtype=bool)
        mask[unsafe_texts] = True
        keys = pc.replace_with_mask(keys, pa.array(mask), pa.array(fixed, pa.string()))
    return keys
