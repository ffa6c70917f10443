"""Escaping of untrusted values for HTML and for Markdown-rendering widgets."""
from __future__ import annotations

import re

import pytest

from dashboard import escape


@pytest.mark.parametrize("value, expected", [
    ('<img src=x onerror="alert(1)">', "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"),
    ("حماة & 'Hama'", "حماة &amp; &#x27;Hama&#x27;"),
    (None, ""), (float("nan"), ""), (12, "12"),
])
def test_esc(value, expected) -> None:
    assert escape.esc(value) == expected


@pytest.mark.parametrize("text", ["[click](javascript:alert(1))", "![x](http://tracker.example/p.png)",
                                  "**bold** _it_ `code` $x^2$", "<b>tag</b> & حماة", "a\\b"])
def test_markdown_text_leaves_no_markdown_syntax(text) -> None:
    escaped = escape.markdown_text(text)
    assert not re.search(r"(?<!\\)[\[\]()!*_`$<>]", escaped)
    assert re.sub(r"\\(.)", r"\1", escaped) == text  # unescaping gives the original back
