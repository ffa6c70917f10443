"""Syrian places: the gazetteer table, Arabic normalisation, and the geoparser.

Knows nothing of events or Streamlit (see DESIGN.md).
"""
from gazetteer.mention import Mention

__all__ = ["Mention", "geoparse"]


def geoparse(text: str) -> list[Mention]:
    """Find and resolve every Syrian place in `text` (see gazetteer.geoparse)."""
    from gazetteer.geoparse import geoparse as _geoparse

    return _geoparse(text)
