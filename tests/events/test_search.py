"""Search keys: spelling variants of one name meet, and a key is stable under keying again."""
from __future__ import annotations

import pytest

from events.search import search_key


@pytest.mark.parametrize(("query", "text"), [
    ("حماة", "قصف على حماه يوم الاثنين"),
    ("إدلب", "في ريف ادلب الجنوبي"),
    ("الهروب", "محاولة الهـ.روب من الثكنة"),
    ("hama", "Shelling in HAMA"),
    ("Deir-ez-Zor", "deir ez zor"),
])
def test_a_query_finds_its_spelling_variants(query: str, text: str) -> None:
    assert search_key(query) in search_key(text)


def test_different_names_do_not_meet() -> None:
    assert search_key("حمص") not in search_key("قصف على حماة")


def test_keying_a_key_changes_nothing() -> None:
    key = search_key("قُصِفَت  مدينة  إدلب‌ Al-Bab")
    assert search_key(key) == key
