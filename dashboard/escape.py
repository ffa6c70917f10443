"""Untrusted values (anything that came from an article or its metadata) made safe for the page.

One place for it, so the map, the detail panel and the widgets escape the same way: HTML for
markup we build ourselves, Markdown escapes for Streamlit widgets that render Markdown.
"""
from __future__ import annotations

import html
import re

import pandas as pd

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:&])")


def plain(value: object) -> str:
    """A table cell as plain text: nulls (None, NaN, NA, NaT) become the empty string, never "nan"."""
    if value is None or (not isinstance(value, (str, list, dict)) and pd.isna(value)):
        return ""
    return str(value)


def esc(value: object) -> str:
    """Escape a table cell for HTML; nulls (None, NaN, NA) become the empty string."""
    return html.escape(plain(value))


def markdown_text(value: object) -> str:
    """Untrusted text for Streamlit widgets that render Markdown (labels, st.warning): every
    punctuation mark backslash-escaped, so `[x](javascript:…)` or `![](http://…)` stay plain text."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(value))
