"""Syrian places: the gazetteer table, Arabic normalisation, and the geoparser.

Knows nothing of events or Streamlit (see DESIGN.md). The pipeline lives in
`gazetteer.geoparser`; `gazetteer.geoparse(text)` is its entry point.
"""
from gazetteer.geoparser import geoparse
from gazetteer.mention import Mention

__all__ = ["Mention", "geoparse"]
