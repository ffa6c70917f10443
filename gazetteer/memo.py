"""Memo tables for the geoparser's per-word and per-record look-ups.

News reuses its words, names and evidence, so most of the geoparser's small computations are
answered from a memo. A memoising function costs a Python call even when it hits; a `Memo` is a
dict that fills a missing key itself, so a hit is one dictionary look-up done in C.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable
from functools import partial
from typing import Any

LIMIT = 200_000  # entries kept at most: beyond, a miss is worked out each time (a 10 MB dump stays bounded)


class Memo(dict):
    """key -> make(key), worked out on the first look-up (`memo[key]`) and kept while the table is under `limit`."""

    __slots__ = ("make", "limit")

    def __init__(self, make: Callable[[Any], Any], limit: int = LIMIT):
        super().__init__()
        self.make = make
        self.limit = limit

    def __missing__(self, key: Hashable) -> Any:
        hit = self.make(key)
        if len(self) < self.limit:
            self[key] = hit
        return hit

    def __reduce__(self):
        return Memo, (self.make, self.limit)  # a copy starts empty: the table is a cache, not data


def on(owner: Any, name: str, make: Callable[..., Any], *args: Any, limit: int = LIMIT) -> Memo:
    """The memo `name` kept on `owner` (a name index), of key -> make(*args, key), made the first time: memos
    of an index live and die with it, so a test's small index never reads the full one's."""
    memo = owner.__dict__.get(name)
    if memo is None:
        memo = owner.__dict__[name] = Memo(partial(make, *args) if args else make, limit)
    return memo
