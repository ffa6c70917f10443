"""The Arabic text layer: normalisation with an offset map, tokens, clitic readings, sentences,
clauses, number words and a phrase matcher over lexicon files.

It knows nothing of places or events. `analyse(text)` builds the one `Doc` of an article that
the geoparser and the event extractor both read, so every article is normalised and tokenised
exactly once.
"""
from arabic.doc import Doc, analyse

__all__ = ["Doc", "analyse"]
