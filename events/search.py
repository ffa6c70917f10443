"""The search key of a text: what the dashboard's search box compares, built by the events package so
the dashboard never parses Arabic itself.

The key is the gazetteer's name key (normalised Arabic: alef/hamza, ta marbuta, diacritics, tatweel
and broken words folded; Latin lower-cased) case-folded, so a search for حماة finds حماه and Hama finds HAMA.
A query and a haystack made by the same function always agree.
"""
from __future__ import annotations

from arabic.normalize import name_key


def search_key(text: str) -> str:
    """The normalised, case-folded form of `text` that search queries and haystacks are compared in."""
    return name_key(text).casefold()
